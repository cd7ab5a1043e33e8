/**
 * The Workers AI provider: Cloudflare's AI binding (`env.AI`, workerd's `Ai` class), and the methods traced on
 * it: `run` (run.ts) and `gateway(id)` (gateway.ts). Its other methods (`models`, `toMarkdown`, `autorag`, …) pass
 * through untraced. `gen_ai.provider.name` is `cloudflare.workers_ai`: the conventions have no value for it.
 */
import type { ProviderModule } from "../../instrument/provider";
import { wrapAs } from "../../instrument/wrap-as";
import { traceGateway } from "./gateway";
import { traceRun } from "./run";

/** The binding: `run` and `gateway`, and the per-instance ids its class declares. */
function isAiBinding(client: object): boolean {
  const candidate = client as { run?: unknown; gateway?: unknown };
  return (
    typeof candidate.run === "function" &&
    typeof candidate.gateway === "function" &&
    "lastRequestId" in client &&
    "aiGatewayLogId" in client
  );
}

export const workersAiProvider: ProviderModule = {
  sdk: "Workers AI binding (env.AI)",
  matches: isAiBinding,
  methods: { run: traceRun, gateway: traceGateway },
};

/** `wrap()` for the Workers AI binding (`env.AI`). */
export function wrapWorkersAI<T>(binding: T): T {
  return wrapAs(workersAiProvider, "wrapWorkersAI", binding);
}
