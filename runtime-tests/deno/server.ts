/** The chat app on `Deno.serve`, on a port the system picks (no race with other tests for one picked earlier). */
import { chatApp } from "../server/chat-app.ts";

declare const Deno: {
  env: { toObject(): Record<string, string> };
  serve(
    options: { hostname: string; port: number; onListen(address: { port: number }): void },
    handler: (request: Request) => unknown,
  ): unknown;
};

const env = Deno.env.toObject();
const onListen = ({ port }: { port: number }) => console.log(`listening on ${port}`);
Deno.serve({ hostname: "127.0.0.1", port: 0, onListen }, chatApp(env));
