import type { Attributes } from "@opentelemetry/api";
import type { ResolvedConfig } from "../config/options";
import { type ActiveContext, type ContextValues, currentContext, runInContext } from "../core/context";
import { SpanKind, SpanStatusCode } from "../core/otel";
import type { RequestScope } from "../core/request-scope";
import { safely } from "../core/safe";
import { resolveScope } from "../core/scope-lookup";
import type { ModaSpan } from "../core/span";
import { startSpan } from "../core/tracer";
import { ContentLimiter } from "../policy/content-limiter";
import { ATTR_ERROR_TYPE } from "../semconv/core-attributes";
import {
  type EntityIdentity,
  entityInputAttributes,
  entityOutputAttributes,
  entitySpanName,
  type Families,
  genAiEntityAttributes,
  propagatedAttributes,
  TRACELOOP_INPUT_FRAME_LENGTH,
  traceloopEntityAttributes,
  traceloopInputJson,
} from "../semconv/entity-attributes";
import { entityArguments, toJsonData, toolCallId } from "./entity-content";
import { type EntityRun, NO_OUTPUT, settle } from "./entity-result";

/** One workflow, task, agent or tool, as its wrapper was defined. */
export interface EntitySpec extends EntityIdentity {
  readonly recordInputs: boolean;
  readonly recordOutputs: boolean;
  readonly associationProperties?: Readonly<Record<string, string>>;
  /** The scope current where the wrapper was made, for calls that cannot find theirs (core/scope-lookup.ts). */
  readonly scopeHint?: RequestScope;
}

/**
 * Calls `fn` inside a span of `spec`. The result and any error reach the caller as `fn` gave them; the span
 * ends when the result is complete: at once for a value, when a promise settles, when a generator finishes
 * (or is returned from, or throws).
 */
export function runEntity<R>(spec: EntitySpec, thisArg: unknown, args: unknown[], fn: (...args: unknown[]) => R): R {
  const run = safely("entity span", () => startEntity(spec, args), undefined);
  if (!run) return Reflect.apply(fn, thisArg, args);
  let result: R;
  try {
    result = run.within(() => Reflect.apply(fn, thisArg, args));
  } catch (error) {
    run.fail(error);
    throw error;
  }
  return settle(result, run);
}

function startEntity(spec: EntitySpec, args: unknown[]): EntityRun {
  const outerValues = currentContext()?.values ?? {};
  const values = innerValues(spec, outerValues);
  // Resolved here rather than inside startSpan because the span's name depends on the scope's config.
  const scope = resolveScope(spec.scopeHint);
  const config = scope.config;
  const families: Families = { traceloop: config.semconv.has("moda"), genAi: config.semconv.has("gen_ai") };
  const span = startSpan({ name: entitySpanName(spec, families.genAi), kind: SpanKind.INTERNAL, scope });
  const context: ActiveContext = { span, values };
  if (span.isRecording()) {
    const identity: Attributes = {
      ...(families.traceloop ? traceloopEntityAttributes(spec, outerValues.entityPath) : {}),
      ...(families.genAi ? genAiEntityAttributes(spec, { toolCallId: toolCallId(args) }) : {}),
      ...propagatedAttributes(values, families.genAi),
    };
    // The arguments are the application's objects: reading them may throw, which costs the span its input only.
    const input = recordsContent(span, config, spec.recordInputs)
      ? safely("entity input", () => inputAttributes(spec, args, families, config), NO_CONTENT)
      : NO_CONTENT;
    writeAttributes(span, { ...identity, ...input.attributes }, input.dropped);
  }
  return {
    within(fn) {
      return runInContext(context, fn);
    },
    succeed(output) {
      safely("entity span", () => endEntity(span, spec, output, families, config), undefined);
    },
    fail(error) {
      safely("entity span", () => failEntity(span, error), undefined);
    },
    recordsOutput: recordsContent(span, config, spec.recordOutputs),
    maxOutputLength: config.limits.maxAttributeLength,
    captureBinary: config.captureBinary,
  };
}

/**
 * Whether the span keeps content the entity asked to record: the config may forbid it, sampling may drop the span.
 * The export policy removes content under `traceContent: false` anyway; not serializing it spares the request.
 */
function recordsContent(span: ModaSpan, config: ResolvedConfig, wanted: boolean): boolean {
  return span.isRecording() && wanted && config.traceContent;
}

/** The values the entity's body runs with: its workflow name, its path, the merged association properties. */
function innerValues(spec: EntitySpec, outer: ContextValues): ContextValues {
  const { kind, name } = spec;
  // An agent names the workflow only where no workflow encloses it: LLM calls keep the workflow they run in.
  const workflowName =
    kind === "workflow" ? name : kind === "agent" ? (outer.workflowName ?? name) : outer.workflowName;
  // Traceloop's path is the chain of enclosing tasks and tools.
  const entityPath =
    kind === "task" || kind === "tool" ? (outer.entityPath ? `${outer.entityPath}.${name}` : name) : outer.entityPath;
  const associationProperties = spec.associationProperties
    ? { ...outer.associationProperties, ...spec.associationProperties }
    : outer.associationProperties;
  return { ...outer, workflowName, entityPath, associationProperties };
}

interface ContentAttributes {
  attributes: Attributes;
  dropped: number;
}

const NO_CONTENT: ContentAttributes = { attributes: {}, dropped: 0 };

function inputAttributes(
  spec: EntitySpec,
  args: unknown[],
  families: Families,
  config: ResolvedConfig,
): ContentAttributes {
  const input = entityArguments(args, config.captureBinary);
  // Within room for Traceloop's frame, so that one text serves both attributes when their data is the same.
  const limiter = new ContentLimiter(Math.max(4, config.limits.maxAttributeLength - TRACELOOP_INPUT_FRAME_LENGTH));
  const attributes = entityInputAttributes(spec.kind, families, {
    traceloop() {
      return traceloopInputJson(input.traceloop.keywords, limiter.json(input.traceloop.data));
    },
    toolArguments() {
      return limiter.json(input.toolArguments);
    },
  });
  return { attributes, dropped: limiter.droppedCount };
}

function outputAttributes(
  spec: EntitySpec,
  output: unknown,
  families: Families,
  config: ResolvedConfig,
): ContentAttributes {
  const limiter = new ContentLimiter(config.limits.maxAttributeLength);
  const attributes = entityOutputAttributes(spec.kind, families, () =>
    limiter.json(toJsonData(output, config.captureBinary) ?? null),
  );
  return { attributes, dropped: limiter.droppedCount };
}

/** The output, where the spec asks for it, then the end: a failure to read the output costs the output only. */
function endEntity(
  span: ModaSpan,
  spec: EntitySpec,
  output: unknown,
  families: Families,
  config: ResolvedConfig,
): void {
  if (span.isRecording() && spec.recordOutputs && config.traceContent && output !== NO_OUTPUT && output !== undefined) {
    safely(
      "entity output",
      () => {
        const { attributes, dropped } = outputAttributes(spec, output, families, config);
        writeAttributes(span, attributes, dropped);
      },
      undefined,
    );
  }
  span.end();
}

/**
 * Error status, the exception event and `error.type` (`_OTHER` for a thrown non-Error), then the end. The error is
 * the application's value: where reading it throws, the span keeps the error status without its details.
 */
function failEntity(span: ModaSpan, error: unknown): void {
  span.setStatus({ code: SpanStatusCode.ERROR });
  try {
    const isError = error instanceof Error;
    span.recordException(isError ? error : String(error));
    span.setAttribute(ATTR_ERROR_TYPE, isError ? error.name : "_OTHER");
    span.setStatus({ code: SpanStatusCode.ERROR, message: isError ? error.message : String(error) });
  } catch {
    // Reading the application's error threw (a revoked Proxy, a getter): the span keeps what it had read.
  }
  span.end();
}

/** Attributes and the count of values the limiter cut; what may leave of them is decided at export (policy/). */
function writeAttributes(span: ModaSpan, attributes: Attributes, dropped: number): void {
  span.setAttributes(attributes);
  span.droppedAttributesCount += dropped;
}
