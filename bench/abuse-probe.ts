/**
 * Preloaded into the server that `npm run bench:abuse` starts (`node --import tsx --import
 * ./bench/abuse-probe.ts src/server/main.ts`): a 1 ms ticker that notes the longest time the
 * event loop went without running it, i.e. the longest stretch any work held the loop. A
 * request to `/__bench/loop` answers that (`{"maxHeldMs": N}`) and starts a new window.
 * Nothing of it is in the server's own code.
 */
import { Server } from "node:http";

let last = performance.now();
let maxGap = 0;
setInterval(() => {
  const now = performance.now();
  if (now - last > maxGap) maxGap = now - last;
  last = now;
}, 1).unref();

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
    if (req.url === "/__bench/loop") {
      // the ticker's own period is not time the loop was held
      const text = JSON.stringify({ maxHeldMs: Math.max(0, maxGap - 1) });
      maxGap = 0;
      last = performance.now();
      res
        .writeHead(200, {
          "content-type": "application/json",
          "content-length": Buffer.byteLength(text),
        })
        .end(text);
      return true;
    }
  }
  return emit.apply(this, [event, ...args] as Parameters<typeof emit>);
} as typeof Server.prototype.emit;
