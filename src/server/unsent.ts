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
 *
 * And what the kernel holds (kernel-queues.ts, where Linux's /proc/net/tcp can be read): each
 * connection's bytes handed to the kernel and not yet acknowledged by its client count as its
 * own (a shared buffer is held once by the process, but each kernel keeps a copy: red team 14's
 * F6 pinned 80.6 MB of the host's TCP memory with 20 connections not reading GraphiQL's page);
 * what it acknowledged is its progress; and a client that read less than `minRateBytesPerSecond`
 * over the last `rateWindowMs` (60 s) with more than that waiting is cut (`slow-reader`): a
 * trickle of 16 KB every 10 s made progress at every look, past the stall rule, for the 95
 * minutes the page would take. Every cut is a reset (server-cuts.ts), which frees the kernel's copy.
 */
import type { ServerResponse } from "node:http";
import type { Socket } from "node:net";
import { type KernelQueues, type KernelReading, keyOf } from "./kernel-queues.js";
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
  /**
   * The least a client must read of what waits for it (bytes a second, over `rateWindowMs`),
   * measured by what it acknowledged (kernel-queues.ts); 0: no such rule.
   */
  minRateBytesPerSecond?: number;
  /** The window the rate is measured over, and the least time a connection holds bytes before it is judged (ms). */
  rateWindowMs?: number;
}

/** Why a connection was closed: its answer made no progress, or the unsent bytes were over the limit. */
export type CutReason = "stalled" | "over-limit" | "slow-reader";

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
  /** What its client had acknowledged at each kernel reading since it began holding (kernel-queues.ts), the oldest first. */
  acked: { at: number; bytes: number; waiting: number }[];
}

/**
 * The bytes `socket` has handed the kernel: those given libuv (`_bytesDispatched`) less those
 * libuv has yet to write (`queuedOnHandle`).
 */
function handedToKernel(socket: Socket): number {
  const dispatched = (socket as unknown as { _bytesDispatched?: number })._bytesDispatched;
  return (dispatched ?? socket.bytesWritten - socket.writableLength) - queuedOnHandle(socket);
}

/** A kernel reading older than this is not used (ms): what it says of a connection may have changed since. */
const STALE_READING_MS = 10_000;

/** Handed to the kernel since the last reading, past which a connection may hold enough there to warrant a new one. */
const WORTH_READING_BYTES = 64 * 1024;

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
  private readonly minRate: number;
  private readonly rateWindowMs: number;
  /** What each connection had handed the kernel when the reading stamped `at` was asked for (kernel-queues.ts). */
  private asked: { at: number; handed: WeakMap<Socket, number> } | undefined;
  /** The last reading made, with what each connection had handed the kernel when it was asked for. */
  private read: (KernelReading & { handed: WeakMap<Socket, number> }) | undefined;
  /** Connections to close once their clients have taken what the kernel holds for them (`closeOnceTaken`). */
  private readonly closing = new WeakMap<Socket, number>();
  /** The unsent bytes of all connections at the last look. */
  bytes = 0;
  /** Of them, those the kernel holds (0 where it cannot be read). */
  kernelBytes = 0;
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
    /** What the kernel holds of each connection (kernel-queues.ts); none: only what the process holds is counted. */
    private readonly kernel?: KernelQueues,
  ) {
    this.graceMs = limits.graceMs ?? 10_000;
    this.stallMs = limits.stallMs ?? 60_000;
    this.minRate = limits.minRateBytesPerSecond ?? 0;
    this.rateWindowMs = limits.rateWindowMs ?? 60_000;
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

  /**
   * Whether the kernel's queues are read: a reading has been made and the last attempt made one
   * (false before the first, where none is given, and while they cannot be read: review 21 found
   * the gauge said 1 on a host where /proc could not be read, until something asked).
   */
  get kernelReadable(): boolean {
    return this.kernel?.available === true && this.kernel.latest !== undefined;
  }

  /**
   * What the kernel held of `socket`'s bytes at the last reading, or undefined if that is not
   * known (no reading, or the connection was not open when it was asked for).
   */
  kernelBytesOf(socket: Socket): number | undefined {
    if (!this.read?.handed.has(socket)) return undefined;
    const key = keyOf(socket);
    return key === undefined ? undefined : (this.read.queued.get(key) ?? 0);
  }

  /**
   * Closes `socket` once its client has taken what the kernel holds for it; until then the rules
   * above judge it (and cut it, which frees the kernel's copy at once: server-cuts.ts). For a
   * connection idle past its keep-alive time with its answer not yet read: closed by the process
   * then, its kernel copy was left to the kernel, an orphan for as long as its client lets it
   * be, out of every count (app.ts). Cleared when it brings another request (`keep`).
   */
  closeOnceTaken(socket: Socket): void {
    if (!this.closing.has(socket)) this.closing.set(socket, this.now());
  }

  /**
   * Whether the kernel may still hold some of `socket`'s answers: where its queues are read, unless
   * a reading made since the last byte was handed to it says none (a connection with no reading
   * yet may: an answer under the bytes that warrant one is not read for). Where they cannot be
   * read, false: nothing is known, and a connection is closed as it was.
   */
  mayHoldInKernel(socket: Socket): boolean {
    if (!this.kernel?.available) return false;
    const handedThen = this.read?.handed.get(socket);
    const inKernel = this.kernelBytesOf(socket);
    if (handedThen === undefined || inKernel === undefined) return handedToKernel(socket) > 0;
    return inKernel > 0 || handedToKernel(socket) > handedThen;
  }

  /** Forgets `closeOnceTaken` for `socket`: it brought another request. */
  keep(socket: Socket): void {
    this.closing.delete(socket);
  }

  /** Looks at every connection once: closes the stalled ones, then the oldest while over the limit. */
  look(): void {
    const now = this.now();
    const latest = this.kernel?.latest;
    if (latest && this.asked?.at === latest.at) {
      this.read = { ...latest, handed: this.asked.handed };
      this.asked = undefined;
    }
    // (a reading older than STALE_READING_MS is not used: readings are spaced when they cost)
    if (this.read && now - this.read.at >= STALE_READING_MS) this.read = undefined;
    const reading = this.read;
    const held: [Socket, Holding][] = [];
    let total = 0;
    let kernelTotal = 0;
    let worthReading = false;
    /** The shared buffers left unsent, and how many connections hold each. */
    const holders = new Map<Buffer, number>();
    for (const socket of this.sockets) {
      const { waiting, sharedHere } = this.responsesOf(socket);
      const inProcess = socket.destroyed ? 0 : socket.writableLength + waiting;
      const handedThen = reading?.handed.get(socket);
      const key = handedThen === undefined ? undefined : keyOf(socket);
      const inKernel = key === undefined || socket.destroyed ? 0 : (reading!.queued.get(key) ?? 0);
      if (
        this.kernel &&
        !socket.destroyed &&
        (inProcess > 0 ||
          inKernel > 0 ||
          this.closing.has(socket) ||
          handedToKernel(socket) - (handedThen ?? 0) >= WORTH_READING_BYTES)
      )
        worthReading = true;
      const bytes = inProcess + inKernel;
      const closingSince = this.closing.get(socket);
      if (closingSince !== undefined && !socket.destroyed) {
        if (bytes === 0 && handedThen !== undefined && handedToKernel(socket) === handedThen) {
          // a reading made since its last byte says its client took all: closed as the
          // keep-alive time would have
          this.closing.delete(socket);
          this.holding.delete(socket);
          socket.destroy();
          continue;
        }
        // not known to be taken within the stall time (readings stopped, or its client reads
        // nothing): reset, as a stalled answer is
        if (now - closingSince >= this.stallMs) {
          this.cut(socket, "stalled", bytes);
          continue;
        }
      }
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
        holding = { since: now, bytes, queued, own, shared, progressAt: now, acked: [] };
        this.holding.set(socket, holding);
      } else if (bytes < holding.bytes || queued < holding.queued) holding.progressAt = now;
      if (handedThen !== undefined) {
        const acked = handedThen - inKernel;
        const last = holding.acked.at(-1);
        if (last === undefined || last.at !== reading!.at) {
          if (last !== undefined && acked > last.bytes) holding.progressAt = reading!.at;
          holding.acked.push({ at: reading!.at, bytes: acked, waiting: bytes });
        }
      }
      holding.bytes = bytes;
      holding.queued = queued;
      holding.own = own;
      holding.shared = shared;
      // what only the kernel holds is judged as of the reading that says so: between two
      // readings (spaced when they cost) nothing is known of its progress
      const judgedAt = inProcess > 0 ? now : reading!.at;
      if (judgedAt - holding.progressAt >= this.stallMs) {
        this.cut(socket, "stalled", bytes);
        continue;
      }
      if (this.readsTooSlowly(holding, now)) {
        this.cut(socket, "slow-reader", bytes);
        continue;
      }
      total += own;
      kernelTotal += inKernel;
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
    this.kernelBytes = kernelTotal;
    this.onLook?.(total);
    // asked again when the last asking is older than a reading may be (a reading wedged: the
    // kernel's reader gives it up when asked again past its own bound, review 21, finding 2)
    if (
      worthReading &&
      this.kernel &&
      (this.asked === undefined || now - this.asked.at >= STALE_READING_MS)
    )
      this.askKernel(now);
  }

  /**
   * Whether the client of `holding` has read less than the least rate over the last window,
   * while more than that waited for it at every reading of the window: measured by what it
   * acknowledged, so only where the kernel's queues are read. One that began holding less than a
   * window ago is not judged, nor one with less waiting than the window's worth at some reading
   * (left to the stall rule). A minute, as the stall time: an honest client whose network pauses
   * (18 s at 30 KB/s, review 19) reads far more than the floor's worth in it.
   */
  private readsTooSlowly(holding: Holding, now: number): boolean {
    if (this.minRate <= 0 || now - holding.since < this.rateWindowMs) return false;
    const { acked } = holding;
    const last = acked.at(-1);
    if (last === undefined) return false;
    // the reading at or before the window's start, the older ones dropped
    let from: { at: number; bytes: number; waiting: number } | undefined;
    while (acked.length >= 2 && acked[1]!.at <= last.at - this.rateWindowMs) acked.shift();
    if (acked[0]!.at <= last.at - this.rateWindowMs) from = acked[0];
    if (from === undefined || from.at < holding.since) return false;
    const window = last.at - from.at;
    const due = (this.minRate * window) / 1000;
    if (last.bytes - from.bytes >= due) return false;
    for (const sample of acked) if (sample.waiting < due) return false;
    return true;
  }

  /** Asks the kernel for its queues, noting what each connection had handed it by then. */
  private askKernel(now: number): void {
    const handed = new WeakMap<Socket, number>();
    for (const socket of this.sockets)
      if (!socket.destroyed) handed.set(socket, handedToKernel(socket));
    this.asked = { at: now, handed };
    const asked = this.asked;
    void this.kernel!.refresh(now).then(() => {
      // a reading not made (one under way for another, or too soon after a long one): asked again at a later look
      if (this.kernel!.latest?.at !== asked.at && this.asked === asked) this.asked = undefined;
    });
  }

  private cut(socket: Socket, reason: CutReason, bytes: number): void {
    this.holding.delete(socket);
    this.closing.delete(socket);
    this.onCut(socket, reason, bytes);
    cutBy(socket, reason);
  }

  close(): void {
    clearInterval(this.timer);
  }
}
