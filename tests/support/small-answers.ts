/**
 * Small answers as the response cache (src/server/response-cache.ts) captures them, for the tests
 * of its bound (tests/server/response-cache.test.ts, and tests/support/responses-held.ts, which
 * measures it in a process of its own).
 */
import type { ServerResponse } from "node:http";

/** A response as capture reads it: the headers a small answer gets once its request is seen (none before). */
export const answering = (i: number) =>
  ({
    getHeaderNames: () => [],
    getHeaders: () => ({
      "content-type": "application/json; charset=utf-8",
      "content-length": 31,
      etag: `"${i.toString(36).padStart(32, "e")}"`,
      "cache-control": "public, max-age=60, stale-while-revalidate=300",
      vary: "Accept",
    }),
  }) as unknown as ServerResponse;

/** A key of the real server's shape for a GET (58 characters), made afresh at each call, as a request's is. */
export const keyOf = (i: number) =>
  `GET /graphql?query={__typename}&r=${i.toString(36).padStart(10, "k")}\n\n\n\n`;
