/**
 * What every benchmarked server shares: the command line (`--data DIR`, `--asof on|off`), the
 * graph loaded through the same loader and validator as `npm start`, and the "port N" line the
 * harness reads from its standard output.
 */
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { loadGraph } from "../../data/load.js";
import { SearchIndex } from "../../src/graph/search.js";

export function flag(name: string): string | undefined {
  const args = process.argv.slice(2);
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
}

export async function loadServed() {
  const graph = await loadGraph(flag("data"));
  return { graph, search: SearchIndex.build(graph) };
}

/**
 * Print the "port N" line; with BENCH_PROFILE=FILE, also profile the CPU from now (not the load)
 * until SIGINT; with BENCH_HEAP_PROFILE=FILE, sample what is allocated from now until SIGINT
 * (garbage included: where the per-request allocations that keep the collector busy come from).
 */
export function announce(address: AddressInfo | string | null): void {
  if (address === null || typeof address === "string")
    throw new Error(`unexpected address ${String(address)}`);
  void profileFromNow(process.env.BENCH_PROFILE)
    .then(() => sampleAllocationsFromNow(process.env.BENCH_HEAP_PROFILE))
    .then(() => console.log(`port ${address.port}`));
}

async function sampleAllocationsFromNow(file: string | undefined): Promise<void> {
  if (!file) return;
  const { Session } = await import("node:inspector/promises");
  const { writeFileSync } = await import("node:fs");
  const session = new Session();
  session.connect();
  await session.post("HeapProfiler.enable");
  await session.post("HeapProfiler.startSampling", {
    samplingInterval: 16384,
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: true,
  });
  process.once("SIGINT", () => {
    void session.post("HeapProfiler.stopSampling").then(({ profile }) => {
      writeFileSync(file, JSON.stringify(profile));
      process.exit(0);
    });
  });
}

async function profileFromNow(file: string | undefined): Promise<void> {
  if (!file) return;
  const { Session } = await import("node:inspector/promises");
  const { writeFileSync } = await import("node:fs");
  const session = new Session();
  session.connect();
  await session.post("Profiler.enable");
  await session.post("Profiler.start");
  process.once("SIGINT", () => {
    void session.post("Profiler.stop").then(({ profile }) => {
      writeFileSync(file, JSON.stringify(profile));
      process.exit(0);
    });
  });
}

export function listenLocal(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      announce(server.address());
      resolve();
    });
  });
}
