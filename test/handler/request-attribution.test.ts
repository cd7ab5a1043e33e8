/**
 * Every span under its own request's settings, under concurrency (issue 23's matrix): {AsyncLocalStorage found,
 * given, absent} × {client and task made at module level, inside the handler} × {1, 200 requests in flight} ×
 * {one handler, two handlers with different keys, endpoints and content policies in one isolate}. Each request
 * plants a unique token in its prompt; every export body is decoded by the receiver's own decoder, and the test
 * fails on any token that reaches an endpoint or key other than its own, and on any content of the handler that
 * says `traceContent: false`. It also checks where each request's spans went against the rule of
 * docs/architecture.md ("Finding a span's request"), so that a rule that merely drops everything fails too.
 *
 * Each cell runs in a fresh copy of the library (a new isolate), with the real `openai` SDK against the mock
 * server. Requests in flight together wait at a gate until all of them are in their handlers: "200 in flight"
 * is a fact when the LLM calls are made, not a hope about timing.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import OpenAI from "openai";
import { afterEach, describe, expect, inject, it, vi } from "vitest";
import { type RecordingContext, recordingContext } from "../support/execution-context";
import { freshIsolate, type Isolate, type Moda } from "../support/fresh-isolate";
import { type DecodedSpan, newSink, type ReceivedRequest, type Sink } from "../support/receiver-client";

type AlsMode = "found" | "given" | "absent";
type Place = "module level" | "inside the handler";
type HandlerCount = 1 | 2;

/** Where a request's task and LLM spans are expected, by the rule: see `expectedPlacement`. */
type Placement = "nested" | "own trace" | "dropped";

/** The answer of the mock's `text` scenario: content that must not leave under `traceContent: false`. */
const ANSWER = "Hello! How can I help you today?";
const TOKEN = /canary-[AB]-\d+-\d+-[a-z0-9]+/g;

interface HandlerSpec {
  readonly letter: "A" | "B";
  readonly key: string;
  readonly sink: Sink;
  readonly traceContent: boolean;
}

/** A Worker handler: `A` takes its key and endpoint from the Worker `env`, `B` from options, with content off. */
type Worker = { fetch(request: Request, env: Record<string, string>, ctx: RecordingContext): Promise<Response> };

/** Resolves each `enter()` once `size` requests have entered: they are then all in flight at once. */
function gate(size: number): { enter(): Promise<void> } {
  let entered = 0;
  let open!: () => void;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return {
    enter() {
      if (++entered === size) open();
      return opened;
    },
  };
}

/** A wrapped OpenAI client and a `task` that calls it with a prompt, as an application makes them. */
function makeAnswer(moda: Moda): (prompt: string) => Promise<string> {
  const client = moda.wrap(new OpenAI({ apiKey: "sk-provider", baseURL: `${inject("openaiUrl")}/v1`, maxRetries: 0 }));
  return moda.task("answer", async (prompt: string) => {
    const completion = await client.chat.completions.create({
      model: "gpt-4o-mini",
      messages: [{ role: "user", content: prompt }],
    });
    return completion.choices[0]?.message.content ?? "";
  });
}

function makeWorker(moda: Moda, spec: HandlerSpec, place: Place, rounds: () => { enter(): Promise<void> }): Worker {
  const moduleLevel = place === "module level" ? makeAnswer(moda) : undefined;
  // Every request is exported, its request span included, wherever its task and call went.
  const options =
    spec.letter === "A"
      ? { exportAllRequests: true }
      : { apiKey: spec.key, baseUrl: spec.sink.url, traceContent: false, exportAllRequests: true };
  return moda.withModa<Worker>(
    {
      async fetch(request) {
        // Inside the handler: made in its synchronous part, where the request is current.
        const answer = moduleLevel ?? makeAnswer(moda);
        const round = rounds();
        const prompt = await request.text();
        await round.enter();
        return new Response(await answer(prompt));
      },
    },
    options,
  );
}

async function isolateWith(als: AlsMode): Promise<Isolate> {
  const isolate = await freshIsolate();
  if (als !== "found") isolate.context.useAsyncLocalStorage(null);
  if (als === "given") isolate.moda.init({ asyncLocalStorage: AsyncLocalStorage });
  // The runtimes under test all have one to find; "given" is init()'s, "absent" none.
  expect(isolate.context.hasAsyncContext()).toBe(als !== "absent");
  if (als === "given") expect(isolate.context.describeAsyncContext()).toContain("init({ asyncLocalStorage })");
  return isolate;
}

/**
 * The rule, for a task and LLM call made after an `await`: with AsyncLocalStorage the request is known. Without,
 * a guess may pick the trace only while every request the isolate has begun had the same export settings (a
 * finished request's leftover work could be any of them): alone in flight, the request; else the request the task
 * and client were made in, else a trace of their own. Once two handlers' requests have run, nothing may be
 * guessed, whatever is in flight, and the spans are dropped.
 */
function expectedPlacement(als: AlsMode, place: Place, inFlight: number, handlers: HandlerCount): Placement {
  if (als !== "absent") return "nested";
  if (handlers === 2) return "dropped";
  return inFlight === 1 || place === "inside the handler" ? "nested" : "own trace";
}

interface Sent {
  readonly spec: HandlerSpec;
  readonly path: string;
  readonly token: string;
  /** The isolate's first request, alone in flight: no request of other settings has begun yet. */
  readonly firstAlone: boolean;
}

/** Runs `total` requests, `inFlight` at a time, alternating between the handlers; resolves once all exports are done. */
async function runRequests(
  moda: Moda,
  specs: HandlerSpec[],
  place: Place,
  inFlight: number,
  total: number,
  cell: number,
): Promise<Sent[]> {
  let round = gate(inFlight);
  const workers = specs.map((spec) => makeWorker(moda, spec, place, () => round));
  const sent: Sent[] = [];
  for (let start = 0; start < total; start += inFlight) {
    round = gate(inFlight);
    const ctx = recordingContext();
    const batch = Array.from({ length: inFlight }, async (_, offset) => {
      const i = start + offset;
      const spec = specs[i % specs.length] as HandlerSpec;
      const worker = workers[i % specs.length] as Worker;
      const token = `canary-${spec.letter}-${cell}-${i}-${Math.random().toString(36).slice(2, 10)}`;
      const path = `/${spec.letter}/${i}`;
      sent.push({ spec, path, token, firstAlone: i === 0 && inFlight === 1 });
      const env = { MODA_API_KEY: specs[0]?.key ?? "", MODA_BASE_URL: specs[0]?.sink.url ?? "" };
      const response = await worker.fetch(
        new Request(`https://app.example${path}`, { method: "POST", body: `Say hello. ${token}` }),
        env,
        ctx,
      );
      expect(await response.text()).toBe(ANSWER);
    });
    await Promise.all(batch);
    await ctx.settled();
  }
  return sent;
}

interface Received {
  readonly spans: DecodedSpan[];
  readonly requests: ReceivedRequest[];
}

/** The promise: a token only at its own handler's endpoint, under its key; nothing of B's content anywhere. */
function expectNoLeak(specs: HandlerSpec[], received: Map<HandlerSpec, Received>): void {
  for (const spec of specs) {
    const { spans, requests } = received.get(spec) as Received;
    for (const request of requests) expect(request.headers.authorization).toBe(`Bearer ${spec.key}`);
    const raw = JSON.stringify(spans);
    const foreign = (raw.match(TOKEN) ?? []).filter((token) => !token.startsWith(`canary-${spec.letter}-`));
    expect(foreign, `tokens of another handler at ${spec.letter}'s endpoint`).toEqual([]);
    if (!spec.traceContent) {
      expect(raw.match(TOKEN) ?? [], `content at ${spec.letter}, which says traceContent: false`).toEqual([]);
      expect(raw).not.toContain(ANSWER);
    }
  }
}

/** Where each request's spans went, checked against the rule. */
function expectPlacement(sent: Sent[], received: Map<HandlerSpec, Received>, placement: Placement): void {
  for (const [spec, { spans }] of received) {
    const mine = sent.filter((request) => request.spec === spec);
    const roots = spans.filter((span) => span.kind === "SERVER");
    expect(roots.map((root) => root.attributes["url.path"]).sort()).toEqual(mine.map((r) => r.path).sort());
    const tasks = spans.filter((span) => span.name === "answer.task");
    const llms = spans.filter((span) => span.kind === "CLIENT");
    if (placement === "dropped") {
      // The isolate's first request, alone in flight before any of the other settings began, is still known.
      const known = mine.filter((request) => request.firstAlone);
      expect(tasks.length + llms.length, `spans of unknown requests at ${spec.letter}`).toBe(2 * known.length);
      continue;
    }
    expect(tasks).toHaveLength(mine.length);
    expect(llms).toHaveLength(mine.length);
    for (const request of mine) {
      const root = roots.find((span) => span.attributes["url.path"] === request.path) as DecodedSpan;
      const task = tasks.find((span) => span.traceId === root.traceId);
      if (placement === "nested") {
        expect(task?.parentSpanId).toBe(root.spanId);
        const llm = llms.find((span) => span.parentSpanId === task?.spanId);
        expect(llm?.traceId).toBe(root.traceId);
        if (spec.traceContent) expect(JSON.stringify(llm?.attributes)).toContain(request.token);
      } else {
        expect(task, `a task in the trace of ${request.path}`).toBeUndefined();
      }
    }
    if (placement === "own trace") {
      for (const task of tasks) {
        expect(task.parentSpanId).toBe("");
        expect(llms.filter((llm) => llm.parentSpanId === task.spanId && llm.traceId === task.traceId)).toHaveLength(1);
      }
      if (spec.traceContent) {
        const tokens = new Set(JSON.stringify(llms).match(TOKEN));
        expect([...tokens].sort()).toEqual(mine.map((request) => request.token).sort());
      }
    }
  }
}

const CELLS = (["found", "given", "absent"] as const).flatMap((als) =>
  (["module level", "inside the handler"] as const).flatMap((place) =>
    ([1, 200] as const).flatMap((inFlight) =>
      ([1, 2] as const).map((handlers) => ({ als, place, inFlight, handlers })),
    ),
  ),
);

describe("every span under its own request's settings, whatever is in flight", () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it.each(CELLS.map((cell, index) => ({ ...cell, index })))(
    "AsyncLocalStorage $als, client at $place, $inFlight in flight, $handlers handler(s)",
    async ({ als, place, inFlight, handlers, index }) => {
      const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
      const { moda } = await isolateWith(als);
      const specs: HandlerSpec[] = [
        { letter: "A", key: `key-A-${index}`, sink: newSink(), traceContent: true },
        { letter: "B", key: `key-B-${index}`, sink: newSink(), traceContent: false },
      ].slice(0, handlers) as HandlerSpec[];
      const total = inFlight === 1 ? 2 * handlers : inFlight;
      const sent = await runRequests(moda, specs, place, inFlight, total, index);

      const received = new Map<HandlerSpec, Received>();
      for (const spec of specs) {
        received.set(spec, { spans: await spec.sink.spans(), requests: await spec.sink.requests() });
      }
      expectNoLeak(specs, received);
      const placement = expectedPlacement(als, place, inFlight, handlers);
      expectPlacement(sent, received, placement);
      const warnings = warn.mock.calls.filter(([message]) => String(message).includes("could not be known"));
      expect(warnings).toHaveLength(placement === "dropped" ? 1 : 0);
    },
    // 200 requests through a real SDK: seconds alone, more on a loaded 2-core machine (a guard, not a measure).
    60_000,
  );
});
