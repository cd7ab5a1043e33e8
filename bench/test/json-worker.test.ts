import { afterEach, describe, expect, it, vi } from "vitest";
import { askWorker, jsonWorker } from "../lib/json-worker.mjs";

const BASE_URL = "http://worker.test";

/** `askWorker`'s requests answered by `worker`, as workerd would; the requests it got are kept. */
function serve(worker: ReturnType<typeof jsonWorker>): Request[] {
  const requests: Request[] = [];
  vi.stubGlobal("fetch", (input: string) => {
    const request = new Request(input);
    requests.push(request);
    return worker.fetch(request);
  });
  return requests;
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe("the bench's measurement Worker and its caller", () => {
  it("hand the options to the measurement and its figures back", async () => {
    const seen: unknown[] = [];
    const requests = serve(
      jsonWorker(async (options) => {
        seen.push(options);
        return { figures: [1.5, 2], echoed: options };
      }),
    );
    const options = { rounds: 3, requests: { 0: 400 }, label: "a & b?" };
    await expect(askWorker(BASE_URL, options)).resolves.toEqual({ figures: [1.5, 2], echoed: options });
    expect(seen).toEqual([options]);
    expect(new URL(requests[0]?.url ?? "").pathname).toBe("/measure");
  });

  it("answers a failed measurement with its error, status 500", async () => {
    const worker = jsonWorker(() => {
      throw new Error("the round lost an export");
    });
    const response = await worker.fetch(new Request(`${BASE_URL}/measure?options=%7B%7D`));
    expect(response.status).toBe(500);
    expect(((await response.json()) as { error: string }).error).toContain("the round lost an export");
    serve(worker);
    await expect(askWorker(BASE_URL, {})).resolves.toMatchObject({ error: expect.stringContaining("lost an export") });
  });

  it("answers any other path as ready, without measuring", async () => {
    const measure = vi.fn();
    const response = await jsonWorker(measure).fetch(new Request(`${BASE_URL}/`));
    expect(await response.text()).toBe("ready");
    expect(measure).not.toHaveBeenCalled();
  });
});
