/** A trace's spans as a tree with timing bars on one time axis; a streamed call's wait for its first chunk is lighter. */
import type { DecodedSpan } from "../otlp/decoded-span";
import { isLlmSpan, llmCallOf } from "../view/llm-call";
import { ROLE_LABELS, roleOf } from "../view/span-role";
import { durationMs, type TraceTree } from "../view/trace-tree";
import { h } from "./dom";
import { formatCount, formatMs } from "./format";

const TICKS = [0, 0.25, 0.5, 0.75, 1];

export function waterfall(tree: TraceTree, selectedSpanId: string | undefined, onSelect: (spanId: string) => void) {
  const totalMs = Math.max(Number(tree.endNs - tree.startNs) / 1e6, 0.001);
  return h(
    "div",
    { class: "waterfall", attrs: { role: "tree" } },
    h(
      "div",
      { class: "wf-row wf-axis" },
      h("div", { class: "wf-name" }, "Span"),
      h(
        "div",
        { class: "wf-track" },
        TICKS.map((tick) => {
          const label = h("span", { class: "wf-tick" }, formatMs(tick * totalMs));
          label.style.left = `${tick * 100}%`;
          return label;
        }),
      ),
    ),
    tree.rows.map(({ span, depth }) =>
      spanRow(span, depth, tree.startNs, totalMs, span.spanId === selectedSpanId, onSelect),
    ),
  );
}

function spanRow(
  span: DecodedSpan,
  depth: number,
  traceStartNs: bigint,
  totalMs: number,
  selected: boolean,
  onSelect: (spanId: string) => void,
): HTMLElement {
  const role = roleOf(span);
  const error = span.status.code === "ERROR";
  const name = h(
    "div",
    { class: "wf-name", title: span.name },
    h("span", { class: `role-badge role-${role}` }, ROLE_LABELS[role]),
    h("span", { class: "wf-span-name" }, span.name),
    h("span", { class: "wf-note" }, noteOf(span)),
  );
  name.style.paddingLeft = `${8 + depth * 18}px`;
  return h(
    "div",
    {
      class: ["wf-row", `role-${role}`, selected && "selected", error && "error"].filter(Boolean).join(" "),
      data: { spanId: span.spanId, role },
      attrs: { role: "treeitem", "aria-selected": String(selected) },
      onclick: () => onSelect(span.spanId),
    },
    name,
    h("div", { class: "wf-track" }, bar(span, traceStartNs, totalMs)),
  );
}

function bar(span: DecodedSpan, traceStartNs: bigint, totalMs: number): HTMLElement[] {
  const offsetMs = Number(BigInt(span.startTimeUnixNano) - traceStartNs) / 1e6;
  const lengthMs = durationMs(span);
  const element = h("div", { class: "wf-bar" });
  element.style.left = `${(offsetMs / totalMs) * 100}%`;
  element.style.width = `max(2px, ${(lengthMs / totalMs) * 100}%)`;
  const firstChunkMs = isLlmSpan(span) ? llmCallOf(span).timeToFirstChunkMs : undefined;
  if (firstChunkMs !== undefined && lengthMs > 0) {
    const waiting = h("div", { class: "wf-wait", title: `first chunk after ${formatMs(firstChunkMs)}` });
    waiting.style.width = `${Math.min(100, (firstChunkMs / lengthMs) * 100)}%`;
    element.append(waiting);
  }
  const label = h("span", { class: "wf-duration" }, formatMs(lengthMs));
  const rightRoom = 100 - ((offsetMs + lengthMs) / totalMs) * 100;
  label.style.left = rightRoom > 14 ? `calc(${((offsetMs + lengthMs) / totalMs) * 100}% + 6px)` : "";
  if (rightRoom <= 14) label.classList.add("inside");
  return [element, label];
}

/** A few words beside the name: the model and tokens of a call, the status of a request. */
function noteOf(span: DecodedSpan): string {
  if (isLlmSpan(span)) {
    const call = llmCallOf(span);
    const tokens =
      call.tokens.input !== undefined || call.tokens.output !== undefined
        ? `${formatCount(call.tokens.input ?? 0)} → ${formatCount(call.tokens.output ?? 0)} tok`
        : "";
    return [call.provider, tokens, call.streamed && "streamed"].filter(Boolean).join(" · ");
  }
  const status = span.attributes["http.response.status_code"];
  return status === undefined ? "" : String(status);
}
