/** The chat app on `Bun.serve`, on the port the test gives it. */
import { chatApp } from "../server/chat-app.ts";

declare const Bun: {
  serve(options: { hostname: string; port: number; fetch: (request: Request) => unknown }): unknown;
};

Bun.serve({ hostname: "127.0.0.1", port: Number(process.env.PORT), fetch: chatApp(process.env) });
console.log("listening");
