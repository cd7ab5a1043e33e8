/**
 * Runs one Node measurement in a process of its own, so that one tracer's global hooks, or the `fetch` a
 * measurement replaces, touch nothing else. Prints the measurement's result as one JSON line.
 * Usage: node [--expose-gc] child.mjs <module in bench/sections/> [args...]
 */
const [section, ...args] = process.argv.slice(2);
const { run } = await import(`./${section}.mjs`);
const result = await run(...args);
process.stdout.write(`\n${JSON.stringify(result)}\n`);
process.exit(0);
