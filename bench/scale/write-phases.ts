/**
 * `NODE_ENV=production node --max-semi-space-size=64 --import tsx bench/scale/write-phases.ts
 * [--data DIR | --entities N] [--rounds 1]`
 *
 * What a start that finds no current snapshot spends before it serves (src/graph/snapshot/load.ts,
 * a full load): the load and validation, the deferred indexes, the search index, and the
 * snapshot's write, each phase's wall and CPU time (this process's threads together), round by
 * round. The snapshot is written into the dataset's directory (or KZ_OSCE_SNAPSHOT_DIR), as a
 * start writes it, replacing the one there.
 */
import { loadJsonGraph } from "../../src/graph/load.js";
import { SearchIndex } from "../../src/graph/search.js";
import { attachSearchIndex, writeSnapshot } from "../../src/graph/snapshot/snapshot.js";
import type { QuotePlaces } from "../../src/graph/text-index.js";
import { scaleArgs } from "./args.js";

const { option, dir } = scaleArgs();
const rounds = Number(option("rounds", "1"));
const cpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};
for (let round = 1; round <= rounds; round++) {
  const times: string[] = [];
  let wall = performance.now();
  let cpu = cpuMs();
  const lap = (name: string) => {
    const [nowWall, nowCpu] = [performance.now(), cpuMs()];
    times.push(`${name} ${(nowWall - wall).toFixed(0)}/${(nowCpu - cpu).toFixed(0)} ms`);
    [wall, cpu] = [nowWall, nowCpu];
  };
  let places: QuotePlaces | undefined;
  const graph = loadJsonGraph(dir, { onQuotePlaces: (found) => (places = found) });
  lap("load");
  graph.buildDeferredIndexes();
  lap("deferred indexes");
  const search = SearchIndex.build(graph);
  attachSearchIndex(graph, search);
  lap("search index");
  writeSnapshot(dir, graph, search, places);
  lap("snapshot write");
  console.log(`${dir}: round ${round} (wall/CPU): ${times.join(", ")}`);
}
