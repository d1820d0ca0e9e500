/**
 * Stack traces captured and formatted while `run` runs, in this process: what makes errors by
 * the thousand dear (src/schema/errors.ts). Counted are GraphQLErrors' stacks captured with
 * frames (`Error.captureStackTrace` while `Error.stackTraceLimit` is above 0, as GraphQLError's
 * constructor calls it), and stacks formatted with frames of an error of graphql-js, Yoga or the
 * server (an error made from another copies its stack, which formats it). A stack of no frames,
 * as a userError has, costs next to nothing; Node's own streams format one of theirs, left out.
 */
import { GraphQLError } from "graphql";

export async function countStacks<T>(
  run: () => Promise<T>,
): Promise<{ result: T; captured: number; formatted: number }> {
  let captured = 0;
  let formatted = 0;
  const capture = Error.captureStackTrace;
  const format = Error.prepareStackTrace;
  Error.captureStackTrace = (target: object, ...rest: unknown[]) => {
    if (target instanceof GraphQLError && Error.stackTraceLimit > 0) captured++;
    return (capture as (...args: unknown[]) => void)(target, ...rest);
  };
  Error.prepareStackTrace = (error, frames) => {
    if (
      frames.length > 0 &&
      (error instanceof GraphQLError ||
        frames.some((frame) => /\/(src|node_modules)\//.test(frame.getFileName() ?? "")))
    )
      formatted++;
    return format ? format(error, frames) : `${error}`;
  };
  try {
    const result = await run();
    return { result, captured, formatted };
  } finally {
    Error.captureStackTrace = capture;
    Error.prepareStackTrace = format;
  }
}
