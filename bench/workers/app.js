/**
 * The minimal Worker of the bundle and latency benchmarks: each request asks every provider in `asks` one
 * question. `instrument(client, provider)` is what a tracer does to each client (identity when untraced); `provider`
 * is "openai" or "anthropic", for a tracer with one wrapper per provider.
 */
export function makeApp(asks, instrument = (client) => client) {
  return {
    async fetch(request, env) {
      const question = new URL(request.url).searchParams.get("q") ?? "Say hello.";
      const answers = [];
      for (const ask of asks) answers.push(await ask(env, instrument, question));
      return Response.json(answers);
    },
  };
}
