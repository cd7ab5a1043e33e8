import Anthropic from "@anthropic-ai/sdk";
import * as traceloop from "@traceloop/node-server-sdk";
import OpenAI from "openai";
import { makeApp } from "./app.js";
import { askAnthropic } from "./ask-anthropic.js";
import { askOpenAI } from "./ask-openai.js";

const app = makeApp([askOpenAI, askAnthropic]);

export default {
  async fetch(request, env, ctx) {
    traceloop.initialize({
      apiKey: env.TRACELOOP_API_KEY,
      disableBatch: true,
      instrumentModules: { openAI: OpenAI, anthropic: Anthropic },
    });
    const response = await app.fetch(request, env);
    ctx.waitUntil(traceloop.forceFlush());
    return response;
  },
};
