import type { HandlerConfig } from "../../config/handler-config";
import { type Invocation, type Started, traceEvent, traceFetch } from "../invocation";
import { waitUntilOf } from "../wait-until";
import {
  type Describe,
  describeAlarm,
  describeEmail,
  describeFetch,
  describeQueue,
  describeRpc,
  describeScheduled,
  describeWebSocket,
  describeWorkflowRun,
} from "./events";
import { observeBatch } from "./queue-batch";
import { traceWorkflowStep } from "./workflow-step";

/** A member the runtime calls, and how its calls are traced. */
export interface TracedMember {
  readonly describe: Describe;
  /** The call ends with its response's body (fetch), not when it settles. */
  readonly fetchLike?: boolean;
  /** The arguments the member is given once its root span exists (a queue batch, a Workflow step, observed). */
  readonly observe?: (args: unknown[], started: Started) => unknown[];
}

const FETCH: TracedMember = { describe: describeFetch, fetchLike: true };
const QUEUE: TracedMember = {
  describe: describeQueue,
  observe: ([batch, ...rest], started) => [observeBatch(batch, started.root), ...rest],
};

/** The members of a Workers `ExportedHandler` (and of a `WorkerEntrypoint`) that the runtime calls. */
export const HANDLER_MEMBERS: Readonly<Record<string, TracedMember>> = {
  fetch: FETCH,
  scheduled: { describe: describeScheduled },
  queue: QUEUE,
  email: { describe: describeEmail },
};

/** The members of a Durable Object the runtime calls, besides its RPC methods. */
export const DURABLE_OBJECT_MEMBERS: Readonly<Record<string, TracedMember>> = {
  fetch: FETCH,
  alarm: { describe: describeAlarm },
  webSocketMessage: { describe: describeWebSocket("webSocketMessage") },
  webSocketClose: { describe: describeWebSocket("webSocketClose") },
  webSocketError: { describe: describeWebSocket("webSocketError") },
};

export const WORKFLOW_MEMBERS: Readonly<Record<string, TracedMember>> = {
  run: {
    describe: describeWorkflowRun,
    observe: ([event, step, ...rest], started) => [
      event,
      // An RPC stub: a function, to JavaScript.
      (typeof step === "object" && step !== null) || typeof step === "function"
        ? traceWorkflowStep(step, started)
        : step,
      ...rest,
    ],
  },
};

export function rpcMember(method: string): TracedMember {
  return { describe: describeRpc(method) };
}

/** Where a call's config and `waitUntil` come from: the Worker's `env` and its `ctx` (or a Durable Object's state). */
export interface Bindings {
  readonly config: HandlerConfig;
  readonly env: unknown;
  readonly ctx: unknown;
}

/**
 * One traced call of a member: a root span in a new request scope, exported through `ctx.waitUntil`. `call` runs
 * the original member with the arguments it is to get.
 */
export function traceMemberCall<R>(
  member: TracedMember,
  className: string,
  args: unknown[],
  bindings: Bindings,
  call: (args: unknown[], started?: Started) => R,
): R {
  const invocation: Invocation = {
    config: bindings.config,
    env: bindings.env,
    waitUntil: waitUntilOf(bindings.ctx),
    ...member.describe(args, className),
  };
  const observe = member.observe;
  if (member.fetchLike) return traceFetch(invocation, (started) => call(args, started) as Response) as R;
  return traceEvent(invocation, (started) => call(started && observe ? observe(args, started) : args, started));
}
