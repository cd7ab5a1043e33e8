/**
 * How the bench runs a measurement in workerd and gets its figures back: the Worker answers `/measure`, its
 * options as JSON in the query, with the JSON its measurement resolves to, or `{ error }` with status 500; any other
 * path answers "ready", for workerd's readiness probe. `askWorker` is the other end, in Node.
 */
const PATH = "/measure";

/** The Worker: `measure(options)` resolves to what it answers. */
export function jsonWorker(measure) {
  return {
    async fetch(request) {
      const url = new URL(request.url);
      if (url.pathname !== PATH) return new Response("ready");
      try {
        return Response.json(await measure(JSON.parse(url.searchParams.get("options"))));
      } catch (error) {
        return Response.json({ error: String(error?.stack ?? error) }, { status: 500 });
      }
    },
  };
}

/** Asks the `jsonWorker` at `baseUrl` to measure with `options`: resolves to its JSON, `{ error }` included. */
export async function askWorker(baseUrl, options) {
  const response = await fetch(`${baseUrl}${PATH}?options=${encodeURIComponent(JSON.stringify(options))}`);
  return response.json();
}
