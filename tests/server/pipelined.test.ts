/**
 * Many requests pipelined on one connection (src/server/app.ts): each is let go when its
 * response closes or its connection does, with one `close` listener on the connection however
 * many are in flight on it, and a log line each, once.
 */
import { connect, type Socket } from "node:net";
import { expect, it } from "vitest";
import { generatedDataset } from "../../data/synthetic/datasets.js";
import { loadJsonGraph } from "../../src/graph/load.js";
import { startServer } from "../support/server.js";

it("adds one close listener to a connection of 30 pipelined requests, not one a request", async () => {
  const warnings: Error[] = [];
  const onWarning = (warning: Error) => warnings.push(warning);
  process.on("warning", onWarning);
  const lines: Record<string, unknown>[] = [];
  const server = await startServer(loadJsonGraph(generatedDataset(200)), {
    logLevel: "info",
    logSink: { write: (line: string) => lines.push(JSON.parse(line)) },
  });
  try {
    let most = 0;
    server.app.server.on("request", (req) => {
      most = Math.max(most, (req.socket as Socket).listenerCount("close"));
    });
    const socket = connect(Number(new URL(server.url).port), "127.0.0.1");
    let received = "";
    socket.on("data", (chunk) => (received += chunk));
    socket.write(`GET /graphql?query=%7B__typename%7D HTTP/1.1\r\nHost: t\r\n\r\n`.repeat(30));
    while (received.split("HTTP/1.1 200").length - 1 < 30)
      await new Promise((resolve) => setTimeout(resolve, 10));
    socket.destroy();
    await new Promise((resolve) => setTimeout(resolve, 50));
    // node's own listeners and this app's one (it was one a request: 34 here)
    expect(most).toBeLessThanOrEqual(10);
    expect(warnings.filter((w) => w.name === "MaxListenersExceededWarning")).toEqual([]);
    expect(lines.filter((line) => line.msg === "request")).toHaveLength(30);
  } finally {
    process.off("warning", onWarning);
    await server.close();
  }
});
