import { describeAsyncContext, useAsyncLocalStorage } from "../core/context";
import { debug } from "../core/debug";
import { setDefaults } from "./defaults";
import { type ModaOptions, resolveConfig } from "./options";

/**
 * Sets process-wide defaults, for code outside any handler (a Node script, a test) and under every
 * `withModa`. Throws `ModaConfigError` naming the first invalid option.
 */
export function init(options: ModaOptions = {}): void {
  const config = resolveConfig(options);
  if (options.asyncLocalStorage !== undefined) {
    if (typeof options.asyncLocalStorage !== "function") {
      throw new TypeError("moda-edge: `asyncLocalStorage` must be the AsyncLocalStorage class from node:async_hooks");
    }
    useAsyncLocalStorage(options.asyncLocalStorage);
  }
  setDefaults(options);
  debug(config, describeAsyncContext());
  if (!config.enabled)
    debug(config, "no API key (apiKey or MODA_API_KEY): spans are not exported outside requests that bring one");
}
