/**
 * Tools and tool calls in OpenAI's function shape (`{ type, function: { name, description, parameters } }` and
 * `{ id, function: { name, arguments } }`), which Cohere v2, Mistral (on its API and on Bedrock) and Ollama use too.
 */
import type { Part, ToolDefinition } from "../../semconv/llm-call";
import { asArray, definedOnly, isObject, type JsonObject, parseArguments, stringOrUndefined } from "../parts";

export function functionToolDefinition(tool: JsonObject): ToolDefinition {
  const fn = isObject(tool.function) ? tool.function : {};
  return definedOnly({
    type: String(tool.type ?? "function"),
    name: String(fn.name ?? ""),
    description: stringOrUndefined(fn.description),
    parameters: fn.parameters,
  });
}

/** `idOf` reads a call's id: an SDK may stand something in for a missing one (Mistral's `"null"`). */
export function functionToolCallParts(
  toolCalls: unknown,
  idOf: (id: unknown) => string | undefined = stringOrUndefined,
): Part[] {
  return asArray(toolCalls)
    .filter(isObject)
    .map((toolCall) => {
      const fn = isObject(toolCall.function) ? toolCall.function : {};
      return definedOnly({
        type: "tool_call" as const,
        id: idOf(toolCall.id),
        name: String(fn.name ?? ""),
        arguments: parseArguments(fn.arguments),
      });
    });
}
