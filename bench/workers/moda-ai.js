import { Moda } from "moda-ai";
import { makeApp } from "./app.js";
import { askAnthropic } from "./ask-anthropic.js";
import { askOpenAI } from "./ask-openai.js";

const app = makeApp([askOpenAI, askAnthropic]);

export default {
  async fetch(request, env, ctx) {
    Moda.init(env.MODA_API_KEY);
    const response = await app.fetch(request, env);
    ctx.waitUntil(Moda.flush());
    return response;
  },
};
