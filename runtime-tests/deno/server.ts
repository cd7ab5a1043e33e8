/** The chat app on `Deno.serve`, on the port the test gives it. */
import { chatApp } from "../server/chat-app.ts";

declare const Deno: {
  env: { toObject(): Record<string, string> };
  serve(options: { hostname: string; port: number; onListen(): void }, handler: (request: Request) => unknown): unknown;
};

const env = Deno.env.toObject();
Deno.serve({ hostname: "127.0.0.1", port: Number(env.PORT), onListen: () => console.log("listening") }, chatApp(env));
