/**
 * The connections the server closes itself, and why. A request on one that ends before its
 * answer went out is logged and counted 499 (app.ts), as a client that left is: without more,
 * an operator could not tell a shutdown's cut, an eviction or the unsent guard's cut from
 * clients giving up (the closing note of 5 December). Each such close goes through `cutBy`,
 * which remembers the reason on the socket; app.ts's log line adds it as `cut`, to 499s and to
 * answers cut midway (`aborted`) alike.
 */
import type { ServerResponse } from "node:http";
import type { Socket } from "node:net";

/**
 * Why the server closed a connection: `evicted` (the connection cap, connections.ts),
 * `stalled`, `over-limit` and `slow-reader` (the unsent guard, unsent.ts), `body-too-slow` (a body under the
 * floor on a connection whose client takes none of its answers, body-rate.ts), `export-displaced`,
 * `export-stalled` and `export-failed` (export-routes.ts), `refused` (a malformed request's
 * refusal that could not wait longer, connections.ts), `shutdown` (the drain's timeout) and
 * `failed` (a /graphql request that failed after its headers were sent, app.ts).
 */
export type ServerCut =
  | "evicted"
  | "stalled"
  | "over-limit"
  | "slow-reader"
  | "body-too-slow"
  | "export-displaced"
  | "export-stalled"
  | "export-failed"
  | "refused"
  | "shutdown"
  | "failed";

const cuts = new WeakMap<Socket, ServerCut>();

/**
 * The cuts of a client that does not take its answer: its connection is reset (RST), not closed.
 * A socket closed with bytes in its kernel send buffer is not freed: the kernel goes on offering
 * them to the client, an orphan holding up to `tcp_wmem`'s maximum (4 MiB) for as long as the
 * client acknowledges its probes without reading (20 orphans of a 9 MB page held 75 MB of the
 * host's TCP memory after the process had closed them, until their client went away); a reset
 * frees them at once (nginx's `reset_timedout_connection`). Its client loses what it had not
 * read, which it would not have read whole anyway.
 */
const RESET: ReadonlySet<ServerCut> = new Set<ServerCut>([
  "stalled",
  "over-limit",
  "slow-reader",
  "export-stalled",
  "export-displaced",
]);

/** Closes `socket` for `reason` (reset, for a client not taking its answer), remembered for the log (the first reason given, if several). */
export function cutBy(socket: Socket, reason: ServerCut): void {
  if (!socket.destroyed && !cuts.has(socket)) cuts.set(socket, reason);
  if (RESET.has(reason) && !socket.destroyed && typeof socket.resetAndDestroy === "function") {
    try {
      socket.resetAndDestroy();
      return;
    } catch {
      // a socket without its handle (not yet connected): closed as any other
    }
  }
  socket.destroy();
}

/** Closes `res` (and so its connection) for `reason`; one queued behind others has no socket yet. */
export function cutResponse(res: ServerResponse, reason: ServerCut): void {
  const socket = res.socket as Socket | null;
  if (socket && RESET.has(reason)) cutBy(socket, reason);
  else if (socket && !socket.destroyed && !cuts.has(socket)) cuts.set(socket, reason);
  res.destroy();
}

/** Why the server closed `socket`, if it did. */
export function cutOf(socket: Socket): ServerCut | undefined {
  return cuts.get(socket);
}
