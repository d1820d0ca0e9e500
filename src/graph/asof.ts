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
 */
import { coverage, UNKNOWN_PERIOD, type Certainty, type PartialDate } from "./dates.js";
import type { KnowledgeGraph } from "./graph.js";
import type { Dated, Office, OfficeName, Tenure } from "./model.js";

/** How certainly `tenure` was held at `at` (see the module comment for POINT_IN_TIME tenures). */
export function tenureCertainty(graph: KnowledgeGraph, tenure: Tenure, at: PartialDate): Certainty {
  const certainty = graph.certainty(tenure.when, at);
  if (tenure.timing === "PERIOD") return certainty;
  return certainty === "YES" ? "YES" : "MAYBE";
}

/** How certainly a dated fact held at `at`; a fact without a date (a location given without one) is MAYBE. */
export function periodCertainty(graph: KnowledgeGraph, when: Dated | undefined, at: PartialDate): Certainty {
  return when ? graph.certainty(when, at) : coverage(UNKNOWN_PERIOD, at, graph.horizon);
}

const RANK: Record<Certainty, number> = { YES: 2, MAYBE: 1, NO: 0 };

/**
 * The name an office bore at `at`: the name whose period certainly covers it, else one that
 * possibly does; among equals the later one (on a renaming day, the new name). Undefined when no
 * name's period can cover the date.
 */
export function officeNameOn(graph: KnowledgeGraph, office: Office, at: PartialDate): OfficeName | undefined {
  let best: { name: OfficeName; rank: number } | undefined;
  for (const name of office.nameHistory) {
    const rank = RANK[graph.certainty(name.when, at)];
    if (rank > 0 && (!best || rank >= best.rank)) best = { name, rank };
  }
  return best?.name;
}
