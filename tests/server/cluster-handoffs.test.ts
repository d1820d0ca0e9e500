/**
 * What the primary takes for stranded when a worker exits (src/server/cluster.ts, HandOffs): the
 * connections node:cluster's round-robin handed to it that it never answered for, and no other.
 * Over a fake worker whose channel is an EventEmitter: the round-robin's messages as Node 20
 * sends them (`newconn` with a `seq` and the handle; the worker's `ack` of that `seq`). The real
 * cluster's cases are in workers.test.ts.
 */
import { EventEmitter } from "node:events";
import { describe, expect, it, vi } from "vitest";
import {
  closeStranded,
  HandOffs,
  isHeldConnection,
  STRANDED_AFTER_MS,
  strandedAfterMs,
} from "../../src/server/cluster.js";

function fakeWorker(id: number) {
  const channel = Object.assign(new EventEmitter(), {
    sent: [] as unknown[],
    send(message: unknown) {
      channel.sent.push(message);
      return true;
    },
  });
  return { id, process: channel as never, channel };
}

const handOff = (worker: ReturnType<typeof fakeWorker>, seq: number, handle: object) =>
  (worker.process as { send: (m: unknown, h: unknown) => boolean }).send(
    { cmd: "NODE_CLUSTER", act: "newconn", key: "k", seq },
    handle,
  );
const answer = (worker: ReturnType<typeof fakeWorker>, ack: number, accepted: boolean) =>
  worker.channel.emit("internalMessage", { cmd: "NODE_CLUSTER", ack, accepted });

describe("the hand-offs a worker that exited never answered for", () => {
  it("are the connections handed to it without an answer; one it took, or declined (handed on to another), is not", () => {
    const handOffs = new HandOffs();
    const [one, two] = [fakeWorker(1), fakeWorker(2)];
    handOffs.watch(one);
    handOffs.watch(two);
    const [taken, declined, stranded] = [{ c: "taken" }, { c: "declined" }, { c: "stranded" }];
    handOff(one, 1, taken);
    answer(one, 1, true);
    handOff(one, 2, declined);
    answer(one, 2, false);
    // declined: the round-robin hands it to the other worker, which has not answered yet
    handOff(two, 3, declined);
    handOff(one, 4, stranded);
    // every message went on to the worker's channel as it was
    expect(one.channel.sent).toHaveLength(3);
    // (review 7: the declined one, queued for the other worker, was closed under it)
    expect(handOffs.takeUnanswered(one)()).toEqual([stranded]);
    expect(handOffs.takeUnanswered(one)()).toEqual([]);
    expect(handOffs.takeUnanswered(two)()).toEqual([declined]);
  });

  it("leave out one the worker answered for after its exit was seen (an answer still queued in its channel)", () => {
    const handOffs = new HandOffs();
    const [one, two] = [fakeWorker(1), fakeWorker(2)];
    handOffs.watch(one);
    handOffs.watch(two);
    const [declined, stranded] = [{ c: "declined" }, { c: "stranded" }];
    handOff(one, 1, declined);
    handOff(one, 2, stranded);
    // the worker has exited: what the primary reads of its hand-offs from now on
    const unanswered = handOffs.takeUnanswered(one);
    expect(unanswered()).toEqual([declined, stranded]);
    // its answer to the first is read after that (review 8): declined, handed on to the other
    answer(one, 1, false);
    handOff(two, 3, declined);
    // by the time the wait is over, only the one never answered is stranded
    expect(unanswered()).toEqual([stranded]);
    expect(handOffs.takeUnanswered(two)()).toEqual([declined]);
  });

  it("ignore the worker's other messages and the primary's, and keep a few at most should no answer ever be seen", () => {
    const handOffs = new HandOffs();
    const worker = fakeWorker(1);
    handOffs.watch(worker);
    (worker.process as { send: (m: unknown) => boolean }).send({ kind: "kz-metrics", id: 1 });
    worker.channel.emit("internalMessage", { cmd: "NODE_CLUSTER", act: "online" });
    const handles = Array.from({ length: 10 }, (_, i) => ({ i }));
    handles.forEach((handle, i) => handOff(worker, 100 + i, handle));
    expect(handOffs.takeUnanswered(worker)()).toEqual(handles.slice(-4));
  });
});

/** A connection as the round-robin holds it in the primary: a bare TCP handle (cluster.ts `connectionsHeld`). */
class TCP {
  closed = false;
  getpeername(_out: object): number {
    return 0;
  }
  close(): void {
    this.closed = true;
  }
}

describe("closing the connections stranded in a dead worker's hand-off", () => {
  it("closes those still held and still unanswered when the wait is over, not one answered meanwhile or no longer held", async () => {
    const handOffs = new HandOffs();
    const worker = fakeWorker(1);
    handOffs.watch(worker);
    const [stranded, answeredLate, handedOn, notHeld] = [
      new TCP(),
      new TCP(),
      new TCP(),
      new TCP(),
    ];
    handOff(worker, 1, stranded);
    handOff(worker, 2, answeredLate);
    handOff(worker, 3, handedOn);
    handOff(worker, 4, notHeld);
    // what `process._getActiveHandles` lists: the round-robin's handles, and others of the process
    let held: object[] = [stranded, answeredLate, handedOn, { other: true }];
    vi.spyOn(
      process as never as { _getActiveHandles: () => unknown[] },
      "_getActiveHandles",
    ).mockImplementation(() => held);
    const closing = closeStranded(handOffs.takeUnanswered(worker), 20, () => false);
    // during the wait: an answer read after the exit, and a connection the round-robin let go of
    answer(worker, 2, false);
    held = [stranded, answeredLate, { other: true }];
    await expect(closing).resolves.toBe(1);
    expect([stranded, answeredLate, handedOn, notHeld].map((handle) => handle.closed)).toEqual([
      true,
      false,
      false,
      false,
    ]);
  });

  it("closes a stranded connection its client has reset (no peer any more), and takes no listening handle for a connection", async () => {
    // review 19: told apart by their peer, such connections were never closed, their descriptors
    // kept and counted held by the primary's queue (primary-queue.ts) for good
    // (a connection its client reset: no peer any more, ENOTCONN)
    const reset = () => Object.assign(new TCP(), { getpeername: (_out: object) => -107 });
    const listener = Object.assign(reset(), { onconnection: () => {} });
    expect(isHeldConnection(reset())).toBe(true);
    expect(isHeldConnection(listener)).toBe(false);
    const handOffs = new HandOffs();
    const worker = fakeWorker(1);
    handOffs.watch(worker);
    const stranded = reset();
    handOff(worker, 1, stranded);
    vi.spyOn(
      process as never as { _getActiveHandles: () => unknown[] },
      "_getActiveHandles",
    ).mockReturnValue([stranded, listener]);
    await expect(closeStranded(handOffs.takeUnanswered(worker), 5, () => false)).resolves.toBe(1);
    expect(stranded.closed).toBe(true);
    expect(listener.closed).toBe(false);
  });

  it("closes none once the primary is stopping", async () => {
    const handOffs = new HandOffs();
    const worker = fakeWorker(1);
    handOffs.watch(worker);
    const stranded = new TCP();
    handOff(worker, 1, stranded);
    vi.spyOn(
      process as never as { _getActiveHandles: () => unknown[] },
      "_getActiveHandles",
    ).mockReturnValue([stranded]);
    await expect(closeStranded(handOffs.takeUnanswered(worker), 5, () => true)).resolves.toBe(0);
    expect(stranded.closed).toBe(false);
  });

  it("waits 10 s before it takes a connection for stranded, unless a test's primary is told a time of its own", () => {
    expect(STRANDED_AFTER_MS).toBe(10_000);
    expect(strandedAfterMs({})).toBe(STRANDED_AFTER_MS);
    expect(strandedAfterMs({ KZ_OSCE_INTERNAL_STRANDED_AFTER_MS: "1000" })).toBe(1000);
    for (const text of ["", "0", "-1", "1e3", "1000000", " 1000", "soon"])
      expect(strandedAfterMs({ KZ_OSCE_INTERNAL_STRANDED_AFTER_MS: text }), text).toBe(
        STRANDED_AFTER_MS,
      );
  });
});
