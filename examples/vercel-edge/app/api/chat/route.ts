import { withModa } from "moda-edge";
import { MODEL, openai, promptOf } from "@/lib/clients";

export const runtime = "edge";

/** `POST /api/chat {"prompt"}`: one chat completion through the wrapped OpenAI SDK, answered as JSON. */
export const POST = withModa(async (request: Request) => {
  const prompt = await promptOf(request, "Say hello from the edge.");
  const completion = await openai().chat.completions.create({
    model: MODEL,
    messages: [
      { role: "system", content: "You are a concise assistant." },
      { role: "user", content: prompt },
    ],
  });
  return Response.json({ answer: completion.choices[0]?.message.content ?? "", usage: completion.usage });
});
