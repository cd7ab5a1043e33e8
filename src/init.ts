import { type ModaOptions, resolveConfig } from "./config";
import { useAsyncLocalStorage } from "./context";
import { debug } from "./debug";
import { setDefaults } from "./scope";

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
  if (!config.enabled)
    debug(config, "no API key (apiKey or MODA_API_KEY): spans are not exported outside requests that bring one");
}
