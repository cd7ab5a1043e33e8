/** Requests to the apps the runtime tests serve, as a browser or curl would send them. */
import { type ReadStream, readSse } from "../../scripts/sse-client";

export async function postJson<T>(url: string, body: unknown): Promise<T> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`POST ${url} answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as T;
}

/** POSTs and reads the whole event stream. */
export async function postSse(url: string, body: unknown): Promise<ReadStream> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`POST ${url} answered ${response.status}: ${await response.text()}`);
  if (!(response.headers.get("content-type") ?? "").includes("text/event-stream"))
    throw new Error(`POST ${url} did not answer with an event stream`);
  return readSse(response);
}
