import { serverRuntimeSuite } from "../server/runtime-suite";

serverRuntimeSuite({ name: "Bun", bin: "bun", args: (entry) => ["run", entry], entry: "runtime-tests/bun/server.ts" });
