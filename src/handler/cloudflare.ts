import type { HandlerConfig } from "../config/handler-config";
import { SpanKind } from "../core/otel";
import {
  ATTR_CLOUD_PROVIDER,
  ATTR_FAAS_CRON,
  ATTR_FAAS_TRIGGER,
  ATTR_MESSAGING_BATCH_MESSAGE_COUNT,
  ATTR_MESSAGING_DESTINATION_NAME,
  ATTR_MESSAGING_SYSTEM,
} from "../semconv/core-attributes";
import { describeRequest } from "./http-attributes";
import { type Invocation, traceEvent, traceFetch } from "./invocation";

/** The parts of a Workers `ExecutionContext` the tracer uses. */
interface ExecutionContextLike {
  waitUntil(promise: Promise<unknown>): void;
}

type Member = (this: unknown, input: unknown, env: unknown, ctx: ExecutionContextLike | undefined) => unknown;

function waitUntilOf(ctx: ExecutionContextLike | undefined): Invocation["waitUntil"] {
  return typeof ctx?.waitUntil === "function" ? (promise) => ctx.waitUntil(promise) : undefined;
}

type Describe = (input: unknown) => Pick<Invocation, "name" | "kind" | "attributes" | "remoteParent">;

const CLOUDFLARE = { [ATTR_CLOUD_PROVIDER]: "cloudflare" };

function describeFetch(input: unknown) {
  const request = describeRequest(input as Request);
  return { ...request, attributes: { ...CLOUDFLARE, ...request.attributes } };
}

function describeScheduled(input: unknown) {
  const cron = (input as { cron?: string } | undefined)?.cron;
  const attributes = { ...CLOUDFLARE, [ATTR_FAAS_TRIGGER]: "timer", ...(cron ? { [ATTR_FAAS_CRON]: cron } : {}) };
  return { name: cron ? `scheduled ${cron}` : "scheduled", kind: SpanKind.INTERNAL, attributes };
}

function describeQueue(input: unknown) {
  const batch = input as { queue?: string; messages?: unknown[] } | undefined;
  const attributes = {
    ...CLOUDFLARE,
    [ATTR_FAAS_TRIGGER]: "pubsub",
    [ATTR_MESSAGING_SYSTEM]: "cloudflare_queues",
    ...(batch?.queue ? { [ATTR_MESSAGING_DESTINATION_NAME]: batch.queue } : {}),
    ...(Array.isArray(batch?.messages) ? { [ATTR_MESSAGING_BATCH_MESSAGE_COUNT]: batch.messages.length } : {}),
  };
  return { name: batch?.queue ? `process ${batch.queue}` : "process", kind: SpanKind.CONSUMER, attributes };
}

function describeEmail() {
  return { name: "email", kind: SpanKind.CONSUMER, attributes: { ...CLOUDFLARE, [ATTR_FAAS_TRIGGER]: "other" } };
}

const TRACED_MEMBERS: Record<string, { describe: Describe; fetchLike: boolean }> = {
  fetch: { describe: describeFetch, fetchLike: true },
  scheduled: { describe: describeScheduled, fetchLike: false },
  queue: { describe: describeQueue, fetchLike: false },
  email: { describe: describeEmail, fetchLike: false },
};

function traceMember(
  member: Member,
  traced: { describe: Describe; fetchLike: boolean },
  config: HandlerConfig,
): Member {
  return function tracedMember(this: unknown, input, env, ctx) {
    const invocation: Invocation = { config, env, waitUntil: waitUntilOf(ctx), ...traced.describe(input) };
    const run = member.bind(this, input, env, ctx);
    return traced.fetchLike ? traceFetch(invocation, run as () => Promise<Response>) : traceEvent(invocation, run);
  };
}

/**
 * Wraps a Workers `ExportedHandler`: `fetch`, `scheduled`, `queue` and `email` are traced, every other
 * member is passed through untouched. The returned object keeps the handler's prototype.
 */
export function instrumentExportedHandler<H extends object>(handler: H, config: HandlerConfig): H {
  const instrumented = Object.create(Object.getPrototypeOf(handler)) as H;
  for (const key of Reflect.ownKeys(handler)) {
    const descriptor = Object.getOwnPropertyDescriptor(handler, key) as PropertyDescriptor;
    const traced = typeof key === "string" ? TRACED_MEMBERS[key] : undefined;
    if (traced && typeof descriptor.value === "function") {
      descriptor.value = traceMember(descriptor.value as Member, traced, config);
    }
    Object.defineProperty(instrumented, key, descriptor);
  }
  return instrumented;
}
