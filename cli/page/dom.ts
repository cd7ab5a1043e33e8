/** Building DOM nodes from data. Text goes in as text nodes only: nothing a span carries is ever parsed as HTML. */

export type Child = Node | string | number | false | null | undefined | readonly Child[];

export interface Props {
  class?: string | false;
  title?: string;
  onclick?: (event: MouseEvent) => void;
  /** `data-*` attributes, for tests and styles. */
  data?: Record<string, string>;
  attrs?: Record<string, string>;
}

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props?: Props | null,
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  if (props?.class) element.className = props.class;
  if (props?.title) element.title = props.title;
  if (props?.onclick) element.onclick = props.onclick;
  for (const [name, value] of Object.entries(props?.data ?? {})) element.dataset[name] = value;
  for (const [name, value] of Object.entries(props?.attrs ?? {})) element.setAttribute(name, value);
  append(element, children);
  return element;
}

function append(parent: Node, children: readonly Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(parent, child);
    else parent.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replaces what `parent` holds. */
export function fill(parent: Element, ...children: Child[]): void {
  parent.replaceChildren();
  append(parent, children);
}
