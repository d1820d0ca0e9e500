/**
 * A test-only hook, preloaded into a server process (`node --import tsx --import
 * ./tests/support/loop-blocker.ts src/server/main.ts`, or its bundle before the server's:
 * tests/support/server-bundle.ts): a request to `/__test/block?until=FILE`
 * holds the event loop, as one slow request does, until FILE exists (at most a minute), and
 * tells stdout when it starts (`test hook: blocking the event loop until FILE exists`): a test
 * acts while the loop is held, then creates FILE, without guessing how long either takes.
 * And a request with the header `x-test-hold-until: FILE` goes to the server as any other, but
 * its answer is held (nothing of it written, its headers not sent) until FILE exists (at most a
 * minute), and the hook tells stdout (`test hook: holding the answer to URL until FILE exists`):
 * a test has requests in flight, on a connection of its choice, as long as it needs.
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
    const until = req.headers["x-test-hold-until"];
    if (typeof until === "string") holdAnswer(res, until);
    const match = /^\/__test\/block\?until=(.+)$/.exec(req.url ?? "");
    if (match) {
      const file = decodeURIComponent(match[1]!);
      // a pipe's writes are synchronous on Linux: the line is out before the loop is held
      process.stdout.write(`test hook: blocking the event loop until ${file} exists\n`);
      // the thread blocked between looks (Atomics.wait), not spinning: it holds the loop the
      // same, without spending a core the test's own process and clients need meanwhile
      const cell = new Int32Array(new SharedArrayBuffer(4));
      const end = performance.now() + 60_000;
      while (!existsSync(file) && performance.now() < end) Atomics.wait(cell, 0, 0, 1);
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

/** Hold `res`'s writes (its head, body and end, in order) until `file` exists (at most a minute). */
function holdAnswer(res: import("node:http").ServerResponse, file: string): void {
  process.stdout.write(`test hook: holding the answer to ${res.req.url} until ${file} exists\n`);
  const held: [method: "writeHead" | "write" | "end", args: unknown[]][] = [];
  const methods = ["writeHead", "write", "end"] as const;
  const originals = methods.map((method) => res[method]);
  for (const method of methods)
    (res as unknown as Record<string, unknown>)[method] = function (
      this: unknown,
      ...args: unknown[]
    ) {
      held.push([method, args]);
      return method === "write" ? true : res;
    };
  const end = performance.now() + 60_000;
  const poll = setInterval(() => {
    if (!existsSync(file) && performance.now() < end) return;
    clearInterval(poll);
    methods.forEach((method, i) => {
      (res as unknown as Record<string, unknown>)[method] = originals[i];
    });
    for (const [method, args] of held)
      (res[method] as (...a: unknown[]) => unknown).apply(res, args);
  }, 5);
}
