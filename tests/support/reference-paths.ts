/**
 * The path index as it was before the compact index of src/graph/paths.ts: an Edge object per
 * relation, a Map numbering every entity key, and a flat list of each entity's edges.
 *
 * Kept verbatim as a reference (its errors, bounds and types are the index's own, imported):
 * tests/graph/paths-reference.test.ts checks that the compact index finds the same paths, with the
 * same hops and edges, and fails with the same errors.
 */

import { normalizeKey, shown } from "../../src/graph/keys.js";
import type { Dataset, Entity, Provenance } from "../../src/graph/model.js";
import { entityKinds, kindOf } from "../../src/graph/model.js";
import {
  type Edge,
  MAX_PATH_LENGTH,
  MAX_PATH_VISITS,
  type Path,
  PathBudgetError,
  type PathHop,
  PathInputError,
} from "../../src/graph/paths.js";

interface Neighbour {
  key: string;
  direction: "FORWARD" | "BACKWARD";
  edge: Edge;
}

/** Which way an edge is walked from `node`: along it from its subject, against it from its object (no edge joins an entity to itself). */
const directionFrom = (node: string, edge: Edge): "FORWARD" | "BACKWARD" =>
  edge.subject === node ? "FORWARD" : "BACKWARD";
const otherEnd = (node: string, edge: Edge): string =>
  edge.subject === node ? edge.object : edge.subject;

export class ReferencePathIndex {
  /**
   * Every entity (sources aside) by its number; each entity's edges are `edges[offsets[n]]` to
   * `edges[offsets[n + 1] - 1]`, in search order, the neighbour and direction following from the
   * edge (`otherEnd`, `directionFrom`). One flat list instead of a list per entity: at a million
   * entities the lists (new objects referenced from an old map) made building the index take
   * several times longer for the garbage collector than for the index itself.
   */
  private readonly nodes = new Map<string, number>();
  private readonly entities = new Map<string, Entity>();
  private readonly keysByKind = new Map<string, string[]>();
  private readonly offsets: Int32Array;
  private readonly edges: Edge[];
  readonly edgeCount: number;

  constructor(dataset: Dataset) {
    const all = edgesOf(dataset);
    for (const list of Object.values(dataset) as Entity[][]) {
      for (const entity of list) {
        const kind = kindOf(entity.id)!;
        if (kind === "source") continue;
        this.nodes.set(entity.id, this.nodes.size);
        this.entities.set(entity.id, entity);
        const keys = this.keysByKind.get(kind);
        if (keys) keys.push(entity.id);
        else this.keysByKind.set(kind, [entity.id]);
      }
    }
    // The same relation between the same two entities twice (two locations in one city) is one
    // edge. edgesOf gives each subject's edges one after the other, so a repeat can only be among
    // the current subject's edges: they are compared directly (a set of every edge's text cost a
    // tenth of a million-entity load), or by text when a subject has very many.
    const kept: Edge[] = [];
    const seen = new Set<string>();
    let run: Edge[] = [];
    const same = (a: Edge, b: Edge) =>
      a.relation === b.relation && a.object === b.object && a.role === b.role;
    const textOf = (e: Edge) => `${e.relation} ${e.object} ${e.role ?? ""}`;
    for (const edge of all) {
      if (run.length > 0 && run[0]!.subject !== edge.subject) {
        run = [];
        if (seen.size > 0) seen.clear();
      }
      if (edge.subject === edge.object) continue;
      let repeated: boolean;
      if (run.length < 64) repeated = run.some((e) => same(e, edge));
      else {
        if (seen.size === 0) for (const e of run) seen.add(textOf(e));
        repeated = seen.has(textOf(edge));
      }
      if (repeated) continue;
      if (seen.size > 0) seen.add(textOf(edge));
      run.push(edge);
      kept.push(edge);
    }
    this.edgeCount = kept.length;

    // count each entity's edges, then place them (an end that is not an entity here, e.g. a
    // source, has no list)
    const n = this.nodes.size;
    const offsets = new Int32Array(n + 1);
    const ends = (edge: Edge) => [this.nodes.get(edge.subject), this.nodes.get(edge.object)];
    for (const edge of kept)
      for (const node of ends(edge)) if (node !== undefined) offsets[node + 1]!++;
    for (let i = 0; i < n; i++) offsets[i + 1]! += offsets[i]!;
    const edges = new Array<Edge>(offsets[n]!);
    const next = offsets.slice(0, n);
    for (const edge of kept)
      for (const node of ends(edge)) if (node !== undefined) edges[next[node]!++] = edge;
    const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
    for (const [key, node] of this.nodes) {
      const [from, to] = [offsets[node]!, offsets[node + 1]!];
      if (to - from < 2) continue;
      const list = edges
        .slice(from, to)
        .sort(
          (a, b) =>
            cmp(otherEnd(key, a), otherEnd(key, b)) ||
            cmp(a.relation, b.relation) ||
            cmp(directionFrom(key, a), directionFrom(key, b)) ||
            cmp(a.role ?? "", b.role ?? ""),
        );
      for (let i = 0; i < list.length; i++) edges[from + i] = list[i]!;
    }
    this.offsets = offsets;
    this.edges = edges;
  }

  /** The edges of an entity of the index, in search order. */
  private edgesOf(key: string): Edge[] {
    const node = this.nodes.get(key);
    return node === undefined ? [] : this.edges.slice(this.offsets[node]!, this.offsets[node + 1]!);
  }

  /**
   * The entity a `from`/`to` argument names: a full key, or a slug that only one entity has. Keys
   * are read as the API reads them (src/graph/keys.ts: slips forgiven; an unknown one's message
   * quotes it cut short and without suggestions, which the request adds: src/schema/path.ts), so
   * that the answers compare; the reference is about the search, not about key lookup.
   */
  resolve(argument: "from" | "to", given: string): string {
    const key = normalizeKey(given);
    const kind = kindOf(key);
    if (kind === "source") {
      throw new PathInputError(
        argument,
        `Argument "${argument}": sources are not part of paths (every fact cites one); give another entity's key.`,
      );
    }
    if (key.includes("/")) {
      if (this.nodes.has(key)) return key;
      throw new PathInputError(
        argument,
        `Argument "${argument}": no entity has the key "${shown(given)}".`,
      );
    }
    const matches = this.slugMatches(key);
    if (matches.length === 1) return matches[0]!;
    if (matches.length > 1) {
      throw new PathInputError(
        argument,
        `Argument "${argument}": "${shown(given)}" is the slug of several entities (${matches.join(", ")}); give the full key.`,
      );
    }
    throw new PathInputError(
      argument,
      `Argument "${argument}": no entity has the slug "${shown(given)}". Give a key such as person/gyorgy-szabo, or its slug.`,
    );
  }

  /** The entities whose key is `kind/slug`, in the order of the collections (a key is a kind, "/", a slug without "/"). */
  private slugMatches(slug: string): readonly string[] {
    return entityKinds.map((kind) => `${kind}/${slug}`).filter((key) => this.nodes.has(key));
  }

  /**
   * The shortest path of at most `maxLength` hops between two entities (keys or unique slugs),
   * or null when there is none that short. Throws PathInputError for a bad argument and
   * PathBudgetError when the search reaches more than `maxVisits` entities.
   */
  shortest(
    fromArg: string,
    toArg: string,
    maxLength: number,
    maxVisits = MAX_PATH_VISITS,
  ): Path | null {
    if (!Number.isInteger(maxLength) || maxLength < 1 || maxLength > MAX_PATH_LENGTH) {
      throw new PathInputError(
        "maxLength",
        `Argument "maxLength": must be a whole number from 1 to ${MAX_PATH_LENGTH}, got ${maxLength}.`,
      );
    }
    const from = this.resolve("from", fromArg);
    const to = this.resolve("to", toArg);
    if (from === to) return { from, to, hops: [] };

    const parent = new Map<string, PathHop | null>([[from, null]]);
    let frontier = [from];
    for (let depth = 0; depth < maxLength && frontier.length > 0; depth++) {
      // on the last layer nothing is kept for later: only whether `to` is a neighbour matters
      const last = depth === maxLength - 1;
      const next: string[] = [];
      for (const node of frontier) {
        const index = this.nodes.get(node)!;
        for (let i = this.offsets[index]!; i < this.offsets[index + 1]!; i++) {
          const edge = this.edges[i]!;
          const key = otherEnd(node, edge);
          if (key === to) {
            parent.set(to, { from: node, to, direction: directionFrom(node, edge), edge });
            return { from, to, hops: this.unwind(parent, to) };
          }
          if (last || parent.has(key)) continue;
          parent.set(key, { from: node, to: key, direction: directionFrom(node, edge), edge });
          if (parent.size > maxVisits) throw new PathBudgetError(maxVisits, maxLength);
          next.push(key);
        }
      }
      frontier = next;
    }
    return null;
  }

  private unwind(parent: Map<string, PathHop | null>, to: string): PathHop[] {
    const hops: PathHop[] = [];
    for (let hop = parent.get(to); hop; hop = parent.get(hop.from)) hops.push(hop);
    return hops.reverse();
  }

  /** The relations of one entity, in search order (for tests and tools). */
  neighbours(key: string): readonly Neighbour[] {
    return this.edgesOf(key).map((edge) => ({
      key: otherEnd(key, edge),
      direction: directionFrom(key, edge),
      edge,
    }));
  }
}

/** Every relation of the model as an edge, named `Type.field` after the GraphQL field that exposes it. */
function edgesOf(d: Dataset): Edge[] {
  const edges: Edge[] = [];
  const add = (
    subject: string,
    relation: string,
    object: string | undefined,
    provenance: Provenance[],
    extra: Partial<Edge> = {},
  ) => {
    if (object !== undefined) edges.push({ subject, relation, object, provenance, ...extra });
  };
  for (const s of d.states)
    for (const c of s.cooperatesWith) add(s.id, "State.cooperatesWith", c.ref, c.provenance);
  for (const p of d.places) add(p.id, "Place.state", p.state.ref, p.state.provenance);
  for (const o of d.offices) {
    if (o.state) add(o.id, "Office.state", o.state.ref, o.state.provenance);
    if (o.partOf) add(o.id, "Office.partOf", o.partOf.ref, o.partOf.provenance);
    for (const l of o.locations) add(o.id, "Office.locations", l.place, l.provenance);
    for (const dim of o.dimensions) add(o.id, "Office.dimensions", dim.ref, dim.provenance);
    for (const n of o.nameHistory) add(o.id, "OfficeName.decidedBy", n.decidedBy, n.provenance);
    for (const p of o.predecessors) {
      add(o.id, "Office.predecessors", p.ref, p.provenance, { succession: p.kind });
      add(o.id, "Succession.decidedBy", p.decidedBy, p.provenance, { succession: p.kind });
    }
  }
  for (const p of d.persons)
    if (p.nationality) add(p.id, "Person.nationality", p.nationality.ref, p.nationality.provenance);
  for (const p of d.posts) {
    if (p.office) add(p.id, "Post.office", p.office.ref, p.office.provenance);
    if (p.state) add(p.id, "Post.state", p.state.ref, p.state.provenance);
  }
  for (const t of d.tenures) {
    add(t.id, "Tenure.post", t.post, t.provenance);
    add(t.id, "Tenure.holder", t.holder, t.provenance);
  }
  for (const e of d.events) {
    if (e.place) add(e.id, "Event.place", e.place.ref, e.place.provenance);
    for (const p of e.participants) {
      add(e.id, "Event.participants", p.ref, p.provenance, { role: p.role });
      add(e.id, "Participant.capacity", p.capacity, p.provenance, { role: p.role });
    }
  }
  for (const p of d.priorities) {
    add(p.id, "Priority.state", p.state.ref, p.state.provenance);
    if (p.dimension) add(p.id, "Priority.dimension", p.dimension.ref, p.dimension.provenance);
    for (const c of p.concerns) add(p.id, "Priority.concerns", c.ref, c.provenance);
  }
  return edges;
}
