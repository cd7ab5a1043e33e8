import { createServer, type Server } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { ephemeralPortStart, freePort } from "./free-port.mjs";

const servers: Server[] = [];

function listen(port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve(server));
    servers.push(server);
  });
}

function portOf(server: Server): number {
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("not a TCP server");
  return address.port;
}

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

describe("freePort", () => {
  it("gives a port that can be listened on, below the ephemeral range", async () => {
    const port = await freePort();
    expect(port).toBeGreaterThanOrEqual(10_000);
    expect(port).toBeLessThan(ephemeralPortStart());
    await expect(listen(port)).resolves.toBeDefined();
  });

  it("reads where the ports servers on port 0 get start, so that it never gives one of theirs", async () => {
    const onPortZero = await Promise.all(Array.from({ length: 20 }, () => listen(0)));
    for (const port of onPortZero.map(portOf)) expect(port).toBeGreaterThanOrEqual(ephemeralPortStart());
  });
});
