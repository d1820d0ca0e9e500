/**
 * `_entities` under the execution deadline, as every other field (src/schema/deadline-plugin.ts):
 * its resolver is set on the built subgraph schema after Pothos wrapped the fields
 * (src/schema/federation.ts), so it must be wrapped there too. With a deadline already past,
 * `_entities` is stopped before it runs, with 503 EXECUTION_TIMEOUT, and the server goes on
 * answering. The selection is `__typename` alone, which has no resolver: nothing but `_entities`
 * itself can meet the deadline.
 */
import "../../src/schema/with-federation.js"; // first: the schema is built for subgraph mode, as with --subgraph
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { loadBuiltInGraph } from "../../data/load.js";
import { Deadline } from "../../src/graph/deadline.js";
import { firstError, post } from "../support/http.js";
import { startServer, type TestServer } from "../support/server.js";

/**
 * Until it is restored, every deadline the server makes has passed at its first checkpoint, as if
 * made with a limit of 0 ms and `checkEvery: 1`: each checkpoint reads the clock, and the deadline
 * ends where it started. (The server's Deadline is the one imported here: the files of this
 * project share their worker's modules, vitest.config.ts.)
 */
function pastDeadlines(): { restore(): void } {
  const checkpoint = vi.spyOn(Deadline.prototype, "check").mockImplementation(function (
    this: Deadline,
  ) {
    (this as { end: number }).end = this.start;
    this.checkNow();
  });
  return { restore: () => checkpoint.mockRestore() };
}

const ENTITIES =
  "query($representations: [_Any!]!) { _entities(representations: $representations) { __typename } }";
const KAZAKHSTAN = { representations: [{ __typename: "State", key: "state/kazakhstan" }] };

let server: TestServer;
beforeAll(async () => {
  server = await startServer(await loadBuiltInGraph(), {
    subgraph: { gatewaySecret: undefined },
    responseCache: false,
  });
});
afterAll(() => server.close());

describe("_entities and the execution deadline", () => {
  it("answers _entities within its deadline", async () => {
    const response = await post(server, ENTITIES, KAZAKHSTAN);
    expect(response.status).toBe(200);
    expect(response.json).toEqual({ data: { _entities: [{ __typename: "State" }] } });
  });

  it("stops _entities at a deadline already past with 503 EXECUTION_TIMEOUT, and goes on serving", async () => {
    // an unhandled rejection would end the process; Vitest fails the run on one, this names it here
    const unheard: unknown[] = [];
    const listen = (reason: unknown) => unheard.push(reason);
    process.on("unhandledRejection", listen);
    const past = pastDeadlines();
    try {
      const stopped = await post(server, ENTITIES, KAZAKHSTAN);
      past.restore();
      expect(stopped.status).toBe(503);
      expect(stopped.json.data).toBeUndefined();
      expect(firstError(stopped).code).toBe("EXECUTION_TIMEOUT");
    } finally {
      past.restore();
    }
    const next = await post(server, ENTITIES, KAZAKHSTAN);
    expect(next.status).toBe(200);
    expect(next.json.data._entities).toEqual([{ __typename: "State" }]);
    await new Promise((resolve) => setImmediate(resolve));
    process.off("unhandledRejection", listen);
    expect(unheard).toEqual([]);
  });
});
