import Anthropic from "@anthropic-ai/sdk";

export async function askAnthropic(env, instrument, question) {
  const anthropic = instrument(
    new Anthropic({ apiKey: env.ANTHROPIC_API_KEY, baseURL: env.ANTHROPIC_BASE_URL }),
    "anthropic",
  );
  const message = await anthropic.messages.create({
    model: "claude-sonnet-4-5",
    max_tokens: 256,
    messages: [{ role: "user", content: question }],
  });
  return message.content[0]?.type === "text" ? message.content[0].text : null;
}
