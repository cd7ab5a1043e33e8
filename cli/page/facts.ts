/** A row of labelled facts (model, tokens, timing) at the head of a span's details. */
import { type Child, h } from "./dom";

export type Fact = [label: string, value: Child, hint?: string];

export function factsView(facts: readonly (Fact | false | undefined)[]): HTMLElement {
  return h(
    "dl",
    { class: "facts" },
    facts
      .filter((fact): fact is Fact => Boolean(fact))
      .map(([label, value, hint]) =>
        h(
          "div",
          { class: "fact", title: hint ?? "", data: { fact: label } },
          h("dt", null, label),
          h("dd", null, value),
        ),
      ),
  );
}
