/** LangSmith's `wrapOpenAI`, tracing to an in-process sink; its pending batches are awaited between rounds. */
import { Client } from "langsmith";
import { wrapOpenAI } from "langsmith/wrappers/openai";
import { sinkFetch } from "../lib/sink.mjs";

export const label = "LangSmith wrapOpenAI";

export async function setup() {
  const client = new Client({
    apiUrl: "https://langsmith.bench.invalid",
    apiKey: "bench-key",
    fetchImplementation: sinkFetch,
  });
  return {
    wrap: (openai) => wrapOpenAI(openai, { client, tracingEnabled: true, project_name: "bench" }),
    async round(run) {
      const elapsed = await run();
      await client.awaitPendingTraceBatches();
      return elapsed;
    },
  };
}
