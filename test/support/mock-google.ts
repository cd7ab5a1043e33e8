/**
 * A mock of the Gemini API and of Vertex AI's Gemini endpoints on 127.0.0.1, speaking their REST wire format (JSON,
 * and SSE for `:streamGenerateContent?alt=sse`) so the real `@google/genai` can talk to it.
 *
 * Routes (`{prefix}` is `v1beta/models` for the Gemini API, `v1beta1/publishers/google/models` for Vertex AI)
 * - `POST /{prefix}/{model}:generateContent`: a GenerateContentResponse from google-fixtures.ts.
 * - `POST /{prefix}/{model}:streamGenerateContent?alt=sse`: the same answer as SSE chunks: text cut in pieces,
 *   other parts whole, usage as a running total on every chunk, the finish reason on the last.
 * - `POST /v1beta/models/{model}:batchEmbedContents` (Gemini API), `:predict` and `:embedContent` (Vertex AI):
 *   one three-value embedding per text; Vertex AI counts `VERTEX_EMBEDDING_TOKENS` tokens per text.
 * - `POST /{prefix}/{model}:countTokens`: `{ totalTokens: 9 }`.
 * - `GET /__mock/requests?capture=ID`: the requests sent with the header `x-mock-capture: ID`.
 *
 * Scenario: the header `x-mock-scenario`, else the model when it is `mock-<scenario>`, else `text`: a key of
 * GEMINI_FIXTURES or GEMINI_ERRORS, or
 * - `stream-error`: two text chunks, then an error chunk (`{"error": {"code": 500, …}}`) as the API sends it;
 * - `stream-drop`: two text chunks, then the socket is destroyed;
 * - `slow`: a stream of one text chunk every 40 ms for 10 s, for tests that abandon or abort it.
 * Every answer has `modelVersion` = the model + `-001` and `responseId` = `resp_mock_<n>`.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import {
  GEMINI_ERRORS,
  GEMINI_FIXTURES,
  type GeminiFixture,
  geminiModelVersion,
  VERTEX_EMBEDDING_TOKENS,
} from "./google-fixtures";
import {
  capturing,
  EARLY_ENDS,
  endStreamEarly,
  type Json,
  type MockServer,
  openEventStream,
  pieces,
  sendJson,
  startJsonServer,
  writeFramesPaced,
} from "./mock-http";

const MODEL_PATH = /^\/v1(?:beta1?)?\/(?:publishers\/[^/]+\/)?models\/([^/:]+):(\w+)$/;
const EMBEDDING = [0.125, -0.5, 0.75];
const SLOW_INTERVAL_MS = 40;
const SLOW_CHUNKS = 250;

export async function startMockGoogle(): Promise<MockServer> {
  return startJsonServer(capturing(route), (error) => apiError(500, "INTERNAL", String(error)));
}

function apiError(code: number, status: string, message: string): Json {
  return { error: { code, message, status } };
}

function route(req: IncomingMessage, res: ServerResponse, body: Json, sequence: number): void {
  const url = new URL(req.url ?? "/", "http://mock");
  const match = MODEL_PATH.exec(url.pathname);
  if (req.method !== "POST" || !match) {
    sendJson(res, 404, apiError(404, "NOT_FOUND", `No route for ${req.method} ${url.pathname}`));
    return;
  }
  const model = decodeURIComponent(match[1] ?? "");
  const scenario = scenarioOf(req, model);
  const error = GEMINI_ERRORS[scenario];
  if (error) {
    sendJson(res, error.code, apiError(error.code, error.status, error.message));
    return;
  }
  const meta = { modelVersion: geminiModelVersion(model), responseId: `resp_mock_${sequence}` };
  switch (match[2]) {
    case "generateContent":
      generate(res, scenario, meta);
      break;
    case "streamGenerateContent":
      stream(res, scenario, meta);
      break;
    case "batchEmbedContents":
      sendJson(res, 200, { embeddings: listOf(body.requests).map(() => ({ values: EMBEDDING })) });
      break;
    case "predict":
      sendJson(res, 200, vertexPredictions(listOf(body.instances).length));
      break;
    case "countTokens":
      sendJson(res, 200, { totalTokens: 9 });
      break;
    case "embedContent":
      sendJson(res, 200, {
        embedding: { values: EMBEDDING },
        usageMetadata: { promptTokenCount: VERTEX_EMBEDDING_TOKENS },
      });
      break;
    default:
      sendJson(res, 404, apiError(404, "NOT_FOUND", `No method ${match[2]}`));
  }
}

function scenarioOf(req: IncomingMessage, model: string): string {
  const header = req.headers["x-mock-scenario"];
  if (typeof header === "string") return header;
  return model.startsWith("mock-") ? model.slice("mock-".length) : "text";
}

function listOf(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function vertexPredictions(count: number): Json {
  const prediction = {
    embeddings: { values: EMBEDDING, statistics: { token_count: VERTEX_EMBEDDING_TOKENS, truncated: false } },
  };
  return {
    predictions: Array.from({ length: count }, () => prediction),
    metadata: { billableCharacterCount: 20 * count },
  };
}

function fixtureOf(res: ServerResponse, scenario: string): GeminiFixture | undefined {
  const fixture = GEMINI_FIXTURES[scenario];
  if (!fixture) sendJson(res, 400, apiError(400, "INVALID_ARGUMENT", `unknown mock scenario ${scenario}`));
  return fixture;
}

function generate(res: ServerResponse, scenario: string, meta: Json): void {
  const fixture = fixtureOf(res, scenario);
  if (fixture) sendJson(res, 200, { ...fixture, ...meta });
}

/** One SSE event as the Gemini API frames it. */
function frame(chunk: Json): string {
  return `data: ${JSON.stringify(chunk)}\r\n\r\n`;
}

function stream(res: ServerResponse, scenario: string, meta: Json): void {
  if (scenario === "stream-error" || scenario === "stream-drop" || scenario === "slow" || EARLY_ENDS.has(scenario)) {
    streamFailure(res, scenario, meta);
    return;
  }
  const fixture = fixtureOf(res, scenario);
  if (!fixture) return;
  openEventStream(res);
  res.end(chunksOf(fixture, meta).map(frame).join(""));
}

/** The chunks of `fixture`: each candidate's parts, text cut in pieces; usage growing; finish reasons last. */
function chunksOf(fixture: GeminiFixture, meta: Json): Json[] {
  const { promptTokenCount = 0, candidatesTokenCount = 0 } = fixture.usageMetadata;
  const deltas = fixture.candidates.flatMap((candidate) =>
    candidate.content.parts.flatMap((part) => partPieces(part).map((piece) => ({ index: candidate.index, piece }))),
  );
  const chunks: Json[] = deltas.map(({ index, piece }, n) => ({
    candidates: [{ content: { role: "model", parts: [piece] }, index }],
    usageMetadata: { promptTokenCount, candidatesTokenCount: Math.floor((candidatesTokenCount * n) / deltas.length) },
    ...meta,
  }));
  chunks.push({
    candidates: fixture.candidates.map(({ finishReason, index }) => ({
      content: { role: "model", parts: [] },
      finishReason,
      index,
    })),
    usageMetadata: fixture.usageMetadata,
    ...meta,
  });
  return chunks;
}

function partPieces(part: Json): Json[] {
  if (typeof part.text !== "string") return [part];
  return pieces(part.text, 7).map((text) => ({ ...part, text }));
}

function textChunk(text: string, meta: Json): Json {
  return { candidates: [{ content: { role: "model", parts: [{ text }] }, index: 0 }], ...meta };
}

function streamFailure(res: ServerResponse, scenario: string, meta: Json): void {
  const opening = [textChunk("Partial ", meta), textChunk("answer ", meta)].map(frame);
  openEventStream(res);
  if (scenario === "stream-error") {
    res.end([...opening, frame(apiError(500, "INTERNAL", "An internal error has occurred."))].join(""));
    return;
  }
  if (EARLY_ENDS.has(scenario)) {
    endStreamEarly(res, scenario, opening);
    return;
  }
  if (scenario === "stream-drop") {
    writeFramesPaced(res, opening, 5, { dropAfter: opening.length });
    return;
  }
  const ticks = Array.from({ length: SLOW_CHUNKS }, (_, n) => frame(textChunk(`tick${n + 1} `, meta)));
  writeFramesPaced(res, [...opening, ...ticks], SLOW_INTERVAL_MS);
}
