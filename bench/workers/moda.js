import { withModa, wrap } from "moda-edge";
import { makeApp } from "./app.js";
import { askAnthropic } from "./ask-anthropic.js";
import { askOpenAI } from "./ask-openai.js";

export default withModa(makeApp([askOpenAI, askAnthropic], wrap));
