/**
 * The entities a request may read every one of, made in idle time once a graph read from its
 * snapshot is served (src/server/warm.ts), and /ready's "warming" meanwhile: asserted on what is
 * made and on the warm-up held back, never on how long a warm-up takes (the one wait is past the
 * bound of "warming", set to two seconds).
 */
import { cpSync, mkdtempSync, rmSync, truncateSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { loadBuiltInGraph } from "../../data/load.js";
import { generate } from "../../data/synthetic/generate.js";
import type { KnowledgeGraph } from "../../src/graph/graph.js";
import { selectKeys } from "../../src/graph/lists.js";
import { loadJsonGraph } from "../../src/graph/load.js";
import { entityKinds } from "../../src/graph/model.js";
import { sliceScheduler } from "../../src/graph/scheduler.js";
import { SearchIndex } from "../../src/graph/search.js";
import {
  lazyIndexesOf,
  readSnapshot,
  snapshotPath,
  writeSnapshot,
} from "../../src/graph/snapshot/snapshot.js";
import { createApp, listen } from "../../src/server/app.js";
import { DEFAULT_CONFIG } from "../../src/server/config.js";
import { examples } from "../../src/server/examples.js";
import { warmEntities, warmQueries } from "../../src/server/warm.js";
import { entitiesOffset } from "../fixtures/datasets.js";
import { readiness, startServer } from "../support/server.js";

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "kz-warm-"));
  generate({ entities: 1500, seed: 3, out: dir, format: "ndjson" });
  const graph = loadJsonGraph(dir);
  writeSnapshot(dir, graph, SearchIndex.build(graph));
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** How many entities `read` makes: each is made by parsing its JSON (snapshot.ts, entityAt). */
function entitiesMadeBy(read: () => void): number {
  const parse = vi.spyOn(JSON, "parse");
  try {
    read();
    return parse.mock.calls.length;
  } finally {
    parse.mockRestore();
  }
}

/** The filter that tests every person (no index answers `contains`): what red team 6 found cold. */
const scanPersons = (graph: KnowledgeGraph) => () =>
  void selectKeys(graph, "person", { filter: { anyName: { contains: "zzq" } } });

const idle = { active: 0, queued: 0, sliceMs: 5 };

describe("entities made ahead of requests", () => {
  it("are every entity of the lists a request may scan, once the served graph's warm-up is over, and again for a graph swapped in", async () => {
    const first = await readSnapshot(dir);
    // a graph just read makes its persons on the first scan: what the warm-up saves a request
    expect(entitiesMadeBy(scanPersons(await readSnapshot(dir)))).toBe(first.keys.person.length);
    // a slice length of its own, so a scheduler of its own (sliceScheduler is one per length in
    // a process): the suite's shared workers run other files' servers in this process, and the
    // warm-up waits while any request of its scheduler is active (the first full run timed out)
    const server = await startServer(first, {
      limits: { ...DEFAULT_CONFIG.limits, executionSliceMs: 17 },
    });
    try {
      const warmed = await server.app.entitiesWarmed();
      expect(warmed).toMatchObject({ stopped: false, kinds: [...entityKinds] });
      expect(warmed!.entities).toBe(entityKinds.reduce((n, k) => n + first.keys[k].length, 0));
      expect(entitiesMadeBy(scanPersons(first))).toBe(0);
      // a reload's graph (App.swap): made again, for it
      const next = await readSnapshot(dir);
      server.app.swap(next);
      expect((await server.app.entitiesWarmed())!.stopped).toBe(false);
      expect(entitiesMadeBy(scanPersons(next))).toBe(0);
      expect(
        entitiesMadeBy(() => {
          for (const kind of entityKinds) for (const e of next.lists[kind]) void e;
        }),
      ).toBe(0);
    } finally {
      await server.close();
    }
  });

  it("fill first, by parts, the indexes a graph read from its snapshot fills on first use: the same entries in the same order as filled whole", async () => {
    // a snapshot whose maps of 8 entries or more fill on first use (1,024 by default: too few here)
    const small = mkdtempSync(join(tmpdir(), "kz-warm-indexes-"));
    try {
      cpSync(dir, small, { recursive: true });
      const loaded = loadJsonGraph(small);
      writeSnapshot(small, loaded, SearchIndex.build(loaded), undefined, { lazyMapSize: 8 });
      const graph = await readSnapshot(small);
      const indexes = lazyIndexesOf(graph);
      expect(indexes.length).toBeGreaterThan(3);
      const sizes = indexes.map((index) => index.unfilled);
      expect(Math.min(...sizes)).toBeGreaterThan(0);
      // a part is that many entries, no more; a use before it is full fills what is left
      const [first] = indexes;
      first!.fillSome(3);
      expect(first!.unfilled).toBe(sizes[0]! - 3);
      // a piece ends after each part (a slice of 0 ms): an index full at a piece's end is counted
      // once, by the piece that filled it (the clean-clone CI found one not counted: 16 of 17)
      const warmed = await warmEntities(
        graph,
        { ...idle, sliceMs: 0 },
        DEFAULT_CONFIG.limits.maxCost,
      ).done;
      expect(warmed).toMatchObject({ stopped: false, indexes: indexes.length });
      expect(indexes.map((index) => index.unfilled)).toEqual(indexes.map(() => 0));
      // filled whole, on first use, by a graph of its own
      const whole = lazyIndexesOf(await readSnapshot(small));
      expect(whole.length).toBe(indexes.length);
      for (const [n, index] of whole.entries()) {
        expect([...index.entries()], `index ${n}`).toEqual([...indexes[n]!.entries()]);
        expect(index.unfilled).toBe(0);
      }
    } finally {
      rmSync(small, { recursive: true, force: true });
    }
  });

  /**
   * A server on a scheduler of its own (a slice length no other file uses), its warm-up held
   * back as a request executing holds it, until `release()`.
   */
  async function heldBack(graph: KnowledgeGraph, options: Parameters<typeof startServer>[1] = {}) {
    const scheduler = sliceScheduler(29);
    scheduler.active += 1;
    let held = true;
    const release = () => {
      if (held) scheduler.active -= 1;
      held = false;
    };
    try {
      const server = await startServer(graph, {
        ...options,
        limits: { ...DEFAULT_CONFIG.limits, executionSliceMs: 29 },
      });
      return { server, release, hold: () => ((held = true), (scheduler.active += 1)) };
    } catch (error) {
      release();
      throw error;
    }
  }

  it('keep /ready at 503 "warming" while the warm-up of the graph served first is under way, then "ready"; not for a graph swapped in', async () => {
    const graph = await readSnapshot(dir);
    const total = entityKinds.reduce((n, k) => n + graph.keys[k].length, 0);
    const { server, release, hold } = await heldBack(graph);
    try {
      const warming = await readiness(server.url);
      expect(warming.status).toBe(503);
      expect(warming.body).toMatchObject({
        status: "warming",
        entitiesMade: 0,
        entitiesToMake: total,
        entities: total,
        graphVersion: graph.contentHash,
      });
      expect(Date.now() - Date.parse(String(warming.body.warmingSince))).toBeLessThan(60_000);
      release();
      expect((await server.app.entitiesWarmed())!.stopped).toBe(false);
      expect(await readiness(server.url)).toMatchObject({ status: 200, body: { status: "ready" } });
      // a reload's graph is warmed too, but the replica stays ready meanwhile
      hold();
      const next = await readSnapshot(dir);
      server.app.swap(next);
      expect(await readiness(server.url)).toMatchObject({ status: 200, body: { status: "ready" } });
      expect(entitiesMadeBy(scanPersons(next))).toBe(next.keys.person.length);
      release();
      await server.app.entitiesWarmed();
    } finally {
      release();
      await server.close();
    }
  });

  it('say "ready" once the bound has passed, whatever the warm-up has left (requests keep coming)', async () => {
    const graph = await readSnapshot(dir);
    const { server, release } = await heldBack(graph, { warmingReadyBoundMs: 2000 });
    try {
      const began = performance.now();
      expect((await readiness(server.url)).body.status).toBe("warming");
      await new Promise((resolve) => setTimeout(resolve, 2000 - (performance.now() - began)));
      expect(await readiness(server.url)).toMatchObject({ status: 200, body: { status: "ready" } });
      // the warm-up has not moved: it is still waiting for the loop
      expect(entitiesMadeBy(scanPersons(graph))).toBe(graph.keys.person.length);
    } finally {
      release();
      await server.close();
    }
  });

  it("stop at a read that fails, the server serving on: the snapshot truncated while it is warmed (red team 44)", async () => {
    // a copy of its own, truncated below
    const copy = mkdtempSync(join(tmpdir(), "kz-warm-cut-"));
    cpSync(dir, copy, { recursive: true });
    try {
      const graph = await readSnapshot(copy);
      const { server, release } = await heldBack(graph);
      try {
        expect((await readiness(server.url)).body.status).toBe("warming");
        // as `cp` over the dataset's directory does for a moment, or `rsync --inplace`
        const path = snapshotPath(copy);
        truncateSync(path, entitiesOffset(path) + 10);
        release();
        const warmed = await server.app.entitiesWarmed();
        expect(warmed).toMatchObject({ stopped: true, failed: expect.stringMatching(/truncated/) });
        expect(warmed!.entities).toBeLessThan(graph.keys.person.length);
        // still up, saying why it is not ready (no `recover` given here: main.ts gives one)
        expect(await readiness(server.url)).toMatchObject({
          status: 503,
          body: { status: "snapshot unreadable" },
        });
        expect((await fetch(`${server.url}/health`)).status).toBe(200);
      } finally {
        release();
        await server.close();
      }
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });

  it('keep /ready at "warming" after a graph mends an unreadable one, until its entities are made (review 44)', async () => {
    const copy = mkdtempSync(join(tmpdir(), "kz-warm-mend-"));
    cpSync(dir, copy, { recursive: true });
    try {
      const graph = await readSnapshot(copy);
      let app: ReturnType<typeof createApp> | undefined;
      let holdAgain = () => {};
      let mended = false;
      const { server, release, hold } = await heldBack(graph, {
        // the dataset loaded again (main.ts gives a reload's): the original, whole, held back as it warms
        recover: async () => {
          holdAgain();
          app!.swap(await readSnapshot(dir));
          mended = true;
        },
      });
      app = server.app;
      holdAgain = hold;
      try {
        const path = snapshotPath(copy);
        truncateSync(path, entitiesOffset(path) + 10);
        release();
        await vi.waitFor(() => expect(mended).toBe(true));
        // the mended graph's warm-up, held back: this replica stays out of the balancer meanwhile
        expect(await readiness(server.url)).toMatchObject({
          status: 503,
          body: { status: "warming", entitiesMade: 0 },
        });
        release();
        expect((await server.app.entitiesWarmed())!.stopped).toBe(false);
        expect(await readiness(server.url)).toMatchObject({
          status: 200,
          body: { status: "ready" },
        });
      } finally {
        release();
        await server.close();
      }
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });

  /** A warm-up of the example queries whose first is held back until `release()`; `asked`: the queries begun. */
  function heldQueries() {
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    const asked: string[] = [];
    const queryWarmer: typeof warmQueries = (run, queries, begin) =>
      warmQueries(
        async (query) => {
          asked.push(query);
          await held;
          return run(query);
        },
        queries,
        begin,
      );
    return { queryWarmer, asked, release };
  }

  it('run the example queries once the server listens, /ready saying "warming" until they have run', async () => {
    const { queryWarmer, asked, release } = heldQueries();
    const app = createApp(await loadBuiltInGraph(), { logLevel: "silent", queryWarmer });
    const done = app.queriesWarmed()!;
    try {
      // not before it listens (a start would wait for them)
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(asked).toEqual([]);
      const { port } = await listen(app.server, 0, "127.0.0.1");
      const url = `http://127.0.0.1:${port}`;
      await vi.waitFor(() => expect(asked).toHaveLength(1));
      const warming = await readiness(url);
      expect(warming).toMatchObject({
        status: 503,
        body: { status: "warming", queriesRun: 0, queriesToRun: examples.length },
      });
      // a graph loaded in full: no entities to make
      expect(warming.body).not.toHaveProperty("entitiesToMake");
      release();
      // each example, answered without an error over the dataset they were written for
      expect(asked).toEqual([examples[0]!.query]);
      expect(await done).toMatchObject({
        queries: examples.length,
        withErrors: 0,
        stopped: false,
      });
      expect(await readiness(url)).toMatchObject({ status: 200, body: { status: "ready" } });
    } finally {
      release();
      await done;
      app.pressure.close();
      app.server.closeAllConnections();
      await new Promise((resolve) => app.server.close(resolve));
    }
  });

  it("teach the scheduler nothing of what requests take for their price: they run cold", async () => {
    // a scheduler of its own (a slice length no other file uses), fresh: its scale at 1
    const scheduler = sliceScheduler(31);
    expect(scheduler.msPerPricedMs).toBe(1);
    const graph = await readSnapshot(dir);
    // ten scans of every person: priced well over LEARNED_FROM_PRICED_MS
    const scans = Array.from(
      { length: 10 },
      (_, i) => `s${i}: persons(filter: { anyName: { contains: "zq${i}" } }) { totalCount }`,
    );
    const costly = `{ ${scans.join(" ")} }`;
    const app = createApp(graph, {
      logLevel: "silent",
      warmEntities: false,
      limits: { ...DEFAULT_CONFIG.limits, executionSliceMs: 31 },
      queryWarmer: (run, _examples, begin) => warmQueries(run, [costly, costly], begin),
    });
    try {
      await listen(app.server, 0, "127.0.0.1");
      expect(await app.queriesWarmed()).toMatchObject({ queries: 2, withErrors: 0 });
      expect(scheduler.msPerPricedMs).toBe(1);
      // the same query as a request teaches it (so that the assertion above could fail)
      const { port } = app.server.address() as { port: number };
      const response = await fetch(`http://127.0.0.1:${port}/graphql`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ query: costly }),
      });
      expect(response.status).toBe(200);
      expect(scheduler.msPerPricedMs).not.toBe(1);
    } finally {
      await app.shutdown(1000);
    }
  });

  it("run no more example queries once the server stops", async () => {
    const { queryWarmer, asked, release } = heldQueries();
    const app = createApp(await loadBuiltInGraph(), { logLevel: "silent", queryWarmer });
    try {
      await listen(app.server, 0, "127.0.0.1");
      await vi.waitFor(() => expect(asked).toHaveLength(1));
      const stopped = app.shutdown(1000);
      release();
      expect(await app.queriesWarmed()).toMatchObject({ stopped: true, queries: 1 });
      expect(asked).toHaveLength(1);
      await stopped;
    } finally {
      release();
    }
  });

  it("are not made with KZ_OSCE_WARM_ENTITIES=false (warmEntities: false)", async () => {
    const graph = await readSnapshot(dir);
    const server = await startServer(graph, { warmEntities: false });
    try {
      expect(server.app.entitiesWarmed()).toBeUndefined();
      expect(await readiness(server.url)).toMatchObject({ status: 200, body: { status: "ready" } });
      expect(entitiesMadeBy(scanPersons(graph))).toBe(graph.keys.person.length);
    } finally {
      await server.close();
    }
  });

  /**
   * A scheduler whose `field` reads 1 (`acceptsFirst`: says true) until `free()`; `looked`
   * resolves on its third reading.
   */
  function busyScheduler(field: "active" | "queued" | "acceptsFirst") {
    let looks = 0;
    let busy = 1;
    let thirdLook: () => void = () => {};
    const looked = new Promise<void>((resolve) => (thirdLook = resolve));
    const scheduler = { active: 0, queued: 0, sliceMs: 1, acceptsFirst: () => false };
    const look = () => {
      if (++looks === 3) thirdLook();
      return busy;
    };
    if (field === "acceptsFirst") scheduler.acceptsFirst = () => look() === 1;
    else Object.defineProperty(scheduler, field, { get: look });
    return { scheduler, looked, free: () => void (busy = 0) };
  }

  it.each(["active", "queued", "acceptsFirst"] as const)(
    "wait while a request executes or waits for the loop, or connections are being taken (%s), making none meanwhile",
    async (field) => {
      const graph = await readSnapshot(dir);
      const { scheduler, looked, free } = busyScheduler(field);
      const parse = vi.spyOn(JSON, "parse");
      try {
        const warming = warmEntities(graph, scheduler, 125_000);
        // the warm-up has looked three times, and each time waited (or, not looking, it is done)
        await Promise.race([looked, warming.done]);
        expect(parse).not.toHaveBeenCalled();
        free();
        const warmed = await warming.done;
        expect(warmed.entities).toBeGreaterThan(1000);
        expect(parse.mock.calls.length).toBe(warmed.entities);
      } finally {
        parse.mockRestore();
      }
    },
  );

  it("stop when told (the graph replaced, the server stopping), making no more", async () => {
    const graph = await readSnapshot(dir);
    const { scheduler, looked, free } = busyScheduler("active");
    const warming = warmEntities(graph, scheduler, 125_000);
    await looked;
    warming.stop();
    // the loop free again: a warm-up that had not stopped would go on now
    free();
    expect(await warming.done).toMatchObject({ stopped: true, entities: 0 });
    expect(entitiesMadeBy(scanPersons(graph))).toBe(graph.keys.person.length);
  });

  it("leave a list longer than one request may scan under the cost limit: it would only hold the heap", async () => {
    const graph = await readSnapshot(dir);
    const persons = graph.keys.person.length;
    // a scan costs at least 2.25 units an item (SCAN + one CONDITION): the persons just over the limit
    const maxCost = Math.ceil(persons * 2.25) - 1;
    const warmed = await warmEntities(graph, idle, maxCost).done;
    expect(warmed.kinds).not.toContain("person");
    expect(warmed.kinds.length).toBeGreaterThan(3);
    expect(entitiesMadeBy(scanPersons(graph))).toBe(persons);
    // at the limit, they are made
    const other = await readSnapshot(dir);
    expect((await warmEntities(other, idle, Math.ceil(persons * 2.25)).done).kinds).toContain(
      "person",
    );
  });

  it("leave a graph loaded in full alone: its entities are made already", async () => {
    const full = loadJsonGraph(dir);
    expect(await warmEntities(full, idle, 125_000).done).toMatchObject({ kinds: [], entities: 0 });
  });
});
