/** The page's entry: reads what the server told it, and keeps it live through the server's event stream. */
import type { PageConfig } from "../dev/page-html";
import type { DecodedSpan } from "../otlp/decoded-span";
import { App } from "./app";
import "./style.css";

const config = JSON.parse(document.getElementById("moda-dev-config")?.textContent ?? "{}") as PageConfig;
const app = new App(document.getElementById("app") as HTMLElement, config);

const events = new EventSource("/events");
events.addEventListener("open", () => app.connected("live"));
events.addEventListener("error", () => app.connected("reconnecting"));
events.addEventListener("snapshot", (event) => app.snapshot(JSON.parse(event.data) as DecodedSpan[]));
events.addEventListener("spans", (event) => app.received(JSON.parse(event.data) as DecodedSpan[]));
events.addEventListener("cleared", () => app.cleared());
