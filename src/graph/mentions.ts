/**
 * The quote rule for relations: a quote cited for a fact that links two entities must state
 * that link, so at the least it must mention both of them. "Its field mission" does not say
 * whose; "In human dimension Kazakhstan remain important issues" does not name the trafficking
 * office. A relation that no single quote of its provenance mentions both ends of must carry an
 * editorial note saying why we assert it.
 *
 * An end is mentioned by any of its names as the dataset knows them: the canonical name, every
 * alias (the document's own spellings, variants, full names), the abbreviation, every former
 * name of an office; a post also by the names of its office; an event also by the source's
 * wording of its date (the line of a chronology that opens with it). Matching ignores case,
 * accents, the kind of apostrophe, quotation mark or dash, and runs of white space, and a name
 * must stand as whole words ("FSC" is not found in "FSCE").
 *
 * Relations are the links of an entity (`{ ref, provenance }`, alone or in a list: a
 * nationality, a participant, a predecessor), an office's locations (`{ place, provenance }`)
 * and a tenure (its holder and its post, under the tenure's own provenance).
 *
 * Cost: most quotes name their ends in exactly the names' spelling, which plain `indexOf`
 * finds; only a quote that fails that is normalised (once per distinct quote), with the names
 * of its ends (once per entity).
 */

import {
  type CollectionName,
  collectionNames,
  type Dataset,
  type Entity,
  kindOfCollection,
  type Provenance,
} from "./model.js";
import type { Problem } from "./problems.js";

/** What the rule needs of a dataset's entity: its id and the names it is known by. */
type Named = Entity & {
  name?: { text: string };
  aliases?: { text: string }[];
  abbreviation?: { text: string };
  nameHistory?: { text: string }[];
  when?: { wording?: string };
  office?: { ref: string };
};

/** Lower case, no accents, one kind of apostrophe, quotation mark, dash and space. */
export function normaliseForMention(text: string): string {
  return text
    .normalize("NFD")
    .replace(/\p{M}+/gu, "")
    .toLowerCase()
    .replace(/[\u2018\u2019\u02BC`\u00B4]/g, "'")
    .replace(/[\u201C\u201D\u201E\u00AB\u00BB]/g, '"')
    .replace(/[\u2010-\u2015\u2212]/g, "-")
    .replace(/\s+/g, " ")
    .trim();
}

const isWordChar = (code: number): boolean =>
  (code >= 48 && code <= 57) ||
  (code >= 65 && code <= 90) ||
  (code >= 97 && code <= 122) ||
  (code > 127 && /[\p{L}\p{N}]/u.test(String.fromCharCode(code)));

/** Does `name` occur in `text` as whole words (no letter or digit just before or after it)? */
function containsWords(text: string, name: string): boolean {
  if (name.length === 0) return false;
  for (let at = text.indexOf(name); at >= 0; at = text.indexOf(name, at + 1)) {
    const before = at === 0 ? 32 : text.charCodeAt(at - 1);
    const after = at + name.length >= text.length ? 32 : text.charCodeAt(at + name.length);
    // a name that itself begins or ends with punctuation needs no boundary on that side
    const needsBefore = isWordChar(name.charCodeAt(0));
    const needsAfter = isWordChar(name.charCodeAt(name.length - 1));
    if ((!needsBefore || !isWordChar(before)) && (!needsAfter || !isWordChar(after))) return true;
  }
  return false;
}

/**
 * Calls `visit` with each name an entity is mentioned by, as written in the dataset, until it
 * returns true; returns whether one did. Undefined when the names cannot all be known (a post
 * whose office is malformed, and so reported already). Nothing is allocated: at a million
 * entities, a list of names per end cost more than the matching.
 */
function someName(
  entity: Named,
  byId: ReadonlyMap<string, Named>,
  visit: (name: string) => boolean,
): boolean | undefined {
  if (entity.name && visit(entity.name.text)) return true;
  if (entity.abbreviation && visit(entity.abbreviation.text)) return true;
  const aliases = entity.aliases;
  if (aliases) for (let i = 0; i < aliases.length; i++) if (visit(aliases[i]!.text)) return true;
  const history = entity.nameHistory;
  if (history) for (let i = 0; i < history.length; i++) if (visit(history[i]!.text)) return true;
  const wording = entity.when?.wording;
  if (wording !== undefined && entity.id.startsWith("event/") && visit(wording)) return true;
  if (entity.office && entity.id.startsWith("post/")) {
    const office = byId.get(entity.office.ref);
    return office ? someName(office, byId, visit) : undefined;
  }
  return false;
}

/** The names an entity is mentioned by (for messages and the slow path); undefined as for `someName`. */
function namesOf(entity: Named, byId: ReadonlyMap<string, Named>): string[] | undefined {
  const names: string[] = [];
  return someName(entity, byId, (name) => (names.push(name), false)) === undefined
    ? undefined
    : names;
}

/**
 * Called for each relation of an entity (see the module comment), in the order of its fields:
 * the field, the index in a list (-1 for a single link), the other end, and its provenance. The
 * arguments are plain values, and the path is only built for a relation that is reported: a
 * large dataset has millions of relations.
 */
type Visit = (key: string, index: number, other: string, provenance: readonly Provenance[]) => void;

function relationsOf(collection: CollectionName, entity: Entity, visit: Visit): void {
  if (collection === "tenures") {
    const tenure = entity as Dataset["tenures"][number];
    visit("provenance", -2, tenure.post, tenure.provenance);
    return;
  }
  const record = entity as unknown as Record<string, unknown>;
  for (const key in record) {
    const value = record[key];
    if (value === null || typeof value !== "object") continue;
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        const item = value[i] as Record<string, unknown> | null;
        if (item === null || typeof item !== "object") continue;
        const other =
          typeof item.ref === "string"
            ? item.ref
            : typeof item.place === "string"
              ? item.place
              : undefined;
        if (other !== undefined && Array.isArray(item.provenance))
          visit(key, i, other, item.provenance as Provenance[]);
      }
    } else {
      const link = value as Record<string, unknown>;
      if (typeof link.ref === "string" && Array.isArray(link.provenance))
        visit(key, -1, link.ref, link.provenance as Provenance[]);
    }
  }
}

/**
 * The relations of a valid dataset that are cited only by quotes none of which mentions both
 * ends, and carry no editorial note.
 */
export function unstatedRelationProblems(
  dataset: Dataset,
  fileOf: (collection: CollectionName) => string,
): Problem[] {
  const byId = new Map<string, Named>();
  for (const collection of collectionNames)
    for (const entity of dataset[collection] as Named[]) byId.set(entity.id, entity);

  // names by id, normalised, and quotes, normalised: only for the few quotes that do not name an
  // end in the dataset's own spelling
  const normalNames = new Map<string, string[]>();
  const normalQuotes = new Map<string, string>();
  const names = (id: string): string[] => {
    const entity = byId.get(id);
    return (entity && namesOf(entity, byId)) ?? [];
  };
  let quote = "";
  const inQuote = (name: string) => containsWords(quote, name);
  /** Does `text` mention the entity `id`? Undefined when the entity or its names are unknown. */
  const mentioned = (text: string, id: string): boolean | undefined => {
    const entity = byId.get(id);
    if (!entity) return undefined;
    quote = text;
    const raw = someName(entity, byId, inQuote);
    if (raw !== false) return raw;
    let normal = normalQuotes.get(text);
    if (normal === undefined) normalQuotes.set(text, (normal = normaliseForMention(text)));
    let normalised = normalNames.get(id);
    if (!normalised) normalNames.set(id, (normalised = names(id).map(normaliseForMention)));
    for (const name of normalised) if (containsWords(normal, name)) return true;
    return false;
  };

  const problems: Problem[] = [];
  for (const collection of collectionNames) {
    if (kindOfCollection[collection] === "source") continue;
    for (const entity of dataset[collection] as Entity[]) {
      // the owner's end: a tenure's is its holder, any other entity's is itself
      const owner =
        collection === "tenures" ? (entity as Dataset["tenures"][number]).holder : entity.id;
      relationsOf(collection, entity, (key, index, other, provenance) => {
        let quoted = false;
        for (let i = 0; i < provenance.length; i++) {
          if ("editorial" in provenance[i]!) return;
          quoted = true;
        }
        if (!quoted) return;
        for (let i = 0; i < provenance.length; i++) {
          const text = (provenance[i] as { quote: string }).quote;
          const a = mentioned(text, owner);
          // a dangling reference or a malformed end is reported on its own
          if (a === undefined) return;
          const b = mentioned(text, other);
          if (b === undefined) return;
          if (a && b) return;
        }
        const firstQuote = (provenance[0] as { quote: string }).quote;
        const missing = [owner, other].filter((id) => !mentioned(firstQuote, id));
        const described = missing
          .map(
            (id) =>
              `${id} (${names(id)
                .slice(0, 3)
                .map((n) => `"${abbreviate(n)}"`)
                .join(", ")})`,
          )
          .join(" nor ");
        problems.push({
          file: fileOf(collection),
          entity: entity.id,
          path: index === -2 ? key : index === -1 ? key : `${key}[${index}]`,
          message:
            `no quote states this link: "${abbreviate(firstQuote)}" does not mention ${described}` +
            `${provenance.length > 1 ? ", and no other quote mentions both ends" : ""}; ` +
            "quote a sentence that names both, or add an editorial note with the reason",
        });
      });
    }
  }
  return problems;
}

function abbreviate(text: string): string {
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/**
 * The quote rule for names: a name (an entity's name, abbreviation, alias, or a name of an
 * office's history), or a description, cited by quotes alone must be written in one of them, as
 * whole words, matched as a relation's ends are (case, accents, apostrophes, quotation marks,
 * dashes and runs of space aside). A name in the usual spelling or a paraphrase of the document's
 * line is an editorial normalisation and says so in a note, the document's own words being its
 * alias of kind DOCUMENT_SPELLING (docs/data-model.md, "The quote rule"). Without this rule
 * "Appointment of Madina Jarbussynova ..." was cited by "MadinaDzharbusynova is appointed ..."
 * alone (the audit of 5 December, finding 16), and thirteen other names and two descriptions of
 * the built-in data were cited as if their quotes wrote them.
 */
export function unquotedNameProblems(
  dataset: Dataset,
  fileOf: (collection: CollectionName) => string,
  /** Whether a quote is missing from its source, and so reported already (a name it cites is not). */
  missing: (source: string, quote: string) => boolean = () => false,
): Problem[] {
  const normalQuotes = new Map<string, string>();
  const problems: Problem[] = [];
  const check = (collection: CollectionName, entity: Entity, path: string, name: unknown) => {
    const { text, provenance } = (name ?? {}) as { text?: unknown; provenance?: unknown };
    if (typeof text !== "string" || !Array.isArray(provenance) || provenance.length === 0) return;
    for (const item of provenance as Provenance[]) {
      if ("editorial" in item) return;
      const { source, quote } = item as { source?: unknown; quote?: unknown };
      if (typeof source === "string" && typeof quote === "string" && missing(source, quote)) return;
    }
    // most names stand in their quote as written: only the others are normalised
    for (const item of provenance as Provenance[]) {
      const quote = (item as { quote?: unknown }).quote;
      if (typeof quote === "string" && containsWords(quote, text)) return;
    }
    const normalName = normaliseForMention(text);
    for (const item of provenance as Provenance[]) {
      const quote = (item as { quote?: unknown }).quote;
      if (typeof quote !== "string") continue;
      let normal = normalQuotes.get(quote);
      if (normal === undefined) normalQuotes.set(quote, (normal = normaliseForMention(quote)));
      if (containsWords(normal, normalName)) return;
    }
    const first = (provenance[0] as { quote?: unknown }).quote;
    problems.push({
      file: fileOf(collection),
      entity: entity.id,
      path,
      message:
        `the ${path === "description" ? "description" : "name"} "${abbreviate(text)}" is not written in ${provenance.length > 1 ? "any of its quotes" : "its quote"}` +
        `${typeof first === "string" ? ` ("${abbreviate(first)}")` : ""}; ` +
        "cite a quote that writes it, or add an editorial note saying why it is written otherwise " +
        "(and the document's words as an alias of kind DOCUMENT_SPELLING)",
    });
  };
  for (const collection of collectionNames) {
    if (kindOfCollection[collection] === "source") continue;
    for (const entity of dataset[collection] as Entity[]) {
      const e = entity as unknown as Record<string, unknown>;
      check(collection, entity, "name", e.name);
      check(collection, entity, "abbreviation", e.abbreviation);
      // a description paraphrased from its quote is as editorial as a name (two of the built-in
      // data's were cited as if the quote said them)
      check(collection, entity, "description", e.description);
      for (const key of ["aliases", "nameHistory"] as const) {
        const list = e[key];
        if (Array.isArray(list))
          for (let i = 0; i < list.length; i++) check(collection, entity, `${key}[${i}]`, list[i]);
      }
    }
  }
  return problems;
}
