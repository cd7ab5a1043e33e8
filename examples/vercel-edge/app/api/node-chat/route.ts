import { withModa } from "moda-edge";
import { MODEL, openai, promptOf } from "@/lib/clients";

// The Node.js runtime, Vercel's default (Fluid compute): the export is kept alive through Vercel's request context
// on Vercel, and through the `waitUntil` of `after()` under `next start`.
export const runtime = "nodejs";

/** `POST /api/node-chat {"prompt"}`: the same chat completion as `/api/chat`, on the Node.js runtime. */
export const POST = withModa(async (request: Request) => {
  const prompt = await promptOf(request, "Say hello from Node.js.");
  const completion = await openai().chat.completions.create({
    model: MODEL,
    messages: [{ role: "user", content: prompt }],
  });
  return Response.json({ answer: completion.choices[0]?.message.content ?? "", usage: completion.usage });
});
