/** A workflow, task, agent or tool span opened: what went in and what came out. */
import type { DecodedSpan } from "../otlp/decoded-span";
import type { Entity } from "../view/entity";
import { durationMs } from "../view/trace-tree";
import { h } from "./dom";
import { factsView } from "./facts";
import { formatMs, readable } from "./format";

export function entityView(span: DecodedSpan, entity: Entity): HTMLElement {
  return h(
    "div",
    { class: "entity" },
    factsView([
      ["Kind", entity.kind],
      ["Name", entity.name],
      entity.version !== undefined && ["Version", entity.version],
      entity.path !== undefined && ["Path", entity.path],
      entity.toolCallId !== undefined && ["Tool call id", h("code", null, entity.toolCallId)],
      ["Duration", formatMs(durationMs(span))],
      span.status.code === "ERROR" && ["Error", span.status.message || "error"],
    ]),
    valueBox("Input", entity.input),
    valueBox("Output", entity.output),
  );
}

function valueBox(title: string, value: unknown): HTMLElement {
  return h(
    "section",
    { class: `io io-${title.toLowerCase()}` },
    h("h3", null, title),
    value === undefined
      ? h("div", { class: "muted" }, "not recorded (content capture off, or nothing to record)")
      : h("pre", { class: "json" }, readable(value)),
  );
}
