import type { LlmCall, Part } from "./llm-call";

/** The conversation a call belongs to, and whether someone named it (only a named id may go in `gen_ai.conversation.id`). */
export interface ConversationId {
  id: string;
  explicit: boolean;
}

/**
 * The id given at the call site, else the one propagated by `withConversation`, else one derived from the
 * conversation's start, computed exactly as Moda's TypeScript SDK does so that threads join up across SDKs.
 */
export async function conversationIdOf(call: LlmCall, propagatedId?: string): Promise<ConversationId> {
  const given = call.conversationId ?? propagatedId;
  if (given !== undefined && given !== "") return { id: given, explicit: true };
  const firstUser = call.inputMessages?.find((message) => message.role === "user");
  if (firstUser === undefined) return { id: randomConversationId(), explicit: false };
  return { id: await hashConversationId(systemPromptOf(call), textOf(firstUser.parts)), explicit: false };
}

/** `conv_` + the first 16 hex digits of SHA-256 over `{"system":…,"first_user":…}` (keys in that order). */
export async function hashConversationId(system: string | null, firstUser: string): Promise<string> {
  const seed = JSON.stringify({ system, first_user: firstUser });
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(seed));
  return `conv_${toHex(new Uint8Array(digest)).slice(0, 16)}`;
}

/** A fresh `conv_` id for a call with no user message: nothing stable to hash. */
export function randomConversationId(): string {
  return `conv_${toHex(crypto.getRandomValues(new Uint8Array(8)))}`;
}

/**
 * The provider's separate system parameter when there is one, else the first message with role `system`
 * (Moda's SDK does not count OpenAI's `developer` role), else null.
 */
function systemPromptOf(call: LlmCall): string | null {
  if (call.systemInstructions !== undefined && call.systemInstructions.length > 0)
    return textOf(call.systemInstructions);
  const systemMessage = call.inputMessages?.find((message) => message.role === "system");
  return systemMessage === undefined ? null : textOf(systemMessage.parts);
}

/** Non-empty text parts joined with "\n", as Moda's SDK reads a message's text (images and tool blocks ignored). */
function textOf(parts: readonly Part[]): string {
  return parts.flatMap((part) => (part.type === "text" && part.content !== "" ? [part.content] : [])).join("\n");
}

function toHex(bytes: Uint8Array): string {
  let hex = "";
  for (const byte of bytes) hex += byte.toString(16).padStart(2, "0");
  return hex;
}
