/** Turns the measurements into the Markdown of BENCHMARKS.md (also printed by `npm run bench`). */
import { STREAM_CHUNKS } from "./fake-llm.mjs";
import { ratioOverRuns } from "./repeated-runs.mjs";

const kib = (bytes) => `${(bytes / 1024).toFixed(1)} KiB`;
const ms = (value, digits = 3) => (Number.isFinite(value) ? value.toFixed(digits) : "—");
const ratio = (value) => (Number.isFinite(value) ? `${value.toFixed(2)}×` : "—");
const mark = (pass) => (pass ? "pass" : "**FAIL**");

function table(headers, rows) {
  const line = (cells) => `| ${cells.join(" | ")} |`;
  return [line(headers), line(headers.map(() => "---")), ...rows.map(line)].join("\n");
}

/** moda-edge's own files in the budget's Worker: the largest by name, the rest summed. */
function modaFilesLine(files) {
  const shown = 16;
  const total = files.reduce((sum, [, bytes]) => sum + bytes, 0);
  const rest = files.slice(shown).reduce((sum, [, bytes]) => sum + bytes, 0);
  const named = files.slice(0, shown).map(([path, bytes]) => `${path.slice("src/".length)} ${kib(bytes)}`);
  return `moda-edge's own code in that Worker, by source file (minified bytes, through the source maps): ${kib(total)} in all; ${named.join(", ")}, ${files.length - shown} more files ${kib(rest)}.`;
}

/** The same two Workers bundled by wrangler, against this section's figures for them. */
function wranglerLine({ plain, moda }, rows) {
  const failed = [plain, moda].find((result) => !result.ok);
  if (failed) return `Cross-check with wrangler: it did not bundle (${failed.error}).`;
  const ours = rows[1].addedGzip;
  const gzipKib = (moda.gzipKib - plain.gzipKib).toFixed(2);
  return `Cross-check with wrangler itself (${moda.version}, \`wrangler deploy --dry-run --minify\`): the untraced Worker ${plain.kib} KiB, gzip ${plain.gzipKib} KiB; with moda-edge (withModa, wrapOpenAI, wrapAnthropic) ${moda.kib} KiB, gzip ${moda.gzipKib} KiB. By wrangler's count moda-edge adds ${gzipKib} KiB gzip, ${moda.gzipBytes - plain.gzipBytes} B by gzip of its output, against ${ours} B above.`;
}

function bundleSection({ rows, openAIOnly, modaInputs, modaFiles, wrangler }) {
  const sizeRow = (r) =>
    r.bytes === undefined
      ? [r.name, "—", "—", "—", r.note]
      : [
          r.name,
          kib(r.bytes),
          kib(r.gzipBytes),
          r.addedGzip === 0 ? "—" : `+${kib(r.addedGzip)} (${r.addedGzip} B)`,
          r.note,
        ];
  return [
    "## 1. Bundle cost",
    "",
    "esbuild as `wrangler deploy --minify` runs it (ESM, platform `browser`, conditions `workerd`/`worker`/`browser`, target es2024, minified, names kept), then `gzip` as wrangler counts it. The Worker makes one OpenAI and one Anthropic call (`openai`, `@anthropic-ai/sdk`); each row adds one tracer to it. The budget counts moda-edge with its per-provider wrappers (`wrapOpenAI`, `wrapAnthropic`), which carry only their own provider; the generic `wrap()` recognises every supported SDK, so it carries all seven providers' code: the second row is the cost of that convenience.",
    "",
    table(["Worker", "minified", "gzip", "added (gzip)", "note"], rows.map(sizeRow)),
    "",
    wranglerLine(wrangler, rows),
    "",
    `Largest inputs of the moda-edge Worker (minified bytes): ${modaInputs.map(([name, bytes]) => `${name} ${kib(bytes)}`).join(", ")}.`,
    "",
    modaFilesLine(modaFiles),
    "",
    "A Worker that calls OpenAI only, bundled the same way. Without `@anthropic-ai/sdk` the untraced Worker holds no `@opentelemetry/api`, and moda-edge brings none (it imports the api for types only):",
    "",
    table(["Worker", "minified", "gzip", "added (gzip)", "note"], openAIOnly.map(sizeRow)),
  ].join("\n");
}

function perCallRows(runtime, results) {
  return Object.entries(results).map(([label, r]) => {
    if (r.error) return [runtime, label, "—", "—", "—", "—", "—", "—", "—", "—", "—", r.error.slice(0, 300)];
    const perChunkUs = (r.stream.addedMs / STREAM_CHUNKS) * 1000;
    return [
      runtime,
      label,
      ms(r.chat.rawMs),
      ms(r.chat.wrappedMs),
      ratioOverRuns(r.chat, ratio, 2),
      (r.chat.addedMs * 1000).toFixed(0),
      ms(r.stream.rawMs, 2),
      ms(r.stream.wrappedMs, 2),
      ratioOverRuns(r.stream, ratio, 2),
      perChunkUs.toFixed(2),
      ratio(r.chat.afterSetupMs / r.chat.cleanMs),
      `${r.sink?.requests ?? 0} sent${r.note ? `; ${r.note}` : ""}`,
    ];
  });
}

function perCallSection({ node, workerd, rounds, runs, calls }) {
  return [
    "## 2. Per-call overhead",
    "",
    `OpenAI SDK on an in-process fake \`fetch\`, content capture on. **chat**: a 10-message conversation with a tool call and tool definitions, not streamed (ms per call). **stream**: one 2,000-chunk stream read to the end (ms per stream). Each tracer runs in its own process (Node) or isolate (workerd); unwrapped and wrapped rounds alternate, ${rounds} timed rounds after warm-up, each of ${calls.chat} chat calls or ${calls.stream} streams; a run's ratio is its median wrapped round over its median unwrapped round. ${runs > 1 ? `Each tracer is run ${runs} times, each time in a fresh process (Node) or a fresh workerd, the runs taking turns with the other tracers': every figure is the median over the runs (the µs added, of each run's own difference, so that it agrees with the ratio), and the ratios show the runs' range in brackets.` : "One run per tracer (--quick)."} Tracing work deferred to a flush (moda-edge, LangSmith, Braintrust batches, Sentry's transaction) runs between rounds, untimed. "unwrapped after setup" is the unwrapped chat call timed alone after the tracer was set up, against before it was (what a tracer's global hooks cost calls it does not trace; JIT warm-up makes it vary by ±20 % from run to run here). "exports" counts what reached the in-process backend stand-in (a sanity check that the tracer traced). workerd's clock ticks in whole milliseconds, so its per-call figures are coarser.`,
    "",
    table(
      [
        "runtime",
        "tracer",
        "chat unwrapped",
        "chat wrapped",
        "chat ratio",
        "µs added per call",
        "stream unwrapped",
        "stream wrapped",
        "stream ratio",
        "µs added per chunk",
        "unwrapped after setup",
        "exports",
      ],
      [...perCallRows("Node", node), ...perCallRows("workerd", workerd)],
    ),
  ].join("\n");
}

function exportSection(rows) {
  return [
    "## 3. Export cost (Node), and CPU per request with its export (Node, workerd)",
    "",
    `A \`withModa\` request with N LLM spans (the 10-message conversation, each call with its own last question) plus the request's own span, exported to an in-process sink as OTLP protobuf. **work**: from the end of the flush's yield to the runtime to the body handed to \`fetch\` — the spans described (attributes built from the calls, content captured), encoded and gzipped. **whole flush**: from the response to the end of the export; it adds the wait for spans still open and that yield (a 0 ms timer, which Node holds for 1 ms). Bytes of the request body. As in a Worker's isolate that has served requests before: each configuration is exported ${rows[0].warmupRequests} times before any is timed, then the timed requests take turns across the configurations. Medians.`,
    "",
    table(
      ["LLM spans", "compression", "work ms per span", "bytes per span", "work ms", "whole flush ms", "total bytes"],
      rows.map((r) => [
        r.spans,
        r.compression,
        ms(r.workMsPerSpan),
        Math.round(r.bytesPerSpan),
        ms(r.workMs, 2),
        ms(r.flushMs, 2),
        Math.round(r.totalBytes),
      ]),
    ),
  ].join("\n");
}

function requestCpuPart({ node, workerd, rounds, runs }) {
  return [
    "The CPU a traced request costs the process serving it, its export included: what a Worker is billed for, the flush in `waitUntil` counted. The handlers of the handler-time measurement (section 4), each request served to its end, one after another: the response read, then its `waitUntil` work awaited. Three configurations: untraced; traced (a request without an LLM call exports nothing, moda-edge's default); and the **floor**, the untraced handler plus one `ctx.waitUntil(fetch(ingest, { method: \"POST\", body }))` of the bytes the traced request exported, what any export of the same spans costs at least. In workerd the exports go out by the runtime's own `fetch` to a loopback ingest; in Node, to the in-process sink. " +
      `The CPU time the process used during each round (Node: \`process.cpuUsage()\`, from inside; workerd: the process's threads in Linux's \`/proc/<pid>/task/*/schedstat\`, from outside, so the runtime's own work for the requests counts too), per request. ${rounds} rounds after warm-up, each serving every configuration once, interleaved (the order rotated from round to round), in each of ${runs} fresh processes (Node) or workerds; the medians of the rounds, then of the processes. "vs floor" is what tracing adds over what the floor adds, (traced − untraced) / (floor − untraced); next to each ratio, in brackets, the interquartile range of that ratio round by round (the widest over the processes).`,
    "",
    table(
      [
        "runtime",
        "handler",
        "requests per round",
        "untraced µs",
        "floor µs",
        "traced µs",
        "added µs",
        "traced/untraced (IQR)",
        "vs floor (IQR)",
        "exports",
      ],
      [...cpuRows("Node", node), ...cpuRows("workerd", workerd)],
    ),
  ].join("\n");
}

const iqrText = (range) => (range ? ` (${range.map((value) => value.toFixed(2)).join("–")})` : "");

function cpuRows(runtime, result) {
  if (!Array.isArray(result)) return [[runtime, "—", "—", "—", "—", "—", "—", "—", "—", result.error.slice(0, 300)]];
  return result.map((r) => [
    runtime,
    r.calls === 0 ? "no LLM call" : `${r.calls} LLM call${r.calls === 1 ? "" : "s"}`,
    r.requests,
    r.untracedUs.toFixed(0),
    r.calls === 0 || r.floorUs === undefined ? "—" : r.floorUs.toFixed(0),
    r.tracedUs.toFixed(0),
    `${r.addedUs >= 0 ? "+" : ""}${r.addedUs.toFixed(0)}`,
    `${ratio(r.ratio)}${iqrText(r.ratioIqr)}`,
    r.calls === 0 || r.floorRatio === undefined ? "—" : `${ratio(r.floorRatio)}${iqrText(r.floorRatioIqr)}`,
    `${r.exports} sent`,
  ]);
}

function latencySection({ rows, requests, exportsReceived }) {
  const byName = new Map(rows.map((r) => [r.name, r]));
  return [
    "## 4. Response latency (workerd), and handler time per request (Node, workerd)",
    "",
    `Time to the last byte of the minimal Worker's response (one OpenAI and one Anthropic call to a loopback fake API), ${requests} requests per Worker after warm-up, alternating in a balanced order (each Worker right after every other equally often: a request's export runs while the next request is served, whichever Worker that is). Then the two "back to back" rows: each measured request right after an unmeasured one to the same Worker, as a Worker under back-to-back traffic serves it; the traced one is compared with the untraced one timed the same way, and the difference is what a request's export costs the next request. "noise" is half the interquartile range. The ingest that answers at once received ${exportsReceived.fast} exports; the slow one ${exportsReceived.slow}.`,
    "",
    table(
      ["Worker", "median ms", "p90 ms", "noise ms", "vs its untraced row"],
      rows.map((r) => {
        const base = byName.get(r.baseline);
        const difference = r.medianMs - base.medianMs;
        return [
          r.name,
          ms(r.medianMs, 2),
          ms(r.p90Ms, 2),
          ms(r.noiseMs, 2),
          r === base ? "—" : `${difference >= 0 ? "+" : ""}${ms(difference, 2)} ms`,
        ];
      }),
    ),
  ].join("\n");
}

function roundRows(runtime, result) {
  if (!Array.isArray(result)) return [[runtime, "—", "—", "—", "—", "—", "—", result.error.slice(0, 300)]];
  return result.map((r) => [
    runtime,
    r.calls === 0 ? "no LLM call" : `${r.calls} LLM call${r.calls === 1 ? "" : "s"}`,
    r.requests,
    r.untracedUs.toFixed(0),
    r.tracedUs.toFixed(0),
    `${r.addedUs >= 0 ? "+" : ""}${r.addedUs.toFixed(0)}`,
    `${ratio(r.ratio)} (${r.ratioRange.map((value) => value.toFixed(2)).join("–")})`,
    `${r.exports} sent`,
  ]);
}

function requestOverheadPart({ node, workerd, rounds }) {
  return [
    "What `withModa` adds to a request's handler time, in process (no network to drown it), the same code in Node and in workerd: a handler that makes no LLM call and one that makes one (the 10-message conversation on the in-process fake `fetch`), untraced and traced (`withModa`, the client wrapped; both made once, as an application makes them). " +
      `Requests are timed in rounds, from the first handler call to the last byte of the round's last response read (workerd's clock moves in whole milliseconds); the requests' exports run after their round, untimed (a round during which one reached the backend stand-in would fail the run). ${rounds} timed rounds of each after warm-up, untraced and traced alternating, each first as often as second; medians of the rounds, in µs per request, and the range of the traced rounds against the untraced median. This is the whole request path of \`withModa\`: the request span, the context, the flush handed to \`waitUntil\`, and the response body piped to see its end (re-streamed in JavaScript in Node; through the runtime's own stream in workerd). There is no budget for it.`,
    "",
    table(
      ["runtime", "handler", "requests per round", "untraced µs", "traced µs", "added µs", "ratio (range)", "exports"],
      [...roundRows("Node", node), ...roundRows("workerd", workerd)],
    ),
  ].join("\n");
}

function memorySection(m) {
  return [
    "## 5. Memory (Node, `--expose-gc`)",
    "",
    table(
      ["measure", "value"],
      [
        [
          "heap per buffered LLM span (after full GC, before the export; traced minus untraced)",
          kib(m.bytesPerBufferedSpan),
        ],
        [
          `heap held by a request with ${m.calls} LLM calls, before its export: traced / untraced`,
          `${kib(m.retainedTraced)} / ${kib(m.retainedUntraced)}`,
        ],
        [
          `peak heap of that request, export included: traced / untraced (no forced GC)`,
          `${kib(m.peakTraced)} / ${kib(m.peakUntraced)}`,
        ],
      ],
    ),
  ].join("\n");
}

function tracestateSection({ node, workerd, rounds, requests }) {
  const row = (runtime, result) =>
    result.error
      ? [runtime, "—", "—", "—", result.error.slice(0, 120)]
      : [runtime, ms(result.untracedUs, 1), ms(result.tracedUs, 1), ms(result.addedUs, 1), ""];
  return [
    "## 6. A 128 KB `tracestate` (W3C propagation headers)",
    "",
    `One \`withModa\` handler that answers at once, served requests carrying a valid \`traceparent\`, with and without a 128 KB \`tracestate\` of about 11,800 small members with invalid (upper-case) keys (with valid keys, the old parser's worst case: about 0.7 s per request in Node, quadratic in the members; the parser now reads the first 32 list members and keeps at most 512 characters of the valid ones, whatever the header's length). The requests are built before their round; ${rounds} timed rounds of ${requests} requests each way after warm-up, alternating; medians, in µs per request. Budget: ≤ 2 ms added per request.`,
    "",
    table(["runtime", "without µs", "with µs", "added µs", "note"], [row("Node", node), row("workerd", workerd)]),
  ].join("\n");
}

function largeValueRows(runtime, result) {
  if (!result || result.error) return [[runtime, result?.error ?? "no result", "—", "—", "—"]];
  const names = {
    "conversation-10mb": "one LLM call, 10 MB conversation",
    "tool-2000-documents": "tool(), 2,000 × 1,000-char documents",
  };
  return result.phases.map((r) => [
    runtime,
    names[r.case] ?? r.case,
    ms(r.untracedRequestMs, 1),
    ms(r.requestAddedMs, 1),
    ms(r.exportMs, 1),
  ]);
}

function largeValuesSection({ node, workerd, runs, warmup }) {
  return [
    "## 7. Large values: request path and export (Node, workerd)",
    "",
    `A request carrying large values, untraced or traced (bench/lib/large-values.mjs, the same code in both runtimes): one OpenAI call (the in-process fake) whose conversation is 10 MB (2,098 messages of 5,000 characters), and a \`tool()\` given 2,000 documents of 1,000 characters. The CPU its process spends (Node: \`process.cpuUsage()\`; workerd: the process's threads in \`/proc\`, read by a loopback server the Worker calls at each phase) from the request to the response's last byte, then on the export (the flush's 0 ms timers are held until the first phase is read). ${warmup} warm-up and ${runs} measured requests of each, untraced and traced alternating; medians. What the export cuts to fit the limits (docs/what-leaves.md) is part of its cost.`,
    "",
    table(
      ["runtime", "request", "untraced request ms", "added on the request path ms", "export ms"],
      [...largeValueRows("Node", node), ...largeValueRows("workerd", workerd)],
    ),
    "",
    "The credential scrub of every exported string (src/policy/secrets.ts, one regular expression), in Node, the fastest of repeated calls:",
    "",
    table(
      ["text", "bytes", "µs per call", "ms per MB"],
      (node?.scrub ?? []).map((r) => [r.name, r.bytes, ms(r.usPerCall, 1), ms(r.msPerMb, 2)]),
    ),
  ].join("\n");
}

function budgetSection(budgets) {
  return [
    "## Budgets",
    "",
    table(
      ["budget", "measured", "result"],
      budgets.map((b) => [b.name, b.measured, mark(b.pass)]),
    ),
  ].join("\n");
}

export function renderReport({ machine, versions, sections, budgets, durationS }) {
  const parts = [
    "# moda-edge benchmarks",
    "",
    "Generated by `npm run bench` (bench/run.mjs); do not edit by hand. Timings are medians over repeated runs; ratios are against a baseline measured in the same run.",
    "",
    `- Date: ${machine.date}`,
    `- Machine: ${machine.cpus} × ${machine.cpuModel}, ${machine.memory} RAM, ${machine.os}; load average at start ${machine.load}, at the end ${machine.loadAtEnd ?? "not recorded"}`,
    `- Versions: ${Object.entries(versions)
      .map(([name, version]) => `${name} ${version}`)
      .join(", ")}`,
    `- Run time: ${durationS.toFixed(0)} s`,
  ];
  if (budgets) parts.push("", budgetSection(budgets));
  if (sections.bundle) parts.push("", bundleSection(sections.bundle));
  if (sections.perCall) parts.push("", perCallSection(sections.perCall));
  if (sections.exportCost) parts.push("", exportSection(sections.exportCost));
  if (sections.requestCpu) parts.push("", requestCpuPart(sections.requestCpu));
  if (sections.latency) parts.push("", latencySection(sections.latency));
  if (sections.requestOverhead) parts.push("", requestOverheadPart(sections.requestOverhead));
  if (sections.memory) parts.push("", memorySection(sections.memory));
  if (sections.tracestate) parts.push("", tracestateSection(sections.tracestate));
  if (sections.largeValues) parts.push("", largeValuesSection(sections.largeValues));
  return `${parts.join("\n")}\n`;
}
