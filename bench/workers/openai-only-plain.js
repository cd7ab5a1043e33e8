import { makeApp } from "./app.js";
import { askOpenAI } from "./ask-openai.js";

export default makeApp([askOpenAI]);
