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
  const given = givenConversationId(call, propagatedId);
  if (given !== undefined) return given;
  const firstUser = call.inputMessages?.find((message) => message.role === "user");
  if (firstUser === undefined) return { id: randomConversationId(), explicit: false };
  return { id: await hashConversationId(systemPromptOf(call), textOf(firstUser.parts)), explicit: false };
}

/**
 * The id given at the call site or propagated by `withConversation`, if any: all there is without content traced,
 * where an id hashed from the prompt (unsalted, as Moda's SDKs must compute it to agree) would let anyone holding
 * the trace confirm a guess of what was written.
 */
export function givenConversationId(call: LlmCall, propagatedId?: string): ConversationId | undefined {
  const given = call.conversationId ?? propagatedId;
  return given !== undefined && given !== "" ? { id: given, explicit: true } : undefined;
}

/**
 * Seeds hashed lately, and their ids: the calls of one conversation (an agent's loop, a chat's turns) share a seed,
 * and a SHA-256 through `crypto.subtle` is an async round trip costing more than the rest of a span's description.
 * Bounded in entries and in characters held; a seed larger than the whole budget is not kept.
 */
const recentIds = new Map<string, Promise<string>>();
const MAX_RECENT_IDS = 32;
const MAX_RECENT_CHARS = 128 * 1024;
let recentChars = 0;

/** `conv_` + the first 16 hex digits of SHA-256 over `{"system":…,"first_user":…}` (keys in that order). */
export function hashConversationId(system: string | null, firstUser: string): Promise<string> {
  const seed = JSON.stringify({ system, first_user: firstUser });
  const known = recentIds.get(seed);
  if (known !== undefined) {
    // Last used, last to go.
    recentIds.delete(seed);
    recentIds.set(seed, known);
    return known;
  }
  const id = digestId(seed);
  remember(seed, id);
  return id;
}

async function digestId(seed: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(seed));
  return `conv_${toHex(new Uint8Array(digest)).slice(0, 16)}`;
}

function remember(seed: string, id: Promise<string>): void {
  if (seed.length > MAX_RECENT_CHARS) return;
  while (recentIds.size > 0 && (recentIds.size >= MAX_RECENT_IDS || recentChars + seed.length > MAX_RECENT_CHARS)) {
    forgetOldest();
  }
  recentIds.set(seed, id);
  recentChars += seed.length;
  // A digest that failed is tried again next time, not remembered.
  id.catch(() => forget(seed, id));
}

function forgetOldest(): void {
  const [oldest, id] = recentIds.entries().next().value as [string, Promise<string>];
  forget(oldest, id);
}

function forget(seed: string, id: Promise<string>): void {
  if (recentIds.get(seed) !== id) return;
  recentIds.delete(seed);
  recentChars -= seed.length;
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
