/** The page: a top bar, the live list of requests, and the open request's spans and selected span. */

import type { PageConfig } from "../dev/page-html";
import type { DecodedSpan } from "../otlp/decoded-span";
import { entityOf } from "../view/entity";
import { isLlmSpan } from "../view/llm-call";
import { SpanBook } from "../view/span-book";
import { traceTree } from "../view/trace-tree";
import { fill, h } from "./dom";
import { clockTime, formatMs, shortId } from "./format";
import { requestList } from "./request-list";
import { spanDetail, type Tab } from "./span-detail";
import { waterfall } from "./waterfall";

type Connection = "connecting" | "live" | "reconnecting";

export class App {
  private readonly book = new SpanBook();
  private traceId?: string;
  private spanId?: string;
  private tab: Tab = "read";
  /** Until the user opens a request, the newest one is shown as it arrives. */
  private following = true;
  private fresh = new Set<string>();
  private connection: Connection = "connecting";
  private readonly bar = h("header", { class: "topbar" });
  private readonly list = h("aside", { class: "requests" });
  private readonly main = h("main", { class: "trace" });

  constructor(
    root: HTMLElement,
    private readonly config: PageConfig,
  ) {
    fill(root, this.bar, h("div", { class: "layout" }, this.list, this.main));
    document.addEventListener("keydown", (event) => this.onKey(event));
    this.readHash();
    this.render();
  }

  /** ↑/↓ (or k/j) move to the newer or older request. */
  private onKey(event: KeyboardEvent): void {
    if (event.altKey || event.ctrlKey || event.metaKey || event.target instanceof HTMLInputElement) return;
    const step = { ArrowUp: -1, k: -1, ArrowDown: 1, j: 1 }[event.key];
    if (step === undefined) return;
    const ids = this.book.summaries().map((summary) => summary.traceId);
    const next = ids[Math.min(ids.length - 1, Math.max(0, ids.indexOf(this.traceId ?? "") + step))];
    if (next === undefined || next === this.traceId) return;
    event.preventDefault();
    this.open(next, undefined, true);
    this.render();
    this.list.querySelector(".request.selected")?.scrollIntoView({ block: "nearest" });
  }

  connected(state: Connection): void {
    this.connection = state;
    this.renderBar();
  }

  /** Everything the server holds (on connect and reconnect). */
  snapshot(spans: DecodedSpan[]): void {
    this.book.clear();
    this.received(spans, false);
  }

  /** New spans; the requests they add or change flash once, unless they are what the server held already. */
  received(spans: DecodedSpan[], flash = true): void {
    const changed = this.book.add(spans);
    if (flash) this.fresh = new Set([...changed].filter((id) => id !== this.traceId));
    if (this.following || (this.traceId !== undefined && !this.book.has(this.traceId))) {
      const newest = this.book.summaries()[0]?.traceId;
      if (newest !== this.traceId) this.open(newest, undefined, false);
    }
    this.render(this.traceId !== undefined && changed.has(this.traceId));
  }

  cleared(): void {
    this.book.clear();
    this.following = true;
    this.open(undefined, undefined, false);
    this.render();
  }

  private open(traceId: string | undefined, spanId: string | undefined, byUser: boolean): void {
    if (byUser) this.following = false;
    this.traceId = traceId;
    this.spanId = spanId;
    this.tab = "read";
    if (traceId) history.replaceState(null, "", `#${traceId}${spanId ? `/${spanId}` : ""}`);
  }

  private readHash(): void {
    const [traceId, spanId] = location.hash.slice(1).split("/");
    if (!traceId) return;
    this.traceId = traceId;
    this.spanId = spanId || undefined;
    this.following = false;
  }

  private render(mainChanged = true): void {
    this.renderBar();
    const summaries = this.book.summaries();
    fill(
      this.list,
      h("div", { class: "requests-head" }, "Requests", h("span", { class: "count" }, String(summaries.length))),
      summaries.length === 0
        ? h("div", { class: "requests-empty" }, "None yet")
        : requestList({
            summaries,
            selected: this.traceId,
            fresh: this.fresh,
            onSelect: (traceId) => {
              this.open(traceId, undefined, true);
              this.render();
            },
          }),
    );
    // A request flashes once, when it arrives, not again at the next render.
    this.fresh = new Set();
    if (mainChanged) this.renderMain();
  }

  private renderBar(): void {
    const forward = this.config.forwardUrl;
    fill(
      this.bar,
      h("div", { class: "brand" }, "moda-edge", h("span", null, "dev")),
      h("div", { class: "endpoint" }, "receiving at ", h("code", null, this.config.tracesUrl)),
      h(
        "div",
        { class: `forwarding${forward ? " on" : ""}` },
        forward ? ["forwarding to ", h("code", null, forward)] : "not forwarding to Moda",
      ),
      h(
        "div",
        { class: `connection ${this.connection}`, data: { connection: this.connection } },
        h("span", { class: "dot" }),
        this.connection,
      ),
      h(
        "button",
        {
          class: "clear",
          attrs: { type: "button", title: "Forget every trace received so far" },
          onclick: () => void fetch("/spans", { method: "DELETE" }),
        },
        "Clear",
      ),
    );
  }

  private renderMain(): void {
    const scroll = this.main.scrollTop;
    const spans = this.traceId === undefined ? [] : this.book.spans(this.traceId);
    if (spans.length === 0) {
      fill(this.main, this.waiting());
      return;
    }
    const tree = traceTree(spans);
    const selected =
      spans.find((span) => span.spanId === this.spanId) ??
      spans.find(isLlmSpan) ??
      spans.find((span) => entityOf(span) !== undefined) ??
      tree.roots[0]?.span;
    const root = tree.roots[0]?.span;
    fill(
      this.main,
      h(
        "section",
        { class: "trace-head" },
        h("h1", null, root?.name ?? "trace"),
        h(
          "div",
          { class: "trace-meta" },
          h("span", null, clockTime(tree.startNs)),
          h("span", null, formatMs(Number(tree.endNs - tree.startNs) / 1e6)),
          h("span", null, `${spans.length} span${spans.length === 1 ? "" : "s"}`),
          root?.resource["service.name"] !== undefined && h("span", null, String(root.resource["service.name"])),
          h("span", { class: "muted", title: tree.traceId }, `trace ${shortId(tree.traceId)}`),
        ),
      ),
      waterfall(tree, selected?.spanId, (spanId) => {
        this.open(this.traceId, spanId, true);
        this.renderMain();
      }),
      selected &&
        spanDetail(selected, this.tab, (tab) => {
          this.tab = tab;
          this.renderMain();
        }),
    );
    this.main.scrollTop = scroll;
  }

  private waiting(): HTMLElement {
    return h(
      "section",
      { class: "waiting" },
      h("h1", null, "Waiting for the first trace"),
      h(
        "p",
        null,
        "Point your app at this tool: put these lines in .dev.vars (wrangler dev) or .env.local (next dev), then restart it.",
      ),
      h("pre", { class: "env-lines" }, this.config.envLines.join("\n")),
      h(
        "p",
        { class: "muted" },
        "Any MODA_API_KEY will do: without one moda-edge sends nothing. Each request your app handles then appears here, newest first, with its spans and every LLM call as a conversation.",
      ),
    );
  }
}
