/**
 * Cursor pagination over a list of keys, with the bounds checked rather than silently applied:
 * `first`/`last` outside 0..MAX_PAGE_SIZE, or a cursor this server did not issue, is a
 * BAD_USER_INPUT error naming the argument. Cursors are opaque, and stable for a given list
 * (they encode the offset in the same format Pothos uses, so cursors issued before keep working).
 */
import { GraphQLError } from "graphql";

/** Entries in a page when neither `first` nor `last` is given. */
export const DEFAULT_PAGE_SIZE = 20;
/** The largest `first` or `last` accepted. */
export const MAX_PAGE_SIZE = 100;

const CURSOR_PREFIX = "OffsetConnection:";

export interface PageArgs {
  first?: number | null | undefined;
  last?: number | null | undefined;
  after?: string | null | undefined;
  before?: string | null | undefined;
}

export interface Page<T> {
  edges: { cursor: string; node: T }[];
  pageInfo: { startCursor: string | null; endCursor: string | null; hasPreviousPage: boolean; hasNextPage: boolean };
  totalCount: number;
}

/**
 * What can be paged: a list, or anything that knows its length and hands out a range of it (the
 * hits of a search, ranked only as far as a page reaches).
 */
export interface Sliceable<T> {
  readonly length: number;
  slice(start: number, end: number): T[];
}

export function offsetToCursor(offset: number): string {
  return Buffer.from(`${CURSOR_PREFIX}${offset}`, "utf8").toString("base64");
}

function badArgument(name: string, message: string): GraphQLError {
  return new GraphQLError(`Argument "${name}": ${message}`, { extensions: { code: "BAD_USER_INPUT", argumentName: name } });
}

/** The offset a cursor stands for; an error naming `argument` for anything this server did not issue. */
export function cursorToOffset(cursor: string, argument: "after" | "before"): number {
  const invalid = () =>
    badArgument(argument, `"${cursor.length > 60 ? `${cursor.slice(0, 60)}...` : cursor}" is not a cursor of this list; pass a \`cursor\`, \`startCursor\` or \`endCursor\` from an earlier page.`);
  if (cursor.length > 64 || !/^[A-Za-z0-9+/]+={0,2}$/.test(cursor)) throw invalid();
  const text = Buffer.from(cursor, "base64").toString("utf8");
  const match = /^OffsetConnection:(0|[1-9]\d{0,8})$/.exec(text);
  if (!match) throw invalid();
  return Number(match[1]);
}

/** The page size given, checked: a whole number from 0 to MAX_PAGE_SIZE. */
function checkSize(name: "first" | "last", value: number | null | undefined): number | undefined {
  if (value === null || value === undefined) return undefined;
  if (!Number.isInteger(value) || value < 0 || value > MAX_PAGE_SIZE) {
    throw badArgument(name, `must be between 0 and ${MAX_PAGE_SIZE} (default ${DEFAULT_PAGE_SIZE}), got ${value}. Page through longer lists with \`after\`/\`before\`.`);
  }
  return value;
}

/**
 * One page of `items`, following the Relay cursor-connection algorithm: `after`/`before` narrow
 * the list, then `first` keeps its head and `last` its tail. Neither `first` nor `last`: the first
 * DEFAULT_PAGE_SIZE entries (the last ones when only `before` is given).
 */
export function paginate<T>(args: PageArgs, items: Sliceable<T>): Page<T> {
  const first = checkSize("first", args.first);
  const last = checkSize("last", args.last);
  let start = 0;
  let end = items.length;
  if (args.after != null) start = Math.min(cursorToOffset(args.after, "after") + 1, items.length);
  if (args.before != null) end = Math.max(Math.min(cursorToOffset(args.before, "before"), items.length), start);
  end = Math.max(end, start);

  if (first === undefined && last === undefined) {
    if (args.before != null && args.after == null) start = Math.max(start, end - DEFAULT_PAGE_SIZE);
    else end = Math.min(end, start + DEFAULT_PAGE_SIZE);
  }
  if (first !== undefined) end = Math.min(end, start + first);
  if (last !== undefined) start = Math.max(start, end - last);

  const edges = items.slice(start, end).map((node, index) => ({ cursor: offsetToCursor(start + index), node }));
  return {
    edges,
    totalCount: items.length,
    pageInfo: {
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges[edges.length - 1]?.cursor ?? null,
      hasPreviousPage: start > 0,
      hasNextPage: end < items.length,
    },
  };
}
