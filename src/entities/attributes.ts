import type { AttributeValue } from "@opentelemetry/api";
import { type ContextValues, currentContext, type PromptReference, runInContext } from "../core/context";
import { debug } from "../core/debug";
import { safely } from "../core/safe";
import { resolveScope } from "../core/scope-lookup";
import type { ModaSpan } from "../core/span";

/**
 * Custom attributes on the current span, and the values that flow down the call tree onto every span below:
 * association properties, the conversation id and the user id; and onto the LLM spans below, the prompt.
 */

/**
 * Sets attributes on the current span: the innermost workflow, task, agent or tool, else the request span.
 * Where the current span cannot be known (after an `await`, without an AsyncLocalStorage), the request span.
 */
export function setAttributes(attributes: Readonly<Record<string, AttributeValue | undefined>>): void {
  safely("setAttributes", () => currentSpan()?.setAttributes(attributes), undefined);
}

function currentSpan(): ModaSpan | undefined {
  const span = currentContext()?.span;
  if (span && !span.ended) return span;
  return resolveScope().root;
}

/**
 * Runs `fn` with association properties on every span below it (`traceloop.association.properties.<key>`),
 * merged with those already set outside: an inner key replaces the outer one, the other keys stay.
 */
export function withAssociationProperties<R>(properties: Readonly<Record<string, string>>, fn: () => R): R {
  return withValues(fn, (values) => ({
    ...values,
    associationProperties: { ...values.associationProperties, ...stringValues(properties) },
  }));
}

/**
 * Runs `fn` as part of conversation `conversationId`: every span below it carries it as `moda.conversation_id`
 * (and LLM spans as `gen_ai.conversation.id`), instead of the id derived from the messages. Innermost wins.
 */
export function withConversation<R>(conversationId: string, fn: () => R): R {
  if (!isId(conversationId, "withConversation")) return fn();
  return withValues(fn, (values) => ({ ...values, conversationId }));
}

/** Runs `fn` on behalf of user `userId`: every span below it carries `moda.user_id`. Innermost wins. */
export function withUser<R>(userId: string, fn: () => R): R {
  if (!isId(userId, "withUser")) return fn();
  return withValues(fn, (values) => ({ ...values, userId }));
}

/**
 * Runs `fn` with the Moda-managed prompt its LLM calls are made from: each LLM span below carries
 * `moda.prompt_key`, `moda.prompt_id`, `moda.prompt_version` and `moda.prompt_version_id` (those given). The
 * innermost wins whole. Calls started after an `await` inside `fn` carry it only where an AsyncLocalStorage
 * follows the call tree (docs/nesting.md); without one, those started in `fn`'s synchronous part do.
 */
export function withPrompt<R>(prompt: PromptReference, fn: () => R): R {
  const reference = safely("withPrompt", () => promptReference(prompt), undefined);
  if (!reference) {
    debug(resolveScope().config, "withPrompt() was given no key, id, version or versionId; the call runs without one");
    return fn();
  }
  return withValues(fn, (values) => ({ ...values, prompt: reference }));
}

/** The identifiers given (non-empty strings, finite version numbers), or undefined for none. */
function promptReference(prompt: PromptReference): PromptReference | undefined {
  const text = (value: unknown) => (typeof value === "string" && value !== "" ? value : undefined);
  const version =
    typeof prompt?.version === "number" && Number.isFinite(prompt.version) ? prompt.version : text(prompt?.version);
  const reference = { key: text(prompt?.key), id: text(prompt?.id), version, versionId: text(prompt?.versionId) };
  return Object.values(reference).some((value) => value !== undefined) ? reference : undefined;
}

/** Runs `fn` with the current context's values changed by `update`; the request and span stay as they are. */
function withValues<R>(fn: () => R, update: (values: ContextValues) => ContextValues): R {
  const current = currentContext();
  const context = safely("context values", () => ({ ...current, values: update(current?.values ?? {}) }), undefined);
  return context ? runInContext(context, fn) : fn();
}

/** A missing id (an anonymous user, say) must not break the request: the call runs without it. */
function isId(id: unknown, caller: string): id is string {
  if (typeof id === "string" && id !== "") return true;
  debug(resolveScope().config, `${caller}() was given ${kindOf(id)} instead of an id; the call runs without one`);
  return false;
}

/** What a value that is not an id is, without reading it: it may be anything, a Proxy that throws included. */
function kindOf(value: unknown): string {
  if (value === null) return "null";
  return value === "" ? "an empty string" : typeof value;
}

/** Association properties are strings; numbers and booleans are written as text, anything else is left out. */
function stringValues(properties: Readonly<Record<string, unknown>>): Record<string, string> {
  const strings: Record<string, string> = {};
  for (const [key, value] of Object.entries(properties ?? {})) {
    if (typeof value === "string") strings[key] = value;
    else if (typeof value === "number" || typeof value === "boolean") strings[key] = String(value);
  }
  return strings;
}
