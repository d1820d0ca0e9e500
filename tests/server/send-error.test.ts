/**
 * A refusal (body.ts, `sendError`) for a request whose connection is already closed: the server
 * evicted it for a newcomer while its body came, and the body's read then ends in a refusal that
 * nobody can receive. Nothing of it is made (red team 14, F3: Node made its headers, then refused
 * its body with an error whose whole stack it captured, 2-5% of the server's time under 3,000
 * dripping bodies renewed as they were evicted; figures in the commit).
 */
import { once } from "node:events";
import { createServer, type ServerResponse } from "node:http";
import { connect } from "node:net";
import { describe, expect, it } from "vitest";
import { sendError } from "../../src/server/body.js";

describe("a refusal on a closed connection", () => {
  it("makes no answer: no headers, no error", async () => {
    const server = createServer();
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    const { port } = server.address() as { port: number };
    const responded = once(server, "request");
    const client = connect({ port, host: "127.0.0.1" });
    client.on("error", () => undefined);
    client.write(
      "POST /graphql HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{",
    );
    const [, res] = (await responded) as [unknown, ServerResponse];
    // closed by the server while its body is still to come, as an eviction closes it
    const closed = once(res, "close");
    res.socket!.destroy();
    await closed;
    const errors: unknown[] = [];
    res.on("error", (e) => errors.push(e));
    sendError(res, 408, "BODY_TOO_SLOW", "The request body came too slowly.");
    // a turn for an error Node would report on its next tick
    await new Promise((resolve) => setImmediate(resolve));
    expect(res.headersSent).toBe(false);
    expect(res.statusCode).toBe(200);
    expect(errors).toEqual([]);
    client.destroy();
    server.close();
  });
});
