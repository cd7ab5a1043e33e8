/**
 * The Anthropic provider: clients of `@anthropic-ai/sdk` (0.30 and later; `AnthropicBedrock` and `AnthropicVertex`
 * included), and the methods traced on them. The helpers (`messages.stream`, `parse`) are observed through the
 * `create` calls they make: one span per model call, while the MessageStream, its events and `finalMessage()`
 * stay the SDK's. `countTokens`, `models`, batches and files pass through untraced.
 */

import { safely } from "../../core/safe";
import { type MethodHandler, observeHelper, type ProviderModule } from "../../instrument/provider";
import { traceApiCall } from "../../instrument/traced-call";
import { wrapAs } from "../../instrument/wrap-as";
import { completionsTracer, messagesTracer } from "./calls";
import { withoutSdkSpan } from "./sdk-spans";

function isAnthropicClient(client: object): boolean {
  const candidate = client as { baseURL?: unknown; messages?: { create?: unknown }; chat?: unknown };
  return (
    typeof candidate.baseURL === "string" &&
    typeof candidate.messages?.create === "function" &&
    candidate.chat === undefined
  );
}

/**
 * `messages.stream()` starts the SDK's own span before its `create` call, so that span is turned off here, in the
 * options the helper passes on to `create` (see sdk-spans.ts).
 */
const observeMessageStream: MethodHandler = (invocation) => {
  const args = safely(
    "anthropic stream options",
    () => withoutSdkSpan(invocation.args, invocation.client, "anthropic.messages.create"),
    invocation.args,
  );
  return observeHelper({ ...invocation, args });
};

const messagesCreate = traceApiCall(messagesTracer);

export const anthropicProvider: ProviderModule = {
  sdk: "@anthropic-ai/sdk",
  matches: isAnthropicClient,
  methods: {
    "messages.create": messagesCreate,
    "messages.stream": observeMessageStream,
    "messages.parse": observeHelper,
    "beta.messages.create": messagesCreate,
    "beta.messages.stream": observeMessageStream,
    "beta.messages.parse": observeHelper,
    // 0.x: the runner calls `beta.messages.create/stream` on the client. 1.x runs it over a message thread, whose
    // streamed turns parse the response outside the APIPromise the tracer observes: left untraced for now.
    "beta.messages.toolRunner": observeHelper,
    "completions.create": traceApiCall(completionsTracer),
  },
};

/** `wrap()` for clients of `@anthropic-ai/sdk`: `Anthropic`, `AnthropicBedrock`, `AnthropicVertex`. */
export function wrapAnthropic<T>(client: T): T {
  return wrapAs(anthropicProvider, "wrapAnthropic", client);
}
