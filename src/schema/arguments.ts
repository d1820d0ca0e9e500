/** Parsing of argument values shared by several fields, with errors that say what to send instead. */

import { type PartialDate, tryParsePartialDate } from "../graph/dates.js";
import { userError } from "./errors.js";

export const EDTF_ARGUMENT_HELP =
  "An EDTF date: a year (`2010`), a month (`2010-07`), a day (`2010-07-16`) or an interval (`2010-07/2010-12`, `2016-02-09/..`).";

/** An EDTF argument, or a BAD_USER_INPUT error naming the argument and the problem. */
export function edtfArgument(name: string, value: string): PartialDate {
  const parsed = tryParsePartialDate(value);
  if (!parsed.ok) {
    throw userError(`Argument "${name}": ${parsed.error}. ${EDTF_ARGUMENT_HELP}`, {
      extensions: { code: "BAD_USER_INPUT", argumentName: name },
    });
  }
  return parsed.value;
}
