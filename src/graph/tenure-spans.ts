/**
 * Every tenure's dates as numbers, for lists of tenures as of a date: `tenures(asOf:)` over the
 * whole graph asks each tenure how certainly it was held, and reading 30,000 tenures (decoded
 * from a snapshot, their dates looked up) for it cost ~50 ms a request at 100k entities. Four
 * numbers per tenure (`coverageSpan`, dates.ts) and a flag make the answer four comparisons.
 *
 * The rule is asof.ts's (see its module comment): a PERIOD tenure is as certain as its `when`
 * covers the date; a POINT_IN_TIME tenure is YES within its attested moment and MAYBE at any other
 * date, never NO (its bounds are unknown, not absent).
 */

import {
  type Certainty,
  type CoverageSpan,
  coverageOfSpan,
  coverageSpan,
  type PartialDate,
} from "./dates.js";
import type { Tenure } from "./model.js";

export class TenureSpans {
  /** `spans[4 i .. 4 i + 3]`: the `coverageSpan` of tenure `i`, in the order of the graph's `lists.tenure`. */
  private readonly spans: Float64Array;
  /** `moments[i]` is 1 when tenure `i` is POINT_IN_TIME. */
  private readonly moments: Uint8Array;

  constructor(
    tenures: readonly Tenure[],
    dateOf: (tenure: Tenure) => PartialDate,
    horizon: number,
  ) {
    this.spans = new Float64Array(tenures.length * 4);
    this.moments = new Uint8Array(tenures.length);
    tenures.forEach((tenure, i) => {
      this.spans.set(coverageSpan(dateOf(tenure), horizon), i * 4);
      this.moments[i] = tenure.timing === "PERIOD" ? 0 : 1;
    });
  }

  /** How certainly tenure `i` was held at the date whose first and last possible days are `atFrom` and `atTo` (`dayRange`). */
  certainty(i: number, atFrom: number, atTo: number): Certainty {
    const s = this.spans;
    const span: CoverageSpan = [s[i * 4]!, s[i * 4 + 1]!, s[i * 4 + 2]!, s[i * 4 + 3]!];
    const certainty = coverageOfSpan(span, atFrom, atTo);
    return this.moments[i] === 0 || certainty === "YES" ? certainty : "MAYBE";
  }
}
