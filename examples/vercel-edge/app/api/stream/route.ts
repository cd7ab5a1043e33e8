import { streamText } from "ai";
import { modaTracer, withModa } from "moda-edge";
import { aiSdkOpenAI, MODEL, promptOf } from "@/lib/clients";

export const runtime = "edge";

/**
 * `POST /api/stream {"prompt"}`: the Vercel AI SDK streams the answer as its UI message stream (server-sent
 * events). Its telemetry spans go into this request's trace through `modaTracer()`; the request span ends
 * when the last event has been sent.
 */
export const POST = withModa(async (request: Request) => {
  const prompt = await promptOf(request, "Tell me a very short story.");
  const result = streamText({
    model: aiSdkOpenAI()(MODEL),
    prompt,
    experimental_telemetry: { isEnabled: true, functionId: "story", tracer: modaTracer() },
  });
  return result.toUIMessageStreamResponse({
    messageMetadata: ({ part }) => (part.type === "finish" ? { usage: part.totalUsage } : undefined),
  });
});
