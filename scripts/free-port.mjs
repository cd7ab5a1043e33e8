/**
 * A free TCP port on 127.0.0.1, for a server that must be told its port before it starts (wrangler dev, next
 * start, workerd). It is picked below the system's ephemeral range: a server that listens on port 0, as every mock
 * server in the tests does, is never handed it. A port taken from that range could be, once closed again.
 */
import { readFileSync } from "node:fs";
import { createServer } from "node:net";

/** Above the ports of common local services. */
const LOWEST_PORT = 10_000;
const ATTEMPTS = 100;
/** Where macOS's and Windows' ephemeral ranges start (49152) is above this, Linux's default. */
const DEFAULT_EPHEMERAL_START = 32_768;

/** The first port of the system's ephemeral range: Linux says; elsewhere the default is below theirs. */
export function ephemeralPortStart() {
  let range;
  try {
    range = readFileSync("/proc/sys/net/ipv4/ip_local_port_range", "utf8");
  } catch {
    return DEFAULT_EPHEMERAL_START;
  }
  const start = Number.parseInt(range, 10);
  if (!Number.isInteger(start)) throw new Error(`cannot read the ephemeral port range from ${JSON.stringify(range)}`);
  return start;
}

function canListen(port) {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

export async function freePort() {
  const end = ephemeralPortStart();
  if (end <= LOWEST_PORT) throw new Error(`the ephemeral port range starts at ${end}: no fixed port below it`);
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const port = LOWEST_PORT + Math.floor(Math.random() * (end - LOWEST_PORT));
    if (await canListen(port)) return port;
  }
  throw new Error(`no free port between ${LOWEST_PORT} and ${end} after ${ATTEMPTS} tries`);
}
