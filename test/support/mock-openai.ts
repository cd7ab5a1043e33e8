/**
 * A mock of the OpenAI API on 127.0.0.1, speaking the wire format (JSON and SSE) so the real `openai`
 * SDKs can talk to it. Paths match by suffix, so Azure's `/openai/deployments/<d>/chat/completions` works too.
 *
 * Routes
 * - `POST …/chat/completions`: a ChatCompletion, or `data: <chunk>` SSE frames ending with `data: [DONE]`
 *   when `stream: true`; the usage-only chunk (empty `choices`) only when `stream_options.include_usage`.
 *   `n > 1` gives that many choices (choice i's text gets ` [i]` appended), streamed interleaved.
 * - `POST …/responses`: a Response, or its SSE events (`event:` + `data:`), response.created … completed.
 * - `POST …/completions` (legacy), `POST …/embeddings` (floats, or base64 when `encoding_format: "base64"`).
 * - `GET …/models`, `GET …/models/:id`, for pass-through tests.
 * - `GET /__mock/requests?capture=ID`: the requests sent with the header `x-mock-capture: ID`, as
 *   `{ method, path, headers, body }[]`, so a test in any runtime can check what the SDK sent.
 *
 * Scenario: the header `x-mock-scenario`, else the request's model when it is `mock-<scenario>`, else `text`.
 * - Chat Completions: `text`, `tools` (two parallel tool calls; streamed, their deltas interleave by index),
 *   `json`, `refusal`, `reasoning` (DeepSeek's `reasoning_content`), `audio`, `length`, `content-filter`, `long`
 *   (an answer of some 950 content deltas):
 *   `test/fixtures/openai/chat-<scenario>.json`. `agent`: a call to the request's first tool until the
 *   conversation holds a tool result, then text. `azure`: `text` as Azure streams it (a first chunk with
 *   empty `choices` and `prompt_filter_results`, `content_filter_results` on every choice, and a trailing
 *   filter-only chunk without `delta`).
 * - Responses: `text`, `function-call`, `reasoning`, `web-search`, `json`, `incomplete`, `failed`:
 *   `test/fixtures/openai/responses-<scenario>.json`.
 * - Any endpoint: `error-<status>` (400, 401, 404, 429, 500, 503: OpenAI's error body), `error-echo` (a 400
 *   whose message quotes the request's messages and its API key), `stream-error`
 *   (a few chunks, then an error frame), `stream-drop` (a few chunks, then the socket is destroyed),
 *   `slow` (one chunk every 40 ms for 10 s), `hang` (no answer at all, for timeouts).
 *
 * Sent to Groq's path (`…/openai/v1/…`), a stream speaks Groq's dialect (`x_groq`, its usage on the last chunk).
 *
 * The response's model is the request's model with `-2026-01-01` appended, so the two differ.
 * Every answer carries `x-request-id: req_mock_<n>`.
 */
import { readFileSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import {
  capturing,
  EARLY_ENDS,
  echoedRequestError,
  endStreamEarly,
  type Json,
  type MockServer,
  openEventStream,
  pieces,
  scenarioOf,
  sendJson,
  sseFrame,
  startJsonServer,
  throughAiGateway,
  writeFramesPaced,
} from "./mock-http";

interface Call {
  body: Json;
  scenario: string;
  sequence: number;
  model: string;
  streamed: boolean;
  includeUsage: boolean;
  /** Sent to Groq's path (`…/openai/v1/…`): the stream speaks Groq's dialect. */
  groq: boolean;
}
type Endpoint = (res: ServerResponse, call: Call) => void;

const ERROR_TYPES: Record<number, [type: string, code: string | null, message: string]> = {
  400: ["invalid_request_error", "invalid_value", "Invalid value for 'temperature': must be at most 2."],
  401: ["invalid_request_error", "invalid_api_key", "Incorrect API key provided: test-key."],
  404: [
    "invalid_request_error",
    "model_not_found",
    "The model `gpt-404` does not exist or you do not have access to it.",
  ],
  429: ["requests", "rate_limit_exceeded", "Rate limit reached for requests."],
  500: ["server_error", null, "The server had an error while processing your request. Sorry about that!"],
  503: ["server_error", null, "The engine is currently overloaded, please try again later."],
};
const SLOW_INTERVAL_MS = 40;
const SLOW_CHUNKS = 250;
const CREATED = 1767225600;

function fixture(name: string): Json {
  return JSON.parse(readFileSync(new URL(`../fixtures/openai/${name}.json`, import.meta.url), "utf8")) as Json;
}

function echoedError(req: IncomingMessage, body: Json): Json {
  return { error: { message: echoedRequestError(req, body), type: "invalid_request_error", param: null, code: null } };
}

function errorBody(status: number): Json {
  const [type, code, message] = ERROR_TYPES[status] ?? ["server_error", null, `mock error ${status}`];
  return { error: { message, type, param: null, code } };
}

export async function startMockOpenAI(): Promise<MockServer> {
  return startJsonServer(
    capturing(
      throughAiGateway((req, res, body, sequence) => {
        res.setHeader("x-request-id", `req_mock_${sequence}`);
        route(req, res, body, sequence);
      }),
    ),
    (error) => ({ error: { message: String(error), type: "server_error", param: null, code: null } }),
  );
}

const ENDPOINTS: [suffix: string, endpoint: Endpoint][] = [
  ["/chat/completions", chatCompletions],
  ["/responses", responses],
  ["/completions", legacyCompletions],
  ["/embeddings", embeddings],
];

function route(req: IncomingMessage, res: ServerResponse, body: Json, sequence: number): void {
  const url = new URL(req.url ?? "/", "http://mock");
  const answer = req.method === "GET" ? readOnly(url) : undefined;
  if (answer !== undefined) {
    sendJson(res, 200, answer);
    return;
  }
  const endpoint = req.method === "POST" ? ENDPOINTS.find(([suffix]) => url.pathname.endsWith(suffix)) : undefined;
  if (!endpoint) {
    const error = {
      message: `No route ${req.method} ${url.pathname}`,
      type: "invalid_request_error",
      param: null,
      code: null,
    };
    sendJson(res, 404, { error });
    return;
  }
  const call = describeCall(req, body, sequence);
  const failure = /^error-(\d{3})$/.exec(call.scenario);
  if (failure) sendJson(res, Number(failure[1]), errorBody(Number(failure[1])));
  else if (call.scenario === "error-echo") sendJson(res, 400, echoedError(req, body));
  else if (call.scenario !== "hang") endpoint[1](res, call);
}

/** The answer to a GET for the models. */
function readOnly(url: URL): unknown {
  const path = url.pathname;
  if (path.endsWith("/models")) return { object: "list", data: ["gpt-4o", "gpt-4o-mini"].map(modelInfo) };
  const model = /\/models\/([^/]+)$/.exec(path);
  return model?.[1] ? modelInfo(decodeURIComponent(model[1])) : undefined;
}

function describeCall(req: IncomingMessage, body: Json, sequence: number): Call {
  const streamOptions = body.stream_options as Json | undefined;
  return {
    body,
    scenario: scenarioOf(req, body, "text"),
    sequence,
    model: `${String(body.model ?? "gpt-mock")}-2026-01-01`,
    streamed: body.stream === true,
    includeUsage: streamOptions?.include_usage === true,
    groq: new URL(req.url ?? "/", "http://mock").pathname.includes("/openai/v1/"),
  };
}

function modelInfo(id: string): Json {
  return { id, object: "model", created: CREATED, owned_by: "system" };
}

// ---------------------------------------------------------------- Chat Completions

function chatCompletions(res: ServerResponse, call: Call): void {
  const completion = { id: `chatcmpl-mock${call.sequence}`, model: call.model, ...chatFixture(call) };
  if (!call.streamed) {
    sendJson(res, 200, completion);
    return;
  }
  const azure = call.scenario === "azure";
  const chunks = call.groq ? groqChunks(completion, call) : chatChunks(completion, call.includeUsage, azure);
  sendStream(
    res,
    call,
    chunks.map((chunk) => sseFrame(chunk)),
    sseFrame("[DONE]"),
    () => sseFrame(chatErrorFrame()),
  );
}

function chatFixture(call: Call): Json {
  const base = call.scenario === "agent" ? agentTurn(call.body) : fixture(`chat-${chatFixtureName(call.scenario)}`);
  const n = typeof call.body.n === "number" ? call.body.n : 1;
  if (n <= 1) return base;
  const [first] = base.choices as Json[];
  const choices = Array.from({ length: n }, (_, index) => withChoiceIndex(first as Json, index));
  return { ...base, choices };
}

function chatFixtureName(scenario: string): string {
  if (scenario === "azure") return "text";
  return ["slow", "stream-error", "stream-drop", ...EARLY_ENDS].includes(scenario) ? "text" : scenario;
}

function withChoiceIndex(choice: Json, index: number): Json {
  const message = choice.message as Json;
  const content = typeof message.content === "string" && index > 0 ? `${message.content} [${index}]` : message.content;
  return { ...choice, index, message: { ...message, content } };
}

/** `runTools` conversations: call the first tool until a tool result is in, then answer in text. */
function agentTurn(body: Json): Json {
  const messages = (body.messages as Json[] | undefined) ?? [];
  if (messages.some((m) => m.role === "tool")) {
    const text = fixture("chat-text");
    const [choice] = text.choices as Json[];
    return {
      ...text,
      choices: [
        { ...choice, message: { role: "assistant", content: "It is 21 °C and sunny in Paris.", refusal: null } },
      ],
    };
  }
  const tools = (body.tools as Json[] | undefined) ?? [];
  const name = String(((tools[0]?.function as Json | undefined)?.name as string | undefined) ?? "get_weather");
  const tools0 = fixture("chat-tools");
  const [choice] = tools0.choices as Json[];
  const call = { id: "call_agent_1", type: "function", function: { name, arguments: '{"city":"Paris"}' } };
  return {
    ...tools0,
    choices: [{ ...choice, message: { role: "assistant", content: null, refusal: null, tool_calls: [call] } }],
  };
}

const AZURE_FILTER_RESULTS = {
  hate: { filtered: false, severity: "safe" },
  self_harm: { filtered: false, severity: "safe" },
  sexual: { filtered: false, severity: "safe" },
  violence: { filtered: false, severity: "safe" },
};

/** The chunks the API streams for `completion`: role, deltas (choices and tool calls interleaved), finish, usage. */
function chatChunks(completion: Json, includeUsage: boolean, azure: boolean): Json[] {
  const { choices, usage, object: _object, ...rest } = completion;
  const base = { ...rest, object: "chat.completion.chunk", ...(includeUsage ? { usage: null } : {}) };
  const perChoice = (choices as Json[]).map((choice) => choiceDeltas(choice));
  const chunks: Json[] = [];
  const longest = Math.max(...perChoice.map((deltas) => deltas.length));
  for (let step = 0; step < longest; step++) {
    perChoice.forEach((deltas, index) => {
      const delta = deltas[step];
      if (delta === undefined) return;
      const finish = step === deltas.length - 1 ? (choices as Json[])[index]?.finish_reason : null;
      chunks.push({ ...base, choices: [chunkChoice(index, delta, finish ?? null, azure)] });
    });
  }
  if (azure) {
    chunks.unshift({
      choices: [],
      created: 0,
      id: "",
      model: "",
      object: "",
      prompt_filter_results: [{ prompt_index: 0, content_filter_results: AZURE_FILTER_RESULTS }],
    });
    chunks.push({
      ...base,
      choices: [
        {
          index: 0,
          finish_reason: null,
          content_filter_offsets: { check_offset: 0, start_offset: 0, end_offset: 32 },
          content_filter_results: AZURE_FILTER_RESULTS,
        },
      ],
    });
  }
  if (includeUsage) chunks.push({ ...base, choices: [], usage });
  return chunks;
}

/**
 * Groq's dialect of the stream: no `usage: null` on the chunks, `x_groq` with the request id on the first, and
 * the usage in `x_groq.usage` on the last chunk with choices (with timings), whether or not `include_usage` asked
 * for the usage-only chunk too.
 */
function groqChunks(completion: Json, call: Call): Json[] {
  const chunks = chatChunks(completion, false, false);
  const usage = completion.usage as Json;
  const xGroq = { id: `req_mock_${call.sequence}` };
  const timings = { queue_time: 0.01, prompt_time: 0.002, completion_time: 0.03, total_time: 0.032 };
  const last = chunks.length - 1;
  const withGroq = chunks.map((chunk, index) => {
    if (index === 0) return { ...chunk, x_groq: xGroq };
    return index === last ? { ...chunk, x_groq: { ...xGroq, usage: { ...timings, ...groqUsage(usage) } } } : chunk;
  });
  const { choices: _choices, ...rest } = chunks[last] ?? {};
  return call.includeUsage ? [...withGroq, { ...rest, choices: [], usage, x_groq: xGroq }] : withGroq;
}

function groqUsage(usage: Json): Json {
  return {
    prompt_tokens: usage.prompt_tokens,
    completion_tokens: usage.completion_tokens,
    total_tokens: usage.total_tokens,
  };
}

function chunkChoice(index: number, delta: Json, finishReason: unknown, azure: boolean): Json {
  const choice: Json = { index, delta, logprobs: null, finish_reason: finishReason };
  return azure ? { ...choice, content_filter_results: AZURE_FILTER_RESULTS } : choice;
}

/** The deltas of one choice; the last one is empty and carries the finish reason. */
function choiceDeltas(choice: Json): Json[] {
  const message = choice.message as Json;
  const deltas: Json[] = [{ role: "assistant", content: "", refusal: null }];
  const text = (field: string, size: number) => {
    if (typeof message[field] === "string")
      for (const piece of pieces(message[field], size)) deltas.push({ [field]: piece });
  };
  text("reasoning_content", 12);
  text("content", 6);
  text("refusal", 6);
  const audio = message.audio as Json | undefined;
  if (audio) {
    deltas.push({ audio: { id: audio.id, transcript: "" } });
    for (const piece of pieces(String(audio.transcript), 5)) deltas.push({ audio: { transcript: piece } });
    deltas.push({ audio: { data: audio.data, expires_at: audio.expires_at } });
  }
  deltas.push(...toolCallDeltas((message.tool_calls as Json[] | undefined) ?? []));
  deltas.push({});
  return deltas;
}

/** Each call opened (id, name, empty arguments), then the arguments' pieces of all calls, interleaved by index. */
function toolCallDeltas(calls: Json[]): Json[] {
  const opening = calls.map((call, index) => {
    const fn = call.function as Json;
    return { tool_calls: [{ index, id: call.id, type: "function", function: { name: fn.name, arguments: "" } }] };
  });
  const argumentPieces = calls.map((call) => pieces(String((call.function as Json).arguments), 7));
  const rounds = Math.max(0, ...argumentPieces.map((p) => p.length));
  const fragments: Json[] = [];
  for (let round = 0; round < rounds; round++) {
    argumentPieces.forEach((list, index) => {
      const piece = list[round];
      if (piece !== undefined) fragments.push({ tool_calls: [{ index, function: { arguments: piece } }] });
    });
  }
  return [...opening, ...fragments];
}

function chatErrorFrame(): Json {
  return {
    error: {
      message: "The server had an error while processing your request.",
      type: "server_error",
      param: null,
      code: null,
    },
  };
}

// ---------------------------------------------------------------- Responses

const RESPONSE_FAILURES = ["slow", "stream-error", "stream-drop", ...EARLY_ENDS];

function responses(res: ServerResponse, call: Call): void {
  const fixtureName = RESPONSE_FAILURES.includes(call.scenario) ? "text" : call.scenario;
  const response = { ...responseEnvelope(call), ...fixture(`responses-${fixtureName}`) };
  if (!call.streamed) {
    sendJson(res, 200, response);
    return;
  }
  const events = responseEvents(response);
  const failAt = events.findIndex((event) => event.type === "response.output_text.delta");
  const frames = events.map((event) => sseFrame(event, String(event.type)));
  const errorFrame = () =>
    sseFrame(
      {
        type: "error",
        code: "server_error",
        message: "The server had an error.",
        param: null,
        sequence_number: failAt + 2,
      },
      "error",
    );
  sendStream(res, call, frames.slice(0, -1), frames.at(-1) ?? "", errorFrame, failAt + 2);
}

/** What the API echoes from the request in every Response. */
function responseEnvelope(call: Call): Json {
  const body = call.body;
  return {
    id: `resp_mock${call.sequence}`,
    object: "response",
    created_at: CREATED,
    model: call.model,
    error: null,
    incomplete_details: null,
    instructions: body.instructions ?? null,
    max_output_tokens: body.max_output_tokens ?? null,
    metadata: body.metadata ?? {},
    parallel_tool_calls: body.parallel_tool_calls ?? true,
    previous_response_id: body.previous_response_id ?? null,
    reasoning: body.reasoning ?? { effort: null, summary: null },
    store: body.store ?? true,
    temperature: body.temperature ?? 1,
    text: body.text ?? { format: { type: "text" } },
    tool_choice: body.tool_choice ?? "auto",
    tools: body.tools ?? [],
    top_p: body.top_p ?? 1,
    truncation: body.truncation ?? "disabled",
    user: body.user ?? null,
  };
}

/** The events the API streams for `response`, each item opened, streamed and closed; the terminal event last. */
function responseEvents(response: Json): Json[] {
  const events: Json[] = [];
  const emit = (type: string, fields: Json) => events.push({ type, sequence_number: events.length, ...fields });
  const opening = {
    ...response,
    status: "in_progress",
    output: [],
    usage: null,
    error: null,
    incomplete_details: null,
  };
  emit("response.created", { response: opening });
  emit("response.in_progress", { response: opening });
  (response.output as Json[]).forEach((item, outputIndex) => {
    emit("response.output_item.added", { output_index: outputIndex, item: openedItem(item) });
    itemEvents(item, outputIndex, emit);
    emit("response.output_item.done", { output_index: outputIndex, item });
  });
  const terminal = { completed: "response.completed", incomplete: "response.incomplete", failed: "response.failed" }[
    String(response.status)
  ];
  emit(terminal ?? "response.completed", { response });
  return events;
}

function openedItem(item: Json): Json {
  switch (item.type) {
    case "message":
      return { ...item, status: "in_progress", content: [] };
    case "function_call":
      return { ...item, status: "in_progress", arguments: "" };
    case "reasoning":
      return { ...item, summary: [] };
    default:
      return { ...item, status: "in_progress" };
  }
}

function itemEvents(item: Json, outputIndex: number, emit: (type: string, fields: Json) => void): void {
  const at = { item_id: item.id, output_index: outputIndex };
  if (item.type === "message") {
    (item.content as Json[]).forEach((part, contentIndex) => {
      const where = { ...at, content_index: contentIndex };
      emit("response.content_part.added", { ...where, part: { ...part, text: "", annotations: [] } });
      for (const delta of pieces(String(part.text), 6))
        emit("response.output_text.delta", { ...where, delta, logprobs: [] });
      emit("response.output_text.done", { ...where, text: part.text, logprobs: [] });
      emit("response.content_part.done", { ...where, part });
    });
  } else if (item.type === "function_call") {
    for (const delta of pieces(String(item.arguments), 7))
      emit("response.function_call_arguments.delta", { ...at, delta });
    emit("response.function_call_arguments.done", { ...at, arguments: item.arguments });
  } else if (item.type === "reasoning") {
    (item.summary as Json[]).forEach((part, summaryIndex) => {
      const where = { ...at, summary_index: summaryIndex };
      emit("response.reasoning_summary_part.added", { ...where, part: { ...part, text: "" } });
      for (const delta of pieces(String(part.text), 12))
        emit("response.reasoning_summary_text.delta", { ...where, delta });
      emit("response.reasoning_summary_text.done", { ...where, text: part.text });
      emit("response.reasoning_summary_part.done", { ...where, part });
    });
  } else if (item.type === "web_search_call") {
    for (const phase of ["in_progress", "searching", "completed"]) emit(`response.web_search_call.${phase}`, at);
  }
}

// ---------------------------------------------------------------- Legacy completions and embeddings

function legacyCompletions(res: ServerResponse, call: Call): void {
  const completion: Json = { id: `cmpl-mock${call.sequence}`, model: call.model, ...fixture("completion-text") };
  if (!call.streamed) {
    sendJson(res, 200, completion);
    return;
  }
  const { choices, usage, ...rest } = completion;
  const [choice] = choices as Json[];
  const base = { ...rest, ...(call.includeUsage ? { usage: null } : {}) };
  const texts = pieces(String(choice?.text), 5);
  const chunks: Json[] = texts.map((text, i) => ({
    ...base,
    choices: [{ index: 0, text, logprobs: null, finish_reason: i === texts.length - 1 ? choice?.finish_reason : null }],
  }));
  if (call.includeUsage) chunks.push({ ...base, choices: [], usage });
  sendStream(
    res,
    call,
    chunks.map((chunk) => sseFrame(chunk)),
    sseFrame("[DONE]"),
    () => sseFrame(chatErrorFrame()),
  );
}

const EMBEDDING_DIMENSIONS = 8;

function embeddings(res: ServerResponse, call: Call): void {
  const inputs = embeddingInputs(call.body.input);
  const dimensions = typeof call.body.dimensions === "number" ? call.body.dimensions : EMBEDDING_DIMENSIONS;
  const base64 = call.body.encoding_format === "base64";
  const data = inputs.map((_, index) => {
    const vector = Array.from({ length: dimensions }, (_, d) => Math.round(Math.sin(index + d + 1) * 1000) / 1000);
    return {
      object: "embedding",
      index,
      embedding: base64 ? Buffer.from(new Float32Array(vector).buffer).toString("base64") : vector,
    };
  });
  const promptTokens = inputs.reduce(
    (sum, input) => sum + (typeof input === "string" ? Math.ceil(input.length / 4) : input.length),
    0,
  );
  sendJson(res, 200, {
    object: "list",
    data,
    model: call.model,
    usage: { prompt_tokens: promptTokens, total_tokens: promptTokens },
  });
}

function embeddingInputs(input: unknown): (string | number[])[] {
  if (typeof input === "string") return [input];
  if (Array.isArray(input) && input.every((item) => typeof item === "number")) return [input as number[]];
  return Array.isArray(input) ? (input as (string | number[])[]) : [];
}

// ---------------------------------------------------------------- Streaming and its failures

/**
 * Sends `frames` then `closing` as one SSE answer, or, in a failure scenario, part of them (`stream-cut` and
 * `stream-hold` end after the first `earlyEndAt`):
 * `stream-error` adds `errorFrame` after three frames, `stream-drop` destroys the socket there,
 * `slow` paces many copies of the last content frame.
 */
function sendStream(
  res: ServerResponse,
  call: Call,
  frames: string[],
  closing: string,
  errorFrame: () => string,
  earlyEndAt = 3,
): void {
  openEventStream(res);
  const head = frames.slice(0, 3);
  if (EARLY_ENDS.has(call.scenario)) {
    endStreamEarly(res, call.scenario, frames.slice(0, earlyEndAt));
    return;
  }
  switch (call.scenario) {
    case "stream-error":
      res.end([...head, errorFrame()].join(""));
      return;
    case "stream-drop":
      for (const frame of head) res.write(frame);
      setTimeout(() => res.socket?.destroy(), 20);
      return;
    case "slow": {
      const filler = frames[Math.min(3, frames.length - 1)] ?? "";
      writeFramesPaced(res, [...head, ...Array<string>(SLOW_CHUNKS).fill(filler), closing], SLOW_INTERVAL_MS);
      return;
    }
    default:
      res.end([...frames, closing].join(""));
  }
}
