import type { Attributes } from "@opentelemetry/api";
import { type ModaOptions, type ResolvedConfig, resolveConfig } from "../config/options";
import {
  ATTR_MODA_INCOMPLETE,
  ATTR_SERVICE_NAME,
  ATTR_TELEMETRY_SDK_LANGUAGE,
  ATTR_TELEMETRY_SDK_NAME,
  ATTR_TELEMETRY_SDK_VERSION,
} from "../semconv/core-attributes";
import { currentContext } from "./context";
import { debugOnce, warnOnce } from "./debug";
import { INSTRUMENTATION_SCOPE, type ModaSpan } from "./span";

type ScopeState = "active" | "flushing" | "done";

function resourceFor(config: ResolvedConfig): { attributes: Attributes } {
  return {
    attributes: {
      [ATTR_SERVICE_NAME]: config.serviceName,
      [ATTR_TELEMETRY_SDK_NAME]: INSTRUMENTATION_SCOPE.name,
      [ATTR_TELEMETRY_SDK_VERSION]: INSTRUMENTATION_SCOPE.version,
      [ATTR_TELEMETRY_SDK_LANGUAGE]: "js",
    },
  };
}

/**
 * Everything one request owns: its resolved config, its spans (open and ended), its root span and its
 * `waitUntil`. The isolate's background scope is one too, for spans made outside any request.
 */
export class RequestScope {
  readonly resource: { readonly attributes: Attributes };
  readonly limits: ResolvedConfig["limits"];
  /** Whether this scope's spans are recorded at all (key present, sampled in). */
  readonly recording: boolean;
  root: ModaSpan | undefined;
  state: ScopeState = "active";
  private ended: ModaSpan[] = [];
  private readonly open = new Set<ModaSpan>();
  /** Open spans that only wait for the caller to read an answer, and how to end them if nobody does. */
  private readonly unread = new Map<ModaSpan, () => void>();
  private idle: Array<() => void> = [];
  /** Spans not recorded past `maxSpansPerRequest`: counted on the request span when it is exported. */
  droppedSpans = 0;

  constructor(
    readonly config: ResolvedConfig,
    readonly waitUntil: ((promise: Promise<unknown>) => void) | undefined,
    recording: boolean,
  ) {
    this.resource = resourceFor(config);
    this.limits = config.limits;
    this.recording = recording;
  }

  get accepting(): boolean {
    return this.state !== "done";
  }

  /** Whether one more recording span fits in this scope's buffer. */
  admit(): boolean {
    if (this.open.size + this.ended.length < this.limits.maxSpansPerRequest) return true;
    this.droppedSpans++;
    warnOnce(
      "limit:maxSpansPerRequest",
      `a request went over limits.maxSpansPerRequest (${this.limits.maxSpansPerRequest}): its later spans are ` +
        "dropped, and counted on its request span (moda.request.spans_dropped). Raise the limit to keep them.",
    );
    return false;
  }

  spanStarted(span: ModaSpan): void {
    this.open.add(span);
  }

  spanEnded(span: ModaSpan): void {
    if (!this.open.delete(span)) return;
    if (this.unread.size > 0) this.unread.delete(span);
    if (this.state === "done") return; // exported already, marked incomplete
    this.ended.push(span);
    if (this.isIdle()) this.notifyIdle();
  }

  /**
   * Marks an open span as waiting only for the caller to read its answer (an API promise nobody awaited, a
   * streamed answer taken with `asResponse()`): the flush does not wait for it, and ends it with `endUnread`.
   */
  awaitReader(span: ModaSpan, endUnread: () => void): void {
    if (!this.open.has(span)) return;
    this.unread.set(span, endUnread);
    if (this.isIdle()) this.notifyIdle();
  }

  readerArrived(span: ModaSpan): void {
    this.unread.delete(span);
  }

  /** Ends the spans whose answer nobody read, as they are. */
  endUnread(): void {
    for (const end of [...this.unread.values()]) end();
  }

  /** Resolves once every open span of this scope waits only for a reader. */
  whenIdle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  /** Ends the spans still open, marked incomplete, so that they are exported as they are. */
  endOpenAsIncomplete(): void {
    for (const span of [...this.open]) {
      span.setAttribute(ATTR_MODA_INCOMPLETE, true);
      span.closer?.end();
      if (!span.ended) span.end();
    }
  }

  /** Takes ended spans of another scope, to be exported with this one's. */
  adopt(spans: ModaSpan[]): void {
    this.ended.push(...spans);
  }

  /** Hands over the ended spans and forgets them. */
  takeEnded(): ModaSpan[] {
    const spans = this.ended;
    this.ended = [];
    return spans;
  }

  private isIdle(): boolean {
    return this.open.size === this.unread.size;
  }

  get openCount(): number {
    return this.open.size;
  }

  private notifyIdle(): void {
    const waiting = this.idle;
    if (waiting.length === 0) return;
    this.idle = [];
    for (const resolve of waiting) resolve();
  }
}

const inFlight = new Set<RequestScope>();
let defaults: ModaOptions = {};
let generation = 0;
let background: RequestScope | undefined;

export function setDefaults(options: ModaOptions): void {
  defaults = options;
  generation++;
}

/** Changes whenever `init()` sets new defaults, so cached per-request configs are resolved again. */
export function defaultsGeneration(): number {
  return generation;
}

export function getDefaults(): ModaOptions {
  return defaults;
}

let backgroundGeneration = -1;

/**
 * The isolate's scope for spans made outside any request; made again (keeping its spans) after `init()`.
 * It records even without a key of its own: on Workers the key arrives with the first request's env, and
 * the next request's flush exports these spans with it. Its buffer is capped like a request's.
 */
export function backgroundScope(): RequestScope {
  if (!background || backgroundGeneration !== generation) {
    const config = resolveConfig(defaults);
    const previous = background;
    background = new RequestScope(config, undefined, true);
    backgroundGeneration = generation;
    if (previous) background.adopt(previous.takeEnded());
  }
  return background;
}

export function peekBackgroundScope(): RequestScope | undefined {
  return background;
}

export function beginRequestScope(config: ResolvedConfig, waitUntil: RequestScope["waitUntil"]): RequestScope {
  const sampled = config.sampleRate >= 1 || Math.random() < config.sampleRate;
  if (!config.enabled) {
    debugOnce(config, "no-key", "no API key (apiKey or MODA_API_KEY): tracing is a no-op and nothing is exported");
  }
  const scope = new RequestScope(config, waitUntil, config.enabled && sampled);
  inFlight.add(scope);
  return scope;
}

export function retireRequestScope(scope: RequestScope): void {
  scope.state = "done";
  inFlight.delete(scope);
}

/** The scope current right now (AsyncLocalStorage, or the synchronous part of a handler), if any. */
export function currentScope(): RequestScope | undefined {
  const scope = currentContext()?.scope;
  return scope?.accepting ? scope : undefined;
}

/**
 * The scope a new span belongs to, in the order docs/architecture.md gives: the current scope; the scope that was current
 * when the client was wrapped (`hint`); the only scope in flight; the background scope.
 */
export function resolveScope(hint?: RequestScope): RequestScope {
  const current = currentScope();
  if (current) return current;
  if (hint?.accepting) return hint;
  if (inFlight.size === 1) {
    const [only] = inFlight;
    if (only?.accepting) return only;
  }
  return backgroundScope();
}
