import { Ask } from "./ask";

export default function Home() {
  return (
    <main>
      <h1>moda-edge on Vercel Edge</h1>
      <p>
        Two edge route handlers wrapped in <code>withModa</code>: <code>POST /api/chat</code> (OpenAI SDK, JSON) and{" "}
        <code>POST /api/stream</code> (Vercel AI SDK, streamed). Each request becomes one trace in Moda.
      </p>
      <Ask />
    </main>
  );
}
