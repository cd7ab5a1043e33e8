/** A span made in a request scope of `options`, ended and put through the export policy, as the flush would. */
import { SpanKind } from "@opentelemetry/api";
import { type ModaOptions, resolveConfig } from "../../src/config/options";
import { RequestScope } from "../../src/core/request-scope";
import type { ModaSpan } from "../../src/core/span";
import { startSpan } from "../../src/core/tracer";
import type { ExportableSpan } from "../../src/export/otlp/exportable-span";
import { exportedSpan } from "../../src/policy/exported-span";
import { describeLlmCall, type PropagatedValues } from "../../src/semconv/llm-attributes";
import type { LlmCall } from "../../src/semconv/llm-call";

export function policedSpan(options: ModaOptions, build: (span: ModaSpan) => void): ExportableSpan {
  const scope = new RequestScope(resolveConfig({ apiKey: "test-key", ...options }), { recording: true });
  const span = startSpan({ name: "test", kind: SpanKind.INTERNAL, scope });
  build(span);
  span.end();
  return exportedSpan(span);
}

/** An LLM call described as the flush describes it, then put through the export policy. */
export async function policedLlmCall(
  call: LlmCall,
  options: ModaOptions = {},
  propagated: PropagatedValues = {},
): Promise<ExportableSpan> {
  const description = await describeLlmCall(call, resolveConfig({ apiKey: "test-key", ...options }), propagated);
  return policedSpan(options, (span) => {
    span.updateName(description.name);
    span.setAttributes(description.attributes);
    span.setStatus(description.status);
    span.droppedAttributesCount += description.droppedAttributesCount;
  });
}
