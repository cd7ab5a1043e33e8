/**
 * The package folders beyond the root (test/, examples/*): each has its own package.json and lockfile and is
 * installed by the scripts that need it, so that the root's `npm install` stays what the library, its build and
 * the demo need. `tsx scripts/package-folders.ts test examples/cf-worker` installs the folders named, each only
 * when it is missing or older than its lockfile (`npm test` runs it through `npm run test:install`).
 */
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");

/** The files of the library's build that a folder linking it needs: its entry, and its bin (`npx moda-edge`). */
const LIBRARY_BUILD = ["dist/index.js", "dist/cli/moda-edge.js"];

/** Builds the library when its build is missing: the examples depend on it through `file:../..`. */
export function ensureLibraryBuilt(log: (line: string) => void): void {
  if (LIBRARY_BUILD.every((file) => existsSync(join(ROOT, file)))) return;
  log("dist/ is missing: building the library (npm run build)");
  execFileSync("npm", ["run", "build", "--silent"], { cwd: ROOT, stdio: ["ignore", "inherit", "inherit"] });
}

/** Whether the folder depends on this package through `file:../..`, as the examples do. */
function linksLibrary(dir: string): boolean {
  const { dependencies = {} } = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as {
    dependencies?: Record<string, string>;
  };
  return dependencies["moda-edge"]?.startsWith("file:") === true;
}

/**
 * Whether `npm ci` ran in `dir` since its lockfile last changed; in a folder that links the library, with its bin
 * linked too (npm links it only when the library was built before the install).
 */
function installedFromLockfile(dir: string): boolean {
  const installed = join(dir, "node_modules", ".package-lock.json");
  if (linksLibrary(dir) && !existsSync(join(dir, "node_modules", ".bin", "moda-edge"))) return false;
  return existsSync(installed) && statSync(installed).mtimeMs >= statSync(join(dir, "package-lock.json")).mtimeMs;
}

/**
 * Installs a folder's own dependencies from its lockfile when they are missing or older than the lockfile;
 * returns the seconds it took (0 when there was nothing to do).
 */
export function ensureInstalled(dir: string, log: (line: string) => void): number {
  if (linksLibrary(dir)) ensureLibraryBuilt(log);
  if (installedFromLockfile(dir)) return 0;
  log(`installing the dependencies of ${relative(ROOT, dir) || "."} (npm ci, once)`);
  const started = Date.now();
  // Warnings stay out of the log: these are pinned lockfiles, and the Node 22 engine warnings of the SDK majors
  // under test are expected (docs/testing.md).
  execFileSync("npm", ["ci", "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error"], {
    cwd: dir,
    stdio: ["ignore", "inherit", "inherit"],
  });
  return (Date.now() - started) / 1000;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const log = (line: string) => console.log(`▸ ${line}`);
  for (const folder of process.argv.slice(2)) {
    const seconds = ensureInstalled(join(ROOT, folder), log);
    if (seconds > 0) log(`${folder} installed in ${seconds.toFixed(0)} s`);
  }
}
