/**
 * `npm run demo`, run as the README says: it needs only the root's install (the example's own folder is not
 * installed for it), and it prints, under each LLM span, what Moda reads from it; `--all` every attribute.
 */
import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { ROOT } from "../../scripts/package-folders";

const run = promisify(execFile);

async function demo(...args: string[]): Promise<string> {
  const { stdout } = await run(join(ROOT, "node_modules", ".bin", "tsx"), ["scripts/demo.ts", ...args], {
    cwd: ROOT,
    env: { ...process.env, NO_COLOR: "1" },
  });
  return stdout;
}

describe("npm run demo", () => {
  it("runs the Worker in workerd and shows the key attributes of its three LLM spans", async () => {
    const out = await demo();
    expect(out).toContain('▸ POST /chat → "Hello! How can I help you today?"');
    expect(out).toContain("▸ cron trigger */30 * * * * → 200");
    for (const root of ["POST /chat", "POST /stream", "scheduled */30 * * * *"]) expect(out).toContain(`└─ ${root}`);
    expect(out.match(/^ +model +\S+ → \S+$/gm)).toHaveLength(3);
    expect(out.match(/^ +provider +(openai|anthropic)$/gm)).toHaveLength(3);
    expect(out.match(/^ +tokens +\d+ in \/ \d+ out \/ \d+ total/gm)).toHaveLength(3);
    expect(out).toMatch(/^ +prompt +system: You are a concise assistant\.\n +user: What is an edge function\?$/m);
    expect(out.match(/^ +answer +assistant: \S.*$/gm)).toHaveLength(3);
    // Each provider's own finish reason, as Moda reads it: OpenAI's `stop`, Anthropic's `end_turn`.
    expect(out.match(/^ +finish +(stop|end_turn)$/gm)).toHaveLength(3);
  });

  it("--all: every attribute as sent, the request spans' too", async () => {
    const out = await demo("--all");
    expect(out).toMatch(/^ +│? +llm\.prompts\.0\.content = "You are a concise assistant\."$/m);
    expect(out).toMatch(/^ +│ +http\.request\.method = "POST"$/m);
    expect(out).toMatch(/^ +gen_ai\.usage\.input_tokens = \d+$/m);
  });
});
