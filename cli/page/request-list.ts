/** The live list of requests (traces), newest first; one click opens a request. */
import type { TraceSummary } from "../view/trace-summary";
import { h } from "./dom";
import { clockTime, formatCount, formatMs } from "./format";

export interface RequestListProps {
  summaries: TraceSummary[];
  selected?: string;
  /** Traces that arrived since the last render: they flash once. */
  fresh: ReadonlySet<string>;
  onSelect(traceId: string): void;
}

export function requestList({ summaries, selected, fresh, onSelect }: RequestListProps): HTMLElement {
  return h(
    "ol",
    { class: "request-list", attrs: { "aria-label": "Requests" } },
    summaries.map((summary) =>
      requestItem(summary, summary.traceId === selected, fresh.has(summary.traceId), onSelect),
    ),
  );
}

function requestItem(summary: TraceSummary, selected: boolean, fresh: boolean, onSelect: (id: string) => void) {
  const classes = ["request", selected && "selected", fresh && "fresh", summary.error && "error"];
  return h(
    "li",
    {
      class: classes.filter(Boolean).join(" "),
      data: { traceId: summary.traceId },
      onclick: () => onSelect(summary.traceId),
    },
    h(
      "div",
      { class: "request-line" },
      h("span", { class: "request-title", title: summary.title }, summary.title),
      statusBadge(summary),
    ),
    h(
      "div",
      { class: "request-meta" },
      h("span", null, clockTime(summary.startNs)),
      h("span", null, formatMs(summary.durationMs)),
      summary.service && h("span", { class: "request-service" }, summary.service),
    ),
    summary.llmCalls > 0 &&
      h(
        "div",
        { class: "request-llm" },
        h("span", { class: "llm-dot" }),
        h("span", { class: "request-models", title: summary.models.join(", ") }, summary.models.join(", ")),
        h(
          "span",
          { class: "request-tokens" },
          `${formatCount(summary.inputTokens)} → ${formatCount(summary.outputTokens)} tok`,
        ),
        summary.llmCalls > 1 && h("span", { class: "request-calls" }, `×${summary.llmCalls}`),
      ),
  );
}

function statusBadge(summary: TraceSummary): HTMLElement | undefined {
  if (summary.httpStatus !== undefined) {
    const tone = summary.httpStatus >= 500 ? "bad" : summary.httpStatus >= 400 ? "warn" : "good";
    return h("span", { class: `badge status ${tone}` }, String(summary.httpStatus));
  }
  return summary.error ? h("span", { class: "badge status bad" }, "error") : undefined;
}
