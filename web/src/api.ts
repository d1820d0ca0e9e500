/**
 * The explorer's only way to the data: POST a typed document to the public GraphQL endpoint.
 * Answers are cached per document and variables for the page's lifetime (the graph is read-only),
 * so going back and forth costs no request.
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
  ) {
    super(message);
  }
}

const cache = new Map<string, Promise<unknown>>();

type Connection = { totalCount: number } | { nodes: unknown } | { edges: unknown } | { pageInfo: unknown };

/**
 * The data of an answer without errors (`request` fails on any). The root lists (connections)
 * are nullable only so that a bad argument nulls that field alone: without an error, never null.
 */
export type Answered<TResult> = { [K in keyof TResult]: NonNullable<TResult[K]> extends Connection ? NonNullable<TResult[K]> : TResult[K] };

export function request<TResult, TVariables>(
  document: TypedDocumentString<TResult, TVariables>,
  ...[variables]: TVariables extends Record<string, never> ? [] : [TVariables]
): Promise<Answered<TResult>> {
  const query = document.toString();
  const cacheKey = JSON.stringify([query, variables ?? null]);
  let pending = cache.get(cacheKey) as Promise<Answered<TResult>> | undefined;
  if (!pending) {
    pending = send<Answered<TResult>>(query, variables);
    cache.set(cacheKey, pending);
    // a failure is not cached: the next visit tries again
    pending.catch(() => cache.delete(cacheKey));
  }
  return pending;
}

async function send<TResult>(query: string, variables: unknown): Promise<TResult> {
  let response: Response;
  try {
    response = await fetch(GRAPHQL_ENDPOINT, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/graphql-response+json, application/json" },
      body: JSON.stringify({ query, variables }),
    });
  } catch (error) {
    throw new ApiError(`The server could not be reached (${(error as Error).message}).`);
  }
  let body: { data?: TResult | null; errors?: { message: string; extensions?: { code?: unknown; argumentName?: unknown } }[] };
  try {
    body = (await response.json()) as typeof body;
  } catch {
    throw new ApiError(`The server answered ${response.status} ${response.statusText} without a GraphQL result.`);
  }
  // an entity that does not exist is null in the data (the views say "not found"), though the
  // API adds a NOT_FOUND error with suggestions; any other error fails the request
  const errors = (body.errors ?? []).filter((e) => e.extensions?.code !== "NOT_FOUND" || !body.data);
  // the same error may come once per list it concerns (a bad `asOf` on every office): say it once
  if (errors.length) {
    const first = errors[0]!.extensions ?? {};
    throw new ApiError(
      [...new Set(errors.map((e) => e.message))].join("; "),
      typeof first.code === "string" ? first.code : undefined,
      typeof first.argumentName === "string" ? first.argumentName : undefined,
    );
  }
  if (!body.data) throw new ApiError(`The server answered ${response.status} without data.`);
  return body.data;
}
