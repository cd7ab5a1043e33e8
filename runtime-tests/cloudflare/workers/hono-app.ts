/**
 * A Hono Worker as most are written: one module-level client, `app.use(moda())`, no AsyncLocalStorage configured.
 * `/chat/:id` makes one LLM call before an `await`, one after it inside a span of its own, and answers with the
 * trace headers it sees after the `await`.
 */
import { Hono } from "hono";
import OpenAI from "openai";
import { hasAsyncContext } from "../../../src/core/context";
import { moda, modaTracer, traceHeaders, wrapOpenAI } from "../../../src/index";

interface Bindings {
  MODA_API_KEY: string;
  MODA_BASE_URL: string;
}

const openai = wrapOpenAI(
  new OpenAI({ apiKey: "sk-test", baseURL: "http://openai.invalid/v1", maxRetries: 0, fetch: mockFetch }),
);

/** The mock server's URL arrives with the first request's env; the module-level client reads it from here. */
let openaiBaseUrl = "";
function mockFetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
  const url = String(input instanceof Request ? input.url : input).replace("http://openai.invalid/v1", openaiBaseUrl);
  return fetch(url, init);
}

async function ask(content: string): Promise<string> {
  const completion = await openai.chat.completions.create({
    model: "gpt-4o-mini",
    messages: [{ role: "user", content }],
  });
  return completion.choices[0]?.message.content ?? "";
}

const app = new Hono<{ Bindings: Bindings & { OPENAI_BASE_URL: string } }>();
app.use(moda());
app.get("/chat/:id", async (c) => {
  openaiBaseUrl = c.env.OPENAI_BASE_URL;
  const id = c.req.param("id");
  await ask(`first ${id}`);
  await scheduler.wait(1);
  const second = await modaTracer().startActiveSpan(`follow-up ${id}`, async (span) => {
    try {
      return await ask(`second ${id}`);
    } finally {
      span.end();
    }
  });
  return c.json({ id, second, trace: traceHeaders() });
});

/** Whether moda-edge found an AsyncLocalStorage on its own (nothing here configures one). */
app.get("/async-context", (c) => c.json({ found: hasAsyncContext() }));

export default app;
