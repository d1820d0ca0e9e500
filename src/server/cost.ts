/**
 * The cost of an operation: an upper bound of the work its execution can do, in units of about
 * 2 µs of CPU time each (bench/cost-unit.ts measures them; bench/RESULTS.md, "Cost"), computed
 * from the document, its (coerced) variables and the graph's shape (src/graph/shape.ts) before
 * anything executes.
 *
 * - Every object a field may return costs OBJECT; scalars and enums are free, but for long strings (below).
 * - A list holds what the data can really hold: a connection's `edges` and `nodes` hold
 *   min(page size, the most items one parent has in that relation) — the page size being
 *   `first` or `last` (capped at MAX_PAGE_SIZE, as larger values are refused), or
 *   DEFAULT_PAGE_SIZE when neither is given; a plain list holds the most items one parent has
 *   (`provenance` the longest provenance of any fact). `nodes(ids:)` holds as many entries as
 *   ids given, `_entities(representations:)` (subgraph mode) as many as representations. A list
 *   the shape does not know is assumed to hold `listSize`.
 * - A list that is filtered, ordered or read as of a date takes every item of its relation (a
 *   root list: every item of its kind, or, when its filter names a value of a field an index
 *   answers, at most the values named × the most items one value selects: the shape's
 *   `filterIndexes`) and tests it: those items × (SCAN + its conditions ×
 *   CONDITION), plus COMPILE per condition and IN_VALUE per value of its `in` lists, per parent (conditions: filter.ts,
 *   `filterConditions`; each order key and `asOf` count one). A list of tenures tests `asOf`
 *   against each tenure's numbers instead (SPAN_TEST per tenure of the root list,
 *   SPAN_TEST_BY_KEY of a relation's), and with every certainty asked not at all (its page alone
 *   is marked). An office's tenures and heads are gathered and sorted on every request: GATHER
 *   per item, per parent, whatever the arguments. `search` costs the terms it looks up (its
 *   words and their camelCase parts: queryLookups) × the searchable entities × SEARCH_WORD, and
 *   SEARCH_SPELLING per spelling of each (eight romanisations of a Cyrillic one); its filter and order are not a scan of the searchable entities: a
 *   filter on kinds alone in relevance order costs COMPILE per condition and a test of each kind
 *   (the index is handed the kinds), any other (dates, name kinds, another order) SCAN + its
 *   conditions × CONDITION per hit the query's words can reach (`searchHits`: the postings of
 *   their expansions, SearchIndex.reach). `path` costs the most entities its search can visit
 *   × PATH_VISIT. The timeline is a root list like the others (its `entity` and `kind`
 *   answered by indexes), but tests its entries on its columns:
 *   TIMELINE_SCAN + TIMELINE_CONDITION per condition + TIMELINE_ENTITY_TEST per `entity`.
 * - `nodes(ids:)` costs NODE_ID per id besides its objects: each id is decoded and loaded alone;
 *   and `_entities(representations:)` as much per representation, which is read and loaded the
 *   same way (src/schema/item-answers.ts).
 * - A string whose longest value (the shape's `textLengths`: a source's text, a quote, a
 *   description) is a kilobyte or more costs TEXT_KB per kilobyte of that longest value, per
 *   object: a page of source texts is megabytes of answer. Other scalars and enums are free.
 * - Introspection: `__schema` and `__type` cost INTROSPECTION per object their selection returns
 *   and INTROSPECTION_FIELD per field of those objects (each response key, `__typename` and
 *   aliases included), counted exactly over the schema, which is static (`introspectionCounter`),
 *   and the counting stops once the operation is over the limit (`maxCost`); `__typename` on the
 *   graph's own objects is free.
 * - Fragments are expanded the way execution does: a fragment spread twice in one selection set
 *   counts once, and fields with one response key are merged.
 *
 * Alongside the total, the walk keeps what each field path costs (by field names, aliases
 * merged: `offices.nodes.tenures`), to tell a refused client where its cost comes from, and it
 * finds the first `filter` argument with more conditions than allowed.
 *
 * It is run from an envelop `onExecute` hook (limits.ts) and reads graphql-js through its public
 * API only. No library counts what it counts (graphql-armor's cost limit prices a document
 * statically, without variables or data); bench/validation-and-cost.ts times the two side by side.
 */

import {
  __Type,
  type DocumentNode,
  defaultFieldResolver,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLResolveInfo,
  type GraphQLSchema,
  type GraphQLType,
  getArgumentValues,
  getNamedType,
  getNullableType,
  getOperationAST,
  getVariableValues,
  isAbstractType,
  isCompositeType,
  isInterfaceType,
  isLeafType,
  isListType,
  isObjectType,
  Kind,
  type OperationDefinitionNode,
  SchemaMetaFieldDef,
  type SelectionSetNode,
  TypeMetaFieldDef,
  typeFromAST,
  type ValueNode,
} from "graphql";
import { filterSize, MAX_FILTER_DEPTH } from "../graph/filter.js";
import {
  MAX_QUERY_TERMS,
  queryLookups,
  type SearchableKind,
  searchableKinds,
} from "../graph/search.js";
import { ranksEveryHit, type SearchListArgs, testsEveryName } from "../graph/search-hits.js";
import type { GraphShape } from "../graph/shape.js";
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from "../schema/pagination.js";
import { serviceSdlLength } from "../schema/service-sdl.js";
import { DOCUMENT_CACHE_WEIGHT, documentWeight } from "./document-cache.js";

/**
 * The price of each kind of work, in cost units (about 2 µs each), as measured by
 * bench/cost-unit.ts on the built-in data and at 100k entities (bench/RESULTS.md, "Cost").
 */
export const COST_WEIGHTS = {
  /** One object resolved and serialised with its scalars (through its loader, its resolvers' promises): 3-8 µs. */
  OBJECT: 3,
  /** One item a filtered, ordered or as-of list takes and tests, whatever its conditions: about 4 µs. */
  SCAN: 2,
  /** One condition of a filter tested on one item (the dearest kind, `contains`, folds every name): about 0.5 µs. */
  CONDITION: 0.25,
  /** One condition compiled (once per list, per parent). */
  COMPILE: 0.05,
  /**
   * One value of a filter's `in` list, resolved and compiled (a key looked up among the graph's),
   * once per list, per parent: about 1 µs (an `in` of 1,000 keys on 100 parents' lists, 12 times
   * over, took 1.6 s of CPU while priced as 12 conditions).
   */
  IN_VALUE: 0.5,
  /** One term a search looks up (a word, a camelCase part), against one searchable entity (the postings it reaches, summed): about 0.01 µs. */
  SEARCH_WORD: 0.005,
  /**
   * One spelling of a term a search looks up (a Cyrillic one has up to eight romanisations): a
   * fuzzy walk of the dictionary's trie with up to two edits, at most about 40 µs (a 199-letter
   * Cyrillic camelCase query of 40 terms and 320 spellings ran 10-61 ms, median 15, at 100k).
   */
  SEARCH_SPELLING: 20,
  /** One entity visited by a shortest-path search, with its neighbours: about 0.6 µs. */
  PATH_VISIT: 0.3,
  /**
   * One tenure of a list of tenures read as of a date, tested against its four day numbers
   * (src/graph/tenure-spans.ts) rather than read: about 35 ns on the root list at 100k
   * (bench/RESULTS.md, "The frontend after tenures(asOf:)..."), priced at 100 ns.
   */
  SPAN_TEST: 0.05,
  /**
   * The same test on a relation's list of tenures (a person's, a post's, an office's), which finds
   * each tenure's numbers by its key (a binary search on a snapshot-loaded graph): 0.4-0.55 µs a
   * tenure at 100k, priced at 0.6 µs.
   */
  SPAN_TEST_BY_KEY: 0.3,
  /**
   * One item of a relation list that is gathered and sorted on every request rather than read from
   * an index (an office's tenures and heads: the tenures of each of its posts, in date order).
   */
  GATHER: 1,
  /**
   * One timeline entry taken and tested (src/graph/lists.ts, `selectTimeline`): the timeline's
   * columns answer its date and kind without making the entry, 0.07-0.34 µs an entry with one
   * date or kind condition at 100k (a `date.overlaps` over all 89,000 entries: 15-30 ms), so the
   * timeline's tests are priced TIMELINE_SCAN + TIMELINE_CONDITION per condition instead of SCAN
   * + CONDITION...
   */
  TIMELINE_SCAN: 0.1,
  TIMELINE_CONDITION: 0.05,
  /**
   * ...and each `entity` condition besides, which derives the entry's involved entities from the
   * graph: 0.9-1.1 µs an entry (a `not: {entity}` over the whole timeline at 100k: 78-100 ms).
   */
  TIMELINE_ENTITY_TEST: 0.5,
  /**
   * One kilobyte (1,024 characters) of a long string returned (shape.ts `textLengths`: a source's
   * text, a quote, a description), priced by the longest value the field can give: serialising,
   * compressing and sending it, about 5-6 µs a KB (30 pages of 100 source texts, 277 MB, held the
   * event loop 1.3-1.7 s at 100k entities). A string whose longest value is under a kilobyte is
   * paid for by its object (OBJECT).
   */
  TEXT_KB: 3,
  /**
   * One kilobyte of the subgraph's SDL (`_service { sdl }`, 205 KB: the whole schema in one
   * string), priced as introspection is (INTROSPECTION_LIMIT), so that an operation may ask for it
   * once: at 3 a KB, like other texts, 60 of it in a batch of two operations (1.8 KB) cost 180 and
   * were answered with 12.6 MB, 411-431 ms of CPU (red team 38, F1).
   */
  SDL_KB: 40,
  /**
   * One id of `nodes(ids:)`, decoded and loaded on its own (or answered with an error of its own),
   * beside its object: 15-45 µs an id at 100k entities (30 lists of 1,000 ids held the event loop
   * 371-802 ms), OBJECT + NODE_ID in all. As much for one representation of `_entities` (subgraph
   * mode), the same work by key: priced at OBJECT alone, 30 aliases over 1,000 representations
   * cost 90,000 and took 0.33-1.5 s of CPU (red team 6).
   */
  NODE_ID: 10,
  /**
   * One object an introspection returns (the schema, a type, a type reference, a field, an
   * argument, an input field, an enum value, a directive), counted from what is selected under
   * `__schema` or `__type` (`introspectionCounter`), resolved and serialised by graphql-js...
   */
  INTROSPECTION: 1,
  /**
   * ...and each field of its answer: each response key of each of those objects (a leaf such as
   * `name` or `description`, each alias of it, `__typename`, a field of objects, null or not) and
   * the root field's own. Measured by bench/introspection-price.ts (production mode, CPU time, six
   * runs at load 14-17 on 2 cores: bench/results/2026-12-05-introspection-leaves.txt), a least
   * squares fit over 18 shapes gives 0.4-0.56 µs an object and 0.56-0.68 µs a field; but answers
   * of many small objects cost more an object (30 aliases of `types { fields { args { name } } }`:
   * 2.7-2.8 µs an object with its one field) and field-heavy ones 0.45-0.8 µs a field. At 1 and
   * 0.5 the dearest shapes come to 1.2-1.9 µs a unit (those 30 aliases 1.8-1.9, the widest
   * selection 1.4-1.6, 600 aliases of `__typename` on every field 1.2-1.5, 30 aliases of
   * `description` on every field 1.1-1.3), GraphiQL's query to 1.0-1.2 (10,994 units; 11,694 with
   * every option, under INTROSPECTION_LIMIT). Priced by objects alone (3.25 each, leaves free), 29
   * aliases of `description` on every field cost 2,500 and 600 aliases of `__typename` (which the
   * alias limit does not count) 2,503, for 200-260 ms of CPU: 80-105 µs a unit.
   */
  INTROSPECTION_FIELD: 0.5,
} as const;

/**
 * The spellings an operation's pricing may walk for the reach of its searches (`searchHits`,
 * SearchIndex.reach: a fuzzy walk of the dictionary each, at most about 40 µs): about 10 ms. A
 * search past it is priced by the searchable entities, as if it reached them all.
 */
export const REACH_SPELLINGS = 256;

/** About how long a unit of cost takes, in ms (about 2 µs: bench/cost-unit.ts measures them). */
export const COST_UNIT_MS = 0.002;

/** The characters of a kilobyte of text (TEXT_KB), and the longest string an object's own price covers. */
const KB = 1024;

/** The relations whose lists are gathered on every request (GATHER per item, per parent). */
const GATHERED = new Set(["Office.tenures", "Office.heads"]);

/**
 * The type of every list of tenures (src/schema/tenure.ts): read as of a date, such a list tests
 * each tenure's numbers, not the tenure (SPAN_TEST instead of SCAN + CONDITION), and not at all
 * when every certainty is asked (only the page is marked).
 */
const TENURE_LIST = "TenureConnection";
const EVERY_CERTAINTY = ["YES", "MAYBE", "NO"];

export interface CostOptions {
  /** The graph's shape: how many items each list can hold. Without it, every list holds `listSize`. */
  shape?: GraphShape | undefined;
  /** Entries assumed for a list the shape does not know. */
  listSize: number;
  /**
   * The most hits a search of `query` can have, of these kinds (SearchIndex.reach: the postings
   * its words' expansions hold); without it, a search that ranks every hit is priced as if every
   * searchable entity were one.
   */
  searchHits?:
    | ((
        query: string,
        kinds: readonly SearchableKind[] | undefined,
        /** the names it may reach instead (SearchIndex.reach's `names`): a filter on the matched name tries each */
        everyName?: boolean,
      ) => number)
    | undefined;
  /**
   * The names the search index holds (SearchIndex.nameCount): what a search whose filter tries
   * every name of a hit (search-hits.ts `testsEveryName`) is priced by when its reach is not asked.
   * Without it, the searchable entities.
   */
  searchNames?: number | undefined;
  /** The most conditions one `filter` argument may hold (filter.ts, `filterConditions`); unbounded when absent. */
  maxFilterConditions?: number | undefined;
  /**
   * The cost limit: an introspection stops counting its objects once the operation's cost is
   * past it (the cost is then a lower bound, above the limit). Counted whole when absent.
   */
  maxCost?: number | undefined;
  /**
   * Introspection's limit (INTROSPECTION_LIMIT): its counting stops once its
   * own part is past it, for a hostile document is refused there (30 aliases counted to the whole
   * limit took 20 ms warm, 150 ms cold, where 4 ms reach the share).
   */
  maxIntrospection?: number | undefined;
}

/** A `filter` argument over the limit: where it is and how many conditions it holds. */
export interface TooLargeFilter {
  /** The field path of the list, by field names: `offices.nodes.tenures`. */
  path: string;
  /** The variable that gave the whole filter, if one did. */
  variable: string | undefined;
  conditions: number;
}

export type CostResult =
  | {
      ok: true;
      cost: number;
      /** The field path whose own work costs most (its objects and its lists' tests), and that cost. */
      costliest: { path: string; cost: number } | undefined;
      /** False when the document was too large to walk whole: `cost` is then a lower bound. */
      complete: boolean;
      /**
       * The part of `cost` that introspection takes (`__schema`, `__type`): graphql-js resolves
       * it in one go, with no slice (limits.ts bounds it by INTROSPECTION_LIMIT).
       */
      introspection: number;
      /** The first filter with too many conditions, when there is one (the walk stops there). */
      tooLargeFilter?: TooLargeFilter;
    }
  /** The variables do not fit the operation: execution reports that itself, so no cost is given. */
  | { ok: false };

/**
 * What introspection may cost, whatever the cost limit. graphql-js resolves `__schema` and `__type`
 * in one go, with no checkpoint, so this bounds the one turn of the event loop such an operation
 * holds (execution's own slices are 20 ms). A quarter of the cost limit (31,250) let three aliases
 * of a full introspection through (30,960, a 1 MB answer), each held one turn for 54-255 ms of
 * CPU at load 4-14, where one alone (10,320) took 15-31 (red team 8). 15,000 lets GraphiQL's and
 * codegen's introspection through (10,994; 11,694 with every option) with some room, and no two
 * of them: bench/attack/introspection-turns.mjs prints the turns.
 */
export const INTROSPECTION_LIMIT = 15_000;

/** Fields visited at most: fragments spread in fragments can make a small document a huge tree. */
const MAX_VISITS = 100_000;

/**
 * Field plans (the fields with a selection of their own, once their fragments are expanded) one
 * operation's walk may make; past them it is too large to price. Each plan is made as the walk
 * first reaches its place (`select`: the fields merged, a map, an array, a path), about 5 µs, and
 * fragments spread in fragments multiply places: thirteen fragments, each spreading the next
 * under `previous` and `next` (1 KB, within the depth limit), made 8,192 plans, and the loop was
 * held 45-65 ms on a quiet host, 200-430 ms on a busy one, 1.8 s for a process's first (red team
 * 40's tree.ts, `BIN=1`); refused at this bound in about 13 ms (bench/fragment-trees.ts; the
 * direct pipeline's admission prices it once for Yoga's too: limits.ts `lastCost`). The explorer's documents and the examples
 * make at most 21, introspection none; but a page's Relay-style fragments side by side make
 * hundreds (tests/fixtures/page-documents.ts, review 41: comparing six offices, 966, though its
 * cost is over the limit; a home page of panels comparing two, 603, cost 104,023), so the bound
 * leaves them twice that.
 */
export const MAX_PLAN_ENTRIES = 2_000;

/** Thrown inside the walk to stop it. */
class Stop {
  constructor(readonly tooLargeFilter?: TooLargeFilter) {}
}

/**
 * What the walk needs to know of one selected field (one response key and definition, its field
 * nodes merged) that depends on the document and the schema alone, never on the variables or the
 * graph: worked out once per document (see PlanCache) instead of on every request.
 */
interface FieldPlan {
  readonly field: GraphQLField<unknown, unknown>;
  readonly nodes: readonly FieldNode[];
  /** The field path by field names: `offices.nodes.tenures`. */
  readonly at: string;
  readonly named: GraphQLCompositeType;
  readonly list: boolean;
  /** `edges` or `nodes`: sized by the page of the connection above. */
  readonly entries: boolean;
  /** The field's type is a connection: its arguments give the page of its `edges` and `nodes`. */
  readonly connection: boolean;
  readonly rootSearch: boolean;
  readonly rootPath: boolean;
  readonly entities: boolean;
  /** The shape's key of the relation (`Office.posts`), `provenance` for any provenance list. */
  readonly relation: string;
  /** On an abstract parent, the keys of the relation on each of its possible types. */
  readonly possibleRelations: readonly string[] | undefined;
  /** The field's arguments when none is a variable: the same for every request, so computed once. */
  constantArgs: Record<string, unknown> | undefined;
  readonly variableArgs: boolean;
  /** The fields selected under it, worked out the first time a walk goes there. */
  children: Selected[] | undefined;
}

/**
 * A string leaf that may be long (priced by the shape's `textLengths` of its keys), or an
 * introspection root field (priced by the schema's size).
 */
interface PricedLeaf {
  readonly at: string;
  /** The shape's keys of the field: `Source.text`, or on an abstract parent one per possible type. */
  readonly textKeys?: readonly string[];
  /** An introspection root field, priced by what its selection returns (`introspectionCounter`). */
  readonly introspection?: {
    readonly field: GraphQLField<unknown, unknown>;
    readonly nodes: readonly FieldNode[];
  };
}

/** A selected field with objects to cost, a priced leaf, or a run of leaf fields (counted as visits, free of cost). */
type Selected = FieldPlan | PricedLeaf | number;

/** The plan of one operation of one document for one schema. */
interface OperationPlan {
  readonly operation: OperationDefinitionNode;
  readonly root: GraphQLObjectType;
  readonly fragments: ReadonlyMap<string, FragmentDefinitionNode>;
  rootFields: Selected[] | undefined;
  /** Field plans made so far (the cache's measure of its size). */
  size: number;
}

/**
 * The plans of the documents seen at least twice (a one-off document's plan is dropped after its
 * walk), keyed by the DocumentNode itself, so that a plan is only ever used for the very document
 * it was made from: Yoga's parse cache hands the same DocumentNode for the same query text, and a
 * document that differs in one character is another DocumentNode. Bounded in documents and in
 * field plans, least recently used first out; a plan larger than MAX_PLAN_FIELDS is never kept.
 */
class PlanCache {
  private readonly plans = new Map<DocumentNode, Map<string, OperationPlan>>();
  /** Documents seen once: a plan is kept from the second time on. */
  private readonly seen = new WeakSet<DocumentNode>();
  private fields = 0;
  /** The kept documents' weight (document-cache.ts): each holds its text and AST. */
  private readonly weights = new WeakMap<DocumentNode, number>();
  private weight = 0;

  constructor(
    private readonly maxDocuments: number,
    private readonly maxFields: number,
  ) {}

  /** The kept plan of this document and operation name, or undefined. */
  get(document: DocumentNode, name: string): OperationPlan | undefined {
    const byName = this.plans.get(document);
    const plan = byName?.get(name);
    if (plan) {
      // most recently used last
      this.plans.delete(document);
      this.plans.set(document, byName!);
    }
    return plan;
  }

  /** Keep `plan` after a walk, if the document has been seen before and the plan is small enough. */
  offer(document: DocumentNode, name: string, plan: OperationPlan, before: number): void {
    const byName = this.plans.get(document);
    if (byName?.get(name) === plan) {
      // a kept plan that grew (a walk went where none went before)
      this.fields += plan.size - before;
      if (plan.size > MAX_PLAN_FIELDS) this.drop(document);
    } else {
      if (!this.seen.has(document)) {
        this.seen.add(document);
        return;
      }
      if (plan.size > MAX_PLAN_FIELDS) return;
      if (byName) byName.set(name, plan);
      else {
        const weight = documentWeight(document.loc?.source.body ?? "", document);
        if (weight > DOCUMENT_CACHE_WEIGHT / 8) return;
        this.plans.set(document, new Map([[name, plan]]));
        this.weights.set(document, weight);
        this.weight += weight;
      }
      this.fields += plan.size;
    }
    for (const oldest of this.plans.keys()) {
      if (
        this.plans.size <= this.maxDocuments &&
        this.fields <= this.maxFields &&
        this.weight <= DOCUMENT_CACHE_WEIGHT
      )
        break;
      this.drop(oldest);
    }
  }

  private drop(document: DocumentNode): void {
    for (const plan of this.plans.get(document)?.values() ?? []) this.fields -= plan.size;
    if (this.plans.delete(document)) this.weight -= this.weights.get(document) ?? 0;
  }

  /** Documents with a kept plan (for tests). */
  get documents(): number {
    return this.plans.size;
  }
}

/** Field plans one document may keep; a larger one (fragments multiplying fields) is walked anew each time. */
const MAX_PLAN_FIELDS = 5_000;
const planCaches = new WeakMap<GraphQLSchema, PlanCache>();
/** Documents and field plans kept per schema: about 250 bytes a field plan, 25 MB at most, beside the documents themselves (DOCUMENT_CACHE_WEIGHT). */
const PLAN_CACHE_DOCUMENTS = 1_000;
const PLAN_CACHE_FIELDS = 100_000;

/** The plan cache of `schema` (exported for tests). */
export function planCacheOf(schema: GraphQLSchema): PlanCache {
  let cache = planCaches.get(schema);
  if (!cache)
    planCaches.set(schema, (cache = new PlanCache(PLAN_CACHE_DOCUMENTS, PLAN_CACHE_FIELDS)));
  return cache;
}

export function operationCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  rawVariables: Record<string, unknown> | null | undefined,
  options: CostOptions,
): CostResult {
  const cache = planCacheOf(schema);
  const name = operationName ?? "";
  let plan = cache.get(document, name);
  if (!plan) {
    const operation = getOperationAST(document, operationName ?? undefined);
    if (!operation) return { ok: false };
    const root = schema.getRootType(operation.operation);
    if (!root) return { ok: false };
    const fragments = new Map<string, FragmentDefinitionNode>();
    for (const definition of document.definitions) {
      if (definition.kind === Kind.FRAGMENT_DEFINITION)
        fragments.set(definition.name.value, definition);
    }
    plan = { operation, root, fragments, rootFields: undefined, size: 0 };
  }
  const before = plan.size;
  const result = walk(schema, plan, rawVariables, options);
  cache.offer(document, name, plan, before);
  return result;
}

/** A price as a whole number of units, never below 0 (a float's dust rounded off first). */
function rounded(n: number): number {
  return Math.max(0, Math.ceil(n - 1e-9));
}

function walk(
  schema: GraphQLSchema,
  plan: OperationPlan,
  rawVariables: Record<string, unknown> | null | undefined,
  options: CostOptions,
): CostResult {
  // (whether they coerce is all the walk reads: without suggestions, which graphql-js makes in
  // the length of the value, an enum's or an input object's key, for a message nobody reads here)
  const coerced = getVariableValues(
    schema,
    plan.operation.variableDefinitions ?? [],
    rawVariables ?? {},
    { maxErrors: 1, hideSuggestions: true },
  );
  if (coerced.errors) return { ok: false };
  const variables = coerced.coerced;
  const { shape, listSize } = options;

  let total = 0;
  /** What introspection adds to `total`. */
  let introspected = 0;
  let visits = 0;
  // made at the first introspection field (most operations have none, and are priced per request)
  let introspection: ReturnType<typeof introspectionCounter> | undefined;
  /** The length of the SDL `_service` answers, in subgraph mode. */
  const serviceSdl = serviceSdlLength(schema);
  const byPath = new Map<string, number>();
  /** The most hits of each search asked (`searchHits`), by its kinds and query. */
  const reached = new Map<string, number>();
  /** What each search's query looks up (`searchLookups`), and the spellings walked by the reaches asked. */
  const lookups = new Map<string, { terms: number; spellings: number }>();
  let reachWalks = 0;
  // the walk's steps, methods of one object, not closures assigned to names: tsx names each of
  // those with Object.defineProperty whenever one is made, once per document (docs/performance.md)
  const w = {
    add(path: string, amount: number) {
      if (amount <= 0) return;
      total += amount;
      byPath.set(path, (byPath.get(path) ?? 0) + amount);
    },

    /** The most items one object holds in the relation `field`, from the shape; on an interface, the most of its implementations. */
    relationSize(field: FieldPlan): number | undefined {
      if (!shape) return undefined;
      if (field.relation === "provenance") return shape.provenance;
      const own = shape.relations.get(field.relation);
      if (own !== undefined || field.possibleRelations === undefined) return own;
      let most: number | undefined;
      for (const key of field.possibleRelations) {
        const size = shape.relations.get(key);
        if (size !== undefined) most = Math.max(most ?? 0, size);
      }
      return most;
    },

    argumentsOf(field: FieldPlan): Record<string, unknown> {
      if (!field.variableArgs && field.constantArgs !== undefined) return field.constantArgs;
      let args: Record<string, unknown>;
      try {
        args = getArgumentValues(field.field, field.nodes[0]!, variables);
      } catch {
        args = {}; // execution reports the bad argument itself
      }
      if (!field.variableArgs) field.constantArgs = args;
      return args;
    },

    /**
     * The conditions a list field tests each item with (its filter's, one per order key, one for
     * `asOf`), and the values its filter's `in` lists name.
     */
    conditionsOf(
      field: FieldPlan,
      args: Record<string, unknown>,
    ): { conditions: number; values: number } {
      let conditions = 0;
      let values = 0;
      if (args.filter !== undefined && args.filter !== null) {
        const size = filterSize(args.filter);
        const inFilter = size.conditions;
        values = size.values;
        if (options.maxFilterConditions !== undefined && inFilter > options.maxFilterConditions) {
          const given = field.nodes[0]!.arguments?.find((a) => a.name.value === "filter")?.value;
          throw new Stop({
            path: field.at,
            variable: given?.kind === Kind.VARIABLE ? given.name.value : undefined,
            conditions: inFilter,
          });
        }
        conditions += inFilter;
      }
      if (Array.isArray(args.orderBy)) conditions += args.orderBy.length;
      if (w.asOfOf(field, args) === "tested") conditions += 1;
      return { conditions, values };
    },

    /**
     * What a search of `query` looks up (queryLookups: 0.5-1.5 ms for a Cyrillic camelCase query
     * of 40 tokens, eight romanisations each); once the operation is over the limit (refused,
     * whatever the rest costs), its words, a lower bound found without romanising each alias's
     * tokens (30 such aliases took 15-44 ms to price).
     */
    searchLookups(query: string): { terms: number; spellings: number } {
      if (options.maxCost !== undefined && total > options.maxCost) {
        const words = Math.min(MAX_QUERY_TERMS, query.split(/\s+/).filter(Boolean).length);
        return { terms: words, spellings: words };
      }
      let found = lookups.get(query);
      if (found === undefined) lookups.set(query, (found = queryLookups(query)));
      return found;
    },

    /**
     * What a root `search` with `conditions` (its filter's and order's) does beside the index's own
     * work: a filter on kinds alone, in relevance order, is tried on each kind once and handed to
     * the index (search-hits.ts), as the deprecated `kinds` argument is, and only the page is
     * ranked; any other takes every hit, dates, tests and sorts it: SCAN + its conditions ×
     * CONDITION per hit, the hits bounded by the postings of the query's words (`searchHits`, red
     * team 6: priced as a scan of every searchable entity, about 158,700 units at 100k, every such
     * search was refused for 0.1-27 ms of CPU).
     */
    searchTests(args: Record<string, unknown>, conditions: number, searchable: number): number {
      const compiled = conditions * COST_WEIGHTS.COMPILE;
      const filter = args.filter as SearchListArgs["filter"];
      if (!ranksEveryHit(filter, args.orderBy as SearchListArgs["orderBy"]))
        return compiled + searchableKinds.length * conditions * COST_WEIGHTS.CONDITION;
      const kinds = Array.isArray(args.kinds) ? (args.kinds as SearchableKind[]) : undefined;
      // a filter on the matched name tries every name a hit's entity reached (search-hits.ts):
      // priced by the names the words reach, not the entities (an entity's names each a posting);
      // by every name the index holds when the reach is not asked (two aliases that spent the
      // spellings left 28 filtered searches of an office of 5,000 names priced 15 times below
      // their CPU: review 55)
      const everyName = testsEveryName(filter);
      let hits = everyName ? Math.max(searchable, options.searchNames ?? 0) : searchable;
      // the index's bound walks the words' expansions, about 50 µs a word of 9 letters at 100k,
      // where the search is priced 0.7 ms a word: asked once per query and kinds, and no more
      // once the operation is over the limit (it is refused then, by the searchable entities'
      // bound), so that pricing costs at most a few percent of the limit (30 aliases of 20
      // distinct such words: 18 asked, 17-19 ms of CPU, then refused)
      // ... and no more once the spellings walked for it pass REACH_SPELLINGS (a Cyrillic
      // camelCase query is 320 walks, 10-15 ms: 30 such aliases held the loop 250-700 ms in the
      // pricing, red team 51, F3): the hits of one not asked are the searchable entities
      const key = `${everyName ? "names" : ""}${kinds ? `[${kinds.join(",")}]` : "*"}|${args.query}`;
      let reach = reached.get(key);
      if (
        reach === undefined &&
        options.searchHits &&
        typeof args.query === "string" &&
        !(options.maxCost !== undefined && total > options.maxCost)
      ) {
        // (its lookups were priced just before: searchLookups keeps them while under the limit)
        const walks = w.searchLookups(args.query).spellings;
        if (reachWalks + walks <= REACH_SPELLINGS) {
          reachWalks += walks;
          // (no `kinds` and `kinds: []` apart: the empty list reaches no hit, and is refused only
          // when its field runs, so keyed alike it priced every later alias of the query at
          // nothing: the review of 5 December)
          reached.set(key, (reach = options.searchHits(args.query, kinds, everyName)));
        }
      }
      if (reach !== undefined) {
        hits = everyName ? reach : Math.min(searchable, reach);
      }
      return compiled + hits * (COST_WEIGHTS.SCAN + conditions * COST_WEIGHTS.CONDITION);
    },

    /** How a list reads `asOf`: not at all, each item tested as a condition, by the tenures' numbers, or only on the page. */
    asOfOf(field: FieldPlan, args: Record<string, unknown>): "none" | "tested" | "spans" | "page" {
      if (args.asOf === undefined || args.asOf === null) return "none";
      if (!field.field.args.some((a) => a.name === "asOf")) return "none";
      if (field.named.name !== TENURE_LIST) return "tested";
      const asked = Array.isArray(args.certainty) ? args.certainty : [];
      return EVERY_CERTAINTY.every((c) => asked.includes(c)) ? "page" : "spans";
    },

    /**
     * Add the cost of the fields `selected` on `multiplier` objects; `page` is set when they are
     * selected on a connection (how many entries its `edges` and `nodes` hold).
     */
    costOf(selected: Selected[], page: number | undefined, multiplier: number) {
      for (const entry of selected) {
        if (typeof entry === "number") {
          if ((visits += entry) > MAX_VISITS) throw new Stop();
          continue;
        }
        if (++visits > MAX_VISITS) throw new Stop();
        const at = entry.at;
        if (!("field" in entry)) {
          if (entry.introspection) {
            // the objects and fields it returns, counted until the operation is over the limit, or
            // its introspection over its share (then it is refused)
            const room =
              Math.min(
                Math.max(0, (options.maxCost ?? Number.POSITIVE_INFINITY) - total),
                Math.max(0, (options.maxIntrospection ?? Number.POSITIVE_INFINITY) - introspected),
              ) / multiplier;
            introspection ??= introspectionCounter(
              schema,
              plan.fragments,
              variables,
              () => ++visits <= MAX_VISITS,
            );
            const { price, complete } = introspection.count(entry.introspection, room);
            w.add(at, price * multiplier);
            introspected += price * multiplier;
            if (!complete) throw new Stop();
          } else if (serviceSdl !== undefined && entry.textKeys?.includes("_Service.sdl")) {
            // the subgraph's whole SDL in one string: priced as introspection, of which an
            // operation may take one (a gateway asks for it once, at composition)
            const price = (multiplier * serviceSdl * COST_WEIGHTS.SDL_KB) / KB;
            w.add(at, price);
            introspected += price;
          } else if (shape?.textLengths) {
            let longest = 0;
            for (const key of entry.textKeys ?? [])
              longest = Math.max(longest, shape.textLengths.get(key) ?? 0);
            if (longest >= KB) w.add(at, (multiplier * longest * COST_WEIGHTS.TEXT_KB) / KB);
          }
          continue;
        }
        const args = w.argumentsOf(entry);
        const items = w.relationSize(entry);

        // the work done once per parent before anything is returned: tests, searches
        const { conditions, values } = w.conditionsOf(entry, args);
        w.add(at, multiplier * values * COST_WEIGHTS.IN_VALUE);
        // a search's own lookups, before its hits' ranking (searchTests): an operation over the
        // limit by them asks the index for no reach (red team 51, F3: 30 aliases of camelCase
        // words, each asked, held the loop 250-700 ms in the pricing of a request then refused)
        if (entry.rootSearch && typeof args.query === "string") {
          const { terms, spellings } = w.searchLookups(args.query);
          w.add(
            at,
            multiplier *
              (terms * (shape?.searchable ?? listSize) * COST_WEIGHTS.SEARCH_WORD +
                spellings * COST_WEIGHTS.SEARCH_SPELLING),
          );
        }
        if (conditions > 0 && entry.rootSearch) {
          w.add(at, multiplier * w.searchTests(args, conditions, items ?? listSize));
        } else if (conditions > 0) {
          const scanned = Math.min(
            items ?? listSize,
            indexedCandidates(shape?.filterIndexes.get(entry.relation), args.filter) ??
              Number.POSITIVE_INFINITY,
          );
          const each =
            entry.relation === "Query.timeline"
              ? COST_WEIGHTS.TIMELINE_SCAN +
                conditions * COST_WEIGHTS.TIMELINE_CONDITION +
                fieldsNamed(args.filter, "entity") * COST_WEIGHTS.TIMELINE_ENTITY_TEST
              : COST_WEIGHTS.SCAN + conditions * COST_WEIGHTS.CONDITION;
          w.add(at, multiplier * (conditions * COST_WEIGHTS.COMPILE + scanned * each));
        }
        if (w.asOfOf(entry, args) === "spans")
          w.add(
            at,
            multiplier *
              (items ?? listSize) *
              (entry.relation === "Query.tenures"
                ? COST_WEIGHTS.SPAN_TEST
                : COST_WEIGHTS.SPAN_TEST_BY_KEY),
          );
        if (GATHERED.has(entry.relation))
          w.add(at, multiplier * (items ?? listSize) * COST_WEIGHTS.GATHER);
        if (entry.rootPath)
          w.add(at, multiplier * (shape?.pathVisits ?? listSize) * COST_WEIGHTS.PATH_VISIT);

        let size = 1;
        if (entry.list) {
          if (page !== undefined && entry.entries) size = page;
          else if (Array.isArray(args.ids)) {
            size = args.ids.length;
            w.add(at, multiplier * size * COST_WEIGHTS.NODE_ID);
          }
          // a gateway's batch of entities (subgraph mode): one entity per representation, each
          // read and loaded on its own as an id of nodes(ids:) is (item-answers.ts), and priced so
          else if (entry.entities && Array.isArray(args.representations)) {
            size = args.representations.length;
            w.add(at, multiplier * size * COST_WEIGHTS.NODE_ID);
          } else size = items ?? listSize;
        }
        const count = multiplier * size;
        if (count === 0) continue;
        w.add(at, count * COST_WEIGHTS.OBJECT);
        const childPage = entry.connection
          ? Math.min(pageSizeOf(args), items ?? Number.POSITIVE_INFINITY)
          : undefined;
        entry.children ??= select(
          schema,
          plan,
          entry.named,
          entry.nodes.flatMap((n) => (n.selectionSet ? [n.selectionSet] : [])),
          at,
        );
        w.costOf(entry.children, childPage, count);
      }
    },

    result(complete: boolean, tooLargeFilter?: TooLargeFilter): CostResult {
      let costliest: { path: string; cost: number } | undefined;
      for (const [path, cost] of byPath)
        if (!costliest || cost > costliest.cost) costliest = { path, cost };
      return {
        ok: true,
        cost: rounded(total),
        costliest: costliest && { path: costliest.path, cost: rounded(costliest.cost) },
        complete,
        introspection: rounded(introspected),
        ...(tooLargeFilter && { tooLargeFilter }),
      };
    },
  };

  try {
    plan.rootFields ??= select(schema, plan, plan.root, [plan.operation.selectionSet], "");
    w.costOf(plan.rootFields, undefined, 1);
  } catch (error) {
    if (error instanceof Stop) return w.result(false, error.tooLargeFilter);
    throw error;
  }
  return w.result(true);
}

/**
 * The fields selected on an object of `type` (one entry per response key and definition, with
 * its field nodes), in the order the walk takes them; fragments are expanded once per selection
 * set. On an abstract type every fragment counts, as if the object were of all its possible types
 * at once: an upper bound that keeps the walk linear in the size of the document. Introspection
 * fields (`__typename`...) are left out; consecutive leaf fields become one count.
 */
function select(
  schema: GraphQLSchema,
  plan: OperationPlan,
  type: GraphQLCompositeType,
  selectionSets: readonly SelectionSetNode[],
  path: string,
): Selected[] {
  const fields = new Map<
    string,
    Map<GraphQLField<unknown, unknown>, { parent: GraphQLCompositeType; nodes: FieldNode[] }>
  >();
  const gathering: Gathering = { schema, plan, type, fields, seenFragments: new Set() };
  for (const selectionSet of selectionSets) gather(gathering, selectionSet, type);

  const selected: Selected[] = [];
  const query = schema.getQueryType();
  for (const byField of fields.values()) {
    for (const [field, { parent, nodes }] of byField) {
      const at = path ? `${path}.${field.name}` : field.name;
      if (field.name === "__schema" || field.name === "__type") {
        selected.push({ at, introspection: { field, nodes } });
        continue;
      }
      if (field.name.startsWith("__")) continue;
      const named = getNamedType(field.type);
      if (named.name === "String") {
        selected.push({
          at,
          textKeys: isAbstractType(parent)
            ? schema.getPossibleTypes(parent).map((t) => `${t.name}.${field.name}`)
            : [`${parent.name}.${field.name}`],
        });
        continue;
      }
      if (isLeafType(named)) {
        const last = selected.length - 1;
        if (last >= 0 && typeof selected[last] === "number") (selected[last] as number)++;
        else selected.push(1);
        continue;
      }
      if (++plan.size > MAX_PLAN_ENTRIES) throw new Stop();
      const variableArgs = nodes[0]!.arguments?.some((a) => containsVariable(a.value)) ?? false;
      selected.push({
        field,
        nodes,
        at,
        named: named as GraphQLCompositeType,
        list: isListType(getNullableType(field.type)),
        entries: field.name === "edges" || field.name === "nodes",
        connection: isConnection(named),
        rootSearch: field.name === "search" && parent === query,
        rootPath: field.name === "path" && parent === query,
        entities: field.name === "_entities",
        relation: field.name === "provenance" ? "provenance" : `${parent.name}.${field.name}`,
        possibleRelations: isAbstractType(parent)
          ? schema.getPossibleTypes(parent).map((t) => `${t.name}.${field.name}`)
          : undefined,
        constantArgs: undefined,
        variableArgs,
        children: undefined,
      });
    }
  }
  return selected;
}

/** What `select` gathers the fields of a selection into, and from. */
interface Gathering {
  schema: GraphQLSchema;
  plan: OperationPlan;
  type: GraphQLCompositeType;
  fields: Map<
    string,
    Map<GraphQLField<unknown, unknown>, { parent: GraphQLCompositeType; nodes: FieldNode[] }>
  >;
  seenFragments: Set<string>;
}

/**
 * The fields of `selectionSet`, on `context`, gathered by response key into `into.fields`, its
 * fragments that apply expanded, each once. A function of the module, not a closure made per
 * selection: tsx names each closure assigned to a name with Object.defineProperty whenever one
 * is made (docs/performance.md).
 */
function gather(
  into: Gathering,
  selectionSet: SelectionSetNode,
  context: GraphQLCompositeType,
): void {
  const { schema, plan, type, fields, seenFragments } = into;
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      const field = fieldOf(context, selection.name.value);
      if (!field) continue; // __typename, introspection, or a field validation has refused
      const key = selection.alias?.value ?? selection.name.value;
      let byField = fields.get(key);
      if (!byField) fields.set(key, (byField = new Map()));
      const entry = byField.get(field);
      if (entry) entry.nodes.push(selection);
      else byField.set(field, { parent: context, nodes: [selection] });
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      const condition = selection.typeCondition
        ? typeFromAST(schema, selection.typeCondition)
        : context;
      if (applies(schema, condition, type))
        gather(into, selection.selectionSet, condition as GraphQLCompositeType);
    } else {
      const name = selection.name.value;
      if (seenFragments.has(name)) continue;
      seenFragments.add(name);
      const fragment = plan.fragments.get(name);
      const condition = fragment && typeFromAST(schema, fragment.typeCondition);
      if (fragment && applies(schema, condition, type))
        gather(into, fragment.selectionSet, condition as GraphQLCompositeType);
    }
  }
}

/** Whether a fragment on `condition` can apply to an object of `type` (always, for an abstract `type`). */
function applies(
  schema: GraphQLSchema,
  condition: GraphQLNamedType | undefined,
  type: GraphQLCompositeType,
): boolean {
  if (!condition || !isCompositeType(condition)) return false;
  if (condition === type || isAbstractType(type)) return true;
  return isAbstractType(condition) && isObjectType(type) && schema.isSubType(condition, type);
}

/** Whether a Variable occurs in an argument's value (then the argument differs from request to request). */
function containsVariable(value: ValueNode): boolean {
  switch (value.kind) {
    case Kind.VARIABLE:
      return true;
    case Kind.LIST:
      return value.values.some(containsVariable);
    case Kind.OBJECT:
      return value.fields.some((f) => containsVariable(f.value));
    default:
      return false;
  }
}

function fieldOf(
  type: GraphQLCompositeType,
  name: string,
): GraphQLField<unknown, unknown> | undefined {
  // the introspection root fields (validation lets them through on the query root only)
  if (name === "__schema") return SchemaMetaFieldDef;
  if (name === "__type") return TypeMetaFieldDef;
  return isObjectType(type) || isInterfaceType(type) ? type.getFields()[name] : undefined;
}

/** Ids of selection sets: the introspection counts are kept by the selection sets they count. */
const selectionSetIds = new WeakMap<SelectionSetNode, number>();
let lastSelectionSetId = 0;

function selectionSetId(node: SelectionSetNode): number {
  let id = selectionSetIds.get(node);
  if (id === undefined) selectionSetIds.set(node, (id = ++lastSelectionSetId));
  return id;
}

/** A type reference is a new object for each wrapper (`[String!]!`): known by its name. */
const typeIds = new WeakMap<GraphQLType, string>();

function typeId(type: GraphQLType): string {
  let id = typeIds.get(type);
  if (id === undefined) typeIds.set(type, (id = String(type)));
  return id;
}

/** One field with objects selected on an introspection object (`__Type.fields`, `__Field.type`...). */
interface IntrospectionEntry {
  readonly field: GraphQLField<unknown, unknown>;
  readonly node: FieldNode;
  /** The key of what is selected on its objects: their type's name and their selection sets' ids. */
  readonly key: string;
  readonly type: GraphQLObjectType;
  readonly selectionSets: readonly SelectionSetNode[];
  /** Its arguments, read the first time (the variables are those of one walk). */
  args?: Record<string, unknown> | undefined;
  /** What is selected on its objects, and the price of that per object: found by `key` the first time. */
  plan?: IntrospectionPlan;
  counts?: Map<unknown, number>;
}

/** What is selected on one introspection object: its fields with objects, and its response keys. */
interface IntrospectionPlan {
  readonly entries: readonly IntrospectionEntry[];
  /** Its response keys (each priced INTROSPECTION_FIELD), leaves, `__typename` and `entries` included. */
  readonly fields: number;
}

/** The counting ran out of room (the cost limit) or of visits (MAX_VISITS). */
class OutOfRoom {}

/**
 * Prices what an introspection field returns, its objects (INTROSPECTION each) and their fields
 * (INTROSPECTION_FIELD each: every response key, leaves, aliases and `__typename` included): the
 * schema is static, so the objects are those graphql-js's own introspection resolvers return, and
 * their number follows from the selection alone; the fields of an object are the response keys
 * selected on it. The selection is walked over the schema the way execution walks it (fragments
 * expanded once per selection set, fields with one response key merged, each alias on its own),
 * calling the introspection fields' resolvers, which answer from the schema (`includeDeprecated`
 * honoured); `@skip` and `@include` are not read (as if every field were included). Each count of
 * a selection set on one object (a type by its name, `[String!]!` included, a field, an argument...)
 * is remembered for the walk: a fragment spread under every alias is counted once per object.
 * Every resolver called is a visit of the walk (`visit` says whether one more is allowed).
 */
function introspectionCounter(
  schema: GraphQLSchema,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
  variables: Record<string, unknown>,
  visit: () => boolean,
) {
  const info = { schema } as unknown as GraphQLResolveInfo;
  const { INTROSPECTION: OBJECT, INTROSPECTION_FIELD: FIELD } = COST_WEIGHTS;
  const plans = new Map<string, IntrospectionPlan>();
  const counts = new Map<string, Map<unknown, number>>();
  let counted = 0;
  let room = Number.POSITIVE_INFINITY;

  /**
   * Selection sets by their text (in this one document, with these variables, the same text
   * selects the same): aliases that select the same are counted once per object, then looked up.
   * Known by node alone, 30 aliases of an `ofType` chain were each counted anew up to the limit
   * (31,251 units, 23-48 ms of CPU to refuse: red team 8).
   */
  const byText = new Map<string, number>();
  const idOf = (node: SelectionSetNode): string => {
    if (!node.loc) return `node ${selectionSetId(node)}`;
    const text = node.loc.source.body.slice(node.loc.start, node.loc.end);
    let id = byText.get(text);
    if (id === undefined) byText.set(text, (id = byText.size));
    return `text ${id}`;
  };
  const keyOf = (type: GraphQLObjectType, selectionSets: readonly SelectionSetNode[]) =>
    `${type.name}:${selectionSets.map(idOf).join(",")}`;

  /** What is selected on an object of `type`: its response keys, and those with objects. */
  const planOf = (
    key: string,
    type: GraphQLObjectType,
    selectionSets: readonly SelectionSetNode[],
  ): IntrospectionPlan => {
    const known = plans.get(key);
    if (known) return known;
    const byKey = new Map<string, FieldNode[]>();
    const seenFragments = new Set<string>();
    const collect = (selectionSet: SelectionSetNode) => {
      for (const selection of selectionSet.selections) {
        if (selection.kind === Kind.FIELD) {
          const responseKey = selection.alias?.value ?? selection.name.value;
          const nodes = byKey.get(responseKey);
          if (nodes) nodes.push(selection);
          else byKey.set(responseKey, [selection]);
        } else if (selection.kind === Kind.INLINE_FRAGMENT) {
          const condition = selection.typeCondition
            ? typeFromAST(schema, selection.typeCondition)
            : type;
          if (applies(schema, condition, type)) collect(selection.selectionSet);
        } else {
          const name = selection.name.value;
          if (seenFragments.has(name)) continue;
          seenFragments.add(name);
          const fragment = fragments.get(name);
          if (fragment && applies(schema, typeFromAST(schema, fragment.typeCondition), type))
            collect(fragment.selectionSet);
        }
      }
    };
    for (const selectionSet of selectionSets) collect(selectionSet);
    const entries: IntrospectionEntry[] = [];
    let fields = 0;
    for (const nodes of byKey.values()) {
      const name = nodes[0]!.name.value;
      const field = type.getFields()[name];
      if (!field) {
        // `__typename` is a field of the answer like the others (and its aliases are not
        // counted by the alias limit); any other is one validation has refused
        if (name === "__typename") fields++;
        continue;
      }
      fields++;
      const named = getNamedType(field.type);
      if (!isObjectType(named)) continue;
      const childSets = nodes.flatMap((n) => (n.selectionSet ? [n.selectionSet] : []));
      entries.push({
        field,
        node: nodes[0]!,
        key: keyOf(named, childSets),
        type: named,
        selectionSets: childSets,
      });
    }
    const plan = { entries, fields };
    plans.set(key, plan);
    return plan;
  };

  /** The field's arguments; when they cannot be read, the ones that return the most. */
  const argumentsOf = (entry: {
    field: GraphQLField<unknown, unknown>;
    node: FieldNode;
  }): Record<string, unknown> | undefined => {
    try {
      return getArgumentValues(entry.field, entry.node, variables);
    } catch {
      return entry.field.args.some((a) => a.name === "includeDeprecated")
        ? { includeDeprecated: true }
        : undefined;
    }
  };

  /** The price of what `entry` returns on `source` (its objects and what is under them). */
  const countField = (entry: IntrospectionEntry, source: unknown): number => {
    if (!visit()) throw new OutOfRoom();
    const args = (entry.args ??= argumentsOf(entry) ?? {});
    const value = (entry.field.resolve ?? defaultFieldResolver)(source, args, undefined, info);
    if (value === null || value === undefined) return 0;
    const plan = (entry.plan ??= planOf(entry.key, entry.type, entry.selectionSets));
    if (plan.entries.length === 0) {
      // leaves only (most objects of an answer): each object costs the same, counted at once
      const n = (Array.isArray(value) ? value.length : 1) * (OBJECT + plan.fields * FIELD);
      if ((counted += n) > room) throw new OutOfRoom();
      return n;
    }
    if (!Array.isArray(value)) return one(entry, value);
    let n = 0;
    for (const item of value) n += one(entry, item);
    return n;
  };

  /** One object of `entry` and what is selected on it. */
  const one = (entry: IntrospectionEntry, object: unknown): number => {
    if ((counted += OBJECT) > room) throw new OutOfRoom();
    return OBJECT + below(entry, object);
  };

  /**
   * The price of what is selected on `object`, its fields and the objects under them
   * (remembered per selection sets and object).
   */
  const below = (entry: IntrospectionEntry, object: unknown): number => {
    // a type is known by its name (a wrapper such as `[String!]!` is a new object each time)
    const id = entry.type === __Type ? typeId(object as GraphQLType) : object;
    let byObject = entry.counts;
    if (!byObject) {
      byObject = counts.get(entry.key);
      if (!byObject) counts.set(entry.key, (byObject = new Map()));
      entry.counts = byObject;
    }
    const known = byObject.get(id);
    if (known !== undefined) {
      if ((counted += known) > room) throw new OutOfRoom();
      return known;
    }
    const { entries, fields } = (entry.plan ??= planOf(entry.key, entry.type, entry.selectionSets));
    let n = fields * FIELD;
    if ((counted += n) > room) throw new OutOfRoom();
    for (const child of entries) n += countField(child, object);
    byObject.set(id, n);
    return n;
  };

  /** The price of the introspection root field (`__schema` or `__type`, with its merged nodes). */
  const root = (field: GraphQLField<unknown, unknown>, nodes: readonly FieldNode[]): number => {
    const type = getNamedType(field.type) as GraphQLObjectType;
    const selectionSets = nodes.flatMap((n) => (n.selectionSet ? [n.selectionSet] : []));
    const entry: IntrospectionEntry = {
      field,
      node: nodes[0]!,
      key: keyOf(type, selectionSets),
      type,
      selectionSets,
    };
    if (field.name !== "__type" || argumentsOf(entry) !== undefined) return countField(entry, null);
    // a name that cannot be read: the largest type's
    if (!visit()) throw new OutOfRoom();
    const before = counted;
    let most = 0;
    for (const named of Object.values(schema.getTypeMap())) {
      counted = before;
      most = Math.max(most, one(entry, named));
    }
    counted = before + most;
    return most;
  };

  return {
    /**
     * The price of `field` (its own response key, the objects it returns and the fields selected
     * on them), counted up to about `most`: past that (or past the walk's visits) the count
     * stops, incomplete (a lower bound).
     */
    count(
      { field, nodes }: { field: GraphQLField<unknown, unknown>; nodes: readonly FieldNode[] },
      most: number,
    ): { price: number; complete: boolean } {
      counted = FIELD;
      room = most;
      try {
        return { price: FIELD + root(field, nodes), complete: true };
      } catch (error) {
        if (error instanceof OutOfRoom) return { price: counted, complete: false };
        throw error;
      }
    },
  };
}

/** A Relay connection type: it has `edges` and `pageInfo`. */
function isConnection(type: GraphQLNamedType): boolean {
  return isObjectType(type) && "edges" in type.getFields() && "pageInfo" in type.getFields();
}

/**
 * The most items a root list's `filter` can take from its indexes (`fields`: the shape's
 * `filterIndexes` of that list), or undefined when no index bounds it, as filter.ts combines
 * candidates: a field an index answers gives its values (`eq`: one, `in`: each) × the most items
 * one value selects; a nested filter (an event's `participant`) is read the same way; the fields
 * of one filter and the members of an `and` hold together, so the fewest of them bound it; an
 * `or` is bounded when each of its members is, by their sum; a `not` bounds nothing. Deeper than
 * filters may nest (MAX_FILTER_DEPTH) nothing is bounded: compiling refuses it anyway.
 */
export function indexedCandidates(
  fields: ReadonlyMap<string, number> | undefined,
  filter: unknown,
  prefix = "",
  depth = 0,
): number | undefined {
  if (!fields || depth > MAX_FILTER_DEPTH) return undefined;
  if (typeof filter !== "object" || filter === null || Array.isArray(filter)) return undefined;
  let fewest: number | undefined;
  const bound = (n: number | undefined) => {
    if (n !== undefined) fewest = fewest === undefined ? n : Math.min(fewest, n);
  };
  for (const [field, value] of Object.entries(filter)) {
    if (value === null || value === undefined || field === "not") continue;
    if (field === "and" || field === "or") {
      if (!Array.isArray(value)) continue;
      const members = value.map((m) => indexedCandidates(fields, m, prefix, depth + 1));
      if (field === "and") members.forEach(bound);
      else if (members.length > 0 && members.every((m) => m !== undefined))
        bound(members.reduce((sum: number, m) => sum + m!, 0));
      continue;
    }
    const path = prefix + field;
    const most = fields.get(path);
    if (most === undefined) bound(indexedCandidates(fields, value, `${path}.`, depth + 1));
    else {
      const values = valuesAsked(value);
      if (values !== undefined) bound(values * most);
    }
  }
  return fewest;
}

/** How many times a field named `name` is given in `filter`, at any depth (its `and`, `or` and `not` included). */
function fieldsNamed(filter: unknown, name: string): number {
  let count = 0;
  const stack: unknown[] = [filter];
  while (stack.length > 0) {
    const value = stack.pop();
    if (typeof value !== "object" || value === null) continue;
    if (Array.isArray(value)) {
      for (const item of value) stack.push(item);
      continue;
    }
    for (const [field, inner] of Object.entries(value)) {
      if (inner === null || inner === undefined) continue;
      if (field === name) count++;
      else stack.push(inner);
    }
  }
  return count;
}

/** The values a key or enum filter names: `eq` one (with `in`, at most one too), `in` each; undefined when neither. */
function valuesAsked(input: unknown): number | undefined {
  if (typeof input !== "object" || input === null) return undefined;
  const { eq, in: among } = input as { eq?: unknown; in?: unknown };
  if (eq !== null && eq !== undefined) return 1;
  return Array.isArray(among) ? among.length : undefined;
}

/** The page a connection field asks for; out-of-range sizes are capped here because the resolver refuses them. */
function pageSizeOf(args: Record<string, unknown>): number {
  const given =
    typeof args.first === "number"
      ? args.first
      : typeof args.last === "number"
        ? args.last
        : DEFAULT_PAGE_SIZE;
  return Math.max(0, Math.min(given, MAX_PAGE_SIZE));
}
