import type { AttributeValue } from "@opentelemetry/api";

/**
 * Which attributes carry content (what a person or a model wrote, and error text that may quote it), by name,
 * whoever wrote them: our LLM and entity spans, the Vercel AI SDK, OpenInference, Traceloop and other
 * OpenTelemetry code through `modaTracer()`, `setAttributes`, exception events. `traceContent: false` and a failed
 * `redact` hook remove them. Two rules: the names and prefixes below, whatever the value; and any other name with a
 * word that denotes content (CONTENT_WORDS), when its value is text and no word marks it as metadata.
 */

/** The GenAI conventions' tool definitions: without content, their types and names stay. */
const GEN_AI_TOOL_DEFINITIONS = "gen_ai.tool.definitions";

/**
 * Content whatever the words of the name say (those of `ai.response.toolCalls` say nothing) or the value is (the
 * AI SDK's embeddings are numbers). Names whose words denote content (`gen_ai.input.messages`, `ai.prompt`,
 * `input.value`, `traceloop.entity.input`, `exception.message`) need no entry.
 */
const CONTENT_NAMES: ReadonlySet<string> = new Set([
  GEN_AI_TOOL_DEFINITIONS,
  "ai.response.toolCalls",
  "ai.response.object",
  "ai.response.objects",
  "ai.response.reasoning",
  "ai.response.reasoningDetails",
  "ai.response.files",
  "ai.response.providerMetadata",
  "ai.result.toolCalls",
  "ai.result.object",
  "ai.value",
  "ai.values",
  "ai.embedding",
  "ai.embeddings",
  "ai.ranking",
  "ai.decision.questions",
  "ai.decision.answers",
  "ai.decision.state",
  // Error text: a provider's error quotes what it was sent.
  "exception.stacktrace",
]);

const CONTENT_PREFIXES: readonly string[] = [
  // Moda's and OpenLLMetry's indexed messages (their flat tool calls too: `llm.completions.0.tool_calls.0.arguments`).
  "llm.prompts.",
  "llm.completions.",
  "gen_ai.prompt.",
  "gen_ai.completion.",
  // OpenInference's indexed messages and embeddings (vectors as much as texts).
  "llm.input_messages.",
  "llm.output_messages.",
  "embedding.embeddings.",
  // The AI SDK's context handed to tools.
  "ai.settings.context.",
];

/**
 * Words that denote content in any instrumentation's names: OpenInference's `llm.prompt_template.template`,
 * `retrieval.documents.0.document.content`, `tool.parameters`, `tool_call.function.arguments`, `reranker.query`;
 * the GenAI conventions' `gen_ai.tool.description`, `gen_ai.retrieval.query.text`; Traceloop's
 * `traceloop.prompt.template_variables`; the AI SDK's `ai.schema.name`, `ai.prompt.toolChoice`.
 */
const CONTENT_WORDS: ReadonlySet<string> = new Set([
  "prompt",
  "prompts",
  "completion",
  "completions",
  "content",
  "contents",
  "message",
  "messages",
  "text",
  "arguments",
  "args",
  "parameters",
  "result",
  "results",
  "document",
  "documents",
  "query",
  "template",
  "description",
  "schema",
  "instructions",
  "body",
  "functions",
]);

/**
 * An input or output is content as the last word (`gen_ai.embeddings.input`) or with its value
 * (`input.value`, `output.value.0`, as OpenInference writes it); `gen_ai.output.type` is not.
 */
const INPUT_OUTPUT: ReadonlySet<string> = new Set(["input", "inputs", "output", "outputs"]);
const VALUE_WORDS: ReadonlySet<string> = new Set(["value", "values"]);

/**
 * Words that make a name metadata wherever they stand: `llm.token_count.prompt`, `ai.usage.promptTokens`,
 * `ai.settings.output` (the AI SDK's context under `ai.settings.context.` is content, by prefix).
 */
const METADATA_WORDS: ReadonlySet<string> = new Set(["token", "tokens", "count", "usage", "settings"]);
/** Last words that make a name metadata: `llm.prompt_template.version`, `http.request.header.content-type`. */
const METADATA_LAST_WORDS: ReadonlySet<string> = new Set([
  "id",
  "ids",
  "type",
  "role",
  "model",
  "index",
  "version",
  "length",
  "size",
  // A key names something (`moda.prompt_key`, Moda's prompt management), it is not the thing.
  "key",
]);

/** Where a name splits into words: dots, underscores, dashes, spaces, camelCase. */
const WORD_BOUNDARY = /[._\-\s]+|(?<=[a-z0-9])(?=[A-Z])/;

type Verdict = "content" | "text-content" | "metadata";

/** Verdicts by name: a span repeats the names of the last, and names are few. Bounded, emptied when full. */
const verdicts = new Map<string, Verdict>();
const MAX_VERDICTS = 1024;

/** Whether the attribute `name` carries content, given its `value` (a number or boolean never carries text). */
export function isContentAttribute(name: string, value: AttributeValue): boolean {
  const verdict = verdictOf(name);
  if (verdict !== "text-content") return verdict === "content";
  return typeof value === "string" || (Array.isArray(value) && value.some((item) => typeof item === "string"));
}

function verdictOf(name: string): Verdict {
  let verdict = verdicts.get(name);
  if (verdict === undefined) {
    verdict = judge(name);
    if (verdicts.size >= MAX_VERDICTS) verdicts.clear();
    verdicts.set(name, verdict);
  }
  return verdict;
}

/** OpenLLMetry's flat tool definitions: their names are not content, their descriptions and parameters are. */
const FLAT_TOOL_DEFINITIONS = "llm.request.functions.";

function judge(name: string): Verdict {
  if (CONTENT_NAMES.has(name)) return "content";
  if (name.startsWith(FLAT_TOOL_DEFINITIONS)) return name.endsWith(".name") ? "metadata" : "content";
  for (const prefix of CONTENT_PREFIXES) if (name.startsWith(prefix)) return "content";
  const words = name
    .split(WORD_BOUNDARY)
    .filter((word) => word !== "")
    .map((word) => word.toLowerCase());
  const last = words.at(-1);
  if (last === undefined || METADATA_LAST_WORDS.has(last) || words.some((word) => METADATA_WORDS.has(word))) {
    return "metadata";
  }
  const denotesContent =
    INPUT_OUTPUT.has(last) ||
    words.some(
      (word, index) => CONTENT_WORDS.has(word) || (VALUE_WORDS.has(word) && INPUT_OUTPUT.has(words[index - 1] ?? "")),
    );
  return denotesContent ? "text-content" : "metadata";
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
