/**
 * The app the Bun and Deno suites serve (runtime-tests/bun, runtime-tests/deno): `withModa` around a fetch-style
 * handler, a wrapped OpenAI client called inside a task after an `await` (so only an AsyncLocalStorage can give it
 * its parent: the one the runtime has, found with no set-up), a streamed answer passed on as server-sent events
 * (`/stream`), and the built package, as users get it.
 * Configured from the environment the test gives the process (`MODA_*`, `OPENAI_*`).
 */
import OpenAI from "openai";
import { init, task, withModa, wrapOpenAI } from "../../dist/index.js";

export function chatApp(env: Record<string, string | undefined>): (request: Request) => Promise<Response> {
  init({ serviceName: env.SERVICE_NAME });
  const openai = wrapOpenAI(new OpenAI({ apiKey: env.OPENAI_API_KEY, baseURL: env.OPENAI_BASE_URL }));
  const answer = task("answer", async (prompt: string) => {
    const question = await Promise.resolve(prompt.trim());
    const completion = await openai.chat.completions.create({
      model: "gpt-4o-mini",
      messages: [{ role: "user", content: question }],
    });
    return { answer: completion.choices[0]?.message.content ?? "", usage: completion.usage };
  });
  return withModa(async (request: Request) => {
    const { prompt } = (await request.json()) as { prompt: string };
    if (new URL(request.url).pathname === "/stream") return streamedAnswer(openai, prompt);
    return Response.json(await answer(prompt));
  });
}

/** The answer's text deltas as server-sent events, then `done`: the response outlives the handler. */
async function streamedAnswer(openai: OpenAI, prompt: string): Promise<Response> {
  const stream = await openai.chat.completions.create({
    model: "gpt-4o-mini",
    messages: [{ role: "user", content: prompt }],
    stream: true,
  });
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    async start(controller) {
      for await (const chunk of stream) {
        const delta = chunk.choices[0]?.delta.content;
        if (delta) controller.enqueue(encoder.encode(`event: delta\ndata: ${JSON.stringify(delta)}\n\n`));
      }
      controller.enqueue(encoder.encode("event: done\ndata: {}\n\n"));
      controller.close();
    },
  });
  return new Response(body, { headers: { "content-type": "text/event-stream" } });
}
