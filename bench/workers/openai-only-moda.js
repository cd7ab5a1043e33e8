import { withModa, wrap } from "moda-edge";
import { makeApp } from "./app.js";
import { askOpenAI } from "./ask-openai.js";

export default withModa(makeApp([askOpenAI], wrap));
