/**
 * The whole graph as RDF: N-Triples and JSON-LD carrying the same triples, built once per loaded
 * graph and cached.
 *
 * IRIs: an entity is `urn:kz-osce-graph:<key>` (e.g. `urn:kz-osce-graph:person/gyorgy-szabo`);
 * parts of an entity (a name of an office's history, a location, a participant, a succession) are
 * fragments of it (`...office/osce-field-office-kazakhstan#name-2`); terms of our own vocabulary are
 * `urn:kz-osce-graph:vocab#<term>`. schema.org is used where it fits (Person, Country, City,
 * Organization, Event, CreativeWork; name, alternateName, description, nationality,
 * containedInPlace, location, startDate, endDate, honorificPrefix, dateCreated, dateModified).
 *
 * Provenance: every triple that states a fact is reified once, as `urn:kz-osce-graph:fact/<hash>`
 * (an rdf:Statement with rdf:subject/predicate/object, the hash taken of the triple), carrying
 * `prov:wasDerivedFrom` the source and `kz:quote` for each quote, and `kz:editorialNote` for each
 * editorial reason. Dates are EDTF literals (datatype http://id.loc.gov/datatypes/edtf/EDTF), with
 * `kz:earliest`/`kz:latest` xsd:date bounds where the date has them (not for a POINT_IN_TIME
 * tenure, a moment within a span the source does not give), and an interval's
 * `kz:startLatest`/`kz:endEarliest` (its start's last possible day, its end's first). A fact the source
 * states undated, as of its last update (a cooperation, an office's dimension, a priority), carries
 * `kz:statedAsOf` (stated-as-of.ts). No blank nodes: both formats
 * name every node, so their triples compare as they are.
 */
import { createHash } from "node:crypto";
import type { PartialDate } from "./dates.js";
import type { KnowledgeGraph } from "./graph.js";
import type { Alias, Dated, Entity, Provenance, Text } from "./model.js";
import { headsItsOffice, kindOf, provenanceOfBound } from "./model.js";
import { statedAsOf, statedByQuotesAsOf } from "./stated-as-of.js";

export const ENTITY_BASE = "urn:kz-osce-graph:";
export const NS = {
  rdf: "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
  xsd: "http://www.w3.org/2001/XMLSchema#",
  prov: "http://www.w3.org/ns/prov#",
  schema: "https://schema.org/",
  kz: "urn:kz-osce-graph:vocab#",
  kzg: ENTITY_BASE,
} as const;
export const EDTF_DATATYPE = "http://id.loc.gov/datatypes/edtf/EDTF";
const XSD_DATE = `${NS.xsd}date`;

/** An IRI, or a literal with its datatype (absent: xsd:string). */
export type Term = { iri: string } | { value: string; datatype?: string };
export interface Triple {
  subject: string;
  predicate: string;
  object: Term;
}

type ValueKind = "iri" | "string" | "edtf" | "date" | "mixed";
/** Every predicate: its JSON-LD term, its IRI and what its values are. */
const PREDICATES = {
  name: ["schema", "name", "string"],
  alternateName: ["schema", "alternateName", "string"],
  description: ["schema", "description", "string"],
  text: ["schema", "text", "string"],
  nationality: ["schema", "nationality", "iri"],
  containedInPlace: ["schema", "containedInPlace", "iri"],
  parentOrganization: ["schema", "parentOrganization", "iri"],
  location: ["schema", "location", "iri"],
  startDate: ["schema", "startDate", "edtf"],
  endDate: ["schema", "endDate", "edtf"],
  honorificPrefix: ["schema", "honorificPrefix", "string"],
  dateCreated: ["schema", "dateCreated", "edtf"],
  dateModified: ["schema", "dateModified", "edtf"],
  abbreviation: ["kz", "abbreviation", "string"],
  documentSpelling: ["kz", "documentSpelling", "string"],
  fullName: ["kz", "fullName", "string"],
  cooperatesWith: ["kz", "cooperatesWith", "iri"],
  state: ["kz", "state", "iri"],
  dimension: ["kz", "dimension", "iri"],
  concerns: ["kz", "concerns", "iri"],
  keynoteOf: ["kz", "keynoteOf", "iri"],
  office: ["kz", "office", "iri"],
  headsOffice: ["kz", "headsOffice", "iri"],
  post: ["kz", "post", "iri"],
  holder: ["kz", "holder", "iri"],
  timing: ["kz", "timing", "string"],
  officeKind: ["kz", "officeKind", "string"],
  postKind: ["kz", "postKind", "string"],
  eventKind: ["kz", "eventKind", "string"],
  priorityKind: ["kz", "priorityKind", "string"],
  startsNotBefore: ["kz", "startsNotBefore", "iri"],
  endsNotBefore: ["kz", "endsNotBefore", "iri"],
  when: ["kz", "when", "edtf"],
  statedAsOf: ["kz", "statedAsOf", "edtf"],
  earliest: ["kz", "earliest", "date"],
  latest: ["kz", "latest", "date"],
  startLatest: ["kz", "startLatest", "date"],
  endEarliest: ["kz", "endEarliest", "date"],
  nameHistory: ["kz", "nameHistory", "iri"],
  decidedBy: ["kz", "decidedBy", "iri"],
  change: ["kz", "change", "string"],
  seat: ["kz", "seat", "iri"],
  participation: ["kz", "participation", "iri"],
  participant: ["kz", "participant", "iri"],
  role: ["kz", "role", "string"],
  capacity: ["kz", "capacity", "iri"],
  predecessor: ["kz", "predecessor", "iri"],
  successor: ["kz", "successor", "iri"],
  succession: ["kz", "succession", "iri"],
  quote: ["kz", "quote", "string"],
  editorialNote: ["kz", "editorialNote", "string"],
  wasDerivedFrom: ["prov", "wasDerivedFrom", "iri"],
  subject: ["rdf", "subject", "iri"],
  predicate: ["rdf", "predicate", "iri"],
  object: ["rdf", "object", "mixed"],
} as const satisfies Record<string, readonly [keyof typeof NS, string, ValueKind]>;
type PredicateTerm = keyof typeof PREDICATES;

/** The classes, by JSON-LD term. */
const CLASSES = {
  Person: ["schema", "Person"],
  Country: ["schema", "Country"],
  City: ["schema", "City"],
  Organization: ["schema", "Organization"],
  Event: ["schema", "Event"],
  CreativeWork: ["schema", "CreativeWork"],
  Dimension: ["kz", "Dimension"],
  Post: ["kz", "Post"],
  Tenure: ["kz", "Tenure"],
  Priority: ["kz", "Priority"],
  OfficeName: ["kz", "OfficeName"],
  OfficeLocation: ["kz", "OfficeLocation"],
  Participation: ["kz", "Participation"],
  Succession: ["kz", "Succession"],
  Statement: ["rdf", "Statement"],
} as const satisfies Record<string, readonly [keyof typeof NS, string]>;
type ClassTerm = keyof typeof CLASSES;

const iriOf = ([prefix, local]: readonly [keyof typeof NS, string, ...unknown[]]) =>
  `${NS[prefix]}${local}`;
const RDF_TYPE = `${NS.rdf}type`;
const predicateIri = (term: PredicateTerm) => iriOf(PREDICATES[term]);

/** The IRI of an entity (or of a part of it, with a fragment). */
export const entityIri = (key: string, fragment?: string) =>
  `${ENTITY_BASE}${key}${fragment ? `#${fragment}` : ""}`;

export interface RdfExport {
  triples: Triple[];
  ntriples: string;
  jsonld: string;
  /** A strong validator of both bodies (they are built together). */
  etag: string;
}

const cache = new WeakMap<KnowledgeGraph, RdfExport>();

/** The graph's RDF, built on first use and kept for as long as the graph is. */
export function rdfExport(graph: KnowledgeGraph): RdfExport {
  let built = cache.get(graph);
  if (!built) {
    const triples = buildTriples(graph);
    const ntriples = toNTriples(triples);
    const jsonld = `${JSON.stringify(toJsonLd(triples), null, 1)}\n`;
    const etag = `"${createHash("sha256").update(ntriples).update(jsonld).digest("hex").slice(0, 32)}"`;
    built = { triples, ntriples, jsonld, etag };
    cache.set(graph, built);
  }
  return built;
}

/** The triples of the graph: each fact, and its reification with its provenance. */
export function buildTriples(graph: KnowledgeGraph): Triple[] {
  return reified(factsOf(graph, allEntities(graph)));
}

/** Every entity of the graph, list by list, in the order of `graph.lists`. */
function* allEntities(graph: KnowledgeGraph): Generator<Entity> {
  for (const list of Object.values(graph.lists) as readonly (readonly Entity[])[]) yield* list;
}

/**
 * The triples of one entity, as buildTriples gives them among the whole graph's: every triple an
 * entity states is about it or one of its parts (its IRI, or a fragment of it: keys hold no `#`),
 * so no triple is stated by two entities, and the whole graph's triples are each entity's in the
 * order of `graph.lists`. The exports are made of these, one entity at a time.
 */
export function entityTriples(graph: KnowledgeGraph, entity: Entity): Triple[] {
  return reified(factsOf(graph, [entity]));
}

interface Fact {
  triple: Triple;
  provenance: Provenance[];
  /**
   * For a fact the source states undated, in the present tense of its last update (a
   * cooperation, an office's dimension its quotes state by themselves): that update's day
   * (EDTF), given on the fact's statement as `kz:statedAsOf` (stated-as-of.ts).
   */
  statedAsOf?: string;
}

/** The facts the entities state, each once (with the provenance of each statement of it), in the order first stated. */
function factsOf(graph: KnowledgeGraph, entities: Iterable<Entity>): Map<string, Fact> {
  const facts = new Map<string, Fact>();
  // a triple stated twice (two aliases alike) is one fact with the provenance of both
  const state = (
    subject: string,
    predicate: string,
    object: Term,
    provenance: readonly Provenance[],
    asOf?: string,
  ) => {
    const triple = { subject, predicate, object };
    const id = tripleLine(triple);
    const known = facts.get(id);
    if (known) {
      for (const p of provenance)
        if (!known.provenance.some((k) => JSON.stringify(k) === JSON.stringify(p)))
          known.provenance.push(p);
      known.statedAsOf ??= asOf;
    } else
      facts.set(id, {
        triple,
        provenance: [...provenance],
        ...(asOf === undefined ? {} : { statedAsOf: asOf }),
      });
  };
  const fact = (
    subject: string,
    term: PredicateTerm,
    object: Term,
    provenance: readonly Provenance[],
  ) => state(subject, predicateIri(term), object, provenance);
  const type = (subject: string, cls: ClassTerm, provenance: readonly Provenance[]) =>
    state(subject, RDF_TYPE, { iri: iriOf(CLASSES[cls]) }, provenance);
  const iri = (key: string, fragment?: string): Term => ({ iri: entityIri(key, fragment) });
  const str = (value: string): Term => ({ value });
  const link = (
    subject: string,
    term: PredicateTerm,
    l: { ref: string; provenance: Provenance[] } | undefined,
  ) => {
    if (l) fact(subject, term, iri(l.ref), l.provenance);
  };
  /** The day as of which the source states an undated fact, as EDTF; undefined when no source does. */
  const asOfDay = (provenance: readonly Provenance[], byQuotesAlone = false) => {
    const dated = (byQuotesAlone ? statedByQuotesAsOf : statedAsOf)(graph, provenance);
    return dated && graph.date(dated).edtf;
  };
  /**
   * A link the source states undated, in the present tense of its update: its statement says as
   * of when (an office's dimension only where its quotes state it by themselves, as in GraphQL).
   */
  const presentLink = (
    subject: string,
    term: PredicateTerm,
    l: { ref: string; provenance: Provenance[] },
    byQuotesAlone = false,
  ) =>
    state(
      subject,
      predicateIri(term),
      iri(l.ref),
      l.provenance,
      asOfDay(l.provenance, byQuotesAlone),
    );
  const dated = (
    subject: string,
    dated: Dated | undefined,
    options: { schemaDates?: boolean; moment?: boolean } = {},
  ) => {
    if (!dated) return;
    const d: PartialDate = graph.date(dated);
    fact(subject, "when", { value: d.edtf, datatype: EDTF_DATATYPE }, dated.provenance);
    // a moment within a span the source does not give (a POINT_IN_TIME tenure: Nazarbayev
    // President at the Summit of 2010-12-01/02) has no first or last day: kz:earliest and
    // kz:latest read as a two-day presidency (the honest54 audit, F4); its inner bounds say it
    // began by the first day and lasted to the last
    if (d.earliest && !options.moment)
      fact(subject, "earliest", { value: d.earliest, datatype: XSD_DATE }, dated.provenance);
    if (d.latest && !options.moment)
      fact(subject, "latest", { value: d.latest, datatype: XSD_DATE }, dated.provenance);
    // an interval's inner bounds, as its GraphQL period's start.latest and end.earliest give them:
    // with kz:earliest/kz:latest alone a reader could not tell "1999/2007" from a name that may
    // have ended any day of 2007 (the audit of 5 December, finding 12)
    // each reified with what gives that end (Dated.boundProvenance): the Centre in Astana's end
    // cited the renaming's line and note beside the transformation's (the honest54 audit, F8)
    const ofStart = provenanceOfBound(dated, false);
    const ofEnd = provenanceOfBound(dated, true);
    if (d.isInterval && d.start)
      fact(subject, "startLatest", { value: d.start.latest, datatype: XSD_DATE }, ofStart);
    if (d.isInterval && d.end)
      fact(subject, "endEarliest", { value: d.end.earliest, datatype: XSD_DATE }, ofEnd);
    // the events that bound it where EDTF cannot ("in 2007, not before the decision of June
    // 21"): without them a reader takes the name's end to be any day of 2007 (the audit)
    if (dated.startsNotBefore)
      fact(subject, "startsNotBefore", iri(dated.startsNotBefore), ofStart);
    if (dated.endsNotBefore) fact(subject, "endsNotBefore", iri(dated.endsNotBefore), ofEnd);
    if (options.schemaDates && d.start)
      fact(
        subject,
        "startDate",
        { value: d.start.edtf, datatype: EDTF_DATATYPE },
        dated.provenance,
      );
    if (options.schemaDates && d.end)
      fact(subject, "endDate", { value: d.end.edtf, datatype: EDTF_DATATYPE }, dated.provenance);
  };
  const names = (
    s: string,
    e: {
      name: Text;
      aliases: Alias[];
      abbreviation?: Text | undefined;
      description?: Text | undefined;
    },
  ) => {
    fact(s, "name", str(e.name.text), e.name.provenance);
    if (e.abbreviation)
      fact(s, "abbreviation", str(e.abbreviation.text), e.abbreviation.provenance);
    for (const a of e.aliases) {
      const term =
        a.kind === "DOCUMENT_SPELLING"
          ? "documentSpelling"
          : a.kind === "FULL_NAME"
            ? "fullName"
            : "alternateName";
      fact(s, term, str(a.text), a.provenance);
    }
    if (e.description) fact(s, "description", str(e.description.text), e.description.provenance);
  };

  for (const entity of entities) {
    const s = entityIri(entity.id);
    const kind = kindOf(entity.id);
    const p = entity.provenance;
    switch (kind) {
      case "source": {
        const e = graph.get("source", entity.id)!;
        type(s, "CreativeWork", p);
        names(s, e);
        fact(
          s,
          "dateCreated",
          { value: graph.date(e.created).edtf, datatype: EDTF_DATATYPE },
          e.created.provenance,
        );
        fact(
          s,
          "dateModified",
          { value: graph.date(e.updated).edtf, datatype: EDTF_DATATYPE },
          e.updated.provenance,
        );
        const text = graph.text(e.id);
        if (text !== undefined) fact(s, "text", str(text), p);
        break;
      }
      case "state": {
        const e = graph.get("state", entity.id)!;
        type(s, "Country", p);
        names(s, e);
        for (const c of e.cooperatesWith) presentLink(s, "cooperatesWith", c);
        break;
      }
      case "place": {
        const e = graph.get("place", entity.id)!;
        type(s, "City", p);
        names(s, e);
        link(s, "containedInPlace", e.state);
        break;
      }
      case "dimension": {
        const e = graph.get("dimension", entity.id)!;
        type(s, "Dimension", p);
        names(s, e);
        break;
      }
      case "office": {
        const e = graph.get("office", entity.id)!;
        type(s, "Organization", p);
        names(s, e);
        fact(s, "officeKind", str(e.kind), p);
        link(s, "state", e.state);
        link(s, "parentOrganization", e.partOf);
        for (const d of e.dimensions) presentLink(s, "dimension", d, true);
        e.nameHistory.forEach((n, i) => {
          const node = entityIri(e.id, `name-${i + 1}`);
          fact(s, "nameHistory", { iri: node }, n.provenance);
          type(node, "OfficeName", n.provenance);
          fact(node, "name", str(n.text), n.provenance);
          dated(node, n.when);
          if (n.decidedBy) fact(node, "decidedBy", iri(n.decidedBy), n.provenance);
          if (n.change) fact(node, "change", str(n.change.kind), n.change.provenance);
        });
        e.locations.forEach((l, i) => {
          const node = entityIri(e.id, `location-${i + 1}`);
          fact(s, "seat", { iri: node }, l.provenance);
          type(node, "OfficeLocation", l.provenance);
          fact(node, "location", iri(l.place), l.provenance);
          dated(node, l.when);
        });
        e.predecessors.forEach((pre, i) => {
          const node = entityIri(e.id, `predecessor-${i + 1}`);
          fact(s, "succession", { iri: node }, pre.provenance);
          type(node, "Succession", pre.provenance);
          fact(node, "predecessor", iri(pre.ref), pre.provenance);
          fact(node, "successor", iri(e.id), pre.provenance);
          fact(node, "change", str(pre.kind), pre.provenance);
          if (pre.decidedBy) fact(node, "decidedBy", iri(pre.decidedBy), pre.provenance);
          dated(node, pre.when);
        });
        break;
      }
      case "person": {
        const e = graph.get("person", entity.id)!;
        type(s, "Person", p);
        names(s, e);
        if (e.title) fact(s, "honorificPrefix", str(e.title.text), e.title.provenance);
        link(s, "nationality", e.nationality);
        break;
      }
      case "post": {
        const e = graph.get("post", entity.id)!;
        type(s, "Post", p);
        names(s, e);
        fact(s, "postKind", str(e.kind), p);
        link(s, "office", e.office);
        // whoever holds it heads its office (model.ts headsItsOffice, the API's Post.headsOffice):
        // a HEAD_OF_OFFICE post by its kind, another by the data's word, with its provenance. A
        // reader working heads out of HEAD_OF_OFFICE lost the Special Representative (review 6)
        if (e.office && headsItsOffice(e))
          fact(s, "headsOffice", iri(e.office.ref), e.headsOffice?.provenance ?? p);
        link(s, "state", e.state);
        break;
      }
      case "tenure": {
        const e = graph.get("tenure", entity.id)!;
        type(s, "Tenure", p);
        fact(s, "post", iri(e.post), p);
        fact(s, "holder", iri(e.holder), p);
        fact(s, "timing", str(e.timing), p);
        dated(s, e.when, { moment: e.timing === "POINT_IN_TIME" });
        break;
      }
      case "event": {
        const e = graph.get("event", entity.id)!;
        type(s, "Event", p);
        names(s, e);
        fact(s, "eventKind", str(e.kind), p);
        dated(s, e.when, { schemaDates: true });
        link(s, "location", e.place);
        e.participants.forEach((x, i) => {
          const node = entityIri(e.id, `participant-${i + 1}`);
          fact(s, "participation", { iri: node }, x.provenance);
          type(node, "Participation", x.provenance);
          fact(node, "participant", iri(x.ref), x.provenance);
          fact(node, "role", str(x.role), x.provenance);
          if (x.capacity) fact(node, "capacity", iri(x.capacity), x.provenance);
        });
        break;
      }
      case "priority": {
        const e = graph.get("priority", entity.id)!;
        type(s, "Priority", p);
        names(s, e);
        fact(s, "priorityKind", str(e.kind), p);
        dated(s, e.when);
        // an undated priority is stated as of the source's update (a programme has its own date):
        // the day, with the quote that gives it
        const asOf = e.when ? undefined : statedAsOf(graph, p);
        if (asOf)
          fact(
            s,
            "statedAsOf",
            { value: graph.date(asOf).edtf, datatype: EDTF_DATATYPE },
            asOf.provenance,
          );
        link(s, "state", e.state);
        link(s, "dimension", e.dimension);
        for (const c of e.concerns) link(s, "concerns", c);
        // the keynote of its state's activities (Priority.keynote), with the sentence that says so
        if (e.keynote) fact(s, "keynoteOf", iri(e.state.ref), e.keynote.provenance);
        break;
      }
      case undefined:
        throw new Error(`not an entity key: ${entity.id}`);
    }
  }

  return facts;
}

/** Each fact, followed by its reification with its provenance. */
function reified(facts: Map<string, Fact>): Triple[] {
  const triples: Triple[] = [];
  for (const fact of facts.values()) {
    const { triple, provenance } = fact;
    triples.push(triple);
    const statement = `${ENTITY_BASE}fact/${createHash("sha256").update(tripleLine(triple)).digest("hex").slice(0, 20)}`;
    const add = (term: PredicateTerm | "type", object: Term) =>
      triples.push({
        subject: statement,
        predicate: term === "type" ? RDF_TYPE : predicateIri(term),
        object,
      });
    add("type", { iri: iriOf(CLASSES.Statement) });
    add("subject", { iri: triple.subject });
    add("predicate", { iri: triple.predicate });
    add("object", triple.object);
    if (fact.statedAsOf !== undefined)
      add("statedAsOf", { value: fact.statedAsOf, datatype: EDTF_DATATYPE });
    const sources = new Set<string>();
    for (const p of provenance) {
      if ("quote" in p) {
        if (!sources.has(p.source)) add("wasDerivedFrom", { iri: entityIri(p.source) });
        sources.add(p.source);
        add("quote", { value: p.quote });
      } else add("editorialNote", { value: p.editorial });
    }
  }
  return triples;
}

// ---------------------------------------------------------------------------------- N-Triples

function escapeLiteral(value: string): string {
  return value.replace(
    /[\\"\n\r]/g,
    (c) => ({ "\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r" })[c]!,
  );
}

function termText(term: Term): string {
  if ("iri" in term) return `<${term.iri}>`;
  return `"${escapeLiteral(term.value)}"${term.datatype ? `^^<${term.datatype}>` : ""}`;
}

function tripleLine(t: Triple): string {
  return `<${t.subject}> <${t.predicate}> ${termText(t.object)} .`;
}

export function toNTriples(triples: readonly Triple[]): string {
  return triples.map((t) => `${tripleLine(t)}\n`).join("");
}

// ------------------------------------------------------------------------------------ JSON-LD

/** The `@context`: prefixes, one term per predicate (with the type of its values) and per class. */
export function jsonLdContext(): Record<string, unknown> {
  const context: Record<string, unknown> = {
    rdf: NS.rdf,
    xsd: NS.xsd,
    prov: NS.prov,
    schema: NS.schema,
    kz: NS.kz,
    kzg: NS.kzg,
    edtf: EDTF_DATATYPE,
  };
  for (const [term, [prefix, local, kind]] of Object.entries(PREDICATES)) {
    const id = `${prefix}:${local}`;
    const coercion = {
      iri: "@id",
      edtf: "edtf",
      date: "xsd:date",
      string: undefined,
      mixed: undefined,
    }[kind];
    context[term] = coercion ? { "@id": id, "@type": coercion } : id;
  }
  for (const [term, [prefix, local]] of Object.entries(CLASSES))
    context[term] = `${prefix}:${local}`;
  return context;
}

const byIri = new Map<string, { term: string; kind: ValueKind }>(
  Object.entries(PREDICATES).map(([term, def]) => [
    iriOf([def[0], def[1]]),
    { term, kind: def[2] },
  ]),
);
const classByIri = new Map<string, string>(
  Object.entries(CLASSES).map(([term, def]) => [iriOf(def), term]),
);

/** An IRI shortened with the `kzg:` prefix where it has it (a compact IRI the context expands back). */
function compact(iri: string): string {
  for (const prefix of ["kzg", "schema", "kz", "prov", "rdf", "xsd"] as const) {
    if (iri.startsWith(NS[prefix])) return `${prefix}:${iri.slice(NS[prefix].length)}`;
  }
  return iri;
}

/** The triples as a JSON-LD document: one node object per subject, in the order of the triples. */
export function toJsonLd(triples: readonly Triple[]): {
  "@context": Record<string, unknown>;
  "@graph": Record<string, unknown>[];
} {
  return { "@context": jsonLdContext(), "@graph": jsonLdNodes(triples) };
}

/** The node objects of the triples, one per subject, in the order of the triples. */
function jsonLdNodes(triples: readonly Triple[]): Record<string, unknown>[] {
  const nodes = new Map<string, Record<string, unknown>>();
  const datatypeOf = { edtf: EDTF_DATATYPE, date: XSD_DATE } as Record<
    ValueKind,
    string | undefined
  >;
  for (const t of triples) {
    let node = nodes.get(t.subject);
    if (!node) nodes.set(t.subject, (node = { "@id": compact(t.subject) }));
    let key: string;
    let value: unknown;
    if (t.predicate === RDF_TYPE && "iri" in t.object) {
      key = "@type";
      value = classByIri.get(t.object.iri) ?? compact(t.object.iri);
    } else {
      const def = byIri.get(t.predicate);
      if (!def) throw new Error(`no JSON-LD term for ${t.predicate}`);
      key = def.term;
      const o = t.object;
      if (def.kind === "iri" && "iri" in o) value = compact(o.iri);
      else if ("iri" in o) value = { "@id": compact(o.iri) };
      else if (def.kind === "string" && o.datatype === undefined) value = o.value;
      else if (
        def.kind !== "mixed" &&
        o.datatype !== undefined &&
        datatypeOf[def.kind] === o.datatype
      )
        value = o.value;
      else if (o.datatype === undefined) value = { "@value": o.value };
      else
        value = {
          "@value": o.value,
          "@type": o.datatype === EDTF_DATATYPE ? "edtf" : compact(o.datatype),
        };
    }
    const existing = node[key];
    node[key] =
      existing === undefined
        ? value
        : Array.isArray(existing)
          ? [...existing, value]
          : [existing, value];
  }
  return [...nodes.values()];
}

// ------------------------------------------------------------------------ the exports, in pieces

export type ExportFormat = "ntriples" | "jsonld";

/**
 * The export of `format` a piece at a time: the same text as rdfExport's `ntriples` and `jsonld`
 * once concatenated (tests compare them), but never more than one entity's worth at once. N-Triples:
 * one piece per entity; JSON-LD: the `@context` and the opening of `@graph`, then each entity's
 * node objects (as `JSON.stringify(document, null, 1)` lays them out), then the closing. The caller
 * decides how many pieces make a slice of work and when to let the event loop turn
 * (src/server/export-routes.ts); a million entities never become one string.
 */
export function* exportPieces(graph: KnowledgeGraph, format: ExportFormat): Generator<string> {
  if (format === "ntriples") {
    for (const entity of allEntities(graph)) yield toNTriples(entityTriples(graph, entity));
    return;
  }
  contextText ??= JSON.stringify(jsonLdContext(), null, 1).replace(/\n/g, "\n ");
  yield `{\n "@context": ${contextText},\n "@graph": [`;
  let first = true;
  for (const entity of allEntities(graph)) {
    let piece = "";
    for (const node of jsonLdNodes(entityTriples(graph, entity))) {
      // JSON.stringify escapes line breaks inside strings: every "\n" here is between tokens
      piece += `${first ? "" : ","}\n  ${JSON.stringify(node, null, 1).replace(/\n/g, "\n  ")}`;
      first = false;
    }
    yield piece;
  }
  yield `${first ? "" : "\n "}]\n}\n`;
}
let contextText: string | undefined;
