/**
 * Where a section of an entity's page shows the provenance of its entries: once under its heading
 * when they share it, else under each entry. Free of the page's components, so that what a section
 * says of its sources can be checked without a browser.
 */
import {
  type AsOf,
  type Prov,
  provenanceKey,
  type RelGroup,
  type RelItem,
  sameAsOf,
} from "./model.js";
import { asOfWords } from "./timeaxis.js";

/** Where a group shows its provenance: `once` under its heading, and `of(item)` under each entry. */
export interface GroupSources {
  once: Prov[];
  /** The "as of" every dated entry shares, said once under the heading (`asOfNote`). */
  asOf: AsOf | null;
  /** Whether `once` is what every entry rests on (else it is only what the shared "as of" rests on). */
  all: boolean;
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
 * office's three dimensions: the same two quotes, editorial note and "as of"), they are given
 * once (`all`), not three times; else a shared "as of" is given once (`sharedAsOf`), and the
 * rest under each entry.
 */
export function groupSources(group: RelGroup): GroupSources {
  const asOf = sharedAsOf(group);
  const lists = group.items.map((item) => itemProvenance(item, false));
  const first = lists[0];
  // "every entry rests on these" only of sources the entries have of their own: not when all they
  // share is the quote that dates their "as of" (a dimension's priorities, shown with nothing but
  // it: "Updated at : 18.03.2016, 19:31" states none of them)
  const own = group.items.every(
    (item) => (item.provenance?.length ?? 0) > 0 || (item.when?.provenance.length ?? 0) > 0,
  );
  if (
    own &&
    first?.length &&
    lists.length > 1 &&
    lists.every((l) => provenanceKey(l) === provenanceKey(first))
  )
    return { once: first, asOf, all: true, of: () => [] };
  return {
    once: asOf?.provenance ?? [],
    asOf,
    all: false,
    of: (item) => itemProvenance(item, !!asOf),
  };
}

/**
 * The note under a section's heading on its shared "as of": of "these" only where every entry has
 * it, else of "the entries so marked" (Kazakhstan's priorities: Path to Europe has a period of its
 * own, December 2011). It says no tense: the keynote among those priorities is stated in the future
 * ("will be the keynote ... during upcoming years").
 */
export function asOfNote(group: RelGroup, asOf: AsOf): string {
  const which = group.items.every((item) => item.asOf) ? "these" : "the entries so marked";
  return `“As of ${asOfWords(asOf)}”: the date of the source's last update, as of which it states ${which}; it gives them no date of their own.`;
}
