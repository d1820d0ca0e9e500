/**
 * The entities a request may read every one of, made before a request has to: after a graph read
 * from its snapshot starts being served (at start, after each reload), in the event loop's idle
 * time. The graph's indexes that fill themselves on first use (codec.ts LazyMap: the parsed dates,
 * a person's tenures, an entity's participations...) are filled first, by parts: a request that
 * came before had filled the whole of one in one piece (the dates: 66-188 ms at 100k).
 *
 * A graph read from its snapshot makes an entity when it is first read (one positioned read and a
 * JSON.parse, then kept: lazy-list.ts), so the first filter that tests every item of a root list
 * paid for making the whole list: 1,240-1,290 ms of CPU for every person at 100k
 * (`persons(filter: {anyName: {contains: ...}})`, priced 85,645, 171 ms), 110-140 ms once they
 * were made (bench/results/2026-12-05-cold-sort.txt). Making them is the same work whoever does it;
 * here it is done while no request executes, a few ms at a time, so that a request arriving later
 * finds them made, and one arriving meanwhile makes only those not yet made.
 *
 * Only the lists a request can read whole are made: those whose scan the cost limit admits (each
 * item tested costs at least SCAN + CONDITION, cost.ts). A longer list is never scanned by one
 * request (at a million entities the persons are refused, 855,000 units), and making it would
 * only hold the heap the snapshot saves (140 MiB at 1M read from the snapshot, 1,093 MiB loaded in
 * full: docs/performance.md).
 *
 * Until the warm-up of the graph served first is over, /ready says "warming" (app.ts,
 * WARMING_READY_BOUND_MS): every request competes with it meanwhile.
 */
import type { KnowledgeGraph } from "../graph/graph.js";
import { entityKinds } from "../graph/model.js";
import type { SliceScheduler } from "../graph/scheduler.js";
import { isLazyList, itemReader } from "../graph/snapshot/lazy-list.js";
import { lazyIndexesOf } from "../graph/snapshot/snapshot.js";
import { COST_WEIGHTS } from "./cost.js";

/** What a warm-up made, once it is over (`stopped`: the graph was replaced or the server stopped first, or a read failed). */
export interface Warmed {
  /** The indexes filled (those filled on first use: codec.ts LazyMap), before the entities. */
  indexes: number;
  entities: number;
  kinds: string[];
  ms: number;
  stopped: boolean;
  /**
   * Why a read of an entity failed, when one did (the snapshot truncated or written over in
   * place while served: SnapshotUnreadable, which its listeners were told of first, so that the
   * dataset is loaded again): the warm-up stops there, the server serving on.
   */
  failed?: string;
}

export interface Warming {
  /** Resolves when every list is made, or the warm-up stopped. */
  readonly done: Promise<Warmed>;
  /** Stop at the next pause (the graph is no longer served). */
  stop(): void;
  /** How far it is: entities made so far, of how many, and whether it is over (done or stopped). */
  progress(): { made: number; toMake: number; over: boolean };
}

/** Entities made between two reads of the clock. */
const CHECK_EVERY = 64;

/** Entries of an index filled between two reads of the clock (a parsed date: 3-8 µs). */
const INDEX_PART = 256;

/**
 * Makes, in `graph`'s lazy lists that one request may scan whole under `maxCost`, every entity,
 * in pieces of at most `sliceMs`, each run only while `scheduler` has no request executing or
 * waiting (else it waits a slice and looks again).
 */
export function warmEntities(
  graph: KnowledgeGraph,
  scheduler: Pick<SliceScheduler, "active" | "queued" | "sliceMs"> &
    Partial<Pick<SliceScheduler, "acceptsFirst">>,
  maxCost: number,
): Warming {
  const scannable = Math.floor(maxCost / (COST_WEIGHTS.SCAN + COST_WEIGHTS.CONDITION));
  const kinds = entityKinds.filter(
    (kind) => isLazyList(graph.lists[kind]) && graph.lists[kind].length <= scannable,
  );
  let stopped = false;
  let over = false;
  const started = performance.now();
  let made = 0;
  const toMake = kinds.reduce((n, kind) => n + graph.lists[kind].length, 0);
  // the indexes that fill themselves on first use, in one piece (the graph's dates: 66-188 ms at
  // 100k in whichever request came first), filled here by parts first
  const indexes = lazyIndexesOf(graph).filter((index) => index.unfilled > 0);
  let filled = 0;
  const done = new Promise<Warmed>((resolve) => {
    let x = 0;
    let k = 0;
    let i = 0;
    const finish = (failed?: string) => {
      over = true;
      resolve({
        indexes: filled,
        entities: made,
        kinds,
        ms: Math.round(performance.now() - started),
        stopped,
        ...(failed === undefined ? {} : { failed }),
      });
    };
    const piece = () => {
      // a read that fails (red team 44: the snapshot truncated while it was warmed, as by `cp`
      // over the dataset's directory) ends the warm-up, not the process: thrown from here, in a
      // callback of the loop's, it was uncaught, and the server exited 1 in the midst of its
      // recovery, its requests in flight lost
      try {
        return warmPiece();
      } catch (error) {
        stopped = true;
        finish((error as Error)?.message ?? String(error));
      }
    };
    const warmPiece = () => {
      if (stopped) return finish();
      // (a connection just taken: the next are taken, and its request read, before a piece that
      // would hold them a slice; red team 44, F3: /health took 60-123 ms during the warm-up at 1M)
      if (scheduler.active > 0 || scheduler.queued > 0 || scheduler.acceptsFirst?.() === true) {
        // requests first: looked at again a slice later
        setTimeout(piece, scheduler.sliceMs).unref();
        return;
      }
      const until = performance.now() + scheduler.sliceMs;
      for (; x < indexes.length; x++) {
        const index = indexes[x]!;
        // (one a request has filled meanwhile has nothing left)
        if (index.unfilled === 0) continue;
        while (index.unfilled > 0) {
          index.fillSome(INDEX_PART);
          // counted by the part that fills it (a piece may end just after: the next finds it full)
          if (index.unfilled === 0) filled++;
          if (performance.now() >= until) {
            setImmediate(piece);
            return;
          }
        }
      }
      while (k < kinds.length) {
        const list: readonly unknown[] = graph.lists[kinds[k]!];
        const read = itemReader(list);
        for (; i < list.length; i++) {
          read(i);
          made++;
          if (i % CHECK_EVERY === 0 && performance.now() >= until) {
            i++;
            setImmediate(piece);
            return;
          }
        }
        k++;
        i = 0;
      }
      finish();
    };
    setImmediate(piece);
  });
  return {
    done,
    stop: () => {
      stopped = true;
    },
    progress: () => ({ made, toMake, over: over || stopped }),
  };
}

/** What a warm-up of the request path did, once it is over. */
export interface QueriesRun {
  queries: number;
  /**
   * Of those, the ones answered with an error, or left to Yoga (refused by a limit): the examples
   * name the built-in dataset's entities, and over another dataset some are not found (what is
   * below the missing entity is not run) or refused (nothing run): their parse, validation and
   * cost walk are warmed, not their resolvers.
   */
  withErrors: number;
  /** The first error thrown by a run, if one was (not an answer's error: a fault of the server's). */
  firstError?: string;
  ms: number;
  stopped: boolean;
}

export interface QueryWarming {
  readonly done: Promise<QueriesRun>;
  /** Run no more queries (the server is stopping). */
  stop(): void;
  progress(): { run: number; toRun: number; over: boolean };
}

/**
 * Runs each of `queries` once, one after another, through `run` (the direct pipeline's parse,
 * validation, limits, execution over the graph served, and the answer's serialization), so that
 * the code a request runs is compiled and optimised before requests come: after a start, the
 * explorer's first 30 requests took 0.46-0.56 s once the entities were made, 0.24-0.31 s once the
 * README's twelve example queries had run too, against 0.13-0.30 s warm (bench/RESULTS.md, "A
 * replica's first requests"; what is left is the HTTP layer's code and each explorer document's
 * first parse and validation). Each is a request to the scheduler like any other: one arriving
 * meanwhile takes its turn beside them.
 */
export function warmQueries(
  run: (query: string) => Promise<boolean>,
  queries: readonly string[],
  /** When to begin (app.ts: once the server listens, lest a start wait for them). */
  begin: Promise<unknown> = Promise.resolve(),
): QueryWarming {
  let stopped = false;
  let over = false;
  let done = 0;
  let withErrors = 0;
  let firstError: string | undefined;
  let started = performance.now();
  const finished = (async (): Promise<QueriesRun> => {
    await begin;
    // (from when they begin: the log's `ms` is theirs, not the listen's before them)
    started = performance.now();
    for (const query of queries) {
      // what came meanwhile (a probe of /health, a request) is read before the next is begun:
      // its parse and validation, cold, are not sliced (60-80 ms for some at 100k entities)
      await new Promise((resolve) => setImmediate(resolve));
      if (stopped) break;
      try {
        if (!(await run(query))) withErrors++;
      } catch (error) {
        withErrors++;
        firstError ??= (error as Error)?.message ?? String(error);
      }
      done++;
    }
    over = true;
    return {
      queries: done,
      withErrors,
      ...(firstError === undefined ? {} : { firstError }),
      ms: Math.round(performance.now() - started),
      stopped,
    };
  })();
  return {
    done: finished,
    stop: () => {
      stopped = true;
    },
    progress: () => ({ run: done, toRun: queries.length, over: over || stopped }),
  };
}
