/**
 * A test-only hook, preloaded into a server process (`node --import tsx --import
 * ./tests/support/loop-blocker.ts src/server/main.ts`): a request to `/__test/block?ms=N` holds
 * the event loop for N ms, as one slow request does, and tells stdout when it starts
 * (`test hook: blocking the event loop for N ms`), so that a test can act while the loop is
 * held without guessing when that is. Nothing of it is in the server's own code.
 */
import { Server } from "node:http";

const emit = Server.prototype.emit;
Server.prototype.emit = function (this: Server, event: string | symbol, ...args: unknown[]): boolean {
  if (event === "request") {
    const [req, res] = args as [import("node:http").IncomingMessage, import("node:http").ServerResponse];
    const match = /^\/__test\/block\?ms=(\d+)$/.exec(req.url ?? "");
    if (match) {
      const ms = Number(match[1]);
      // a pipe's writes are synchronous on Linux: the line is out before the loop is held
      process.stdout.write(`test hook: blocking the event loop for ${ms} ms\n`);
      const end = performance.now() + ms;
      while (performance.now() < end);
      const text = `held the event loop for ${ms} ms\n`;
      res.writeHead(200, { "content-type": "text/plain", "content-length": Buffer.byteLength(text) }).end(text);
      return true;
    }
  }
  return emit.apply(this, [event, ...args] as Parameters<typeof emit>);
} as typeof Server.prototype.emit;
