/** Everything a span carries, as sent: attributes, events, resource, scope and ids. */
import type { DecodedAttributes, DecodedSpan } from "../otlp/decoded-span";
import { h } from "./dom";
import { clockTime, readable, unwrapJson } from "./format";

export function attributesView(span: DecodedSpan): HTMLElement {
  return h(
    "div",
    { class: "raw" },
    attributeTable("Attributes", span.attributes),
    span.events.map((event) =>
      attributeTable(`Event: ${event.name} at ${clockTime(event.timeUnixNano)}`, event.attributes),
    ),
    attributeTable("Span", {
      name: span.name,
      kind: span.kind,
      "trace id": span.traceId,
      "span id": span.spanId,
      "parent span id": span.parentSpanId || "(none: a root span)",
      start: `${clockTime(span.startTimeUnixNano)} (${span.startTimeUnixNano} ns)`,
      end: `${clockTime(span.endTimeUnixNano)} (${span.endTimeUnixNano} ns)`,
      status: span.status.message ? `${span.status.code}: ${span.status.message}` : span.status.code,
      "dropped attributes": span.droppedAttributesCount,
      ...(span.traceState && { "trace state": span.traceState }),
    }),
    attributeTable("Resource", span.resource),
    attributeTable("Instrumentation scope", { name: span.scope.name, version: span.scope.version }),
  );
}

function attributeTable(title: string, attributes: DecodedAttributes): HTMLElement {
  const names = Object.keys(attributes).sort();
  return h(
    "section",
    { class: "raw-section" },
    h("h3", null, title, h("span", { class: "muted" }, ` (${names.length})`)),
    names.length === 0
      ? h("div", { class: "muted" }, "none")
      : h(
          "table",
          { class: "raw-table" },
          h(
            "tbody",
            null,
            names.map((name) =>
              h("tr", null, h("th", { attrs: { scope: "row" } }, name), h("td", null, valueCell(attributes[name]))),
            ),
          ),
        ),
  );
}

function valueCell(value: unknown): HTMLElement {
  const shown = unwrapJson(value);
  if (typeof shown === "object" && shown !== null) return h("pre", { class: "json" }, readable(shown));
  return h("span", { class: `raw-value type-${typeof shown}` }, readable(shown));
}
