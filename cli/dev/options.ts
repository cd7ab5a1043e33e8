/** The `dev` command's flags: where to listen, and whether to forward to Moda (with which key). */
import { parseArgs } from "node:util";
import { DEFAULT_BASE_URL } from "../../src/config/options";

/** A fixed default, so that the line pasted into `.dev.vars` stays right from one run to the next. */
export const DEFAULT_PORT = 4319;
export const DEFAULT_HOST = "127.0.0.1";

export interface ForwardTarget {
  url: string;
  apiKey: string;
}

export interface DevOptions {
  host: string;
  port: number;
  forward?: ForwardTarget;
  help: boolean;
}

/** A mistake on the command line: the message says what to change. */
export class UsageError extends Error {
  override name = "UsageError";
}

export const DEV_USAGE = `Usage: npx moda-edge dev [options]

Receives your app's traces on this machine and shows each request, its spans and its LLM conversations
on a local web page. Point the app at it with MODA_BASE_URL (the command prints the line to paste).

Options:
  --port <n>          port to listen on (default ${DEFAULT_PORT}; 0 for any free port)
  --host <address>    address to listen on (default ${DEFAULT_HOST})
  --forward           also send every trace on to Moda, with your key
  --forward-url <url> where --forward sends them (default ${DEFAULT_BASE_URL})
  --api-key <key>     the Moda API key --forward sends (default: MODA_API_KEY from the environment)
  -h, --help          this text`;

export function parseDevOptions(
  args: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): DevOptions {
  let values: ReturnType<typeof parseFlags>["values"];
  try {
    ({ values } = parseFlags(args));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const options: DevOptions = {
    host: values.host ?? DEFAULT_HOST,
    port: portOf(values.port),
    help: values.help === true,
  };
  if (!values.forward) {
    if (values["forward-url"] !== undefined) throw new UsageError("--forward-url is used only with --forward");
    if (values["api-key"] !== undefined) throw new UsageError("--api-key is used only with --forward");
    return options;
  }
  const apiKey = values["api-key"] ?? env.MODA_API_KEY;
  if (!apiKey)
    throw new UsageError("--forward needs your Moda API key: set MODA_API_KEY in this shell, or pass --api-key <key>");
  return { ...options, forward: { url: forwardUrlOf(values["forward-url"]), apiKey } };
}

function parseFlags(args: readonly string[]) {
  return parseArgs({
    args: [...args],
    strict: true,
    allowPositionals: false,
    options: {
      port: { type: "string", short: "p" },
      host: { type: "string" },
      forward: { type: "boolean" },
      "forward-url": { type: "string" },
      "api-key": { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
}

function portOf(value: string | undefined): number {
  if (value === undefined) return DEFAULT_PORT;
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65535)
    throw new UsageError(`--port must be a whole number from 0 to 65535, not ${JSON.stringify(value)}`);
  return port;
}

function forwardUrlOf(value: string | undefined): string {
  if (value === undefined) return DEFAULT_BASE_URL;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`--forward-url must be a URL, not ${JSON.stringify(value)}`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:")
    throw new UsageError(`--forward-url must be an http(s) URL, not ${JSON.stringify(value)}`);
  return url.href;
}
