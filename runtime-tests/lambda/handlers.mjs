/** The Lambda handlers the runtime tests invoke, traced by the built package. */
import OpenAI from "openai";
import { withModa, wrapOpenAI } from "../../dist/index.js";

function openai() {
  return wrapOpenAI(new OpenAI({ apiKey: "sk-test", baseURL: process.env.OPENAI_BASE_URL, maxRetries: 0 }));
}

async function ask(content) {
  const completion = await openai().chat.completions.create({
    model: "gpt-4o-mini",
    messages: [{ role: "user", content }],
  });
  return completion.choices[0]?.message.content ?? "";
}

/** An API Gateway (1.0 or 2.0) or function URL handler. */
export const http = withModa(async (event) => {
  const answer = await ask(`answer ${event.rawPath ?? event.path}`);
  return { statusCode: 201, headers: { "content-type": "application/json" }, body: JSON.stringify({ answer }) };
});

/** A response-streaming handler, wrapped inside `streamifyResponse` as its docs show. */
export const streaming = awslambda.streamifyResponse(
  withModa(async (_event, responseStream) => {
    const stream = awslambda.HttpResponseStream.from(responseStream, { statusCode: 200 });
    stream.write("first ");
    stream.write(await ask("stream"));
    stream.end();
  }),
);

/** Any other event. */
export const job = withModa(async (event) => ({ done: await ask(`job ${event.id}`) }));
