/**
 * An execution whose client went away stops: when a request's connection closes before its
 * answer was written (the client gave up, timed out, or was cut off), every execution of the
 * request is abandoned (`Deadline.abandon`): it fails at its next checkpoint, and one waiting for
 * its turn leaves the scheduler's queue at once.
 *
 * Without it, an execution ran to its end for nobody: a client could send costly queries and
 * close each connection at once, holding no connection while the server did all their work, and
 * the queue they filled made load shedding refuse the clients that stayed.
 *
 * A request ends when its response closes, or its connection does first: node emits `close` only
 * for the response attached to the socket, not for those pipelined behind it (`allClosed` waits
 * for either).
 */
import type { ServerResponse } from "node:http";
import type { Socket } from "node:net";
import type { Deadline } from "../graph/deadline.js";

/** The executions of each response not yet written (a batch's operations share one). */
const executing = new WeakMap<ServerResponse, Deadline[]>();

/**
 * Abandons `deadline`'s execution if `res`'s request ends before its answer is written (at once
 * if it has): app.ts tells `requestEnded` when the response closes, or its connection does first
 * (node emits `close` only for the response attached to the socket, not for those pipelined
 * behind it: three pipelined slow queries ran on for 109-160 turns after their connection
 * closed, where one alone stopped within 2).
 */
export function stopWhenClientGone(res: ServerResponse, deadline: Deadline): void {
  if (res.writableFinished) return;
  const socket = (res.req?.socket ?? res.socket) as Socket | null | undefined;
  if (res.destroyed || socket?.destroyed) {
    deadline.abandon();
    return;
  }
  const deadlines = executing.get(res);
  if (deadlines) deadlines.push(deadline);
  else executing.set(res, [deadline]);
}

/**
 * Resolves once every one of `responses` has closed, or their connection has, whichever comes
 * first: a response queued behind another on a pipelined connection gets no `close` of its own
 * when the connection ends, and a wait for it alone never ended.
 */
export function allClosed(responses: readonly ServerResponse[], connection: Socket): Promise<void> {
  const open = responses.filter((res) => !res.closed);
  if (open.length === 0 || connection.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    let left = open.length;
    const done = () => {
      for (const res of open) res.off("close", closedOne);
      connection.off("close", done);
      resolve();
    };
    const closedOne = () => {
      if (--left === 0) done();
    };
    for (const res of open) res.once("close", closedOne);
    connection.once("close", done);
  });
}

/**
 * The wait for a turn before execution (shortcut.ts, `turnFor`) of each response not yet answered.
 * Withdrawn when the request ends (`requestEnded`), which its connection's close tells for a
 * response pipelined behind another too: the response's own `close` never comes for that one,
 * and such a request stayed in the scheduler's queue once its client had gone, its work counted
 * by load shedding, then parsed and validated for nobody when its turn came (review 46).
 */
const waitingTurns = new WeakMap<ServerResponse, { withdraw(): void }>();

/**
 * `waiter` (a request's wait for its turn before execution) is withdrawn if `res`'s request ends
 * before the turn comes (at once if it has); the function returned says the turn came.
 */
export function withdrawWhenClientGone(
  res: ServerResponse,
  waiter: { withdraw(): void },
): () => void {
  const socket = (res.req?.socket ?? res.socket) as Socket | null | undefined;
  if (res.destroyed || socket?.destroyed) {
    waiter.withdraw();
    return () => undefined;
  }
  waitingTurns.set(res, waiter);
  return () => waitingTurns.delete(res);
}

/** `res`'s request ended (its response closed, or its connection): its executions are abandoned unless it was written. */
export function requestEnded(res: ServerResponse): void {
  const waiter = waitingTurns.get(res);
  if (waiter !== undefined) {
    waitingTurns.delete(res);
    waiter.withdraw();
  }
  const deadlines = executing.get(res);
  if (deadlines === undefined) return;
  executing.delete(res);
  // closed once written: every execution is over (a finished deadline ignores `abandon`)
  if (!res.writableFinished) for (const each of deadlines) each.abandon();
}
