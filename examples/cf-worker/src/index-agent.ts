// The Worker of wrangler.agent.toml: `POST /advise {"prompt"}` asks the Advisor agent over RPC, passing the
// request's trace headers so that the agent's span joins the request's trace.

import { getAgentByName } from "agents";
import { traceHeaders, withModa } from "moda-edge";
import type { Advisor } from "./advisor";
import type { Env } from "./env";

export { Advisor } from "./advisor";

interface AgentEnv extends Env {
  ADVISOR: DurableObjectNamespace<InstanceType<typeof Advisor>>;
}

export default withModa({
  async fetch(request, env) {
    const { pathname } = new URL(request.url);
    if (request.method !== "POST" || pathname !== "/advise") return new Response("POST /advise\n", { status: 404 });
    // Taken before the first `await`: without AsyncLocalStorage configured, that is where the request is known.
    const trace = traceHeaders();
    const { prompt } = (await request.json()) as { prompt?: string };
    const advisor = await getAgentByName(env.ADVISOR, "advisor");
    return Response.json({ answer: await advisor.advise(prompt ?? "What should I build?", trace) });
  },
} satisfies ExportedHandler<AgentEnv>);
