/** `moda-edge dev`: starts the server with the page built beside this file, says how to use it, runs until stopped. */
import { readFileSync } from "node:fs";
import { DEV_USAGE, parseDevOptions } from "./options";
import { type PageAssets, startDevServer } from "./server";
import { banner, terminalEvents } from "./terminal";

/** The page's script and style, built next to the tool (dist/cli/page/). */
function pageAssets(): PageAssets {
  const read = (name: string) => {
    try {
      return readFileSync(new URL(`./page/${name}`, import.meta.url), "utf8");
    } catch {
      throw new Error(`the page's ${name} is missing beside the dev tool: build it first (npm run build)`);
    }
  };
  return { script: read("page.js"), style: read("page.css") };
}

export async function runDev(args: readonly string[]): Promise<void> {
  const options = parseDevOptions(args, process.env);
  if (options.help) {
    console.log(DEV_USAGE);
    return;
  }
  const print = (text: string) => process.stdout.write(text);
  const server = await startDevServer({ ...options, assets: pageAssets(), events: terminalEvents(print) });
  print(banner(server, options));
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
  await server.close();
}
