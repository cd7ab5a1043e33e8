/**
 * Per-call overhead of one tracer, the same code in Node and in workerd: an OpenAI client on an in-process
 * fake `fetch`, timed unwrapped before the tracer is set up ("clean") and after (its global hooks), then
 * unwrapped and wrapped in alternating rounds. Each wrapped round runs through the tracer's `round()` (its
 * request, its flush), with only the calls themselves timed.
 */
import { CHAT_PARAMS, fakeOpenAIClient as newClient, STREAM_CHUNKS, STREAM_PARAMS } from "./fake-llm.mjs";
import { median } from "./stats.mjs";

const WARMUP_ROUNDS = 4;
/** The first rounds of a process also warm up the SDK and the runtime: the clean baseline gets more. */
const FIRST_WARMUP_ROUNDS = 16;

const MODES = {
  chat: (client) => client.chat.completions.create(CHAT_PARAMS),
  async stream(client) {
    let chunks = 0;
    for await (const _ of await client.chat.completions.create(STREAM_PARAMS)) chunks++;
    if (chunks !== STREAM_CHUNKS) throw new Error(`the stream gave ${chunks} chunks, not ${STREAM_CHUNKS}`);
  },
};
export const MODE_NAMES = Object.keys(MODES);

/** Milliseconds per call over one round of `count` calls. */
async function timeRound(client, mode, count) {
  const call = MODES[mode];
  const start = performance.now();
  for (let i = 0; i < count; i++) await call(client);
  return (performance.now() - start) / count;
}

/** Unwrapped rounds only. */
async function unwrappedRounds(mode, { rounds, calls }, warmup = WARMUP_ROUNDS) {
  const client = newClient();
  const times = [];
  for (let i = 0; i < warmup + rounds; i++) {
    const time = await timeRound(client, mode, calls[mode]);
    if (i >= warmup) times.push(time);
  }
  return times;
}

async function pairedRounds(tracer, mode, { rounds, calls }) {
  const raw = newClient();
  const wrapped = tracer.wrap(newClient());
  const timeRaw = () => timeRound(raw, mode, calls[mode]);
  const timeWrapped = () => tracer.round(() => timeRound(wrapped, mode, calls[mode]));
  const rawTimes = [];
  const wrappedTimes = [];
  for (let i = 0; i < WARMUP_ROUNDS + rounds; i++) {
    // Alternate which goes first, so that drift and GC debt fall on both alike.
    let rawTime;
    let wrappedTime;
    if (i % 2 === 0) {
      rawTime = await timeRaw();
      wrappedTime = await timeWrapped();
    } else {
      wrappedTime = await timeWrapped();
      rawTime = await timeRaw();
    }
    if (i < WARMUP_ROUNDS) continue;
    rawTimes.push(rawTime);
    wrappedTimes.push(wrappedTime);
  }
  return { rawTimes, wrappedTimes };
}

/**
 * `tracerModule` exports `setup(env)`, resolving to `{ wrap(client), round(run) }`. `options.calls` is the
 * number of calls per round for each mode. Resolves, per mode, to medians in ms per call and the ratio of the
 * wrapped median to the unwrapped one.
 */
export async function measureTracer(tracerModule, env, options) {
  const clean = {};
  for (const mode of MODE_NAMES) clean[mode] = await unwrappedRounds(mode, options, FIRST_WARMUP_ROUNDS);
  const tracer = await tracerModule.setup(env);
  const result = {};
  for (const mode of MODE_NAMES) {
    const afterSetup = await unwrappedRounds(mode, options);
    const { rawTimes, wrappedTimes } = await pairedRounds(tracer, mode, options);
    result[mode] = {
      cleanMs: median(clean[mode]),
      afterSetupMs: median(afterSetup),
      rawMs: median(rawTimes),
      wrappedMs: median(wrappedTimes),
      // Of the medians, not the median of per-round ratios: a GC pause or a runtime hiccup (in workerd a round in
      // four takes up to 1.5× as long, traced or not) then spoils no pair, and the two medians each leave it out.
      ratio: median(wrappedTimes) / median(rawTimes),
      addedMs: median(wrappedTimes) - median(rawTimes),
    };
  }
  return result;
}
