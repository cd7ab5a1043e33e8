import type { AttributeValue } from "@opentelemetry/api";

/**
 * Which attributes carry content (what a person or a model wrote, and error text that may quote it), by name,
 * whoever wrote them: our LLM and entity spans, the Vercel AI SDK and other OpenTelemetry code through
 * `modaTracer()`, `setAttributes`, exception events. `traceContent: false` and a failed `redact` hook remove them.
 */

/** The GenAI conventions' tool definitions: without content, their types and names stay. */
const GEN_AI_TOOL_DEFINITIONS = "gen_ai.tool.definitions";

const CONTENT_NAMES: ReadonlySet<string> = new Set([
  // OpenTelemetry GenAI conventions (v1.41) and their older single-value names.
  "gen_ai.input.messages",
  "gen_ai.output.messages",
  "gen_ai.system_instructions",
  GEN_AI_TOOL_DEFINITIONS,
  "gen_ai.tool.call.arguments",
  "gen_ai.tool.call.result",
  "gen_ai.prompt",
  "gen_ai.completion",
  // Traceloop's entity input and output.
  "traceloop.entity.input",
  "traceloop.entity.output",
  // OpenInference.
  "input.value",
  "output.value",
  // The Vercel AI SDK (3 to 7).
  "ai.prompt",
  "ai.prompt.messages",
  "ai.prompt.tools",
  "ai.request.text",
  "ai.response.text",
  "ai.response.toolCalls",
  "ai.response.object",
  "ai.response.reasoning",
  "ai.response.reasoningDetails",
  "ai.response.files",
  "ai.response.providerMetadata",
  "ai.result.text",
  "ai.result.toolCalls",
  "ai.result.object",
  "ai.toolCall.args",
  "ai.toolCall.result",
  "ai.value",
  "ai.values",
  "ai.embedding",
  "ai.embeddings",
  "ai.documents",
  "ai.ranking",
  "ai.schema",
  "ai.schema.description",
  "ai.decision.questions",
  "ai.decision.answers",
  "ai.decision.state",
  // Error text: a provider's error quotes what it was sent.
  "exception.message",
  "exception.stacktrace",
  "error.message",
]);

const CONTENT_PREFIXES: readonly string[] = [
  // Moda's and OpenLLMetry's indexed messages.
  "llm.prompts.",
  "llm.completions.",
  "gen_ai.prompt.",
  "gen_ai.completion.",
  // OpenInference's indexed messages.
  "llm.input_messages.",
  "llm.output_messages.",
];

/** OpenLLMetry's flat tool definitions: their names are not content, their descriptions and parameters are. */
const FLAT_TOOL_DEFINITIONS = "llm.request.functions.";

export function isContentAttribute(name: string): boolean {
  if (CONTENT_NAMES.has(name)) return true;
  for (const prefix of CONTENT_PREFIXES) if (name.startsWith(prefix)) return true;
  return name.startsWith(FLAT_TOOL_DEFINITIONS) && !name.endsWith(".name");
}

/** What is left of a content attribute without its content: the names of the tools offered, else nothing. */
export function contentFreeValue(name: string, value: AttributeValue): AttributeValue | undefined {
  if (name !== GEN_AI_TOOL_DEFINITIONS || typeof value !== "string") return undefined;
  try {
    const tools: unknown = JSON.parse(value);
    if (!Array.isArray(tools)) return undefined;
    return JSON.stringify(
      tools.map((tool: { type?: unknown; name?: unknown } | null) => ({
        type: typeof tool?.type === "string" ? tool.type : undefined,
        name: typeof tool?.name === "string" ? tool.name : undefined,
      })),
    );
  } catch {
    return undefined;
  }
}
