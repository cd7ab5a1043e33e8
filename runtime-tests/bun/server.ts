/** The chat app on `Bun.serve`, on a port the system picks (no race with other tests for one picked earlier). */
import { chatApp } from "../server/chat-app.ts";

declare const Bun: {
  serve(options: { hostname: string; port: number; fetch: (request: Request) => unknown }): { port: number };
};

const server = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: chatApp(process.env) });
console.log(`listening on ${server.port}`);
