"use client";

import { useState } from "react";

/** Reads the AI SDK's UI message stream (server-sent events) and appends each text delta as it arrives. */
async function readTextDeltas(response: Response, onText: (text: string) => void): Promise<void> {
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let buffered = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffered += decoder.decode(value, { stream: true });
    const frames = buffered.split("\n\n");
    buffered = frames.pop() ?? "";
    for (const frame of frames) {
      const data = frame.replace(/^data: /, "");
      if (data === "[DONE]") continue;
      const part = JSON.parse(data) as { type: string; delta?: string };
      if (part.type === "text-delta" && part.delta) onText(part.delta);
    }
  }
}

export function Ask() {
  const [prompt, setPrompt] = useState("Tell me a very short story.");
  const [answer, setAnswer] = useState("");

  async function ask(path: "/api/chat" | "/api/stream") {
    setAnswer("");
    const response = await fetch(path, { method: "POST", body: JSON.stringify({ prompt }) });
    if (path === "/api/chat") setAnswer(((await response.json()) as { answer: string }).answer);
    else await readTextDeltas(response, (text) => setAnswer((previous) => previous + text));
  }

  return (
    <section>
      <textarea value={prompt} onChange={(e) => setPrompt(e.target.value)} rows={3} style={{ width: "100%" }} />
      <p>
        <button type="button" onClick={() => ask("/api/chat")}>
          Ask (JSON)
        </button>{" "}
        <button type="button" onClick={() => ask("/api/stream")}>
          Ask (streamed)
        </button>
      </p>
      <pre style={{ whiteSpace: "pre-wrap" }}>{answer}</pre>
    </section>
  );
}
