/**
 * Minimal typings for the `edtf` package (v4), which ships none: tests/graph/dates.test.ts
 * checks dates.ts against it. Only what that uses is declared; the runtime objects carry much more.
 */
declare module "edtf" {
  /** A per-component flag mask (year/month/day); `value` is 0 when no component is flagged. */
  interface Bitmask {
    readonly value: number;
  }

  /** A calendar date of year (1), month (2) or day (3) precision; 0 for a full timestamp. */
  interface EdtfDate {
    readonly type: "Date";
    readonly precision: 0 | 1 | 2 | 3;
    /** First and last millisecond covered, in epoch ms (UTC). */
    readonly min: number;
    readonly max: number;
    readonly uncertain: Bitmask;
    readonly approximate: Bitmask;
    readonly unspecified: Bitmask;
    /** The value serialised back to EDTF. */
    readonly edtf: string;
  }

  /** Everything else the parser can return (intervals, seasons, sets, lists, Y-years, ...). */
  interface EdtfOther {
    readonly type: "Interval" | "Season" | "Set" | "List" | "Year" | "Decade" | "Century";
    readonly edtf: string;
  }

  /** Parses an EDTF string; throws on syntax errors. */
  export default function edtf(input: string): EdtfDate | EdtfOther;
}
