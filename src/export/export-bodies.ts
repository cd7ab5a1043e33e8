import type { ExportableSpan } from "./otlp/exportable-span";

/** An ExportTraceServiceRequest of the spans, in the export's protocol. */
export type Encode = (spans: readonly ExportableSpan[]) => Uint8Array<ArrayBuffer>;

export interface EncodedBody {
  readonly spans: readonly ExportableSpan[];
  /** Before compression. */
  readonly bytes: Uint8Array<ArrayBuffer>;
}

export interface SplitSpans {
  readonly bodies: EncodedBody[];
  /** Spans that exceed the bound even alone, with their size alone. */
  readonly oversized: { readonly span: ExportableSpan; readonly bytes: number }[];
}

/**
 * The spans as bodies of at most `maxBytes` each (before compression), in their order. A request's spans nearly
 * always fit in one, encoded once. Otherwise each span is measured alone and the spans are packed greedily by those
 * sizes: a body of several spans is smaller than the sum of their bodies alone (they share the resource and the
 * scope), so no pack passes the bound. A span larger than the bound even alone is set apart: it never costs the
 * others their export.
 */
export function splitIntoBodies(spans: readonly ExportableSpan[], encode: Encode, maxBytes: number): SplitSpans {
  const whole = encode(spans);
  if (whole.byteLength <= maxBytes) return { bodies: [{ spans, bytes: whole }], oversized: [] };
  if (spans.length === 1)
    return { bodies: [], oversized: [{ span: spans[0] as ExportableSpan, bytes: whole.byteLength }] };
  const packs: ExportableSpan[][] = [];
  const oversized: SplitSpans["oversized"] = [];
  let pack: ExportableSpan[] = [];
  let packBytes = 0;
  for (const span of spans) {
    const alone = encode([span]).byteLength;
    if (alone > maxBytes) {
      oversized.push({ span, bytes: alone });
      continue;
    }
    if (pack.length > 0 && packBytes + alone > maxBytes) {
      packs.push(pack);
      pack = [];
      packBytes = 0;
    }
    pack.push(span);
    packBytes += alone;
  }
  if (pack.length > 0) packs.push(pack);
  return { bodies: packs.map((spansOfPack) => ({ spans: spansOfPack, bytes: encode(spansOfPack) })), oversized };
}

/** The body's spans in two bodies, for an endpoint that refused it as too large. */
export function halve(body: EncodedBody, encode: Encode): EncodedBody[] {
  const middle = Math.ceil(body.spans.length / 2);
  return [body.spans.slice(0, middle), body.spans.slice(middle)].map((spans) => ({ spans, bytes: encode(spans) }));
}
