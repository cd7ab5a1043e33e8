/**
 * The parts of workerd's `cloudflare:workers` module the test Workers use. The real types (@cloudflare/workers-types)
 * redefine the DOM's `Request` and `Response`, which the rest of this project type-checks against.
 */
declare module "cloudflare:workers" {
  export interface ExecutionContextLike {
    waitUntil(promise: Promise<unknown>): void;
  }
  export interface DurableObjectStateLike extends ExecutionContextLike {
    readonly id: { toString(): string };
    readonly storage: {
      setAlarm(time: number): Promise<void>;
      get<T>(key: string): Promise<T | undefined>;
      put(key: string, value: unknown): Promise<void>;
    };
    acceptWebSocket(ws: WebSocket): void;
  }
  export abstract class DurableObject<Env = unknown> {
    protected readonly ctx: DurableObjectStateLike;
    protected readonly env: Env;
    constructor(ctx: DurableObjectStateLike, env: Env);
  }
  export abstract class WorkerEntrypoint<Env = unknown> {
    protected readonly ctx: ExecutionContextLike;
    protected readonly env: Env;
    constructor(ctx: ExecutionContextLike, env: Env);
  }
  export interface WorkflowEvent<P> {
    readonly payload: P;
    readonly timestamp: Date;
    readonly instanceId: string;
  }
  export interface WorkflowStep {
    do<T>(name: string, callback: () => Promise<T>): Promise<T>;
    do<T>(name: string, config: object, callback: () => Promise<T>): Promise<T>;
    sleep(name: string, duration: string | number): Promise<void>;
  }
  export abstract class WorkflowEntrypoint<Env = unknown, P = unknown> {
    protected readonly ctx: ExecutionContextLike;
    protected readonly env: Env;
    constructor(ctx: ExecutionContextLike, env: Env);
    abstract run(event: WorkflowEvent<P>, step: WorkflowStep): Promise<unknown>;
  }
}

/** workerd's global pair of connected WebSockets. */
declare class WebSocketPair {
  0: WebSocket;
  1: WebSocket;
}

/** workerd's global scheduler. */
declare const scheduler: { wait(ms: number): Promise<void> };
