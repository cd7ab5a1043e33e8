/**
 * The AWS Bedrock provider: `BedrockRuntimeClient` (and the aggregated `BedrockRuntime`) of
 * `@aws-sdk/client-bedrock-runtime`. Every call goes through `send(command)`, traced for the model commands
 * (calls.ts); the aggregated client's `converse()`, `invokeModel()`, … run on the proxy, so their `send` is
 * the traced one. `send` returns a plain Promise (observed by plain-promise.ts) of the command's output; a streamed
 * command's output holds the SDK's own async iterable of events (observed by async-iterable.ts).
 */

import { observeHelper, type ProviderModule } from "../../instrument/provider";
import { tracePromiseCall } from "../../instrument/traced-promise-call";
import { wrapAs } from "../../instrument/wrap-as";
import { sendTracer } from "./calls";

function isBedrockRuntimeClient(client: object): boolean {
  const candidate = client as { send?: unknown; config?: { serviceId?: unknown }; middlewareStack?: unknown };
  return (
    typeof candidate.send === "function" &&
    typeof candidate.middlewareStack === "object" &&
    candidate.config?.serviceId === "Bedrock Runtime"
  );
}

export const bedrockProvider: ProviderModule = {
  sdk: "@aws-sdk/client-bedrock-runtime",
  matches: isBedrockRuntimeClient,
  methods: {
    send: tracePromiseCall(sendTracer),
    converse: observeHelper,
    converseStream: observeHelper,
    invokeModel: observeHelper,
    invokeModelWithResponseStream: observeHelper,
  },
};

/** `wrap()` for clients of `@aws-sdk/client-bedrock-runtime`: `BedrockRuntimeClient`, `BedrockRuntime`. */
export function wrapBedrock<T>(client: T): T {
  return wrapAs(bedrockProvider, "wrapBedrock", client);
}
