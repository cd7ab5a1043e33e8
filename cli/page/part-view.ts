/**
 * One part of a message as the page shows it: text as text, thinking folded open, tool calls with their
 * arguments, tool results with the call they answer, images and files as what was sent about them.
 */
import type { Part } from "../view/conversation";
import { h } from "./dom";
import { formatBytes, readable, unwrapJson } from "./format";

/** Tool call ids to tool names, so that a result can say which call it answers. */
export type ToolNames = ReadonlyMap<string, string>;

export function partView(part: Part, toolNames: ToolNames): HTMLElement {
  switch (part.type) {
    case "text":
      return h("div", { class: "part part-text" }, String(part.content ?? ""));
    case "reasoning":
      return h(
        "details",
        { class: "part part-thinking", attrs: { open: "" } },
        h("summary", null, "Thinking"),
        h("div", { class: "thinking-text" }, String(part.content ?? "")),
      );
    case "redacted_reasoning":
      return note("Thinking, encrypted by the provider", sizeNote(part.size, "characters"));
    case "tool_call":
      return toolBox("tool-call", "Tool call", String(part.name ?? ""), part.id, part.arguments);
    case "tool_call_response":
      return toolBox("tool-result", "Tool result", toolNames.get(String(part.id)) ?? "", part.id, part.response);
    case "server_tool_call":
      return toolBox("tool-call", "Server tool call", String(part.name ?? ""), part.id, part.server_tool_call);
    case "server_tool_call_response":
      return toolBox("tool-result", "Server tool result", "", part.id, part.server_tool_call_response);
    case "blob_omitted":
    case "blob":
    case "uri":
    case "file":
      return mediaView(part);
    default:
      return h(
        "div",
        { class: "part part-other" },
        h("div", { class: "part-label" }, part.type),
        h("pre", { class: "json" }, readable(part)),
      );
  }
}

function note(text: string, detail?: string): HTMLElement {
  return h("div", { class: "part part-note" }, text, detail && h("span", { class: "muted" }, ` · ${detail}`));
}

function sizeNote(value: unknown, unit: string): string | undefined {
  return typeof value === "number" ? `${value.toLocaleString("en-US")} ${unit}` : undefined;
}

function toolBox(kind: string, label: string, name: string, id: unknown, payload: unknown): HTMLElement {
  return h(
    "div",
    { class: `part part-${kind}` },
    h(
      "div",
      { class: "tool-head" },
      h("span", { class: "tool-label" }, label),
      name && h("code", { class: "tool-name" }, name),
      id !== undefined && h("span", { class: "tool-id", title: "tool call id" }, String(id)),
    ),
    payload !== undefined && h("pre", { class: "json" }, readable(unwrapJson(payload))),
  );
}

/** What was sent about an image, audio clip or file; an image whose bytes were sent is shown. */
function mediaView(part: Part): HTMLElement {
  const modality = typeof part.modality === "string" ? part.modality : "file";
  const mime = typeof part.mime_type === "string" ? part.mime_type : undefined;
  const facts = [mime];
  if (typeof part.byte_size === "number") facts.push(formatBytes(part.byte_size));
  if (part.type === "blob" && typeof part.content === "string")
    facts.push(formatBytes(Math.floor((part.content.length * 3) / 4)));
  const caption = h(
    "div",
    { class: "media-caption" },
    h("span", { class: "media-kind" }, modality),
    facts.filter(Boolean).join(" · "),
    part.type === "blob_omitted" && h("span", { class: "muted" }, " · bytes not sent (captureBinary is off)"),
    part.type === "uri" && h("code", { class: "media-ref" }, String(part.uri ?? "")),
    part.type === "file" && h("code", { class: "media-ref" }, `file ${String(part.file_id ?? "")}`),
  );
  const preview =
    part.type === "blob" && modality === "image" && mime?.startsWith("image/") && typeof part.content === "string"
      ? h("img", { class: "media-preview", attrs: { src: `data:${mime};base64,${part.content}`, alt: "image sent" } })
      : undefined;
  return h("div", { class: "part part-media" }, caption, preview);
}
