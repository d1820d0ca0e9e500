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
import type { Problem } from "./validate.js";
import { collectionNames, kindOfCollection, type CollectionName, type Dataset, type Entity, type Provenance } from "./model.js";

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
 * The names an entity is mentioned by, as written in the dataset; undefined when they cannot all
 * be known (a post whose office is malformed, and so reported already).
 */
function namesOf(entity: Named, byId: ReadonlyMap<string, Named>): string[] | undefined {
  const names: string[] = [];
  if (entity.name) names.push(entity.name.text);
  if (entity.abbreviation) names.push(entity.abbreviation.text);
  for (const alias of entity.aliases ?? []) names.push(alias.text);
  for (const former of entity.nameHistory ?? []) names.push(former.text);
  if (entity.id.startsWith("event/") && entity.when?.wording) names.push(entity.when.wording);
  if (entity.id.startsWith("post/") && entity.office) {
    const office = byId.get(entity.office.ref);
    const officeNames = office && namesOf(office, byId);
    if (!officeNames) return undefined;
    names.push(...officeNames);
  }
  return names;
}

/** One relation: where it is, its two ends, and the provenance that must state it. */
interface Relation {
  collection: CollectionName;
  entity: string;
  path: string;
  ends: [string, string];
  provenance: readonly Provenance[];
}

/** Every relation of an entity (see the module comment), in the order of its fields. */
function relationsOf(collection: CollectionName, entity: Entity, visit: (r: Relation) => void): void {
  if (collection === "tenures") {
    const tenure = entity as Dataset["tenures"][number];
    visit({ collection, entity: tenure.id, path: "provenance", ends: [tenure.holder, tenure.post], provenance: tenure.provenance });
    return;
  }
  const record = entity as unknown as Record<string, unknown>;
  for (const key in record) {
    const value = record[key];
    if (value === null || typeof value !== "object") continue;
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        const item = value[i] as Record<string, unknown> | null;
        const other = item && (typeof item.ref === "string" ? item.ref : typeof item.place === "string" ? item.place : undefined);
        if (other && Array.isArray(item.provenance)) {
          visit({ collection, entity: entity.id, path: `${key}[${i}]`, ends: [entity.id, other], provenance: item.provenance as Provenance[] });
        }
      }
    } else {
      const link = value as Record<string, unknown>;
      if (typeof link.ref === "string" && Array.isArray(link.provenance)) {
        visit({ collection, entity: entity.id, path: key, ends: [entity.id, link.ref], provenance: link.provenance as Provenance[] });
      }
    }
  }
}

/**
 * The relations of a valid dataset that are cited only by quotes none of which mentions both
 * ends, and carry no editorial note.
 */
export function unstatedRelationProblems(dataset: Dataset, fileOf: (collection: CollectionName) => string): Problem[] {
  const byId = new Map<string, Named>();
  for (const collection of collectionNames) for (const entity of dataset[collection] as Named[]) byId.set(entity.id, entity);

  // the names of each end, once known: an empty list stands for "cannot be known"
  const rawNames = new Map<string, string[]>();
  const normalNames = new Map<string, string[]>();
  const normalQuotes = new Map<string, string>();
  const names = (id: string): string[] => {
    let list = rawNames.get(id);
    if (!list) {
      const entity = byId.get(id);
      rawNames.set(id, (list = (entity && namesOf(entity, byId)) ?? []));
    }
    return list;
  };
  const mentioned = (quote: string, id: string): boolean => {
    for (const name of names(id)) if (containsWords(quote, name)) return true;
    let normal = normalQuotes.get(quote);
    if (normal === undefined) normalQuotes.set(quote, (normal = normaliseForMention(quote)));
    let normalised = normalNames.get(id);
    if (!normalised) normalNames.set(id, (normalised = names(id).map(normaliseForMention)));
    for (const name of normalised) if (containsWords(normal, name)) return true;
    return false;
  };

  const problems: Problem[] = [];
  for (const collection of collectionNames) {
    if (kindOfCollection[collection] === "source") continue;
    for (const entity of dataset[collection] as Entity[]) {
      relationsOf(collection, entity, (relation) => {
        let firstQuote: string | undefined;
        for (const p of relation.provenance) {
          if ("editorial" in p) return;
          firstQuote ??= p.quote;
        }
        const [a, b] = relation.ends;
        // a dangling reference or a malformed end is reported on its own
        if (names(a).length === 0 || names(b).length === 0) return;
        for (const p of relation.provenance) {
          if ("quote" in p && mentioned(p.quote, a) && mentioned(p.quote, b)) return;
        }
        const missing = [a, b].filter((id) => !mentioned(firstQuote!, id));
        const described = missing.map((id) => `${id} (${names(id).slice(0, 3).map((n) => `"${n}"`).join(", ")})`).join(" nor ");
        problems.push({
          file: fileOf(relation.collection),
          entity: relation.entity,
          path: relation.path,
          message:
            `no quote states this link: "${abbreviate(firstQuote!)}" does not mention ${described}` +
            `${relation.provenance.length > 1 ? ", and no other quote mentions both ends" : ""}; ` +
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
