import { withModa } from "moda-edge";
import { makeApp } from "./app.js";
import { askAnthropic } from "./ask-anthropic.js";
import { askOpenAI } from "./ask-openai.js";

// withModa alone, clients unwrapped: what the request span and the response pass-through cost by themselves.
export default withModa(makeApp([askOpenAI, askAnthropic]));
