import { withModa, wrapAnthropic, wrapOpenAI } from "moda-edge";
import { makeApp } from "./app.js";
import { askAnthropic } from "./ask-anthropic.js";
import { askOpenAI } from "./ask-openai.js";

// Each client through its own provider's wrapper, so the bundle carries those two providers only.
const WRAPPERS = { openai: wrapOpenAI, anthropic: wrapAnthropic };

export default withModa(makeApp([askOpenAI, askAnthropic], (client, provider) => WRAPPERS[provider](client)));
