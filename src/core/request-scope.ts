import type { Attributes } from "@opentelemetry/api";
import type { ResolvedConfig } from "../config/options";
import {
  ATTR_MODA_INCOMPLETE,
  ATTR_SERVICE_NAME,
  ATTR_SERVICE_VERSION,
  ATTR_TELEMETRY_SDK_LANGUAGE,
  ATTR_TELEMETRY_SDK_NAME,
  ATTR_TELEMETRY_SDK_VERSION,
} from "../semconv/core-attributes";
import { warnOnce } from "./debug";
import { INSTRUMENTATION_SCOPE, type ModaSpan, type SpanOwner } from "./span";

type ScopeState = "active" | "flushing" | "done";

function resourceFor(config: ResolvedConfig): { attributes: Attributes } {
  return {
    attributes: {
      [ATTR_SERVICE_NAME]: config.serviceName,
      ...(config.serviceVersion ? { [ATTR_SERVICE_VERSION]: config.serviceVersion } : {}),
      [ATTR_TELEMETRY_SDK_NAME]: INSTRUMENTATION_SCOPE.name,
      [ATTR_TELEMETRY_SDK_VERSION]: INSTRUMENTATION_SCOPE.version,
      [ATTR_TELEMETRY_SDK_LANGUAGE]: "js",
    },
  };
}

export interface ScopeOptions {
  /** The platform's `waitUntil`, for the flush of a request. */
  readonly waitUntil?: (promise: Promise<unknown>) => void;
  /** Whether the scope's spans are recorded at all (key present). */
  readonly recording: boolean;
  /** The request's sampling draw, made as it begins; applies only if it ends healthy. Default true. */
  readonly drawnIn?: boolean;
  /**
   * A scope that is no request of its own (the background, a request's late spans, spans of unknown requests
   * under settings every request shares): each trace started in it is sampled on its own.
   */
  readonly samplesEachTrace?: boolean;
}

/**
 * The buffer of everything one request owns: its resolved config, its spans (open and ended), its root span
 * and its `waitUntil`. Spans that belong to no request in flight are buffered in scopes of the same kind
 * (core/scopes-in-flight.ts); which scope a span goes to is core/scope-lookup.ts's job.
 */
export class RequestScope implements SpanOwner {
  readonly resource: { readonly attributes: Attributes };
  readonly limits: ResolvedConfig["limits"];
  readonly waitUntil: ((promise: Promise<unknown>) => void) | undefined;
  readonly recording: boolean;
  readonly samplesEachTrace: boolean;
  readonly drawnIn: boolean;
  /**
   * Whether it recorded a span beside the adapter's own (an LLM call, an entity, other OpenTelemetry code) or
   * handed its trace on to another service.
   */
  holdsWork = false;
  /** Whether one of its spans was set to error (an LLM error, an HTTP 5xx, a thrown handler error). */
  failed = false;
  /** Whether its flush left it out of the export (see policy/request-export.ts): its late spans are not recorded. */
  leftOut = false;
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
    options: ScopeOptions,
  ) {
    this.resource = resourceFor(config);
    this.limits = config.limits;
    this.waitUntil = options.waitUntil;
    this.recording = options.recording;
    this.samplesEachTrace = options.samplesEachTrace ?? false;
    this.drawnIn = options.drawnIn ?? true;
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

  spanFailed(): void {
    this.failed = true;
  }

  traceHandedOn(): void {
    this.holdsWork = true;
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
      span.closer?.endOpen();
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

  /** Whether every open span waits only for a reader. */
  isIdle(): boolean {
    return this.open.size === this.unread.size;
  }

  get endedCount(): number {
    return this.ended.length;
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
