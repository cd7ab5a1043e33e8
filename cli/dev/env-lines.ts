/** The lines a user pastes into `.dev.vars` or `.env.local`: printed by the command, shown by the page. */

/** Any value does: without a key the library sends nothing, and this server reads none. */
const LOCAL_API_KEY = "moda-dev-local";

export function envLines(tracesUrl: string): string[] {
  return [`MODA_BASE_URL=${tracesUrl}`, `MODA_API_KEY=${LOCAL_API_KEY}`];
}
