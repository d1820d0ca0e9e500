/**
 * A graceful stop while the kernel holds a queue of connections and every turn of the event loop
 * is busy, as it is while slow requests execute (each turn runs a slice of them:
 * src/graph/scheduler.ts): the listener stays open until Node has taken every queued connection,
 * one a turn, instead of closing after a second and resetting the rest (at 100,000 entities,
 * SIGTERM with 200 clients connecting reset 130-165 of them in 2 runs of 8, connections.ts
 * `afterBacklog`). No timing is asserted: what counts is that no connection is reset.
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { Connections } from "../../src/server/connections.js";
import { makeTmpDir, removeDir } from "../fixtures/datasets.js";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) removeDir(dir);
});

/**
 * Holds the event loop for `ms` (at least), as a slice of execution does: the thread is blocked
 * (Atomics.wait), so that nothing of the loop runs meanwhile, without spending a core on it (a
 * spin here cost about 3 CPU-seconds a run, the 150 turns of 20 ms).
 */
function hold(ms: number): void {
  const until = performance.now() + ms;
  for (let left = ms; left > 0; left = until - performance.now()) Atomics.wait(BLOCKED, 0, 0, left);
}
const BLOCKED = new Int32Array(new SharedArrayBuffer(4));

/** Opens N connections, sends a request on each, writes FILE once all are sent, prints each outcome. */
const CLIENT = `
import { connect } from "node:net";
import { writeFileSync } from "node:fs";
const [port, n, file] = [Number(process.argv[1]), Number(process.argv[2]), process.argv[3]];
const sockets = await Promise.all(Array.from({ length: n }, () => new Promise((resolve) => {
  const socket = connect(port, "127.0.0.1", () => resolve(socket));
  socket.once("error", () => resolve(socket));
})));
const outcomes = sockets.map((socket) => new Promise((resolve) => {
  let text = "";
  socket.setEncoding("utf8").on("data", (chunk) => (text += chunk));
  socket.once("error", (error) => resolve(error.code));
  socket.once("close", () => resolve(text.split(" ")[1] ?? "nothing"));
}));
await Promise.all(sockets.map((socket) => new Promise((resolve) =>
  socket.write("GET / HTTP/1.1\\r\\nHost: test\\r\\nConnection: close\\r\\n\\r\\n", resolve))));
writeFileSync(file, "");
process.stdout.write(JSON.stringify(await Promise.all(outcomes)));
`;

describe("a graceful stop with connections queued in the kernel", () => {
  it("takes every one of them before it stops listening, though no turn of the loop is short, and resets none", async () => {
    const server = createServer((_req, res) => res.end("ok"));
    const connections = new Connections(server, {
      headersTimeoutMs: 10_000,
      requestTimeoutMs: 30_000,
      keepAliveTimeoutMs: 5000,
      maxConnections: 1000,
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    const dir = makeTmpDir();
    dirs.push(dir);
    const sent = join(dir, "sent");
    const n = 150;
    const client = spawn(
      process.execPath,
      ["--input-type=module", "-e", CLIENT, String(port), String(n), sent],
      { stdio: ["ignore", "pipe", "inherit"] },
    );
    let out = "";
    client.stdout.setEncoding("utf8").on("data", (chunk: string) => (out += chunk));
    const clientDone = new Promise((resolve) => client.once("close", resolve));

    // the loop held while the client connects and sends: the kernel queues the connections
    const end = performance.now() + 60_000;
    while (!existsSync(sent) && performance.now() < end) hold(1);
    expect(existsSync(sent)).toBe(true);
    // from now on every turn of the loop is 20 ms long, as when requests execute in slices
    let busy = true;
    const busyTurn = () => {
      hold(20);
      if (busy) setImmediate(busyTurn);
    };
    setImmediate(busyTurn);
    const result = await connections.drain(20_000, 1000, 0);
    busy = false;
    await clientDone;

    const outcomes = JSON.parse(out) as string[];
    const counts: Record<string, number> = {};
    for (const outcome of outcomes) counts[outcome] = (counts[outcome] ?? 0) + 1;
    expect(counts).toEqual({ "200": n });
    expect(result).toEqual({ clean: true, inFlight: 0, cutOff: 0 });
  }, 120_000);
});
