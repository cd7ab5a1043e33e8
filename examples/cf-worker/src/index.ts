import { withModa, wrap } from "moda-edge";
import { anthropicClient, type Env, openaiClient } from "./env";
import { type Clients, route, summarise } from "./routes";

/** The clients are made per request: their keys come from this request's `env`. */
function clientsFor(env: Env): Clients {
  return { openai: wrap(openaiClient(env)), anthropic: wrap(anthropicClient(env)) };
}

export default withModa({
  fetch(request, env) {
    return route(clientsFor(env), request);
  },
  async scheduled(_controller, env) {
    await summarise(clientsFor(env));
  },
} satisfies ExportedHandler<Env>);
