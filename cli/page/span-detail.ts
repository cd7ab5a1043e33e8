/** The selected span: its head, a first tab that reads it (conversation, input and output, overview), and its raw attributes. */
import type { DecodedSpan } from "../otlp/decoded-span";
import { entityOf } from "../view/entity";
import { ROLE_LABELS, roleOf } from "../view/span-role";
import { durationMs } from "../view/trace-tree";
import { attributesView } from "./attributes-view";
import { h } from "./dom";
import { entityView } from "./entity-view";
import { factsView } from "./facts";
import { clockTime, formatMs, readable } from "./format";
import { llmView } from "./llm-view";

export type Tab = "read" | "raw";

export function spanDetail(span: DecodedSpan, tab: Tab, onTab: (tab: Tab) => void): HTMLElement {
  const role = roleOf(span);
  const entity = entityOf(span);
  const readLabel = role === "llm" ? "Conversation" : entity ? "Input & output" : "Overview";
  const tabButton = (which: Tab, label: string) =>
    h(
      "button",
      {
        class: `tab${tab === which ? " active" : ""}`,
        data: { tab: which },
        attrs: { type: "button", role: "tab", "aria-selected": String(tab === which) },
        onclick: () => onTab(which),
      },
      label,
    );
  const body =
    tab === "raw"
      ? attributesView(span)
      : role === "llm"
        ? llmView(span)
        : entity
          ? entityView(span, entity)
          : overview(span);
  return h(
    "section",
    { class: `detail role-${role}`, data: { spanId: span.spanId } },
    h(
      "div",
      { class: "detail-head" },
      h("span", { class: `role-badge role-${role}` }, ROLE_LABELS[role]),
      h("h2", { title: span.name }, span.name),
      h(
        "nav",
        { class: "tabs", attrs: { role: "tablist" } },
        tabButton("read", readLabel),
        tabButton("raw", `Attributes (${Object.keys(span.attributes).length})`),
      ),
    ),
    h("div", { class: "detail-body" }, body),
  );
}

const OVERVIEW_ATTRIBUTES: [label: string, name: string][] = [
  ["Method", "http.request.method"],
  ["Route", "http.route"],
  ["Path", "url.path"],
  ["Status", "http.response.status_code"],
  ["Host", "server.address"],
  ["Trigger", "faas.trigger"],
  ["Cron", "faas.cron"],
  ["Queue", "messaging.destination.name"],
  ["Messages", "messaging.batch.message_count"],
  ["User agent", "user_agent.original"],
];

function overview(span: DecodedSpan): HTMLElement {
  const a = span.attributes;
  return h(
    "div",
    { class: "overview" },
    factsView([
      ["Kind", span.kind],
      ["Started", clockTime(span.startTimeUnixNano)],
      ["Duration", formatMs(durationMs(span))],
      ...OVERVIEW_ATTRIBUTES.filter(([, name]) => a[name] !== undefined).map(([label, name]): [string, string] => [
        label,
        readable(a[name]),
      ]),
      a["moda.response.cancelled"] === true && ["Response", "cancelled by the client"],
      a["moda.span.incomplete"] === true && ["Incomplete", "still open when the request's spans were sent"],
      span.status.code === "ERROR" && ["Error", span.status.message || String(a["error.type"] ?? "error")],
    ]),
    span.events
      .filter((event) => event.name === "exception")
      .map((event) =>
        h(
          "section",
          { class: "exception" },
          h(
            "h3",
            null,
            `${readable(event.attributes["exception.type"] ?? "Exception")}: ${readable(event.attributes["exception.message"] ?? "")}`,
          ),
          event.attributes["exception.stacktrace"] !== undefined &&
            h("pre", null, readable(event.attributes["exception.stacktrace"])),
        ),
      ),
  );
}
