/**
 * Reading a data file (a collection, a source text, a snapshot or its columns file) so that what
 * sits at its name can never hold the thread that opens it, and a file that is too large or not
 * UTF-8 is refused saying so. Red team 11 (F1, F2): a named pipe renamed over a reload's snapshot
 * blocked the serving thread in open() for good (24-26 s until the pipe was opened from outside:
 * /health, /ready and SIGTERM all waited), a pipe where `states.json` was wedged a reload's child
 * for good, and a link to /dev/zero had it read zeros until restart. Opened with O_NONBLOCK a pipe's open returns at once, and fstat on the open
 * descriptor (not a stat of the name, which a rename could change between the two) says what it
 * is: anything but a regular file is refused with a message naming it. O_NONBLOCK changes nothing
 * for a regular file's reads.
 */
import { constants as bufferConstants, isUtf8 } from "node:buffer";
import {
  accessSync,
  closeSync,
  constants,
  fstatSync,
  openSync,
  readSync,
  type Stats,
  statSync,
} from "node:fs";
import { dirname } from "node:path";
import { collectionNames } from "./model.js";
import type { Problem } from "./problems.js";

const { MAX_STRING_LENGTH } = bufferConstants;

/** What a file that is not a regular one is, in words. */
export function kindOf(stat: Stats): string {
  if (stat.isDirectory()) return "a directory";
  if (stat.isFIFO()) return "a named pipe (FIFO)";
  if (stat.isCharacterDevice() || stat.isBlockDevice()) return "a device";
  if (stat.isSocket()) return "a socket";
  return "of another kind";
}

/** Thrown for a name that is there but is not a regular file; `code` "ENOTREG". */
export class NotRegularFile extends Error {
  readonly code = "ENOTREG";
  constructor(
    readonly path: string,
    readonly kind: string,
  ) {
    super(`${path} is ${kind}, not a regular file`);
    this.name = "NotRegularFile";
  }
}

/**
 * Open `path` for reading without ever blocking, and only if it is a regular file (links are
 * followed: a link to a regular file is one). Returns the descriptor and its stat; throws the
 * open's own error (ENOENT...) or a NotRegularFile.
 */
export function openRegularFile(path: string): { fd: number; stat: Stats } {
  const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw new NotRegularFile(path, kindOf(stat));
    return { fd, stat };
  } catch (error) {
    closeSync(fd);
    throw error;
  }
}

/**
 * The longest file read whole into one string (a `.json` collection, a source text): V8's longest
 * string. A 1.5 GB `states.json` was read whole (45 s, 1.64 GB of memory) only to be refused as
 * "not valid JSON: Cannot create a string longer than 0x1fffffe8 characters" (red team 11, F6);
 * its size is now refused before a byte is read. A `.ndjson` collection, read in chunks, has no
 * such bound.
 */
export const MAX_WHOLE_FILE_BYTES = MAX_STRING_LENGTH;

/** A size in words: "1.5 GB", "512 MB", "800 bytes". */
export function sizeInWords(bytes: number): string {
  if (bytes >= 1e9) return `${(bytes / 1e9).toFixed(1)} GB`;
  if (bytes >= 1e6) return `${Math.round(bytes / 1e6)} MB`;
  return `${bytes} bytes`;
}

/**
 * Read the whole of a regular file (opened by openRegularFile), refusing one larger than
 * `MAX_WHOLE_FILE_BYTES` with `hint` saying what to do instead.
 */
export function readWholeFile(path: string, hint: string): Buffer {
  const { fd, stat } = openRegularFile(path);
  try {
    if (stat.size > MAX_WHOLE_FILE_BYTES)
      throw new Error(
        `is ${sizeInWords(stat.size)}: larger than the ${sizeInWords(MAX_WHOLE_FILE_BYTES)} a file read whole may be; ${hint}`,
      );
    const bytes = Buffer.allocUnsafe(stat.size);
    let done = 0;
    while (done < bytes.length) {
      const read = readSync(fd, bytes, done, bytes.length - done, done);
      if (read === 0) break;
      done += read;
    }
    return bytes.subarray(0, done);
  } finally {
    closeSync(fd);
  }
}

/** The UTF-8 byte order mark, which some Windows editors write at the start of a file. */
const BOM = [0xef, 0xbb, 0xbf];

/** Whether `bytes` start with the UTF-8 byte order mark. */
export function startsWithBom(bytes: Uint8Array): boolean {
  return bytes.length >= 3 && bytes[0] === BOM[0] && bytes[1] === BOM[1] && bytes[2] === BOM[2];
}

/**
 * Why `bytes` are not UTF-8 ("byte 0xFF at offset 1234"), or undefined when they are. Decoded as
 * UTF-8 regardless, each bad byte became U+FFFD and was served as such with no word in the log
 * (red team 11, F6: `Trailing \xff\xfe bytes.` in a source text answered as `Trailing ��
 * bytes.`). isUtf8 (C++) answers the common case; the offset is only looked for in a bad file.
 * `base`: the offset of `bytes[0]` in its file.
 */
export function notUtf8(bytes: Uint8Array, base = 0): string | undefined {
  if (isUtf8(bytes)) return undefined;
  const at = firstBadSequence(bytes);
  const byte = bytes[at] ?? 0;
  return `not UTF-8: byte 0x${byte.toString(16).toUpperCase().padStart(2, "0")} at offset ${base + at} (save it as UTF-8)`;
}

/** Where the first sequence that is not well-formed UTF-8 (Unicode 15, table 3-7) starts. */
function firstBadSequence(bytes: Uint8Array): number {
  for (let i = 0; i < bytes.length; ) {
    const lead = bytes[i]!;
    if (lead < 0x80) {
      i++;
      continue;
    }
    const follow =
      lead >= 0xc2 && lead <= 0xdf
        ? 1
        : lead >= 0xe0 && lead <= 0xef
          ? 2
          : lead >= 0xf0 && lead <= 0xf4
            ? 3
            : 0;
    if (follow === 0) return i;
    // the second byte's range is narrower after E0, ED, F0 and F4 (no overlong forms, surrogates or past U+10FFFF)
    const low = lead === 0xe0 ? 0xa0 : lead === 0xf0 ? 0x90 : 0x80;
    const high = lead === 0xed ? 0x9f : lead === 0xf4 ? 0x8f : 0xbf;
    const second = bytes[i + 1];
    if (second === undefined || second < low || second > high) return i;
    for (let k = 2; k <= follow; k++) {
      const next = bytes[i + k];
      if (next === undefined || (next & 0xc0) !== 0x80) return i;
    }
    i += follow + 1;
  }
  return bytes.length;
}

/**
 * Why the dataset's directory cannot be loaded from, as the problem to refuse it with: it is not
 * there, it is not a directory, or this process may not list it (r) or open its files (x), or
 * reach it (x on a directory above it). Undefined when it can. Red team 12 (F6): a directory the
 * server's user could not read passed `existsSync` and `stat` (neither needs it), and the list
 * of its files failed unguarded, a start "failed" with the system's stack trace instead of being
 * refused naming the directory and the permission.
 */
export function directoryProblem(root: string): Problem | undefined {
  const missing = {
    file: root,
    message: "the dataset directory does not exist or is not a directory",
  };
  let stat: Stats;
  try {
    stat = statSync(root);
  } catch (error) {
    const code = errorCode(error);
    if (code === "ENOENT" || code === "ENOTDIR") return missing;
    return { file: root, message: cannotReadDirectory(root, error), readError: code };
  }
  if (!stat.isDirectory()) return missing;
  const may = (mode: number) => {
    try {
      accessSync(root, mode);
      return true;
    } catch {
      return false;
    }
  };
  const list = may(constants.R_OK);
  const open = may(constants.X_OK);
  if (list && open) return undefined;
  const lacking = [list ? "" : "list its files (r)", open ? "" : "open them (x)"].filter(Boolean);
  return {
    file: root,
    readError: "EACCES",
    message: `cannot read the dataset directory: permission denied: it is mode ${modeOf(stat)}, owned by uid ${stat.uid} and gid ${stat.gid}, and does not let this process (${whoAmI()}) ${lacking.join(" or ")}; give that user read and search permission on it (r and x: chmod, chown or its group), or run the server as a user that has them`,
  };
}

/** The message for a dataset directory that could not be read: the directory above that stops this process, when that is why. */
export function cannotReadDirectory(root: string, error: unknown): string {
  const code = errorCode(error);
  if (code === "EACCES") {
    for (let above = dirname(root); ; above = dirname(above)) {
      try {
        accessSync(above, constants.X_OK);
      } catch {
        let mode = "";
        try {
          const stat = statSync(above);
          mode = ` (mode ${modeOf(stat)}, owned by uid ${stat.uid} and gid ${stat.gid})`;
        } catch {
          // not even that: said without it
        }
        return `cannot reach the dataset directory: permission denied: the directory above it ${above}${mode} does not let this process (${whoAmI()}) search it (x); give that user search permission on it (x), or run the server as a user that has it`;
      }
      if (dirname(above) === above) break;
    }
  }
  return `cannot read the dataset directory: ${(error as Error).message}`;
}

/** The permission bits of a file, in octal (`755`). */
function modeOf(stat: Stats): string {
  return (stat.mode & 0o7777).toString(8).padStart(3, "0");
}

/** This process's user, as a refusal names it: `uid 65534, gid 65534`. */
function whoAmI(): string {
  return `uid ${process.getuid?.() ?? "?"}, gid ${process.getgid?.() ?? "?"}`;
}

/** The system's code of an error (EACCES...), or undefined for one of another kind. */
export function errorCode(error: unknown): string | undefined {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return typeof code === "string" ? code : undefined;
}

/**
 * Files that editors and tools write beside the ones they edit, and that the loader never reads:
 * vim's swap files and its write test (`4913`), emacs' autosaves and locks, backups (`~`,
 * `.bak`, `.orig`), JetBrains' safe-write copies, macOS' `.DS_Store`, version control.
 */
const EDITOR_FILE =
  /^(?:\..*\.sw[a-px]|.*\.sw[a-px]|4913|#.*#|\.#.*|.*~|.*\.(?:bak|orig|tmp|crswap)|.*___jb_(?:tmp|old)___|\.DS_Store|\.git|node_modules)$/;

/**
 * Whether `name` (a file's name, not its path) is one of those: the watcher ignores it
 * (src/server/dataset-files.ts), and the loader passes over it (load.ts), where it refused an
 * emacs lock (`.#persons.json`, there while a buffer is modified) as an unknown collection file.
 */
export function isEditorFile(name: string): boolean {
  return EDITOR_FILE.test(name);
}

/** The extension of a collection file's name (`.json`, `.ndjson`), undefined for another name. */
export function collectionExtension(name: string): ".json" | ".ndjson" | undefined {
  return name.endsWith(".json") ? ".json" : name.endsWith(".ndjson") ? ".ndjson" : undefined;
}

/**
 * Whether `name`, in a dataset's directory, is a collection file of no collection (`person.json`,
 * a typo of persons.json): the loader refuses the dataset for it (load.ts), and a snapshot is not
 * read while it is there (snapshot.ts), which would otherwise serve a dataset a load refuses.
 */
export function isUnknownCollectionFile(name: string): boolean {
  const extension = collectionExtension(name);
  return (
    extension !== undefined &&
    !isEditorFile(name) &&
    !(collectionNames as readonly string[]).includes(name.slice(0, -extension.length))
  );
}
