/**
 * A snapshot of a loaded JSON dataset, written beside it (`.kz-osce-snapshot`), from which a
 * server starts in a fraction of a full load: at a million entities a full load reads and parses
 * 600 MB of JSON, validates every entity and builds every index (over a minute); from the
 * snapshot it hashes the dataset's files, reads the indexes as typed arrays and lists of keys,
 * and makes no entity until a request reads it.
 *
 * When it is used, and when not:
 * - it is keyed by the dataset's content hash (content-hash.ts, the same the server shows as its
 *   graph version): the files it was built from are hashed again at every start, and a snapshot
 *   of other bytes (the dataset changed) is stale: the dataset is loaded and validated in full, as
 *   without a snapshot, and the snapshot written anew. So a snapshot never lets a changed dataset
 *   skip validation; it only skips validating bytes that were validated before.
 * - it is refused when corrupt: every section carries a CRC-32, checked before anything is read
 *   from it (the entities' section too, in one pass), and a snapshot of another format version or
 *   another V8 (whose serialisation may differ) is stale. A refused snapshot is logged, the
 *   dataset loaded in full, and the snapshot rewritten.
 * - it is written atomically (a temporary file renamed), so a reader never sees half of one; a
 *   directory that cannot be written to only costs the snapshot, never the start.
 *
 * Layout: `KZSNAP01`, a u32 length, a JSON header (format, V8 version, content hash, the files it
 * was built from, each section's place and CRC-32; padded with spaces), then the sections, each
 * where the header says: `entities` (each entity's JSON, in the order of its kind's list, each
 * quote written with where it occurs in its text, then the source texts; their offsets are in
 * `state`), `state` (the graph's indexes, codec.ts, in V8's serialisation; lists of entity keys as
 * entity numbers; per kind the key order that replaces the map of every key, key-positions.ts),
 * and `columns` when they are not in a mapped file of their own. (Written in that order, each as
 * it is made: the header, which names their places, goes last into the room left for it.)
 * Entities and texts are read from the file when first asked for (one positioned read each), so
 * N workers share the file through the page cache rather than holding N copies of it.
 *
 * With several workers the primary checks the snapshot once and hands its check to them
 * (VerifiedSnapshot): a worker takes it only while every file is the very one checked.
 */

import { createHash } from "node:crypto";
import {
  closeSync,
  type Dirent,
  fstatSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
  writeSync,
} from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { DefaultDeserializer, DefaultSerializer } from "node:v8";
import { Worker } from "node:worker_threads";
import { crc32 } from "node:zlib";
import { DecidedNames, MultiIndex, ParticipationIndex } from "../core.js";
import { isUnknownCollectionFile, NotRegularFile, openRegularFile } from "../data-file.js";
import { parsePartialDate } from "../dates.js";
import { KnowledgeGraph } from "../graph.js";
import { installedPackages } from "../installed-packages.js";
import { Lineage } from "../lineage.js";
import {
  type CollectionName,
  collectionNames,
  type Entity,
  type EntityKind,
  entityKinds,
  forEachQuote,
  isQuote,
  kindOfCollection,
  type Quote,
} from "../model.js";
import { PathIndex } from "../paths.js";
import { SearchIndex } from "../search.js";
import { TenureSpans } from "../tenure-spans.js";
import { findVerbatim, type QuotePlaces } from "../text-index.js";
import { Timeline } from "../timeline.js";
import { Codec, type DecodeRefs, type EncodeRefs, LazyMap } from "./codec.js";
import {
  COLUMNS_FILE_PREFIX,
  type ColumnRef,
  type ColumnsFile,
  ColumnWriter,
  checkColumnsFile,
  columnView,
  isMapped,
  loadLmdb,
  openColumnsFile,
  releaseColumns,
  removeOtherColumnsFiles,
  SHARED_COLUMNS_BYTES,
  writeColumnsFile,
} from "./columns.js";
import { type KeyOrder, KeyPositions, sortedByKey } from "./key-positions.js";
import { itemReader, lazyList, lazyView } from "./lazy-list.js";
import { Phases } from "./phases.js";
import { makeDirectories, SNAPSHOT_FILE, snapshotHome, temporaryMark } from "./place.js";

export { SNAPSHOT_FILE };

/** The path of the snapshot of the dataset in `dir` (place.ts; `placedIn`: see snapshotHome). */
export function snapshotPath(dir: string, placedIn?: string): string {
  return join(snapshotHome(dir, placedIn), snapshotFileName());
}

/**
 * What of Node a snapshot is written with, beside the code: V8, whose serialisation holds the
 * indexes (`state`), and the ICU data and its Unicode and CLDR versions, by which they were built:
 * the search index holds text folded with `normalize("NFKD")` and lower-casing (search.ts), which
 * follow Unicode's tables, and lists ordered by name with `Intl.Collator` (core.ts), ICU's and
 * CLDR's. A Node built on the system's ICU (Debian's nodejs package, for one) changes them
 * with an `apt upgrade`, V8 unchanged: a snapshot keyed on V8 alone outlived it, and a search read
 * from it could miss what the same search on an index built afresh finds. (`""` where Node has
 * no ICU.)
 */
export interface SnapshotRuntime {
  v8: string;
  icu: string;
  unicode: string;
  cldr: string;
}

/** This process's SnapshotRuntime. */
export function snapshotRuntimeOf(
  versions: NodeJS.ProcessVersions = process.versions,
): SnapshotRuntime {
  const { v8, icu = "", unicode = "", cldr = "" } = versions;
  return { v8, icu, unicode, cldr };
}
const RUNTIME = snapshotRuntimeOf();

/** ICU's versions as a message names them. */
function icuText({ icu, unicode, cldr }: Partial<SnapshotRuntime>): string {
  // a snapshot written before they were kept has none of them (review 21, finding 7)
  if (icu === undefined && unicode === undefined && cldr === undefined)
    return "ICU's versions not recorded (a snapshot of an earlier version)";
  return `ICU ${icu || "none"} (Unicode ${unicode || "none"}, CLDR ${cldr || "none"})`;
}

/**
 * The snapshot's file name for this code: `.kz-osce-snapshot-v<12 hex digits>`, a hash of what a
 * reader needs a snapshot to have been written with (FORMAT, V8's and ICU's versions, the graph
 * code's fingerprint: snapshotFileNameFor). Replicas of two versions of the code sharing a
 * directory (a rolling deploy, a canary, a rollback; or a Node on another ICU) each find their own
 * snapshot: under one name, each found the other's stale, loaded in full (80 s at a million
 * entities) and replaced it, and so on at every start. A write keeps the other version last used
 * beside its own (removeOtherVersions).
 */
export function snapshotFileName(): string {
  versionedName ??= snapshotFileNameFor(RUNTIME, codeOf());
  return versionedName;
}
let versionedName: string | undefined;

/** The snapshot's file name for the graph's code `code` run by `runtime` (snapshotFileName). */
export function snapshotFileNameFor(runtime: SnapshotRuntime, code: string): string {
  const { v8, icu, unicode, cldr } = runtime;
  return `${SNAPSHOT_FILE}-v${createHash("sha256")
    .update(`${FORMAT}\0${v8}\0icu ${icu}\0unicode ${unicode}\0cldr ${cldr}\0${code}`)
    .digest("hex")
    .slice(0, 12)}`;
}

/**
 * Beside a snapshot, the file whose modification time says when a process last read it
 * (`.kz-osce-snapshot-v<hash>.used`): a read of the snapshot itself changes neither its
 * modification nor its change time (a worker takes its primary's check only while those are
 * the ones checked), and its access time is no witness (`relatime` updates it at most daily
 * once read after its write, `noatime` never).
 */
const USED_MARK = ".used";

/** Marks the snapshot at `path` used now (best effort: a read-only directory keeps no mark). */
function markUsed(path: string): void {
  const mark = `${path}${USED_MARK}`;
  try {
    const now = new Date();
    try {
      utimesSync(mark, now, now);
    } catch {
      writeFileSync(mark, "");
    }
  } catch {
    // no mark: the snapshot's own modification time ranks it
  }
}

/** When the snapshot at `path` was last marked used; 0 when never. */
function markedAt(path: string): number {
  try {
    return statSync(`${path}${USED_MARK}`).mtimeMs;
  } catch {
    return 0;
  }
}

/** A snapshot's file of any version: this code's, another's, or one named before versions were (`.kz-osce-snapshot`). */
const SNAPSHOT_OF_ANY_VERSION = /^\.kz-osce-snapshot(?:-v[0-9a-f]{12})?$/;
/**
 * How long another version's snapshot is kept, whatever else: a replica of that version may
 * have written it a moment ago and be about to read it (their writes' time, as for columns files).
 */
const OTHER_VERSION_GRACE_MS = 10 * 60 * 1000;

/**
 * After this code wrote `target`, removes the snapshots of other versions of the code in its
 * directory, but the one last used (written or read: the version serving before this one, for a
 * rollback or a canary serving beside it) and any used in the last ten minutes; then the columns files no
 * snapshot left names. So a directory holds at most two versions' snapshots for long, rather
 * than one per version ever deployed (each as large as the dataset). Best effort: never throws.
 */
function removeOtherVersions(
  home: string,
  target: string,
  ownColumns: string | undefined,
  now = Date.now(),
): void {
  const others: { path: string; used: number }[] = [];
  try {
    for (const name of readdirSync(home)) {
      const path = join(home, name);
      if (!SNAPSHOT_OF_ANY_VERSION.test(name) || path === target) continue;
      try {
        // when it was last used: written (its modification time) or read at a start (its
        // mark's, markUsed), so that the version serving, read at its starts, outranks one
        // rolled back, written later and not read since
        others.push({ path, used: Math.max(statSync(path).mtimeMs, markedAt(path)) });
      } catch {
        // gone already
      }
    }
  } catch {
    // a directory that cannot be listed keeps its files
  }
  others.sort((a, b) => b.used - a.used);
  const kept = [target];
  others.forEach(({ path, used }, i) => {
    if (i === 0 || now - used < OTHER_VERSION_GRACE_MS) kept.push(path);
    else
      try {
        rmSync(path, { force: true });
        rmSync(`${path}${USED_MARK}`, { force: true });
      } catch {
        // not ours to remove (another user's, a directory of that name): left, as is its columns file
        kept.push(path);
      }
  });
  // the blocks of earlier snapshots (a process that maps one keeps it until it exits), but for
  // this one's and those the snapshots kept name (another process may have written one since)
  removeOtherColumnsFiles(home, [ownColumns, ...kept.map(columnsFileNamedIn)], now);
}
const MAGIC = "KZSNAP01";
// raised whenever what is written changes: an older snapshot is then stale, not misread
// (9: dates narrowed by the events bounding them, Dated.startsNotBefore and endsNotBefore;
// 10: each entity's ranks by name, kind and date, GraphCore.ranks; 11: a CRC-32 of each entity
// and source text, checked at its lazy read)
const FORMAT = 11;

/**
 * A fingerprint of the code that builds and reads what a snapshot holds (every module of
 * src/graph, and the packages it runs: GRAPH_PACKAGES): a change to an index's layout that forgot
 * to raise FORMAT (the path labels growing from one byte to two, say) still makes an older
 * snapshot stale instead of misread. Read once.
 * The API's fingerprints (answers' ETags, the RDF exports' too, and cursors) are built on it
 * (src/schema/lists-code.ts, src/server/answers-code.ts).
 */
let codeFingerprint: string | undefined;
export function codeOf(): string {
  return (codeFingerprint ??= codeOnDisk());
}

/**
 * The fingerprint of the graph's code as its files are now, read afresh (codeOf keeps the first):
 * a live reload's child process runs the code on disk, so a server whose code changed under it
 * (a deploy or a `git pull` before the restart) learns that its child's snapshot is not one it can
 * read (src/server/reload.ts).
 */
export function codeOnDisk(): string {
  return graphCodeIn(dirname(dirname(fileURLToPath(import.meta.url))));
}

/**
 * The packages src/graph imports that shape what a snapshot holds: zod's schemas (model.ts) give
 * the values it stores their defaults (`.default([])`, `.default("PRIORITY")`), so an `npm ci` that
 * moves zod (a caret range) must not reuse a snapshot its predecessor built (review 24, finding 5);
 * tsx compiles the code that builds it as it runs (`npm start`, and the snapshot's child process:
 * tsx-child.ts), with its esbuild, counted as the lists' fingerprint counts it (runtime-code.ts).
 * tests/graph/snapshot.test.ts fails on a package src/graph imports and names neither here nor in
 * SNAPSHOT_NEUTRAL_PACKAGES.
 */
export const GRAPH_PACKAGES = ["tsx", "zod"] as const;
/** Packages src/graph imports that shape nothing a snapshot holds: the store of its columns, whose bytes are checked as read. */
export const SNAPSHOT_NEUTRAL_PACKAGES = ["lmdb"] as const;

/** The fingerprint of the graph's code in `graphDir` (src/graph) and of GRAPH_PACKAGES as installed for it (codeOnDisk). */
export function graphCodeIn(graphDir: string): string {
  return fingerprintOfCode(
    graphDir,
    [graphDir],
    installedPackages(GRAPH_PACKAGES, graphDir).join("\0"),
  );
}

/**
 * A fingerprint of the code in `dirs` (every .ts, .js and .mjs file under them, in name order,
 * named relative to `root`), and of `seed`: codeOnDisk's of src/graph, and the code that makes
 * the API's lists and answers (src/schema/lists-code.ts, src/server/answers-code.ts). A directory
 * that cannot be read throws, unless `skipUnreadable` (the answers' fingerprints, made as the app
 * is: a directory there that cannot be read, or one removed during the walk, is left out rather
 * than failing the server's start, as before eb8713d; a snapshot's, whose code must be all of it,
 * throws).
 */
export function fingerprintOfCode(
  root: string,
  dirs: string[],
  seed = "",
  { skipUnreadable = false } = {},
): string {
  const hash = createHash("sha256").update(seed);
  const entriesOf = (dir: string): Dirent[] => {
    try {
      return readdirSync(dir, { withFileTypes: true });
    } catch (error) {
      if (skipUnreadable) return [];
      throw error;
    }
  };
  const walk = (dir: string): void => {
    for (const entry of entriesOf(dir).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (/\.(ts|js|mjs)$/.test(entry.name))
        hash.update(relative(root, path)).update("\0").update(readFileSync(path)).update("\0");
    }
  };
  for (const dir of dirs) walk(dir);
  return hash.digest("hex").slice(0, 32);
}

/**
 * `v8.deserialize(bytes)`, except that no typed array it makes is a view into `bytes`. Node's
 * deserializer makes each typed array whose place in the input is aligned a view into the input
 * rather than a copy, so a few small arrays (a search's table, when it was part of the index; a
 * timeline's kinds) kept the whole index section alive: 209 MiB at 1M entities, in every process, beside the objects
 * made from it. Copying what would be views (about 60 MiB at 1M) lets the section go.
 */
class OwningDeserializer extends DefaultDeserializer {
  constructor(private readonly input: Buffer) {
    super(input);
  }

  _readHostObject(): unknown {
    const view = (
      DefaultDeserializer.prototype as unknown as { _readHostObject(): ArrayBufferView }
    )._readHostObject.call(this);
    if (view.buffer !== this.input.buffer) return view;
    if (view instanceof DataView)
      return new DataView(view.buffer.slice(view.byteOffset, view.byteOffset + view.byteLength));
    // %TypedArray%.prototype.slice copies (a Buffer's own `slice` would make another view)
    return typedArraySlice.call(view);
  }
}
const typedArraySlice = Object.getPrototypeOf(Uint8Array.prototype).slice as (
  this: ArrayBufferView,
) => ArrayBufferView;

/** The parts of the index section, in the order they are written and read. */
const STATE_PARTS = ["keys", "orders", "textPlaces", "fields", "search"] as const;
/**
 * The parts written entry by entry (their names, then each entry's value): the keys of each kind
 * of entity, the graph's indexes. Read whole, either was the longest turn of a reload's read at a
 * million entities (144-250 ms).
 */
const PARTS_BY_ENTRY: ReadonlySet<string> = new Set(["keys", "fields"]);

/**
 * The index section: the state's parts written one after the other by one serializer, so that
 * they are read back one at a time (readState), each in a turn of the event loop of its own.
 */
function serializeState(state: Record<(typeof STATE_PARTS)[number], unknown>): Buffer {
  // Node's serializer (v8.serialize's), which writes typed arrays as the deserializer reads them
  const serializer = new DefaultSerializer();
  serializer.writeHeader();
  for (const part of STATE_PARTS) {
    if (!PARTS_BY_ENTRY.has(part)) {
      serializer.writeValue(state[part]);
      continue;
    }
    const entries = state[part] as Record<string, unknown>;
    serializer.writeValue(Object.keys(entries));
    for (const name of Object.keys(entries)) serializer.writeValue(entries[name]);
  }
  return serializer.releaseBuffer();
}

/**
 * A read of a served graph's snapshot that failed after the snapshot was checked and opened: an
 * entity or a source text read when first asked for (the file truncated or written over in place
 * while served, a disk's read error). The request that asked gets it; the graph's `onUnreadable`
 * listeners hear of the first one (the server reloads the dataset: src/server/app.ts).
 */
export class SnapshotUnreadable extends Error {
  override name = "SnapshotUnreadable";
  constructor(
    /** The snapshot's file. */
    readonly file: string,
    /** What is wrong with what was read. */
    readonly reason: string,
  ) {
    super(`the snapshot ${file} could not be read: ${reason}`);
  }
}

/** Why a lazy read whose bytes fail their CRC-32 failed. */
const CHANGED = "its bytes are not those written (the file written over in place?)";

/** Per graph read from a snapshot: its first failed read, and who is told of it. */
const unreadable = new WeakMap<
  object,
  { failure?: SnapshotUnreadable; listeners: ((failure: SnapshotUnreadable) => void)[] }
>();

/**
 * Calls `listener` at the first read of `graph`'s snapshot that fails while it is served (at once
 * if one already has); never for a graph not read from a snapshot.
 */
export function onUnreadable(
  graph: KnowledgeGraph,
  listener: (failure: SnapshotUnreadable) => void,
): void {
  const state = unreadable.get(graph);
  if (state === undefined) return;
  if (state.failure !== undefined) listener(state.failure);
  else state.listeners.push(listener);
}

/** A snapshot that cannot be used: missing, stale (other data, other format) or corrupt. */
export class SnapshotUnusable extends Error {
  override name = "SnapshotUnusable";
  constructor(
    readonly reason: "missing" | "stale" | "corrupt",
    message: string,
  ) {
    super(message);
  }
}

interface Section {
  offset: number;
  length: number;
  crc: number;
}

interface Header {
  format: number;
  v8: string;
  /** ICU's versions where it was written (SnapshotRuntime; absent before they were recorded). */
  icu?: string;
  unicode?: string;
  cldr?: string;
  /** codeOf() of the server that wrote it */
  code: string;
  contentHash: string;
  /** The dataset's collection files (basenames) when the snapshot was built: another set is another dataset. */
  collectionFiles: string[];
  /** Each source's text file, relative to the directory: read (and hashed) at start, as the full load does. */
  sourceFiles: [id: string, file: string][];
  counts: Record<EntityKind, number>;
  /**
   * `columns`: the indexes' large typed arrays (columns.ts), when they are kept in this file;
   * `columnsFile` names the memory-mapped file that holds them otherwise.
   */
  sections: { state: Section; entities: Section; columns?: Section };
  columnsFile?: ColumnsFile;
}

/** For tests: where the columns go whatever their size, and the least size of their block. */
export interface WriteOptions {
  /** A block of columns larger than this is written to a mapped file (default SHARED_COLUMNS_BYTES). */
  sharedColumnsBytes?: number;
  /** Zeros after the last column up to this size (lmdb-js maps only values larger than 16 MiB). */
  padColumnsTo?: number;
  /** The least size of a typed array written as a column (default COLUMN_BYTES). */
  columnBytes?: number;
  /** Maps of at least this many entries are read back when first used (codec.ts; default 1,024). */
  lazyMapSize?: number;
  /** Written in this directory for snapshots rather than this process's (place.ts, `snapshotHome`). */
  placedIn?: string;
}

const codec = new Codec(
  {
    MultiIndex: { prototype: MultiIndex.prototype },
    DecidedNames: { prototype: DecidedNames.prototype },
    ParticipationIndex: { prototype: ParticipationIndex.prototype },
    TenureSpans: { prototype: TenureSpans.prototype },
    Lineage: { prototype: Lineage.prototype },
    Timeline: {
      prototype: Timeline.prototype,
      // the entries are closures over the timeline: made again as its constructor makes them
      skip: ["entries"],
      revive: (timeline: { entries: unknown; range(descending: boolean): unknown }) =>
        (timeline.entries = timeline.range(false)),
    },
    PathIndex: { prototype: PathIndex.prototype },
    SearchIndex: { prototype: SearchIndex.prototype },
  },
  {
    // a parsed date is an object of a few nested objects; its text is a dozen bytes, parsed in a microsecond
    isDate: (value) =>
      "isInterval" in value && typeof (value as { edtf?: unknown }).edtf === "string",
    reparse: parsePartialDate,
  },
);

/** Fields of the graph the snapshot holds apart (entities, texts) or makes anew (caches, the hash, the lists' readers). */
const GRAPH_APART = new Set([
  "dataset",
  "lists",
  "texts",
  "quoteOffsets",
  "quotesFound",
  "hash",
  "keys",
  "positions",
  "readers",
]);

/** The search index a graph came with (from its snapshot, or built to write one): the server takes it rather than building another. */
const searchIndexes = new WeakMap<KnowledgeGraph, SearchIndex>();
export function prebuiltSearchIndex(graph: KnowledgeGraph): SearchIndex | undefined {
  return searchIndexes.get(graph);
}
export function attachSearchIndex(graph: KnowledgeGraph, search: SearchIndex): void {
  searchIndexes.set(graph, search);
}

/**
 * The collection files of a dataset directory, as the loader finds them, then those of no
 * collection (`person.json`), which the loader refuses the dataset for: a snapshot written when
 * there were none is stale while one is there, and the load that follows says why. A review found
 * a mistyped file added beside a current snapshot served from it, where a load refused it.
 */
function collectionFilesOf(dir: string): string[] {
  const all = readdirSync(dir);
  const names = new Set(all);
  return [
    ...collectionNames
      .flatMap((c) => [`${c}.json`, `${c}.ndjson`])
      .filter((name) => names.has(name)),
    ...all.filter(isUnknownCollectionFile).sort(),
  ];
}

function sourcePath(dir: string, file: string): string | undefined {
  // as load.ts reads a source text: inside the dataset directory, also after following links
  try {
    const root = realpathSync(dir);
    const path = realpathSync(resolve(root, file));
    return path.startsWith(root + sep) ? path : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Write the snapshot of `graph`, loaded (and validated) from `dir`, beside it. Returns the
 * snapshot's path, or throws (the caller decides whether that matters). `quotesFound`: where
 * the load's validation found each quote (ValidationContext.onQuotePlaces), when the write
 * follows the load; without it every quote is looked for again (about 14 s of CPU at 1M).
 * The indexes' large typed arrays go to a block of columns (columns.ts): a memory-mapped file of
 * its own above 16 MiB, shared by every process that reads the snapshot; a section of this one
 * otherwise.
 */
export function writeSnapshot(
  dir: string,
  graph: KnowledgeGraph,
  search: SearchIndex,
  quotesFound?: QuotePlaces,
  options: WriteOptions = {},
): string {
  const root = resolve(dir);
  // where the snapshot and its columns file go (place.ts): beside the dataset, or elsewhere
  const home = snapshotHome(root, options.placedIn);
  if (home !== root) makeDirectories(home);
  graph.buildDeferredIndexes();
  const counts = Object.fromEntries(
    entityKinds.map((kind) => [kind, graph.lists[kind].length]),
  ) as Record<EntityKind, number>;

  // entities: numbered kind by kind in the order of the lists
  const entities = new Map<object, number>();
  const lists = new Map<object, string>();
  let n = 0;
  for (const kind of entityKinds) {
    lists.set(graph.lists[kind], `lists:${kind}`);
    for (const entity of graph.lists[kind]) entities.set(entity, n++);
  }
  for (const collection of collectionNames)
    lists.set(graph.dataset[collection], `dataset:${collection}`);
  const keyNumbers = new Map<string, number>();
  n = 0;
  for (const kind of entityKinds) for (const key of graph.keys[kind]) keyNumbers.set(key, n++);
  const placeOfQuote = quotePlaces(graph, quotesFound);
  const columns = new ColumnWriter(options.columnBytes);
  const refs: EncodeRefs = {
    graph,
    lists,
    entities,
    keyNumbers,
    quotePlace: (object) => (isQuote(object) ? placeOfQuote(object) : undefined),
    column: (view) => columns.add(view),
    lazyMapSize: options.lazyMapSize,
  };

  const fields: Record<string, unknown> = {};
  for (const key of Object.keys(graph)) {
    if (!GRAPH_APART.has(key))
      fields[key] = codec.encode(
        (graph as unknown as Record<string, unknown>)[key],
        refs,
        `graph.${key}`,
      );
  }
  // each collection's order in the files, as positions in its kind's list
  const datasetOrder: Record<string, Int32Array> = {};
  for (const collection of collectionNames) {
    const kind = kindOfCollection[collection];
    const position = new Map<object, number>();
    graph.lists[kind].forEach((e, i) => position.set(e, i));
    datasetOrder[collection] = Int32Array.from(
      graph.dataset[collection] as readonly object[],
      (e) => position.get(e)!,
    );
  }

  const target = join(home, snapshotFileName());
  // the header but for the sections' places and the columns file, made once: the directory's
  // collection files listed when the write begins, not again when it ends
  const header = headerOf(root, graph, counts);
  const file = new SnapshotFile(`${target}.${temporaryMark()}.tmp`, headerRoom(header));
  let columnsFile: ColumnsFile | undefined;
  try {
    // the entities' JSON, one after the other, written to the file as it is made (each entity
    // made a Buffer of its own and the whole joined, the write took 44 s instead of 17-19 at a
    // million entities, and held two copies of its 600 MB: bench/RESULTS.md); offsets relative
    // to the section's start
    const entitySection = file.startSection();
    const offsets = new Float64Array(n + 1);
    // each entity's CRC-32, checked when it is read while served (readSnapshot): the section's
    // own is checked once, at the open, and the file may be written over in place after it
    const crcs = new Uint32Array(n);
    let at = 0;
    let i = 0;
    const quoted = withQuoteOffsets(placeOfQuote);
    for (const kind of entityKinds) {
      for (const entity of graph.lists[kind]) {
        const json = JSON.stringify(entity, quoted);
        crcs[i] = crc32(json);
        offsets[i++] = at;
        at += file.write(json);
      }
    }
    offsets[i] = at;
    // then the source texts, read on first use (LazyTexts) rather than from their files at every start
    const textPlaces: [id: string, start: number, end: number, crc: number][] = [];
    for (const [id, text] of graph.texts) {
      const length = file.write(text);
      textPlaces.push([id, at, at + length, crc32(text)]);
      at += length;
    }
    const entityPlace = entitySection.end();

    const state = serializeState({
      fields,
      keys: graph.keys,
      // columns too, at 1M entities (16 MiB): the graph's `positions` (a map of every key) is read
      // as binary search over keyOrder (key-positions.ts); the entities' places in their section
      orders: codec.encode(
        { keyOrder: sortedByKey(graph.keys), datasetOrder, offsets, crcs },
        refs,
        "orders",
      ),
      textPlaces,
      search: codec.encode(search, refs, "search"),
    });
    const columnBytes = columns.bytes(options.padColumnsTo);
    if (columnBytes.length > (options.sharedColumnsBytes ?? SHARED_COLUMNS_BYTES) && loadLmdb())
      columnsFile = writeColumnsFile(home, columnBytes);
    const stateSection = file.section(state);
    // (read into a buffer of its own, which aligns its columns, wherever it lies)
    const columnSection = file.section(columnsFile ? Buffer.alloc(0) : columnBytes);
    file.finish({
      ...header,
      sections: { state: stateSection, entities: entityPlace, columns: columnSection },
      ...(columnsFile ? { columnsFile } : {}),
    });
    renameSync(file.path, target);
  } catch (error) {
    file.abandon();
    if (columnsFile) rmSync(join(home, columnsFile.file), { force: true });
    throw error;
  }
  removeOtherVersions(home, target, columnsFile?.file);
  return target;
}

/** The header of a snapshot of `graph` (loaded from `root`) but for its sections' places and its columns file. */
function headerOf(
  root: string,
  graph: KnowledgeGraph,
  counts: Record<EntityKind, number>,
): Omit<Header, "sections" | "columnsFile"> {
  return {
    format: FORMAT,
    ...RUNTIME,
    code: codeOf(),
    contentHash: graph.contentHash,
    collectionFiles: collectionFilesOf(root),
    sourceFiles: graph.dataset.sources.map(
      (s) => [s.id, relative(root, resolve(root, s.file))] as [string, string],
    ),
    counts,
  };
}

/**
 * The bytes `header` can take once its sections' places and its columns file are known: it is
 * written first in the file but known last (the sections are written as they are made). Its
 * numbers at their widest, and a columns file named as writeColumnsFile names one.
 */
function headerRoom(header: Omit<Header, "sections" | "columnsFile">): number {
  const widest: Section = {
    offset: Number.MAX_SAFE_INTEGER,
    length: Number.MAX_SAFE_INTEGER,
    crc: 0xffffffff,
  };
  const largest: Header = {
    ...header,
    sections: { state: widest, entities: widest, columns: widest },
    columnsFile: {
      file: `${COLUMNS_FILE_PREFIX}${"f".repeat(16)}`,
      length: Number.MAX_SAFE_INTEGER,
      fileCrc: 0xffffffff,
    },
  };
  return MAGIC.length + 4 + Buffer.byteLength(JSON.stringify(largest));
}

/**
 * A snapshot's file while it is written, under a temporary name: room for the header first, then
 * the sections one after the other, each summed (CRC-32) as its bytes go out through a buffer of
 * 1 MiB, and the header written into its room once every section's place is known.
 */
class SnapshotFile {
  private fd: number | undefined;
  private readonly buffer = Buffer.allocUnsafe(1 << 20);
  private used = 0;
  /** Where the buffer's first byte goes in the file. */
  private position: number;
  private crc = 0;

  constructor(
    readonly path: string,
    private readonly room: number,
  ) {
    this.fd = openSync(path, "w");
    this.position = room;
  }

  /** Starts a section at the end of the file; `end()` gives its place and CRC-32. */
  startSection(): { end: () => Section } {
    this.flush();
    const offset = this.position;
    this.crc = 0;
    return {
      end: () => {
        this.flush();
        return { offset, length: this.position - offset, crc: this.crc };
      },
    };
  }

  /** A section of `bytes`, written whole. */
  section(bytes: Buffer): Section {
    const section = this.startSection();
    this.writeBytes(bytes);
    return section.end();
  }

  /** Appends `text` as UTF-8 to the current section; returns its length in bytes. */
  write(text: string): number {
    // at most 3 bytes per UTF-16 unit: the buffer is flushed first when a text may not fit
    // what is left of it, and a text that may not fit it empty goes out whole
    if (text.length * 3 > this.buffer.length - this.used) {
      this.flush();
      if (text.length * 3 > this.buffer.length) return this.writeBytes(Buffer.from(text, "utf8"));
    }
    const length = this.buffer.write(text, this.used, "utf8");
    this.used += length;
    return length;
  }

  private writeBytes(bytes: Buffer): number {
    this.flush();
    this.append(bytes);
    return bytes.length;
  }

  private flush(): void {
    if (this.used === 0) return;
    this.append(this.buffer.subarray(0, this.used));
    this.used = 0;
  }

  /** Appends `bytes` to the file at its end, summed into the current section's CRC-32. */
  private append(bytes: Buffer): void {
    this.crc = crc32(bytes, this.crc);
    this.out(bytes, this.position);
    this.position += bytes.length;
  }

  private out(bytes: Buffer, position: number): void {
    for (let written = 0; written < bytes.length; )
      written += writeSync(this.fd!, bytes, written, bytes.length - written, position + written);
  }

  /** Writes the header into its room (padded with spaces, which JSON.parse skips) and closes the file. */
  finish(header: Header): void {
    this.flush();
    const json = Buffer.from(JSON.stringify(header));
    const prefix = MAGIC.length + 4;
    if (prefix + json.length > this.room) throw new Error("snapshot: the header outgrew its room");
    const head = Buffer.alloc(this.room, 0x20);
    head.write(MAGIC, 0, "latin1");
    head.writeUInt32LE(this.room - prefix, MAGIC.length);
    json.copy(head, prefix);
    this.out(head, 0);
    const fd = this.fd!;
    this.fd = undefined; // closed once, even if the close fails (abandon then only removes)
    closeSync(fd);
  }

  /** Closes and removes the file (a write that failed), without hiding what made it fail. */
  abandon(): void {
    const fd = this.fd;
    this.fd = undefined;
    try {
      if (fd !== undefined) closeSync(fd);
    } catch {
      // the file is removed all the same
    }
    rmSync(this.path, { force: true });
  }
}

/** The columns file the snapshot at `path` names, whichever version of the code wrote it. */
function columnsFileNamedIn(path: string): string | undefined {
  try {
    const { fd } = openRegularFile(path);
    try {
      const file = readAnyHeader(fd).columnsFile?.file;
      return typeof file === "string" ? file : undefined;
    } finally {
      closeSync(fd);
    }
  } catch {
    return undefined;
  }
}

function readExactly(fd: number, length: number, position: number): Buffer {
  const buffer = Buffer.allocUnsafe(length);
  let done = 0;
  while (done < length) {
    const read = readSync(fd, buffer, done, length - done, position + done);
    if (read === 0)
      throw new SnapshotUnusable(
        "corrupt",
        "the snapshot is shorter than its header says (truncated?)",
      );
    done += read;
  }
  return buffer;
}

/** A snapshot's header as written, by whichever version of the code: unchecked but for its framing. */
function readAnyHeader(fd: number): Header {
  const size = fstatSync(fd).size;
  if (size < MAGIC.length + 4)
    throw new SnapshotUnusable("corrupt", "the snapshot is too short to hold a header");
  const prefix = readExactly(fd, MAGIC.length + 4, 0);
  if (prefix.toString("latin1", 0, MAGIC.length) !== MAGIC)
    throw new SnapshotUnusable("corrupt", "the snapshot does not start with its magic bytes");
  const headerLength = prefix.readUInt32LE(MAGIC.length);
  if (headerLength > size)
    throw new SnapshotUnusable("corrupt", "the snapshot's header length is past its end");
  let header: Header;
  try {
    header = JSON.parse(readExactly(fd, headerLength, prefix.length).toString("utf8")) as Header;
  } catch (error) {
    throw new SnapshotUnusable(
      "corrupt",
      `the snapshot's header is not valid JSON: ${(error as Error).message}`,
    );
  }
  return header;
}

function readHeader(fd: number): Header {
  const size = fstatSync(fd).size;
  const header = readAnyHeader(fd);
  if (header.format !== FORMAT || header.v8 !== RUNTIME.v8) {
    throw new SnapshotUnusable(
      "stale",
      `the snapshot was written by format ${header.format} on V8 ${header.v8}, this server reads format ${FORMAT} on V8 ${RUNTIME.v8}`,
    );
  }
  if (otherIcu(header))
    throw new SnapshotUnusable("stale", `the snapshot was written ${icuChange(header)}`);
  if (header.code !== codeOf()) {
    throw new SnapshotUnusable(
      "stale",
      `the snapshot was written by another version of the graph's code (${String(header.code).slice(0, 12)}, this server's is ${codeOf().slice(0, 12)})`,
    );
  }
  const { state, entities, columns } = header.sections ?? {};
  for (const section of [state, entities, columns]) {
    if (
      !section ||
      !(section.offset >= 0) ||
      !(section.length >= 0) ||
      section.offset + section.length > size
    ) {
      throw new SnapshotUnusable(
        "corrupt",
        "the snapshot's sections lie outside the file (truncated?)",
      );
    }
  }
  return header;
}

/**
 * The source texts of a snapshot-loaded graph, each read from the snapshot when first asked for:
 * at a million entities they are a thousand files and 180 MB, which a start read and decoded
 * before (the dataset's hash, on the other thread, still reads every file). They are the bytes
 * the snapshot was written with, which the hash has shown to be the files' bytes.
 */
class LazyTexts extends LazyMap<string, string> {
  private readonly read = new Map<string, string>();
  constructor(
    private readonly places: ReadonlyMap<string, [number, number, number]>,
    private readonly readText: (start: number, end: number, crc: number) => string,
  ) {
    super((map) => {
      for (const id of places.keys()) map.set(id, this.get(id)!);
    });
  }
  override get(id: string): string | undefined {
    let text = this.read.get(id);
    if (text === undefined) {
      const place = this.places.get(id);
      if (place === undefined) return undefined;
      this.read.set(id, (text = this.readText(place[0], place[1], place[2])));
    }
    return text;
  }
  override has(id: string): boolean {
    return this.places.has(id);
  }
}

/** The indexes of each graph read from a snapshot that fill themselves on first use (`lazyIndexesOf`). */
const lazyIndexes = new WeakMap<KnowledgeGraph, readonly LazyMap<unknown, unknown>[]>();

/**
 * The indexes of `graph` (read from a snapshot) that fill themselves on first use, by parts
 * (codec.ts LazyMap): what src/server/warm.ts fills ahead of requests. None for a graph loaded
 * in full, whose indexes are built at load.
 */
export function lazyIndexesOf(graph: KnowledgeGraph): readonly LazyMap<unknown, unknown>[] {
  return lazyIndexes.get(graph) ?? [];
}

/** The graph a search index read from a snapshot belongs to (a hidden property: it holds the graph alive). */
const OWNER = Symbol("graph");

/**
 * Once a graph read from a snapshot is gone: closes the snapshot's file, and lets go of its
 * columns (a mapped file is unmapped when no other graph reads it: columns.ts, releaseColumns).
 * Nothing can read the graph's views into the columns then: they are reachable through it alone,
 * or through a part of it that holds it (OWNER, the entities' reader). Code that keeps any other
 * part of a graph (an index) must keep the graph with it.
 */
const closer = new FinalizationRegistry<{ fd: number; columns: Buffer }>(({ fd, columns }) => {
  try {
    closeSync(fd);
  } catch {
    // already closed
  }
  releaseColumns(columns);
});

/**
 * The checks that read every byte (the dataset's SHA-256, the entities' CRC-32: about 1.5 s at a
 * million entities) run in a worker thread while this one reads the indexes: a start uses both
 * cores. Plain JavaScript, so that it runs without the TypeScript loader; it hashes as
 * ContentHasher does (a source text as the loader reads it: decoded as UTF-8).
 */
const CHECK_WORKER = `
const { parentPort, workerData } = require("node:worker_threads");
const { createHash } = require("node:crypto");
const { openSync, readSync, closeSync, fstatSync, constants } = require("node:fs");
const { crc32 } = require("node:zlib");
const { files, texts, snapshot, section } = workerData;
const chunk = Buffer.allocUnsafe(8 * 1024 * 1024);
// as data-file.ts: a named pipe opened by name held this thread for good (red team 11, F2)
function openRegular(path) {
  const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  if (!fstatSync(fd).isFile()) { closeSync(fd); throw new Error(path + " is not a regular file"); }
  return fd;
}
function readText(path) {
  const parts = [];
  eachChunk(path, 0, -1, (bytes) => parts.push(Buffer.from(bytes)));
  return Buffer.concat(parts).toString("utf8");
}
function eachChunk(path, offset, length, visit) {
  const fd = openRegular(path);
  try {
    for (let done = 0; length < 0 || done < length; ) {
      const want = length < 0 ? chunk.length : Math.min(chunk.length, length - done);
      const read = readSync(fd, chunk, 0, want, offset + done);
      if (read === 0) { if (length < 0) break; throw new Error("the snapshot is shorter than its header says (truncated?)"); }
      visit(chunk.subarray(0, read));
      done += read;
    }
  } finally { closeSync(fd); }
}
try {
  const began = performance.now();
  const digests = new Map();
  for (const [name, path] of files) {
    const hash = createHash("sha256");
    eachChunk(path, 0, -1, (bytes) => hash.update(bytes));
    digests.set(name, hash.digest("hex"));
  }
  for (const [name, path] of texts) digests.set(name, createHash("sha256").update(readText(path)).digest("hex"));
  const all = createHash("sha256");
  for (const name of [...digests.keys()].sort()) all.update(name + "\\0" + digests.get(name) + "\\n");
  const hashed = performance.now();
  let crc = 0;
  eachChunk(snapshot, section.offset, section.length, (bytes) => (crc = crc32(bytes, crc)));
  // a test's hold (checkThreads.hold): its result waits until the test lets it go
  if (workerData.hold) {
    const gate = new Int32Array(workerData.hold);
    while (Atomics.load(gate, 0) === 0) Atomics.wait(gate, 0, 0, 10);
  }
  parentPort.postMessage({ contentHash: "sha256:" + all.digest("hex"), crc, hashMs: hashed - began, crcMs: performance.now() - hashed });
} catch (error) {
  parentPort.postMessage({ error: String(error && error.message || error) });
}
`;

/** The dataset's content hash and the entity section's CRC-32, computed in a worker thread. */
interface Checked {
  contentHash: string;
  crc: number;
  /** Wall times in the worker thread. */
  hashMs: number;
  crcMs: number;
}
/**
 * The hashing threads of checkInWorker, numbered from 1 as they start, and how each ended:
 * `finished` (it posted its result) or not (stopped: the read it checked for had failed). For
 * tests.
 */
export const checkThreads = {
  started: 0,
  /** Called as each ends. */
  onEnd: undefined as ((thread: number, finished: boolean) => void) | undefined,
  /**
   * When set, each thread started holds its result until the first value is not 0 (polled every
   * 10 ms, so that a stop still ends it): a test of the stop cannot lose the race to a check that
   * finished first (a small dataset's took a few ms, and one run in eleven did).
   */
  hold: undefined as Int32Array | undefined,
};

/**
 * The dataset's hash and the entity section's checksum, computed in a worker thread; `stop` ends
 * it, for a read that failed meanwhile (its check no longer matters: at a million entities, 1.8 s
 * more of a core).
 */
function checkInWorker(
  files: [string, string][],
  texts: [string, string][],
  snapshot: string,
  section: Section,
): { result: Promise<Checked>; stop: () => void } {
  const worker = new Worker(CHECK_WORKER, {
    eval: true,
    workerData: { files, texts, snapshot, section, hold: checkThreads.hold?.buffer },
  });
  const thread = ++checkThreads.started;
  let finished = false;
  const result = new Promise<Checked>((resolvePromise, reject) => {
    // stopped, or ended without a word: settled all the same, so that nothing waits for it
    worker.once("exit", () => {
      checkThreads.onEnd?.(thread, finished);
      if (!finished)
        reject(new SnapshotUnusable("corrupt", "the check of every byte ended unfinished"));
    });
    worker.once("message", (message: Checked & { error?: string }) => {
      finished = true;
      void worker.terminate();
      if (message.error !== undefined) reject(new SnapshotUnusable("corrupt", message.error));
      else resolvePromise(message);
    });
    worker.once("error", reject);
  });
  return { result, stop: () => void worker.terminate() };
}

/**
 * What a process that checked a snapshot and its dataset hands to processes that read them soon
 * after (cluster.ts: the primary to its workers), so that the dataset is hashed once, not once per
 * process: the content hash found, and the identity of every file checked as it was before it was
 * read (device, inode, size, and the modification and change times in nanoseconds). A reader
 * takes the check as its own only if every file is still the very same; a file written since has
 * another change time (which no tool can set back), so a changed dataset is checked in full.
 */
export interface VerifiedSnapshot {
  contentHash: string;
  /** Absolute path → identity (fileIdentity). */
  files: Record<string, string>;
}

function fileIdentity(path: string): string | undefined {
  try {
    const s = statSync(path, { bigint: true });
    return `${s.dev}:${s.ino}:${s.size}:${s.mtimeNs}:${s.ctimeNs}`;
  } catch {
    return undefined;
  }
}

/** Every file a snapshot's check reads: the dataset's collections and source texts, the snapshot and its mapped columns. */
function checkedFiles(
  root: string,
  path: string,
  sourcePaths: readonly [string, string, string][],
  header: Header,
): string[] {
  return [
    ...collectionFilesOf(root).map((name) => join(root, name)),
    ...sourcePaths.map(([, , at]) => at),
    ...snapshotFiles(path, header),
  ];
}

/** The snapshot's own files: it, and its memory-mapped columns file (always beside it) if it has one. */
function snapshotFiles(path: string, header: Header): string[] {
  return [path, ...(header.columnsFile ? [join(dirname(path), header.columnsFile.file)] : [])];
}

/** Whether `verified` vouches for `file` as it is now (the very file checked). */
function vouchedFor(verified: VerifiedSnapshot, file: string): boolean {
  return verified.files[file] !== undefined && verified.files[file] === fileIdentity(file);
}

/**
 * The block of the snapshot's columns (columns.ts): its mapped file's, or its section's read into
 * a buffer of its own. `check` false: the checksum is not computed again (VerifiedSnapshot).
 */
function readColumns(path: string, fd: number, header: Header, check: boolean): Buffer {
  const file = mappedColumnsFile(header);
  if (file) return corrupt(() => openColumnsFile(dirname(path), file, check));
  const section = header.sections.columns!;
  const block = readExactly(fd, section.length, section.offset);
  if (check && crc32(block) !== section.crc)
    throw new SnapshotUnusable("corrupt", "the snapshot's columns section fails its checksum");
  // a buffer of its own (at offset 0 of its memory) unless small enough for Node's pool
  return block.byteOffset % 8 === 0 ? block : Buffer.from(block);
}

/**
 * The snapshot's memory-mapped columns file, if it has one; stale where this process maps none
 * (no lmdb, or KZ_OSCE_SNAPSHOT_MAP=false): a primary that found it current would send its
 * workers to a snapshot each of them then loads in full.
 */
function mappedColumnsFile(header: Header): ColumnsFile | undefined {
  if (header.columnsFile && !loadLmdb())
    throw new SnapshotUnusable(
      "stale",
      "the snapshot's columns are in a memory-mapped file, and lmdb is not available here (or KZ_OSCE_SNAPSHOT_MAP=false)",
    );
  return header.columnsFile;
}

/** `read()`, its error (columns.ts says what is wrong with a column or its file) a corrupt snapshot's. */
function corrupt<T>(read: () => T): T {
  try {
    return read();
  } catch (error) {
    throw new SnapshotUnusable("corrupt", (error as Error).message);
  }
}

/** The identities of `files` now, or undefined if one is missing. */
function identities(files: readonly string[]): Record<string, string> | undefined {
  const out: Record<string, string> = {};
  for (const file of files) {
    const identity = fileIdentity(file);
    if (identity === undefined) return undefined;
    out[file] = identity;
  }
  return out;
}

/** Whether `verified` vouches for exactly these files, unchanged, and this content hash. */
function stillVerified(
  verified: VerifiedSnapshot | undefined,
  contentHash: string,
  files: readonly string[],
): boolean {
  if (verified === undefined || verified.contentHash !== contentHash) return false;
  if (Object.keys(verified.files).length !== files.length) return false;
  return files.every((file) => vouchedFor(verified, file));
}

/**
 * Read the header, compare the dataset's files with those it names, and start the checks of every
 * byte (checkInWorker): `checked` rejects with a SnapshotUnusable when the dataset's content hash
 * or the entities' checksum is not the header's. With `verified` still true of every file (see
 * VerifiedSnapshot), no byte is read again: `checked` resolves at once.
 */
function startChecks(
  root: string,
  path: string,
  fd: number,
  verified?: VerifiedSnapshot,
  asServed = false,
): {
  header: Header;
  sourcePaths: [string, string, string][];
  checked: Promise<Checked | undefined>;
  /** Stops the check under way (its thread), if any. */
  stop: () => void;
  identities: Record<string, string> | undefined;
  trusted: boolean;
} {
  const header = readHeader(fd);
  if (
    asServed &&
    verified !== undefined &&
    verified.contentHash === header.contentHash &&
    snapshotFiles(path, header).every((file) => vouchedFor(verified, file))
  )
    return {
      header,
      // (the texts are the snapshot's own: these only name them)
      sourcePaths: header.sourceFiles.map(([id, file]) => [id, file, resolve(root, file)]),
      checked: Promise.resolve(undefined),
      stop: () => {},
      identities: verified.files,
      trusted: true,
    };
  const files = collectionFilesOf(root);
  if (files.join("\n") !== header.collectionFiles.join("\n")) {
    throw new SnapshotUnusable(
      "stale",
      `the dataset's collection files changed (${header.collectionFiles.join(", ")} then, ${files.join(", ")} now)`,
    );
  }
  const sourcePaths: [string, string, string][] = header.sourceFiles.map(([id, file]) => {
    const at = sourcePath(root, file);
    if (at === undefined) throw new SnapshotUnusable("stale", `the source text ${file} is gone`);
    return [id, relative(root, resolve(root, file)), at];
  });
  const all = checkedFiles(root, path, sourcePaths, header);
  if (stillVerified(verified, header.contentHash, all)) {
    return {
      header,
      sourcePaths,
      checked: Promise.resolve(undefined),
      stop: () => {},
      identities: verified!.files,
      trusted: true,
    };
  }
  // taken before any byte is read: a file written while it is hashed then no longer matches them
  const before = identities(all);
  const entitySection = header.sections.entities;
  const check = checkInWorker(
    files.map((name) => [name, join(root, name)]),
    sourcePaths.map(([, name, at]) => [name, at]),
    path,
    entitySection,
  );
  const checked = check.result.then((result) => {
    if (result.contentHash !== header.contentHash) {
      throw new SnapshotUnusable(
        "stale",
        `the dataset changed since the snapshot was written (${header.contentHash} then, ${result.contentHash} now)`,
      );
    }
    if (result.crc !== entitySection.crc)
      throw new SnapshotUnusable("corrupt", "the snapshot's entity section fails its checksum");
    return result;
  });
  // awaited by the caller once its own work is done; never left unhandled meanwhile
  checked.catch(() => undefined);
  return { header, sourcePaths, checked, stop: check.stop, identities: before, trusted: false };
}

/** Whether `header` was written with ICU data other than this server's. */
function otherIcu(header: Partial<SnapshotRuntime>): boolean {
  return (
    header.icu !== RUNTIME.icu || header.unicode !== RUNTIME.unicode || header.cldr !== RUNTIME.cldr
  );
}

/** What a snapshot's header says of ICU, against this server's, and why that matters. */
function icuChange(header: Partial<SnapshotRuntime>): string {
  return `with ${icuText(header)} where this server runs ${icuText(RUNTIME)}, by which a search index folds text and lists order names`;
}

/**
 * Why there is no snapshot at `path` though another version's is beside it: what the newest of
 * them (by its writing) was written with that this server does not run, or "" when there is none
 * (or it cannot be read). A Node on other ICU data, another V8 or another code finds no snapshot
 * of its name, and the log said only `no snapshot at ...`.
 */
function otherVersionBeside(path: string): string {
  try {
    const home = dirname(path);
    const candidates: { name: string; at: number }[] = [];
    for (const name of readdirSync(home)) {
      if (!SNAPSHOT_OF_ANY_VERSION.test(name)) continue;
      try {
        candidates.push({ name, at: statSync(join(home, name)).mtimeMs });
      } catch {
        // gone since, or a link to nothing
      }
    }
    // the newest whose header reads (of the eight newest: a newer file that is not a snapshot,
    // a corrupt one or a directory hid the other version's, review 21, finding 8)
    candidates.sort((a, b) => b.at - a.at);
    let newest: { name: string; header: Header } | undefined;
    for (const { name } of candidates.slice(0, 8)) {
      try {
        const { fd } = openRegularFile(join(home, name));
        try {
          newest = { name, header: readAnyHeader(fd) };
        } finally {
          closeSync(fd);
        }
        if (typeof newest.header === "object" && newest.header !== null) break;
        newest = undefined;
      } catch {
        // not a snapshot that can be read: the next
      }
    }
    if (newest === undefined) return "";
    const { header } = newest;
    const differs: string[] = [];
    if (header.format !== FORMAT || header.v8 !== RUNTIME.v8)
      differs.push(
        `in format ${header.format} on V8 ${header.v8} where this server reads format ${FORMAT} on V8 ${RUNTIME.v8}`,
      );
    if (otherIcu(header)) differs.push(icuChange(header));
    if (header.code !== codeOf())
      differs.push(
        `by another version of the graph's code (${String(header.code).slice(0, 12)}, this server's is ${codeOf().slice(0, 12)})`,
      );
    return differs.length === 0
      ? ""
      : `; the newest beside it, ${newest.name}, is another version's: written ${differs.join(", and ")}`;
  } catch {
    return "";
  }
}

/**
 * The snapshot's file, opened for reading; a SnapshotUnusable ("missing") when it cannot be: none
 * there (also one that went away as it was opened: a reload's private one, replaced by the next;
 * saying what another version's beside it was written with: otherVersionBeside), or not to be
 * opened by this process.
 */
function openSnapshot(path: string): number {
  try {
    // never openSync(path, "r"): a named pipe renamed over a reload's snapshot held the serving
    // thread in open() for good (red team 11, F1); data-file.ts
    return openRegularFile(path).fd;
  } catch (error) {
    if (error instanceof NotRegularFile)
      throw new SnapshotUnusable(
        "corrupt",
        `the snapshot at ${path} is ${error.kind}, not a regular file`,
      );
    const code = (error as NodeJS.ErrnoException).code;
    throw new SnapshotUnusable(
      "missing",
      code === "ENOENT" || code === "ENOTDIR"
        ? `no snapshot at ${path}${otherVersionBeside(path)}`
        : `the snapshot at ${path} cannot be opened: ${(error as Error).message}`,
    );
  }
}

/**
 * Check that the snapshot of `dir` is current and whole (every byte: the dataset's hash, both
 * sections' checksums), reading no index; throws a SnapshotUnusable saying why not. Returns what
 * a process reading it soon after may take as checked (VerifiedSnapshot).
 */
export async function verifySnapshot(dir: string): Promise<VerifiedSnapshot> {
  const root = resolve(dir);
  const path = snapshotPath(root);
  const fd = openSnapshot(path);
  /** Stops the check of every byte, if this one fails before it ends (as readSnapshot does). */
  let stopCheck: (() => void) | undefined;
  let done = false;
  try {
    const { header, checked, stop, identities: files } = startChecks(root, path, fd);
    stopCheck = stop;
    const state = header.sections.state;
    if (crc32(readExactly(fd, state.length, state.offset)) !== state.crc)
      throw new SnapshotUnusable("corrupt", "the snapshot's index section fails its checksum");
    // a mapped file summed, not mapped: this process (a primary) does not read the graph
    const file = mappedColumnsFile(header);
    if (file) corrupt(() => checkColumnsFile(dirname(path), file));
    else readColumns(path, fd, header, true);
    await checked;
    done = true;
    if (files === undefined)
      throw new SnapshotUnusable("stale", "a file of the dataset went away while it was checked");
    markUsed(path);
    return { contentHash: header.contentHash, files };
  } finally {
    if (!done) stopCheck?.();
    closeSync(fd);
  }
}

/** Whether the snapshot of `dir` is current and whole (true), or why not; reads no index. */
export async function snapshotStatus(dir: string): Promise<true | string> {
  try {
    await verifySnapshot(dir);
    return true;
  } catch (error) {
    return error instanceof SnapshotUnusable
      ? `${error.reason}: ${error.message}`
      : `unreadable: ${(error as Error).message}`;
  }
}

export interface ReadOptions {
  /** A check made by another process moments ago (VerifiedSnapshot), taken if still true of every file. */
  verified?: VerifiedSnapshot;
  /**
   * With `verified`: the snapshot is the graph other processes serve, and is read though the
   * dataset's files changed since it was checked (a live reload refused them: see
   * src/server/cluster.ts), as long as the snapshot's own files (it, its columns file) are those
   * checked and its content hash the check's. Without it, a changed dataset makes it stale.
   */
  asServed?: boolean;
  /**
   * The snapshot is in this directory for snapshots rather than this process's (place.ts,
   * `snapshotHome`): a live reload's private one (src/server/reload.ts).
   */
  placedIn?: string;
  /** Where the time goes, phase by phase. */
  phases?: Phases;
}

interface State {
  fields: Record<string, unknown>;
  keys: Record<EntityKind, string[]>;
  orders: unknown;
  textPlaces: [id: string, start: number, end: number, crc: number][];
  search: unknown;
}

/**
 * The index section, read, checked (unless `trusted`: a file the process that vouches for it
 * checked is the same bytes) and deserialised. Its bytes are this function's alone, so that they
 * can be collected as soon as it returns: held by readSnapshot's suspended frame, they lived
 * until its end (94 MiB at a million entities, still held at the first answer).
 */
async function readState(
  fd: number,
  section: Section,
  trusted: boolean,
  phases: Phases,
): Promise<State> {
  const bytes = readExactly(fd, section.length, section.offset);
  phases.mark(`read indexes (${Math.round(section.length / 2 ** 20)} MiB)`);
  if (!trusted && crc32(bytes) !== section.crc)
    throw new SnapshotUnusable("corrupt", "the snapshot's index section fails its checksum");
  phases.mark(trusted ? "index checksum (vouched for)" : "index checksum");
  const state: Partial<State> = {};
  try {
    const deserializer = new OwningDeserializer(bytes);
    deserializer.readHeader();
    // part by part, a turn each (the keys and the indexes entry by entry): at 1M entities the
    // whole was about 0.4 s in one piece
    for (const part of STATE_PARTS) {
      await turn();
      if (!PARTS_BY_ENTRY.has(part)) {
        (state as Record<string, unknown>)[part] = deserializer.readValue();
        continue;
      }
      const names: unknown = deserializer.readValue();
      if (!Array.isArray(names) || !names.every((name) => typeof name === "string"))
        throw new Error(`the names of its ${part} are not names`);
      const entries: Record<string, unknown> = {};
      for (const name of names) {
        await turn();
        Object.defineProperty(entries, name, {
          value: deserializer.readValue(),
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
      (state as Record<string, unknown>)[part] = entries;
    }
  } catch (error) {
    throw new SnapshotUnusable(
      "corrupt",
      `the snapshot's index section cannot be read: ${(error as Error).message}`,
    );
  }
  phases.mark("deserialize");
  return state as State;
}

/**
 * The graph of the dataset in `dir` from its snapshot, or a SnapshotUnusable saying why not
 * (missing, stale: the dataset's bytes are not those it was built from, corrupt).
 */
export async function readSnapshot(
  dir: string,
  options: ReadOptions = {},
): Promise<KnowledgeGraph> {
  const phases = options.phases ?? new Phases();
  const root = resolve(dir);
  const path = snapshotPath(root, options.placedIn);
  const fd = openSnapshot(path);
  let owned = true;
  /** The columns, once read: let go of if the read fails. */
  let held: Buffer | undefined;
  /** Stops the check of every byte, if the read fails before it ends. */
  let stopCheck: (() => void) | undefined;
  try {
    const { header, sourcePaths, checked, stop, trusted } = startChecks(
      root,
      path,
      fd,
      options.verified,
      options.asServed,
    );
    stopCheck = stop;
    const { state: stateSection, entities: entitySection } = header.sections;
    phases.mark("header");
    const columns = readColumns(path, fd, header, !trusted);
    held = columns;
    const size = `${Math.round(columns.length / 2 ** 20)} MiB`;
    phases.mark(
      isMapped(columns)
        ? `map columns (${size})`
        : `read columns${header.columnsFile ? " from their file" : ""} (${size})`,
    );
    const state = await readState(fd, stateSection, trusted, phases);
    await turn();
    const column = (ref: unknown) => corrupt(() => columnView(columns, ref as ColumnRef));
    const unexpected = () => {
      throw new SnapshotUnusable("corrupt", "the snapshot's key orders name more than columns");
    };
    const { keyOrder, datasetOrder, offsets, crcs } = codec.decode(state.orders, {
      graph: {},
      list: unexpected,
      entity: unexpected,
      key: unexpected,
      quote: unexpected,
      column,
    }) as {
      keyOrder: KeyOrder;
      datasetOrder: Record<CollectionName, Int32Array>;
      offsets: Float64Array;
      crcs: Uint32Array;
    };
    if (!(offsets instanceof Float64Array))
      throw new SnapshotUnusable("corrupt", "the snapshot's entity offsets are not numbers");

    // entities, made on first access: one positioned read and a JSON.parse each
    const bases = new Map<EntityKind, number>();
    let total = 0;
    for (const kind of entityKinds) {
      bases.set(kind, total);
      total += header.counts[kind];
    }
    // the kind of entity number n: the last whose numbers start at n or before
    const kindAt = (n: number): EntityKind => {
      let kind: EntityKind = entityKinds[0];
      for (const k of entityKinds) if (bases.get(k)! <= n) kind = k;
      return kind;
    };
    // (what the closures below need is taken out of `state`: a closure that named `state` would
    // keep all of it, the encoded indexes included, as long as the graph lives)
    if (offsets.length !== total + 1)
      throw new SnapshotUnusable(
        "corrupt",
        "the snapshot's entity offsets do not match its counts",
      );
    if (!(crcs instanceof Uint32Array) || crcs.length !== total)
      throw new SnapshotUnusable(
        "corrupt",
        "the snapshot's entity checksums do not match its counts",
      );
    // every entity's key by its number: what the indexes' lists of keys are read back as (codec.ts,
    // "keys"), millions of times while the indexes are decoded. Let go once they are (a pointer
    // per entity, 7.6 MiB at 1M, beside the same strings in `keys`): the lazy maps filled later
    // find a key through its kind
    let allKeys: string[] | undefined = [];
    const keysOf = state.keys;
    for (const kind of entityKinds) {
      const keys = state.keys[kind];
      if (keys?.length !== header.counts[kind] || keyOrder[kind]?.length !== keys.length) {
        throw new SnapshotUnusable(
          "corrupt",
          `the snapshot's keys of ${kind} do not match its counts`,
        );
      }
      for (const key of keys) allKeys.push(key);
    }
    // where each quote occurs, as written beside it (withQuoteOffsets, the codec's "quote"): the graph's
    const quoteOffsets = new Map<object, number>();
    // One object per distinct quote of a source, as a full load shares them (validate.ts,
    // shareProvenance): the same sentence backs many facts, JSON.parse and V8's deserializer make
    // each of its copies a string of its own, and the entities read are kept. At 100k, the
    // indexes' own copies alone were 30,773 quotes of 15,643 texts and 53 sources. (Looked up by
    // text: by place, the quotes that start at one place had to be told apart, and more memory
    // went to that than it saved; bench/RESULTS.md, "One object per quote".)
    const quotesBySource = new Map<string, { source: string; byText: Map<string, object> }>();
    const placed = (source: string, quote: string, at: number): object => {
      let known = quotesBySource.get(source);
      if (known === undefined) quotesBySource.set(source, (known = { source, byText: new Map() }));
      const same = known.byText.get(quote);
      if (same !== undefined) return same;
      const plain = Object.freeze({ source: known.source, quote });
      known.byText.set(quote, plain);
      quoteOffsets.set(plain, at);
      return plain;
    };
    // the graph, once made. A part of it that reads the mapped columns keeps the whole graph
    // alive, so that its columns stay mapped (closer): the entities' lists and the dataset's views
    // through this reader, the search index through OWNER below. A part kept without the graph
    // would otherwise read an unmapped file once the graph is collected, and end the process.
    const owner: { graph?: object } = {};
    const failures: {
      failure?: SnapshotUnreadable;
      listeners: ((f: SnapshotUnreadable) => void)[];
    } = { listeners: [] };
    // a read once the snapshot is served: what fails is said as what is wrong with the file (its
    // size now, if shorter than the header says), and the graph's listeners told of the first
    const served = <T>(what: string, read: () => T): T => {
      try {
        return read();
      } catch (error) {
        let reason = `${what}: ${(error as Error).message}`;
        if (error instanceof SnapshotUnusable && /shorter/.test(error.message)) {
          let now = "?";
          try {
            now = String(fstatSync(fd).size);
          } catch {}
          reason = `${what}: the file is ${now} bytes, its header says ${entitySection.offset + entitySection.length} or more (truncated while served?)`;
        }
        const failure = new SnapshotUnreadable(path, reason);
        if (failures.failure === undefined) {
          failures.failure = failure;
          for (const listener of failures.listeners.splice(0)) listener(failure);
        }
        throw failure;
      }
    };
    const entityAt = (n: number): Entity => {
      void owner;
      return served(`entity ${n}`, () => {
        const start = offsets[n]!;
        const bytes = readExactly(fd, offsets[n + 1]! - start, entitySection.offset + start);
        if (crc32(bytes) !== crcs[n]) throw new Error(CHANGED);
        return decodeEntity(JSON.parse(bytes.toString("utf8")), placed) as Entity;
      });
    };
    const lists = Object.fromEntries(
      entityKinds.map((kind) => {
        const base = bases.get(kind)!;
        return [kind, lazyList(header.counts[kind], (i) => entityAt(base + i))];
      }),
    ) as Record<EntityKind, readonly Entity[]>;
    const dataset = Object.fromEntries(
      collectionNames.map((collection) => {
        const read = itemReader(lists[kindOfCollection[collection]]);
        const order = datasetOrder[collection];
        return [collection, lazyView(order.length, (i) => read(order[i]!)!)];
      }),
    );

    const graph = Object.create(KnowledgeGraph.prototype) as Record<string, unknown>;
    const refs: DecodeRefs = {
      graph,
      // an index's own copy of a quote (codec.ts, "quote"): placed as the entities' quotes are
      quote: placed,
      list: (name) => {
        const [where, which] = name.split(":") as [string, string];
        return (
          where === "lists"
            ? lists[which as EntityKind]
            : (dataset as Record<string, readonly unknown[]>)[which]
        )!;
      },
      entity: (n) => {
        const kind = kindAt(n);
        return lists[kind][n - bases.get(kind)!];
      },
      column,
      key: (n) => {
        let key: string | undefined;
        if (allKeys) key = allKeys[n];
        else if (n >= 0 && n < total) {
          const kind = kindAt(n);
          key = keysOf[kind][n - bases.get(kind)!];
        }
        if (key === undefined)
          throw new SnapshotUnusable("corrupt", `the snapshot names entity ${n}, of ${total}`);
        return key;
      },
    };
    const positions = new KeyPositions(state.keys, keyOrder);
    const sources = new Set(sourcePaths.map(([id]) => id));
    const textPlaces = new Map<string, [number, number, number]>();
    for (const [id, start, end, crc] of state.textPlaces) {
      if (
        !sources.has(id) ||
        !(start >= 0 && start <= end && end <= entitySection.length) ||
        !Number.isInteger(crc)
      )
        throw new SnapshotUnusable(
          "corrupt",
          `the snapshot's place of the text of ${id} is not one`,
        );
      textPlaces.set(id, [start, end, crc]);
    }
    const texts = new LazyTexts(textPlaces, (start, end, crc) =>
      served(`a source text at ${start}`, () => {
        const bytes = readExactly(fd, end - start, entitySection.offset + start);
        if (crc32(bytes) !== crc) throw new Error(CHANGED);
        return bytes.toString("utf8");
      }),
    );
    Object.assign(graph, {
      dataset,
      lists,
      texts,
      keys: state.keys,
      positions,
      quoteOffsets,
      quotesFound: new WeakMap(),
      hash: header.contentHash,
      readers: undefined,
    });
    // index by index, a turn each; those filled on first use, kept for the warm-up to fill ahead
    const lazyMaps: LazyMap<unknown, unknown>[] = [];
    refs.lazyMap = (map) => lazyMaps.push(map);
    for (const name of Object.keys(state.fields)) {
      await turn();
      graph[name] = codec.decode(state.fields[name], refs);
    }
    // (the search index's are filled by the first search, as they were)
    refs.lazyMap = undefined;
    await turn();
    const search = codec.decode(state.search, refs) as SearchIndex;
    allKeys = undefined;
    phases.mark("decode");

    const check = await checked;
    phases.mark("wait for the hash");
    if (check) {
      phases.add({
        name: "hash (other thread)",
        wallMs: Math.round(check.hashMs),
        cpuMs: Number.NaN,
      });
      phases.add({
        name: "entity checksum (other thread)",
        wallMs: Math.round(check.crcMs),
        cpuMs: Number.NaN,
      });
    }

    const result = graph as unknown as KnowledgeGraph;
    lazyIndexes.set(result, lazyMaps);
    owner.graph = result;
    Object.defineProperty(search, OWNER, { value: result });
    searchIndexes.set(result, search);
    closer.register(result, { fd, columns });
    unreadable.set(result, failures);
    owned = false;
    markUsed(path);
    return result;
  } finally {
    if (owned) {
      stopCheck?.();
      closeSync(fd);
      if (held !== undefined) releaseColumns(held);
    }
  }
}

/**
 * One turn of the event loop: a snapshot is read in parts, each a turn of its own, so that a
 * server reading one while it serves (a live reload, src/server/reload.ts) answers requests
 * between them (at 1M entities the read is about a second: the deserializing and the decoding of
 * the indexes are its largest parts).
 */
function turn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * Where each quote of a graph occurs in its text: as `given` (validation's findVerbatim), or
 * found for all of them at once the same way (one text's index alive at a time); either is what
 * GraphCore.quoteOffset would place each alone (the same rule, text-index.ts `placeOf`), without
 * filling the graph's own record of what was asked.
 */
function quotePlaces(graph: KnowledgeGraph, given?: QuotePlaces): (quote: Quote) => number {
  let found = given;
  if (found === undefined) {
    const bySource = new Map<string, Set<string>>();
    const add = ({ source, quote }: Quote) => {
      const set = bySource.get(source);
      if (set) set.add(quote);
      else bySource.set(source, new Set([quote]));
    };
    for (const kind of entityKinds)
      for (const entity of graph.lists[kind]) forEachQuote(entity, add);
    found = findVerbatim(graph.texts, bySource, new Map()).found;
  }
  const places = found;
  return (quote) => places.get(quote.source)?.get(quote.quote) ?? graph.quoteOffset(quote);
}

/**
 * JSON.stringify's replacer for an entity written to a snapshot: a quote (`{source, quote}`, the
 * model's strict shape) is written with where it occurs in its text (`at`), so that a snapshot's
 * graph knows it without looking for the quote again.
 */
function withQuoteOffsets(placeOf: (quote: Quote) => number) {
  return (_key: string, value: unknown): unknown =>
    isQuote(value) ? { source: value.source, quote: value.quote, at: placeOf(value) } : value;
}

/**
 * An entity read back from its JSON: frozen all through, as the loaded graph's are, with each
 * quote written with its offset (withQuoteOffsets) made a `{source, quote}` again by `placed`,
 * which keeps its offset.
 */
function decodeEntity(
  value: unknown,
  placed: (source: string, quote: string, at: number) => object,
): unknown {
  if (value === null || typeof value !== "object") return value;
  const object = value as Record<string, unknown>;
  const { at, source, quote } = object;
  if (typeof at === "number" && typeof source === "string" && typeof quote === "string")
    return placed(source, quote, at);
  for (const key of Object.keys(object)) {
    const item = object[key];
    if (item !== null && typeof item === "object") {
      const decoded = decodeEntity(item, placed);
      if (decoded !== item) object[key] = decoded;
    }
  }
  return Object.freeze(object);
}
