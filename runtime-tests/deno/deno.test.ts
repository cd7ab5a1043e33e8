import { serverRuntimeSuite } from "../server/runtime-suite";

// -A: the app reads its environment and talks to 127.0.0.1; Deno resolves `openai` from node_modules.
serverRuntimeSuite({
  name: "Deno",
  bin: "deno",
  args: (entry) => ["run", "-A", entry],
  entry: "runtime-tests/deno/server.ts",
});
