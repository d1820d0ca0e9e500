/**
 * Validation of a whole dataset, reporting every problem at once.
 *
 * Shape is checked per entity by the zod schemas of model.ts; then the rules that span entities:
 * unique ids, references that resolve, EDTF dates that parse and run forwards, quotes and date
 * wordings that occur verbatim in the source text, and consistency of tenures with the events
 * that cite them. Each problem carries the file, the entity id and the field path.
 */

import type { z } from "zod";
import {
  boundProblem,
  type CoverageSpan,
  coverageSpan,
  dayNumber,
  horizonDayOf,
  narrowed,
  tryParsePartialDate,
} from "./dates.js";
import { closest } from "./distance.js";
import { type Check, compileCheck } from "./fast-check.js";
import { successionProblems } from "./lineage.js";
import { unquotedNameProblems, unstatedRelationProblems } from "./mentions.js";
import {
  type AssumedBound,
  type CollectionName,
  collectionNames,
  collections,
  DAY_BOUNDS,
  type Dataset,
  type DayBound,
  type Entity,
  kindOf,
  kindOfCollection,
  MAX_ID_LENGTH,
  type Office,
  SPAN_INDEX,
  slugTooLong,
} from "./model.js";
import { DatasetError, type Problem } from "./problems.js";
import { findVerbatim, type QuotePlaces } from "./text-index.js";

// Defined in problems.ts (lineage.ts and mentions.ts report them too, and sit below this file);
// kept here too so that code importing them from validate.js keeps working.
export { DatasetError, formatProblem, type Problem } from "./problems.js";

/** What the validator needs besides the data: where each collection came from, and the source texts. */
export interface ValidationContext {
  fileOf(collection: CollectionName): string;
  /**
   * The text of a source by its `file` field, or undefined when there is none; throws, saying
   * why, when there is one that cannot be used (not a regular file, too large, not UTF-8).
   */
  readSource(file: string): string | undefined;
  /**
   * The input is the validator's to keep and change (freshly parsed JSON): a valid entity is
   * then kept as it is, with its defaults filled in, instead of as zod's copy (fast-check.ts).
   */
  ownsInput?: boolean;
  /**
   * Given, once the dataset is valid, where each quote occurs in its source (as validation found
   * it), keyed by the very quote strings the dataset keeps: for a snapshot's writer that runs
   * right after the load (snapshot/load.ts), which would otherwise look for every quote again.
   * Without it nothing of the kind outlives validation (a graph does not keep it: a map of every
   * quote would cost a loaded graph about an eighth more heap).
   */
  onQuotePlaces?: (places: QuotePlaces) => void;
}

/** Per collection, the fast check of its schema (undefined: zod only); compiled on first use. */
let fastChecks: Partial<Record<CollectionName, Check>> | undefined;

export interface ValidDataset {
  dataset: Dataset;
  /** Source texts by source id. */
  texts: Map<string, string>;
}

/**
 * Keys whose string values are references to other entities, with the check number (within an
 * object's 16) a dangling one is reported under: the date bounds come after the other checks.
 */
const REFERENCE_CHECKS: Record<string, number> = {
  ref: 0,
  post: 1,
  holder: 2,
  place: 3,
  decidedBy: 4,
  capacity: 5,
  startsNotBefore: 11,
  endsNotBefore: 12,
};
const BOUND_SIDES = { startsNotBefore: "start", endsNotBefore: "end" } as const;

export function validateDataset(
  input: Record<string, unknown>,
  ctx: ValidationContext,
): ValidDataset {
  const problems: Problem[] = [];
  const dataset = Object.fromEntries(collectionNames.map((c) => [c, []])) as unknown as Dataset;
  // Every id defined so far, mapped to itself: a reference is replaced by the entity's own id
  // string, so that the many copies JSON.parse makes of one id are not all kept. An id is only
  // registered in the collection of its kind, which names its file.
  const ids = new Map<string, string>();
  const collectionOfKind = new Map<string, CollectionName>(
    collectionNames.map((c) => [kindOfCollection[c], c]),
  );
  const fileOfId = (id: string) => ctx.fileOf(collectionOfKind.get(kindOf(id) ?? "")!);

  // kinds whose whole file could not be read: a reference to one of them is not reported again
  const unreadKinds = new Set<string>();
  for (const collection of collectionNames) {
    const file = ctx.fileOf(collection);
    const items = input[collection] === undefined ? [] : input[collection];
    if (!Array.isArray(items)) {
      problems.push({
        file,
        message: `expected an array of ${collection}, got ${describe(items)}`,
      });
      unreadKinds.add(kindOfCollection[collection]);
      continue;
    }
    const schema: z.ZodType = collections[collection];
    fastChecks ??= Object.fromEntries(
      collectionNames.map((c) => [c, compileCheck(collections[c])]),
    );
    const check = ctx.ownsInput ? fastChecks[collection] : undefined;
    items.forEach((item: unknown, index) => {
      const entity = entityLabel(item, index);
      const hasId = entity !== `[${index}]`;
      const previous = hasId && ids.has(entity) ? fileOfId(entity) : undefined;
      if (previous !== undefined) {
        problems.push({
          file,
          entity,
          path: "id",
          message: `duplicate id (already defined in ${previous})`,
        });
        return;
      }
      if (check?.(item)) {
        const value = item as Entity;
        ids.set(value.id, value.id);
        (dataset[collection] as Entity[]).push(value);
        return;
      }
      const parsed = schema.safeParse(item, { error: issueMessage });
      if (!parsed.success) {
        for (const issue of parsed.error.issues) {
          problems.push({ file, entity, path: formatPath(issue.path), message: issue.message });
        }
        // Keep a well-formed id of this collection known, so that references to a malformed entity
        // do not add a second, misleading problem; an id of another kind stays unknown.
        if (hasId && kindOf(entity) === kindOfCollection[collection]) ids.set(entity, entity);
        return;
      }
      const value = parsed.data as Entity;
      ids.set(value.id, value.id);
      (dataset[collection] as Entity[]).push(value);
    });
  }
  if (dataset.sources.length === 0 && !problems.some((p) => p.file === ctx.fileOf("sources"))) {
    problems.push({ file: ctx.fileOf("sources"), message: "a dataset needs at least one source" });
  }

  const texts = new Map<string, string>();
  for (const source of dataset.sources) {
    let text: string | undefined;
    let why = "";
    try {
      text = ctx.readSource(source.file);
    } catch (error) {
      why = `: ${(error as Error).message}`;
    }
    if (text === undefined) {
      problems.push({
        file: ctx.fileOf("sources"),
        entity: source.id,
        path: "file",
        message: `cannot read the source text "${abbreviate(source.file)}"${why}`,
      });
    } else texts.set(source.id, text);
  }

  // a malformed source's text is not read either: a wording may well be in it
  const malformedSource = problems.some(
    (p) => p.file === ctx.fileOf("sources") && p.entity !== undefined,
  );
  const allTextsRead = texts.size === dataset.sources.length && !malformedSource;
  // ids by kind, for "did you mean" suggestions: only built when a reference dangles
  let idsByKind: Map<string, string[]> | undefined;
  const candidates = (kind: string): string[] => {
    if (!idsByKind) {
      idsByKind = new Map();
      for (const id of ids.keys()) {
        const k = kindOf(id) ?? "";
        const list = idsByKind.get(k);
        if (list) list.push(id);
        else idsByKind.set(k, [id]);
      }
    }
    return idsByKind.get(kind) ?? [];
  };

  // Problems of the walk are numbered by where they occur (object, then check), so that the
  // verbatim checks, answered in one batch after the walk (see text-index.ts), are reported in
  // the same order as the others. The walk builds no path unless it reports a problem.
  const found: { order: number; problem: Problem }[] = [];
  const quotesBySource = new Map<string, Set<string>>();
  const wordingHints = new Map<string, Set<string>>();
  const edtfErrors = new Map<string, string | null>();
  // the same short values (dates, wordings, kinds, roles) recur throughout: one string each is kept
  const interned = new Map<string, string>();
  const intern = (obj: Record<string, unknown>, key: string, value: string) => {
    const known = interned.get(value);
    if (known === undefined) interned.set(value, value);
    else obj[key] = known;
  };
  // the objects holding a provenance list: their quotes are shared once all are known to occur
  const provenanceOwners: Record<string, unknown>[] = [];
  const walkAll = (
    visit: (
      obj: Record<string, unknown>,
      order: number,
      report: (order: number, key: string, message: string) => void,
    ) => void,
  ) => {
    // one reporter and one visitor for the whole walk: the current entity is in these variables
    let visited = 0;
    let file = "";
    let entityId = "";
    let path: readonly PropertyKey[] = [];
    const report = (order: number, key: string, message: string) =>
      found.push({
        order,
        problem: { file, entity: entityId, path: formatPath([...path, key]), message },
      });
    const visitor = (obj: Record<string, unknown>, at: readonly PropertyKey[]) => {
      path = at;
      visit(obj, 16 * visited++, report);
    };
    for (const collection of collectionNames) {
      file = ctx.fileOf(collection);
      for (const entity of dataset[collection] as Entity[]) {
        entityId = entity.id;
        walkObjects(entity, visitor);
      }
    }
  };

  // the events by id, for the dates they bound (Dated.startsNotBefore, endsNotBefore): made at the first bound met
  let eventsById: Map<string, Dataset["events"][number]> | undefined;
  const dateBoundProblem = (
    dated: Record<string, unknown>,
    side: "start" | "end",
    eventId: string,
  ): string | null => {
    eventsById ??= new Map(dataset.events.map((e) => [e.id, e]));
    const when = eventsById.get(eventId)?.when;
    const event = when && tryParsePartialDate(when.edtf);
    const date = typeof dated.edtf === "string" ? tryParsePartialDate(dated.edtf) : undefined;
    // a date that does not parse is reported as such (`edtf`), here or on the event
    if (!event?.ok || !date?.ok) return null;
    const day = event.value.earliest;
    if (day === null)
      return `${eventId} (${event.value.edtf}) has no first day to bound the ${side} by`;
    const problem = boundProblem(date.value, side, day);
    return problem && `"${date.value.edtf}" bounded by ${eventId} (${day}): ${problem}`;
  };

  // the sources' horizon (core.ts: the latest day any source was updated), as an open end reads it
  let horizon: number | undefined;
  const horizonOf = (): number => {
    if (horizon !== undefined) return horizon;
    let latest = "";
    for (const source of dataset.sources) {
      const updated = tryParsePartialDate(source.updated.edtf);
      if (updated.ok && (updated.value.latest ?? "") > latest) latest = updated.value.latest!;
    }
    try {
      horizon = horizonDayOf(latest);
    } catch {
      // no source, or none with a day: no open end is certain (core.ts, NaN)
      horizon = Number.NaN;
    }
    return horizon;
  };
  // a date's day bounds as a certainty reads them (asof.ts, spansOf): as written, narrowed by the
  // events that bound it (their own problems are reported at startsNotBefore / endsNotBefore)
  const spanInForce = (dated: Record<string, unknown>): CoverageSpan | undefined => {
    const parsed = typeof dated.edtf === "string" ? tryParsePartialDate(dated.edtf) : undefined;
    if (!parsed?.ok) return undefined;
    eventsById ??= new Map(dataset.events.map((e) => [e.id, e]));
    const firstDay = (id: unknown): string | null => {
      const when = typeof id === "string" ? eventsById!.get(id)?.when : undefined;
      const event = when && tryParsePartialDate(when.edtf);
      return event?.ok ? event.value.earliest : null;
    };
    let date = parsed.value;
    try {
      date = narrowed(date, firstDay(dated.startsNotBefore), firstDay(dated.endsNotBefore));
    } catch {
      // a bound that leaves no day: reported at its event; the date as written stands here
    }
    return coverageSpan(date, horizonOf());
  };

  walkAll((obj, order, report) => {
    // one pass over the object's own keys: which checks apply depends on the key
    for (const key in obj) {
      const value = obj[key];
      if (typeof value !== "string") {
        if (key === "provenance" && Array.isArray(value)) provenanceOwners.push(obj);
        else if (key === "assumed")
          for (const problem of assumedBoundProblems(obj, spanInForce(obj)))
            report(order + 6, key, problem);
        else if (key === "boundProvenance") {
          for (const problem of boundProvenanceProblems(obj)) report(order + 6, key, problem);
          // its quotes and notes shared with the date's own, as every provenance list's are
          const { start, end } = (value ?? {}) as { start?: unknown; end?: unknown };
          for (const side of [start, end])
            if (Array.isArray(side)) provenanceOwners.push({ provenance: side });
        }
        continue;
      }
      if (!value.isWellFormed()) report(order + 10, key, illFormedMessage(value));
      switch (key) {
        case "ref":
        case "post":
        case "holder":
        case "place":
        case "decidedBy":
        case "capacity":
        case "startsNotBefore":
        case "endsNotBefore": {
          const id = ids.get(value);
          if (id === undefined) {
            if (!unreadKinds.has(kindOf(value) ?? ""))
              report(
                order + REFERENCE_CHECKS[key]!,
                key,
                danglingMessage(value, candidates(kindOf(value) ?? "")),
              );
          } else {
            obj[key] = id;
            if (key === "startsNotBefore" || key === "endsNotBefore") {
              const problem = dateBoundProblem(obj, BOUND_SIDES[key], id);
              if (problem) report(order + REFERENCE_CHECKS[key]!, key, problem);
            }
          }
          break;
        }
        case "kind":
        case "role":
        case "timing":
          intern(obj, key, value);
          break;
        case "edtf": {
          intern(obj, key, value);
          // the same dates recur many times in a large dataset: each distinct one is checked once
          let error = edtfErrors.get(value);
          if (error === undefined) {
            const parsed = tryParsePartialDate(value);
            error = parsed.ok ? null : parsed.error;
            edtfErrors.set(value, error);
          }
          if (error !== null) report(order + 6, "edtf", error);
          break;
        }
        case "wording":
          intern(obj, key, value);
          // with a source unreadable, a wording may well be in it: only its reading problem is reported
          if (allTextsRead) {
            let hints = wordingHints.get(value);
            if (!hints) wordingHints.set(value, (hints = new Set()));
            for (const source of sourcesOf(obj.provenance)) hints.add(source);
          }
          break;
        case "quote": {
          const given = obj.source;
          if (typeof given !== "string") break;
          const source = ids.get(given);
          if (source === undefined)
            report(order + 8, "source", danglingMessage(given, candidates("source")));
          else if (texts.has(source)) {
            obj.source = source;
            const set = quotesBySource.get(source);
            if (set) set.add(value);
            else quotesBySource.set(source, new Set([value]));
          }
        }
      }
    }
  });

  const {
    missingIn,
    missingAnywhere,
    found: quotePositions,
  } = findVerbatim(texts, quotesBySource, wordingHints);
  if (missingAnywhere.size > 0 || missingIn.size > 0) {
    // a second walk, only now, to say where each missing phrase is used
    walkAll((obj, order, report) => {
      if (allTextsRead && typeof obj.wording === "string" && missingAnywhere.has(obj.wording)) {
        report(
          order + 7,
          "wording",
          `wording "${abbreviate(obj.wording)}" does not occur verbatim in any source`,
        );
      }
      if (
        typeof obj.quote === "string" &&
        typeof obj.source === "string" &&
        missingIn.get(obj.source)?.has(obj.quote)
      ) {
        report(
          order + 9,
          "quote",
          `quote does not occur verbatim in ${obj.source}: "${abbreviate(obj.quote)}"`,
        );
      }
    });
  }
  found.sort((a, b) => a.order - b.order);
  for (const f of found) problems.push(f.problem);

  problems.push(...consistencyProblems(dataset, ctx));
  problems.push(...successionProblems(dataset, ctx.fileOf("offices")));
  problems.push(...unstatedRelationProblems(dataset, ctx.fileOf));
  // a name whose quote is not in its source is reported for the quote alone
  problems.push(
    ...unquotedNameProblems(dataset, ctx.fileOf, (source, quote) =>
      Boolean(missingIn.get(source)?.has(quote)),
    ),
  );
  if (problems.length > 0) throw new DatasetError(problems);
  const places = ctx.onQuotePlaces ? new Map() : undefined;
  shareProvenance(provenanceOwners, texts, quotePositions, places);
  if (places) ctx.onQuotePlaces?.(places);
  return { dataset, texts };
}

/**
 * Provenance takes most of a loaded dataset's memory: every fact quotes its source, the same
 * quote often several times (a person's provenance and nationality cite the same sentence), and
 * JSON.parse makes each quote a string of its own. Once every quote is known to occur, each
 * distinct quote of a source becomes one string sliced from the source's text (V8 keeps a slice
 * as a reference into the text, which is kept anyway), one quote object, and one list for a
 * provenance that is that single quote; editorial notes are shared the same way. The values are
 * unchanged: only copies are dropped (the loaded graph is frozen, so nothing can tell them apart).
 */
function shareProvenance(
  owners: readonly Record<string, unknown>[],
  texts: ReadonlyMap<string, string>,
  positions: ReadonlyMap<string, ReadonlyMap<string, number>>,
  /** Filled, when given, with where each quote is, keyed by the shared string (not JSON.parse's copy, which it would keep alive). */
  places?: QuotePlaces,
): void {
  const quotes = new Map<string, Map<string, Record<string, unknown>>>();
  const editorials = new Map<string, Record<string, unknown>>();
  const singles = new Map<unknown, unknown[]>();
  const canonical = (item: Record<string, unknown>): Record<string, unknown> => {
    const { source, quote, editorial } = item;
    if (typeof editorial === "string") {
      const known = editorials.get(editorial);
      if (known) return known;
      editorials.set(editorial, item);
      return item;
    }
    if (typeof source !== "string" || typeof quote !== "string") return item;
    let bySource = quotes.get(source);
    if (!bySource) quotes.set(source, (bySource = new Map()));
    const known = bySource.get(quote);
    if (known) return known;
    const at = positions.get(source)?.get(quote);
    const text = texts.get(source);
    if (at !== undefined && text !== undefined) {
      const slice = text.slice(at, at + quote.length);
      item.quote = slice;
      if (places) {
        let placed = places.get(source);
        if (!placed) places.set(source, (placed = new Map()));
        placed.set(slice, at);
      }
    }
    bySource.set(quote, item);
    return item;
  };
  for (const owner of owners) {
    const list = owner.provenance as Record<string, unknown>[];
    for (let i = 0; i < list.length; i++) list[i] = canonical(list[i]!);
    if (list.length !== 1) continue;
    const single = singles.get(list[0]);
    if (single) owner.provenance = single;
    else singles.set(list[0], list);
  }
}

/** The first day of a day number, YYYY-MM-DD (a problem names the bound in force by it). */
const dayOf = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);
const DAY_MS = 86_400_000;

/**
 * What is wrong with a date's editorial bounds (`Dated.assumed`): each note must be one of the
 * date's own editorial notes (a reader of the date's provenance sees it), and each day the
 * document alone gives must be a day (YYYY-MM-DD) that widens the bound in force, not narrows it:
 * without the note the date may only become less certain. The bound in force is the one a
 * certainty reads (`inForce`: the date's `coverageSpan` once its events bound it, an open end
 * certain up to the horizon), not the one written: the Troika's "/2011-12" has no start, but its
 * accession bounds it to 1992-01-01, and a documentAlone of 1995-01-01 there was accepted (review
 * 6), making its 1993 MAYBE, read without the note, an EDITORIAL one. A side unbounded in force
 * takes no documentAlone: any day there would narrow it.
 */
function assumedBoundProblems(
  dated: Record<string, unknown>,
  inForce: CoverageSpan | undefined,
): string[] {
  const assumed = dated.assumed as Partial<Record<DayBound, AssumedBound>>;
  const notes = new Set(
    (Array.isArray(dated.provenance) ? dated.provenance : []).map(
      (p: { editorial?: unknown }) => p.editorial,
    ),
  );
  const problems: string[] = [];
  for (const bound of DAY_BOUNDS) {
    const given = assumed[bound];
    if (!given) continue;
    if (!notes.has(given.note.editorial))
      problems.push(
        `${bound}: its note is not among the date's provenance; add it there: "${abbreviate(given.note.editorial)}"`,
      );
    const alone = given.documentAlone;
    if (alone === undefined) continue;
    const day = tryParsePartialDate(alone);
    if (!day.ok || day.value.isInterval || day.value.precision !== "DAY") {
      problems.push(
        `${bound}: documentAlone "${abbreviate(alone)}" must be a day, YYYY-MM-DD (or left out: the document gives none)`,
      );
      continue;
    }
    // a date that does not parse is reported as such (`edtf`)
    if (!inForce) continue;
    const current = inForce[SPAN_INDEX[bound]]!;
    const earliest = bound.startsWith("earliest");
    if (earliest ? dayNumber(alone) <= current : dayNumber(alone) >= current) continue;
    problems.push(
      Number.isFinite(current)
        ? `${bound}: documentAlone ${alone} is narrower than the bound in force, ${dayOf(current)} (${describeInForce(dated, bound)}); the document alone can only leave a bound wider`
        : `${bound}: documentAlone ${alone} bounds a side that "${abbreviate(String(dated.edtf))}" leaves unbounded (${describeInForce(dated, bound)}); leave documentAlone out: without the note that side is unbounded, and any day would narrow it`,
    );
  }
  return problems;
}

/**
 * What is wrong with the provenance a date gives each of its ends (`Dated.boundProvenance`): each
 * quote or note must be one of the date's own (a reader of the date's provenance sees it), and a
 * side given must hold the notes that set its `assumed` bounds (a start dated by a note is given
 * by that note: a timeline entry of the start cites it).
 */
function boundProvenanceProblems(dated: Record<string, unknown>): string[] {
  const sides = dated.boundProvenance as { start?: unknown; end?: unknown };
  const key = (p: { source?: unknown; quote?: unknown; editorial?: unknown }) =>
    p.editorial === undefined
      ? `q ${String(p.source)} ${String(p.quote)}`
      : `e ${String(p.editorial)}`;
  const own = new Set(
    (Array.isArray(dated.provenance) ? dated.provenance : []).map((p) => key(p ?? {})),
  );
  const assumed = (dated.assumed ?? {}) as Partial<Record<DayBound, AssumedBound>>;
  const problems: string[] = [];
  for (const side of ["start", "end"] as const) {
    const given = sides[side];
    if (!Array.isArray(given)) continue;
    for (const p of given)
      if (p && typeof p === "object" && !own.has(key(p)))
        problems.push(
          `${side}: ${"editorial" in p ? "a note" : "a quote"} not among the date's provenance; add it there: "${abbreviate(String(p.editorial ?? p.quote))}"`,
        );
    const ofSide = new Set(given.map((p) => key(p ?? {})));
    for (const bound of DAY_BOUNDS) {
      const note = assumed[bound]?.note;
      if (!note || !bound.endsWith(side === "start" ? "Start" : "End")) continue;
      // a note the date's provenance lacks is reported at `assumed`
      if (own.has(key(note)) && !ofSide.has(key(note)))
        problems.push(
          `${side}: the note that sets ${bound} is not among it; add it there: "${abbreviate(note.editorial)}"`,
        );
    }
  }
  return problems;
}

/** What sets a date's bounds in force, for a problem to say. */
function describeInForce(dated: Record<string, unknown>, bound: DayBound): string {
  const parts = [`"${abbreviate(String(dated.edtf))}" as written`];
  if (typeof dated.startsNotBefore === "string")
    parts.push(`its start bounded by ${dated.startsNotBefore}`);
  if (typeof dated.endsNotBefore === "string")
    parts.push(`its end bounded by ${dated.endsNotBefore}`);
  if (bound === "earliestEnd" && String(dated.edtf).endsWith("/.."))
    parts.push("its open end certain up to the sources' last update");
  return parts.join(", ");
}

/** The sources a provenance list quotes: where a date's wording is looked for first. */
function sourcesOf(provenance: unknown): string[] {
  if (!Array.isArray(provenance)) return [];
  const sources: string[] = [];
  for (const p of provenance) {
    const source = (p as { source?: unknown } | null)?.source;
    if (typeof source === "string") sources.push(source);
  }
  return sources;
}

/** Rules between entities that the shape alone cannot express. */
function consistencyProblems(dataset: Dataset, ctx: ValidationContext): Problem[] {
  const problems: Problem[] = [];
  const tenures = new Map(dataset.tenures.map((t) => [t.id, t]));
  const events = new Map(dataset.events.map((e) => [e.id, e]));
  for (const source of dataset.sources) {
    for (const [field, day] of [
      ["createdAt", source.created],
      ["updatedAt", source.updated],
    ] as const) {
      const moment = source[field];
      if (!moment) continue;
      const parsed = tryParsePartialDate(moment.dateTime.slice(0, 10));
      const time = /T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(moment.dateTime);
      const message = !parsed.ok
        ? `"${moment.dateTime}" is not a real day: ${parsed.error}`
        : Number(time?.[1]) > 23 || Number(time?.[2]) > 59 || Number(time?.[3] ?? 0) > 59
          ? `"${moment.dateTime}" is not a real time of day`
          : moment.dateTime.slice(0, 10) !== day.edtf
            ? `${moment.dateTime} falls on another day than ${field === "createdAt" ? "created" : "updated"} (${day.edtf})`
            : undefined;
      if (message)
        problems.push({
          file: ctx.fileOf("sources"),
          entity: source.id,
          path: `${field}.dateTime`,
          message,
        });
    }
  }
  for (const post of dataset.posts) {
    if (!post.office && !post.state) {
      problems.push({
        file: ctx.fileOf("posts"),
        entity: post.id,
        message: "a post must belong to an office or a state",
      });
    }
    if (post.headsOffice && !post.office) {
      problems.push({
        file: ctx.fileOf("posts"),
        entity: post.id,
        path: "headsOffice",
        message: "a post that heads its office must belong to one: give its office",
      });
    }
  }
  // "the keynote" is one: a second keynote of the same state contradicts the first
  const keynotes = new Map<string, string>();
  for (const priority of dataset.priorities) {
    if (!priority.keynote) continue;
    const first = keynotes.get(priority.state.ref);
    if (first === undefined) keynotes.set(priority.state.ref, priority.id);
    else
      problems.push({
        file: ctx.fileOf("priorities"),
        entity: priority.id,
        path: "keynote",
        message: `${priority.state.ref} already has a keynote priority, ${first}: a state's activities have one keynote; give \`keynote\` to one of them`,
      });
  }
  for (const event of dataset.events) {
    event.participants.forEach((p, i) => {
      const tenure = p.capacity ? tenures.get(p.capacity) : undefined;
      if (tenure && tenure.holder !== p.ref) {
        problems.push({
          file: ctx.fileOf("events"),
          entity: event.id,
          path: `participants[${i}].capacity`,
          message: `${p.capacity} is held by ${tenure.holder}, not by the participant ${p.ref}`,
        });
      }
    });
  }
  for (const office of dataset.offices) {
    problems.push(...nameOrderProblems(office, ctx.fileOf("offices")));
    office.nameHistory.forEach((name, i) => {
      const decision = name.decidedBy ? events.get(name.decidedBy) : undefined;
      if (decision && !decision.participants.some((p) => p.ref === office.id)) {
        problems.push({
          file: ctx.fileOf("offices"),
          entity: office.id,
          path: `nameHistory[${i}].decidedBy`,
          message: `${name.decidedBy} does not name ${office.id} among its participants`,
        });
      }
    });
  }
  return problems;
}

/**
 * An office's names run in time order, each but the last ending (red team 54, F6): a history
 * whose second name began before its first ("Old ODIHR" 1996/1997, then its name from 1995) loaded
 * silently, its renaming's subject named by a name borne after it; and a former name with an open
 * end (`1990/..`) was borne for ever beside the one that replaced it. Read from each name's own
 * EDTF (a date that does not parse is reported where dates are checked).
 */
function nameOrderProblems(office: Office, file: string): Problem[] {
  const problems: Problem[] = [];
  const dates = office.nameHistory.map((name) => {
    const parsed =
      typeof name.when?.edtf === "string" ? tryParsePartialDate(name.when.edtf) : undefined;
    return parsed?.ok ? parsed.value : undefined;
  });
  office.nameHistory.forEach((name, i) => {
    if (i === 0) return;
    const before = dates[i - 1];
    const date = dates[i];
    // it certainly began before the one listed before it could have begun
    if (before?.earliest && date?.start && date.start.latest < before.earliest)
      problems.push({
        file,
        entity: office.id,
        path: `nameHistory[${i}].when`,
        message: `"${name.text}" (${date.edtf}) began before the name listed before it, "${office.nameHistory[i - 1]!.text}", could begin (${before.edtf}): a name history runs in time order, earliest first`,
      });
    if (before?.edtf.endsWith("/.."))
      problems.push({
        file,
        entity: office.id,
        path: `nameHistory[${i - 1}].when`,
        message: `"${office.nameHistory[i - 1]!.text}" has an open end (${before.edtf}: still borne), but "${name.text}" follows it: give the day it ended, or leave its end unknown (${before.edtf.slice(0, -2)})`,
      });
  });
  return problems;
}

/**
 * zod's message for an issue, but where it hides the point or would be too long to read:
 * - zod's default for an absent field ("expected object, received undefined") hides that it is
 *   missing;
 * - a string too long to be any id, where ids of several kinds may stand, is told so, not
 *   "Invalid input";
 * - zod's "Unrecognized keys" quotes every key whole: a 5 MB key gave a 5 MB message (logged, and
 *   shown by /ready), and 100,000 keys one line of them all.
 */
function issueMessage(issue: {
  code?: string;
  input?: unknown;
  expected?: unknown;
  keys?: unknown;
}): string | undefined {
  if (issue.code === "unrecognized_keys" && Array.isArray(issue.keys))
    return unrecognizedKeysMessage(issue.keys.map(String));
  // a union of strings is one of ids (a holder: a person or a state), whose own messages zod drops
  if (issue.code === "invalid_union") {
    const tooLong = slugTooLong(issue.input);
    if (tooLong !== undefined) return tooLong;
  }
  if (issue.input !== undefined) return undefined;
  return issue.code === "invalid_type"
    ? `required field is missing (expected ${String(issue.expected)})`
    : "required field is missing";
}

/** At most this many unknown keys are named in one problem. */
const KEYS_NAMED = 10;

function unrecognizedKeysMessage(keys: string[]): string {
  const named = keys
    .slice(0, KEYS_NAMED)
    .map((key) => JSON.stringify(abbreviate(key)))
    .join(", ");
  const more = keys.length > KEYS_NAMED ? ` and ${keys.length - KEYS_NAMED} more` : "";
  return `Unrecognized key${keys.length > 1 ? "s" : ""}: ${named}${more}`;
}

function danglingMessage(id: string, candidates: string[]): string {
  const kind = kindOf(id);
  const what = kind ? `unknown ${kind} "${id}"` : `"${id}" is not a known id`;
  const best = closest(id, candidates);
  return best ? `${what} (did you mean ${best}?)` : what;
}

/**
 * Visits every object inside `value` with the path to it, as a list of keys and indexes (one list,
 * shared and changed as the walk goes: a visitor that keeps it must copy it).
 */
function walkObjects(
  value: unknown,
  visit: (obj: Record<string, unknown>, path: readonly PropertyKey[]) => void,
  path: PropertyKey[] = [],
): void {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      path.push(i);
      walkObjects(value[i], visit, path);
      path.pop();
    }
  } else if (value !== null && typeof value === "object") {
    visit(value as Record<string, unknown>, path);
    for (const key in value) {
      const child = (value as Record<string, unknown>)[key];
      if (child === null || typeof child !== "object") continue;
      path.push(key);
      walkObjects(child, visit, path);
      path.pop();
    }
  }
}

function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (acc, k) => (typeof k === "number" ? `${acc}[${k}]` : acc ? `${acc}.${String(k)}` : String(k)),
    "",
  );
}

function entityLabel(item: unknown, index: number): string {
  const id = item !== null && typeof item === "object" ? (item as { id?: unknown }).id : undefined;
  return typeof id === "string" && id.length > 0 && id.length <= MAX_ID_LENGTH ? id : `[${index}]`;
}

function describe(value: unknown): string {
  return value === null ? "null" : Array.isArray(value) ? "an array" : typeof value;
}

/**
 * A string of the dataset with half a character in it: a surrogate (U+D800-U+DFFF) without its
 * other half, which JSON's `\ud800` escapes can write. It is not text: it cannot be written as
 * UTF-8 (a search index, an answer or an export would turn it into U+FFFD, so the graph would no
 * longer say what the file says), and no source's text, read from UTF-8, holds one.
 */
function illFormedMessage(value: string): string {
  let at = 0;
  for (; at < value.length; at++) {
    const unit = value.charCodeAt(at);
    if (unit >= 0xdc00 && unit <= 0xdfff) break;
    if (unit >= 0xd800 && unit <= 0xdbff) {
      const next = value.charCodeAt(at + 1);
      if (!(next >= 0xdc00 && next <= 0xdfff)) break;
      at++;
    }
  }
  const unit = value.charCodeAt(at).toString(16).toUpperCase();
  return `${JSON.stringify(abbreviate(value))} is not well-formed Unicode: a lone surrogate U+${unit} at position ${at} (half of a character cut in two): write the whole character, or remove it`;
}

function abbreviate(text: string): string {
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
