/**
 * What `npm run demo` prints under a span: for an LLM span, the attributes Moda reads (model, provider, tokens,
 * the prompt and the answer, tool calls, finish reason); with `--all`, every attribute of every span as it was
 * sent.
 */
import type { DecodedAttributes } from "../test/support/otlp-types";

/** A message's text on one line, cut to this many characters. */
const TEXT_WIDTH = 100;
const LABEL_WIDTH = 9;

function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > TEXT_WIDTH ? `${flat.slice(0, TEXT_WIDTH - 1)}…` : flat;
}

const line = (label: string, text: string) => `${label.padEnd(LABEL_WIDTH)} ${text}`;

/** `llm.prompts.{n}` or `llm.completions.{n}`: one line per message, `role: content`. */
function messages(a: DecodedAttributes, prefix: string, label: string): string[] {
  const lines: string[] = [];
  for (let n = 0; a[`${prefix}.${n}.role`] !== undefined || a[`${prefix}.${n}.content`] !== undefined; n++) {
    const content = a[`${prefix}.${n}.content`];
    const text = typeof content === "string" ? content : JSON.stringify(content ?? "");
    lines.push(line(n === 0 ? label : "", `${a[`${prefix}.${n}.role`] ?? "?"}: ${oneLine(text)}`));
  }
  return lines;
}

/** The tool calls among the output messages (`gen_ai.output.messages`, JSON), as `name(arguments)`. */
function toolCalls(a: DecodedAttributes): string[] {
  const output = a["gen_ai.output.messages"];
  if (typeof output !== "string") return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(output);
  } catch {
    return [];
  }
  if (!Array.isArray(parsed)) return [];
  const calls = parsed.flatMap((message: { parts?: { type?: string; name?: string; arguments?: unknown }[] }) =>
    (message.parts ?? []).filter((part) => part.type === "tool_call"),
  );
  return calls.map((call, i) =>
    line(i === 0 ? "tools" : "", oneLine(`${call.name}(${JSON.stringify(call.arguments ?? {})})`)),
  );
}

function tokens(a: DecodedAttributes): string | undefined {
  const input = a["llm.usage.prompt_tokens"] ?? a["gen_ai.usage.input_tokens"];
  const output = a["llm.usage.completion_tokens"] ?? a["gen_ai.usage.output_tokens"];
  if (input === undefined && output === undefined) return undefined;
  const parts = [`${input ?? "?"} in`, `${output ?? "?"} out`];
  const total = a["llm.usage.total_tokens"];
  if (total !== undefined) parts.push(`${total} total`);
  const cached = a["gen_ai.usage.cache_read.input_tokens"];
  if (cached !== undefined) parts.push(`${cached} cached`);
  const reasoning = a["gen_ai.usage.reasoning.output_tokens"];
  if (reasoning !== undefined) parts.push(`${reasoning} reasoning`);
  return parts.join(" / ");
}

/** Whether a span is an LLM call as Moda reads it (the `llm.*` names, or the GenAI ones alone). */
function isLlmSpan(a: DecodedAttributes): boolean {
  return a["llm.request.model"] !== undefined || a["gen_ai.input.messages"] !== undefined;
}

/** The lines under an LLM span: what Moda will show for the call. Nothing for other spans. */
export function keyAttributeLines(a: DecodedAttributes): string[] {
  if (!isLlmSpan(a)) return [];
  const lines: string[] = [];
  const requested = a["llm.request.model"] ?? a["gen_ai.request.model"];
  const answered = a["llm.response.model"] ?? a["gen_ai.response.model"];
  lines.push(line("model", answered === undefined ? `${requested}` : `${requested} → ${answered}`));
  lines.push(line("provider", `${a["llm.system"] ?? a["gen_ai.provider.name"] ?? "?"}`));
  const used = tokens(a);
  lines.push(line("tokens", used ?? "none reported"));
  lines.push(...messages(a, "llm.prompts", "prompt"));
  lines.push(...messages(a, "llm.completions", "answer"));
  lines.push(...toolCalls(a));
  const finish = a["llm.response.finish_reason"] ?? a["gen_ai.response.finish_reasons"];
  if (finish !== undefined) lines.push(line("finish", Array.isArray(finish) ? finish.join(", ") : `${finish}`));
  return lines;
}

/** Every attribute, sorted by name, `name = value` with the value as JSON. */
export function allAttributeLines(a: DecodedAttributes): string[] {
  return Object.keys(a)
    .sort()
    .map((name) => `${name} = ${JSON.stringify(a[name])}`);
}
