/**
 * An execution whose client went away stops: when a request's connection closes before its
 * answer was written (the client gave up, timed out, or was cut off), every execution of the
 * request is abandoned (`Deadline.abandon`): it fails at its next checkpoint, and one waiting for
 * its turn leaves the scheduler's queue at once.
 *
 * Without it, an execution ran to its end for nobody: a client could send costly queries and
 * close each connection at once, holding no connection while the server did all their work, and
 * the queue they filled made load shedding refuse the clients that stayed.
 */
import type { ServerResponse } from "node:http";
import type { Deadline } from "../graph/deadline.js";

/** The executions of each response not yet written (a batch's operations share one). */
const executing = new WeakMap<ServerResponse, Deadline[]>();

/** Abandons `deadline`'s execution if `res` closes before it is written (at once if it has). */
export function stopWhenClientGone(res: ServerResponse, deadline: Deadline): void {
  if (res.writableFinished) return;
  if (res.destroyed) {
    deadline.abandon();
    return;
  }
  const deadlines = executing.get(res);
  if (deadlines) {
    deadlines.push(deadline);
    return;
  }
  executing.set(res, [deadline]);
  res.once("close", () => {
    const gone = executing.get(res);
    executing.delete(res);
    // closed once written: every execution is over (a finished deadline ignores `abandon`)
    if (gone && !res.writableFinished) for (const each of gone) each.abandon();
  });
}
