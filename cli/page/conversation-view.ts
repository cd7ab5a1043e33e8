/** An LLM call replayed as a conversation: system, user, assistant and tool turns, then the answer. */
import type { Conversation, Turn } from "../view/conversation";
import { h } from "./dom";
import { partView, type ToolNames } from "./part-view";

const ROLE_NAMES: Record<string, string> = {
  system: "System",
  developer: "Developer",
  user: "User",
  assistant: "Assistant",
  tool: "Tool",
  model: "Model",
};

export function conversationView(conversation: Conversation): HTMLElement {
  if (conversation.turns.length === 0)
    return h(
      "div",
      { class: "empty-note" },
      "This call carries no prompt or answer: content capture is off (MODA_TRACE_CONTENT=false), or the call sent none.",
    );
  const toolNames = toolNamesOf(conversation);
  const firstOutput = conversation.turns.findIndex((turn) => turn.output);
  return h(
    "div",
    { class: "conversation" },
    conversation.turns.map((turn, index) => [
      index === firstOutput && h("div", { class: "answer-divider" }, h("span", null, "Answer")),
      turnView(turn, toolNames),
    ]),
  );
}

function turnView(turn: Turn, toolNames: ToolNames): HTMLElement {
  const role = turn.role.toLowerCase();
  return h(
    "div",
    {
      class: ["turn", `turn-${ROLE_NAMES[role] ? role : "other"}`, turn.output && "turn-output"]
        .filter(Boolean)
        .join(" "),
      data: { role },
    },
    h(
      "div",
      { class: "turn-head" },
      h("span", { class: "turn-role" }, ROLE_NAMES[role] ?? turn.role),
      turn.name && h("span", { class: "turn-name" }, turn.name),
      turn.finishReason && h("span", { class: "badge finish" }, `finish: ${turn.finishReason}`),
    ),
    h(
      "div",
      { class: "turn-parts" },
      turn.parts.map((part) => partView(part, toolNames)),
    ),
  );
}

function toolNamesOf(conversation: Conversation): ToolNames {
  const names = new Map<string, string>();
  for (const turn of conversation.turns)
    for (const part of turn.parts)
      if (part.type === "tool_call" && part.id !== undefined) names.set(String(part.id), String(part.name ?? ""));
  return names;
}
