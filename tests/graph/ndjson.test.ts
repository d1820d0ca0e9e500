import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { exportBuiltInDataset } from "../../data/export-json.js";
import { loadJsonGraph, MAX_LINE_BYTES } from "../../src/graph/load.js";
import { DatasetError, formatProblem } from "../../src/graph/validate.js";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** The built-in dataset exported as JSON, with `persons` rewritten as NDJSON (one entity a line). */
function ndjsonDataset(edit: (lines: string[]) => string[] = (l) => l, lastNewline = true): string {
  const dir = mkdtempSync(join(tmpdir(), "kz-ndjson-"));
  dirs.push(dir);
  exportBuiltInDataset(dir);
  const persons = JSON.parse(readFileSync(join(dir, "persons.json"), "utf8")) as unknown[];
  rmSync(join(dir, "persons.json"));
  writeFileSync(
    join(dir, "persons.ndjson"),
    edit(persons.map((p) => JSON.stringify(p))).join("\n") + (lastNewline ? "\n" : ""),
  );
  return dir;
}

function problemsOf(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    if (error instanceof DatasetError) return error.problems.map(formatProblem);
    throw error;
  }
  throw new Error("expected a DatasetError");
}

describe("NDJSON collections", () => {
  it("loads a collection written one entity per line, through the same validator", () => {
    const dir = ndjsonDataset((lines) => ["", ...lines, ""]);
    const graph = loadJsonGraph(dir);
    expect(graph.get("person", "person/gyorgy-szabo")?.name.text).toBe("György Szabó");
  });

  it("names the line of an entity that is not valid JSON", () => {
    const dir = ndjsonDataset((lines) => [lines[0]!, "{not json", ...lines.slice(1)]);
    expect(problemsOf(() => loadJsonGraph(dir))).toEqual([
      expect.stringMatching(/persons\.ndjson: line 2: not valid JSON: /),
    ]);
  });

  it("reports an invalid entity with the NDJSON file's name", () => {
    const dir = ndjsonDataset((lines) =>
      lines.map((l) => l.replace('"state/hungary"', '"state/hungaryy"')),
    );
    expect(problemsOf(() => loadJsonGraph(dir))).toContain(
      `${join(dir, "persons.ndjson")}: person/gyorgy-szabo.nationality.ref: unknown state "state/hungaryy" (did you mean state/hungary?)`,
    );
  });

  it("reports an unknown NDJSON collection file, listing the NDJSON names", () => {
    const dir = ndjsonDataset();
    writeFileSync(join(dir, "people.ndjson"), "");
    expect(problemsOf(() => loadJsonGraph(dir))).toEqual([
      `${join(dir, "people.ndjson")}: unknown collection file (expected one of sources.ndjson, states.ndjson, places.ndjson, dimensions.ndjson, offices.ndjson, persons.ndjson, posts.ndjson, tenures.ndjson, events.ndjson, priorities.ndjson)`,
    ]);
  });

  it("refuses a collection given both as JSON and as NDJSON", () => {
    const dir = ndjsonDataset();
    writeFileSync(join(dir, "persons.json"), "[]");
    expect(problemsOf(() => loadJsonGraph(dir))).toEqual([
      `${join(dir, "persons.ndjson")}: both persons.json and persons.ndjson: keep one of them`,
    ]);
  });

  describe("a line's length", () => {
    /** A line of exactly `bytes` bytes that is not an entity (a JSON string). */
    const lineOf = (bytes: number) => `"${"a".repeat(bytes - 2)}"`;
    /** A person's line with 9 MB of spaces inside it: longer than one read of the file (8 MiB). */
    const padded = (line: string) => `{${" ".repeat(9_000_000)}${line.slice(1)}`;
    const tooLong = (dir: string, line: number, bytes: number) =>
      `${join(dir, "persons.ndjson")}: line ${line} is ${bytes.toLocaleString("en")} bytes long: longer than the ${MAX_LINE_BYTES.toLocaleString("en")} a line (one entity) may be`;

    it("refuses a line longer than MAX_LINE_BYTES by its length, and reads the lines after it", () => {
      const dir = ndjsonDataset((lines) => [
        lines[0]!,
        lineOf(MAX_LINE_BYTES + 1),
        ...lines.slice(1),
      ]);
      expect(problemsOf(() => loadJsonGraph(dir))).toEqual([tooLong(dir, 2, MAX_LINE_BYTES + 1)]);
    });

    it("refuses a last line without a newline that is too long, and takes one of MAX_LINE_BYTES", () => {
      const dir = ndjsonDataset((lines) => [...lines, lineOf(MAX_LINE_BYTES + 1)], false);
      const count = readFileSync(join(dir, "persons.ndjson"), "utf8").split("\n").length;
      expect(problemsOf(() => loadJsonGraph(dir))).toEqual([
        tooLong(dir, count, MAX_LINE_BYTES + 1),
      ]);
      // at the bound the line is read, and then is what it is: not an entity
      const atBound = ndjsonDataset((lines) => [...lines, lineOf(MAX_LINE_BYTES)], false);
      expect(problemsOf(() => loadJsonGraph(atBound))).toEqual([
        `${join(atBound, "persons.ndjson")}: [${count - 1}]: Invalid input: expected object, received string`,
      ]);
    });

    it("reads an entity whose line is longer than one read of the file, within a file and at its end", () => {
      for (const lastNewline of [true, false]) {
        const dir = ndjsonDataset(
          (lines) => [padded(lines[0]!), ...lines.slice(1, -1), padded(lines.at(-1)!)],
          lastNewline,
        );
        const graph = loadJsonGraph(dir);
        expect(graph.dataset.persons.map((p) => p.id)).toEqual([
          "person/gyorgy-szabo",
          "person/madina-jarbussynova",
          "person/nursultan-nazarbayev",
        ]);
      }
    });
  });
});
