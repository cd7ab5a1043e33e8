/**
 * Large values in Node (run through child.mjs: a process of its own): the CPU a traced request adds on its
 * request path and spends on its export (lib/large-values.mjs, read with `process.cpuUsage()` at each phase), and
 * the credential scrub's cost on the strings of one span, built from the source (src/policy/secrets.ts).
 */
import { build } from "esbuild";
import { CHAT_PARAMS } from "../lib/fake-llm.mjs";
import { serveInPhases } from "../lib/large-values.mjs";
import { measurePhases, phasesOf } from "../lib/phase-cpu.mjs";
import { sinkFetch } from "../lib/sink.mjs";
import { ROOT } from "../lib/worker-bundle.mjs";

function cpuUs() {
  const { user, system } = process.cpuUsage();
  return user + system;
}

async function serve(caseName, traced) {
  const readings = {};
  await serveInPhases(caseName, traced, async (phase) => {
    readings[phase] = cpuUs();
  });
  return phasesOf(readings);
}

async function scrubFromSource() {
  const { outputFiles } = await build({
    entryPoints: [`${ROOT}src/policy/secrets.ts`],
    bundle: true,
    format: "esm",
    platform: "neutral",
    write: false,
  });
  const code = Buffer.from(outputFiles[0].text).toString("base64");
  return (await import(`data:text/javascript;base64,${code}`)).scrubSecrets;
}

/**
 * The scrub on the strings of one LLM span of the 10-message conversation (both attribute families: about 5 KB),
 * and on 1 MB and 10 MB of conversation JSON: µs per call and ms per MB, the fastest of `repeats` calls (the cost of
 * the code itself, where a median would also count what other processes on the machine took).
 */
async function measureScrub({ runs }) {
  const scrubSecrets = await scrubFromSource();
  const span = JSON.stringify(CHAT_PARAMS.messages).repeat(2);
  const conversation = JSON.stringify(CHAT_PARAMS);
  const sized = (bytes) => conversation.repeat(Math.ceil(bytes / conversation.length)).slice(0, bytes);
  const texts = [
    ["one LLM span's strings", span],
    ["1 MB", sized(1024 * 1024)],
    ["10 MB", sized(10 * 1024 * 1024)],
  ];
  const repeats = Math.max(5, runs * 3);
  return texts.map(([name, text]) => {
    for (let i = 0; i < 3; i++) scrubSecrets(text);
    const times = Array.from({ length: repeats }, () => {
      const started = performance.now();
      scrubSecrets(text);
      return performance.now() - started;
    });
    const ms = Math.min(...times);
    return { name, bytes: text.length, usPerCall: ms * 1000, msPerMb: ms / (text.length / (1024 * 1024)) };
  });
}

export async function run(optionsJson) {
  globalThis.fetch = sinkFetch;
  const options = JSON.parse(optionsJson);
  return { phases: await measurePhases(serve, options), scrub: await measureScrub(options) };
}
