/**
 * Review 46 (finding f1): a pipelined request that waits for its turn before its parse and validation
 * (shortcut.ts, `turnFor`) is withdrawn on its response's `close`, which node emits only for the
 * response attached to the socket, never for those pipelined behind it (client-gone.ts says so).
 * When such a client goes away, its requests stay in the queue, counted in `waitMs` (load
 * shedding), and each is parsed and validated for nobody when its turn comes.
 */
import type { Socket } from "node:net";
import { connect } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sliceScheduler } from "../../src/graph/scheduler.js";
import { DEFAULT_CONFIG } from "../../src/server/config.js";
import { failingDocument } from "../support/failing-document.js";
import { httpPost } from "../support/raw-connection.js";
import { startServer, type TestServer } from "../support/server.js";

describe("pipelined requests whose client went away while they waited", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(() => server?.close());

  it("leave the queue when their connection closes", async () => {
    const scheduler = sliceScheduler(DEFAULT_CONFIG.limits.executionSliceMs);
    const { port } = new URL(server.url);
    const tag = Math.random().toString(36).slice(2);
    let serverSide: Socket | undefined;
    server.app.server.once("connection", (socket: Socket) => (serverSide = socket));
    const socket = connect(Number(port), "127.0.0.1");
    socket.on("error", () => {});
    socket.write(
      Array.from({ length: 40 }, (_, i) =>
        httpPost(JSON.stringify({ query: failingDocument(`${tag}-${i}`) })),
      ).join(""),
    );
    const turn = () => new Promise((resolve) => setImmediate(resolve));
    for (let turns = 0; scheduler.queued < 10; turns++) {
      if (turns > 100_000) throw new Error("the pipelined requests never waited");
      await turn();
    }
    const serverClosed = new Promise<void>((resolve) => serverSide!.once("close", () => resolve()));
    socket.destroy();
    await serverClosed;
    const queuedAtClose = scheduler.queued;
    const waitMsAtClose = scheduler.waitMs;
    // without the withdrawal on the connection's close, 29 of 40 were left (348 ms of work
    // counted by load shedding), each validated for nobody as its turn came
    expect({ queuedAtClose, waitMsAtClose }).toEqual({ queuedAtClose: 0, waitMsAtClose: 0 });
  });
});
