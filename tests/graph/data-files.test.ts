/**
 * Hostile data files (red team 11, F1, F2, F6): what sits where a collection, a source text or a
 * snapshot should be is refused with a message naming it, and never holds the thread that opens
 * it. The cases that, unguarded, block in open() for good run in a child process killed after
 * HANG_MS: a thread blocked in a system call cannot be timed out from within (vitest's own
 * timeout runs on the blocked thread), so a hang is seen as the child's kill.
 */
import { execFileSync, spawn } from "node:child_process";
import {
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  symlinkSync,
  truncateSync,
  writeFileSync,
} from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { MAX_WHOLE_FILE_BYTES, notUtf8 } from "../../src/graph/data-file.js";
import { loadJsonGraph } from "../../src/graph/load.js";
import { ensureSnapshot } from "../../src/graph/snapshot/load.js";
import { snapshotPath } from "../../src/graph/snapshot/snapshot.js";
import { formatProblem } from "../../src/graph/validate.js";
import {
  datasetErrorOf,
  exportToTmp,
  makeTmpDir,
  removeDir,
  SOURCE_TEXT_FILE,
} from "../fixtures/datasets.js";
import { childEnv } from "../support/processes.js";
import { bundled } from "../support/server-bundle.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
/** Far past a child's start and its work at load 8 (2-4 s); only a child blocked for good meets it. */
const HANG_MS = 60_000;

const dirs: string[] = [];
function exported(): string {
  const dir = exportToTmp();
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) removeDir(dir);
});

function mkfifo(path: string): void {
  execFileSync("mkfifo", [path]);
}

/**
 * Run `body` (an async function body given `graph`, the URL of src/graph's modules it may import:
 * tests/support/graph-modules.ts, bundled) in a node child, and resolve with what it prints;
 * rejects if it has not ended within HANG_MS (then killed: it hung).
 */
function inChild(body: string): Promise<string> {
  const graph = pathToFileURL(bundled("graph-modules")).href;
  // a file, not -e with --input-type=module, which worker threads inherit (the snapshot's check
  // worker, plain CommonJS, then fails)
  const script = join(makeTmpDir(), "child.mjs");
  dirs.push(dirname(script));
  writeFileSync(script, `const graph = ${JSON.stringify(graph)};\n${body}`);
  const child = spawn(process.execPath, [script], {
    cwd: ROOT,
    env: childEnv(),
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => (out += chunk));
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (out += chunk));
  return new Promise((resolve, reject) => {
    const killer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`the child did not end within ${HANG_MS} ms (hung); its output: ${out}`));
    }, HANG_MS);
    child.once("close", () => {
      clearTimeout(killer);
      resolve(out.trim());
    });
  });
}

function problemsOf(dir: string): string[] {
  return datasetErrorOf(() => loadJsonGraph(dir)).problems.map(formatProblem);
}

describe("a file that is not a regular file", () => {
  it("a named pipe renamed over the snapshot is refused at once as corrupt, not waited on (F1)", async () => {
    const dir = exported();
    await ensureSnapshot(dir);
    const snapshot = snapshotPath(dir);
    mkfifo(`${snapshot}.fifo`);
    renameSync(`${snapshot}.fifo`, snapshot);
    const out = await inChild(`
      const { readSnapshot } = await import(graph);
      try { await readSnapshot(${JSON.stringify(dir)}); console.log("read"); }
      catch (error) { console.log(error.reason + ": " + error.message); }`);
    expect(out).toBe(
      `corrupt: the snapshot at ${snapshot} is a named pipe (FIFO), not a regular file`,
    );
  }, 90_000);

  it("a named pipe where states.json was is refused naming it, by a snapshot's check and by a load (F2)", async () => {
    const dir = exported();
    const states = join(dir, "states.json");
    // the snapshot written by the child itself: one written here is not current for it (its
    // check stops before hashing a byte), and the check's hashing is what is attacked
    const out = await inChild(`
      const { execFileSync } = await import("node:child_process");
      const { rmSync } = await import("node:fs");
      const { ensureSnapshot, loadJsonGraph, verifySnapshot } = await import(graph);
      await ensureSnapshot(${JSON.stringify(dir)});
      rmSync(${JSON.stringify(states)});
      execFileSync("mkfifo", [${JSON.stringify(states)}]);
      try { await verifySnapshot(${JSON.stringify(dir)}); console.log("verified"); }
      catch (error) { console.log(error.reason + ": " + error.message); }
      try { loadJsonGraph(${JSON.stringify(dir)}); console.log("loaded"); }
      catch (error) { console.log(error.problems.map((p) => p.file + ": " + p.message).join("\\n")); }`);
    expect(out).toBe(
      `corrupt: ${states} is not a regular file\n${states}: is a named pipe (FIFO), not a regular file`,
    );
  }, 90_000);

  it("a source text that is a named pipe is refused naming it (F2)", async () => {
    const dir = exported();
    rmSync(join(dir, SOURCE_TEXT_FILE));
    mkfifo(join(dir, SOURCE_TEXT_FILE));
    const out = await inChild(`
      const { loadJsonGraph } = await import(graph);
      try { loadJsonGraph(${JSON.stringify(dir)}); console.log("loaded"); }
      catch (error) { console.log(error.problems.map((p) => p.message).join("\\n")); }`);
    expect(out).toBe(
      `cannot read the source text "${SOURCE_TEXT_FILE}": is a named pipe (FIFO), not a regular file`,
    );
  }, 90_000);

  it("a link to /dev/zero and a directory are refused saying what they are (F2, F6)", () => {
    const dir = exported();
    rmSync(join(dir, "states.json"));
    symlinkSync("/dev/zero", join(dir, "states.json"));
    rmSync(join(dir, "persons.json"));
    mkdirSync(join(dir, "persons.json"));
    expect(problemsOf(dir)).toEqual([
      `${join(dir, "states.json")}: is a device, not a regular file`,
      `${join(dir, "persons.json")}: is a directory, not a regular file`,
    ]);
  });
});

describe("a file's size and bytes", () => {
  it("a .json collection past V8's longest string is refused by its size before it is read (F6)", () => {
    const dir = exported();
    // sparse: no byte is written, and none read unless the size check is missing
    truncateSync(join(dir, "states.json"), MAX_WHOLE_FILE_BYTES + 1);
    expect(problemsOf(dir)).toEqual([
      `${join(dir, "states.json")}: is 537 MB: larger than the 537 MB a file read whole may be; write it as states.ndjson, one entity a line`,
    ]);
  });

  it("bytes that are not UTF-8 are refused with the file and the offset, in .json, .ndjson and a source text (F6)", () => {
    const dir = exported();
    const states = join(dir, "states.json");
    const text = readFileSync(states);
    const at = text.indexOf("Kazakhstan");
    writeFileSync(
      states,
      Buffer.concat([text.subarray(0, at), Buffer.from([0xff, 0xfe]), text.subarray(at)]),
    );
    const persons = JSON.parse(readFileSync(join(dir, "persons.json"), "utf8")) as unknown[];
    rmSync(join(dir, "persons.json"));
    const lines = persons.map((p) => Buffer.from(`${JSON.stringify(p)}\n`));
    // the second line's "é" in Latin-1: one byte 0xE9, then a quote
    const second = Buffer.from(lines[1]!.toString("utf8").replace(/"id"/, '"\u00e9id"'), "latin1");
    writeFileSync(
      join(dir, "persons.ndjson"),
      Buffer.concat([lines[0]!, second, ...lines.slice(2)]),
    );
    const source = join(dir, SOURCE_TEXT_FILE);
    writeFileSync(
      source,
      Buffer.concat([readFileSync(source), Buffer.from("Trailing \xff\xfe bytes.\n", "latin1")]),
    );
    const problems = problemsOf(dir);
    expect(problems).toEqual([
      `${states}: not UTF-8: byte 0xFF at offset ${at} (save it as UTF-8)`,
      `${join(dir, "persons.ndjson")}: line 2: not UTF-8: byte 0xE9 at offset ${lines[0]!.length + 2} (save it as UTF-8)`,
    ]);
    // the source text's is reported once the collections load
    rmSync(join(dir, "persons.ndjson"));
    writeFileSync(join(dir, "persons.json"), JSON.stringify(persons));
    writeFileSync(states, text);
    expect(problemsOf(dir)).toEqual([
      expect.stringMatching(
        new RegExp(
          `cannot read the source text "${SOURCE_TEXT_FILE}": not UTF-8: byte 0xFF at offset \\d+ \\(save it as UTF-8\\)$`,
        ),
      ),
    ]);
  });

  it("a byte order mark at the start of a .json or .ndjson collection is passed over (F6)", () => {
    const dir = exported();
    const bom = Buffer.from([0xef, 0xbb, 0xbf]);
    const states = join(dir, "states.json");
    writeFileSync(states, Buffer.concat([bom, readFileSync(states)]));
    const persons = JSON.parse(readFileSync(join(dir, "persons.json"), "utf8")) as unknown[];
    rmSync(join(dir, "persons.json"));
    writeFileSync(
      join(dir, "persons.ndjson"),
      Buffer.concat([bom, Buffer.from(persons.map((p) => JSON.stringify(p)).join("\n"))]),
    );
    const graph = loadJsonGraph(dir);
    expect(graph.keys.state?.length).toBeGreaterThan(0);
    expect(graph.keys.person?.length).toBe(persons.length);
  });

  it("notUtf8 finds the first bad sequence: stray, overlong, surrogate, past U+10FFFF, cut short", () => {
    const at = (...bytes: number[]) => notUtf8(Buffer.from([0x61, 0x62, ...bytes]));
    expect(at(0xc3, 0xa9, 0xe2, 0x80, 0x94, 0xf0, 0x9f, 0x98, 0x80)).toBeUndefined();
    expect(at(0x80)).toBe("not UTF-8: byte 0x80 at offset 2 (save it as UTF-8)");
    expect(at(0xc0, 0xaf)).toBe("not UTF-8: byte 0xC0 at offset 2 (save it as UTF-8)");
    expect(at(0xe0, 0x80, 0xaf)).toBe("not UTF-8: byte 0xE0 at offset 2 (save it as UTF-8)");
    expect(at(0xc3, 0xa9, 0xed, 0xa0, 0x80)).toBe(
      "not UTF-8: byte 0xED at offset 4 (save it as UTF-8)",
    );
    expect(at(0xf4, 0x90, 0x80, 0x80)).toBe("not UTF-8: byte 0xF4 at offset 2 (save it as UTF-8)");
    expect(at(0xe2, 0x80)).toBe("not UTF-8: byte 0xE2 at offset 2 (save it as UTF-8)");
  });
});
