// The same Worker on a compatibility date from 2026-08-04 (see wrangler.als.toml), where Node APIs are on by default:
// moda-edge finds the Worker's AsyncLocalStorage on its own (nothing to import, no init()), so spans nest along the
// call tree even with clients made once per isolate and calls running in parallel.

import { env } from "cloudflare:workers";
import { modaTracer, withModa, wrap } from "moda-edge";
import { anthropicClient, type Env, openaiClient } from "./env";
import { type Clients, OPENAI_MODEL, route, summarise } from "./routes";

const clients: Clients = {
  openai: wrap(openaiClient(env as Env)),
  anthropic: wrap(anthropicClient(env as Env)),
};

async function ask(content: string): Promise<string> {
  const completion = await clients.openai.chat.completions.create({
    model: OPENAI_MODEL,
    messages: [{ role: "user", content }],
  });
  return completion.choices[0]?.message.content ?? "";
}

/**
 * `POST /compare`: two answers in parallel, then a third call (after an `await`) that picks one, all inside
 * a span of our own. AsyncLocalStorage is what puts the third LLM span under "compare answers" too.
 */
function compare(): Promise<Response> {
  return modaTracer().startActiveSpan("compare answers", async (span) => {
    try {
      const answers = await Promise.all([ask("Name a colour."), ask("Name a fruit.")]);
      const verdict = await ask(`Which is more cheerful: ${answers.join(" or ")}?`);
      return Response.json({ answers, verdict });
    } finally {
      span.end();
    }
  });
}

export default withModa({
  fetch(request) {
    const { pathname } = new URL(request.url);
    if (request.method === "POST" && pathname === "/compare") return compare();
    return route(clients, request);
  },
  async scheduled() {
    await summarise(clients);
  },
} satisfies ExportedHandler<Env>);
