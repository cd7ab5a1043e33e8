import { Agent } from "agents";
import { withModa, wrapOpenAI } from "moda-edge";
import { type Env, openaiClient } from "./env";
import { OPENAI_MODEL } from "./routes";

/**
 * An Agents SDK agent (a Durable Object under the hood), wrapped in `withModa` like any Durable Object class: each
 * call of `advise` over RPC is a span of its own, in the caller's trace when the caller passes `traceHeaders()`.
 */
export const Advisor = withModa(
  class Advisor extends Agent<Env> {
    async advise(question: string, _trace?: Record<string, string>): Promise<string> {
      const completion = await wrapOpenAI(openaiClient(this.env)).chat.completions.create({
        model: OPENAI_MODEL,
        messages: [{ role: "user", content: question }],
      });
      return completion.choices[0]?.message.content ?? "";
    }
  },
);
