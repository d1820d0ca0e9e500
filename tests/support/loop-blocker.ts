/**
 * A test-only hook, preloaded into a server process (`node --import tsx --import
 * ./tests/support/loop-blocker.ts src/server/main.ts`, or its bundle before the server's:
 * tests/support/server-bundle.ts): a request to `/__test/block?until=FILE`
 * holds the event loop, as one slow request does, until FILE exists (at most a minute), and
 * tells stdout when it starts (`test hook: blocking the event loop until FILE exists`): a test
 * acts while the loop is held, then creates FILE, without guessing how long either takes.
 * Nothing of it is in the server's own code.
 */
import { existsSync } from "node:fs";
import { Server } from "node:http";

const emit = Server.prototype.emit;
Server.prototype.emit = function (
  this: Server,
  event: string | symbol,
  ...args: unknown[]
): boolean {
  if (event === "request") {
    const [req, res] = args as [
      import("node:http").IncomingMessage,
      import("node:http").ServerResponse,
    ];
    const match = /^\/__test\/block\?until=(.+)$/.exec(req.url ?? "");
    if (match) {
      const file = decodeURIComponent(match[1]!);
      // a pipe's writes are synchronous on Linux: the line is out before the loop is held
      process.stdout.write(`test hook: blocking the event loop until ${file} exists\n`);
      const end = performance.now() + 60_000;
      while (!existsSync(file) && performance.now() < end);
      const text = existsSync(file)
        ? `held the event loop until ${file} existed\n`
        : `gave up holding the event loop: ${file} never appeared\n`;
      res
        .writeHead(200, { "content-type": "text/plain", "content-length": Buffer.byteLength(text) })
        .end(text);
      return true;
    }
  }
  return emit.apply(this, [event, ...args] as Parameters<typeof emit>);
} as typeof Server.prototype.emit;
