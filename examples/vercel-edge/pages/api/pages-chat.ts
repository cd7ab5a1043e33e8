import { withModa } from "moda-edge";
import type { NextApiRequest, NextApiResponse } from "next";
import { MODEL, openai } from "@/lib/clients";

/** `POST /api/pages-chat {"prompt"}`: a Pages Router API route, Node's `(req, res)`. */
export default withModa(async (req: NextApiRequest, res: NextApiResponse) => {
  const prompt = typeof req.body?.prompt === "string" ? req.body.prompt : "Say hello from a Pages API route.";
  const completion = await openai().chat.completions.create({
    model: MODEL,
    messages: [{ role: "user", content: prompt }],
  });
  res.status(200).json({ answer: completion.choices[0]?.message.content ?? "", usage: completion.usage });
});
