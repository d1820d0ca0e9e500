/**
 * "Did you mean" as it was before suggestions were bounded (src/graph/keys.ts): every key of the
 * kinds sorted, the full edit-distance table against every slug, every slug split into words and
 * every entity read for its names. Kept verbatim as a reference: tests/graph/suggest.test.ts
 * checks that the bounded suggestions are the same wherever the graph fits the budget.
 */
import type { KeyedEntities } from "../../src/graph/keys.js";
import { normalizeKey } from "../../src/graph/keys.js";
import { type Entity, type EntityKind, kindOf } from "../../src/graph/model.js";

const MAX_SUGGESTIONS = 3;

const foldText = (text: string) => text.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();
const wordsOf = (text: string) =>
  foldText(text)
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 0);

function namesOf(entity: Entity): string[] {
  if (!("name" in entity)) return [];
  return [
    entity.name.text,
    ...(entity.abbreviation ? [entity.abbreviation.text] : []),
    ...entity.aliases.map((a) => a.text),
    ...("nameHistory" in entity ? entity.nameHistory.map((n) => n.text) : []),
  ];
}

/** Edit distance, the textbook way. */
export function referenceLevenshtein(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) {
      next[j] = Math.min(
        row[j]! + 1,
        next[j - 1]! + 1,
        row[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    row = next;
  }
  return row[b.length]!;
}

export function referenceClosest(word: string, candidates: string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = referenceLevenshtein(word, c);
    if (d < bestDistance) [best, bestDistance] = [c, d];
  }
  return bestDistance <= Math.max(2, Math.floor(word.length / 4)) ? best : undefined;
}

export function referenceNearWord(word: string, known: string): boolean {
  if (word === known) return true;
  if (word.length < 4) return false;
  const allowed = Math.floor(word.length / 4);
  return (
    Math.abs(word.length - known.length) <= allowed && referenceLevenshtein(word, known) <= allowed
  );
}

const holdsEvery = (words: readonly string[], given: readonly string[]) =>
  given.every((w) => words.includes(w));
const holdsNearly = (words: readonly string[], given: readonly string[]) =>
  given.every((w) => words.some((known) => referenceNearWord(w, known)));

export function referenceSuggestKeys(
  entities: KeyedEntities,
  kinds: readonly EntityKind[],
  text: string,
): string[] {
  const given = normalizeKey(text);
  const kind = given.includes("/") ? kindOf(given) : undefined;
  const within = kind && kinds.includes(kind) ? [kind] : kinds;
  const slug = given.slice(given.indexOf("/") + 1);
  const words = wordsOf(slug);
  const keys = within.flatMap((k) => [...entities.keys(k)]).sort();
  const slugOf = (key: string) => key.slice(key.indexOf("/") + 1);
  const found = new Set<string>();

  const near = referenceClosest(slug, [...new Set(keys.map(slugOf))]);
  if (near !== undefined) for (const key of keys) if (slugOf(key) === near) found.add(key);
  for (const holds of words.length > 0 ? [holdsEvery, holdsNearly] : []) {
    for (const key of keys)
      if (found.size < MAX_SUGGESTIONS && holds(wordsOf(slugOf(key)), words)) found.add(key);
    for (const key of keys) {
      if (found.size >= MAX_SUGGESTIONS) break;
      const entity = entities.entity(key);
      if (entity && namesOf(entity).some((name) => holds(wordsOf(name), words))) found.add(key);
    }
  }
  return [...found].slice(0, MAX_SUGGESTIONS);
}
