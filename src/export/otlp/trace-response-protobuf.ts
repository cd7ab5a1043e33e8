import { readFields } from "./protobuf-reader";
import { LENGTH_DELIMITED, VARINT } from "./wire-types";

/**
 * The `partial_success` of an ExportTraceServiceResponse in protobuf (trace_service.proto:
 * ExportTraceServiceResponse { ExportTracePartialSuccess partial_success = 1; },
 * ExportTracePartialSuccess { int64 rejected_spans = 1; string error_message = 2; }). Other fields are
 * skipped; bytes that are not protobuf throw.
 */

export interface PartialSuccess {
  rejectedSpans: number;
  errorMessage: string;
}

export function decodePartialSuccess(bytes: Uint8Array): PartialSuccess | undefined {
  let partial: PartialSuccess | undefined;
  readFields(bytes, 0, bytes.length, (field, wireType, length, offset) => {
    if (field === 1 && wireType === LENGTH_DELIMITED) partial = readPartialSuccess(bytes, offset, offset + length);
  });
  return partial;
}

function readPartialSuccess(bytes: Uint8Array, start: number, end: number): PartialSuccess {
  const partial: PartialSuccess = { rejectedSpans: 0, errorMessage: "" };
  readFields(bytes, start, end, (field, wireType, value, offset) => {
    if (field === 1 && wireType === VARINT) partial.rejectedSpans = value;
    if (field === 2 && wireType === LENGTH_DELIMITED) {
      partial.errorMessage = new TextDecoder().decode(bytes.subarray(offset, offset + value));
    }
  });
  return partial;
}
