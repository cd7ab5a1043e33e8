/**
 * A Worker with every kind of Cloudflare class and handler moda-edge traces: a Durable Object (fetch, RPC, alarm,
 * hibernatable WebSocket), a WorkerEntrypoint reached over a service binding, a Workflow, and the default export's
 * fetch, queue and email handlers. Each makes an LLM call through the wrapped OpenAI SDK against the mock server.
 */
import {
  DurableObject,
  WorkerEntrypoint,
  WorkflowEntrypoint,
  type WorkflowEvent,
  type WorkflowStep,
} from "cloudflare:workers";
import OpenAI from "openai";
import { traceHeaders, withModa, wrapOpenAI } from "../../../src/index";

interface NotesStub {
  fetch(request: Request): Promise<Response>;
  summarise(text: string, trace?: Record<string, string>): Promise<string>;
  scheduleAlarm(): Promise<void>;
}

interface Env {
  MODA_API_KEY: string;
  MODA_BASE_URL: string;
  OPENAI_BASE_URL: string;
  NOTES: { idFromName(name: string): unknown; get(id: unknown): NotesStub };
  GREETER: { greet(name: string, trace?: Record<string, string>): Promise<string> };
  FLOW: { create(options: { id: string; params: { topic: string } }): Promise<{ id: string }> };
  JOBS: { sendBatch(messages: { body: unknown }[]): Promise<void> };
}

interface QueueMessage {
  readonly id: string;
  readonly body: { n: number };
  ack(): void;
  retry(options?: { delaySeconds?: number }): void;
}

async function ask(env: Env, content: string): Promise<string> {
  const openai = wrapOpenAI(new OpenAI({ apiKey: "sk-test", baseURL: env.OPENAI_BASE_URL, maxRetries: 0 }));
  const completion = await openai.chat.completions.create({
    model: "gpt-4o-mini",
    messages: [{ role: "user", content }],
  });
  return completion.choices[0]?.message.content ?? "";
}

export const Notes = withModa(
  class Notes extends DurableObject<Env> {
    async fetch(request: Request): Promise<Response> {
      if (request.headers.get("upgrade") === "websocket") {
        const [client, server] = Object.values(new WebSocketPair()) as [WebSocket, WebSocket];
        this.ctx.acceptWebSocket(server);
        return new Response(null, { status: 101, webSocket: client } as ResponseInit);
      }
      return new Response(await ask(this.env, "a note by fetch"));
    }

    async summarise(text: string, _trace?: Record<string, string>): Promise<string> {
      return `${await ask(this.env, `summarise ${text}`)} (${await this.wordCount(text)} words)`;
    }

    /** Called by `summarise`, on the same instance: part of that call, not one of its own. */
    async wordCount(text: string): Promise<number> {
      return text.split(/\s+/).length;
    }

    async scheduleAlarm(): Promise<void> {
      await this.ctx.storage.setAlarm(Date.now());
    }

    async alarm(): Promise<void> {
      await ask(this.env, "a note by alarm");
    }

    async webSocketMessage(ws: WebSocket, message: string | ArrayBuffer): Promise<void> {
      ws.send(await ask(this.env, `a note by websocket: ${String(message)}`));
    }
  },
);

export const Greeter = withModa(
  class Greeter extends WorkerEntrypoint<Env> {
    async greet(name: string, _trace?: Record<string, string>): Promise<string> {
      return ask(this.env, `greet ${name}`);
    }
  },
);

export const Flow = withModa(
  class Flow extends WorkflowEntrypoint<Env, { topic: string }> {
    async run(event: WorkflowEvent<{ topic: string }>, step: WorkflowStep): Promise<unknown> {
      const answer = await step.do("ask", async () => ask(this.env, `write about ${event.payload.topic}`));
      return step.do("count", async () => answer.length);
    }
  },
);

function notes(env: Env): NotesStub {
  return env.NOTES.get(env.NOTES.idFromName("notes"));
}

export default withModa({
  async fetch(request: Request, env: Env): Promise<Response> {
    const { pathname, searchParams } = new URL(request.url);
    switch (pathname) {
      case "/do/fetch":
        return notes(env).fetch(new Request("https://notes.internal/ask", { headers: traceHeaders() }));
      case "/do/rpc":
        return new Response(await notes(env).summarise("three short words", traceHeaders()));
      case "/do/alarm":
        await notes(env).scheduleAlarm();
        return new Response("scheduled");
      case "/do/ws":
        return notes(env).fetch(request);
      case "/entrypoint":
        return new Response(await env.GREETER.greet("Ada", traceHeaders()));
      case "/workflow":
        return Response.json(await env.FLOW.create({ id: searchParams.get("id") ?? "", params: { topic: "tides" } }));
      case "/queue":
        await env.JOBS.sendBatch([{ body: { n: 1 } }, { body: { n: 2 } }, { body: { n: 3 } }]);
        return new Response("sent");
      default:
        return new Response("not found", { status: 404 });
    }
  },

  /** Acks the first two messages, asks for the third again later. */
  async queue(batch: { messages: readonly QueueMessage[] }, env: Env): Promise<void> {
    await ask(env, `process ${batch.messages.length} jobs`);
    for (const message of batch.messages) {
      if (message.body.n === 3) message.retry({ delaySeconds: 60 });
      else message.ack();
    }
  },

  async email(message: { readonly rawSize: number }, env: Env): Promise<void> {
    await ask(env, `an email of ${message.rawSize} bytes`);
  },
});
