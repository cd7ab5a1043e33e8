/**
 * The Worker of a measurement run in workerd: `path` answers the JSON `measure(url)` resolves to (`url`: the
 * request's URL, its search parameters the measurement's options), or `{ error }` with status 500; any other path
 * answers "ready", for workerd's readiness probe.
 */
export function jsonWorker(path, measure) {
  return {
    async fetch(request) {
      const url = new URL(request.url);
      if (url.pathname !== path) return new Response("ready");
      try {
        return Response.json(await measure(url));
      } catch (error) {
        return Response.json({ error: String(error?.stack ?? error) }, { status: 500 });
      }
    },
  };
}
