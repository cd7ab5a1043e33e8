import { instrument } from "@microlabs/otel-cf-workers";
import { makeApp } from "./app.js";
import { askAnthropic } from "./ask-anthropic.js";
import { askOpenAI } from "./ask-openai.js";

const config = (env) => ({
  exporter: { url: env.OTLP_URL, headers: { authorization: `Bearer ${env.OTLP_KEY}` } },
  service: { name: "bench-worker" },
});

export default instrument(makeApp([askOpenAI, askAnthropic]), config);
