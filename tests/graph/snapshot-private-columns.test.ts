/**
 * A mapped columns file truncated under the process that maps it (red team 12, F3 (b): `truncate
 * -s 0` on `.kz-osce-snapshot-columns-*` in the dataset's directory): the process died with SIGBUS
 * at its next read of a column (every worker with --workers). A process maps a private copy
 * (columns.ts, mapPrivateCopies), out of reach of whoever writes the dataset's directory: it reads
 * on. (Without the copy this test's own process is the one that dies.) Only a single process
 * copies (main.ts): workers share the file (tests/graph/snapshot.test.ts holds that they do).
 */
import { readdirSync, rmSync, truncateSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { KnowledgeGraph } from "../../src/graph/graph.js";
import { loadJsonGraph } from "../../src/graph/load.js";
import { SearchIndex } from "../../src/graph/search.js";
import {
  COLUMNS_FILE_PREFIX,
  mapPrivateCopies,
  mappedColumnsFiles,
} from "../../src/graph/snapshot/columns.js";
import { readSnapshot, writeSnapshot } from "../../src/graph/snapshot/snapshot.js";
import { exportToTmp, MAPPED_COLUMNS } from "../fixtures/datasets.js";

let dir: string;
let truth: KnowledgeGraph;

beforeAll(() => {
  // as main.ts sets it in a single process
  mapPrivateCopies(true);
  dir = exportToTmp();
  truth = loadJsonGraph(dir);
  writeSnapshot(dir, truth, SearchIndex.build(truth), undefined, MAPPED_COLUMNS);
});
afterAll(() => {
  mapPrivateCopies(false);
  rmSync(dir, { recursive: true, force: true });
});

describe("a mapped columns file truncated while mapped", () => {
  it("costs the process nothing: it maps a private copy", async () => {
    const graph = await readSnapshot(dir);
    const [file] = readdirSync(dir).filter(
      (name) => name.startsWith(COLUMNS_FILE_PREFIX) && !name.endsWith("-lock"),
    );
    const path = join(dir, file!);
    expect(mappedColumnsFiles()).toContain(path);
    truncateSync(path, 0);
    // every key's place (the key orders, the offsets: columns) and every entity read through them
    for (const key of truth.keys.person)
      expect(graph.get("person", key)?.name.text).toBe(truth.get("person", key)!.name.text);
  });
});
