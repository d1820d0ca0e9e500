/**
 * What every entity type shares: the Entity interface (readable key, display label, provenance),
 * names with their kinds, per-field evidence and readable-key lookups (pages of lists: pages.ts).
 */

import type { EntityByKind } from "../graph/graph.js";
import { normalizeKey, noteOf, shown } from "../graph/keys.js";
import type { Alias, EntityKind, Provenance, Text } from "../graph/model.js";
import { kindOf } from "../graph/model.js";
import { builder, type Context } from "./builder.js";
import { userError } from "./errors.js";
import { ProvenanceRef } from "./provenance.js";
import { suggestionsOf } from "./suggestions.js";

/** Any entity of the graph, as the interface fields below see it. */
export interface EntityShape {
  id: string;
  provenance: Provenance[];
}

export const EntityRef = builder.interfaceRef<EntityShape>("Entity").implement({
  description:
    "Any entity of the knowledge graph: a state, place, dimension, office, person, post, tenure, event, priority or source. " +
    "Use `... on Person { }` (and so on) for the fields of one kind.",
  interfaces: [builder.nodeInterfaceRef()],
  fields: (t) => ({
    key: t.exposeString("id", {
      description:
        "Readable, stable key of this entity, `kind/slug` (e.g. `person/gyorgy-szabo`): pass it (or just the slug) to the root field of its kind, e.g. `person(key:)`.",
    }),
    label: t.string({
      description:
        "A short human-readable label for lists and search results: the entity's name, or a description for entities without one.",
      resolve: (entity, _args, ctx) => labelOf(entity, ctx),
    }),
    provenance: t.field({
      type: [ProvenanceRef],
      description:
        "Why the graph holds this entity at all: the quotes (or editorial reasons) that attest it.",
      resolve: (entity) => entity.provenance,
    }),
  }),
});

export function labelOf(entity: EntityShape, ctx: Context): string {
  if ("name" in entity) return (entity as { name: Text }).name.text;
  const tenure = ctx.graph.get("tenure", entity.id);
  if (tenure) {
    const holder = ctx.graph.entity(tenure.holder) as { name: Text } | undefined;
    const post = ctx.graph.get("post", tenure.post);
    return `${holder?.name.text ?? tenure.holder}: ${post?.name.text ?? tenure.post}`;
  }
  return entity.id;
}

export const NameKind = builder.enumType("NameKind", {
  description: "What kind of name a `Name` is.",
  values: {
    CANONICAL: { description: "The entity's main name, in its usual spelling." },
    ABBREVIATION: { description: "An abbreviation, e.g. ODIHR." },
    FULL_NAME: { description: "The full or formal form of the name, e.g. Republic of Kazakhstan." },
    DOCUMENT_SPELLING: {
      description:
        "The spelling the source document uses where it differs from the usual one (its typos included), e.g. Gyorgy Sabo.",
    },
    VARIANT: { description: "Another common spelling or form." },
    FORMER_NAME: {
      description:
        "A name an office bore before its current one (see `Office.nameHistory` for the dates).",
    },
  } as const,
});
export type NameKindValue =
  | "CANONICAL"
  | "ABBREVIATION"
  | "FULL_NAME"
  | "DOCUMENT_SPELLING"
  | "VARIANT"
  | "FORMER_NAME";

export interface NameShape {
  text: string;
  kind: NameKindValue;
  provenance: Provenance[];
}

export const NameRef = builder.objectRef<NameShape>("Name").implement({
  description: "One name an entity is known by, with its kind and provenance.",
  fields: (t) => ({
    text: t.exposeString("text", { description: "The name as written." }),
    kind: t.field({
      type: NameKind,
      description:
        "Whether this is the canonical name, an abbreviation, the document's spelling, ...",
      resolve: (n) => n.kind,
    }),
    provenance: t.field({
      type: [ProvenanceRef],
      description: "Why the graph gives this name.",
      resolve: (n) => n.provenance,
    }),
  }),
});

/** Every name of a named entity: canonical first, then abbreviation, then aliases in data order. */
export function namesOf(entity: {
  name: Text;
  aliases: Alias[];
  abbreviation?: Text | undefined;
}): NameShape[] {
  return [
    { text: entity.name.text, kind: "CANONICAL", provenance: entity.name.provenance },
    ...(entity.abbreviation
      ? [
          {
            text: entity.abbreviation.text,
            kind: "ABBREVIATION" as const,
            provenance: entity.abbreviation.provenance,
          },
        ]
      : []),
    ...entity.aliases.map((a) => ({ text: a.text, kind: a.kind, provenance: a.provenance })),
  ];
}

export interface EvidenceShape {
  field: string;
  provenance: Provenance[];
}

export const EvidenceRef = builder.objectRef<EvidenceShape>("Evidence").implement({
  description:
    "The provenance of one single-valued field of an entity (its name, nationality, place, ...). " +
    "Facts that come as lists (names, tenures, participants, name history) carry their own `provenance`.",
  fields: (t) => ({
    field: t.exposeString("field", {
      description: "The GraphQL field of this entity the evidence is for, e.g. `nationality`.",
    }),
    provenance: t.field({
      type: [ProvenanceRef],
      description: "Why the graph gives that field's value.",
      resolve: (e) => e.provenance,
    }),
  }),
});

/** Evidence for the single-valued facts an entity has, in the order given, skipping absent ones. */
export function evidenceOf(
  facts: Record<string, { provenance: Provenance[] } | undefined>,
): EvidenceShape[] {
  return Object.entries(facts).flatMap(([field, fact]) =>
    fact ? [{ field, provenance: fact.provenance }] : [],
  );
}

/**
 * A readable key from an argument: `person/gyorgy-szabo` or just `gyorgy-szabo`, with case,
 * diacritics and spaces forgiven (`Gyorgy-Szabo`, `György Szabó`: see src/graph/keys.ts).
 * A key of another kind is an error that says so, rather than a silent null.
 */
export function keyOf(kind: EntityKind, key: string): string {
  const normalized = normalizeKey(key);
  const given = kindOf(normalized);
  const slug = given === kind ? normalized.slice(kind.length + 1) : normalized;
  if (given !== kind && normalized.includes("/")) {
    throw userError(
      `${JSON.stringify(shown(key))} is not a ${kind} key: ${kind} keys look like "${kind}/slug" (or just "slug").`,
      {
        extensions: { code: "BAD_USER_INPUT", argumentName: "key" },
      },
    );
  }
  // no key has anything but lowercase letters, digits and hyphens: say so, rather than answer
  // null for an invisible character or a stray symbol
  if (!/^[a-z0-9][a-z0-9-]*$/.test(slug)) {
    throw userError(
      `${JSON.stringify(shown(key))} is not a valid ${kind} key: a key's slug has only lowercase letters, digits and hyphens (e.g. "${kind}/${KEY_EXAMPLES[kind]}"); use \`search\` to find an entity by name.`,
      { extensions: { code: "BAD_USER_INPUT", argumentName: "key" } },
    );
  }
  return `${kind}/${slug}`;
}

/**
 * The entity of `kind` a `key` argument names (see keyOf). None: a NOT_FOUND error with what the
 * client may have meant, for a field that is then null.
 */
export function lookUp<K extends EntityKind>(
  ctx: Pick<Context, "graph" | "deadline" | "suggestions">,
  kind: K,
  key: string,
): EntityByKind[K] {
  const full = keyOf(kind, key);
  const entity = ctx.graph.get(kind, full);
  if (entity) return entity;
  // within the request's budget (suggestions.ts): 30 aliases of one lookup are one suggestion
  const suggested = suggestionsOf(ctx).suggest([kind], key);
  const suggestions = "candidates" in suggested ? suggested.candidates : [];
  throw userError(`No ${kind} has the key "${shown(full)}"${noteOf(suggested)}.`, {
    extensions: {
      code: "NOT_FOUND",
      argumentName: "key",
      ...(suggestions.length > 0 && { suggestions }),
    },
  });
}

const KEY_EXAMPLES: Record<EntityKind, string> = {
  source: "kazakhstan-osce-cooperation",
  state: "kazakhstan",
  place: "astana",
  dimension: "economic-and-environmental",
  office: "osce-field-office-kazakhstan",
  person: "gyorgy-szabo",
  post: "head-of-osce-field-office-kazakhstan",
  tenure: "gyorgy-szabo-head-of-programme-office",
  event: "2010-12-astana-osce-summit",
  priority: "euro-atlantic-and-eurasian-security",
};

export const keyArgDescription = (kind: EntityKind, example: string) =>
  `The ${kind}'s readable key, e.g. \`${kind}/${example}\` or just \`${example}\` (see the \`key\` field); case, accents and spaces do not matter.`;
