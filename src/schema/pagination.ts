/**
 * Cursor pagination over a list of keys, with the bounds checked rather than silently applied:
 * `first`/`last` outside 0..MAX_PAGE_SIZE is a BAD_USER_INPUT error naming the argument.
 *
 * A cursor is bound to the list that issued it: it holds (base64, opaque to clients) the list's
 * identity (`Query.persons`, or `Person.tenures` of `person/gyorgy-szabo`), a digest of the
 * arguments that narrow the list (`filter`, `asOf`, `certainty`, `query`, ...), a digest of its
 * `orderBy`, and the offset. An offset means nothing in another list, under another filter or in
 * another order, so such a cursor is refused (BAD_CURSOR, saying where it comes from) rather than
 * silently answered with entries of a different list. Releases up to 0.1.0 issued bare offsets
 * (`OffsetConnection:N`); those are refused with a message saying to fetch the first page again.
 *
 * The paging itself is Pothos' relay plugin's (`resolveArrayConnection`, which served these lists
 * before): tests/schema/pagination-reference.test.ts holds the two equal on every combination of
 * `first`, `last`, `after` and `before`, but for `before` alone (here: the page just before it).
 * The module imports nothing of the project.
 */
import { createHash } from "node:crypto";
import type { GraphQLError, GraphQLResolveInfo } from "graphql";
import { userError } from "./errors.js";

/** Entries in a page when neither `first` nor `last` is given. */
export const DEFAULT_PAGE_SIZE = 20;
/** The largest `first` or `last` accepted. */
export const MAX_PAGE_SIZE = 100;

/**
 * The format tag of the cursors this release issues; a new format gets a new tag. kzc2 carries the
 * version of the data and of the lists' code it was read from; kzc1 (without it) is read as of the
 * data the process started with (`ListIdentity.startVersion`), so refused as stale once a reload
 * serves other data.
 */
const CURSOR_TAG = "kzc2";
const CURSOR_TAG_UNVERSIONED = "kzc1";
/** Longer than any cursor this server issues (the list's name and a key are at most a few hundred characters). */
const MAX_CURSOR_LENGTH = 1024;

export interface PageArgs {
  first?: number | null | undefined;
  last?: number | null | undefined;
  after?: string | null | undefined;
  before?: string | null | undefined;
}

export interface Page<T> {
  edges: Edge<T>[];
  pageInfo: {
    startCursor: string | null;
    endCursor: string | null;
    hasPreviousPage: boolean;
    hasNextPage: boolean;
  };
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

/**
 * Which list a page is of: the field that holds it (`Query.persons`, `Office.tenures`) and, for a
 * list of an entity, that entity's key. Two fields of the same name on different entities are
 * different lists.
 */
export interface ListIdentity {
  field: string;
  of?: string | undefined;
  /**
   * The version of the data the list is read from (the graph's content hash) and of the code that
   * makes the list (pages.ts versionOf): a cursor of another version is refused, its offset
   * meaning another entry there (red team 13, F2: page 2 after a reload that added a person
   * repeated page 1's last entry, with no error; review 16d: the same after a deploy).
   */
  version?: string | undefined;
  /**
   * The version of the data the process started serving: a cursor of the release before (kzc1)
   * carries no version, and is taken to be of this one, so read until a reload serves other data,
   * then refused as stale like any cursor of another version (read as an offset into the new data,
   * it repeated or skipped entries). Absent (a list read outside the server): taken to be `version`.
   */
  startVersion?: string | undefined;
}

/**
 * The list a resolver pages: its field (`info`), the entity it hangs on (`parent`, when it has a
 * key) and the versions of the data it is read from and the process started with.
 */
export function listOf(
  info: GraphQLResolveInfo,
  parent?: unknown,
  versions: Pick<ListIdentity, "version" | "startVersion"> = {},
): ListIdentity {
  const field = `${info.parentType.name}.${info.fieldName}`;
  const key =
    parent !== null && typeof parent === "object" ? (parent as { id?: unknown }).id : undefined;
  return typeof key === "string" ? { field, of: key, ...versions } : { field, ...versions };
}

const describeList = (list: ListIdentity) => (list.of ? `${list.field} of ${list.of}` : list.field);

const PAGE_ARGS = new Set(["first", "last", "after", "before"]);

/** Same value, same text: objects with their keys sorted, absent and null values left out. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== null && v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

const digest = (value: unknown) =>
  createHash("sha256").update(canonical(value)).digest("base64url").slice(0, 10);

/** The digests a cursor carries of the arguments of its list: what narrows it, and its order. */
function argumentDigests(args: object): { narrowing: string; order: string } {
  const narrowing: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(args))
    if (!PAGE_ARGS.has(name) && name !== "orderBy") narrowing[name] = value;
  return {
    narrowing: digest(narrowing),
    order: digest((args as { orderBy?: unknown }).orderBy ?? null),
  };
}

/** Where cursors of one page start: everything but the offset. */
function cursorPrefix(list: ListIdentity, args: object): string {
  const { narrowing, order } = argumentDigests(args);
  return `${CURSOR_TAG}|${list.field}|${list.of ?? ""}|${narrowing}|${order}|${versionDigest(list.version)}|`;
}

/** The version a cursor carries: a digest of the graph's content hash and the lists' code ("" unknown). */
const versionDigest = (version: string | undefined) =>
  version === undefined ? "" : digest(version);

/** The cursor of the entry at `offset` of `list`, asked with `args` (its filter, order, ...). */
export function offsetToCursor(offset: number, list: ListIdentity, args: object = {}): string {
  return Buffer.from(`${cursorPrefix(list, args)}${offset}`, "utf8").toString("base64");
}

function badArgument(name: string, message: string): GraphQLError {
  return userError(`Argument "${name}": ${message}`, {
    extensions: { code: "BAD_USER_INPUT", argumentName: name },
  });
}

function badCursor(
  argument: string,
  cursor: string,
  message: string,
  extra: Record<string, unknown> = {},
): GraphQLError {
  const shown = cursor.length > 60 ? `${cursor.slice(0, 60)}...` : cursor;
  return userError(`Argument "${argument}": ${JSON.stringify(shown)} ${message}`, {
    extensions: { code: "BAD_CURSOR", argumentName: argument, ...extra },
  });
}

const FROM_AN_EARLIER_PAGE =
  "pass a `cursor`, `startCursor` or `endCursor` from an earlier page of this list, asked with the same arguments.";

/**
 * The offset a cursor stands for in `list` asked with `args`; a BAD_CURSOR error naming
 * `argument` for anything this server did not issue for that list, filter and order.
 */
export function cursorToOffset(
  cursor: string,
  argument: "after" | "before",
  list: ListIdentity,
  args: object = {},
): number {
  if (cursor.length > MAX_CURSOR_LENGTH || !/^[A-Za-z0-9+/]+={0,2}$/.test(cursor)) {
    throw badCursor(argument, cursor, `is not a cursor of this API: ${FROM_AN_EARLIER_PAGE}`);
  }
  const text = Buffer.from(cursor, "base64").toString("utf8");
  if (/^OffsetConnection:(0|[1-9]\d{0,8})$/.test(text)) {
    throw badCursor(
      argument,
      cursor,
      `is a cursor of an earlier release of this API, which did not say which list it was of: cursors are now bound to their list, filter and order. Fetch the first page of ${describeList(list)} again and page on from its cursors.`,
    );
  }
  const parts = text.split("|");
  // (a cursor of the release before has no version: it is taken to be of the data the process
  // started with, and checked below as any other)
  if (parts.length === 6 && parts[0] === CURSOR_TAG_UNVERSIONED)
    parts.splice(5, 0, versionDigest(list.startVersion ?? list.version));
  const [tag, field, of, narrowing, order, version, offsetText] = parts;
  if (
    parts.length !== 7 ||
    (tag !== CURSOR_TAG && tag !== CURSOR_TAG_UNVERSIONED) ||
    !field ||
    !/^(0|[1-9]\d{0,8})$/.test(offsetText ?? "")
  ) {
    throw badCursor(argument, cursor, `is not a cursor of this API: ${FROM_AN_EARLIER_PAGE}`);
  }
  const issuedFor: ListIdentity = of ? { field, of } : { field };
  if (field !== list.field || (of || undefined) !== list.of) {
    throw badCursor(
      argument,
      cursor,
      `is a cursor of ${describeList(issuedFor)}, not of ${describeList(list)}: a cursor pages only the list that gave it.`,
      { cursorList: describeList(issuedFor) },
    );
  }
  const expected = argumentDigests(args);
  if (narrowing !== expected.narrowing) {
    throw badCursor(
      argument,
      cursor,
      `is a cursor of ${describeList(list)} under other arguments (\`filter\`, \`asOf\`, \`query\`, ...): its offset means another entry here. Page on with the arguments that gave it, or start again from the first page.`,
      { cursorList: describeList(issuedFor) },
    );
  }
  if (order !== expected.order) {
    throw badCursor(
      argument,
      cursor,
      `is a cursor of ${describeList(list)} in another order (\`orderBy\`): its offset means another entry here. Page on with the \`orderBy\` that gave it, or start again from the first page.`,
      { cursorList: describeList(issuedFor) },
    );
  }
  if (version !== versionDigest(list.version)) {
    throw badCursor(
      argument,
      cursor,
      `is a cursor of ${describeList(list)} as it was in another version of the data or of the server (the dataset was reloaded since, a deploy changed the server's code, or another replica serves other data or code): its offset may mean another entry now. Fetch the first page again and page on from its cursors.`,
      { cursorList: describeList(issuedFor), staleCursor: true },
    );
  }
  return Number(offsetText);
}

/** The page size given, checked: a whole number from 0 to MAX_PAGE_SIZE. */
function checkSize(name: "first" | "last", value: number | null | undefined): number | undefined {
  if (value === null || value === undefined) return undefined;
  if (!Number.isInteger(value) || value < 0 || value > MAX_PAGE_SIZE) {
    throw badArgument(
      name,
      `must be between 0 and ${MAX_PAGE_SIZE} (default ${DEFAULT_PAGE_SIZE}), got ${value}. Page through longer lists with \`after\`/\`before\`.`,
    );
  }
  return value;
}

/**
 * One page of `items`, following the Relay cursor-connection algorithm: `after`/`before` narrow
 * the list, then `first` keeps its head and `last` its tail. Neither `first` nor `last`: the first
 * DEFAULT_PAGE_SIZE entries (the last ones when only `before` is given).
 */
export function paginate<T>(args: PageArgs, items: Sliceable<T>, list: ListIdentity): Page<T> {
  const first = checkSize("first", args.first);
  const last = checkSize("last", args.last);
  let start = 0;
  let end = items.length;
  if (args.after != null)
    start = Math.min(cursorToOffset(args.after, "after", list, args) + 1, items.length);
  if (args.before != null)
    end = Math.max(
      Math.min(cursorToOffset(args.before, "before", list, args), items.length),
      start,
    );
  end = Math.max(end, start);

  if (first === undefined && last === undefined) {
    if (args.before != null && args.after == null) start = Math.max(start, end - DEFAULT_PAGE_SIZE);
    else end = Math.min(end, start + DEFAULT_PAGE_SIZE);
  }
  if (first !== undefined) end = Math.min(end, start + first);
  if (last !== undefined) start = Math.max(start, end - last);

  const cursors = new PageCursors(list, args);
  const edges = items
    .slice(start, end)
    .map((node, index) => new Edge(node, start + index, cursors));
  return {
    edges,
    totalCount: items.length,
    pageInfo: new PageInfo(start, end, items.length, cursors),
  };
}

/**
 * The cursors of one page, made when read: most queries read none (a list's `totalCount`, its
 * `nodes`), and a cursor costs the digests of the list's arguments (two SHA-256) and an encoding.
 */
class PageCursors {
  private prefix: string | undefined;
  constructor(
    private readonly list: ListIdentity,
    private readonly args: object,
  ) {}

  at(offset: number): string {
    this.prefix ??= cursorPrefix(this.list, this.args);
    return Buffer.from(`${this.prefix}${offset}`, "utf8").toString("base64");
  }
}

/** An entry of a page, its cursor made when read. */
export class Edge<T> {
  constructor(
    readonly node: T,
    private readonly offset: number,
    private readonly cursors: PageCursors,
  ) {}

  get cursor(): string {
    return this.cursors.at(this.offset);
  }
}

/** A page's PageInfo, its cursors made when read. */
class PageInfo {
  readonly hasPreviousPage: boolean;
  readonly hasNextPage: boolean;
  constructor(
    private readonly start: number,
    private readonly end: number,
    length: number,
    private readonly cursors: PageCursors,
  ) {
    this.hasPreviousPage = start > 0;
    this.hasNextPage = end < length;
  }

  get startCursor(): string | null {
    return this.end > this.start ? this.cursors.at(this.start) : null;
  }

  get endCursor(): string | null {
    return this.end > this.start ? this.cursors.at(this.end - 1) : null;
  }
}

/**
 * Said by every root list: it is nullable so that a bad argument nulls only that field (with its
 * error), not the whole `data` with every other field of the query.
 */
export const NULL_WHEN_INVALID =
  "Null, with an error naming the argument, when an argument is invalid; the query's other fields are still answered.";
