/**
 * The practical limit: node:http, the request body parsed as JSON, and each operation of the
 * mix answered by a hand-written function over the same in-memory graph (tests/support/mix.ts), with
 * no GraphQL parse, validation or execution at all.
 */
// first: production mode as `npm start` runs ours (src/server/node-env.ts), before graphql-js loads
import "../../src/server/node-env.js";
import { createServer } from "node:http";
import { hotMix, type Operation } from "../../tests/support/mix.js";
import { flag, listenLocal, loadServed } from "./common.js";

const served = await loadServed();
const operations = new Map<string, Operation>(
  hotMix(served, { asOf: flag("asof") === "on" }).map((op) => [op.name, op]),
);

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on("data", (chunk: Buffer) => chunks.push(chunk));
  req.on("end", () => {
    try {
      const request = JSON.parse(Buffer.concat(chunks).toString("utf8")) as {
        operationName?: string;
        variables?: Record<string, unknown>;
      };
      const op = operations.get(request.operationName ?? "");
      if (!op)
        throw new Error(
          `raw server: no hand-written answer for operation ${request.operationName}`,
        );
      const body = JSON.stringify({ data: op.raw(served, request.variables ?? {}) });
      res
        .writeHead(200, {
          "content-type": "application/json; charset=utf-8",
          "content-length": Buffer.byteLength(body),
        })
        .end(body);
    } catch (error) {
      const body = JSON.stringify({ errors: [{ message: (error as Error).message }] });
      res.writeHead(400, { "content-type": "application/json; charset=utf-8" }).end(body);
    }
  });
});
await listenLocal(server);
