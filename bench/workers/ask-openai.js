import OpenAI from "openai";

export async function askOpenAI(env, instrument, question) {
  const openai = instrument(new OpenAI({ apiKey: env.OPENAI_API_KEY, baseURL: env.OPENAI_BASE_URL }), "openai");
  const chat = await openai.chat.completions.create({
    model: "gpt-4o-mini",
    messages: [{ role: "user", content: question }],
  });
  return chat.choices[0]?.message.content;
}
