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
import { truncationMark } from "../policy/content-policy";
import {
  ATTR_EXCEPTION_MESSAGE,
  ATTR_EXCEPTION_STACKTRACE,
  ATTR_EXCEPTION_TYPE,
  EVENT_EXCEPTION,
} from "../semconv/core-attributes";
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
  spanEnded(span: ModaSpan): void;
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
  end(): void;
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

/** Cuts a string longer than `max` characters to `max`, the cut visible in the value. */
function truncate(value: string, max: number): string {
  return value.slice(0, max) + truncationMark(value.length - max);
}

function isPrimitive(value: unknown): value is string | number | boolean {
  const type = typeof value;
  return type === "string" || type === "number" || type === "boolean";
}

/** A value kept as it is: a string within `maxLength`, a number, a boolean, or an array of those (nulls allowed). */
function keptAsIs(value: AttributeValue, maxLength: number): boolean {
  if (typeof value === "string") return value.length <= maxLength;
  return isPrimitive(value) || (Array.isArray(value) && value.every((v) => v == null || isPrimitive(v)));
}

/** Whether every attribute named in `keys` has a value kept as it is. */
function allKeptAsIs(attributes: Attributes, keys: readonly string[], maxLength: number): boolean {
  for (const key of keys) {
    const value = attributes[key];
    if (value === undefined || value === null || !keptAsIs(value, maxLength)) return false;
  }
  return true;
}

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
  links: Link[];
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
    this.links = init.recording && init.links ? [...init.links] : NO_LINKS;
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

  private writeAttribute(key: string, value: AttributeValue | undefined): void {
    if (value === undefined || value === null) return;
    const limits = this.owner.limits;
    const isNew = !(key in this.attributes);
    if (isNew && this.attributeCount >= limits.maxAttributesPerSpan) {
      this.droppedAttributesCount++;
      return;
    }
    if (isNew) this.attributeCount++;
    if (keptAsIs(value, limits.maxAttributeLength)) {
      this.attributes[key] = value;
    } else if (typeof value === "string") {
      this.attributes[key] = truncate(value, limits.maxAttributeLength);
      this.droppedAttributesCount++;
    } else {
      this.droppedAttributesCount++;
    }
  }

  /**
   * Deferred attributes: taken as the span's own object when it has none yet and all fit the limits as they are,
   * since copying some fifty attributes into a fresh object was the largest garbage of an LLM span's flush.
   */
  private addCompletedAttributes(attributes: Attributes): void {
    const keys = Object.keys(attributes);
    const { maxAttributesPerSpan, maxAttributeLength } = this.owner.limits;
    if (
      this.attributeCount === 0 &&
      keys.length <= maxAttributesPerSpan &&
      allKeptAsIs(attributes, keys, maxAttributeLength)
    ) {
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
    const isTime =
      typeof attributesOrTime === "number" || Array.isArray(attributesOrTime) || attributesOrTime instanceof Date;
    if (this.events === NO_EVENTS) this.events = [];
    this.events.push({
      name,
      time: toHrTime(isTime ? (attributesOrTime as TimeInput) : time),
      attributes: isTime ? undefined : (attributesOrTime as Attributes | undefined),
    });
    return this;
  }

  addLink(link: Link): this {
    if (!this.isRecording()) return this;
    if (this.links === NO_LINKS) this.links = [];
    this.links.push(link);
    return this;
  }

  addLinks(links: Link[]): this {
    for (const link of links) this.addLink(link);
    return this;
  }

  setStatus(status: SpanStatus): this {
    if (!this.isRecording() || this.status.code === SpanStatusCode.OK) return this;
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
