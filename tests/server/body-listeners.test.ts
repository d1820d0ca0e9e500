/**
 * `readBody` (body.ts) takes off every listener it put on the request once the body is read or
 * refused. One left on `req` kept the read's closure, its chunks and the continuation of the
 * request's handler reachable from `req`; and a minor collection keeps the values of a WeakMap
 * whose key it has not found dead (the server keys several by the request), so each request long
 * answered was copied, then moved to the old generation (bench/cold-survival.ts). Counted here by
 * the request's listeners, not by memory.
 */
import { createServer, type IncomingMessage } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readBody } from "../../src/server/body.js";

const EVENTS = ["data", "end", "error", "close"] as const;
const listeners = (req: IncomingMessage) => EVENTS.map((event) => req.listenerCount(event));

describe("readBody", () => {
  const seen: { before: number[]; after: number[]; ok: boolean }[] = [];
  const server = createServer(async (req, res) => {
    const before = listeners(req);
    const body = await readBody(req, 64);
    seen.push({ before, after: listeners(req), ok: body.ok });
    res.end(body.ok ? "read" : "refused");
  });
  let url = "";
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  it("leaves no listener of its own on the request once the body is read, or refused as too large", async () => {
    // a body within the limit; one over it, sent chunked (no length to refuse it by), refused as it comes
    for (const body of ["{}", "x".repeat(1000)]) {
      const response = await fetch(url, {
        method: "POST",
        body: new Blob([body]).stream(),
        duplex: "half",
      } as RequestInit);
      await response.text();
    }
    expect(seen.map(({ ok }) => ok)).toEqual([true, false]);
    for (const { before, after } of seen) expect(after).toEqual(before);
  });
});
