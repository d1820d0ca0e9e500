/**
 * Answers written but not yet taken by their clients, bounded in memory and in time.
 *
 * An answer is handed to its socket whole (`res.end(buffer)`): what the kernel's buffers cannot
 * take stays in this process (`socket.writableLength`) until the client reads it, and so do the
 * answers of the requests pipelined behind it (kept in their responses until their turn). A client that
 * never reads, or reads slowly, holds its answer that long: red team 4 held 9.6 MB per
 * connection with 2.5 KB requests and nothing read, 1 GB for 100 connections (and the
 * connection cap, 1,000, allowed 16 GB: the process would be killed for its memory, and the
 * graph and every connection lost), while /health stayed green and load shedding saw nothing.
 * Reading at 64 KB/s held as much, for minutes.
 *
 * So, sampled every second over every open connection:
 * - a connection whose unsent bytes have not shrunk for `stallMs` (60 s, as an RDF export's
 *   no-progress cut, export-routes.ts), nor the part of them the kernel has yet to take, is
 *   closed (a client reading some tens of KB a second makes progress within it: the kernel
 *   takes more each time it has sent a megabyte or two of what it holds);
 * - while the unsent bytes of all connections are over `maxUnsentBytes`
 *   (KZ_OSCE_MAX_UNSENT_BYTES), the connections that have gone longest without a byte of theirs
 *   taken are closed first (the largest first among those that took some at the same look),
 *   until they are under it; but none that began holding them less than `graceMs`
 *   ago (10 s), while the total is under twice the limit: a burst of large answers to clients
 *   that read them is not cut.
 * A client that reads its answer at any common speed holds it for well under the grace (a 16 MiB
 * answer in 10 s is 1.7 MB/s); one that reads some tens of KB a second is never closed while the
 * total is under the limit.
 */
import type { ServerResponse } from "node:http";
import type { Socket } from "node:net";
import { cutBy } from "./server-cuts.js";

/** Responses whose body is a buffer others may be sent too (`sendsShared`). */
const sharedBodies = new WeakMap<ServerResponse, Buffer>();

/**
 * Says that `res` is sent `body`, a buffer other responses may be sent too (GraphiQL's page, 9
 * MB; an answer kept by the response cache): however many connections leave it unsent, it is
 * counted once towards the limit. Counted for each, sixty clients not reading the page counted
 * 543 MB, and twenty pipelining 150 GETs of a cached 900 KB answer 2.6 GB, while the process held
 * 25 KB and 129 MB more; the limit then closed clients that held answers of their own.
 */
export function sendsShared(res: ServerResponse, body: Buffer): void {
  sharedBodies.set(res, body);
}

/** What each response's body holds in this process before it is written to the response (`holdsBody`). */
const heldBodies = new WeakMap<ServerResponse, () => number>();

/**
 * Says that `res`'s body holds `held()` bytes in this process not yet written to it (answers.ts:
 * a long answer sent a piece at a time, as its client takes them): they count as unsent, as
 * those written to a response waiting its turn do.
 */
export function holdsBody(res: ServerResponse, held: () => number): void {
  heldBodies.set(res, held);
}

export interface UnsentLimits {
  /** The unsent bytes of all connections above which the oldest holders are closed. */
  maxUnsentBytes: number;
  /** A connection holding unsent bytes is spared by the limit this long (ms). */
  graceMs?: number;
  /** A connection whose unsent bytes have not shrunk this long is closed (ms). */
  stallMs?: number;
  /** How often the connections are looked at (ms). */
  intervalMs?: number;
}

/** Why a connection was closed: its answer made no progress, or the unsent bytes were over the limit. */
export type CutReason = "stalled" | "over-limit";

interface Holding {
  /** When it was first seen holding unsent bytes (ms). */
  since: number;
  /** Its unsent bytes and the bytes libuv has yet to hand the kernel at the last look, and when either last shrank. */
  bytes: number;
  queued: number;
  /** Of them, those held for it alone (not of a shared buffer): what closing it frees. */
  own: number;
  /** The shared buffers it leaves unsent (`sendsShared`). */
  shared: Buffer[];
  progressAt: number;
}

/**
 * The bytes libuv has yet to hand the kernel for `socket` (`writeQueueSize` of its handle, as
 * node's own `socket.bufferSize` reads it). An answer written in one piece leaves
 * `writableLength` whole until its last byte is taken, however fast the client reads (a 16 MiB
 * answer at 200 KB/s: 80 s with no change); this shrinks as the kernel takes more of it.
 */
function queuedOnHandle(socket: Socket): number {
  const handle = (socket as unknown as { _handle?: { writeQueueSize?: number } | null })._handle;
  return handle?.writeQueueSize ?? 0;
}

/** A monotonic clock in ms (not `performance.now`, which tests drive for the execution's time). */
const monotonicMs = () => Number(process.hrtime.bigint() / 1_000_000n);

export class UnsentAnswers {
  private readonly holding = new WeakMap<Socket, Holding>();
  private readonly timer: NodeJS.Timeout;
  private readonly graceMs: number;
  private readonly stallMs: number;
  /** The unsent bytes of all connections at the last look. */
  bytes = 0;
  /** Told the unsent bytes after each look (for /metrics). */
  onLook: ((bytes: number) => void) | undefined;

  constructor(
    private readonly sockets: ReadonlySet<Socket>,
    private readonly limits: UnsentLimits,
    private readonly onCut: (socket: Socket, reason: CutReason, bytes: number) => void = () => {},
    private readonly now: () => number = monotonicMs,
    /**
     * The responses in flight on a connection (app.ts): those pipelined behind the one it is
     * sending keep what is written to them until their turn (out of its writableLength), and
     * those sent a shared buffer (`sendsShared`) count it once whatever the connections.
     */
    private readonly responsesOn: (socket: Socket) => Iterable<ServerResponse> = () => [],
  ) {
    this.graceMs = limits.graceMs ?? 10_000;
    this.stallMs = limits.stallMs ?? 60_000;
    this.timer = setInterval(() => this.look(), limits.intervalMs ?? 1000).unref();
  }

  /**
   * What `socket`'s responses hold beside its own buffer: the bytes written to those not yet
   * given it and those their bodies hold not yet written (`holdsBody`), and each shared buffer with what is left of it unsent (at most what the response,
   * or, given it, its connection holds).
   */
  private responsesOf(socket: Socket): { waiting: number; sharedHere: [Buffer, number][] } {
    let waiting = 0;
    const sharedHere: [Buffer, number][] = [];
    for (const res of this.responsesOn(socket)) {
      if (!res.socket) waiting += res.writableLength;
      waiting += heldBodies.get(res)?.() ?? 0;
      const body = sharedBodies.get(res);
      if (body === undefined) continue;
      const unsent = Math.min(body.length, res.socket ? socket.writableLength : res.writableLength);
      if (unsent > 0) sharedHere.push([body, unsent]);
    }
    return { waiting, sharedHere };
  }

  /** Looks at every connection once: closes the stalled ones, then the oldest while over the limit. */
  look(): void {
    const now = this.now();
    const held: [Socket, Holding][] = [];
    let total = 0;
    /** The shared buffers left unsent, and how many connections hold each. */
    const holders = new Map<Buffer, number>();
    for (const socket of this.sockets) {
      const { waiting, sharedHere } = this.responsesOf(socket);
      const bytes = socket.destroyed ? 0 : socket.writableLength + waiting;
      if (bytes === 0) {
        this.holding.delete(socket);
        continue;
      }
      const queued = queuedOnHandle(socket);
      let own = bytes;
      for (const [, unsent] of sharedHere) own -= unsent;
      own = Math.max(0, own);
      const shared = sharedHere.map(([buffer]) => buffer);
      let holding = this.holding.get(socket);
      if (holding === undefined) {
        holding = { since: now, bytes, queued, own, shared, progressAt: now };
        this.holding.set(socket, holding);
      } else if (bytes < holding.bytes || queued < holding.queued) holding.progressAt = now;
      holding.bytes = bytes;
      holding.queued = queued;
      holding.own = own;
      holding.shared = shared;
      if (now - holding.progressAt >= this.stallMs) {
        this.cut(socket, "stalled", bytes);
        continue;
      }
      total += own;
      for (const buffer of shared) holders.set(buffer, (holders.get(buffer) ?? 0) + 1);
      held.push([socket, holding]);
    }
    for (const buffer of holders.keys()) total += buffer.length;
    if (total > this.limits.maxUnsentBytes) {
      // those that have gone longest without a byte taken first (of a look's, the largest): not
      // those that have held bytes longest, which a client reading steadily does too (an RDF
      // export, a gateway's busy connection is never empty at a look), and was cut first
      held.sort((a, b) => a[1].progressAt - b[1].progressAt || b[1].own - a[1].own);
      for (const [socket, holding] of held) {
        if (total <= this.limits.maxUnsentBytes) break;
        // (not in order of age: one within its grace may come before one past it). The grace
        // ends at twice the limit: answers made faster than read (20 connections of pipelined
        // requests reached 392 MB in 6 s) would otherwise pass the limit by what 10 s can make
        if (now - holding.since < this.graceMs && total <= 2 * this.limits.maxUnsentBytes) continue;
        // what closing it frees: its own bytes, and the shared buffers no other connection holds
        let freed = holding.own;
        for (const buffer of holding.shared) if (holders.get(buffer) === 1) freed += buffer.length;
        if (freed === 0) continue;
        for (const buffer of holding.shared) holders.set(buffer, holders.get(buffer)! - 1);
        this.cut(socket, "over-limit", freed);
        total -= freed;
      }
    }
    this.bytes = total;
    this.onLook?.(total);
  }

  private cut(socket: Socket, reason: CutReason, bytes: number): void {
    this.holding.delete(socket);
    this.onCut(socket, reason, bytes);
    cutBy(socket, reason);
  }

  close(): void {
    clearInterval(this.timer);
  }
}
