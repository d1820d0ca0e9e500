/**
 * The snapshot's columns: the large typed arrays of a graph's indexes (search postings, the path
 * index, tenure spans and the timeline: 142 MiB at a million entities), written as one block of
 * bytes apart from the rest of the indexes, each array at an 8-byte aligned place in it, and read
 * back as views into that block, not as copies.
 *
 * Where the block is kept decides whether processes share it:
 * - **a file of its own, memory-mapped** (at least SHARED_COLUMNS_BYTES, and `lmdb` loads): an
 *   LMDB environment of one value, opened read-only. lmdb-js returns a value of 16 MiB or more as
 *   a view into its memory map, so N workers of one replica hold one copy of the columns, in the
 *   page cache, instead of N copies in their heaps. LMDB maps the file read-only: a write into a
 *   column would end the process (SIGSEGV), so every typed array an index writes after it is
 *   built is kept out of the columns (ClassCodec `inline`), and tests/graph/columns.test.ts holds
 *   that queries leave every column as it was.
 * - **a section of the snapshot's file** otherwise (a small graph, or no `lmdb` on this platform):
 *   read whole into one buffer per process, the arrays views into it.
 *
 * A mapped block is never closed: a view into an unmapped file would crash the process when read,
 * and a process maps the block of the snapshot it started from (a later snapshot is read only by
 * a later start). Each write makes a file of a new name, and removes the blocks of earlier
 * snapshots (a process still mapping one keeps its inode): no two data files ever share a lock
 * file, which LMDB reads its current transaction from.
 */
import { randomBytes } from "node:crypto";
import { existsSync, readdirSync, renameSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { crc32 } from "node:zlib";

/** Typed arrays of at least this many bytes are written as columns; smaller ones stay in the indexes' section. */
export const COLUMN_BYTES = 64 * 1024;

/**
 * A block of columns this large goes to a memory-mapped file of its own: lmdb-js returns values
 * from 16 MiB (its SHARED_BUFFER_THRESHOLD) as views into the map; a smaller one would be copied
 * anyway, so it stays in the snapshot's file.
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
  private readonly placed = new Map<ArrayBufferView, ColumnRef>();
  private readonly views: ArrayBufferView[] = [];
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
      this.views.push(view);
      this.size += Math.ceil(view.byteLength / 8) * 8;
    }
    return ref;
  }

  /** The block's size in bytes. */
  get byteLength(): number {
    return this.size;
  }

  /** The block: every column at its place, `padTo` bytes at least (zeros after the last). */
  bytes(padTo = 0): Buffer {
    const block = Buffer.alloc(Math.max(this.size, padTo));
    for (const view of this.views) {
      const ref = this.placed.get(view)!;
      block.set(new Uint8Array(view.buffer, view.byteOffset, view.byteLength), ref.at);
    }
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
  length: number;
  crc: number;
}

interface LmdbStore {
  putSync(key: string, value: Buffer): unknown;
  getBinaryFast(key: string): Buffer | undefined;
  close(): Promise<void>;
}
type LmdbOpen = (options: Record<string, unknown>) => LmdbStore;

let lmdb: { open: LmdbOpen } | null | undefined;
let mapping = true;

/**
 * Whether this process writes and reads mapped columns files (the server's KZ_OSCE_SNAPSHOT_MAP,
 * set before it loads): off, a snapshot keeps its columns in its own file, and one whose columns
 * are in a mapped file is stale.
 */
export function mapColumns(on: boolean): void {
  mapping = on;
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

/**
 * Write `block` as a mapped columns file in `root`, under a name no earlier write used; returns
 * what the snapshot's header records of it. The file is complete before it has its name.
 */
export function writeColumnsFile(root: string, block: Buffer): ColumnsFile {
  const lib = loadLmdb();
  if (!lib) throw new Error("lmdb is not available");
  const file = `${COLUMNS_FILE_PREFIX}${randomBytes(8).toString("hex")}`;
  const temporary = join(root, `${file}.${process.pid}.tmp`);
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
      void store.close();
    }
    renameSync(temporary, join(root, file));
  } finally {
    rmSync(temporary, { force: true });
    rmSync(`${temporary}-lock`, { force: true });
  }
  return { file, length: block.length, crc: crc32(block) };
}

/** Remove the mapped columns files (and their lock files) of `root` other than `keep`. */
export function removeOtherColumnsFiles(root: string, keep?: string): void {
  let names: string[];
  try {
    names = readdirSync(root);
  } catch {
    return;
  }
  for (const name of names) {
    if (!name.startsWith(COLUMNS_FILE_PREFIX)) continue;
    if (keep !== undefined && (name === keep || name === `${keep}-lock`)) continue;
    rmSync(join(root, name), { force: true });
  }
}

/** Whether `view` is a view into an LMDB memory map (lmdb-js marks the ArrayBuffer of one). */
export function isMapped(view: ArrayBufferView): boolean {
  return (view.buffer as { isSharedMap?: unknown }).isSharedMap === true;
}

/** Mapped columns files opened by this process, by path: opened once, never closed (see above). */
const mapped = new Map<string, Buffer>();

/**
 * The block of a mapped columns file: a view into its memory map (copied only where lmdb-js
 * gives a copy, or the value's place in the map is not 8-byte aligned). Throws, with a message
 * for SnapshotUnusable, when it cannot be opened or is not what the header says; `check` false
 * skips the checksum (a file another process checked, VerifiedSnapshot).
 */
export function openColumnsFile(root: string, columns: ColumnsFile, check = true): Buffer {
  const lib = loadLmdb();
  if (!lib)
    throw new Error("the snapshot's columns are in a mapped file, and lmdb is not available");
  if (typeof columns.file !== "string" || !columns.file.startsWith(COLUMNS_FILE_PREFIX))
    throw new Error(`the snapshot names no columns file it could have written: ${columns.file}`);
  const path = join(root, columns.file);
  let block = mapped.get(path);
  if (block === undefined) {
    if (!existsSync(path)) throw new Error(`the snapshot's columns file ${columns.file} is gone`);
    let value: Buffer | undefined;
    try {
      const store = lib.open({
        path,
        noSubdir: true,
        readOnly: true,
        encoding: "binary",
        compression: false,
      });
      value = store.getBinaryFast(KEY);
    } catch (error) {
      throw new Error(`the snapshot's columns file cannot be opened: ${(error as Error).message}`);
    }
    if (value === undefined) throw new Error("the snapshot's columns file holds no columns");
    // a view into the map only where lmdb-js says it is one; any other value it returns is in
    // its own buffer, reused by its next read: copied
    block =
      isMapped(value) && value.byteOffset % 8 === 0
        ? value
        : Buffer.from(new Uint8Array(value.buffer, value.byteOffset, value.byteLength));
    mapped.set(path, block);
  }
  if (block.length !== columns.length)
    throw new Error(
      `the snapshot's columns file holds ${block.length} bytes, its header says ${columns.length}`,
    );
  if (check && crc32(block) !== columns.crc)
    throw new Error("the snapshot's columns file fails its checksum");
  return block;
}
