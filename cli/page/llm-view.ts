/** An LLM span opened: model, provider, tokens, finish, timing, then the conversation replay and the tools offered. */
import type { DecodedSpan } from "../otlp/decoded-span";
import { type LlmCall, llmCallOf, type Tokens } from "../view/llm-call";
import { durationMs } from "../view/trace-tree";
import { conversationView } from "./conversation-view";
import { h } from "./dom";
import { type Fact, factsView } from "./facts";
import { formatCount, formatMs, readable } from "./format";

export function llmView(span: DecodedSpan): HTMLElement {
  const call = llmCallOf(span);
  return h(
    "div",
    { class: "llm" },
    factsView(llmFacts(call, span)),
    call.tools.length > 0 && toolsOffered(call),
    conversationView(call.conversation),
  );
}

function llmFacts(call: LlmCall, span: DecodedSpan): Fact[] {
  const model =
    call.responseModel && call.responseModel !== call.requestModel
      ? [call.requestModel ?? "?", h("span", { class: "muted" }, " → "), call.responseModel]
      : (call.requestModel ?? call.responseModel ?? "—");
  const facts: (Fact | false)[] = [
    ["Model", model, "requested → answering model"],
    ["Provider", call.provider ?? "—"],
    ["Tokens", tokensView(call.tokens), "input tokens include cached ones; output tokens include reasoning"],
    ["Finish", call.finishReasons.length > 0 ? call.finishReasons.join(", ") : "—"],
    [
      "First chunk",
      call.timeToFirstChunkMs !== undefined ? formatMs(call.timeToFirstChunkMs) : call.streamed ? "—" : "not streamed",
      "time from the request to the first streamed chunk",
    ],
    ["Duration", formatMs(durationMs(span))],
    call.parameters.length > 0 && [
      "Parameters",
      call.parameters.map(([name, value]) => h("span", { class: "param" }, `${name} ${readable(value)}`)),
    ],
    call.conversationId !== undefined && ["Conversation", h("code", null, call.conversationId)],
    call.userId !== undefined && ["User", call.userId],
    call.cancelled && ["Stream", "cancelled by the caller before its end"],
    span.status.code === "ERROR" && ["Error", span.status.message || String(span.attributes["error.type"] ?? "error")],
  ];
  return facts.filter((fact): fact is Fact => fact !== false);
}

const TOKEN_LABELS: [keyof Tokens, string][] = [
  ["input", "in"],
  ["output", "out"],
  ["cacheRead", "cached"],
  ["cacheCreation", "cache write"],
  ["reasoning", "reasoning"],
];

function tokensView(tokens: Tokens): HTMLElement {
  const shown = TOKEN_LABELS.filter(([key]) => tokens[key] !== undefined || key === "input" || key === "output");
  return h(
    "span",
    { class: "tokens" },
    shown.map(([key, label]) =>
      h(
        "span",
        { class: `token token-${key}`, data: { tokens: key } },
        h("b", null, tokens[key] === undefined ? "—" : formatCount(tokens[key])),
        ` ${label}`,
      ),
    ),
  );
}

function toolsOffered(call: LlmCall): HTMLElement {
  return h(
    "details",
    { class: "tools-offered" },
    h("summary", null, `Tools offered to the model (${call.tools.length})`),
    call.tools.map((tool) =>
      h(
        "div",
        { class: "tool-definition" },
        h("code", { class: "tool-name" }, tool.name),
        tool.description && h("span", { class: "muted" }, ` ${tool.description}`),
        tool.parameters !== undefined && h("pre", { class: "json" }, readable(tool.parameters)),
      ),
    ),
  );
}
