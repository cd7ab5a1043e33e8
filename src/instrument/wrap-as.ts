/**
 * What every provider's own wrapper (`wrapOpenAI`, … in src/providers/<provider>/index.ts) does. A wrapper traces
 * what `wrap(client)` traces, but references its own provider only, so a bundler leaves the other providers' code
 * out (`wrap()` recognises every SDK, so it carries them all).
 *
 * A wrapper handed anything but a client of its SDK throws a TypeError at once: passing it through untraced, as
 * `wrap()` does with an object it does not know, would hide a mix-up (an Anthropic client in `wrapOpenAI`) until
 * someone misses the spans.
 */
import { safely } from "../core/safe";
import { currentScope } from "../core/scope-lookup";
import type { ProviderModule } from "./provider";
import { isClientOf, wrapClient } from "./proxy";

export function wrapAs<T>(provider: ProviderModule, wrapper: string, client: T): T {
  if (typeof client !== "object" || client === null || !isClientOf(provider, client)) {
    const given = safely("wrap: describe", () => describe(client), "something else");
    throw new TypeError(
      `moda-edge: ${wrapper}() expects a client of the ${provider.sdk} SDK, got ${given}; ` +
        "wrap() takes a client of any supported SDK",
    );
  }
  return safely("wrap", () => wrapClient(client, provider, currentScope()), client);
}

/** What a wrapper was handed, for its error: its class, or its type. */
function describe(value: unknown): string {
  if (typeof value !== "object" || value === null) return value === null ? "null" : typeof value;
  const className: unknown = Object.getPrototypeOf(value)?.constructor?.name;
  return typeof className === "string" && className !== "" && className !== "Object"
    ? `an instance of ${className}`
    : "a plain object";
}
