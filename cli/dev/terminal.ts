/** What `moda-edge dev` prints: how to point an app at it, then each export request it receives, as a span tree. */
import { formatSpanTree } from "../view/span-tree";
import { envLines } from "./env-lines";
import type { DevOptions } from "./options";
import type { DevServer, DevServerEvents } from "./server";

export function banner(server: DevServer, options: DevOptions): string {
  const forwarding = options.forward
    ? `Forwarding: each trace also goes to ${options.forward.url}, with your Moda API key.`
    : "Forwarding: off (add --forward to also send each trace to Moda).";
  return `moda-edge dev: receiving OTLP traces at ${server.tracesUrl}
See them at ${server.url}

Point your app here: put these lines in .dev.vars (wrangler dev) or .env.local (next dev), then restart it.

${envLines(server.tracesUrl)
  .map((line) => `  ${line}`)
  .join("\n")}

(Any MODA_API_KEY will do: without one moda-edge sends nothing. A real key you already set can stay.)
${forwarding}
Press Ctrl+C to stop.
`;
}

function clock(): string {
  return new Date().toTimeString().slice(0, 8);
}

function encodingOf(contentType: string, contentEncoding: string): string {
  const format = contentType.toLowerCase().includes("json") ? "JSON" : "protobuf";
  return contentEncoding ? `${format}, ${contentEncoding}` : format;
}

export function terminalEvents(print: (text: string) => void): DevServerEvents {
  return {
    received(spans, request) {
      const what = `${spans.length} span${spans.length === 1 ? "" : "s"}`;
      const how = `${encodingOf(request.contentType, request.contentEncoding)}, ${request.bytes} bytes`;
      print(`\n${clock()}  received ${what} (${how})\n${formatSpanTree(spans)}\n`);
    },
    rejected(reason) {
      print(`\n${clock()}  refused an export request: ${reason}\n`);
    },
    forwarded(outcome, spanCount) {
      const verdict = outcome.ok ? "forwarded" : "NOT forwarded";
      print(`${clock()}  ${verdict} ${spanCount} span${spanCount === 1 ? "" : "s"} to Moda: ${outcome.summary}\n`);
    },
  };
}
