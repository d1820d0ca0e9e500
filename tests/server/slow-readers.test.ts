/**
 * Clients that read their answers slowly or not at all, as the kernel sees them (red team 14,
 * F6): GraphiQL's 9 MB page asked by connections that read none of it pinned ~4 MB of the host's
 * TCP memory each, counted nowhere; a trickle of reading passed the no-progress cut; and a
 * connection closed by the server with its answer unread left that memory to the kernel, an
 * orphan, for as long as its client let it be. Here: a client under the least response rate is
 * cut, every such cut is a reset (the kernel's copy freed), and a connection idle past its
 * keep-alive time is not closed while the kernel still holds its answer.
 */
import { connect, type Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generatedDataset } from "../../data/synthetic/datasets.js";
import type { KnowledgeGraph } from "../../src/graph/graph.js";
import { loadJsonGraph } from "../../src/graph/load.js";
import type { KernelQueues, KernelReading } from "../../src/server/kernel-queues.js";
import { startedServers, type TestServer } from "../support/server.js";

/** The counts of kz_osce_http_answers_cut_total by reason, those not 0. */
async function cuts(server: TestServer): Promise<string[]> {
  const text = await (await fetch(`${server.url}/metrics`)).text();
  return [...text.matchAll(/^kz_osce_http_answers_cut_total\{reason="([a-z-]+)"\} (\d+)$/gm)]
    .map(([, reason, count]) => `${reason} ${count}`)
    .filter((line) => !line.endsWith(" 0"));
}

/** A connection that sends `request` and reads nothing until told; what it read, how it ended. */
function client(server: TestServer, request: string) {
  const { port } = new URL(server.url);
  const socket = connect(Number(port), "127.0.0.1");
  socket.write(request);
  socket.pause();
  let read = 0;
  socket.on("data", (chunk: Buffer) => {
    read += chunk.length;
  });
  const ended = new Promise<"reset" | "end">((resolve) => {
    socket.once("error", (error: NodeJS.ErrnoException) =>
      resolve(error.code === "ECONNRESET" ? "reset" : "end"),
    );
    socket.once("end", () => resolve("end"));
  });
  return { socket, ended, read: () => read };
}

/** The server's side of its next connection: resolves with it once accepted. */
const nextConnection = (server: TestServer) =>
  new Promise<Socket>((resolve) => server.app.server.once("connection", resolve));

const PAGE = "GET /graphql HTTP/1.1\r\nHost: test\r\nAccept: text/html\r\n\r\n";

/** Resolves when `done()` holds, looked at every 20 ms (bounded by the test's timeout). */
async function until(done: () => boolean | Promise<boolean>): Promise<void> {
  while (!(await done())) await new Promise((resolve) => setTimeout(resolve, 20));
}

describe.runIf(process.platform === "linux")("slow readers, as the kernel sees them", () => {
  let graph: KnowledgeGraph;
  const servers = startedServers();
  beforeAll(() => {
    graph = loadJsonGraph(generatedDataset(2000));
  });
  afterAll(() => servers.closeAll());

  it("resets a connection it cuts for not taking its answer: the client gets a reset, not the kernel's copy of the page", async () => {
    const server = await servers.start(graph, {
      graphiql: true,
      unsent: { stallMs: 300, intervalMs: 20 },
    });
    const reader = client(server, PAGE);
    await until(async () => (await cuts(server)).length > 0);
    expect(await cuts(server)).toEqual(["stalled 1"]);
    // read only now: closed, the kernel's copy would be delivered (~4 MB: the server's send
    // buffer, then an end); reset, it is freed, and only what had reached the client's own
    // buffer is left to read (on Linux the client then reads an end, or ECONNRESET)
    reader.socket.resume();
    await reader.ended;
    expect(reader.read()).toBeLessThan(1_000_000);
  }, 30_000);

  it("cuts a client reading under the least response rate, measured by what it acknowledged, and serves one that reads", async () => {
    const server = await servers.start(graph, {
      graphiql: true,
      minResponseRate: 4 * 1_048_576,
      unsent: { rateWindowMs: 1000, intervalMs: 20 },
    });
    // a trickle: a moment of reading every 300 ms, well under 4 MiB/s; it makes progress at every
    // look, so the no-progress cut never comes
    const trickle = client(server, PAGE);
    const reading = setInterval(() => {
      trickle.socket.once("data", () => trickle.socket.pause());
      trickle.socket.resume();
    }, 300);
    try {
      await until(async () => (await cuts(server)).length > 0);
    } finally {
      clearInterval(reading);
    }
    expect(await cuts(server)).toEqual(["slow-reader 1"]);
    // it read some: progress at every look (the reset itself is the first case's; what reached
    // this client's own buffer, grown by its reading, is not bounded well enough to tell it here)
    expect(trickle.read()).toBeGreaterThan(0);
    trickle.socket.resume();
    await trickle.ended;
    // one that reads as it comes gets the whole page
    const page = await fetch(server.graphql, { headers: { accept: "text/html" } });
    expect(page.status).toBe(200);
    expect((await page.arrayBuffer()).byteLength).toBeGreaterThan(1_000_000);
    expect(await cuts(server)).toEqual(["slow-reader 1"]);
  }, 30_000);

  it("keeps a connection idle past its keep-alive time open while the kernel holds its answer, and closes it once read", async () => {
    const server = await servers.start(graph, {
      keepAliveTimeoutMs: 200,
      responseCache: false,
      unsent: { intervalMs: 20 },
    });
    // about 1.5 MB: handed to the kernel whole, the response finished, the connection idle
    const query = `{ ${Array.from({ length: 8 }, (_, i) => `a${i}: sources(first: 100) { nodes { text } }`).join(" ")} }`;
    const body = JSON.stringify({ query });
    const accepted = nextConnection(server);
    const reader = client(
      server,
      `POST /graphql HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\nAccept: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
    const socket = await accepted;
    let closedAt: number | undefined;
    socket.once("close", () => {
      closedAt = performance.now();
    });
    // the answer written whole, the kernel seen holding it
    await until(() => (server.app.unsent.kernelBytesOf(socket) ?? 0) > 100_000);
    const seen = performance.now();
    // five keep-alive times on: Node would have closed it at the first
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(closedAt, "closed while its answer was in the kernel").toBeUndefined();
    expect(socket.destroyed).toBe(false);
    reader.socket.resume();
    expect(await reader.ended).toBe("end");
    expect(reader.read()).toBeGreaterThan(1_000_000);
    await until(() => closedAt !== undefined);
    expect(closedAt).toBeGreaterThan(seen);
    expect(await cuts(server)).toEqual([]);
  }, 30_000);
});

describe("whether the kernel's lists are read, in /metrics", () => {
  const servers = startedServers();
  afterAll(() => servers.closeAll());

  /** kz_osce_http_kernel_readings_available once a look has set it. */
  async function readingsGauge(server: TestServer): Promise<string> {
    let value: string | undefined;
    await until(async () => {
      const text = await (await fetch(`${server.url}/metrics`)).text();
      value = /^kz_osce_http_kernel_readings_available (\d+)$/m.exec(text)?.[1];
      return value !== undefined;
    });
    return value!;
  }

  it("is 1 while readings are made and 0 before the first and while none can be (lists too long, or no /proc): review 20 found no way to tell", async () => {
    const graph = loadJsonGraph(generatedDataset(50));
    let available = true;
    let latest: KernelReading | undefined;
    const kernel: KernelQueues = {
      get latest() {
        return latest;
      },
      get available() {
        return available;
      },
      refresh: async () => undefined,
    };
    const server = await servers.start(graph, { unsent: { intervalMs: 20, kernel } });
    // nothing read yet (as where /proc cannot be read, until something asks): not said to be read
    expect(await readingsGauge(server)).toBe("0");
    latest = { at: 1, queued: new Map() };
    await until(async () => (await readingsGauge(server)) === "1");
    available = false;
    await until(async () => (await readingsGauge(server)) === "0");
  });
});
