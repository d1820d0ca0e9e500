/**
 * The immutable in-memory knowledge graph resolvers are handed: the core (core.ts: entities,
 * relation indexes, dates) together with the indexes derived from it. This module sits above
 * both: the derived indexes import the core, and only this file puts them together, so that
 * imports run one way (docs/contributing.md, "Layers and imports").
 */

import { GraphCore } from "./core.js";
import { compareChronologically } from "./dates.js";
import { Lineage } from "./lineage.js";
import type { Dataset } from "./model.js";
import { PathIndex } from "./paths.js";
import { computeShape, type GraphShape } from "./shape.js";
import { computeStatistics, type Statistics } from "./statistics.js";
import { buildTimeline, type Timeline } from "./timeline.js";

// Kept here too, so that code importing them from graph.js keeps working; new code imports
// them from core.js (and rankDates from dates.js), where they are defined.
export {
  type Cooperation,
  type DecidedName,
  type EntityByKind,
  MultiIndex,
  NotFoundError,
  type Participation,
  ParticipationIndex,
} from "./core.js";
export { rankDates } from "./dates.js";

export class KnowledgeGraph extends GraphCore {
  /**
   * Every dated fact in chronological order, with its indexes: built once, when first asked for
   * (only timeline queries need it, and at a million entities it is a fifth of the heap).
   */
  get timeline(): Timeline {
    return (this.builtTimeline ??= buildTimeline(this));
  }
  private builtTimeline: Timeline | undefined;

  /** Successions between offices, both ways (lineage.ts). */
  readonly lineage: Lineage;
  /** Every relation as an edge, for shortest paths between entities (paths.ts): built once, when first asked for. */
  get paths(): PathIndex {
    return (this.builtPaths ??= new PathIndex(this));
  }
  private builtPaths: PathIndex | undefined;

  /**
   * Build now what is otherwise built by the first query that needs it (the timeline and the
   * path index): a server does this before it serves a graph, so that no request waits for it
   * (at a million entities, about 20 s). Tools that only read entities can skip it.
   */
  buildDeferredIndexes(): void {
    void this.timeline;
    void this.paths;
  }

  /** Whether the timeline and the path index have been built (see buildDeferredIndexes). */
  get deferredIndexesBuilt(): boolean {
    return this.builtTimeline !== undefined && this.builtPaths !== undefined;
  }
  /** Grouped counts (statistics.ts). */
  readonly statistics: Statistics;
  /** How many items each list can hold at most (shape.ts): what a query's cost is sized by. */
  readonly shape: GraphShape;

  /** `contentHash`: given by the loader when it hashed the files it read, else computed when first asked for. */
  constructor(dataset: Dataset, texts: ReadonlyMap<string, string>, contentHash?: string) {
    super(dataset, texts, contentHash);
    this.lineage = new Lineage(this.lists.office, (a, b) =>
      compareChronologically(this.date(a), this.date(b)),
    );
    this.statistics = computeStatistics(dataset, (d) => this.date(d));
    this.shape = computeShape(this, this);
  }
}
