/** The few settings of an example's wrangler.toml that the scripts read (its Worker's name, entry, date, flags, vars). */
import { readFileSync } from "node:fs";

export interface WranglerSettings {
  name?: string;
  main: string;
  compatibilityDate: string;
  compatibilityFlags: string[];
  /** `[vars]`: plain-text bindings. */
  vars: Record<string, string>;
}

/** Reads `key = "value"` and `key = ["a", "b"]` lines at the top level and in `[vars]`, as the examples write them. */
export function readWranglerToml(path: string): WranglerSettings {
  const toml = readFileSync(path, "utf8");
  const [topLevel = "", ...tables] = toml.split(/^\[/m);
  const setting = (name: string) => new RegExp(`^${name}\\s*=\\s*(.+)$`, "m").exec(topLevel)?.[1]?.trim();
  const required = (name: string) => {
    const value = setting(name);
    if (value === undefined) throw new Error(`${path} has no ${name}`);
    return JSON.parse(value) as string;
  };
  const varsTable = tables.find((table) => table.startsWith("vars]")) ?? "";
  const vars = Object.fromEntries(
    [...varsTable.matchAll(/^(\w+)\s*=\s*(".*")\s*$/gm)].map(([, name, value]) => [name, JSON.parse(value as string)]),
  );
  const name = setting("name");
  return {
    ...(name === undefined ? {} : { name: JSON.parse(name) as string }),
    main: required("main"),
    compatibilityDate: required("compatibility_date"),
    compatibilityFlags: JSON.parse(setting("compatibility_flags") ?? "[]") as string[],
    vars,
  };
}
