/**
 * Keys as clients type them. Every argument that takes an entity's key (a root lookup, `path`'s
 * ends, a KeyFilter) reads it through here, so that all of them forgive the same slips and make
 * the same suggestions:
 *
 * - case, diacritics and spaces are folded to the form keys have: `person/Gyorgy-Szabo`,
 *   `György Szabó` and `gyorgy_szabo` all name `person/gyorgy-szabo` (keys are lowercase ASCII, so
 *   folding never makes two keys of one kind collide);
 * - an unknown key gets "did you mean" candidates: keys near by edit distance (`kazakstan`), keys
 *   whose slug holds every word given (`nazarbayev` → `person/nursultan-nazarbayev`), and entities
 *   one of whose names holds every word (`odihr` → the office whose abbreviation is ODIHR); then
 *   the same with a typo allowed in each word (`nazarbaev` → `person/nursultan-nazarbayev`).
 */
import type { GraphCore } from "./core.js";
import { kindOf, type Entity, type EntityKind } from "./model.js";
import { closest, nearWord } from "./distance.js";

/** How many candidates a "did you mean" offers at most. */
const MAX_SUGGESTIONS = 3;

/** Lowercase, without diacritics, for comparing names. */
const foldText = (text: string) => text.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();

/**
 * A key as typed, folded to the form keys have: trimmed, lowercase, without diacritics, with
 * hyphens for runs of spaces and underscores. Other characters are left for the caller to refuse.
 */
export function normalizeKey(text: string): string {
  return foldText(text.trim()).replace(/[\s_]+/g, "-");
}

/** The words of a slug or a name, folded. */
const wordsOf = (text: string) => foldText(text).split(/[^\p{L}\p{N}]+/u).filter((w) => w.length > 0);

function namesOf(entity: Entity): string[] {
  if (!("name" in entity)) return [];
  return [
    entity.name.text,
    ...(entity.abbreviation ? [entity.abbreviation.text] : []),
    ...entity.aliases.map((a) => a.text),
    ...("nameHistory" in entity ? entity.nameHistory.map((n) => n.text) : []),
  ];
}

const holdsEvery = (words: readonly string[], given: readonly string[]) => given.every((w) => words.includes(w));
/** Every given word is one of `words` or a likely typo of one (`nazarbaev` for `nazarbayev`). */
const holdsNearly = (words: readonly string[], given: readonly string[]) => given.every((w) => words.some((known) => nearWord(w, known)));

/** What suggestions are looked for in: the keys of each kind, and the entity of a key. */
export interface KeyedEntities {
  keys(kind: EntityKind): readonly string[];
  entity(key: string): Entity | undefined;
}

/** The entities of a graph, for `suggestKeys`. */
export const entitiesOf = (graph: Pick<GraphCore, "keys" | "entity">): KeyedEntities => ({
  keys: (kind) => graph.keys[kind],
  entity: (key) => graph.entity(key),
});

/**
 * Up to three keys of `kinds` a client may have meant by `text` (a full key or a slug), nearest
 * first: the one nearest by edit distance, then keys whose slug holds every word of `text`, then
 * entities one of whose names does, then both again with a typo allowed per word (each group in
 * key order, so that the answer does not depend on the order of the lists). Empty when nothing is
 * near.
 */
export function suggestKeys(entities: KeyedEntities, kinds: readonly EntityKind[], text: string): string[] {
  const given = normalizeKey(text);
  const kind = given.includes("/") ? kindOf(given) : undefined;
  const within = kind && kinds.includes(kind) ? [kind] : kinds;
  const slug = given.slice(given.indexOf("/") + 1);
  const words = wordsOf(slug);
  const keys = within.flatMap((k) => [...entities.keys(k)]).sort();
  const slugOf = (key: string) => key.slice(key.indexOf("/") + 1);
  const found = new Set<string>();

  const near = closest(slug, [...new Set(keys.map(slugOf))]);
  if (near !== undefined) for (const key of keys) if (slugOf(key) === near) found.add(key);
  // exact words first, then words with a typo in them: a slip in one word of a longer key is
  // too far from the whole slug for `closest` (`nazarbaev` against `nursultan-nazarbayev`)
  for (const holds of words.length > 0 ? [holdsEvery, holdsNearly] : []) {
    for (const key of keys) if (found.size < MAX_SUGGESTIONS && holds(wordsOf(slugOf(key)), words)) found.add(key);
    for (const key of keys) {
      if (found.size >= MAX_SUGGESTIONS) break;
      const entity = entities.entity(key);
      if (entity && namesOf(entity).some((name) => holds(wordsOf(name), words))) found.add(key);
    }
  }
  return [...found].slice(0, MAX_SUGGESTIONS);
}

/** ` (did you mean a, b or c?)`, or nothing when there is no candidate. */
export function didYouMean(candidates: readonly string[]): string {
  if (candidates.length === 0) return "";
  const list = candidates.length === 1 ? candidates[0]! : `${candidates.slice(0, -1).join(", ")} or ${candidates.at(-1)!}`;
  return ` (did you mean ${list}?)`;
}
