/**
 * The date as of which a source states a fact it gives no date of its own: a priority, a
 * cooperation, the dimension an office works in. The built-in document states them in the
 * present tense of its last update ("Kazakhstan continues to support", "remains", "Special
 * attention is paid"), so "Kazakhstan cooperates with the Programme Office in Astana" is true as
 * of 2016-03-18, not timelessly (the audit of 5 December, finding 20). The date is the source's
 * own `updated`, with its quote ("Updated at : 18.03.2016, 19:31"): nothing is invented, and no
 * start is given, for the source gives none.
 */
import type { GraphCore } from "./core.js";
import type { Dated, Provenance } from "./model.js";

/**
 * The `updated` date of the sources the quotes of `provenance` come from: of the one updated last
 * where they come from several (the fact is stated by each, the last of them stating it as of
 * its own update). Undefined when the fact rests on editorial notes alone: no source states it
 * (ODIHR's human dimension is background knowledge, true of no one date of the document).
 */
export function statedAsOf(
  graph: Pick<GraphCore, "get" | "date">,
  provenance: readonly Provenance[],
): Dated | undefined {
  let latest: { dated: Dated; day: string } | undefined;
  let seen: string | undefined;
  for (const item of provenance) {
    if (!("quote" in item) || item.source === seen) continue;
    // a fact's quotes are nearly always of one source: each is looked up once in a row
    seen = item.source;
    const source = graph.get("source", item.source);
    if (!source) continue;
    const day = graph.date(source.updated).latest ?? "";
    if (!latest || day > latest.day) latest = { dated: source.updated, day };
  }
  return latest?.dated;
}

/**
 * `statedAsOf` of a link the source's sentences must state by themselves: undefined as soon as an
 * editorial note is among its provenance, for the note supplies what the sentences leave out. An
 * office's dimension: "Cooperation is held in all three dimensions ... and carried out in
 * collaboration with ... its field mission" states the cooperation's dimensions, not the field
 * office's, which only the editors' note gives; dated as of 2016-03-18, the link read as the
 * source's own dated statement (the honest54 audit, F11). A cooperation is not read so: its note
 * joins two quotes that together state it (the sentence and the document's title).
 */
export function statedByQuotesAsOf(
  graph: Pick<GraphCore, "get" | "date">,
  provenance: readonly Provenance[],
): Dated | undefined {
  return provenance.some((item) => "editorial" in item) ? undefined : statedAsOf(graph, provenance);
}
