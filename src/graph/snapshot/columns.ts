/**
 * The snapshot's columns: the large typed arrays of a graph's indexes (search postings and names'
 * texts, the path index, tenure spans, the timeline, the key orders and the entities' offsets:
 * 155 MiB at a million generated entities), written as one block of bytes apart from the rest of the indexes,
 * each array at an 8-byte aligned place in it, and read back as views into that block, not as
 * copies.
 *
 * Where the block is kept decides whether processes share it:
 * - **a file of its own, memory-mapped** (larger than SHARED_COLUMNS_BYTES, and `lmdb` loads): an
 *   LMDB environment of one value, opened read-only. lmdb-js returns a value larger than 16 MiB
 *   as a view into its memory map, so the N workers of a replica hold one copy of the columns, in
 *   the page cache, instead of N copies in their heaps. LMDB maps the file read-only: a write
 *   into a column would end the process (SIGSEGV), so no typed array an index writes after it is
 *   built is part of it (a search's tables are kept beside the index: search.ts), and
 *   tests/graph/snapshot.test.ts answers the explorer's documents from a graph whose every typed
 *   array is mapped.
 *   Every byte of the file, LMDB's own pages too, is summed before LMDB opens it (a flipped page
 *   number could make LMDB read outside its map). A single process maps a private copy of the
 *   file instead (mapPrivateCopies): a truncation of the file itself would end it (SIGBUS).
 * - **a section of the snapshot's file** otherwise (a small graph, no `lmdb` on this platform, or
 *   KZ_OSCE_SNAPSHOT_MAP=false): read whole into one buffer per process, the arrays views into it.
 *
 * A mapped file is closed (unmapped) only once no graph read from it is left (`mapped`,
 * releaseColumns), since a view into an unmapped file would end the process when read. Each
 * write makes a file of a new name, so no file is ever written in place and no two share a lock
 * file (LMDB reads its current transaction from it); a write removes the files no snapshot names
 * once they are ten minutes old (a process that still maps one keeps its inode, and so its disk
 * space, until it unmaps it).
 */
import { randomBytes } from "node:crypto";
import {
  closeSync,
  constants,
  copyFileSync,
  fstatSync,
  mkdtempSync,
  readdirSync,
  readSync,
  renameSync,
  rmSync,
  statSync,
} from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { crc32 } from "node:zlib";
import { NotRegularFile, openRegularFile } from "../data-file.js";
import { leftBehind, ownerTag } from "./owners.js";
import { temporaryMark } from "./place.js";

/** Typed arrays of at least this many bytes are written as columns; smaller ones stay in the indexes' section. */
export const COLUMN_BYTES = 64 * 1024;

/**
 * A block of columns larger than this goes to a memory-mapped file of its own: lmdb-js returns
 * values larger than its 16 MiB read buffer (SHARED_BUFFER_THRESHOLD) as views into the map; a
 * smaller one would be copied anyway, so it stays in the snapshot's file.
 */
export const SHARED_COLUMNS_BYTES = 16 * 1024 * 1024;

/** The name of a snapshot's mapped columns file (the prefix; each write adds its own suffix). */
export const COLUMNS_FILE_PREFIX = ".kz-osce-snapshot-columns-";

const KEY = "columns";

const CONSTRUCTORS = {
  Int8Array,
  Uint8Array,
  Uint8ClampedArray,
  Int16Array,
  Uint16Array,
  Int32Array,
  Uint32Array,
  Float32Array,
  Float64Array,
  BigInt64Array,
  BigUint64Array,
} as const;
type ColumnType = keyof typeof CONSTRUCTORS;
type AnyTypedArray = InstanceType<(typeof CONSTRUCTORS)[ColumnType]>;

/** Where a column lies in the block: written in the indexes' section in place of the array. */
export interface ColumnRef {
  type: ColumnType;
  /** Byte offset in the block (a multiple of 8). */
  at: number;
  /** Number of elements. */
  length: number;
}

/** Collects the columns of one snapshot while its indexes are encoded. */
export class ColumnWriter {
  /** Each array written, with its place (in the order placed). */
  private readonly placed = new Map<ArrayBufferView, ColumnRef>();
  private size = 0;

  /** `least`: the size from which a typed array is a column (COLUMN_BYTES; tests take every one). */
  constructor(private readonly least = COLUMN_BYTES) {}

  /** A reference to `view`'s place in the block, or undefined when it stays in the indexes' section. */
  add(view: ArrayBufferView): ColumnRef | undefined {
    if (view.byteLength < this.least) return undefined;
    const type = view.constructor.name as ColumnType;
    const known: unknown = Object.hasOwn(CONSTRUCTORS, type) ? CONSTRUCTORS[type] : undefined;
    if (known !== view.constructor) return undefined; // a DataView, a Buffer: kept as V8 writes it
    // one array reached twice is one column (read back as one view, as it was one array)
    let ref = this.placed.get(view);
    if (ref === undefined) {
      ref = { type, at: this.size, length: (view as AnyTypedArray).length };
      this.placed.set(view, ref);
      this.size += Math.ceil(view.byteLength / 8) * 8;
    }
    return ref;
  }

  /** The block: every column at its place, `padTo` bytes at least (zeros after the last). */
  bytes(padTo = 0): Buffer {
    const block = Buffer.alloc(Math.max(this.size, padTo));
    for (const [view, ref] of this.placed)
      block.set(new Uint8Array(view.buffer, view.byteOffset, view.byteLength), ref.at);
    return block;
  }
}

/** The typed array `ref` names in `block`; throws (a message for SnapshotUnusable) when it is not one. */
export function columnView(block: Buffer, ref: ColumnRef): ArrayBufferView {
  const Type = Object.hasOwn(CONSTRUCTORS, ref?.type) ? CONSTRUCTORS[ref.type] : undefined;
  if (
    Type === undefined ||
    !Number.isInteger(ref.at) ||
    !Number.isInteger(ref.length) ||
    ref.at < 0 ||
    ref.length < 0 ||
    ref.at % 8 !== 0 ||
    ref.at + ref.length * Type.BYTES_PER_ELEMENT > block.length
  )
    throw new Error(`a column of the snapshot is not one: ${JSON.stringify(ref)}`);
  return new (Type as typeof Uint8Array)(
    block.buffer as ArrayBuffer,
    block.byteOffset + ref.at,
    ref.length,
  );
}

/** The snapshot header's record of a mapped columns file. */
export interface ColumnsFile {
  /** Its name, in the dataset's directory. */
  file: string;
  /** The block's length. */
  length: number;
  /** The CRC-32 of the whole file, LMDB's pages included: checked before LMDB opens it. */
  fileCrc: number;
}

interface LmdbStore {
  putSync(key: string, value: Buffer): unknown;
  getBinaryFast(key: string): Buffer | undefined;
  close(): Promise<void>;
}
type LmdbOpen = (options: Record<string, unknown>) => LmdbStore;

let lmdb: { open: LmdbOpen } | null | undefined;
let mapping = true;
let privately = false;

/**
 * Whether this process maps a private copy of each columns file rather than the file itself
 * (main.ts turns it on in a single process; off by default): the file lies where the snapshots are kept, by default the dataset's directory,
 * where others write, and a mapped file truncated under a process ends it with SIGBUS at its next
 * read of a column, which nothing can catch (red team 12, F3: with --workers every worker died).
 * The copy is made in a directory of this process's own (mkdtemp under TMPDIR, mode 0700),
 * summed in place of the file when the file is to be checked, mapped, and removed at once: the
 * map keeps it, and nothing can reach it by a path. Off in a cluster's workers, which share the
 * one file their primary checked through the page cache: a copy each would cost each worker the
 * columns' memory (about 155 MiB at a million entities). Each copy is made once those that
 * processes now gone left behind are removed (removeCopiesLeftBehind).
 */
export function mapPrivateCopies(on: boolean): void {
  privately = on;
}

/**
 * The prefix of a private copy's directory, then its owner (owners.ts, ownerTag):
 * `.kz-osce-columns-PID-START-XXXXXX`.
 */
export const COPY_PREFIX = ".kz-osce-columns-";

/**
 * How long a private copy's directory of a process that is gone must have been unchanged before
 * another process removes it. A copy is in use only from its directory's making to its removal,
 * each step of which changes the directory (the copy made in it, LMDB's lock file, the removal)
 * but for the copy and its sum: 0.3-0.6 s for the copy, the sum and the map at 100k entities
 * (`npx tsx bench/private-columns.ts`, "map columns"), the copy of a million entities' 155 MiB
 * 72-117 ms; a minute is a disk a hundred times slower. (A process in another pid namespace
 * sharing TMPDIR may have the pid and start time of one gone here: its copy in use is kept for
 * that; were it removed, its read would fail and be made again, not the process.) Not longer: a
 * crash loop (the OOM killer at each start's copy, the copy on a tmpfs counting against the
 * memory limit) leaves one more copy at each start until then, 155 MiB each at a million.
 */
export const COPY_LEFT_BEHIND_MS = 60 * 1000;

/**
 * Removes from `root` (TMPDIR) the private copies' directories that processes now gone left
 * there (killed between a copy and its removal: red team, a crash loop filling TMPDIR with 155
 * MiB each at a million entities), unchanged for COPY_LEFT_BEHIND_MS; returns those removed.
 * Best effort: it never throws.
 */
export function removeCopiesLeftBehind(root = tmpdir(), now = Date.now()): string[] {
  const removed: string[] = [];
  for (const { dir } of leftBehind(root, COPY_PREFIX, COPY_LEFT_BEHIND_MS, now)) {
    try {
      rmSync(dir, { recursive: true, force: true });
      removed.push(dir);
    } catch {
      // removed by another process meanwhile, or not ours to remove after all
    }
  }
  return removed;
}

/** When this process last swept TMPDIR for copies left behind (sweepIfDue). */
let sweptAt = Number.NEGATIVE_INFINITY;

/**
 * Sweeps TMPDIR for copies left behind (removeCopiesLeftBehind) at a process's first copy, then
 * at most once every COPY_LEFT_BEHIND_MS: it reads the whole of TMPDIR on the serving thread,
 * 0.42-1.08 s with 200,000 entries in it (review 16b: a long-lived host's /tmp) against the
 * copy's 4-18 ms, and ran before every copy, at every reload. Whether it swept.
 */
export function sweepIfDue(now = Date.now(), root = tmpdir()): boolean {
  if (now - sweptAt < COPY_LEFT_BEHIND_MS) return false;
  sweptAt = now;
  removeCopiesLeftBehind(root, now);
  return true;
}

/**
 * A private copy of the columns file at `path` (mapPrivateCopies), in a directory of its own to
 * be removed once the copy is mapped; undefined where none can be made (no room, no TMPDIR): the
 * file itself is mapped then, as before.
 */
function privateCopy(path: string): { copy: string; dir: string } | undefined {
  sweepIfDue();
  let dir: string | undefined;
  try {
    dir = mkdtempSync(join(tmpdir(), `${COPY_PREFIX}${ownerTag()}-`));
    const copy = join(dir, basename(path));
    // a reflink where the file system makes one (btrfs, xfs): no bytes copied until one changes
    copyFileSync(path, copy, constants.COPYFILE_FICLONE);
    return { copy, dir };
  } catch {
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
    return undefined;
  }
}

/**
 * Whether this process writes and reads mapped columns files (the server's KZ_OSCE_SNAPSHOT_MAP,
 * set before it loads): off, a snapshot keeps its columns in its own file, and one whose columns
 * are in a mapped file is stale.
 */
export function mapColumns(on: boolean): void {
  mapping = on;
}

/** Whether this process maps columns files (mapColumns): what a child process writing for it is told. */
export function mapsColumns(): boolean {
  return mapping;
}

/**
 * lmdb-js, or null where it cannot be loaded (a platform without its prebuilt binary) or mapping
 * is off (mapColumns): then every snapshot keeps its columns in its own file.
 */
export function loadLmdb(): { open: LmdbOpen } | null {
  if (!mapping) return null;
  if (lmdb !== undefined) return lmdb;
  try {
    lmdb = createRequire(import.meta.url)("lmdb") as { open: LmdbOpen };
  } catch {
    lmdb = null;
  }
  return lmdb;
}

/** The CRC-32 of a whole file, read in pieces (never mapped). */
function fileCrc(path: string): number {
  // a named pipe there must not hold the thread (data-file.ts)
  const { fd } = openRegularFile(path);
  try {
    const chunk = Buffer.allocUnsafe(8 * 1024 * 1024);
    let crc = 0;
    for (let at = 0; ; ) {
      const read = readSync(fd, chunk, 0, chunk.length, at);
      if (read === 0) return crc;
      crc = crc32(chunk.subarray(0, read), crc);
      at += read;
    }
  } finally {
    closeSync(fd);
  }
}

/**
 * Write `block` as a mapped columns file in `root`, under a name no earlier write used; returns
 * what the snapshot's header records of it. The file is complete before it has its name.
 */
export function writeColumnsFile(root: string, block: Buffer): ColumnsFile {
  const lib = loadLmdb();
  if (!lib) throw new Error("lmdb is not available");
  const file = `${COLUMNS_FILE_PREFIX}${randomBytes(8).toString("hex")}`;
  const temporary = join(root, `${file}.${temporaryMark()}.tmp`);
  let whole: number;
  try {
    const store = lib.open({
      path: temporary,
      noSubdir: true,
      encoding: "binary",
      compression: false,
      overlappingSync: false,
      // the value, its pages' headers and LMDB's own pages
      mapSize: block.length + 64 * 1024 * 1024,
    });
    try {
      store.putSync(KEY, block);
    } finally {
      // (closed at once: nothing is left mapped, so the file is never read through a map while written)
      void store.close();
    }
    // every byte of the file, LMDB's own pages too: a flipped bit in them could make LMDB read
    // outside its map, so a file is checked before it is opened (openColumnsFile)
    whole = fileCrc(temporary);
    renameSync(temporary, join(root, file));
  } finally {
    rmSync(temporary, { force: true });
    rmSync(`${temporary}-lock`, { force: true });
  }
  return { file, length: block.length, fileCrc: whole };
}

/** How old a columns file no snapshot names must be before a write removes it. */
const ORPHAN_AGE_MS = 10 * 60 * 1000;
/**
 * How old a temporary file of a write must be before another write removes it: left by a process
 * killed while it wrote (none of a write's temporary files lives longer than its write, seconds
 * at a million entities), never removed by anyone else, each one as large as a snapshot.
 */
const ORPHAN_TEMPORARY_AGE_MS = 60 * 60 * 1000;
/** A temporary file of a write (snapshot.ts, writeColumnsFile), with lmdb-js's lock beside one. */
const TEMPORARY = /^\.kz-osce-snapshot.*\.tmp(?:-lock)?$/;

/**
 * Remove the columns files (and their lock files) of `root` that no current snapshot names:
 * those other than `keep` (the one the caller's snapshot names) and `current` (the one the
 * snapshot in the directory names now: another process may have written it since), once they
 * are ten minutes old. Writers at the same time (replicas on one volume, workers reloading) thus
 * never remove each other's files. Temporary files of writes are removed once an hour old: a
 * write in progress never has one that old. Best effort: it never throws.
 */
export function removeOtherColumnsFiles(
  root: string,
  keep: readonly (string | undefined)[],
  now = Date.now(),
): void {
  try {
    const kept = new Set(keep.filter((name): name is string => name !== undefined));
    for (const name of readdirSync(root)) {
      const file = /^(.*?)(-lock)?$/.exec(name)![1]!;
      const age = TEMPORARY.test(name)
        ? ORPHAN_TEMPORARY_AGE_MS
        : COLUMNS_FILE.test(file) && !kept.has(file)
          ? ORPHAN_AGE_MS
          : undefined;
      if (age === undefined) continue;
      const path = join(root, name);
      try {
        if (now - statSync(path).mtimeMs >= age) rmSync(path, { force: true });
      } catch {
        // gone already, or not ours to remove
      }
    }
  } catch {
    // a directory that cannot be listed keeps its files
  }
}

/** A columns file's name as writeColumnsFile makes it (a temporary one is not). */
const COLUMNS_FILE = new RegExp(`^${COLUMNS_FILE_PREFIX.replace(/\./g, "\\.")}[0-9a-f]{16}$`);

/** Whether `view` is a view into an LMDB memory map (lmdb-js marks the ArrayBuffer of one). */
export function isMapped(view: ArrayBufferView): boolean {
  return (view.buffer as { isSharedMap?: unknown }).isSharedMap === true;
}

/**
 * The columns files this process has open, by device and inode: each opened (mapped) once, its
 * store held here, with the number of readers of its block (openColumnsFile: each graph read
 * from it, and each read under way). A view into an unmapped file ends the process when read, so
 * a file is closed (unmapped) only when its last reader lets it go (releaseColumns): a graph once
 * it is collected (snapshot.ts), when nothing can read its views any more. After a reload, the
 * old graph's file is thus unmapped once that graph is collected, and only then frees its disk
 * space if a later write removed it.
 */
const mapped = new Map<
  string,
  {
    path: string;
    store: LmdbStore;
    block: Buffer;
    readers: number;
    /** A private copy of the file is mapped (mapPrivateCopies), not the file. */
    copied: boolean;
  }
>();
/** The identity (in `mapped`) of each block openColumnsFile returned. */
const mappedBlocks = new WeakMap<Buffer, string>();

/**
 * How much longer each new attempt to map a columns file makes its map (openColumnsFile). lmdb-js
 * (3.5.6) keeps the memory of each map it hands out as a V8 backing store by the map's start
 * address, for good (env.cpp, getSharedBuffer), and gives it to a map made later at the same
 * address, length included. The kernel puts a new map of about the same size where a closed one
 * was (2 MiB-aligned), so a file a little larger than an unmapped one (a reload of a dataset
 * that grew) is read through a store too short for it: "Invalid typed array length"
 * (`node bench/scale/lmdb-remap.mjs`). Mapped again 4 MiB longer (the rest never read), it
 * starts elsewhere, with a store of its own. (A map of more than 4 GiB, whose store lmdb-js caps
 * at 4 GiB, would avoid it too, but V8 counts each store as external memory and collected
 * garbage far more often: /health answered in up to 480 ms during reloads instead of 73.)
 */
const REMAP_STEP_BYTES = 4 * 2 ** 20;
/** Attempts at mapping a columns file whose map lmdb-js gave a store too short for it. */
const MAP_ATTEMPTS = 4;

/**
 * A reader of `block` (from openColumnsFile) is done with it: its file is unmapped when no other
 * reader uses it. Only once nothing will read a view into the block again. A block read from the
 * snapshot's own file (no mapping) is the heap's, and left alone.
 */
export function releaseColumns(block: Buffer): void {
  const identity = mappedBlocks.get(block);
  const open = identity === undefined ? undefined : mapped.get(identity);
  if (open === undefined || open.block !== block || --open.readers > 0) return;
  mapped.delete(identity!);
  mappedBlocks.delete(block);
  open.store.close().catch(() => undefined);
}

/**
 * The columns files this process maps now, by the path each was opened at
 * (`kz_osce_snapshot_columns_files_mapped`).
 */
export function mappedColumnsFiles(): string[] {
  return [...mapped.values()].map((open) => open.path);
}

function columnsFilePath(root: string, columns: ColumnsFile): { path: string; identity: string } {
  if (typeof columns?.file !== "string" || !COLUMNS_FILE.test(columns.file))
    throw new Error(`the snapshot names no columns file it could have written: ${columns?.file}`);
  const path = join(root, columns.file);
  try {
    // checked before lmdb-js opens it by name, which a named pipe there would hold for good
    // (red team 11, F1); data-file.ts. A rename between this and lmdb-js's open is not
    // closed here: the columns file is checked by its CRC (checkColumnsFile) in the child first.
    const { fd } = openRegularFile(path);
    try {
      const stat = fstatSync(fd, { bigint: true });
      return { path, identity: `${stat.dev}:${stat.ino}` };
    } finally {
      closeSync(fd);
    }
  } catch (error) {
    if (error instanceof NotRegularFile)
      throw new Error(
        `the snapshot's columns file ${columns.file} is ${error.kind}, not a regular file`,
      );
    throw new Error(`the snapshot's columns file ${columns.file} is gone`);
  }
}

/**
 * Check a mapped columns file without mapping it (a primary that checks the snapshot for its
 * workers, verifySnapshot): every byte summed with ordinary reads. Throws, with a message for
 * SnapshotUnusable, when it is not the file the header names.
 */
export function checkColumnsFile(root: string, columns: ColumnsFile): void {
  const { path } = columnsFilePath(root, columns);
  if (fileCrc(path) !== columns.fileCrc)
    throw new Error("the snapshot's columns file fails its checksum");
}

/**
 * Map the columns file at `path` and read its value: each attempt whose map lmdb-js gives a store
 * too short for it (a RangeError; REMAP_STEP_BYTES) is closed, and the file mapped again longer.
 */
function mapValue(
  lib: { open: LmdbOpen },
  path: string,
): { store: LmdbStore; value: Buffer | undefined } {
  const size = statSync(path).size;
  for (let attempt = 0; ; attempt++) {
    const store = lib.open({
      path,
      noSubdir: true,
      readOnly: true,
      encoding: "binary",
      compression: false,
      ...(attempt > 0 ? { mapSize: size + attempt * REMAP_STEP_BYTES } : {}),
    });
    try {
      return { store, value: store.getBinaryFast(KEY) };
    } catch (error) {
      store.close().catch(() => undefined);
      if (!(error instanceof RangeError) || attempt + 1 >= MAP_ATTEMPTS) throw error;
    }
  }
}

/**
 * The block of a mapped columns file: a view into its memory map (a copy only where lmdb-js gives
 * one, or the value's place is not 8-byte aligned). Throws, with a message for SnapshotUnusable,
 * when it cannot be opened or is not what the header says. `check`: every byte of the file is
 * summed before LMDB opens it (false: a file another process checked, VerifiedSnapshot). Each
 * call is a reader of the block, which keeps the file mapped until it calls releaseColumns.
 */
export function openColumnsFile(root: string, columns: ColumnsFile, check = true): Buffer {
  const lib = loadLmdb();
  if (!lib)
    throw new Error("the snapshot's columns are in a mapped file, and lmdb is not available");
  const { path, identity } = columnsFilePath(root, columns);
  let open = mapped.get(identity);
  // mapped already: the file is summed again unless what is mapped is a copy summed when made
  if (open !== undefined && check && !open.copied) checkColumnsFile(root, columns);
  if (open === undefined) {
    const copied = privately ? privateCopy(path) : undefined;
    let store: LmdbStore;
    let value: Buffer | undefined;
    try {
      // the copy is checked, not the file: what is mapped is what was summed
      if (check && fileCrc(copied?.copy ?? path) !== columns.fileCrc)
        throw new Error("the snapshot's columns file fails its checksum");
      try {
        ({ store, value } = mapValue(lib, copied?.copy ?? path));
      } catch (error) {
        throw new Error(
          `the snapshot's columns file cannot be opened: ${(error as Error).message}`,
        );
      }
    } finally {
      // mapped (or not): the copy and LMDB's lock file beside it need no name any more
      if (copied !== undefined) rmSync(copied.dir, { recursive: true, force: true });
    }
    if (value === undefined) {
      store.close().catch(() => undefined);
      throw new Error("the snapshot's columns file holds no columns");
    }
    // a view into the map only where lmdb-js says it is one; any other value it returns is in
    // its own buffer, reused by its next read (whose `length`, not `byteLength`, is the value's): copied
    const block =
      isMapped(value) && value.byteOffset % 8 === 0
        ? value
        : Buffer.from(new Uint8Array(value.buffer, value.byteOffset, value.length));
    open = { path, store, block, readers: 0, copied: copied !== undefined };
    mapped.set(identity, open);
    mappedBlocks.set(block, identity);
  }
  open.readers++;
  if (open.block.length !== columns.length) {
    releaseColumns(open.block);
    throw new Error(
      `the snapshot's columns file holds ${open.block.length} bytes, its header says ${columns.length}`,
    );
  }
  return open.block;
}
