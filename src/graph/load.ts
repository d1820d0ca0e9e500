/**
 * Loading a dataset into a validated, indexed graph: objects given by the caller (the built-in
 * typed seed modules: data/load.ts), or a directory of JSON files of the same shape
 * (`states.json`, `persons.json`, ...; see docs/data-model.md, "Your own dataset"). Both go
 * through the same validator; on any problem a DatasetError lists them all. Which dataset to
 * load is chosen at the edge (the server's start, a script, a test): this module does not know
 * the built-in one.
 */
import { closeSync, existsSync, readdirSync, readlinkSync, readSync, realpathSync } from "node:fs";
import { basename, join, relative, resolve, sep } from "node:path";
import { ContentHasher } from "./content-hash.js";
import {
  cannotReadDirectory,
  collectionExtension,
  directoryProblem,
  errorCode,
  isUnknownCollectionFile,
  NotRegularFile,
  notUtf8,
  openRegularFile,
  readWholeFile,
  startsWithBom,
} from "./data-file.js";
import { KnowledgeGraph } from "./graph.js";
import { type CollectionName, collectionNames } from "./model.js";
import type { QuotePlaces } from "./text-index.js";
import { DatasetError, type Problem, validateDataset } from "./validate.js";

/** Validate and index a dataset given as objects, whose source texts live in `dir`. */
export function buildGraph(
  input: Record<string, unknown>,
  options: {
    dir: string;
    fileOf: (collection: CollectionName) => string;
    ownsInput?: boolean;
    hasher?: ContentHasher;
    /** Given where validation found each quote (ValidationContext.onQuotePlaces), which the graph does not keep. */
    onQuotePlaces?: (places: QuotePlaces) => void;
  },
): KnowledgeGraph {
  const { hasher } = options;
  const { dataset, texts } = validateDataset(input, {
    fileOf: options.fileOf,
    readSource: (file) => {
      const text = readSourceText(options.dir, file);
      if (hasher && text !== undefined)
        hasher.update(relative(options.dir, resolve(options.dir, file)), text);
      return text;
    },
    ownsInput: options.ownsInput,
    onQuotePlaces: options.onQuotePlaces,
  });
  // a hasher fed the collections' bytes hashes the files; without one, the graph hashes its entities
  return new KnowledgeGraph(dataset, texts, hasher?.digest());
}

/**
 * A dataset directory of JSON files, one per collection: `<collection>.json` holding an array,
 * or `<collection>.ndjson` holding one entity per line (for large collections). `onQuotePlaces`
 * as for buildGraph.
 */
export function loadJsonGraph(
  dir: string,
  options: { onQuotePlaces?: (places: QuotePlaces) => void } = {},
): KnowledgeGraph {
  const root = resolve(dir);
  const unusable = directoryProblem(root);
  if (unusable !== undefined) throw new DatasetError([unusable]);
  let names: string[];
  try {
    names = readdirSync(root);
  } catch (error) {
    // allowed a moment ago (directoryProblem): its mode changed since, or the disk failed
    throw new DatasetError([
      { file: root, message: cannotReadDirectory(root, error), readError: errorCode(error) },
    ]);
  }
  const problems: Problem[] = [];
  for (const name of names) {
    if (isUnknownCollectionFile(name)) {
      const extension = collectionExtension(name);
      const expected = collectionNames.map((c) => `${c}${extension}`).join(", ");
      problems.push({
        file: join(root, name),
        message: `unknown collection file (expected one of ${expected})`,
      });
    }
  }
  const input: Record<string, unknown> = {};
  const fileOf = new Map<CollectionName, string>();
  // the graph's content hash, from the bytes read (content-hash.ts)
  const hasher = new ContentHasher();
  for (const collection of collectionNames) {
    const json = join(root, `${collection}.json`);
    const ndjson = join(root, `${collection}.ndjson`);
    if (existsSync(json) && existsSync(ndjson)) {
      problems.push({
        file: ndjson,
        message: `both ${collection}.json and ${collection}.ndjson: keep one of them`,
      });
      continue;
    }
    if (existsSync(ndjson)) {
      fileOf.set(collection, ndjson);
      const read = readNdjson(ndjson, (bytes) => hasher.update(basename(ndjson), bytes));
      problems.push(...read.problems);
      input[collection] = read.items;
      continue;
    }
    fileOf.set(collection, json);
    if (!existsSync(json)) continue;
    let bytes: Buffer;
    try {
      bytes = readWholeFile(json, `write it as ${collection}.ndjson, one entity a line`);
    } catch (error) {
      problems.push({ file: json, message: cannotRead(error), ...readErrorOf(error) });
      continue;
    }
    hasher.update(basename(json), bytes);
    const bad = notUtf8(bytes);
    if (bad !== undefined) {
      problems.push({ file: json, message: bad });
      continue;
    }
    try {
      // a byte order mark (some Windows editors write one) is passed over, as RFC 8259 allows:
      // JSON.parse quoted it back as an invisible "Unexpected token '﻿'" (red team 11, F6)
      input[collection] = JSON.parse(bytes.toString("utf8", startsWithBom(bytes) ? 3 : 0));
    } catch (error) {
      problems.push({ file: json, message: `not valid JSON: ${(error as Error).message}` });
    }
  }
  if (!existsSync(join(root, "sources.json")) && !existsSync(join(root, "sources.ndjson"))) {
    problems.push({
      file: join(root, "sources.json"),
      message: "missing: a dataset needs sources.json naming its source texts",
    });
  }
  if (problems.length > 0) throw new DatasetError(problems);
  // the parsed JSON is nobody else's: valid entities are kept as parsed
  return buildGraph(input, {
    dir: root,
    fileOf: (collection) => fileOf.get(collection) ?? join(root, `${collection}.json`),
    ownsInput: true,
    hasher,
    onQuotePlaces: options.onQuotePlaces,
  });
}

/**
 * The longest line of a `.ndjson` collection: one entity. Far above any real entity (a text is at
 * most MAX_TEXT_LENGTH characters), and far below what would hold the loading process long.
 */
export const MAX_LINE_BYTES = 16_000_000;

/**
 * A collection as NDJSON: one entity per line (blank lines are skipped). Read in chunks, so a
 * file far larger than the longest string V8 allows loads, and no whole-file string is held.
 */
function readNdjson(
  file: string,
  onBytes: (bytes: Buffer) => void,
): { items: unknown[]; problems: Problem[] } {
  const items: unknown[] = [];
  const problems: Problem[] = [];
  let fd: number;
  try {
    fd = openRegularFile(file).fd;
  } catch (error) {
    return { items, problems: [{ file, message: cannotRead(error), ...readErrorOf(error) }] };
  }
  try {
    const chunk = Buffer.alloc(8 * 1024 * 1024);
    let line = 0;
    /** The offset in the file of the line parsed next. */
    let offset = 0;
    const parseLine = (bytes: Buffer) => {
      line++;
      const at = offset;
      offset += bytes.length + 1;
      // a byte order mark at the start of the file is passed over, as in a .json collection
      const skip = line === 1 && startsWithBom(bytes) ? 3 : 0;
      const bad = notUtf8(bytes, at);
      if (bad !== undefined) {
        if (problems.length < 100) problems.push({ file, message: `line ${line}: ${bad}` });
        return;
      }
      const text = bytes.toString("utf8", skip);
      if (text.trim() === "") return;
      try {
        items.push(JSON.parse(text));
      } catch (error) {
        if (problems.length < 100)
          problems.push({
            file,
            message: `line ${line}: not valid JSON: ${(error as Error).message}`,
          });
      }
    };
    /** A line longer than MAX_LINE_BYTES: refused by its length, its bytes never gathered. */
    const tooLong = (bytes: number) => {
      line++;
      offset += bytes + 1;
      if (problems.length < 100)
        problems.push({
          file,
          message: `line ${line} is ${bytes.toLocaleString("en")} bytes long: longer than the ${MAX_LINE_BYTES.toLocaleString("en")} a line (one entity) may be`,
        });
    };
    // The start of the line being read, while it runs past the chunks read so far: kept as
    // pieces, joined once its end is found (joined at every chunk, a 300 MB line was copied 37
    // times over: 40 s), and not kept at all once it is too long.
    let pieces: Buffer[] = [];
    let pending = 0;
    const endLine = (last: Buffer) => {
      const length = pending + last.length;
      if (length > MAX_LINE_BYTES) tooLong(length);
      else parseLine(pieces.length > 0 ? Buffer.concat([...pieces, last]) : last);
      pieces = [];
      pending = 0;
    };
    for (;;) {
      const read = readSync(fd, chunk, 0, chunk.length, null);
      if (read === 0) break;
      const data = chunk.subarray(0, read);
      onBytes(data);
      let start = 0;
      for (let end = data.indexOf(10, start); end >= 0; end = data.indexOf(10, start)) {
        endLine(data.subarray(start, end));
        start = end + 1;
      }
      pending += read - start;
      // copied: the chunk is read into again
      if (pending <= MAX_LINE_BYTES) pieces.push(Buffer.from(data.subarray(start)));
      else pieces = [];
    }
    if (pending > 0) {
      const last = pieces.pop() ?? Buffer.alloc(0);
      pending -= last.length;
      endLine(last);
    }
  } finally {
    closeSync(fd);
  }
  return { items, problems };
}

/**
 * A source text by its `file` field; throws, saying why, for one that is not inside the dataset
 * directory (named outside it, or a link leading out of it), not there (or a link to nothing),
 * or there but not usable (not a regular file, too large, not UTF-8): the validator reports it
 * with the source.
 */
function readSourceText(dir: string, file: string): string {
  // a source must live inside its dataset directory, also after following links; each refusal
  // says why (the validator's "cannot read the source text ...: why"): a link to /dev/zero, a
  // dangling link and a missing file were all "cannot read the source text" alone (red team 50, F5)
  let root: string;
  try {
    root = realpathSync(dir);
  } catch (error) {
    throw new Error(cannotRead(error));
  }
  const given = resolve(root, file);
  if (!given.startsWith(root + sep)) throw new Error(`it is ${OUTSIDE}`);
  let path: string;
  try {
    path = realpathSync(given);
  } catch (error) {
    // by its code alone: the system's message repeats the path, as long as the name may be
    if (errorCode(error) !== "ENOENT") throw new Error(pathProblem(error));
    let target: string | undefined;
    try {
      target = readlinkSync(given);
    } catch {
      // not a link: no file there
    }
    throw new Error(
      target === undefined ? MISSING : `it is a link to ${target}, which does not exist`,
    );
  }
  if (!path.startsWith(root + sep)) throw new Error(`it is a link to ${path}, ${OUTSIDE}`);
  let bytes: Buffer;
  try {
    bytes = readWholeFile(path, "split it into several sources");
  } catch (error) {
    if (errorCode(error) === "ENOENT") throw new Error(MISSING);
    throw new Error(cannotRead(error));
  }
  const bad = notUtf8(bytes);
  if (bad !== undefined) throw new Error(bad);
  // decoded as before, a byte order mark included: the snapshot's check hashes the text so
  return bytes.toString("utf8");
}

/**
 * Why a source text's path could not be followed, by the system's code (its message names the
 * path, which a name of 100,000 characters made as long: review 42's bound on what a problem
 * quotes).
 */
function pathProblem(error: unknown): string {
  const code = errorCode(error);
  if (code === "ENAMETOOLONG") return "its name is longer than the system allows";
  if (code === "ELOOP") return "it is a link in a loop of links";
  if (code === "ENOTDIR") return "a part of its path is not a directory";
  return `its path cannot be followed (${code ?? (error as Error).message})`;
}

/** Why a source text named outside its dataset's directory is not read. */
const OUTSIDE = "outside the dataset directory: a source text must be inside it";
/** Why a source text that is not there is not read. */
const MISSING = "no such file in the dataset directory";

/** `readError` for a problem of a file the system would not let be read (not one that is not a regular file). */
function readErrorOf(error: unknown): { readError?: string } {
  const code = errorCode(error);
  return code === undefined || error instanceof NotRegularFile ? {} : { readError: code };
}

/** Why a data file could not be read: its kind ("is a named pipe (FIFO), not a regular file"), its size, or the system's error. */
function cannotRead(error: unknown): string {
  if (error instanceof NotRegularFile) return `is ${error.kind}, not a regular file`;
  const message = (error as Error).message;
  return (error as NodeJS.ErrnoException).code === undefined ? message : `cannot read: ${message}`;
}
