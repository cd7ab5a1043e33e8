/**
 * Bedrock's own token counts of an answer, in its response headers (`x-amzn-bedrock-input-token-count`,
 * `x-amzn-bedrock-output-token-count`): the only counts of a model family whose body has none (Mistral 7B's and
 * Mixtral's text format, Cohere's). The SDK keeps no headers in a command's output, so a deserialize-step
 * middleware, added once to each traced client's stack, reads them where the response is still at hand and keeps
 * them by the output object it deserialized, for the flush to read.
 */
import { reportInternalError } from "../../core/safe";
import { definedOnly, isObject, numberOrUndefined } from "../../instrument/parts";
import type { Usage } from "../../semconv/llm-call";

const MIDDLEWARE_NAME = "modaEdgeTokenCountHeaders";
const INPUT_TOKENS = "x-amzn-bedrock-input-token-count";
const OUTPUT_TOKENS = "x-amzn-bedrock-output-token-count";

const countsByOutput = new WeakMap<object, Usage>();
const clientsRead = new WeakSet<object>();

interface MiddlewareStack {
  add(middleware: unknown, options: { step: "deserialize"; priority: "high"; name: string; override: boolean }): void;
}
type Handler = (args: unknown) => Promise<unknown>;

/** Adds the header reader to `client`'s middleware stack, once. */
export function readTokenCountHeaders(client: object): void {
  if (clientsRead.has(client)) return;
  clientsRead.add(client);
  const stack = (client as { middlewareStack?: Partial<MiddlewareStack> }).middlewareStack;
  if (typeof stack?.add === "function")
    // High priority: around the SDK's deserializer, so that its result holds the output as well as the response.
    stack.add(tokenCountMiddleware, { step: "deserialize", priority: "high", name: MIDDLEWARE_NAME, override: true });
}

/** The token counts Bedrock's headers gave with `output`, if any. */
export function headerTokenCounts(output: unknown): Usage | undefined {
  return isObject(output) ? countsByOutput.get(output) : undefined;
}

/** The middleware: the SDK's result passes through as it is, error or not; only the reading is the tracer's. */
function tokenCountMiddleware(next: Handler): Handler {
  return async (args) => {
    const result = await next(args);
    try {
      keepCounts(result);
    } catch (error) {
      reportInternalError("read Bedrock token headers", error);
    }
    return result;
  };
}

function keepCounts(result: unknown): void {
  if (!isObject(result) || !isObject(result.output) || !isObject(result.response)) return;
  const headers = result.response.headers;
  if (!isObject(headers)) return;
  const usage = definedOnly({
    inputTokens: headerCount(headers, INPUT_TOKENS),
    outputTokens: headerCount(headers, OUTPUT_TOKENS),
  });
  if (usage.inputTokens !== undefined || usage.outputTokens !== undefined) countsByOutput.set(result.output, usage);
}

/** A count header; the SDK's handlers give header names in lower case, any other case is looked for too. */
function headerCount(headers: Record<string, unknown>, name: string): number | undefined {
  const value = headers[name] ?? Object.entries(headers).find(([key]) => key.toLowerCase() === name)?.[1];
  const count = typeof value === "string" && value.trim() !== "" ? Number(value) : undefined;
  return numberOrUndefined(count);
}
