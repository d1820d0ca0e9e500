/**
 * The RDF exports of a graph too large to keep (export-routes.ts): a generated dataset of 2,000
 * entities (16 MB of N-Triples) served with a small `exportKeepMaxBytes` and small slices, so that
 * what holds at 100,000 entities (where the export built as one string ended the process) shows at
 * a size a test can afford. Structure, not time: the export is written in many pieces with turns
 * of the event loop between them, /health is answered while it is being made, a stalled client
 * stops it, a client gone ends it, a third export at once gets 503 unless a client too slow gives
 * up its slot, and every coding decodes to exactly the export built at once (rdf.ts's rdfExport,
 * from the whole graph's triples).
 */
import { type ClientRequest, type IncomingMessage, request, type ServerResponse } from "node:http";
import { connect } from "node:net";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { loadBuiltInGraph } from "../../data/load.js";
import { generatedDataset } from "../../data/synthetic/datasets.js";
import type { KnowledgeGraph } from "../../src/graph/graph.js";
import { loadJsonGraph } from "../../src/graph/load.js";
import { type RdfExport, rdfExport } from "../../src/graph/rdf.js";
import { DISPLACE_FLOOR, DISPLACE_WINDOW_MS } from "../../src/server/export-routes.js";
import { startServer, type TestServer } from "../support/server.js";
import { countTurns } from "../support/turns.js";

let graph: KnowledgeGraph;
let server: TestServer;
let reference: RdfExport;
/** The file's server's options: exports kept up to 64 KiB only, two at once, in small slices. */
const STREAMING = {
  exportKeepMaxBytes: 64 * 1024,
  maxExports: 2,
  // a slice per entity: many slices, however fast the machine
  exportSlice: { exportSliceMs: 0, exportSliceBytes: 16 * 1024 },
};
beforeAll(async () => {
  graph = loadJsonGraph(generatedDataset(2000));
  reference = rdfExport(graph);
  server = await startServer(graph, STREAMING);
});
afterAll(() => server.close());

const stats = () => server.app.exports();

/** A GET through node:http, the bytes as sent; `onResponse` sees the response before its body is read. */
function get(
  path: string,
  headers: Record<string, string> = {},
  method = "GET",
  base = server.url,
): { req: ClientRequest; answer: Promise<{ res: IncomingMessage; body: Buffer }> } {
  let req!: ClientRequest;
  const answer = new Promise<{ res: IncomingMessage; body: Buffer }>((resolve, reject) => {
    req = request(`${base}${path}`, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ res, body: Buffer.concat(chunks) }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end();
  });
  return { req, answer };
}

/** A GET whose response is not read: the server's writes back up once the socket's buffers are full. */
function stalled(
  path: string,
  base = server.url,
  headers: Record<string, string> = {},
  /** The client's address: any of 127.0.0.0/8 reaches a server on 127.0.0.1 (Linux's loopback). */
  localAddress?: string,
): Promise<{ req: ClientRequest; res: IncomingMessage }> {
  return new Promise((resolve, reject) => {
    // a connection of its own: one kept alive from a download before has grown its buffers
    const req = request(`${base}${path}`, { agent: false, headers, localAddress }, (res) => {
      res.pause();
      resolve({ req, res });
    });
    req.on("error", () => {}); // destroyed by the test
    req.once("error", reject);
    req.end();
  });
}

const MiB = 1024 * 1024;
const STALL_MS = 250;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Reads `res` a little at a time, `size` bytes every `everyMs` (a client slower than the server,
 * reading steadily), until `enough(bytes read)` holds or the response ends or is cut off. The
 * clock is the client's: `performance.now` (the server's, in this process) moves on `everyMs` a
 * read and not otherwise, so that a turn the machine's load stretches is as long for the server
 * as for the client. Resolves with the bytes read and whether the response was cut off.
 */
async function readSlowly(
  res: IncomingMessage,
  size: number,
  everyMs: number,
  enough: (read: number) => boolean,
): Promise<{ read: number; cutOff: boolean }> {
  let clock = performance.now();
  const now = vi.spyOn(performance, "now").mockImplementation(() => clock);
  let read = 0;
  let closed = false;
  res.on("error", () => {});
  res.once("close", () => {
    closed = true;
  });
  res.pause();
  try {
    while (!closed && !enough(read)) {
      // (null while fewer than `size` bytes have arrived; what is left, at the end)
      const chunk = res.read(size) as Buffer | null;
      if (chunk) read += chunk.length;
      await sleep(everyMs);
      clock += everyMs;
    }
  } finally {
    now.mockRestore();
  }
  // what arrived before the close is still read: a complete answer read to its end is not cut off
  return { read, cutOff: closed && !res.complete };
}

/**
 * The writes of the server in this process to the responses of `path`, each as the turn of the
 * event loop it was made in (tests/support/turns.ts), and how many had been made when the
 * response ended; `onWrite` is told of each. `stop` removes the spy and stops the count of turns.
 */
function watchWrites(on: TestServer, path: string, onWrite?: (writes: readonly number[]) => void) {
  const ticker = countTurns();
  const writes: number[] = [];
  let ended: number | undefined;
  const spy = (req: IncomingMessage, res: ServerResponse) => {
    if (req.url !== path) return;
    const write = res.write.bind(res) as (...args: unknown[]) => boolean;
    res.write = ((...args: unknown[]) => {
      writes.push(ticker.turns);
      onWrite?.(writes);
      return write(...args);
    }) as typeof res.write;
    const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
    res.end = ((...args: unknown[]) => {
      ended = writes.length;
      return end(...args);
    }) as typeof res.end;
  };
  on.app.server.prependListener("request", spy);
  return {
    writes,
    ended: () => ended,
    stop: () => {
      on.app.server.off("request", spy);
      ticker.stop();
    },
  };
}

/** Resolves once `count()` has not changed for `turns` timer turns of 20 ms (the server's own work then waits on the client). */
async function settled(count: () => number, turns = 10): Promise<number> {
  let last = count();
  for (let same = 0; same < turns; ) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    const now = count();
    same = now === last ? same + 1 : 0;
    last = now;
  }
  return last;
}

describe("an RDF export too large to keep", () => {
  it("streams plain, gzip and br, each decoding to exactly the export built at once, made anew for each request", async () => {
    // a graph of 200 entities, served as the file's: its 1.7 MB of N-Triples are streamed as the
    // larger graph's are, and each export of the larger graph took a CPU-second to make (four
    // here, and the one to compare with)
    const smaller = loadJsonGraph(generatedDataset(200));
    const made = rdfExport(smaller);
    const own = await startServer(smaller, STREAMING);
    const started = () => own.app.exports().started;
    try {
      for (const [path, text] of [
        ["/graph.nt", made.ntriples],
        ["/graph.jsonld", made.jsonld],
      ] as const) {
        const expected = Buffer.from(text);
        expect(expected.length).toBeGreaterThan(64 * 1024 * 10);
        const before = started();
        const plain = await get(path, {}, "GET", own.url).answer;
        // (the codings are the same streams for either format: tried on one, for the suite's time)
        if (path === "/graph.jsonld") {
          expect(plain.body.equals(expected)).toBe(true);
          expect(plain.res.headers["transfer-encoding"]).toBe("chunked");
          continue;
        }
        const gz = await get(path, { "accept-encoding": "gzip" }, "GET", own.url).answer;
        const br = await get(path, { "accept-encoding": "gzip, br" }, "GET", own.url).answer;
        expect(started() - before).toBe(3); // none of them kept
        expect(plain.res.statusCode).toBe(200);
        expect(plain.res.headers["transfer-encoding"]).toBe("chunked");
        expect(plain.res.headers["content-length"]).toBeUndefined();
        expect(plain.res.headers["content-encoding"]).toBeUndefined();
        expect(gz.res.headers["content-encoding"]).toBe("gzip");
        expect(br.res.headers["content-encoding"]).toBe("br");
        // (Buffer.equals: vitest's toEqual compares megabytes byte by byte, for seconds)
        expect(plain.body.equals(expected)).toBe(true);
        expect(gunzipSync(gz.body).equals(expected)).toBe(true);
        expect(brotliDecompressSync(br.body).equals(expected)).toBe(true);
        expect(br.body.length).toBeLessThan(expected.length / 5);
        const tag = plain.res.headers.etag as string;
        expect(tag).toMatch(/^"[0-9a-f]{32}"$/);
        expect(gz.res.headers.etag).toBe(`${tag.slice(0, -1)}-gzip"`);
        expect(br.res.headers.etag).toBe(`${tag.slice(0, -1)}-br"`);
        for (const answer of [plain, gz, br]) {
          // (not Origin: under CORS `*` the answer is the same for every origin)
          expect(answer.res.headers.vary).toBe("Accept-Encoding");
          expect(answer.res.headers["cache-control"]).toBe(
            "public, max-age=60, stale-while-revalidate=300",
          );
        }
      }
    } finally {
      await own.close();
    }
  });

  it("answers a revalidation with 304 and a HEAD with its headers, without making the export", async () => {
    const before = stats();
    const { res } = await get("/graph.nt", { "accept-encoding": "br" }, "HEAD").answer;
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-encoding"]).toBe("br");
    expect(res.headers["content-length"]).toBeUndefined();
    const tag = res.headers.etag as string;
    const again = await get("/graph.nt", { "accept-encoding": "br", "if-none-match": tag }).answer;
    expect(again.res.statusCode).toBe(304);
    expect(again.res.headers.etag).toBe(tag);
    expect(stats().started).toBe(before.started);
    expect(stats().slices).toBe(before.slices);
  });

  it("is written in many pieces, each in a turn of the event loop of its own, and /health is answered while it is made", async () => {
    // the server runs in this process: a counter of event-loop turns, and the export's writes
    let health: Promise<number> | undefined;
    const watched = watchWrites(server, "/graph.nt", (writes) => {
      // a request for /health sent once the export's first piece is written
      health ??= fetch(`${server.url}/health`).then(async (r) => {
        await r.text();
        return writes.length;
      });
    });
    const { writes } = watched;
    try {
      const { body } = await get("/graph.nt").answer;
      expect(body.length).toBe(Buffer.byteLength(reference.ntriples));
    } finally {
      watched.stop();
    }
    const ended = watched.ended();
    expect(writes.length).toBeGreaterThan(100);
    // every write in a turn of its own: the loop ran other work between any two
    expect(new Set(writes).size).toBe(writes.length);
    expect(ended).toBe(writes.length);
    // /health answered while the export was still being written
    expect(health).toBeDefined();
    expect(await health!).toBeLessThan(writes.length);
  });

  it("stops making the export while its client does not read, and goes on when it does", async () => {
    const full = Buffer.byteLength(reference.ntriples);
    const before = stats().slices;
    const { res } = await stalled("/graph.nt");
    const made = (await settled(() => stats().slices)) - before;
    expect(stats().inProgress).toBe(1);
    // a slice per entity: 2,000 and more for the whole export
    expect(made).toBeLessThan(1000);
    const chunks: Buffer[] = [];
    res.on("data", (c: Buffer) => chunks.push(c));
    res.resume();
    await new Promise((resolve) => res.once("end", resolve));
    expect(Buffer.concat(chunks).length).toBe(full);
    await expect.poll(() => stats().inProgress).toBe(0);
  });

  it("makes at most maxExports at once: one more gets 503 EXPORTS_BUSY with Retry-After; a client gone frees its slot and stops the work", async () => {
    const before = stats();
    const first = await stalled("/graph.nt");
    const second = await stalled("/graph.jsonld");
    expect(stats().inProgress).toBe(2);
    const third = await get("/graph.nt", { origin: "https://page.example" }).answer;
    expect(third.res.statusCode).toBe(503);
    expect(third.res.headers["retry-after"]).toBe("5");
    // an export's methods, as its answers and preflight say (it said /graphql's GET, POST)
    expect(third.res.headers["access-control-allow-methods"]).toBe("GET, HEAD");
    expect(third.res.headers["cache-control"]).toBe("no-store");
    expect(JSON.parse(third.body.toString()).errors[0].extensions.code).toBe("EXPORTS_BUSY");
    expect(stats().refused).toBe(before.refused + 1);
    // counted with the other 503s that shed load
    expect(await (await fetch(`${server.url}/metrics`)).text()).toMatch(
      /^kz_osce_http_requests_shed_total\{reason="EXPORTS_BUSY"\} 1$/m,
    );
    // a 304 takes no slot
    const tag = first.res.headers.etag as string;
    expect((await get("/graph.nt", { "if-none-match": tag }).answer).res.statusCode).toBe(304);
    // both clients go away mid-export: their exports stop, their slots are free
    first.req.destroy();
    second.req.destroy();
    await expect.poll(() => stats().inProgress).toBe(0);
    const slices = await settled(() => stats().slices);
    expect(stats().abandoned).toBe(before.abandoned + 2);
    expect(stats().finished).toBe(before.finished);
    // no more slices once they are gone, far fewer than two whole exports' 4,000
    expect(slices - before.slices).toBeLessThan(2000);
    expect((await get("/graph.nt").answer).res.statusCode).toBe(200);
  });
});

describe("an RDF export whose client leaves midway", () => {
  it("is logged and counted with the status its client was sent, 200, and aborted: not 499, which says none of the answer went out", async () => {
    let written!: (line: Record<string, unknown>) => void;
    const logged = new Promise<Record<string, unknown>>((resolve) => (written = resolve));
    const own = await startServer(graph, {
      exportKeepMaxBytes: 64 * 1024,
      logLevel: "info",
      logSink: {
        write: (text: string) => {
          const line = JSON.parse(text) as Record<string, unknown>;
          if (line.path === "/graph.nt") written(line);
        },
      },
    });
    try {
      const { req, res } = await stalled("/graph.nt", own.url);
      expect(res.statusCode).toBe(200);
      req.destroy();
      const line = await logged;
      expect(line).toMatchObject({ status: 200, aborted: true });
      // its client left: no cut of the server's is named
      expect(line.cut).toBeUndefined();
      expect(await own.app.metrics.registry.metrics()).toContain(
        'kz_osce_http_requests_total{route="/graph.nt",method="GET",status="200"} 1\n',
      );
    } finally {
      await own.close();
    }
  });
});

describe("RDF exports pipelined on one connection", () => {
  it("are both sent: the second waits its turn behind the first without being taken for stalled", async () => {
    const queued = await startServer(graph, {
      exportKeepMaxBytes: 64 * 1024,
      exportSlice: { exportSliceMs: 0, exportSliceBytes: 16 * 1024, exportStallMs: 150 },
    });
    try {
      const received = await new Promise<number>((resolve, reject) => {
        const socket = connect(Number(new URL(queued.url).port), "127.0.0.1", () =>
          socket.write(
            "GET /graph.nt HTTP/1.1\r\nHost: x\r\n\r\nGET /graph.jsonld HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
          ),
        );
        let bytes = 0;
        socket.on("data", (chunk: Buffer) => (bytes += chunk.length));
        socket.on("close", () => resolve(bytes)).on("error", reject);
      });
      const expected = Buffer.byteLength(reference.ntriples) + Buffer.byteLength(reference.jsonld);
      expect(received).toBeGreaterThan(expected);
      expect(queued.app.exports()).toMatchObject({ finished: 2, abandoned: 0, failed: 0 });
    } finally {
      await queued.close();
    }
  });
});

describe("RDF exports pipelined on a connection that goes away", () => {
  it("the first stops and frees its slot; the one queued behind it, which took none while it waited, never starts", async () => {
    const queued = await startServer(graph, {
      exportKeepMaxBytes: 64 * 1024,
      exportSlice: { exportSliceMs: 0, exportSliceBytes: 16 * 1024 },
    });
    try {
      const socket = connect(Number(new URL(queued.url).port), "127.0.0.1");
      socket.on("error", () => {});
      await new Promise((resolve) => socket.once("connect", resolve));
      // nothing read: the first export fills the socket's buffers, the second waits behind it
      socket.pause();
      socket.write(
        "GET /graph.nt HTTP/1.1\r\nHost: x\r\n\r\nGET /graph.jsonld HTTP/1.1\r\nHost: x\r\n\r\n",
      );
      await expect.poll(() => queued.app.exports().started).toBe(1);
      await settled(() => queued.app.exports().slices);
      expect(queued.app.exports().inProgress).toBe(1);
      socket.destroy();
      await expect.poll(() => queued.app.exports().inProgress).toBe(0);
      expect(queued.app.exports()).toMatchObject({
        started: 1,
        abandoned: 1,
        finished: 0,
        failed: 0,
      });
    } finally {
      await queued.close();
    }
  });
});

describe("an RDF export whose client reads nothing", () => {
  it("is cut off after exportStallMs without progress, and its slot freed; logged as the server's cut (cut: export-stalled)", async () => {
    let written!: (line: Record<string, unknown>) => void;
    const logged = new Promise<Record<string, unknown>>((resolve) => (written = resolve));
    const patient = await startServer(graph, {
      exportKeepMaxBytes: 64 * 1024,
      exportSlice: { exportSliceMs: 0, exportSliceBytes: 16 * 1024, exportStallMs: 300 },
      logLevel: "info",
      logSink: {
        write: (text: string) => {
          const line = JSON.parse(text) as Record<string, unknown>;
          if (line.msg === "request" && line.path === "/graph.nt") written(line);
        },
      },
    });
    try {
      const { res } = await new Promise<{ res: IncomingMessage }>((resolve, reject) => {
        const req = request(`${patient.url}/graph.nt`, { agent: false }, (res) => {
          res.pause();
          resolve({ res });
        });
        req.on("error", reject);
        req.end();
      });
      expect(patient.app.exports().inProgress).toBe(1);
      await expect.poll(() => patient.app.exports().inProgress).toBe(0);
      expect(patient.app.exports().abandoned).toBe(1);
      expect(patient.app.exports().finished).toBe(0);
      // the client, reading again, finds its answer cut off short of its end
      const ended = new Promise<boolean>((resolve) => {
        res.once("end", () => resolve(true));
        res.once("close", () => resolve(res.complete));
      });
      res.on("error", () => {});
      res.resume();
      expect(await ended).toBe(false);
      expect(await logged).toMatchObject({ status: 200, aborted: true, cut: "export-stalled" });
    } finally {
      await patient.close();
    }
  });
});

describe("an RDF export short enough to keep (the built-in graph's)", () => {
  let builtIn: TestServer;
  let expected: RdfExport;
  beforeAll(async () => {
    const graph = await loadBuiltInGraph();
    expected = rdfExport(graph);
    builtIn = await startServer(graph, { exportSlice: { exportSliceMs: 0 } });
  });
  afterAll(() => builtIn.close());

  it("is made a slice at a time once, then sent from memory with its length, byte for byte the export built at once", async () => {
    const fetchRaw = (path: string, headers: Record<string, string> = {}) =>
      new Promise<{ res: IncomingMessage; body: Buffer }>((resolve, reject) => {
        const req = request(`${builtIn.url}${path}`, { headers }, (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("end", () => resolve({ res, body: Buffer.concat(chunks) }));
        });
        req.on("error", reject);
        req.end();
      });
    for (const [path, text] of [
      ["/graph.nt", expected.ntriples],
      ["/graph.jsonld", expected.jsonld],
    ] as const) {
      const first = await fetchRaw(path);
      expect(Number(first.res.headers["content-length"])).toBe(first.body.length);
      expect(first.body.toString()).toBe(text);
      const started = builtIn.app.exports().started;
      expect(builtIn.app.exports().slices).toBeGreaterThan(50);
      const again = await fetchRaw(path, { "accept-encoding": "br" });
      expect(brotliDecompressSync(again.body).toString()).toBe(text);
      expect(Number(again.res.headers["content-length"])).toBe(again.body.length);
      expect(builtIn.app.exports().started).toBe(started); // from memory
    }
  });
});

describe("an RDF export held first, then streamed once longer than exportKeepMaxBytes", () => {
  // the generated graph's first entity alone is ~361 KB: 1 MiB holds a few entities first
  const keep = 1024 * 1024;
  let held: TestServer;
  beforeAll(async () => {
    held = await startServer(graph, {
      exportKeepMaxBytes: keep,
      exportSlice: { exportSliceMs: 0, exportSliceBytes: 16 * 1024, exportStallMs: 300 },
    });
  });
  afterAll(() => held.close());

  it("writes what it held a slice per turn, as it was made, then the rest, byte for byte the export", async () => {
    const watched = watchWrites(held, "/graph.nt");
    const { writes } = watched;
    try {
      const { res, body } = await get("/graph.nt", {}, "GET", held.url).answer;
      expect(res.headers["transfer-encoding"]).toBe("chunked");
      expect(body.equals(Buffer.from(reference.ntriples))).toBe(true);
    } finally {
      watched.stop();
    }
    expect(writes.length).toBeGreaterThan(100);
    // what was held (more than one slice) not written at once: every write in a turn of its own
    expect(new Set(writes).size).toBe(writes.length);
  });
});

describe("an RDF export to a client slower than the export, that reads steadily", () => {
  it("is not cut off, however long the client takes to read what was held (more than the socket's buffers take)", async () => {
    // held up to 8 MiB, then written: twice what the kernel's socket buffers take at once (~4 MB)
    const keep = 8 * MiB;
    const slow = await startServer(graph, {
      exportKeepMaxBytes: keep,
      exportSlice: { exportSliceMs: 0, exportSliceBytes: 16 * 1024, exportStallMs: STALL_MS },
    });
    try {
      const { req, res } = await stalled("/graph.nt", slow.url);
      // 128 KiB every 10 ms of the client's clock: what was held takes the client longer than
      // the stall limit to read (about 650 ms), but it takes something all the while
      const { read, cutOff } = await readSlowly(res, 128 * 1024, 10, (read) => read > keep + MiB);
      expect(cutOff).toBe(false);
      expect(read).toBeGreaterThan(keep + MiB);
      expect(slow.app.exports().abandoned).toBe(0);
      req.destroy();
      await expect.poll(() => slow.app.exports().inProgress).toBe(0);
    } finally {
      await slow.close();
    }
  });
});

describe("an RDF export whose client stops reading once it has ended", () => {
  it("is cut off after exportStallMs without progress, its slot freed, when the compressed tail is not taken", async () => {
    // (a tenth of the graph: its compressing is most of the test's time)
    const patient = await startServer(loadJsonGraph(generatedDataset(200)), {
      exportKeepMaxBytes: 64 * 1024,
      exportSlice: { exportSliceMs: 0, exportSliceBytes: 16 * 1024, exportStallMs: STALL_MS },
    });
    // the socket takes nothing more once the export has ended (its writes never complete), as
    // that of a client that stopped reading with the kernel's buffers full (here the whole
    // compressed export fits in loopback's buffers: a real client cannot hold it back)
    const spy = (_req: IncomingMessage, res: ServerResponse) => {
      const end = res.end.bind(res) as (...args: unknown[]) => unknown;
      res.end = ((...args: unknown[]) => {
        const socket = res.socket as unknown as Record<"_write" | "_writev", () => void>;
        socket._write = socket._writev = () => {};
        return end(...args);
      }) as typeof res.end;
    };
    patient.app.server.prependListener("request", spy);
    try {
      const { res } = await stalled("/graph.nt", patient.url, { "accept-encoding": "br" });
      expect(res.headers["content-encoding"]).toBe("br");
      res.on("error", () => {});
      const complete = new Promise<boolean>((resolve) => {
        res.once("close", () => resolve(res.complete));
      });
      res.resume();
      await expect.poll(() => patient.app.exports().inProgress).toBe(0);
      expect(await complete).toBe(false);
      expect(patient.app.exports()).toMatchObject({ abandoned: 1, finished: 0, failed: 0 });
      // every slice was made: the export had ended when the client stopped taking it
      expect(patient.app.exports().slices).toBeGreaterThan(200);
    } finally {
      patient.app.server.off("request", spy);
      await patient.close();
    }
  });
});

describe("an RDF export that fails midway", () => {
  it("is logged at error level with its path and the error, counted as failed, and cut off", async () => {
    const lines: Record<string, unknown>[] = [];
    // the generated graph with one more list whose entity rdf.ts cannot read: it fails after the rest
    const broken = Object.create(graph, {
      lists: { value: { ...graph.lists, broken: [null] } },
    }) as KnowledgeGraph;
    const failing = await startServer(broken, {
      exportKeepMaxBytes: 64 * 1024,
      logLevel: "error",
      logSink: { write: (text: string) => lines.push(JSON.parse(text)) },
    });
    try {
      const { res } = await stalled("/graph.nt", failing.url);
      expect(res.statusCode).toBe(200);
      res.on("error", () => {});
      const complete = new Promise<boolean>((resolve) => {
        res.once("close", () => resolve(res.complete));
      });
      res.resume();
      expect(await complete).toBe(false);
      await expect.poll(() => failing.app.exports().inProgress).toBe(0);
      expect(failing.app.exports()).toMatchObject({ failed: 1, abandoned: 0, finished: 0 });
      expect(lines).toEqual([
        expect.objectContaining({
          level: "error",
          msg: "an RDF export failed",
          path: "/graph.nt",
          error: expect.objectContaining({ name: "TypeError" }),
        }),
      ]);
    } finally {
      await failing.close();
    }
  });
});

describe("an RDF export kept and the same export streamed", () => {
  it("are the same bytes in each coding, under the same ETag", async () => {
    // more than 1 MiB of N-Triples: brotli's size hint changes its bytes from there on
    const mid = loadJsonGraph(generatedDataset(200));
    const size = Buffer.byteLength(rdfExport(mid).ntriples);
    expect(size).toBeGreaterThan(MiB);
    const keeping = await startServer(mid, { exportKeepMaxBytes: 2 * size });
    const streaming = await startServer(mid, { exportKeepMaxBytes: 64 * 1024 });
    try {
      for (const coding of ["br", "gzip"]) {
        const fetchRaw = (base: string) =>
          get("/graph.nt", { "accept-encoding": coding }, "GET", base).answer;
        await fetchRaw(keeping.url); // made and kept: the next is compressed from memory
        const kept = await fetchRaw(keeping.url);
        const streamed = await fetchRaw(streaming.url);
        expect(kept.res.headers["content-length"]).toBe(String(kept.body.length));
        expect(streamed.res.headers["transfer-encoding"]).toBe("chunked");
        expect(kept.res.headers["content-encoding"]).toBe(coding);
        expect(streamed.res.headers["content-encoding"]).toBe(coding);
        expect(streamed.res.headers.etag).toBe(kept.res.headers.etag);
        expect(streamed.body.equals(kept.body)).toBe(true);
      }
    } finally {
      await keeping.close();
      await streaming.close();
    }
  });
});

/**
 * The server's clock (performance.now: the server runs in this process), moved on by the test
 * alone: how fast a client takes its export is then what the test says, however the machine's
 * load stretches its turns. `restore` gives the real clock back.
 */
function drivenClock() {
  let clock = performance.now();
  const spy = vi.spyOn(performance, "now").mockImplementation(() => clock);
  return {
    advance: (ms: number) => {
      clock += ms;
    },
    restore: () => spy.mockRestore(),
  };
}

/** Reads `bytes` bytes of the paused `res`, as they arrive. */
async function take(res: IncomingMessage, bytes: number): Promise<void> {
  for (let read = 0; read < bytes; ) {
    const chunk = res.read(
      Math.min(bytes - read, res.readableLength) || undefined,
    ) as Buffer | null;
    if (chunk) read += chunk.length;
    else await new Promise((resolve) => res.once("readable", resolve));
  }
}

/** Reads the rest of `res`: whether it was cut off short of its end. */
function cutOffShort(res: IncomingMessage): Promise<boolean> {
  res.on("error", () => {});
  const closed = new Promise<boolean>((resolve) => res.once("close", () => resolve(!res.complete)));
  res.resume();
  return closed;
}

const KiB = 1024;
/** A server making at most `maxExports` exports at once, its warnings in `lines`. */
const busyServer = (maxExports: number, lines: Record<string, unknown>[] = []) =>
  startServer(graph, {
    maxExports,
    exportKeepMaxBytes: 64 * KiB,
    // (the stall limit, 60 s, is never reached: the clients below take something within it)
    exportSlice: { exportSliceMs: 0, exportSliceBytes: 16 * KiB, exportStallMs: 60_000 },
    logLevel: "warn",
    logSink: { write: (text: string) => lines.push(JSON.parse(text)) },
  });
/**
 * `read` for each of `seconds` seconds of the server's clock. (On loopback what the socket took
 * moves in steps of a megabyte or so, as the kernel opens the window: a client under the floor
 * takes a few KiB and moves nothing, one over it reads megabytes in the window.)
 */
const during = async (
  clock: ReturnType<typeof drivenClock>,
  seconds: number,
  read: () => Promise<void>,
) => {
  for (let second = 0; second < seconds; second++) {
    await read();
    await sleep(20);
    clock.advance(1000);
  }
};
const windowSeconds = DISPLACE_WINDOW_MS / 1000;

describe("RDF exports whose clients take them slowly, when another request finds every slot taken", () => {
  it("two clients that hold both slots reading a trickle, or nothing, are cut off for two newcomers, counted and logged; not before the window", async () => {
    const lines: Record<string, unknown>[] = [];
    const busy = await busyServer(2, lines);
    const clock = drivenClock();
    try {
      const stalling = await stalled("/graph.nt", busy.url);
      const trickling = await stalled("/graph.jsonld", busy.url);
      // both made until their sockets' buffers are full; one reads a little, then nothing, the
      // other 8 KiB a second, both well within the stall limit
      await settled(() => busy.app.exports().slices);
      await take(stalling.res, 16 * KiB);
      const trickle = () => take(trickling.res, 8 * KiB);
      // streamed for less than the window: neither is judged yet, however slow
      await during(clock, windowSeconds / 2, trickle);
      const early = await get("/graph.nt", {}, "GET", busy.url).answer;
      expect(early.res.statusCode).toBe(503);
      expect(JSON.parse(early.body.toString()).errors[0].extensions.code).toBe("EXPORTS_BUSY");
      await during(clock, windowSeconds / 2 + 1, trickle);
      // two at once: the second finds the first in the slot it took, too young to be judged
      const [first, second] = await Promise.all([
        get("/graph.nt", {}, "GET", busy.url).answer,
        get("/graph.jsonld", {}, "GET", busy.url).answer,
      ]);
      expect(first.res.statusCode).toBe(200);
      expect(second.res.statusCode).toBe(200);
      expect(first.body.equals(Buffer.from(reference.ntriples))).toBe(true);
      expect(second.body.equals(Buffer.from(reference.jsonld))).toBe(true);
      // their clients, reading again, find their answers cut short
      expect(await cutOffShort(stalling.res)).toBe(true);
      expect(await cutOffShort(trickling.res)).toBe(true);
      expect(busy.app.exports()).toMatchObject({
        inProgress: 0,
        started: 4,
        finished: 2,
        displaced: 2,
        abandoned: 0,
        refused: 1,
      });
      const line = (path: string) =>
        expect.objectContaining({
          level: "warn",
          msg: "cut off an RDF export whose client took it too slowly, to make another",
          path,
          bytesPerSecond: expect.any(Number),
          floorBytesPerSecond: DISPLACE_FLOOR,
          windowMs: DISPLACE_WINDOW_MS,
        });
      expect(lines).toEqual(expect.arrayContaining([line("/graph.nt"), line("/graph.jsonld")]));
      expect(lines).toHaveLength(2);
      for (const { bytesPerSecond } of lines) expect(bytesPerSecond).toBeLessThan(DISPLACE_FLOOR);
      expect(await (await fetch(`${busy.url}/metrics`)).text()).toMatch(
        /^kz_osce_http_exports_displaced_total\{reason="slow"\} 2$/m,
      );
    } finally {
      clock.restore();
      await busy.close();
    }
  });

  it("the slowest is cut off, not one that takes more than the floor, which keeps its slot against the next newcomer (503 EXPORTS_BUSY)", async () => {
    const lines: Record<string, unknown>[] = [];
    const busy = await busyServer(2, lines);
    const clock = drivenClock();
    try {
      // 512 KiB a second of the server's clock, four times the floor; the other nothing
      expect(512 * KiB).toBeGreaterThan(DISPLACE_FLOOR * 2);
      const steady = await stalled("/graph.nt", busy.url);
      const stalling = await stalled("/graph.jsonld", busy.url);
      await settled(() => busy.app.exports().slices);
      await take(stalling.res, 16 * KiB);
      await during(clock, windowSeconds + 1, () => take(steady.res, 512 * KiB));
      // its socket's buffers full again: bytes wait for its client, which is judged (with room
      // in them, its export would wait on the server, and it would not be)
      await settled(() => busy.app.exports().slices);
      // a newcomer that does not read yet: it holds the slot it took
      const newcomer = await stalled("/graph.nt", busy.url);
      expect(newcomer.res.statusCode).toBe(200);
      expect(await cutOffShort(stalling.res)).toBe(true);
      expect(lines).toEqual([expect.objectContaining({ path: "/graph.jsonld" })]);
      const next = await get("/graph.nt", {}, "GET", busy.url).answer;
      expect(next.res.statusCode).toBe(503);
      expect(next.res.headers["retry-after"]).toBe("5");
      expect(JSON.parse(next.body.toString()).errors[0].extensions.code).toBe("EXPORTS_BUSY");
      expect(busy.app.exports()).toMatchObject({ inProgress: 2, displaced: 1, refused: 1 });
      // the newcomer's export, read now, is whole
      const chunks: Buffer[] = [];
      newcomer.res.on("data", (chunk: Buffer) => chunks.push(chunk));
      newcomer.res.resume();
      await new Promise((resolve) => newcomer.res.once("end", resolve));
      expect(Buffer.concat(chunks).equals(Buffer.from(reference.ntriples))).toBe(true);
      steady.req.destroy();
      await expect.poll(() => busy.app.exports().inProgress).toBe(0);
      expect(busy.app.exports()).toMatchObject({ displaced: 1, finished: 1, abandoned: 1 });
    } finally {
      clock.restore();
      await busy.close();
    }
  });

  it("one queued on a pipelined connection behind answers its client does not read takes no slot while it waits: a newcomer gets the slot (red team 7)", async () => {
    const lines: Record<string, unknown>[] = [];
    // the JSON-LD (6.4 MB) kept in memory, sent without a slot; the N-Triples (16 MB) streamed
    const keep = 8 * MiB;
    expect(Buffer.byteLength(reference.jsonld)).toBeLessThan(keep);
    expect(Buffer.byteLength(reference.ntriples)).toBeGreaterThan(keep);
    const busy = await startServer(graph, {
      maxExports: 1,
      exportKeepMaxBytes: keep,
      exportSlice: { exportSliceMs: 0, exportSliceBytes: 16 * KiB, exportStallMs: 60_000 },
      logLevel: "warn",
      logSink: { write: (text: string) => lines.push(JSON.parse(text)) },
    });
    let queued: ServerResponse | undefined;
    const spy = (req: IncomingMessage, res: ServerResponse) => {
      if (req.url === "/graph.nt") queued ??= res;
    };
    busy.app.server.prependListener("request", spy);
    const clock = drivenClock();
    try {
      expect((await get("/graph.jsonld", {}, "GET", busy.url).answer).res.statusCode).toBe(200);
      const { started } = busy.app.exports();
      const socket = connect(Number(new URL(busy.url).port), "127.0.0.1");
      socket.on("error", () => {});
      await new Promise((resolve) => socket.once("connect", resolve));
      socket.pause();
      // 19 MB of answers kept in memory, more than the sockets' buffers take, then an export
      socket.write(
        `${"GET /graph.jsonld HTTP/1.1\r\nHost: x\r\n\r\n".repeat(3)}GET /graph.nt HTTP/1.1\r\nHost: x\r\n\r\n`,
      );
      await expect.poll(() => queued).toBeDefined();
      // it waits for its turn without a slot: nothing made, no headers
      expect(queued?.socket).toBeNull();
      expect(queued?.headersSent).toBe(false);
      expect(busy.app.exports()).toMatchObject({ inProgress: 0, started });
      clock.advance(DISPLACE_WINDOW_MS + 1000);
      const newcomer = await get("/graph.nt", {}, "GET", busy.url).answer;
      expect(newcomer.res.statusCode).toBe(200);
      expect(newcomer.body.equals(Buffer.from(reference.ntriples))).toBe(true);
      expect(busy.app.exports()).toMatchObject({
        inProgress: 0,
        displaced: 0,
        started: started + 1,
      });
      expect(lines).toEqual([]);
      socket.destroy();
    } finally {
      clock.restore();
      busy.app.server.off("request", spy);
      await busy.close();
    }
  });

  it("one whose client has taken all there is keeps its slot, however little that was: it waits on the server", async () => {
    const busy = await busyServer(1);
    // after its first writes, the export's making stops (its writes are held, as when the server,
    // not the client, is slow): its client takes all there is, and then nothing for the window
    let making: ServerResponse | undefined;
    const spy = (req: IncomingMessage, res: ServerResponse) => {
      if (req.url !== "/graph.nt" || making) return;
      making = res;
      const write = res.write.bind(res) as (...args: unknown[]) => boolean;
      let writes = 0;
      res.write = ((...args: unknown[]) => {
        if (++writes <= 4) return write(...args);
        Object.defineProperty(res, "writableNeedDrain", { value: true, configurable: true });
        return false;
      }) as typeof res.write;
    };
    busy.app.server.prependListener("request", spy);
    const clock = drivenClock();
    try {
      const { req, res } = await stalled("/graph.nt", busy.url);
      res.resume();
      await expect.poll(() => making?.writableLength).toBe(0);
      clock.advance(DISPLACE_WINDOW_MS + 1000);
      const newcomer = await get("/graph.nt", {}, "GET", busy.url).answer;
      expect(newcomer.res.statusCode).toBe(503);
      expect(busy.app.exports()).toMatchObject({ inProgress: 1, displaced: 0, refused: 1 });
      req.destroy();
      await expect.poll(() => busy.app.exports().inProgress).toBe(0);
    } finally {
      clock.restore();
      busy.app.server.off("request", spy);
      await busy.close();
    }
  });
});

/** Reads the rest of the paused `res` to its end. */
function rest(res: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  res.on("data", (chunk: Buffer) => chunks.push(chunk));
  res.resume();
  return new Promise((resolve, reject) => {
    res.once("end", () => resolve(Buffer.concat(chunks)));
    res.once("error", reject);
  });
}

describe("RDF export slots shared between client addresses, when a newcomer finds every slot taken", () => {
  // three clients on Linux's loopback, each from an address of its own (the server is on 127.0.0.1)
  const A = "127.0.0.1";
  const B = "127.0.0.2";
  const C = "127.0.0.3";
  /** Expects `res` to be a 503 EXPORTS_BUSY with Retry-After, as before the share. */
  const expectBusy = async (res: IncomingMessage) => {
    expect(res.statusCode).toBe(503);
    expect(res.headers["retry-after"]).toBe("5");
    expect(JSON.parse((await rest(res)).toString()).errors[0].extensions.code).toBe("EXPORTS_BUSY");
  };

  it("one address holding both, its clients reading above the floor, gives its youngest to another address; it keeps the other, counted and logged", async () => {
    const lines: Record<string, unknown>[] = [];
    const busy = await busyServer(2, lines);
    const clock = drivenClock();
    try {
      // A's first reads alone for a while, so its second is the younger by megabytes; then both
      // read four times the floor for more than the window: the slow-reader rule cuts off neither
      expect(512 * KiB).toBeGreaterThan(DISPLACE_FLOOR * 2);
      const older = await stalled("/graph.nt", busy.url, {}, A);
      await settled(() => busy.app.exports().slices);
      await during(clock, 3, () => take(older.res, 1024 * KiB));
      const younger = await stalled("/graph.nt", busy.url, {}, A);
      await settled(() => busy.app.exports().slices);
      await during(clock, windowSeconds + 1, async () => {
        await take(older.res, 512 * KiB);
        await take(younger.res, 512 * KiB);
      });
      await settled(() => busy.app.exports().slices);
      const newcomer = await stalled("/graph.nt", busy.url, {}, B);
      expect(newcomer.res.statusCode).toBe(200);
      expect(await cutOffShort(younger.res)).toBe(true);
      expect((await rest(newcomer.res)).equals(Buffer.from(reference.ntriples))).toBe(true);
      expect(await cutOffShort(older.res)).toBe(false);
      expect(busy.app.exports()).toMatchObject({
        inProgress: 0,
        started: 3,
        finished: 2,
        displaced: 1,
        abandoned: 0,
        refused: 0,
      });
      expect(lines).toEqual([
        expect.objectContaining({
          level: "warn",
          msg: "cut off an RDF export of a client holding more than its share of the slots, to make another",
          path: "/graph.nt",
          reason: "share",
          remote: A,
          held: 2,
          share: 1,
          for: "/graph.nt",
          forRemote: B,
        }),
      ]);
      expect(await (await fetch(`${busy.url}/metrics`)).text()).toMatch(
        /^kz_osce_http_exports_displaced_total\{reason="share"\} 1$/m,
      );
    } finally {
      clock.restore();
      await busy.close();
    }
  });

  it("one address alone takes every slot when no other asks, and its own next request is refused", async () => {
    const busy = await busyServer(2);
    const clock = drivenClock();
    try {
      const first = await stalled("/graph.nt", busy.url, {}, A);
      const second = await stalled("/graph.jsonld", busy.url, {}, A);
      expect([first.res.statusCode, second.res.statusCode]).toEqual([200, 200]);
      // (the clock stands still: neither is judged by the slow-reader rule)
      await expectBusy((await stalled("/graph.nt", busy.url, {}, A)).res);
      expect(busy.app.exports()).toMatchObject({ inProgress: 2, displaced: 0, refused: 1 });
      first.req.destroy();
      second.req.destroy();
      await expect.poll(() => busy.app.exports().inProgress).toBe(0);
    } finally {
      clock.restore();
      await busy.close();
    }
  });

  it("a newcomer is refused when two addresses hold one slot each: a single slot is never taken for the share", async () => {
    const busy = await busyServer(2);
    const clock = drivenClock();
    try {
      const a = await stalled("/graph.nt", busy.url, {}, A);
      const c = await stalled("/graph.nt", busy.url, {}, C);
      expect([a.res.statusCode, c.res.statusCode]).toEqual([200, 200]);
      await expectBusy((await stalled("/graph.nt", busy.url, {}, B)).res);
      expect(busy.app.exports()).toMatchObject({ inProgress: 2, displaced: 0, refused: 1 });
      a.req.destroy();
      c.req.destroy();
      await expect.poll(() => busy.app.exports().inProgress).toBe(0);
    } finally {
      clock.restore();
      await busy.close();
    }
  });

  it("once given its share, a newcomer takes no more, and the address it took from takes none back", async () => {
    const busy = await busyServer(3);
    const clock = drivenClock();
    try {
      const held = [];
      for (let i = 0; i < 3; i++) held.push(await stalled("/graph.nt", busy.url, {}, A));
      expect(held.map(({ res }) => res.statusCode)).toEqual([200, 200, 200]);
      // three slots between two addresses: a share of one each, the third left to whoever has it
      const newcomer = await stalled("/graph.nt", busy.url, {}, B);
      expect(newcomer.res.statusCode).toBe(200);
      await expectBusy((await stalled("/graph.nt", busy.url, {}, B)).res);
      await expectBusy((await stalled("/graph.nt", busy.url, {}, A)).res);
      expect(busy.app.exports()).toMatchObject({ inProgress: 3, displaced: 1, refused: 2 });
      // one of A's three was cut off (the one that had sent the least: whose, the kernel's
      // buffers decide when none reads); its other two, read now, are whole
      const cut = await Promise.all(held.map(({ res }) => cutOffShort(res)));
      expect(cut.filter(Boolean)).toHaveLength(1);
      newcomer.req.destroy();
      await expect.poll(() => busy.app.exports().inProgress).toBe(0);
    } finally {
      clock.restore();
      await busy.close();
    }
  });
});

describe("RDF exports of one address pipelined on one connection, when another address asks", () => {
  it("hold one slot, the queued one waiting for its turn without one: a newcomer from another address takes the other, and neither of theirs is cut off (the review and red team 7 of 5 December)", async () => {
    const own = await startServer(graph, {
      maxExports: 2,
      exportKeepMaxBytes: 64 * 1024,
      exportSlice: { exportSliceMs: 0, exportSliceBytes: 16 * 1024, exportStallMs: 60_000 },
    });
    const port = Number(new URL(own.url).port);
    // A (127.0.0.1): two exports pipelined on one connection, not read
    const a = connect({ port, host: "127.0.0.1", localAddress: "127.0.0.1" });
    let aClosed = false;
    a.on("error", () => {});
    a.on("close", () => (aClosed = true));
    try {
      const get = "GET /graph.nt HTTP/1.1\r\nHost: x\r\nAccept-Encoding: identity\r\n\r\n";
      a.write(get + get);
      await expect.poll(() => own.app.exports().inProgress).toBe(1);
      // B (127.0.0.2) asks: a slot is free
      const status = await new Promise<number>((resolve, reject) => {
        const req = request(
          `${own.url}/graph.nt`,
          { agent: false, localAddress: "127.0.0.2" },
          (res) => {
            res.resume();
            resolve(res.statusCode!);
          },
        );
        req.on("error", reject);
        req.end();
      });
      expect(status).toBe(200);
      expect(own.app.exports()).toMatchObject({ inProgress: 2, displaced: 0, abandoned: 0 });
      expect(aClosed).toBe(false);
    } finally {
      a.destroy();
      await own.close();
    }
  });
});
