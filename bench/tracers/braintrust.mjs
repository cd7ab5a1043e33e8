/** Braintrust's `wrapOpenAI` with an async-flush logger, sending to an in-process sink; flushed between rounds. */
import { initLogger, wrapOpenAI } from "braintrust";
import { makeSinkFetch } from "../lib/sink.mjs";

export const label = "Braintrust wrapOpenAI";

const ORIGIN = "https://braintrust.bench.invalid";
/** What the logger must hear before it logs: a login and a project. */
const BACKEND_ANSWERS = {
  "/api/apikey/login": {
    org_info: [{ id: "org-bench", name: "bench", api_url: ORIGIN, proxy_url: ORIGIN, git_metadata: null }],
  },
  "/api/project/register": { project: { id: "proj-bench", name: "bench", org_id: "org-bench" } },
};

export async function setup() {
  const logger = initLogger({
    projectName: "bench",
    apiKey: "bench-key",
    appUrl: ORIGIN,
    fetch: makeSinkFetch(BACKEND_ANSWERS),
    asyncFlush: true,
  });
  return {
    wrap: wrapOpenAI,
    async round(run) {
      const elapsed = await run();
      await logger.flush();
      return elapsed;
    },
  };
}
