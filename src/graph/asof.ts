/**
 * "As of" a date: how certainly a time-bound fact (a tenure, an office name, an office location)
 * held on that date, judged against what the source can know (its last update, `graph.horizon`).
 *
 * - YES: the fact certainly covers the whole date.
 * - MAYBE: it may: a bound known only to the month or year, an unknown end, or an open end
 *   ("since ...") asked about after the source's last update.
 * - NO: it certainly does not.
 *
 * A POINT_IN_TIME tenure only attests that the post was held at its `when` (Nazarbayev was
 * President at the Astana Summit, 1-2 December 2010); the source says nothing of when the tenure
 * began or ended. So it is YES for a date that lies certainly within the attested moment, and
 * MAYBE for any other date, never NO: its bounds are unknown, not absent.
 *
 * An event takes place through its date only if it is of a lasting kind (a chairmanship, a
 * meeting, a summit: `LASTING_EVENT_KINDS`); any other is an act done on one day within its date
 * (dates.ts `momentSpan`): YES only on that day when the source gives it, MAYBE on any day of a
 * year or month it gives ("1992 - Kazakhstan becomes an OSCE participating State"), NO outside.
 */

import type { GraphCore } from "./core.js";
import {
  type Certainty,
  type CoverageSpan,
  coverage,
  coverageOfSpan,
  coverageSpan,
  dayNumber,
  dayRange,
  horizonDayOf,
  momentSpan,
  narrowed,
  type PartialDate,
  parsePartialDate,
  startsAfter,
  UNKNOWN_PERIOD,
} from "./dates.js";
import { type Deadline, runToEnd, type Steps } from "./deadline.js";
import {
  type AssumedBound,
  DAY_BOUNDS,
  type Dated,
  type DayBound,
  type Editorial,
  type Event,
  LASTING_EVENT_KINDS,
  type Office,
  type OfficeLocation,
  type OfficeName,
  SPAN_INDEX,
  type Tenure,
} from "./model.js";

/** How certainly `tenure` was held at `at` (see the module comment for POINT_IN_TIME tenures). */
export function tenureCertainty(graph: GraphCore, tenure: Tenure, at: PartialDate): Certainty {
  return tenureCertaintiesOn(graph, at).ofKey(tenure.id);
}

/**
 * `tenureCertainty` at one date for many tenures, from the graph's numbers for each tenure's
 * dates (tenure-spans.ts), so that a list as of a date reads no tenure: by key, or by position
 * in `graph.keys.tenure` (the root list's order, which spares the look-up of each key).
 */
export function tenureCertaintiesOn(
  graph: GraphCore,
  at: PartialDate,
): { ofKey(key: string): Certainty; ofPosition(position: number): Certainty } {
  const [atFrom, atTo] = dayRange(at);
  const ofPosition = (position: number) => graph.tenureSpans.certainty(position, atFrom, atTo);
  return { ofKey: (key) => ofPosition(graph.position(key)), ofPosition };
}

/** How certainly a dated fact held at `at`; a fact without a date (a location given without one) is MAYBE. */
export function periodCertainty(
  graph: GraphCore,
  when: Dated | undefined,
  at: PartialDate,
): Certainty {
  return when ? graph.certainty(when, at) : coverage(UNKNOWN_PERIOD, at, graph.horizon);
}

/**
 * How certainly each event took place at `at` (the module comment: a lasting event through its
 * date, any other on one day of it).
 */
export function eventCertaintiesOn(graph: GraphCore, at: PartialDate): (event: Event) => Certainty {
  const [atFrom, atTo] = dayRange(at);
  // a graph without a source (built by hand) has no horizon: no open end is certain
  const horizon = horizonDayOf(graph.horizon);
  // each date judged once per call, as a moment or as a period (many events share a date)
  const asMoment = new Map<PartialDate, Certainty>();
  const asPeriod = new Map<PartialDate, Certainty>();
  return (event) => {
    const date = graph.date(event.when);
    const lasting = LASTING_EVENT_KINDS.has(event.kind);
    const memo = lasting ? asPeriod : asMoment;
    let certainty = memo.get(date);
    if (certainty === undefined) {
      const span = lasting ? coverageSpan(date, horizon) : momentSpan(date);
      memo.set(date, (certainty = coverageOfSpan(span, atFrom, atTo)));
    }
    return certainty;
  };
}

const RANK: Record<Certainty, number> = { YES: 2, MAYBE: 1, NO: 0 };

/**
 * The name an office bore at `at`: the name whose period certainly covers it, else one that
 * possibly does; among equals the later one (on the day a name changed, which both periods
 * hold, the new name). Undefined when no name's period can cover the date.
 */
export function officeNameOn(
  graph: GraphCore,
  office: Office,
  at: PartialDate,
): OfficeName | undefined {
  let best: { name: OfficeName; rank: number } | undefined;
  officeNameCertainties(graph, office, at).forEach((certainty, position) => {
    const rank = RANK[certainty];
    if (rank > 0 && (!best || rank >= best.rank))
      best = { name: office.nameHistory[position]!, rank };
  });
  return best?.name;
}

/**
 * What a question about an office's name takes for granted.
 *
 * - `ALONE`: nothing. "What was the office called on 1999-01-01?" (`namesOn`,
 *   `nameHistory(asOf:)`) also asks whether it existed then, so a name is certain only where its
 *   period certainly covers the date, as a location is (`periodCertainty`): on a day of 1999 the
 *   office may not have opened yet, and its name is MAYBE like its place (the honest53
 *   audit, F5, found the name YES beside the place MAYBE, read from the same line).
 * - `IN_A_FACT`: that the office existed then, because a dated fact it takes part in says so (an
 *   event, a stay, a succession, a renaming: `nameThen`). What is left uncertain is only its name,
 *   so its first name is certain where it alone is possible (`officeNameCertainties`): the 1999
 *   opening's subject is the Centre in Almaty, YES (the audit of 5 December, finding 7).
 */
export type NameAsked = "ALONE" | "IN_A_FACT";

/**
 * How certainly the office bore each name of its history at `at`, by position: its period's
 * coverage of the date. Asked `IN_A_FACT` (see `NameAsked`), the first name is YES where it alone
 * may have been borne then and `at` lies within its possible days, up to the day its period
 * certainly lasts: the first name is the one the office opened under, and before it the office
 * bore none, so in a fact that has the office exist, what is uncertain in 1999 is whether the
 * office existed yet on a given day, which the fact settles, not what it was called ("1999 –
 * Opening of the OSCE Center in Almaty."). Even then a date that may fall before the first
 * name's first possible day (`1998/1999`) stays MAYBE, and one that may fall after its certain
 * end, or where another name may have been borne, is judged by coverage alone.
 */
export function officeNameCertainties(
  graph: GraphCore,
  office: Office,
  at: PartialDate,
  spanOf: SpanOf = spansOf(graph),
  asked: NameAsked = "ALONE",
): Certainty[] {
  const [atFrom, atTo] = dayRange(at);
  const certainties = office.nameHistory.map((name) =>
    coverageOfSpan(spanOf(name.when), atFrom, atTo),
  );
  if (
    asked === "ALONE" ||
    certainties[0] !== "MAYBE" ||
    certainties.some((c, i) => i > 0 && c !== "NO")
  )
    return certainties;
  const [from, , , certainTo] = spanOf(office.nameHistory[0]!.when);
  if (from <= atFrom && certainTo >= atTo) certainties[0] = "YES";
  return certainties;
}

/** One name an office may have borne on a date, and how certainly. */
export interface NameOnDate {
  name: OfficeName;
  certainty: Certainty;
}

/**
 * Every name the office may have borne at `at` (certainty YES or MAYBE), best first: certain
 * names before possible ones, and among equals the later name first (`officeNameOn` picks the
 * first of this list). Empty when no name's period can cover the date.
 */
export function officeNamesOn(
  graph: GraphCore,
  office: Office,
  at: PartialDate,
  spanOf: SpanOf = spansOf(graph),
  asked: NameAsked = "ALONE",
): NameOnDate[] {
  const held: (NameOnDate & { position: number })[] = [];
  officeNameCertainties(graph, office, at, spanOf, asked).forEach((certainty, position) => {
    if (certainty !== "NO") held.push({ name: office.nameHistory[position]!, certainty, position });
  });
  held.sort((a, b) => RANK[b.certainty] - RANK[a.certainty] || b.position - a.position);
  return held.map(({ name, certainty }) => ({ name, certainty }));
}

/**
 * What an entity is to be called in a context dated `at` (an event's participants, a timeline
 * entry, a succession, a hop through a dated fact): its name at that date, with how certainly.
 */
export interface NameThen {
  text: string;
  /**
   * YES when the name certainly covers the whole date and no other name may also have been
   * borne then, or is the first name alone possible then (`officeNameCertainties`); MAYBE when the name may not cover it or another name may have; NO when no name
   * of the history may cover the date (`text` is then the nearest name in time).
   */
  certainty: Certainty;
  /** The entry of the office's name history; undefined for an entity without a history. */
  name?: OfficeName;
  /** The other names it may have borne then, best first. */
  alternatives: OfficeName[];
}

/**
 * The name of `entity` (an office) at `at`. An office without a name history has one name at
 * every date (YES). For an office with a history, the best of `officeNamesOn`, leaving out the names the
 * context itself gives (`givenHere`): a renaming decision acts on the office under its old name,
 * so the subject of the 2007 renaming is "OSCE Centre in Almaty", not the name it was given.
 * When no name may cover the date, the nearest in time: the first name before the history
 * starts, else the last one that started before the date (certainty NO). Among names tied best,
 * the later comes first, or the earlier with `preferEarlier` (the end of a stay: the name the
 * office bore while still there).
 */
export function nameThen(
  graph: GraphCore,
  entity: Office,
  at: PartialDate,
  givenHere: (name: OfficeName) => boolean = () => false,
  preferEarlier = false,
  spanOf: SpanOf = spansOf(graph),
): NameThen {
  const history = entity.nameHistory;
  if (history.length === 0) return { text: entity.name.text, certainty: "YES", alternatives: [] };
  // the context is a dated fact the office takes part in: it existed then (`NameAsked`)
  const candidates = officeNamesOn(graph, entity, at, spanOf, "IN_A_FACT").filter(
    ({ name }) => !givenHere(name),
  );
  if (preferEarlier && candidates.length > 1) {
    // the earliest of the names tied best comes first (they are listed later name first)
    const tied = candidates.filter(({ certainty }) => certainty === candidates[0]!.certainty);
    const earliest = tied.at(-1)!;
    candidates.splice(candidates.indexOf(earliest), 1);
    candidates.unshift(earliest);
  }
  const [best, ...others] = candidates;
  if (best) {
    return {
      text: best.name.text,
      certainty: others.length > 0 ? "MAYBE" : best.certainty,
      name: best.name,
      alternatives: others.map(({ name }) => name),
    };
  }
  const started = history.filter(
    (name) => !startsAfter(graph.date(name.when), at) && !givenHere(name),
  );
  const nearest = started.at(-1) ?? history[0]!;
  return { text: nearest.text, certainty: "NO", name: nearest, alternatives: [] };
}

/**
 * The office's stay in `place` that a relation of the two stands for (a path's hop, a place's
 * office): its first dated one there, else its first (review 53b: an undated first entry hid a
 * dated later stay, and its hop and name while there were null). One edge joins an office and a
 * place, however many stays (paths.ts).
 */
export function stayIn(office: Office, place: string): OfficeLocation | undefined {
  return (
    office.locations.find((l) => l.place === place && l.when !== undefined) ??
    office.locations.find((l) => l.place === place)
  );
}

/**
 * What the office was called during a stay (`location`, dated): `nameThen` over the stay's
 * period, with the names it may have borne only on the stay's first or last day put after the
 * others. The field office was renamed OSCE Centre in Astana on 2007-06-21, the last day of its
 * stay in Almaty and the first in Astana (both names and both places YES that day): its stay in
 * Almaty is that of the Centre in Almaty (MAYBE, with the Centre in Astana an alternative), not of
 * the Centre in Astana, which `nameThen`'s later-first order gave, nor of the Programme Office, its
 * name today (the honest53 audit, F4); its stay in Astana is the Programme Office's or the Centre
 * in Astana's, never the Centre in Almaty's. Certainty and alternatives are `nameThen`'s (a stay
 * that saw a renaming has more than one name: MAYBE). Undefined for a stay without a date.
 */
export function stayNameThen(
  graph: GraphCore,
  office: Office,
  location: OfficeLocation,
): NameThen | undefined {
  if (!location.when) return undefined;
  const decided = nameThen(graph, office, graph.date(location.when));
  if (!decided.name || decided.alternatives.length === 0) return decided;
  const spanOf = spansOf(graph);
  const [stayFrom, stayTo] = spanOf(location.when);
  // the days a name may share with the stay: more than one, or only a boundary day
  const onlyTouches = (name: OfficeName) => {
    const [from, to] = spanOf(name.when);
    return Math.min(to, stayTo) - Math.max(from, stayFrom) < 1;
  };
  const names = [decided.name, ...decided.alternatives];
  const ranked = [
    ...names.filter((name) => !onlyTouches(name)),
    ...names.filter((name) => onlyTouches(name)),
  ];
  const [best, ...others] = ranked;
  return { ...decided, text: best!.text, name: best, alternatives: others };
}

/**
 * Whether a state was an OSCE participating State at `at`: how certainly the period from its
 * ACCESSION event on (open: nothing in the source ends it) covers the date. A state accessed in
 * "1992" is YES from 1993, MAYBE on any date in 1992 (the day is not given), NO before 1992.
 * Undefined when the source gives no accession for the state.
 */
export function participatingOn(
  graph: GraphCore,
  state: string,
  at: PartialDate,
): { certainty: Certainty; accession: Event } | undefined {
  const accession = graph.participationsByEntity
    .get(state)
    .find(
      ({ event, participant }) => event.kind === "ACCESSION" && participant.role === "SUBJECT",
    )?.event;
  if (!accession) return undefined;
  const joined = graph.date(accession.when);
  // membership from the accession on: its start is the accession's own date (as precise as given,
  // and as narrowed as an event bounding it makes it)
  const since = joined.start
    ? narrowed(parsePartialDate(`${joined.start.edtf}/..`), joined.start.earliest, null)
    : UNKNOWN_PERIOD;
  return { certainty: coverage(since, at, graph.horizon), accession };
}

// ---- what a certainty rests on ---------------------------------------------------------------

/** How a certainty reads a date's days: the four numbers of its `coverageSpan`. */
export type SpanOf = (when: Dated) => CoverageSpan;

/** The dates' days as the data gives them, editorial bounds (`Dated.assumed`) included. */
export function spansOf(graph: GraphCore): SpanOf {
  // a graph without a source (built by hand) has no horizon: no open end is certain
  const horizon = horizonDayOf(graph.horizon);
  return (when) => coverageSpan(graph.date(when), horizon);
}

/** One editorial bound of one date. */
interface Assumption {
  when: Dated;
  bound: DayBound;
  assumed: AssumedBound;
}

function assumptionsOf(dates: readonly Dated[]): Assumption[] {
  return dates.flatMap((when) =>
    when.assumed
      ? DAY_BOUNDS.flatMap((bound) => {
          const assumed = when.assumed![bound];
          return assumed ? [{ when, bound, assumed }] : [];
        })
      : [],
  );
}

/** `spanOf` with the `reverted` bounds put back to what the document alone gives. */
function withoutAssumptions(spanOf: SpanOf, reverted: readonly Assumption[]): SpanOf {
  if (reverted.length === 0) return spanOf;
  // by date, once: a judgement reads every date it is given (each scanned the whole list)
  const byDate = new Map<Dated, Assumption[]>();
  for (const assumption of reverted) {
    const mine = byDate.get(assumption.when);
    if (mine) mine.push(assumption);
    else byDate.set(assumption.when, [assumption]);
  }
  return (when) => {
    const mine = byDate.get(when);
    if (!mine) return spanOf(when);
    const span = [...spanOf(when)] as [number, number, number, number];
    for (const { bound, assumed } of mine) {
      const index = SPAN_INDEX[bound];
      // what the bound is when the document gives none
      const unbounded = bound.startsWith("earliest") ? -Infinity : Infinity;
      const alone =
        assumed.documentAlone === undefined ? unbounded : dayNumber(assumed.documentAlone);
      // only ever wider than the bound in force: validate.ts refuses a narrower day, but a graph
      // built by hand is not validated, and a narrower one turned a MAYBE EDITORIAL (the
      // Troika's 1993 with a documentAlone of 1995, review 6), where a MAYBE claims nothing
      span[index] =
        unbounded === -Infinity ? Math.min(span[index]!, alone) : Math.max(span[index]!, alone);
    }
    return span;
  };
}

/**
 * What a certainty rests on. SOURCE: the document's own dates give it. EDITORIAL: it holds only by
 * editorial bounds (`Dated.assumed`): with them put back to what the document alone gives, the
 * answer differs (a YES or NO becomes MAYBE); `restsOn` names their notes.
 */
export interface CertaintyBasis {
  basis: "SOURCE" | "EDITORIAL";
  restsOn: Editorial[];
}

const FROM_SOURCE: CertaintyBasis = Object.freeze({ basis: "SOURCE", restsOn: [] });

/**
 * The basis of the certainty `judge` gives from `dates` (the dates it reads, each through the
 * `SpanOf` it is handed): SOURCE when it gives the same with every editorial bound of those dates
 * put back to the document's. Otherwise EDITORIAL, resting on the notes of a least set of bounds
 * that, kept alone (every other put back), still give the answer: each bound in turn is put back
 * if the answer stands without it. The CSCE's name in 1992 needs its 1973 start as well as its
 * 1994 end (an unknown start and end would be MAYBE). The audit of 5 December (finding 2) found a
 * YES that rests only on the day a decision took effect, and a NO only on the Troika's 1992
 * bound, given as plainly as a quoted date's.
 */
export function certaintyBasis(
  graph: GraphCore,
  dates: readonly Dated[],
  judge: (spanOf: SpanOf) => Certainty,
): CertaintyBasis {
  return runToEnd(certaintyBasisSteps(graph, dates, judge));
}

/**
 * `certaintyBasis` as work that can pause: after each judgement it tells `deadline` `work` units
 * (what a judgement costs: nameThenBasis's, the office's names), and yields when it is time to
 * read the clock (`Deadline.due`), so that its driver checks the deadline and, sliced
 * (`runNowOrSliced`), gives the event loop back.
 */
function* certaintyBasisSteps(
  graph: GraphCore,
  dates: readonly Dated[],
  judge: (spanOf: SpanOf) => Certainty,
  deadline?: Deadline,
  work = 1,
): Steps<CertaintyBasis> {
  const assumptions = assumptionsOf(dates);
  if (assumptions.length === 0) return FROM_SOURCE;
  // each date's days read once: a judgement reads them all, once per bound tried
  const spans = new Map<Dated, CoverageSpan>();
  const read = spansOf(graph);
  const spanOf: SpanOf = (when) => {
    let span = spans.get(when);
    if (!span) spans.set(when, (span = read(when)));
    return span;
  };
  const answer = judge(spanOf);
  if (judge(withoutAssumptions(spanOf, assumptions)) === answer) return FROM_SOURCE;
  if (deadline?.due(work)) yield;
  const kept = new Set(assumptions);
  for (const assumption of assumptions) {
    kept.delete(assumption);
    const reverted = assumptions.filter((a) => !kept.has(a));
    if (judge(withoutAssumptions(spanOf, reverted)) !== answer) kept.add(assumption);
    if (deadline?.due(work)) yield;
  }
  const notes = new Map<string, Editorial>();
  for (const { assumed } of assumptions.filter((a) => kept.has(a)))
    notes.set(assumed.note.editorial, assumed.note);
  return { basis: "EDITORIAL", restsOn: [...notes.values()] };
}

/** The basis of `periodCertainty` (a location, a PERIOD tenure) at `at`. */
export function periodCertaintyBasis(
  graph: GraphCore,
  when: Dated | undefined,
  at: PartialDate,
  moment = false,
): CertaintyBasis {
  if (!when) return FROM_SOURCE;
  const [atFrom, atTo] = dayRange(at);
  return certaintyBasis(graph, [when], (spanOf) => {
    const certainty = coverageOfSpan(spanOf(when), atFrom, atTo);
    // a POINT_IN_TIME tenure: YES within its moment, MAYBE elsewhere (tenure-spans.ts)
    return moment && certainty !== "YES" ? "MAYBE" : certainty;
  });
}

/** The basis of `tenureCertainty` at `at`. */
export function tenureCertaintyBasis(
  graph: GraphCore,
  tenure: Tenure,
  at: PartialDate,
): CertaintyBasis {
  return periodCertaintyBasis(graph, tenure.when, at, tenure.timing === "POINT_IN_TIME");
}

/**
 * The basis of each of `officeNameCertainties` asked `ALONE` (`namesOn`, `nameHistory(asOf:)`), by
 * position: each name's certainty is its own date's coverage, and so is judged from that date's
 * editorial bounds alone. Judged over every name's bounds, as at first, each name tried all 4
 * bounds of all N names, a judgement of all N names each time: N³ coverages. 135 ms of one turn
 * for an office of 30 names, 418 ms for 100 (bench/name-bases.ts); the answers are the same
 * (tests/graph/certainty-basis.test.ts holds it to the judgement over all). `nameThen`, which may
 * read the others' dates for the first name, has its own basis (`nameThenBasis`).
 */
export function officeNameCertaintyBases(
  graph: GraphCore,
  office: Office,
  at: PartialDate,
): CertaintyBasis[] {
  const [atFrom, atTo] = dayRange(at);
  return office.nameHistory.map((name) =>
    certaintyBasis(graph, [name.when], (spanOf) => coverageOfSpan(spanOf(name.when), atFrom, atTo)),
  );
}

/**
 * The basis of `nameThen`'s certainty, asked with the same arguments. Only the bounds of the names
 * that may have been borne at `at` with their own bounds put back (every bound only ever widens a
 * period) are tried: any other is NO however its bounds are, and `nameThen`'s certainty reads only
 * the names possibly borne then (its candidates, and whether the first name alone is one), so its
 * bounds are put back in any case and kept in none. Tried over every name's bounds, as at first,
 * each of 4N bounds was a judgement of all N names: 350-750 ms for one name of an office of 200
 * at a month's date, and a timeline of its entries held the event loop 5-7 s (red team 53, F1);
 * 1 ms now. Where every name's bounds are open as the document alone gives them (no
 * `documentAlone`), every name may reach every date, and the judgements are still 4N of N names
 * (28-38 ms at 200 names, about 2 s at 1,500): each one is told to the request's `deadline`, N
 * units, so that it stops at its limit (the deadline, at 32 units a field, did not see seconds of
 * them), and the schema runs it in the request's slices (`nameThenBasisSteps`).
 */
export function nameThenBasis(
  graph: GraphCore,
  entity: Office,
  at: PartialDate,
  givenHere: (name: OfficeName) => boolean = () => false,
  preferEarlier = false,
  deadline?: Deadline,
): CertaintyBasis {
  return runToEnd(
    nameThenBasisSteps(graph, entity, at, givenHere, preferEarlier, deadline),
    deadline,
  );
}

/**
 * `nameThenBasis` as work that can pause (`certaintyBasisSteps`): the schema runs it sliced
 * (name-then.ts, `runNowOrSliced`). Told to the deadline only, a field of 1,500 names whose bounds
 * are open held the event loop 2.6 s, the deadline's checks unable to give it back within one
 * field (red team 54, F1).
 */
export function nameThenBasisSteps(
  graph: GraphCore,
  entity: Office,
  at: PartialDate,
  givenHere: (name: OfficeName) => boolean = () => false,
  preferEarlier = false,
  deadline?: Deadline,
): Steps<CertaintyBasis> {
  const [atFrom, atTo] = dayRange(at);
  const spanOf = spansOf(graph);
  const reaching = entity.nameHistory
    .map((name) => name.when)
    .filter(
      (when) =>
        coverageOfSpan(withoutAssumptions(spanOf, assumptionsOf([when]))(when), atFrom, atTo) !==
        "NO",
    );
  return certaintyBasisSteps(
    graph,
    reaching,
    (spanOf) => nameThen(graph, entity, at, givenHere, preferEarlier, spanOf).certainty,
    deadline,
    entity.nameHistory.length,
  );
}

/**
 * The basis of `participatingOn`'s certainty: membership runs from the accession's date on, so it
 * reads that date's first possible day and the day it certainly happened by (its last possible
 * day; an interval's latest start).
 */
export function participationBasis(
  graph: GraphCore,
  accession: Event,
  at: PartialDate,
): CertaintyBasis {
  const [atFrom, atTo] = dayRange(at);
  const horizon = horizonDayOf(graph.horizon);
  const interval = graph.date(accession.when).isInterval;
  return certaintyBasis(graph, [accession.when], (spanOf) => {
    const [from, to, certainFrom] = spanOf(accession.when);
    return coverageOfSpan([from, Infinity, interval ? certainFrom : to, horizon], atFrom, atTo);
  });
}
