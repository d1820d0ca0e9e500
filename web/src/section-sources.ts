/**
 * Where a section of an entity's page shows the provenance of its entries: once under its heading
 * when they share it, else under each entry; and where it, or a summary line, says what "as of"
 * means. Free of the page's components, so that what a section says of its sources can be checked
 * without a browser.
 */
import {
  type AsOf,
  type GlanceItem,
  type Prov,
  provenanceKey,
  type RelGroup,
  type RelItem,
  sameAsOf,
} from "./model.js";
import { asOfWords } from "./timeaxis.js";

/**
 * Where a group shows its provenance and what "as of" means: once under its heading what the
 * entries share, and `of(item)` under each entry.
 */
export interface GroupSources {
  /**
   * What every entry (two or more) rests on of its own, the very same sources each (an office's
   * three dimensions: the same two quotes and editorial note), given once; else empty.
   */
  every: Prov[];
  /** The "as of" every dated entry shares, said once under the heading; else null. */
  asOf: AsOf | null;
  /**
   * What that shared "as of" rests on (the source's "Updated at"), given once as its source, apart
   * from `every`: it dates the entries' "as of" and states none of them.
   */
  asOfSources: Prov[];
  /**
   * What "as of" means, said once under the heading where two or more entries have one (so their
   * own "as of" does not say it again); null where none or one has (that one says it itself).
   */
  asOfNote: string | null;
  of: (item: RelItem) => Prov[];
}

/**
 * An entry's provenance followed by that of its date and of its "as of" (unless its group gives
 * that once, `asOfShared`), each quote once: a quote told from another by its source and words
 * (`provenanceKey`, as the page's quote index does: the same words of two sources are two
 * quotes), a note by its text.
 */
function itemProvenance(item: RelItem, asOfShared: boolean): Prov[] {
  const provenance = item.provenance ?? [];
  const seen = new Set(provenance.map((p) => provenanceKey([p])));
  return [
    ...provenance,
    ...[
      ...(item.when?.provenance ?? []),
      ...(asOfShared ? [] : (item.asOf?.provenance ?? [])),
    ].filter((p) => !seen.has(provenanceKey([p])) && seen.add(provenanceKey([p]))),
  ];
}

/**
 * The "as of" of a group's entries when two or more have one and all of theirs are the same date
 * resting on the same quotes of the same source (a state's priorities: each the source's "Updated
 * at"): said once under the group's heading, where it was the same quote under each of 19 entries.
 * Two sources updated on different days, whose dates rest on notes of the same words, are two.
 */
export function sharedAsOf(group: RelGroup): AsOf | null {
  const dated = group.items.flatMap((item) => (item.asOf ? [item.asOf] : []));
  const first = dated[0];
  return first && dated.length > 1 && dated.every((d) => sameAsOf(d, first)) ? first : null;
}

/**
 * When every entry (two or more) rests on the very same sources, some of them its own (an
 * office's three dimensions: the same two quotes and editorial note), they are given once
 * (`every`), not three times; a shared "as of" is given once (`sharedAsOf`) with its quote as
 * its source, not among what every entry rests on; the rest under each entry.
 */
export function groupSources(group: RelGroup): GroupSources {
  const asOf = sharedAsOf(group);
  const lists = group.items.map((item) => itemProvenance(item, !!asOf));
  const first = lists[0];
  // "every entry rests on these" only of sources the entries have of their own: not when all they
  // share is the quote that dates their "as of" (a dimension's priorities, shown with nothing but
  // it: "Updated at : 18.03.2016, 19:31" states none of them)
  const own = group.items.every(
    (item) => (item.provenance?.length ?? 0) > 0 || (item.when?.provenance.length ?? 0) > 0,
  );
  const every =
    own &&
    first?.length &&
    lists.length > 1 &&
    lists.every((l) => provenanceKey(l) === provenanceKey(first))
      ? first
      : [];
  return {
    every,
    asOf,
    asOfSources: asOf?.provenance ?? [],
    asOfNote: asOfNote(group, asOf),
    of: every.length ? () => [] : (item) => itemProvenance(item, !!asOf),
  };
}

/**
 * The note under a section's heading on what its entries' "as of" means, said once for them all
 * where two or more have one (it was read after each, 7 times in a synthetic state's priorities,
 * review 16e); null where none or one has, which says it itself (`AsOfText`).
 */
export function asOfNote(group: RelGroup, shared: AsOf | null): string | null {
  const dated = group.items.filter((item) => item.asOf).length;
  return dated > 1 ? asOfMeaning(shared, dated, group.items.length) : null;
}

/**
 * The words a screen reader reads once after a summary line (`GlanceItem`) on what its "as of"
 * means: of the date the line says once for all (`asOf`), else of its entries' own; null where no
 * entry it shows has one.
 */
export function glanceAsOfNote(line: GlanceItem): string | null {
  const total = line.parts.length + (line.more ?? 0);
  if (line.asOf) return asOfMeaning(line.asOf, total, total);
  const dated = line.parts.flatMap((part) => (part.asOf ? [part.asOf] : []));
  const first = dated[0];
  if (!first) return null;
  return asOfMeaning(dated.every((d) => sameAsOf(d, first)) ? first : null, dated.length, total);
}

/**
 * What "as of" means, said once for a list's `dated` entries of `total`: of the one date they
 * share (`shared`), for "this" or "these" where every entry has it, else for "the entry (or
 * entries) so marked"; or, where their dates differ, of each entry's. It says no tense: the
 * keynote among Kazakhstan's priorities is stated in the future ("will be the keynote ... during
 * upcoming years").
 */
export function asOfMeaning(shared: AsOf | null, dated: number, total: number): string {
  if (!shared)
    return "“As of” beside an entry: the date of its source's last update, as of which the source states it; it gives it no date of its own.";
  const one = dated === 1;
  const which =
    dated === total ? (one ? "this" : "these") : `the ${one ? "entry" : "entries"} so marked`;
  return `“As of ${asOfWords(shared)}”: the date of the source's last update, as of which it states ${which}; it gives ${one ? "it no date of its" : "them no date of their"} own.`;
}
