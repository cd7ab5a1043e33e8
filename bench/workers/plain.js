import { makeApp } from "./app.js";
import { askAnthropic } from "./ask-anthropic.js";
import { askOpenAI } from "./ask-openai.js";

export default makeApp([askOpenAI, askAnthropic]);
