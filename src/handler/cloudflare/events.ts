import type { Attributes } from "@opentelemetry/api";
import { SpanKind } from "../../core/otel";
import {
  ATTR_CLOUD_PROVIDER,
  ATTR_CODE_NAMESPACE,
  ATTR_FAAS_CRON,
  ATTR_FAAS_TRIGGER,
  ATTR_MESSAGING_BATCH_MESSAGE_COUNT,
  ATTR_MESSAGING_DESTINATION_NAME,
  ATTR_MESSAGING_SYSTEM,
  ATTR_RPC_METHOD,
  ATTR_RPC_SERVICE,
  ATTR_RPC_SYSTEM,
} from "../../semconv/core-attributes";
import { describeRequest } from "../http-attributes";
import type { Invocation } from "../invocation";
import { rpcParent } from "./rpc-parent";
import { workflowTraceId } from "./workflow-trace-id";

/** What a traced member's call is, read from its arguments. */
export type Description = Pick<Invocation, "name" | "kind" | "attributes" | "remoteParent" | "traceId">;

/** The class a member belongs to ("" for an `ExportedHandler` object). */
export type Describe = (args: readonly unknown[], className: string) => Description;

function cloudflare(className: string, attributes: Attributes): Attributes {
  return {
    [ATTR_CLOUD_PROVIDER]: "cloudflare",
    ...(className ? { [ATTR_CODE_NAMESPACE]: className } : {}),
    ...attributes,
  };
}

export const describeFetch: Describe = ([request], className) => {
  const described = describeRequest(request as Request);
  return { ...described, attributes: cloudflare(className, described.attributes) };
};

export const describeScheduled: Describe = ([controller], className) => {
  const cron = (controller as { cron?: string } | undefined)?.cron;
  const attributes = cloudflare(className, {
    [ATTR_FAAS_TRIGGER]: "timer",
    ...(cron ? { [ATTR_FAAS_CRON]: cron } : {}),
  });
  return { name: cron ? `scheduled ${cron}` : "scheduled", kind: SpanKind.INTERNAL, attributes };
};

export const describeQueue: Describe = ([batch], className) => {
  const { queue, messages } = (batch ?? {}) as { queue?: string; messages?: unknown[] };
  const attributes = cloudflare(className, {
    [ATTR_FAAS_TRIGGER]: "pubsub",
    [ATTR_MESSAGING_SYSTEM]: "cloudflare_queues",
    ...(queue ? { [ATTR_MESSAGING_DESTINATION_NAME]: queue } : {}),
    ...(Array.isArray(messages) ? { [ATTR_MESSAGING_BATCH_MESSAGE_COUNT]: messages.length } : {}),
  });
  return { name: queue ? `process ${queue}` : "process", kind: SpanKind.CONSUMER, attributes };
};

/** An incoming email: the addresses are personal data and stay out; the size is kept. */
export const describeEmail: Describe = ([message], className) => {
  const size = (message as { rawSize?: unknown } | undefined)?.rawSize;
  const attributes = cloudflare(className, {
    [ATTR_FAAS_TRIGGER]: "other",
    ...(typeof size === "number" ? { "email.message.size": size } : {}),
  });
  return { name: "email", kind: SpanKind.CONSUMER, attributes };
};

export const describeAlarm: Describe = ([alarmInfo], className) => {
  const retryCount = (alarmInfo as { retryCount?: unknown } | undefined)?.retryCount;
  const attributes = cloudflare(className, {
    [ATTR_FAAS_TRIGGER]: "timer",
    ...(typeof retryCount === "number" ? { "cloudflare.alarm.retry_count": retryCount } : {}),
  });
  return { name: `${className}.alarm`, kind: SpanKind.INTERNAL, attributes };
};

/** `webSocketMessage`, `webSocketClose`, `webSocketError` of a Durable Object (hibernatable WebSockets). */
export function describeWebSocket(event: string): Describe {
  return (_args, className) => ({
    name: `${className}.${event}`,
    kind: SpanKind.SERVER,
    attributes: cloudflare(className, { [ATTR_FAAS_TRIGGER]: "other" }),
  });
}

/** An RPC call on a stub; it continues the caller's trace when its last argument is `traceHeaders()`. */
export function describeRpc(method: string): Describe {
  return (args, className) => ({
    name: `${className}/${method}`,
    kind: SpanKind.SERVER,
    attributes: cloudflare(className, {
      [ATTR_RPC_SYSTEM]: "cloudflare_workers",
      [ATTR_RPC_SERVICE]: className,
      [ATTR_RPC_METHOD]: method,
    }),
    remoteParent: rpcParent(args),
  });
}

/** A Workflow's `run`: every run of one instance goes into the instance's trace. */
export const describeWorkflowRun: Describe = ([event], className) => {
  const instanceId = (event as { instanceId?: unknown } | undefined)?.instanceId;
  const known = typeof instanceId === "string" && instanceId !== "";
  return {
    name: `${className}.run`,
    kind: SpanKind.INTERNAL,
    attributes: cloudflare(className, known ? { "cloudflare.workflow.instance_id": instanceId } : {}),
    ...(known ? { traceId: workflowTraceId(instanceId) } : {}),
  };
};
