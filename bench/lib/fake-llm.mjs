/**
 * Canned OpenAI and Anthropic answers in their wire formats, served by an in-process `fetch` (per-call
 * benchmarks: no network to drown the signal) or by a loopback HTTP server (the Worker benchmarks).
 * The work done here is the same whether or not a tracer is on, so it only dilutes ratios as a real
 * network would: it never parses the request, only looks for the two markers that change the answer.
 */
import OpenAI from "openai";

const encoder = new TextEncoder();
const CREATED = 1767225600;
/** How many bytes one read of a streamed body returns, as a socket would deliver them. */
const READ_SIZE = 16 * 1024;

/** The non-streamed benchmark call: a 10-message conversation with a tool call, and its tool. */
export const CHAT_PARAMS = {
  model: "gpt-4o-mini",
  temperature: 0.2,
  max_tokens: 512,
  tools: [
    {
      type: "function",
      function: {
        name: "get_order_status",
        description: "Look up the shipping status of an order by its id.",
        parameters: {
          type: "object",
          properties: { order_id: { type: "string", description: "The order id, e.g. A-1042." } },
          required: ["order_id"],
        },
      },
    },
  ],
  messages: [
    { role: "system", content: "You are the support assistant of an online bookshop. Be brief and precise." },
    { role: "user", content: "Hi, I ordered three books last week and nothing has arrived yet." },
    { role: "assistant", content: "Sorry to hear that. Could you give me the order id?" },
    { role: "user", content: "Sure, it is A-1042." },
    {
      role: "assistant",
      content: null,
      tool_calls: [
        { id: "call_1", type: "function", function: { name: "get_order_status", arguments: '{"order_id":"A-1042"}' } },
      ],
    },
    {
      role: "tool",
      tool_call_id: "call_1",
      content: '{"order_id":"A-1042","status":"in_transit","carrier":"DHL","eta":"2026-03-14","items":3}',
    },
    { role: "assistant", content: "Your order A-1042 is in transit with DHL and should arrive on 14 March." },
    { role: "user", content: "Can I change the delivery address to my office?" },
    { role: "assistant", content: "Address changes are possible until the parcel reaches the local depot." },
    { role: "user", content: "Please do it: 12 Harbour Street, Leith, EH6 6JJ. And tell me when it will arrive." },
  ],
};

/**
 * The `index`-th call of a request: the same conversation with its own last question, as an agent's or a
 * chat's successive calls share most of their text.
 */
export function chatParams(index) {
  const messages = CHAT_PARAMS.messages.slice(0, -1);
  messages.push({
    role: "user",
    content: `Question ${index}: ${CHAT_PARAMS.messages.at(-1).content} (ticket ${index * 7919})`,
  });
  return { ...CHAT_PARAMS, messages };
}

/** The streamed benchmark call. */
export const STREAM_CHUNKS = 2000;
export const STREAM_PARAMS = {
  model: "gpt-4o-mini",
  stream: true,
  messages: [{ role: "user", content: "Tell me a long story about a lighthouse keeper." }],
};

const ANSWER =
  "I have asked DHL to redirect order A-1042 to 12 Harbour Street, Leith, EH6 6JJ. The new delivery date is " +
  "16 March; you will get a tracking e-mail with the confirmation within the hour.";

function chatCompletion() {
  return {
    id: "chatcmpl-bench",
    object: "chat.completion",
    created: CREATED,
    model: "gpt-4o-mini-2024-07-18",
    system_fingerprint: "fp_bench",
    choices: [
      {
        index: 0,
        message: { role: "assistant", content: ANSWER, refusal: null },
        logprobs: null,
        finish_reason: "stop",
      },
    ],
    usage: {
      prompt_tokens: 312,
      completion_tokens: 48,
      total_tokens: 360,
      prompt_tokens_details: { cached_tokens: 256, audio_tokens: 0 },
      completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0 },
    },
  };
}

function sseFrame(value) {
  return `data: ${JSON.stringify(value)}\n\n`;
}

function chunk(delta, finishReason = null) {
  return {
    id: "chatcmpl-bench-stream",
    object: "chat.completion.chunk",
    created: CREATED,
    model: "gpt-4o-mini-2024-07-18",
    system_fingerprint: "fp_bench",
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
  };
}

/** The 2,000-chunk stream, encoded once; with and without the usage chunk that `include_usage` asks for. */
function buildStream() {
  const frames = [sseFrame(chunk({ role: "assistant", content: "" }))];
  for (let i = 1; i < STREAM_CHUNKS - 1; i++) frames.push(sseFrame(chunk({ content: ` word${i % 97}` })));
  frames.push(sseFrame(chunk({}, "stop")));
  const usage = sseFrame({
    ...chunk({}),
    choices: [],
    usage: { prompt_tokens: 14, completion_tokens: STREAM_CHUNKS - 2, total_tokens: STREAM_CHUNKS + 12 },
  });
  const done = "data: [DONE]\n\n";
  return {
    plain: encoder.encode(frames.join("") + done),
    withUsage: encoder.encode(frames.join("") + usage + done),
  };
}

function anthropicMessage() {
  return {
    id: "msg_bench",
    type: "message",
    role: "assistant",
    model: "claude-sonnet-4-5-20250929",
    content: [{ type: "text", text: ANSWER }],
    stop_reason: "end_turn",
    stop_sequence: null,
    usage: { input_tokens: 312, output_tokens: 48, cache_read_input_tokens: 0, cache_creation_input_tokens: 0 },
  };
}

const CHAT_BODY = encoder.encode(JSON.stringify(chatCompletion()));
const ANTHROPIC_BODY = encoder.encode(JSON.stringify(anthropicMessage()));
const STREAM_BODIES = buildStream();
const JSON_HEADERS = { "content-type": "application/json", "x-request-id": "req_bench" };
const SSE_HEADERS = { "content-type": "text/event-stream", "x-request-id": "req_bench" };

/** The answer to one request: `{ status, headers, body }`, the body as bytes. */
export function answer(path, requestBody) {
  if (path.endsWith("/messages")) return { status: 200, headers: JSON_HEADERS, body: ANTHROPIC_BODY };
  if (path.endsWith("/chat/completions")) {
    if (!requestBody.includes('"stream":true')) return { status: 200, headers: JSON_HEADERS, body: CHAT_BODY };
    const withUsage = requestBody.includes('"include_usage":true');
    return { status: 200, headers: SSE_HEADERS, body: withUsage ? STREAM_BODIES.withUsage : STREAM_BODIES.plain };
  }
  return { status: 404, headers: JSON_HEADERS, body: encoder.encode('{"error":{"message":"not found"}}') };
}

/** A body delivered in socket-sized reads. */
function readsOf(bytes) {
  let offset = 0;
  return new ReadableStream({
    pull(controller) {
      if (offset >= bytes.byteLength) return controller.close();
      controller.enqueue(bytes.subarray(offset, offset + READ_SIZE));
      offset += READ_SIZE;
    },
  });
}

/** The in-process `fetch` handed to the SDK clients (`new OpenAI({ fetch })`). */
export async function fakeFetch(input, init) {
  const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
  const body = typeof init?.body === "string" ? init.body : "";
  const reply = answer(new URL(url).pathname, body);
  return new Response(readsOf(reply.body), { status: reply.status, headers: reply.headers });
}

/** An OpenAI client whose requests this module answers in-process. */
export function fakeOpenAIClient() {
  return new OpenAI({ apiKey: "sk-bench", baseURL: "https://api.bench.invalid/v1", fetch: fakeFetch, maxRetries: 0 });
}
