import { withModa, wrapOpenAI } from "moda-edge";
import { makeApp } from "./app.js";
import { askOpenAI } from "./ask-openai.js";

export default withModa(makeApp([askOpenAI], wrapOpenAI));
