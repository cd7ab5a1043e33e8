import { debug } from "../core/debug";
import { safely } from "../core/safe";
import { currentScope, resolveScope } from "../core/scope-lookup";
import { isClientOf, isWrapped, wrapClient } from "../instrument/proxy";
import { PROVIDERS } from "./registry";

/**
 * Traces every model call made through `client` and returns it as the same type: the SDK's own client behind a
 * Proxy, so `instanceof`, property identity, promises and streams are the SDK's. Wrapping twice gives the same
 * proxy. A client of an SDK the tracer does not know comes back unchanged.
 *
 * It recognises every supported SDK, so a bundle that uses it carries every provider's code; the per-provider
 * wrappers (`wrapOpenAI`, … in src/providers/<provider>/index.ts) carry only their own.
 */
export function wrap<T>(client: T): T {
  if (typeof client !== "object" || client === null || isWrapped(client)) return client;
  return safely("wrap", () => wrapKnown(client), client);
}

function wrapKnown<T extends object>(client: T): T {
  const provider = PROVIDERS.find((candidate) => isClientOf(candidate, client));
  if (!provider) {
    debug(resolveScope().config, "wrap(): not a client of a supported LLM SDK; returned unchanged");
    return client;
  }
  return wrapClient(client, provider, currentScope());
}
