/**
 * The GenAI conventions v1.41 JSON schemas, compiled, and a check of every JSON-valued attribute of a span.
 * Node only: ajv compiles its validators with `new Function`, which workerd and the edge runtime forbid.
 */
import Ajv, { type ValidateFunction } from "ajv";
import inputMessagesSchema from "../fixtures/semconv-genai-v1.41/gen-ai-input-messages.json";
import outputMessagesSchema from "../fixtures/semconv-genai-v1.41/gen-ai-output-messages.json";
import systemInstructionsSchema from "../fixtures/semconv-genai-v1.41/gen-ai-system-instructions.json";
import toolDefinitionsSchema from "../fixtures/semconv-genai-v1.41/gen-ai-tool-definitions.json";

const ajv = new Ajv({ allErrors: true });
// The schemas mark blob content `format: binary` (base64 text in JSON); nothing to check beyond "string".
ajv.addFormat("binary", true);

export const genAiValidators: Record<string, ValidateFunction> = {
  "gen_ai.input.messages": ajv.compile(inputMessagesSchema),
  "gen_ai.output.messages": ajv.compile(outputMessagesSchema),
  "gen_ai.system_instructions": ajv.compile(systemInstructionsSchema),
  "gen_ai.tool.definitions": ajv.compile(toolDefinitionsSchema),
};

/** A legacy content value that is JSON is a list of parts: the same shape as system instructions. */
function validatorFor(name: string): ValidateFunction | undefined {
  if (/^llm\.(prompts|completions)\.\d+\.content$/.test(name)) return genAiValidators["gen_ai.system_instructions"];
  return genAiValidators[name];
}

/** Legacy content is plain text when every part is text (which may itself look like JSON), else a JSON list of parts. */
function isJsonText(name: string, value: unknown): value is string {
  if (typeof value !== "string") return false;
  return name.startsWith("llm.") ? value.startsWith('[{"type":') : value.startsWith("[") || value.startsWith("{");
}

/** The JSON-valued attributes that fail their schema, with the reason; and how many were checked. */
export function schemaErrors(attributes: Record<string, unknown>): { checked: number; errors: string[] } {
  let checked = 0;
  const errors: string[] = [];
  for (const [name, value] of Object.entries(attributes)) {
    const validate = validatorFor(name);
    if (validate === undefined || !isJsonText(name, value)) continue;
    checked += 1;
    if (!validate(JSON.parse(value))) errors.push(`${name}: ${ajv.errorsText(validate.errors)}`);
  }
  return { checked, errors };
}
