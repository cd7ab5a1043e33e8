/**
 * An LLM span's conversation, rebuilt from the attributes as sent: the GenAI conventions' JSON
 * (`gen_ai.system_instructions`, `gen_ai.input.messages`, `gen_ai.output.messages`) when present, else Moda's
 * indexed `llm.prompts.{n}.*` / `llm.completions.{n}.*`, else the Vercel AI SDK's `ai.*`. Parts keep the exported shapes (text, tool_call,
 * tool_call_response, reasoning, blob_omitted, …); what cannot be read is kept as text, never dropped.
 */
import type { DecodedAttributes, DecodedValue } from "../otlp/decoded-span";
import { aiSdkTurns } from "./ai-sdk-conversation";
import { parsedJson } from "./attributes";

export type Part = { type: string } & Record<string, unknown>;

export interface Turn {
  role: string;
  parts: Part[];
  name?: string;
  /** Output turns only. */
  finishReason?: string;
  /** An answer of this call, not a message it was sent. */
  output: boolean;
}

export interface Conversation {
  /** Which attributes the turns come from; undefined when the span carries no content. */
  source?: "gen_ai" | "llm" | "ai";
  turns: Turn[];
}

const SYSTEM = "gen_ai.system_instructions";
const INPUT = "gen_ai.input.messages";
const OUTPUT = "gen_ai.output.messages";

export function conversationOf(attributes: DecodedAttributes): Conversation {
  if ([SYSTEM, INPUT, OUTPUT].some((name) => attributes[name] !== undefined)) {
    return {
      source: "gen_ai",
      turns: [
        ...systemTurns(attributes[SYSTEM]),
        ...messageTurns(attributes[INPUT], false),
        ...messageTurns(attributes[OUTPUT], true),
      ],
    };
  }
  const turns = [...legacyTurns(attributes, "llm.prompts", false), ...legacyTurns(attributes, "llm.completions", true)];
  if (turns.length > 0) return { source: "llm", turns: withLegacyFinishReason(turns, attributes) };
  const aiSdk = aiSdkTurns(attributes);
  return aiSdk.length > 0 ? { source: "ai", turns: aiSdk } : { turns };
}

function textPart(content: string): Part {
  return { type: "text", content };
}

function isPart(value: unknown): value is Part {
  return typeof value === "object" && value !== null && typeof (value as { type?: unknown }).type === "string";
}

/** Parts from JSON text; text that is not a JSON list of parts (a value cut short by a cap) stays as text. */
function partsOf(value: unknown): Part[] {
  if (Array.isArray(value)) return value.map((item) => (isPart(item) ? item : textPart(JSON.stringify(item))));
  if (typeof value === "string") return [textPart(value)];
  return value === undefined || value === null ? [] : [textPart(JSON.stringify(value))];
}

function systemTurns(value: DecodedValue | undefined): Turn[] {
  if (value === undefined) return [];
  return [{ role: "system", parts: partsOf(parsedJson(value)), output: false }];
}

function messageTurns(value: DecodedValue | undefined, output: boolean): Turn[] {
  if (value === undefined) return [];
  const messages = parsedJson(value);
  if (!Array.isArray(messages)) return [{ role: output ? "assistant" : "user", parts: partsOf(messages), output }];
  return messages.map((message: unknown): Turn => {
    if (typeof message !== "object" || message === null)
      return { role: "unknown", parts: partsOf(JSON.stringify(message)), output };
    const { role, parts, name, finish_reason } = message as Record<string, unknown>;
    return {
      role: typeof role === "string" ? role : "unknown",
      parts: partsOf(parts),
      ...(typeof name === "string" && { name }),
      ...(typeof finish_reason === "string" && { finishReason: finish_reason }),
      output,
    };
  });
}

/** `{prefix}.{n}.role` / `.content`, in index order; a `thinking` completion becomes reasoning of the next one. */
function legacyTurns(attributes: DecodedAttributes, prefix: string, output: boolean): Turn[] {
  const turns: Turn[] = [];
  let thinking: Part[] = [];
  for (let index = 0; ; index++) {
    const role = attributes[`${prefix}.${index}.role`];
    const content = attributes[`${prefix}.${index}.content`];
    if (role === undefined && content === undefined) break;
    const parts = legacyParts(content);
    if (role === "thinking") {
      thinking = parts.map((part) => (part.type === "text" ? { type: "reasoning", content: part.content } : part));
      continue;
    }
    turns.push({ role: role === undefined ? "unknown" : String(role), parts: [...thinking, ...parts], output });
    thinking = [];
  }
  return turns;
}

/** Plain text, or the JSON of the parts when a message was more than text. */
function legacyParts(content: DecodedValue | undefined): Part[] {
  if (typeof content !== "string") return partsOf(content);
  if (content.startsWith("[")) {
    const parsed = parsedJson(content);
    if (Array.isArray(parsed) && parsed.every(isPart)) return parsed;
  }
  return [textPart(content)];
}

function withLegacyFinishReason(turns: Turn[], attributes: DecodedAttributes): Turn[] {
  const reason = attributes["llm.response.finish_reason"];
  const firstOutput = turns.findIndex((turn) => turn.output);
  if (typeof reason !== "string" || firstOutput === -1) return turns;
  return turns.map((turn, index) => (index === firstOutput ? { ...turn, finishReason: reason } : turn));
}
