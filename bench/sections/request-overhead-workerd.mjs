/**
 * What `withModa` adds to a request's handler time in workerd: the measurement of lib/request-rounds.mjs (the same
 * code as in Node) bundled into a Worker of its own, run inside one request to it.
 */
import { measureInOwnWorkerd } from "../lib/workerd.mjs";

const ENTRY = `
import { measureRequestOverhead } from "../lib/request-rounds.mjs";
import { sinkFetch } from "../lib/sink.mjs";
export default {
  async fetch(request) {
    const url = new URL(request.url);
    if (url.pathname !== "/measure") return new Response("ready");
    globalThis.fetch = sinkFetch;
    try {
      return Response.json(await measureRequestOverhead(JSON.parse(url.searchParams.get("options"))));
    } catch (error) {
      return Response.json({ error: String(error && error.stack || error) }, { status: 500 });
    }
  },
};`;

/** Resolves to measureRequestOverhead's rows, or to `{ error }`. */
export function measureRequestOverheadInWorkerd(options) {
  return measureInOwnWorkerd(ENTRY, `/measure?options=${encodeURIComponent(JSON.stringify(options))}`);
}
