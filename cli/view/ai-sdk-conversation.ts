/**
 * The conversation of a Vercel AI SDK span (`ai.generateText`, `ai.streamText.doStream`, …), from the SDK's own
 * attributes: `ai.prompt.messages` (one model call) or `ai.prompt` (the whole call), then `ai.response.*`.
 * Its message parts (`tool-call`, `tool-result`, …) are mapped to the GenAI conventions' part shapes.
 */
import type { DecodedAttributes } from "../otlp/decoded-span";
import { parsedJson } from "./attributes";
import type { Part, Turn } from "./conversation";

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function aiSdkTurns(attributes: DecodedAttributes): Turn[] {
  return [...promptTurns(attributes), ...responseTurns(attributes)];
}

function promptTurns(attributes: DecodedAttributes): Turn[] {
  const messages = parsedJson(attributes["ai.prompt.messages"]);
  if (Array.isArray(messages)) return messages.map((message) => messageTurn(message));
  const prompt = parsedJson(attributes["ai.prompt"]);
  if (!isObject(prompt)) return [];
  const turns: Turn[] = [];
  if (typeof prompt.system === "string") turns.push({ role: "system", parts: [text(prompt.system)], output: false });
  if (typeof prompt.prompt === "string") turns.push({ role: "user", parts: [text(prompt.prompt)], output: false });
  const listed = Array.isArray(prompt.messages) ? prompt.messages : Array.isArray(prompt.prompt) ? prompt.prompt : [];
  return [...turns, ...listed.map((message) => messageTurn(message))];
}

function messageTurn(message: unknown): Turn {
  if (!isObject(message)) return { role: "unknown", parts: [text(JSON.stringify(message))], output: false };
  const content = message.content;
  const parts = typeof content === "string" ? [text(content)] : Array.isArray(content) ? content.map(partOf) : [];
  return { role: String(message.role ?? "unknown"), parts, output: false };
}

function responseTurns(attributes: DecodedAttributes): Turn[] {
  const parts: Part[] = [];
  const reasoning = attributes["ai.response.reasoning"];
  if (typeof reasoning === "string" && reasoning !== "") parts.push({ type: "reasoning", content: reasoning });
  const answer = attributes["ai.response.text"];
  if (typeof answer === "string" && answer !== "") parts.push(text(answer));
  const toolCalls = parsedJson(attributes["ai.response.toolCalls"]);
  if (Array.isArray(toolCalls)) parts.push(...toolCalls.map((call) => partOf({ type: "tool-call", ...call })));
  if (parts.length === 0) return [];
  const reason = attributes["ai.response.finishReason"];
  return [{ role: "assistant", parts, output: true, ...(typeof reason === "string" && { finishReason: reason }) }];
}

function text(content: string): Part {
  return { type: "text", content };
}

/** An AI SDK message part as the GenAI conventions' part. */
function partOf(part: unknown): Part {
  if (!isObject(part)) return text(String(part));
  switch (part.type) {
    case "text":
      return text(String(part.text ?? ""));
    case "reasoning":
      return { type: "reasoning", content: String(part.text ?? "") };
    case "tool-call":
      return {
        type: "tool_call",
        id: part.toolCallId,
        name: String(part.toolName ?? ""),
        arguments: parsedJson((part.input ?? part.args) as string),
      };
    case "tool-result": {
      const output = part.output ?? part.result;
      return {
        type: "tool_call_response",
        id: part.toolCallId,
        response: isObject(output) && "value" in output ? output.value : output,
      };
    }
    case "image":
    case "file": {
      const mime = part.mediaType ?? part.mimeType;
      const modality = part.type === "image" || String(mime).startsWith("image/") ? "image" : "file";
      const data = part.data ?? part.image;
      return typeof data === "string" && /^https?:/.test(data)
        ? { type: "uri", modality, mime_type: mime, uri: data }
        : { type: "blob_omitted", modality, ...(typeof mime === "string" && { mime_type: mime }) };
    }
    default:
      return { ...part, type: String(part.type) };
  }
}
