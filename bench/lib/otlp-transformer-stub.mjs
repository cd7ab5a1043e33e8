/** The OTLP serializers reduced to nothing: the bundle benchmark substitutes this to measure what they cost. */
const empty = { serializeRequest: () => new Uint8Array(0), deserializeResponse: () => ({}) };
export const ProtobufTraceSerializer = empty;
export const JsonTraceSerializer = empty;
