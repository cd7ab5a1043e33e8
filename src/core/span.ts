import type {
  Attributes,
  AttributeValue,
  Exception,
  HrTime,
  Link,
  Span,
  SpanAttributes,
  SpanContext,
  SpanKind,
  SpanStatus,
  TimeInput,
} from "@opentelemetry/api";
import type { ResolvedConfig } from "../config/options";
import {
  ATTR_EXCEPTION_MESSAGE,
  ATTR_EXCEPTION_STACKTRACE,
  ATTR_EXCEPTION_TYPE,
  EVENT_EXCEPTION,
} from "../semconv/core-attributes";
import { takeAttributes, takeAttributeValue } from "./attribute-values";
import { warnOnce } from "./debug";
import { SpanStatusCode } from "./otel";
import { toHrTime } from "./time";

export interface TimedEvent {
  readonly name: string;
  readonly time: HrTime;
  readonly attributes?: Attributes;
  readonly droppedAttributesCount?: number;
}

/**
 * What a span belongs to: its request's buffer (core/request-scope.ts), declared here so that the span does not
 * import the buffer that imports it.
 */
export interface SpanOwner {
  readonly config: ResolvedConfig;
  readonly resource: { readonly attributes: Attributes };
  readonly limits: ResolvedConfig["limits"];
  /** The request span, where the owner is a request. */
  readonly root: ModaSpan | undefined;
  /** Spans not recorded past `maxSpansPerRequest`, counted on the request span at export. */
  readonly droppedSpans: number;
  spanEnded(span: ModaSpan): void;
  /** One of its spans was set to error: the request is exported whatever its sampling draw. */
  spanFailed(): void;
  /** Its trace goes on in another service (`traceHeaders()`): the request is exported, the callee's parent. */
  traceHandedOn(): void;
  /** The span waits only for the caller to read its answer; `endUnread` ends it if nobody does. */
  awaitReader(span: ModaSpan, endUnread: () => void): void;
  readerArrived(span: ModaSpan): void;
}

export interface SpanInit {
  readonly name: string;
  readonly kind: SpanKind;
  readonly context: SpanContext;
  readonly parent?: SpanContext;
  readonly recording: boolean;
  readonly owner: SpanOwner;
  readonly attributes?: Attributes;
  readonly links?: Link[];
  readonly startTime?: TimeInput;
}

/** What ends a span with what it knows, when the flush cannot wait for it (an LLM call's span, with the call). */
export interface SpanCloser {
  endOpen(): void;
}

/** Work that completes an ended span's attributes, run by the flush: `describe` hands `complete` what it adds. */
export interface SpanDescriber {
  describe(complete: (completion: SpanCompletion) => void): Promise<void>;
}

/** What deferred work adds to an ended span. */
export interface SpanCompletion {
  readonly name: string;
  readonly attributes: Attributes;
  readonly droppedAttributesCount: number;
  readonly status: SpanStatus;
}

export const INSTRUMENTATION_SCOPE = { name: "moda-edge", version: "0.1.0" } as const;

/**
 * Shared by every span until it has its own (spans are many, most never get links or events): a span's status,
 * end time, links and events are replaced, never changed in place, while shared.
 */
const UNSET_STATUS: SpanStatus = Object.freeze({ code: SpanStatusCode.UNSET });
const NOT_ENDED = Object.freeze([0, 0]) as unknown as HrTime;
const NO_LINKS = Object.freeze([]) as unknown as Link[];
const NO_EVENTS = Object.freeze([]) as unknown as TimedEvent[];

/**
 * A span that implements the `@opentelemetry/api` Span (so any OTel-instrumented code can use it) and the
 * shape the OTLP encoders read (`ExportableSpan`, part of the SDK's ReadableSpan).
 */
export class ModaSpan implements Span {
  name: string;
  readonly kind: SpanKind;
  readonly parentSpanContext: SpanContext | undefined;
  readonly startTime: HrTime;
  endTime: HrTime = NOT_ENDED;
  ended = false;
  status: SpanStatus = UNSET_STATUS;
  attributes: Record<string, AttributeValue> = {};
  links: Link[] = NO_LINKS;
  events: TimedEvent[] = NO_EVENTS;
  droppedAttributesCount = 0;
  droppedEventsCount = 0;
  droppedLinksCount = 0;
  readonly instrumentationScope = INSTRUMENTATION_SCOPE;
  private readonly context: SpanContext;
  private readonly recording: boolean;
  readonly owner: SpanOwner;
  private attributeCount = 0;
  private describer: SpanDescriber | undefined;
  /** Ends this span with what it knows, should the flush stop waiting for it; else it just ends. */
  closer: SpanCloser | undefined;

  constructor(init: SpanInit) {
    this.name = init.name;
    this.kind = init.kind;
    this.context = init.context;
    this.parentSpanContext = init.parent;
    this.recording = init.recording;
    this.owner = init.owner;
    this.startTime = toHrTime(init.startTime);
    if (init.recording && init.links) this.addLinks(init.links);
    if (init.attributes) this.setAttributes(init.attributes);
  }

  get resource(): { readonly attributes: Attributes } {
    return this.owner.resource;
  }

  spanContext(): SpanContext {
    return this.context;
  }

  isRecording(): boolean {
    return this.recording && !this.ended;
  }

  setAttribute(key: string, value: AttributeValue | undefined): this {
    if (this.isRecording()) this.writeAttribute(key, value);
    return this;
  }

  /**
   * Keeps the value within the count, key and array limits; strings are kept whole until the flush caps them
   * (policy/), so that the request path pays nothing for a long value.
   */
  private writeAttribute(key: string, value: AttributeValue | undefined): void {
    if (value === undefined || value === null) return;
    const limits = this.owner.limits;
    const isNew = !(key in this.attributes);
    if (isNew && (this.attributeCount >= limits.maxAttributesPerSpan || key.length > limits.maxNameLength)) {
      this.droppedAttributesCount++;
      warnDropped(key.length > limits.maxNameLength ? "maxNameLength" : "maxAttributesPerSpan");
      return;
    }
    const taken = takeAttributeValue(value, limits.maxArrayLength);
    if (taken.cut) {
      this.droppedAttributesCount++;
      warnDropped("maxArrayLength");
    }
    if (taken.value === undefined) return;
    if (isNew) this.attributeCount++;
    this.attributes[key] = taken.value;
  }

  /**
   * Deferred attributes: taken as the span's own object when it has none yet and they are within the count,
   * since copying some fifty attributes into a fresh object was the largest garbage of an LLM span's flush.
   * The describer writes well-formed values; the flush caps them like any other.
   */
  private addCompletedAttributes(attributes: Attributes): void {
    const keys = Object.keys(attributes);
    if (this.attributeCount === 0 && keys.length <= this.owner.limits.maxAttributesPerSpan) {
      this.attributes = attributes as Record<string, AttributeValue>;
      this.attributeCount = keys.length;
      return;
    }
    for (const key of keys) this.writeAttribute(key, attributes[key]);
  }

  setAttributes(attributes: SpanAttributes): this {
    for (const [key, value] of Object.entries(attributes)) this.setAttribute(key, value);
    return this;
  }

  addEvent(name: string, attributesOrTime?: SpanAttributes | TimeInput, time?: TimeInput): this {
    if (!this.isRecording()) return this;
    const limits = this.owner.limits;
    if (this.events.length >= limits.maxEventsPerSpan) {
      this.droppedEventsCount++;
      warnDropped("maxEventsPerSpan");
      return this;
    }
    const isTime =
      typeof attributesOrTime === "number" || Array.isArray(attributesOrTime) || attributesOrTime instanceof Date;
    const taken = takeAttributes(isTime ? undefined : (attributesOrTime as Attributes | undefined), {
      maxCount: limits.maxAttributesPerEvent,
      maxKeyLength: limits.maxNameLength,
      maxArrayLength: limits.maxArrayLength,
    });
    if (taken.dropped > 0) warnDropped("maxAttributesPerEvent");
    if (this.events === NO_EVENTS) this.events = [];
    this.events.push({
      name,
      time: toHrTime(isTime ? (attributesOrTime as TimeInput) : time),
      attributes: taken.attributes,
      droppedAttributesCount: taken.dropped,
    });
    return this;
  }

  addLink(link: Link): this {
    if (!this.isRecording()) return this;
    const limits = this.owner.limits;
    if (this.links.length >= limits.maxLinksPerSpan) {
      this.droppedLinksCount++;
      warnDropped("maxLinksPerSpan");
      return this;
    }
    if (this.links === NO_LINKS) this.links = [];
    this.links.push(takeLink(link, limits));
    return this;
  }

  addLinks(links: Link[]): this {
    for (const link of links) this.addLink(link);
    return this;
  }

  setStatus(status: SpanStatus): this {
    if (!this.isRecording() || this.status.code === SpanStatusCode.OK) return this;
    if (status.code === SpanStatusCode.ERROR) this.owner.spanFailed();
    this.status =
      status.code === SpanStatusCode.ERROR ? { code: status.code, message: status.message } : { code: status.code };
    return this;
  }

  updateName(name: string): this {
    if (this.isRecording()) this.name = name;
    return this;
  }

  recordException(exception: Exception, time?: TimeInput): void {
    if (!this.isRecording()) return;
    const attributes: Attributes = {};
    if (typeof exception === "string") {
      attributes[ATTR_EXCEPTION_MESSAGE] = exception;
    } else if (exception) {
      const type = exception.name ?? (exception.code !== undefined ? String(exception.code) : undefined);
      if (type) attributes[ATTR_EXCEPTION_TYPE] = type;
      if (exception.message) attributes[ATTR_EXCEPTION_MESSAGE] = exception.message;
      if (exception.stack) attributes[ATTR_EXCEPTION_STACKTRACE] = exception.stack;
    }
    this.addEvent(EVENT_EXCEPTION, attributes, time);
  }

  /**
   * Work that completes the span's attributes after it has ended, run by the flush (after the response) rather
   * than on the request's path: describing an LLM call serializes its messages and hashes its conversation id.
   */
  completeLater(describer: SpanDescriber): void {
    if (this.recording) this.describer = describer;
  }

  /** Runs the deferred work, once; never rejects. */
  async complete(): Promise<void> {
    const describer = this.describer;
    this.describer = undefined;
    if (!describer) return;
    try {
      await describer.describe((completion) => {
        this.name = completion.name;
        this.addCompletedAttributes(completion.attributes);
        this.droppedAttributesCount += completion.droppedAttributesCount;
        this.status = completion.status;
      });
    } catch {
      // The span goes out with what it has.
    }
  }

  end(endTime?: TimeInput): void {
    if (this.ended) return;
    this.endTime = toHrTime(endTime);
    if (
      this.endTime[0] < this.startTime[0] ||
      (this.endTime[0] === this.startTime[0] && this.endTime[1] < this.startTime[1])
    ) {
      this.endTime = this.startTime;
    }
    this.ended = true;
    if (this.recording) this.owner.spanEnded(this);
  }
}

/** A link's attributes copied within the limits; what was left out counted on the link. */
function takeLink(link: Link, limits: ModaSpan["owner"]["limits"]): Link {
  const taken = takeAttributes(link.attributes, {
    maxCount: limits.maxAttributesPerLink,
    maxKeyLength: limits.maxNameLength,
    maxArrayLength: limits.maxArrayLength,
  });
  if (taken.dropped > 0) warnDropped("maxAttributesPerLink");
  return {
    context: link.context,
    attributes: taken.attributes,
    droppedAttributesCount: (link.droppedAttributesCount ?? 0) + taken.dropped,
  };
}

/** Says once, whatever `debug` says, that a limit dropped data, and which one to raise. */
export function warnDropped(limit: string): void {
  warnOnce(
    `limit:${limit}`,
    `a span went over limits.${limit}: what did not fit was dropped or cut, and counted in the span's dropped ` +
      `counts. Raise limits.${limit} to keep more.`,
  );
}
