import { withModa, wrapAnthropic, wrapOpenAI } from "moda-edge";
import { anthropicClient, type Env, openaiClient } from "./env";
import { type Clients, route, summarise } from "./routes";

/**
 * The clients are made per request: their keys come from this request's `env`. The per-provider wrappers keep
 * the other providers' code out of the bundle (`wrap()` takes any client, and carries them all).
 */
function clientsFor(env: Env): Clients {
  return { openai: wrapOpenAI(openaiClient(env)), anthropic: wrapAnthropic(anthropicClient(env)) };
}

export default withModa({
  fetch(request, env) {
    return route(clientsFor(env), request);
  },
  async scheduled(_controller, env) {
    await summarise(clientsFor(env));
  },
} satisfies ExportedHandler<Env>);
