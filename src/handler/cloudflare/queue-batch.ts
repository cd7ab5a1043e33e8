import type { ModaSpan } from "../../core/span";
import { ATTR_MESSAGING_MESSAGE_ID } from "../../semconv/core-attributes";

interface MessageLike {
  readonly id?: string;
  readonly attempts?: number;
}

interface BatchLike {
  readonly messages?: readonly MessageLike[];
}

const ATTR_ATTEMPTS = "cloudflare.queue.message.attempts";
const ATTR_DELAY = "cloudflare.queue.retry.delay_seconds";
const ATTR_ACKED = "cloudflare.queue.acked_count";
const ATTR_RETRIED = "cloudflare.queue.retried_count";

function delayOf(options: unknown): { [ATTR_DELAY]?: number } {
  const delay = (options as { delaySeconds?: unknown } | undefined)?.delaySeconds;
  return typeof delay === "number" ? { [ATTR_DELAY]: delay } : {};
}

function count(span: ModaSpan, attribute: string): void {
  span.setAttribute(attribute, Number(span.attributes[attribute] ?? 0) + 1);
}

/** A member of `target` that records on `span` before it calls the original. */
function recording(target: object, key: PropertyKey, record: (args: unknown[]) => void): unknown {
  const original = Reflect.get(target, key, target);
  if (typeof original !== "function") return original;
  return (...args: unknown[]) => {
    record(args);
    return Reflect.apply(original, target, args);
  };
}

/** Forwards everything else to `target` itself (a runtime object: its methods need it as `this`). */
function forward(target: object, key: PropertyKey): unknown {
  const value = Reflect.get(target, key, target);
  return typeof value === "function" ? (...args: unknown[]) => Reflect.apply(value, target, args) : value;
}

function observeMessage(message: MessageLike, span: ModaSpan): MessageLike {
  const id = { [ATTR_MESSAGING_MESSAGE_ID]: message.id ?? "" };
  return new Proxy(message, {
    get(target, key) {
      if (key === "ack")
        return recording(target, key, () => {
          span.addEvent("ack", id);
          count(span, ATTR_ACKED);
        });
      if (key === "retry")
        return recording(target, key, ([options]) => {
          span.addEvent("retry", { ...id, ...delayOf(options) });
          count(span, ATTR_RETRIED);
        });
      return forward(target, key);
    },
  });
}

/**
 * The batch the queue handler is given, with each message listed on the batch's span (its id and attempts) and
 * every `ack`/`retry`, `ackAll`/`retryAll` recorded there as it is called. The messages themselves are untouched.
 */
export function observeBatch<B>(batch: B, span: ModaSpan): B {
  const messages = (batch as BatchLike | undefined)?.messages;
  if (!Array.isArray(messages)) return batch;
  for (const message of messages) {
    span.addEvent("message", {
      [ATTR_MESSAGING_MESSAGE_ID]: message.id ?? "",
      ...(typeof message.attempts === "number" ? { [ATTR_ATTEMPTS]: message.attempts } : {}),
    });
  }
  const observed = messages.map((message) => observeMessage(message, span));
  return new Proxy(batch as object, {
    get(target, key) {
      if (key === "messages") return observed;
      if (key === "ackAll") return recording(target, key, () => span.addEvent("ackAll"));
      if (key === "retryAll") return recording(target, key, ([options]) => span.addEvent("retryAll", delayOf(options)));
      return forward(target, key);
    },
  }) as B;
}
