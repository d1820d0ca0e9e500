/**
 * The synthetic dataset generator (data/synthetic/): the datasets the scale tests and benchmarks
 * run on are valid for the loader, of the asked size and shape, the same for the same seed; and
 * the kept copies (.cache/datasets) are made again when they are not the generator's current output.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { generatedDataset } from "../../data/synthetic/datasets.js";
import { generate } from "../../data/synthetic/generate.js";
import { loadJsonGraph } from "../../src/graph/load.js";

describe("the dataset generator", () => {
  const dir = mkdtempSync(join(tmpdir(), "kz-gen-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("writes a dataset of about the asked size that the validator accepts, as JSON and as NDJSON", () => {
    for (const format of ["json", "ndjson"] as const) {
      const out = join(dir, format);
      const { entities } = generate({ entities: 3000, seed: 7, out, format });
      const graph = loadJsonGraph(out);
      const loaded = Object.values(graph.keys).reduce((n, k) => n + k.length, 0);
      expect(loaded).toBe(entities);
      expect(Math.abs(entities - 3000)).toBeLessThan(60);
      // the shape the scale bench relies on: renamed offices, tenures with open ends, misspellings
      expect(graph.lists.office.some((o) => o.nameHistory.length > 1)).toBe(true);
      expect(graph.lists.tenure.some((t) => t.when.edtf.endsWith("/.."))).toBe(true);
      expect(
        graph.lists.person.some((p) => p.aliases.some((a) => a.kind === "DOCUMENT_SPELLING")),
      ).toBe(true);
    }
  });

  it("writes the same dataset for the same seed", () => {
    const a = generate({ entities: 500, seed: 3, out: join(dir, "a"), format: "json" });
    const b = generate({ entities: 500, seed: 3, out: join(dir, "b"), format: "json" });
    expect(a).toEqual(b);
    expect(loadJsonGraph(join(dir, "a")).lists.person.map((p) => p.name.text)).toEqual(
      loadJsonGraph(join(dir, "b")).lists.person.map((p) => p.name.text),
    );
  });
});

describe("the kept datasets (.cache/datasets)", () => {
  // a size no other test asks for, so that this test owns its folder
  const entities = 321;
  const persons = (dir: string) => join(dir, "persons.json");

  it("keeps a dataset between calls, and makes it again when its marker names another generator", () => {
    const dir = generatedDataset(entities, { seed: 4 });
    try {
      expect(dir).toMatch(/\.cache[/\\]datasets[/\\]321-seed4-json$/);
      const original = readFileSync(persons(dir), "utf8");
      // a kept copy is not rewritten: a mark in it survives the next call
      writeFileSync(persons(dir), original.replace("[", "[ "));
      expect(generatedDataset(entities, { seed: 4 })).toBe(dir);
      expect(readFileSync(persons(dir), "utf8")).not.toBe(original);
      // from an older generator (its marker differs): made again, the mark is gone
      writeFileSync(
        join(dir, ".generated"),
        JSON.stringify({ entities, seed: 4, format: "json", generator: "older" }),
      );
      expect(generatedDataset(entities, { seed: 4 })).toBe(dir);
      expect(readFileSync(persons(dir), "utf8")).toBe(original);
      expect(loadJsonGraph(dir).lists.person.length).toBeGreaterThan(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
