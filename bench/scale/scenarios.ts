/** The requests of the scale benchmark, derived from a dataset directory without loading it. */
import { closeSync, existsSync, openSync, readSync } from "node:fs";
import { join } from "node:path";

/** The ids (and some names) of one collection, read from its file with a pattern, not by loading. */
export function idsOf(dir: string, collection: string, limit: number): string[] {
  const file = existsSync(join(dir, `${collection}.ndjson`))
    ? join(dir, `${collection}.ndjson`)
    : join(dir, `${collection}.json`);
  const fd = openSync(file, "r");
  const buffer = Buffer.alloc(4 << 20);
  const ids: string[] = [];
  let text = "";
  for (let n = readSync(fd, buffer); n > 0 && ids.length < limit * 50; n = readSync(fd, buffer)) {
    text = buffer.toString("utf8", 0, n);
    for (const m of text.matchAll(/\{"id":"([a-z]+\/[a-z0-9-]+)"/g)) ids.push(m[1]!);
  }
  closeSync(fd);
  // spread over what was read
  return Array.from(
    { length: Math.min(limit, ids.length) },
    (_, i) => ids[Math.floor((i * ids.length) / Math.min(limit, ids.length))]!,
  );
}

export function wordsOf(dir: string, limit: number): string[] {
  const file = existsSync(join(dir, "persons.ndjson"))
    ? join(dir, "persons.ndjson")
    : join(dir, "persons.json");
  const fd = openSync(file, "r");
  const buffer = Buffer.alloc(1 << 20);
  const n = readSync(fd, buffer);
  closeSync(fd);
  const words = [
    ...buffer.toString("utf8", 0, n).matchAll(/"name":\{"text":"\p{L}+ (\p{L}+)"/gu),
  ].map((m) => m[1]!);
  return [...new Set(words)].slice(0, limit);
}

export interface Scenario {
  name: string;
  bodies: string[];
}
export function scenarios(dir: string): Scenario[] {
  const body = (query: string, variables: Record<string, unknown>) =>
    JSON.stringify({ query, variables });
  const persons = idsOf(dir, "persons", 2000);
  const states = idsOf(dir, "states", 200);
  const words = wordsOf(dir, 200);
  return [
    {
      name: "point",
      bodies: persons.map((key) =>
        body(
          "query Point($key: String!) { person(key: $key) { key name title nationality { key name } } }",
          { key },
        ),
      ),
    },
    {
      name: "paged",
      bodies: states.map((state) =>
        body(
          "query Paged($state: String!) { state(key: $state) { name persons(first: 10) { totalCount pageInfo { hasNextPage endCursor } nodes { key name tenures(first: 5) { totalCount nodes { key when { edtf } post { name } } } } } } }",
          { state },
        ),
      ),
    },
    {
      name: "search",
      bodies: words.map((q) =>
        body(
          "query Search($q: String!) { search(query: $q, first: 10) { totalCount nodes { entity { key label } matchedName score } } }",
          { q },
        ),
      ),
    },
  ];
}
