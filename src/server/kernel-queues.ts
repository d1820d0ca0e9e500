/**
 * What the kernel holds of each connection's answers, not yet acknowledged by its client.
 *
 * Once the process has handed bytes to a socket, the kernel keeps them in the socket's send
 * buffer until the client acknowledges them; Linux grows that buffer for each connection up to
 * `net.ipv4.tcp_wmem`'s maximum (4 MiB on a common host). A client that reads a large answer
 * slowly, or not at all, so pins up to 4 MiB of the host's TCP memory on top of what the process
 * holds: red team 14 (F6) pinned 80.6 MB with 20 connections asking GraphiQL's 9 MB page and
 * reading none of it, counted nowhere (the process counts the shared page once); some 590 would
 * have reached the host's `tcp_mem` limit, after which every socket on the host is refused memory.
 * Node cannot ask a socket for it (no SIOCOUTQ, no TCP_INFO), but Linux lists every TCP
 * socket of the network namespace in /proc/net/tcp and tcp6, with its `tx_queue`: the bytes
 * written to it and not yet acknowledged. Read from there, the unsent guard (unsent.ts) counts
 * each connection's kernel share against its limit, and measures how fast its client really
 * reads (what it acknowledged), not how fast the kernel takes more (which happens only each
 * time half of its buffer has been acknowledged: megabytes apart).
 *
 * The files are read off the event loop (a worker thread of their own: ListReader), at most as often as the
 * guard looks (once a second) and less when a reading is long (the next waits as long as the read
 * took and ten times as long as the parse), and only when something warrants it (unsent.ts). The
 * parse runs on the event loop in slices of about a millisecond, one a turn, so that a long
 * listing makes readings rarer, never a long turn. Where they cannot be read (another system, a
 * /proc hidden by a sandbox), nothing is known of the kernel: `latest` stays undefined and the
 * guard works as before on what the process holds.
 */
import type { Socket } from "node:net";
import { endianness } from "node:os";
import { Worker } from "node:worker_threads";

/** A reading of the kernel's send queues: those not empty, by connection (`keyOf`), and when it was made. */
export interface KernelReading {
  /** When the reading was asked for (the guard's clock, ms). */
  at: number;
  /** The unacknowledged bytes of each connection that has some (absent: none, or not open then). */
  queued: Map<string, number>;
}

/** Reads the kernel's send queues of this host's TCP connections (`refresh`), one reading at a time. */
export interface KernelQueues {
  /** The last reading, or undefined before the first or where the kernel's lists cannot be read. */
  readonly latest: KernelReading | undefined;
  /** Whether the last attempt made a reading (false: none could be read, or the lists were too long). */
  readonly available: boolean;
  /** Starts a reading stamped `at`, unless one is under way or too recent; resolves when it is done. */
  refresh(at: number): Promise<void>;
}

export interface KernelQueuesOptions {
  /** The lists read (default /proc/net/tcp and tcp6). */
  files?: readonly string[];
  /** The most bytes of lists read in one reading, all files together; past it the reading is skipped. */
  maxBytes?: number;
  /** Time before a reading is tried again after one skipped or failed (ms). */
  retryMs?: number;
  /** Time after which a reading not done is given up, and another may start (ms; 9 s). */
  timeoutMs?: number;
  /** Told when a reading is skipped for the lists' length (their bytes), once until readings are made again. */
  onTooLong?: (bytes: number) => void;
  /** Told when a reading is made after one or more were skipped or failed. */
  onAvailable?: () => void;
  /** What reads the lists (default the process's one reader; a test's own keeps its wedged reads to itself). */
  reader?: ListReader;
}

/** The files Linux lists its TCP sockets in, IPv4 and IPv6 (a dual-stack listener's IPv4 clients are in tcp6). */
const PROC_FILES = ["/proc/net/tcp", "/proc/net/tcp6"];

/**
 * Lists longer than this in all (about 380,000-450,000 sockets in the network namespace, past the
 * TIME_WAIT entries a host keeps at most, `net.ipv4.tcp_max_tw_buckets`: 131,072 to 262,144 by
 * default, as the kernel sizes it from the memory) are
 * not parsed, and tried again `retryMs` later; the kernel's share is then not counted
 * (docs/operations.md). Review 20 (finding 1): the bound was 1 MiB, about 7,000 sockets, which
 * the TIME_WAIT entries of a minute of connections the server closed first reach (any client
 * sending `Connection: close` 120 times a second), and that turned the kernel's share off.
 */
const MAX_READ_BYTES = 64 * 1024 * 1024;

/** The share of the event loop readings may take at most: the next waits ten times as long as the last's parse took. */
const QUIET_FACTOR = 10;

/**
 * The longest a slice of a parse may hold the event loop (ms): a listing is parsed in slices, one
 * a turn (bench/kernel-queues.ts: 0.25 ms for 1,000 sockets, 2.1 ms for 5,000, 14 ms for 26,000,
 * whole; TIME_WAIT lines and empty queues are passed over from their fixed-width fields).
 */
const SLICE_MS = 1;

/** A list is decoded to text a piece of about this many bytes at a time (to the end of a line), each parsed in slices. */
const PIECE_BYTES = 256 * 1024;

const littleEndian = endianness() === "LE";

/** 16 bytes of an address as hexadecimal, IPv4 as its IPv4-mapped IPv6 form (so either list gives the same key). */
function addressKey(address: string): string | undefined {
  const zone = address.indexOf("%");
  const plain = zone === -1 ? address : address.slice(0, zone);
  if (!plain.includes(":")) {
    const v4 = ipv4Hex(plain);
    return v4 === undefined ? undefined : `00000000000000000000ffff${v4}`;
  }
  // an IPv4 tail (`::ffff:127.0.0.1`) as the two groups it stands for
  let head = plain;
  if (plain.includes(".")) {
    const lastColon = plain.lastIndexOf(":");
    const v4 = ipv4Hex(plain.slice(lastColon + 1));
    if (v4 === undefined) return undefined;
    head = `${plain.slice(0, lastColon + 1)}${v4.slice(0, 4)}:${v4.slice(4)}`;
  }
  const halves = head.split("::");
  if (halves.length > 2) return undefined;
  const groupsOf = (part: string) => (part === "" ? [] : part.split(":"));
  const left = groupsOf(halves[0]!);
  const right = halves.length === 2 ? groupsOf(halves[1]!) : [];
  const missing = 8 - left.length - right.length;
  if (missing < 0 || (halves.length === 1 && missing !== 0)) return undefined;
  const groups = [...left, ...Array.from({ length: missing }, () => "0"), ...right];
  if (!groups.every((group) => /^[0-9a-fA-F]{1,4}$/.test(group))) return undefined;
  return groups.map((group) => group.toLowerCase().padStart(4, "0")).join("");
}

function ipv4Hex(address: string): string | undefined {
  const parts = address.split(".");
  if (parts.length !== 4 || !parts.every((part) => /^\d{1,3}$/.test(part) && Number(part) < 256))
    return undefined;
  return parts.map((part) => Number(part).toString(16).padStart(2, "0")).join("");
}

/** An address as /proc/net/tcp{,6} print it (32-bit words in the host's byte order) to the 16-byte key. */
function procAddressKey(hex: string): string | undefined {
  if (hex.length !== 8 && hex.length !== 32) return undefined;
  let bytes = "";
  for (let word = 0; word < hex.length; word += 8) {
    const printed = hex.slice(word, word + 8).toLowerCase();
    bytes += littleEndian
      ? printed.slice(6, 8) + printed.slice(4, 6) + printed.slice(2, 4) + printed.slice(0, 2)
      : printed;
  }
  return bytes.length === 8 ? `00000000000000000000ffff${bytes}` : bytes;
}

/** The key of a connection by its two ends: the same from a socket (`keyOf`) as from a line of /proc (`parseProcTcp`). */
function connectionKey(local: string, localPort: number, remote: string, remotePort: number) {
  return `${local}:${localPort}>${remote}:${remotePort}`;
}

/** `socket`'s key in a reading, or undefined if it has no addresses (closed, or not a TCP socket). */
export function keyOf(socket: Socket): string | undefined {
  // (made once a connection: the guard asks every second for every connection)
  let key = keys.get(socket);
  if (key === undefined) {
    const { localAddress, localPort, remoteAddress, remotePort } = socket;
    if (!localAddress || !remoteAddress || localPort === undefined || remotePort === undefined)
      return undefined;
    const local = addressKey(localAddress);
    const remote = addressKey(remoteAddress);
    if (local === undefined || remote === undefined) return undefined;
    key = connectionKey(local, localPort, remote, remotePort);
    keys.set(socket, key);
  }
  return key;
}

const keys = new WeakMap<Socket, string>();

/**
 * The connections of a /proc/net/tcp or tcp6 listing whose send queue is not empty, and their
 * queues (`sl local rem st tx_queue:rx_queue ...`; a listening socket's fields mean other things:
 * left out). Lines it cannot read are left out.
 */
export function parseProcTcp(text: string, into: Map<string, number> = new Map()) {
  parseLines(text, into, firstLine(text), Number.POSITIVE_INFINITY);
  return into;
}

/** Where a listing's first line after its header begins (its length when it has none). */
function firstLine(text: string): number {
  const header = text.indexOf("\n");
  return header === -1 ? text.length : header + 1;
}

/**
 * The lines of `text` from `start` into `into` (as parseProcTcp), until `until` on
 * performance.now()'s clock is past (looked at every 128 lines); where it stopped, or the text's
 * length when it is done.
 */
function parseLines(text: string, into: Map<string, number>, from: number, until: number): number {
  let start = from;
  let lines = 0;
  while (start < text.length) {
    if ((++lines & 127) === 0 && performance.now() > until) return start;
    let end = text.indexOf("\n", start);
    if (end === -1) end = text.length;
    const line = start;
    start = end + 1;
    // most connections have nothing queued: seen from the fixed-width fields, before any split
    // (`sl: LOCAL:PORT REMOTE:PORT ST TXQ:RXQ`, an address 8 hex digits in tcp, 32 in tcp6)
    const fields = text.indexOf(": ", line) + 2;
    if (fields < 2 || fields > end) continue;
    const width = text.charCodeAt(fields + 8) === 58 /* : */ ? 8 : 32;
    const queues = fields + 2 * (width + 6) + 3;
    if (text.startsWith("00000000:", queues)) continue;
    const [local, remote, state, queued] = text.slice(fields, end).split(" ", 4);
    if (queued === undefined || state === "0A") continue;
    const bytes = Number.parseInt(queued.slice(0, queued.indexOf(":")), 16);
    const [localHex, localPortHex] = local!.split(":");
    const [remoteHex, remotePortHex] = remote!.split(":");
    const localKey = procAddressKey(localHex ?? "");
    const remoteKey = procAddressKey(remoteHex ?? "");
    if (localKey === undefined || remoteKey === undefined || !(bytes > 0)) continue;
    const key = connectionKey(
      localKey,
      Number.parseInt(localPortHex ?? "", 16),
      remoteKey,
      Number.parseInt(remotePortHex ?? "", 16),
    );
    into.set(key, (into.get(key) ?? 0) + bytes);
  }
  return text.length;
}

/** Lists read whole, each in a buffer (a list that could not be opened left out), and their bytes in all. */
interface Read {
  lists: Buffer[];
  bytes: number;
}

/**
 * What reads the lists, in a worker thread of its own: Linux hands /proc/net/tcp out a page (about
 * 4 KB) a read, and `readFile` on libuv's pool took a turn of the event loop for each, so that a
 * listing of 12 MB took 6 s to read at 2 ms a turn, 15 s at 5 ms, and came in too old to be used
 * (review 21, finding 1). The worker reads each list with read(2) in a loop, stops once the lists
 * pass `maxBytes` (a longer one is not read whole to be refused, nor held in more than `maxBytes`),
 * and hands the lists over without a copy. Plain JavaScript, evaluated (no loader, no TypeScript:
 * it is the same under tsx, vitest or a bundle).
 */
export const READER_SOURCE = `
const { parentPort } = require("node:worker_threads");
const { closeSync, openSync, readSync } = require("node:fs");
const oneMore = Buffer.alloc(1);
parentPort.on("message", ({ files, maxBytes }) => {
  const lists = [];
  let bytes = 0;
  for (const file of files) {
    let fd;
    try {
      fd = openSync(file, "r");
    } catch {
      continue; // another system, or a list this one has not (no IPv6)
    }
    // read into pieces, each twice the last (64 KiB the first), never past what is left of
    // maxBytes, none copied while read: a buffer grown by copies held the list about twice, and a
    // byte past the bound grew it once more (review 23: a refused list of 64 MiB cost 138 MiB)
    const room = maxBytes - bytes;
    const pieces = [Buffer.allocUnsafeSlow(Math.min(1 << 16, room))];
    let filled = 0;
    let used = 0;
    try {
      for (;;) {
        let piece = pieces[pieces.length - 1];
        if (filled === piece.length) {
          if (used === room) {
            // full: a byte more says "too long", read into one of its own
            used += readSync(fd, oneMore, 0, 1, null);
            break;
          }
          piece = Buffer.allocUnsafeSlow(Math.min(piece.length * 2, room - used));
          pieces.push(piece);
          filled = 0;
        }
        const n = readSync(fd, piece, filled, piece.length - filled, null);
        if (n === 0) break;
        filled += n;
        used += n;
      }
    } catch {
      continue;
    } finally {
      closeSync(fd);
    }
    bytes += used;
    if (bytes > maxBytes) {
      // too long: nothing handed over
      parentPort.postMessage({ lists: [], lengths: [], bytes });
      return;
    }
    // one buffer of the list's length, its own memory (allocUnsafeSlow: not a slice of a pool),
    // copied only from a list read in more than one piece; its length what was read (the rest of
    // a piece is memory never written, review 23)
    if (pieces.length === 1) {
      lists.push(pieces[0].subarray(0, used));
    } else {
      const list = Buffer.allocUnsafeSlow(used);
      let at = 0;
      for (const piece of pieces) at += piece.copy(list, at, 0, Math.min(piece.length, used - at));
      lists.push(list);
    }
  }
  // each list's memory handed over as it is
  parentPort.postMessage(
    { lists: lists.map((list) => list.buffer), lengths: lists.map((list) => list.length), bytes },
    lists.map((list) => list.buffer),
  );
});
`;

/** A reading asked of the worker: its lists, and what to tell when the worker answers (or fails). */
interface Asked {
  files: string[];
  maxBytes: number;
  resolve: (read: Read) => void;
  reject: (error: unknown) => void;
}

/**
 * One reading at a time through the reader's thread, made when first asked for. The reading being
 * read is given up (`expire`) once read for too long, whoever asks again, or failed if the thread
 * fails: the worker is let go, and the readings queued behind it are asked of the next worker
 * (review 22, and review 23 for a thread that failed: they were failed, and each of their
 * instances read nothing for 30 s). A reading whose lists are in is never given up.
 */
export class ListReader {
  /** The worker's code (a test's own may fail). */
  private readonly source: string;
  private worker: Worker | undefined;
  /** The readings asked of the worker, in the order it answers them: the first is being read. */
  private waiting: Asked[] = [];
  /** When the first of `waiting` began to be read (performance.now). */
  private headSince = 0;

  constructor(options: { source?: string } = {}) {
    this.source = options.source ?? READER_SOURCE;
  }

  read(files: readonly string[], maxBytes: number): { done: Promise<Read>; asked: object } {
    let asked!: Asked;
    const done = new Promise<Read>((resolve, reject) => {
      asked = { files: [...files], maxBytes, resolve, reject };
    });
    this.ask(asked);
    return { done, asked };
  }

  /** Whether `asked` is still being read or waits to be. */
  holds(asked: object): boolean {
    return this.waiting.some((one) => one === asked);
  }

  /**
   * Gives up the reading being read if it has been for `timeoutMs` or more (a read wedged),
   * whoever asked for it: the worker is let go, and the readings behind it are asked of the next,
   * each timed from when it is read (review 23: one queued behind another instance's wedged
   * reading could not be given up by its own, and each re-ask queued another).
   */
  expire(timeoutMs: number): void {
    const worker = this.worker;
    if (worker === undefined || this.waiting.length === 0) return;
    if (performance.now() - this.headSince < timeoutMs) return;
    // not awaited: a thread blocked in a read of /proc ends when the read does; nor does it hold
    // the process (review 23), once unref'd after `terminate`, which refs it (unref'd before, it
    // still held it)
    void worker.terminate();
    worker.unref();
    this.letGo(new Error("the kernel's lists were not read within the time allowed"));
  }

  /** Fails the reading being read with `error`, and asks the next worker for those behind it. */
  private letGo(error: unknown): void {
    const [head, ...behind] = this.waiting;
    this.worker = undefined;
    this.waiting = [];
    head?.reject(error);
    for (const next of behind) this.ask(next);
  }

  private ask(asked: Asked): void {
    let worker: Worker;
    try {
      worker = this.worker ?? this.start();
    } catch (error) {
      asked.reject(error);
      return;
    }
    if (this.waiting.length === 0) this.headSince = performance.now();
    this.waiting.push(asked);
    // held while a reading is under way (an awaited reading ends), let go when none is
    worker.ref();
    worker.postMessage({ files: asked.files, maxBytes: asked.maxBytes });
  }

  private start(): Worker {
    const worker = new Worker(this.source, { eval: true, execArgv: [], stdout: false });
    worker.on(
      "message",
      ({ lists, lengths, bytes }: { lists: ArrayBuffer[]; lengths: number[]; bytes: number }) => {
        // (a worker let go may still deliver what it posted before: not to the next one's reading)
        if (this.worker !== worker) return;
        const asked = this.waiting.shift();
        if (this.waiting.length === 0) worker.unref();
        else this.headSince = performance.now();
        asked?.resolve({ lists: lists.map((list, i) => Buffer.from(list, 0, lengths[i])), bytes });
      },
    );
    // (an internal error, or out of memory: READER_SOURCE catches what reading a list throws)
    const ended = (error: unknown) => {
      if (this.worker === worker) this.letGo(error);
    };
    worker.on("error", ended);
    worker.on("exit", (code) => ended(new Error(`the kernel's lists' reader ended (${code})`)));
    // the process may end with it while no reading is under way (after the listeners, since
    // adding a 'message' listener refs the worker again: review 22, a script that read the lists
    // once never ended); `ask` holds it while one is
    worker.unref();
    this.worker = worker;
    return worker;
  }
}

/** The reader every KernelQueues of the process shares (one thread). */
const sharedReader = new ListReader();

/**
 * The kernel's send queues read from /proc. A reading is skipped when the lists are longer than
 * `maxBytes` (64 MiB), or none can be read, and tried again `retryMs` later: `available` says so
 * meanwhile, and the unsent guard works on what the process holds. A listing is parsed in slices
 * of about a millisecond, one a turn of the event loop (a flood of connections grows it: 9,000
 * made and closed by the server in a second took /proc/net/tcp to 2 MB, review 19; each stays
 * listed a minute in TIME_WAIT). After a reading, the next waits as long as its read and ten
 * times its parse at least.
 */
export function procKernelQueues(options: KernelQueuesOptions = {}): KernelQueues {
  const reader = options.reader ?? sharedReader;
  const files = options.files ?? PROC_FILES;
  const maxBytes = options.maxBytes ?? MAX_READ_BYTES;
  const retryMs = options.retryMs ?? 30_000;
  // under the unsent guard's 10 s, past which it asks again (review 22: both 10 s, measured from
  // different moments, a wedged reading was given up at 20 s)
  const timeoutMs = options.timeoutMs ?? 9_000;
  let latest: KernelReading | undefined;
  let available = true;
  /** The reading under way, when it began (performance.now), and its asking of the reader while its lists are read. */
  let reading: { done: Promise<void>; began: number; asked?: object } | undefined;
  /** No reading before this (performance.now). */
  let quietUntil = 0;
  return {
    get latest() {
      return latest;
    },
    get available() {
      return available;
    },
    refresh(at) {
      const now = performance.now();
      if (reading) {
        // the reader's reading, whoever asked for it, given up past the time (a read wedged)
        reader.expire(timeoutMs);
        // this one's, still being read or waiting to be: joined (not asked again behind a wedge);
        // its lists in and parsed for longer than the time: another begins
        if (reading.asked ? reader.holds(reading.asked) : now - reading.began < timeoutMs)
          return reading.done;
      }
      if (now < quietUntil) return Promise.resolve();
      const mine: { done: Promise<void>; began: number; asked?: object } = {
        began: now,
        done: Promise.resolve(),
      };
      mine.done = (async () => {
        let lists: Read;
        try {
          const asked = reader.read(files, maxBytes);
          mine.asked = asked.asked;
          lists = await asked.done;
          mine.asked = undefined;
        } catch {
          lists = { lists: [], bytes: 0 }; // the reader failed, or was let go
        }
        if (reading !== mine) return; // given up: another has begun
        const { bytes } = lists;
        if (lists.lists.length === 0 || bytes > maxBytes) {
          // told once, not at every retry, until readings are made again
          if (bytes > maxBytes && available) options.onTooLong?.(bytes);
          available = false;
          quietUntil = performance.now() + retryMs;
          return;
        }
        const readMs = performance.now() - now;
        // decoded a piece of about PIECE_BYTES at a time, each parsed in slices of SLICE_MS, one a turn
        let parseMs = 0;
        const queued = new Map<string, number>();
        for (const list of lists.lists) {
          let text = "";
          let from = 0;
          let piece = 0;
          while (from < text.length || piece < list.length) {
            const began = performance.now();
            if (from >= text.length) {
              // the next piece, to the end of a line
              const end = list.indexOf(10, piece + PIECE_BYTES) + 1 || list.length;
              text = list.toString("latin1", piece, end);
              from = piece === 0 ? firstLine(text) : 0;
              piece = end;
            }
            from = parseLines(text, queued, from, began + SLICE_MS);
            parseMs += performance.now() - began;
            if (from < text.length || piece < list.length) {
              await new Promise((resolve) => setImmediate(resolve));
              if (reading !== mine) return; // given up: another has begun
            }
          }
        }
        latest = { at, queued };
        if (!available) options.onAvailable?.();
        available = true;
        // the reader's thread was held for the read, the event loop for the parse
        quietUntil = performance.now() + readMs + parseMs * QUIET_FACTOR;
      })().finally(() => {
        if (reading === mine) reading = undefined;
      });
      reading = mine;
      return mine.done;
    },
  };
}
