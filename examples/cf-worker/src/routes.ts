import type Anthropic from "@anthropic-ai/sdk";
import type OpenAI from "openai";
import { SSE_HEADERS, sseBody, sseEvent } from "./sse";

export const OPENAI_MODEL = "gpt-4o-mini";
export const ANTHROPIC_MODEL = "claude-sonnet-4-5";

/** The clients a route needs, already wrapped for tracing. */
export interface Clients {
  openai: OpenAI;
  anthropic: Anthropic;
}

async function promptOf(request: Request, fallback: string): Promise<string> {
  const body = (await request.json().catch(() => ({}))) as { prompt?: unknown };
  return typeof body.prompt === "string" && body.prompt !== "" ? body.prompt : fallback;
}

/** `POST /chat {"prompt"}`: one OpenAI chat completion, answered as JSON. */
export async function chat(clients: Clients, request: Request): Promise<Response> {
  const prompt = await promptOf(request, "Say hello from the edge.");
  const completion = await clients.openai.chat.completions.create({
    model: OPENAI_MODEL,
    messages: [
      { role: "system", content: "You are a concise assistant." },
      { role: "user", content: prompt },
    ],
  });
  return Response.json({ answer: completion.choices[0]?.message.content ?? "", usage: completion.usage });
}

/**
 * `POST /stream {"prompt"}`: a Claude answer, streamed to the browser as server-sent events as it arrives:
 * `delta` events with the text, a `usage` event with the token counts, then `done`.
 */
export async function stream(clients: Clients, request: Request): Promise<Response> {
  const prompt = await promptOf(request, "Tell me a very short story.");
  const events = await clients.anthropic.messages.create({
    model: ANTHROPIC_MODEL,
    max_tokens: 512,
    messages: [{ role: "user", content: prompt }],
    stream: true,
  });
  const body = sseBody(events, (event) => {
    if (event.type === "content_block_delta" && event.delta.type === "text_delta")
      return sseEvent("delta", { text: event.delta.text });
    if (event.type === "message_delta") return sseEvent("usage", event.usage);
    return undefined;
  });
  return new Response(body, { headers: SSE_HEADERS });
}

/** The cron job: one call whose answer goes to the logs. */
export async function summarise(clients: Clients): Promise<void> {
  const completion = await clients.openai.chat.completions.create({
    model: OPENAI_MODEL,
    messages: [{ role: "user", content: "Summarise today's support tickets in one line." }],
  });
  console.log("summary:", completion.choices[0]?.message.content);
}

/** Routes a request to `chat` or `stream`. */
export function route(clients: Clients, request: Request): Promise<Response> | Response {
  const { pathname } = new URL(request.url);
  if (request.method === "POST" && pathname === "/chat") return chat(clients, request);
  if (request.method === "POST" && pathname === "/stream") return stream(clients, request);
  return new Response('POST /chat or /stream with {"prompt": "..."}\n', { status: 404 });
}
