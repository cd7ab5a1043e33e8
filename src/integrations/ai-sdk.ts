import type { AttributeValue, Context, Span, SpanOptions, Tracer } from "@opentelemetry/api";
import { type ActiveContext, currentContext, runInContext } from "../core/context";
import { safely } from "../core/safe";
import { resolveScope } from "../core/scope-lookup";
import { ModaSpan } from "../core/span";
import { ModaTracer } from "../core/tracer";
import { propagatedAttributes } from "../semconv/entity-attributes";
import { MODA_CONVERSATION_ID, MODA_USER_ID } from "../semconv/llm-attributes";

/** An AI SDK 7 telemetry integration made from a tracer: the `OpenTelemetry` class of `@ai-sdk/otel`. */
export type TelemetryIntegrationClass<Integration> = new (options: { tracer: Tracer }) => Integration;

/** What `modaTelemetry()` passes through to the Vercel AI SDK. */
export interface ModaTelemetryOptions<Integration = never> {
  /** The AI SDK's `functionId`: names the call in its spans (`ai.telemetry.functionId`, AI SDK 7's agent name). */
  functionId?: string;
  /** Extra metadata, written by AI SDK 6 as `ai.telemetry.metadata.<key>` (AI SDK 7 reads none). */
  metadata?: Readonly<Record<string, AttributeValue>>;
  /** Record prompts. Off whenever content capture is off in the configuration. */
  recordInputs?: boolean;
  /** Record completions. Off whenever content capture is off in the configuration. */
  recordOutputs?: boolean;
  /**
   * AI SDK 7, which reads no `tracer`: the `OpenTelemetry` class of `@ai-sdk/otel`. The settings then carry one,
   * made with moda-edge's tracer, in `integrations`.
   */
  integration?: TelemetryIntegrationClass<Integration>;
}

/** The Vercel AI SDK's telemetry settings: `experimental_telemetry` up to AI SDK 6, `telemetry` from AI SDK 7. */
export interface ModaTelemetrySettings<Integration = never> {
  isEnabled: true;
  tracer: Tracer;
  functionId?: string;
  metadata: Record<string, AttributeValue>;
  recordInputs?: boolean;
  recordOutputs?: boolean;
  /** AI SDK 7: the integration given as `integration`, made with `tracer`. */
  integrations?: Integration[];
}

/**
 * Telemetry settings for the Vercel AI SDK (`experimental_telemetry: modaTelemetry()`; from AI SDK 7,
 * `telemetry: modaTelemetry({ integration: OpenTelemetry })` with `@ai-sdk/otel`'s class): its spans go into the
 * current request's trace and export, under the current workflow, task, agent or tool, and carry the
 * conversation id, user id, workflow name and association properties set around the call. Call it where the
 * AI SDK is called, so that it sees what is current there.
 */
export function modaTelemetry<Integration = never>(
  options: ModaTelemetryOptions<Integration> = {},
): ModaTelemetrySettings<Integration> {
  const { integration } = options;
  if (integration !== undefined && typeof integration !== "function") {
    throw new TypeError(
      "moda-edge: modaTelemetry() expects `integration` to be a class (OpenTelemetry from @ai-sdk/otel, not an " +
        `instance of it), got ${typeof integration}`,
    );
  }
  const callSite = currentContext();
  const traceContent = safely(
    "modaTelemetry",
    () => (callSite?.span?.owner ?? resolveScope()).config.traceContent,
    true,
  );
  const tracer = new CallSiteTracer(callSite);
  const settings: ModaTelemetrySettings<Integration> = {
    isEnabled: true,
    tracer,
    metadata: withIds(options.metadata, callSite),
  };
  if (options.functionId !== undefined) settings.functionId = options.functionId;
  const recordInputs = traceContent ? options.recordInputs : false;
  const recordOutputs = traceContent ? options.recordOutputs : false;
  if (recordInputs !== undefined) settings.recordInputs = recordInputs;
  if (recordOutputs !== undefined) settings.recordOutputs = recordOutputs;
  if (integration) settings.integrations = [new integration({ tracer })];
  return settings;
}

/** The caller's metadata and the ids; where reading theirs throws (a Proxy), theirs as it was, for the AI SDK to read. */
function withIds(
  metadata: Readonly<Record<string, AttributeValue>> | undefined,
  callSite: ActiveContext | undefined,
): Record<string, AttributeValue> {
  try {
    return { ...metadata, ...idMetadata(callSite) };
  } catch {
    return metadata as Record<string, AttributeValue>;
  }
}

function idMetadata(callSite: ActiveContext | undefined): Record<string, AttributeValue> {
  const metadata: Record<string, AttributeValue> = {};
  const { conversationId, userId } = callSite?.values ?? {};
  if (conversationId !== undefined) metadata[MODA_CONVERSATION_ID] = conversationId;
  if (userId !== undefined) metadata[MODA_USER_ID] = userId;
  return metadata;
}

/**
 * A ModaTracer that remembers what was current where the AI SDK was called. The AI SDK awaits before it
 * starts each span, and without an AsyncLocalStorage what was current is lost by then; the call site's span,
 * while still open, is certainly an ancestor of the AI SDK's spans, since the call was made inside it.
 */
class CallSiteTracer extends ModaTracer {
  constructor(private readonly callSite: ActiveContext | undefined) {
    super();
  }

  override startSpan(name: string, options?: SpanOptions, context?: Context): Span {
    const known = currentContext()?.span;
    const callSite = this.callSite;
    const span =
      callSite?.span && !(known && !known.ended)
        ? runInContext(callSite, () => super.startSpan(name, options, context))
        : super.startSpan(name, options, context);
    if (callSite && span instanceof ModaSpan && span.isRecording()) {
      const genAi = span.owner.config.semconv.has("gen_ai");
      safely("modaTelemetry", () => span.setAttributes(propagatedAttributes(callSite.values, genAi)), undefined);
    }
    return span;
  }
}
