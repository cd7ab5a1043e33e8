import { withModa, wrap } from "moda-edge";
import { makeApp } from "./app.js";
import { askAnthropic } from "./ask-anthropic.js";
import { askOpenAI } from "./ask-openai.js";

// The generic wrap(): it recognises every supported SDK, so the bundle carries every provider.
export default withModa(makeApp([askOpenAI, askAnthropic], wrap));
