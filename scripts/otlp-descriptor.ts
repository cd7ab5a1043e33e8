/**
 * The OTLP trace service as a protobufjs JSON descriptor (cli/otlp/trace-service.json), made from the official
 * .proto files vendored in cli/otlp/protos/: the dev tool's decoder, and the tests' receiver, load it with no
 * .proto file at run time (the published dev tool ships without them). `npx tsx scripts/otlp-descriptor.ts`
 * writes it again; cli/test/otlp-descriptor.test.ts fails when the committed one differs from what this makes.
 */
import { writeFileSync } from "node:fs";
import { isAbsolute, join } from "node:path";
import { fileURLToPath } from "node:url";
import protobuf from "protobufjs";

/** The OTLP trace .proto files as @opentelemetry/otlp-grpc-exporter-base 0.38.0 packaged them (Apache-2.0). */
const PROTO_ROOT = fileURLToPath(new URL("../cli/otlp/protos/", import.meta.url));
const TRACE_SERVICE = "opentelemetry/proto/collector/trace/v1/trace_service.proto";
export const DESCRIPTOR_PATH = fileURLToPath(new URL("../cli/otlp/trace-service.json", import.meta.url));

export function traceServiceDescriptor(): protobuf.INamespace {
  const root = new protobuf.Root();
  root.resolvePath = (_origin, target) => (isAbsolute(target) ? target : join(PROTO_ROOT, target));
  root.loadSync(join(PROTO_ROOT, TRACE_SERVICE), { keepCase: false });
  addPartialSuccess(root.lookupType("opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse"));
  addSpanFlags(root);
  return root.toJSON();
}

/**
 * The packaged protos predate OTLP 0.19; `partial_success` is added here exactly as the current
 * trace_service.proto declares it (field 1, ExportTracePartialSuccess { int64 rejected_spans = 1; string error_message = 2; }).
 */
function addPartialSuccess(response: protobuf.Type): void {
  if (response.fields.partialSuccess) return;
  const partial = new protobuf.Type("ExportTracePartialSuccess")
    .add(new protobuf.Field("rejectedSpans", 1, "int64"))
    .add(new protobuf.Field("errorMessage", 2, "string"));
  response.parent?.add(partial);
  response.add(new protobuf.Field("partialSuccess", 1, "ExportTracePartialSuccess"));
}

/**
 * The packaged protos predate OTLP 1.1; `flags` is added here exactly as the current trace.proto declares it
 * (`fixed32 flags = 16` in Span, `fixed32 flags = 6` in Span.Link).
 */
function addSpanFlags(root: protobuf.Root): void {
  root.lookupType("opentelemetry.proto.trace.v1.Span").add(new protobuf.Field("flags", 16, "fixed32"));
  root.lookupType("opentelemetry.proto.trace.v1.Span.Link").add(new protobuf.Field("flags", 6, "fixed32"));
}

export function descriptorText(): string {
  return `${JSON.stringify(traceServiceDescriptor(), null, 1)}\n`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) writeFileSync(DESCRIPTOR_PATH, descriptorText());
