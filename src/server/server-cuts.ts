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
 * `stalled` and `over-limit` (the unsent guard, unsent.ts), `body-too-slow` (a body under the
 * floor on a connection whose client takes none of its answers, body-rate.ts), `export-displaced`,
 * `export-stalled` and `export-failed` (export-routes.ts), `refused` (a malformed request's
 * refusal that could not wait longer, connections.ts), `shutdown` (the drain's timeout) and
 * `failed` (a /graphql request that failed after its headers were sent, app.ts).
 */
export type ServerCut =
  | "evicted"
  | "stalled"
  | "over-limit"
  | "body-too-slow"
  | "export-displaced"
  | "export-stalled"
  | "export-failed"
  | "refused"
  | "shutdown"
  | "failed";

const cuts = new WeakMap<Socket, ServerCut>();

/** Closes `socket` for `reason`, remembered for the log (the first reason given, if several). */
export function cutBy(socket: Socket, reason: ServerCut): void {
  if (!socket.destroyed && !cuts.has(socket)) cuts.set(socket, reason);
  socket.destroy();
}

/** Closes `res` (and so its connection) for `reason`; one queued behind others has no socket yet. */
export function cutResponse(res: ServerResponse, reason: ServerCut): void {
  const socket = res.socket as Socket | null;
  if (socket && !socket.destroyed && !cuts.has(socket)) cuts.set(socket, reason);
  res.destroy();
}

/** Why the server closed `socket`, if it did. */
export function cutOf(socket: Socket): ServerCut | undefined {
  return cuts.get(socket);
}
