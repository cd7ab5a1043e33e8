/**
 * `node bench/gzip-threshold.mjs`: what gzip costs a Worker against sending the same body plain, by body size. One
 * workerd, a loopback ingest; for each size, rounds of 40 POSTs alternate plain and gzipped (CompressionStream,
 * written as src/export/gzip.ts writes it), and the CPU the workerd process used per POST is read from outside it.
 * The body is text of the make-up of an LLM export (words, numbers), which gzips about 3.5 to 1. What chose
 * GZIP_MIN_BYTES (docs/benchmarks.md).
 */
import { askWorker } from "./lib/json-worker.mjs";
import { startIngest } from "./lib/loopback-servers.mjs";
import { processCpuUs } from "./lib/process-cpu.mjs";
import { halfIqr, median } from "./lib/stats.mjs";
import { inOwnWorkerd } from "./lib/workerd.mjs";

const SIZES = [1024, 4096, 16384, 65536, 262144, 1048576];
const ROUNDS = 9;
const WARMUP = 2;
const COUNT = 40;

const ENTRY = `
import { jsonWorker } from "../lib/json-worker.mjs";
const WORDS = "the model answered with a tool call and the user asked again about the weather tokens usage prompt completion role assistant content".split(" ");
function body(size) {
  let text = "";
  let x = 12345;
  while (text.length < size) {
    x = (x * 1103515245 + 12345) % 2147483648;
    text += WORDS[x % WORDS.length] + (x % 7 === 0 ? String(x) : "") + " ";
  }
  return new TextEncoder().encode(text.slice(0, size));
}
async function gzip(bytes) {
  const compression = new CompressionStream("gzip");
  const writer = compression.writable.getWriter();
  const [, , out] = await Promise.all([writer.write(bytes), writer.close(), new Response(compression.readable).arrayBuffer()]);
  return new Uint8Array(out);
}
const bodies = new Map();
export default jsonWorker(async ({ size, gzipped, count, ingest }) => {
  if (!bodies.has(size)) bodies.set(size, body(size));
  let sent = 0;
  for (let i = 0; i < count; i++) {
    const payload = gzipped ? await gzip(bodies.get(size)) : bodies.get(size);
    sent = payload.byteLength;
    const headers = gzipped ? { "content-encoding": "gzip" } : {};
    await (await fetch(ingest, { method: "POST", body: payload, headers })).arrayBuffer();
  }
  return { sent };
});`;

async function measure({ url, pid }, ingest) {
  const rows = [];
  for (const size of SIZES) {
    const times = { plain: [], gzip: [] };
    const sent = {};
    for (let round = 0; round < WARMUP + ROUNDS; round++) {
      for (const gzipped of round % 2 ? [true, false] : [false, true]) {
        const before = processCpuUs(pid);
        const answer = await askWorker(url, { size, gzipped, count: COUNT, ingest });
        if (answer.error) throw new Error(answer.error);
        const key = gzipped ? "gzip" : "plain";
        if (round >= WARMUP) times[key].push((processCpuUs(pid) - before) / COUNT);
        sent[key] = answer.sent;
      }
    }
    rows.push({ size, sent, plainUs: median(times.plain), gzipUs: median(times.gzip), noiseUs: halfIqr(times.gzip) });
  }
  return rows;
}

const ingest = await startIngest(0);
try {
  const rows = await inOwnWorkerd(ENTRY, (worker) => measure(worker, ingest.url));
  if (rows.error) throw new Error(rows.error);
  console.log("| body | gzipped to | CPU per POST, plain | CPU per POST, gzip |");
  console.log("| --- | --- | --- | --- |");
  for (const row of rows) {
    console.log(
      `| ${row.size} B | ${row.sent.gzip} B | ${row.plainUs.toFixed(0)} µs | ${row.gzipUs.toFixed(0)} µs (±${row.noiseUs.toFixed(0)}) |`,
    );
  }
} finally {
  await ingest.close();
}
