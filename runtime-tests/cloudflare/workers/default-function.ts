/** The natural first try: a function as the Worker's default export, wrapped. */
import { withModa } from "../../../src/index";

interface Env {
  MODA_API_KEY: string;
}

export default withModa(async (request: Request, env: Env, ctx: { waitUntil(promise: Promise<unknown>): void }) =>
  Response.json({ path: new URL(request.url).pathname, keyed: Boolean(env.MODA_API_KEY), ctx: typeof ctx.waitUntil }),
);
