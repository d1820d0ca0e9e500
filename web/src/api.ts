/**
 * The explorer's only way to the data: a typed document sent to the public GraphQL endpoint, as
 * its trusted document's id by GET (`/graphql?documentId=sha256:...&variables=...`, see
 * codegen.ts): a short URL that HTTP caches (the browser's, a CDN, nginx) keep and revalidate by
 * ETag. A document without an id (none today) is POSTed as text.
 * Answers are kept per document and variables, so going back and forth costs no request, until an
 * answer says the data changed under them (a stale cursor: the dataset was reloaded, or another
 * replica answered); then every answer kept is dropped and asked again, by POST from then on.
 */
import type { TypedDocumentString } from "./gql/graphql.js";

export const GRAPHQL_ENDPOINT = "/graphql";

export class ApiError extends Error {
  override name = "ApiError";
  constructor(
    message: string,
    /** The API's error code (`BAD_USER_INPUT`…), when it gave one. */
    readonly code?: string,
    /** The argument the API refused (`asOf`, `filter.date.overlaps`), when it named one. */
    readonly argument?: string,
    /**
     * The API refused a cursor of another version of the data (`extensions.staleCursor`): the
     * list must be read again from its first page, which the view can do by itself.
     */
    readonly staleCursor = false,
  ) {
    super(message);
  }
}

/** An answer as the explorer keeps it: the data, and what the API suggested for keys it did not find. */
interface Answer<TResult> {
  data: TResult;
  /** The keys the NOT_FOUND errors of the answer suggest (`extensions.suggestions`), in order. */
  suggestions: string[];
}

const cache = new Map<string, Promise<Answer<unknown>>>();
/**
 * Set once an answer said the data changed under a page (a cursor of another version of the data,
 * `staleCursor`: the dataset was reloaded, or another replica answered): every answer kept was of
 * the old data, and an HTTP cache may still hold them (max-age, then stale-while-revalidate), so
 * from then on each is asked again, by POST (`{documentId, variables}`), which no HTTP cache
 * answers (the server says `no-store`). Before, "Show more" failed for good after a reload: the
 * list's first page came again from this cache with its old cursors (review 16d); then a GET with
 * `cache: "no-cache"` made the browser revalidate its copy, but a CDN in front answered that
 * revalidation from its own, old cursors and all, for up to its max-age (review 17). For the rest
 * of the page's life: how long a shared cache keeps its copy is its own setting, not known here.
 */
let staleSeen = false;

/**
 * Forgets every answer kept: for the explorer's model run in Node against a server of another
 * dataset (tests/web/model-in-node.ts), whose answers those of the last server's must not stand for.
 * A page does not call it: when its origin's data changes, the first stale cursor drops what is
 * kept (see `send`).
 */
export function forgetAnswers(): void {
  cache.clear();
  staleSeen = false;
}

/** How many times `readAgainWhenStale` starts a list again before it gives up. */
const STALE_RESTARTS = 2;

/**
 * Reads a list through all its pages (`load`, from its first page on) and, when the data changed
 * between two of them (a stale cursor: a reload), reads it again from its first page: the reader
 * was never shown the list, so there is nothing to tell. Before, the timeline and the offices
 * failed with "The data was updated since this list was shown" for a list not yet shown.
 */
export async function readAgainWhenStale<T>(load: () => Promise<T>): Promise<T> {
  for (let restarts = 0; ; restarts++) {
    try {
      return await load();
    } catch (error) {
      if (!(error instanceof ApiError && error.staleCursor)) throw error;
      if (restarts === STALE_RESTARTS)
        throw new ApiError(
          "The data was updated again and again while this list was read: reload the page to see it as it is now.",
          error.code,
          error.argument,
          true,
        );
    }
  }
}

type Connection =
  | { totalCount: number }
  | { nodes: unknown }
  | { edges: unknown }
  | { pageInfo: unknown };

/**
 * The data of an answer without errors (`request` fails on any). The root lists (connections)
 * are nullable only so that a bad argument nulls that field alone: without an error, never null.
 */
export type Answered<TResult> = {
  [K in keyof TResult]: NonNullable<TResult[K]> extends Connection
    ? NonNullable<TResult[K]>
    : TResult[K];
};

export function request<TResult, TVariables>(
  document: TypedDocumentString<TResult, TVariables>,
  ...[variables]: TVariables extends Record<string, never> ? [] : [TVariables]
): Promise<Answered<TResult>> {
  return answer(document, variables).then((a) => a.data as Answered<TResult>);
}

/**
 * `request`, asked of the server itself: the answer kept for it is dropped, and it is sent by POST,
 * which no HTTP cache answers. For an answer found to be of other data than one read after it (the
 * search's kind counts beside a first page that counts otherwise: the data was reloaded between
 * the two, and no cursor of that page was refused to say so).
 */
export function requestAfresh<TResult, TVariables>(
  document: TypedDocumentString<TResult, TVariables>,
  ...[variables]: TVariables extends Record<string, never> ? [] : [TVariables]
): Promise<Answered<TResult>> {
  cache.delete(cacheKeyOf(document, variables));
  return answer(document, variables, { post: true }).then((a) => a.data as Answered<TResult>);
}

/**
 * The keys the API suggested ("did you mean") for an entity the same request did not find: what
 * the not-found page offers. The answer is the cached one of `request`, so this costs no request
 * after the page's own.
 */
export function suggestionsOf<TResult, TVariables>(
  document: TypedDocumentString<TResult, TVariables>,
  variables: TVariables,
): Promise<string[]> {
  return answer(document, variables).then((a) => a.suggestions);
}

const cacheKeyOf = (document: { toString(): string }, variables: unknown): string =>
  JSON.stringify([document.toString(), variables ?? null]);

function answer(
  document: { toString(): string; __meta__?: Record<string, unknown> },
  variables: unknown,
  { post = false }: { post?: boolean } = {},
): Promise<Answer<unknown>> {
  const query = document.toString();
  const cacheKey = cacheKeyOf(document, variables);
  let pending = cache.get(cacheKey);
  if (!pending) {
    const documentId = (document.__meta__ as { hash?: unknown } | undefined)?.hash;
    pending = send(typeof documentId === "string" ? { documentId } : { query }, variables, post);
    cache.set(cacheKey, pending);
    // a failure is not cached: the next visit tries again
    pending.catch(() => cache.delete(cacheKey));
  }
  return pending;
}

const ACCEPT = "application/graphql-response+json, application/json";

/** The URL of a GET of a trusted document (GraphQL over HTTP, Appendix A): the same for every client. */
export function documentUrl(documentId: string, variables: unknown): string {
  const params = new URLSearchParams({ documentId });
  if (variables !== undefined && variables !== null && Object.keys(variables).length > 0)
    params.set("variables", JSON.stringify(variables));
  return `${GRAPHQL_ENDPOINT}?${params}`;
}

async function send(
  what: { documentId: string } | { query: string },
  variables: unknown,
  post: boolean,
): Promise<Answer<unknown>> {
  let response: Response;
  try {
    response =
      "documentId" in what && !staleSeen && !post
        ? await fetch(documentUrl(what.documentId, variables), { headers: { accept: ACCEPT } })
        : await fetch(GRAPHQL_ENDPOINT, {
            method: "POST",
            headers: { "content-type": "application/json", accept: ACCEPT },
            body: JSON.stringify({ ...what, variables }),
          });
  } catch (error) {
    throw new ApiError(`The server could not be reached (${(error as Error).message}).`);
  }
  let body: {
    data?: unknown;
    errors?: {
      message: string;
      extensions?: {
        code?: unknown;
        argumentName?: unknown;
        suggestions?: unknown;
        staleCursor?: unknown;
      };
    }[];
  };
  try {
    body = (await response.json()) as typeof body;
  } catch {
    throw new ApiError(
      `The server answered ${response.status} ${response.statusText} without a GraphQL result.`,
    );
  }
  // an entity that does not exist is null in the data (the views say "not found"), though the
  // API adds a NOT_FOUND error with suggestions; any other error fails the request
  const errors = (body.errors ?? []).filter(
    (e) => e.extensions?.code !== "NOT_FOUND" || !body.data,
  );
  // the same error may come once per list it concerns (a bad `asOf` on every office): say it once
  if (errors.length) {
    const first = errors[0]!.extensions ?? {};
    if (errors.some((e) => e.extensions?.staleCursor === true)) {
      // the data changed since these answers: none is kept, and each is asked for afresh
      cache.clear();
      staleSeen = true;
      throw new ApiError(
        "The data was updated since this list was shown: open it again to see it as it is now.",
        typeof first.code === "string" ? first.code : undefined,
        typeof first.argumentName === "string" ? first.argumentName : undefined,
        true,
      );
    }
    throw new ApiError(
      [...new Set(errors.map((e) => e.message))].join("; "),
      typeof first.code === "string" ? first.code : undefined,
      typeof first.argumentName === "string" ? first.argumentName : undefined,
    );
  }
  if (!body.data) throw new ApiError(`The server answered ${response.status} without data.`);
  const suggestions = (body.errors ?? [])
    .flatMap((e) => (Array.isArray(e.extensions?.suggestions) ? e.extensions.suggestions : []))
    .filter((k): k is string => typeof k === "string");
  return { data: body.data, suggestions: [...new Set(suggestions)] };
}
