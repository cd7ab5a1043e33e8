/** The tracer's own voice: quiet unless `debug` is on, except for problems a user must hear about once. */

const warned = new Set<string>();

export function debug(config: { readonly debug: boolean }, message: string, ...details: unknown[]): void {
  if (config.debug) console.debug(`[moda-edge] ${message}`, ...details);
}

/** Under `debug`, says it once per isolate for each key. */
export function debugOnce(config: { readonly debug: boolean }, key: string, message: string): void {
  if (!config.debug || warned.has(key)) return;
  warned.add(key);
  console.debug(`[moda-edge] ${message}`);
}

/** Warns once per isolate for each key, whatever `debug` says. */
export function warnOnce(key: string, message: string): void {
  if (warned.has(key)) return;
  warned.add(key);
  console.warn(`[moda-edge] ${message}`);
}
