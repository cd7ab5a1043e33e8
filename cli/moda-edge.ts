#!/usr/bin/env node
import { DEV_USAGE, UsageError } from "./dev/options";
/** The package's command line: `npx moda-edge dev`. Node only, and no part of the library. */
import { runDev } from "./dev/run-dev";

const USAGE = `Usage: npx moda-edge <command>

Commands:
  dev    see your app's traces on this machine, as a live page of requests and LLM conversations

${DEV_USAGE}`;

async function main(argv: readonly string[]): Promise<number> {
  const [command, ...args] = argv;
  if (command === "dev") {
    await runDev(args);
    return 0;
  }
  if (command === undefined || command === "help" || command === "--help" || command === "-h") {
    console.log(USAGE);
    return command === undefined ? 1 : 0;
  }
  throw new UsageError(`unknown command ${JSON.stringify(command)}: the one command is \`dev\``);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    const usage = error instanceof UsageError;
    console.error(`moda-edge: ${usage ? error.message : String(error)}${usage ? "\n(npx moda-edge dev --help)" : ""}`);
    process.exitCode = usage ? 2 : 1;
  },
);
