/**
 * Shortest chains of facts between two entities.
 *
 * At load, every relation of the model becomes an edge between two entity keys, keeping the
 * relation's name (`Type.field`, as in the GraphQL schema), the participant role where there is
 * one, and the relation's provenance. A search walks edges either way (a hop says whether it went
 * along the relation or against it), breadth-first with neighbours in a fixed order (key, then
 * relation), so the same question always gets the same chain. The length is bounded, and so is
 * the work: past a number of entities reached, the search stops with a PathBudgetError instead of
 * running on. Sources are not nodes: every fact cites one, which would make everything two hops apart.
 *
 * The index is compact (at a million entities, about 25 bytes of heap per entity, measured with
 * one-byte labels, where an object per edge and a map of keys took 200; labels are now two bytes,
 * one more per edge end): an entity's number is its kind's first number plus its
 * position in the graph's list of that kind, so no map of keys is made; an entity's edges are
 * one slice of two typed arrays, the neighbour's number and a two-byte label (relation, direction,
 * role); the provenance and the kind of succession are not kept but found again in the subject
 * entity when a hop is given out, which only happens for the hops of a path found (or for
 * `neighbours`, a tool for tests).
 */

import type { GraphCore } from "./core.js";
import type { Deadline } from "./deadline.js";
import { normalizeKey, shown, UnknownKey } from "./keys.js";
import type {
  Entity,
  EntityKind,
  Event,
  Office,
  Person,
  Place,
  Post,
  Priority,
  Provenance,
  State,
  Tenure,
} from "./model.js";
import { entityKinds, kindOf, type ParticipantRole, type SuccessionKind } from "./model.js";

/** A path may have 1 to this many hops (a `maxLength` outside is refused). */
export const MAX_PATH_LENGTH = 6;
/**
 * The most entities one search may keep for expansion before it gives up (the built-in graph has
 * under 100; stopping at this bound takes about 5 ms, see scripts/measure-query-power.ts).
 */
export const MAX_PATH_VISITS = 10_000;

/** One stated relation: `subject` has `relation` to `object` (e.g. a tenure's `Tenure.holder` is a person). */
export interface Edge {
  subject: string;
  relation: string;
  object: string;
  /** The participant's role, for `Event.participants`. */
  role?: ParticipantRole;
  /** The kind of succession, for `Office.predecessors`. */
  succession?: SuccessionKind;
  provenance: Provenance[];
}

/** One step of a path: from one entity to the next, along (FORWARD) or against (BACKWARD) a relation. */
export interface PathHop {
  from: string;
  to: string;
  direction: "FORWARD" | "BACKWARD";
  edge: Edge;
}

export interface Path {
  from: string;
  to: string;
  hops: PathHop[];
}

/** A bad `from`, `to` or `maxLength`: the caller's mistake, with the argument it concerns. */
export class PathInputError extends Error {
  override name = "PathInputError";
  constructor(
    readonly argument: "from" | "to" | "maxLength",
    message: string,
    /** For a key no entity has: the message without suggestions, for the request to add them. */
    readonly unknownKey?: UnknownKey,
  ) {
    super(message);
  }
}

/** The search reached more entities than it may; a smaller `maxLength` asks for less work. */
export class PathBudgetError extends Error {
  override name = "PathBudgetError";
  constructor(
    readonly visits: number,
    readonly maxLength: number,
  ) {
    super(
      `The path search stopped after reaching ${visits} entities without finding a path of at most ${maxLength} hops; ` +
        "ask with a smaller maxLength, or between entities closer to each other.",
    );
  }
}

interface Neighbour {
  key: string;
  direction: "FORWARD" | "BACKWARD";
  edge: Edge;
}

/** What a path index is built from: the loaded graph's lists, each key's position in them, and the dataset (for hints, in its order). */
/** Every kind of entity but sources, which are not part of paths. */
const PATH_KINDS = entityKinds.filter((kind) => kind !== "source");

export type PathGraph = Pick<GraphCore, "dataset" | "lists" | "keys" | "position" | "entity">;

/**
 * The relations, by name: a relation's number is its place here, so that numbers sort as names
 * do (search order). `role` and `succession` say which relations carry one.
 */
const relations = [
  { name: "Event.participants", role: true },
  { name: "Event.place" },
  { name: "Office.dimensions" },
  { name: "Office.locations" },
  { name: "Office.partOf" },
  { name: "Office.predecessors", succession: true },
  { name: "Office.state" },
  { name: "OfficeName.decidedBy" },
  { name: "Participant.capacity", role: true },
  { name: "Person.nationality" },
  { name: "Place.state" },
  { name: "Post.office" },
  { name: "Post.state" },
  { name: "Priority.concerns" },
  { name: "Priority.dimension" },
  { name: "Priority.state" },
  { name: "State.cooperatesWith" },
  { name: "Succession.decidedBy", succession: true },
  { name: "Tenure.holder" },
  { name: "Tenure.post" },
] as const satisfies readonly { name: string; role?: true; succession?: true }[];
const relationNumber = (name: (typeof relations)[number]["name"]) =>
  relations.findIndex((r) => r.name === name);
const R = {
  eventParticipants: relationNumber("Event.participants"),
  eventPlace: relationNumber("Event.place"),
  officeDimensions: relationNumber("Office.dimensions"),
  officeLocations: relationNumber("Office.locations"),
  officePartOf: relationNumber("Office.partOf"),
  officePredecessors: relationNumber("Office.predecessors"),
  officeState: relationNumber("Office.state"),
  officeNameDecidedBy: relationNumber("OfficeName.decidedBy"),
  participantCapacity: relationNumber("Participant.capacity"),
  personNationality: relationNumber("Person.nationality"),
  placeState: relationNumber("Place.state"),
  postOffice: relationNumber("Post.office"),
  postState: relationNumber("Post.state"),
  priorityConcerns: relationNumber("Priority.concerns"),
  priorityDimension: relationNumber("Priority.dimension"),
  priorityState: relationNumber("Priority.state"),
  stateCooperatesWith: relationNumber("State.cooperatesWith"),
  successionDecidedBy: relationNumber("Succession.decidedBy"),
  tenureHolder: relationNumber("Tenure.holder"),
  tenurePost: relationNumber("Tenure.post"),
};
/** The roles by name, after "no role" (number 0), so that numbers sort as `role ?? ""` does. */
const roles: readonly (ParticipantRole | undefined)[] = [
  undefined,
  ...(["CHAIR", "CONVENING_BODY", "DECIDING_BODY", "HOST", "JOINED", "SUBJECT"] as const),
];
const ROLES = roles.length;
/**
 * A hop's label: relation, then direction (BACKWARD 0, FORWARD 1), then role, so that labels sort
 * as (relation, direction, role) do. Two bytes (MAX_LABEL): 20 relations × 2 directions × 7 roles
 * is 280 labels, past the one byte they once had; two leave room for as many relations again and
 * more, for one more byte per edge end.
 */
const labelOf = (relation: number, forward: 0 | 1, role: number) =>
  (relation * 2 + forward) * ROLES + role;
const MAX_LABEL = 0xffff;
if (labelOf(relations.length - 1, 1, ROLES - 1) > MAX_LABEL)
  throw new Error("path labels must fit in two bytes (Uint16Array)");

/** Called for each relation of an entity, in the order of the model's fields (the first of repeated ones is the edge). */
type Emit = (
  relation: number,
  object: string | undefined,
  provenance: Provenance[],
  role: ParticipantRole | undefined,
  succession: SuccessionKind | undefined,
) => void;

/** Every relation an entity states, named `Type.field` after the GraphQL field that exposes it. */
function relationsOf(kind: EntityKind, entity: Entity, add: Emit): void {
  const u = undefined;
  switch (kind) {
    case "state":
      for (const c of (entity as State).cooperatesWith)
        add(R.stateCooperatesWith, c.ref, c.provenance, u, u);
      return;
    case "place": {
      const p = entity as Place;
      add(R.placeState, p.state.ref, p.state.provenance, u, u);
      return;
    }
    case "office": {
      const o = entity as Office;
      if (o.state) add(R.officeState, o.state.ref, o.state.provenance, u, u);
      if (o.partOf) add(R.officePartOf, o.partOf.ref, o.partOf.provenance, u, u);
      for (const l of o.locations) add(R.officeLocations, l.place, l.provenance, u, u);
      for (const dim of o.dimensions) add(R.officeDimensions, dim.ref, dim.provenance, u, u);
      for (const n of o.nameHistory) add(R.officeNameDecidedBy, n.decidedBy, n.provenance, u, u);
      for (const p of o.predecessors) {
        add(R.officePredecessors, p.ref, p.provenance, u, p.kind);
        add(R.successionDecidedBy, p.decidedBy, p.provenance, u, p.kind);
      }
      return;
    }
    case "person": {
      const p = entity as Person;
      if (p.nationality)
        add(R.personNationality, p.nationality.ref, p.nationality.provenance, u, u);
      return;
    }
    case "post": {
      const p = entity as Post;
      if (p.office) add(R.postOffice, p.office.ref, p.office.provenance, u, u);
      if (p.state) add(R.postState, p.state.ref, p.state.provenance, u, u);
      return;
    }
    case "tenure": {
      const t = entity as Tenure;
      add(R.tenurePost, t.post, t.provenance, u, u);
      add(R.tenureHolder, t.holder, t.provenance, u, u);
      return;
    }
    case "event": {
      const e = entity as Event;
      if (e.place) add(R.eventPlace, e.place.ref, e.place.provenance, u, u);
      for (const p of e.participants) {
        add(R.eventParticipants, p.ref, p.provenance, p.role, u);
        add(R.participantCapacity, p.capacity, p.provenance, p.role, u);
      }
      return;
    }
    case "priority": {
      const p = entity as Priority;
      add(R.priorityState, p.state.ref, p.state.provenance, u, u);
      if (p.dimension) add(R.priorityDimension, p.dimension.ref, p.dimension.provenance, u, u);
      for (const c of p.concerns) add(R.priorityConcerns, c.ref, c.provenance, u, u);
      return;
    }
    case "source":
    case "dimension":
      return;
  }
}

const roleNumber = (role: ParticipantRole | undefined): number => {
  const n = roles.indexOf(role);
  if (n < 0) throw new Error(`unknown participant role ${role}`);
  return n;
};

/** A growable list of the edges kept while building (subject, object, relation and role), dropped once the index is built. */
class EdgeList {
  subjects = new Int32Array(1024);
  objects = new Int32Array(1024);
  /** relation × ROLES + role: below MAX_LABEL like the labels made of it. */
  relationRoles = new Uint16Array(1024);
  length = 0;
  push(subject: number, object: number, relationRole: number): void {
    if (this.length === this.subjects.length) {
      const grow = <T extends Int32Array | Uint16Array>(a: T): T => {
        const b = new (a.constructor as new (n: number) => T)(a.length * 2);
        b.set(a);
        return b;
      };
      [this.subjects, this.objects, this.relationRoles] = [
        grow(this.subjects),
        grow(this.objects),
        grow(this.relationRoles),
      ];
    }
    this.subjects[this.length] = subject;
    this.objects[this.length] = object;
    this.relationRoles[this.length++] = relationRole;
  }
}

/**
 * A `from`/`to` that no entity has: the message leaves the suggestions out, for the request to
 * add within its budget (keys.ts, KeySuggestions; src/schema/path.ts).
 */
function unknownKeyError(
  argument: "from" | "to",
  given: string,
  say: (note: string) => string,
): PathInputError {
  const unknown = new UnknownKey(PATH_KINDS, given, say);
  return new PathInputError(argument, unknown.message(), unknown);
}

export class PathIndex {
  /**
   * Entity numbers: the kinds in the order of `entityKinds`, each kind's entities in the order of
   * the graph's list (`bases[k]` is the first number of `entityKinds[k]`); sources come first and
   * have no edges. A key an edge names that is no entity of the graph (only in a dataset that was
   * not validated) gets a number after them, in `strays`, and no edges either.
   */
  private readonly bases: Int32Array;
  private readonly total: number;
  private readonly sourceEnd: number;
  private readonly strays: string[] = [];
  /**
   * Each entity's edges are the entries `offsets[n]` to `offsets[n + 1] - 1` of `neighbour` (the
   * entity at the other end) and `label` (labelOf: relation, direction, role), in search order.
   */
  private readonly offsets: Int32Array;
  private readonly neighbour: Int32Array;
  private readonly label: Uint16Array;
  readonly edgeCount: number;

  constructor(private readonly graph: PathGraph) {
    this.bases = new Int32Array(entityKinds.length);
    let total = 0;
    entityKinds.forEach((kind, k) => {
      this.bases[k] = total;
      total += graph.keys[kind].length;
    });
    this.total = total;
    this.sourceEnd = graph.keys.source.length; // entityKinds[0] is "source"

    const strayNumbers = new Map<string, number>();
    const numberOf = (key: string): number => {
      const k = kindIndex.get(kindOf(key) as EntityKind);
      if (k !== undefined) {
        try {
          return this.bases[k]! + graph.position(key);
        } catch {
          // not an entity of the graph: a stray, below
        }
      }
      let n = strayNumbers.get(key);
      if (n === undefined) {
        strayNumbers.set(key, (n = total + this.strays.length));
        this.strays.push(key);
      }
      return n;
    };

    // The same relation between the same two entities twice (two locations in one city) is one
    // edge, the first: repeats can only be among one subject's relations, compared directly, or
    // through a set when a subject has very many.
    const kept = new EdgeList();
    const seen = new Set<number>();
    let subject = 0;
    let subjectKey = "";
    let runStart = 0;
    const add: Emit = (relation, object, _provenance, role) => {
      if (object === undefined || object === subjectKey) return;
      const other = numberOf(object);
      const relationRole = relation * ROLES + roleNumber(role);
      const run = kept.length - runStart;
      if (run < 64) {
        for (let i = runStart; i < kept.length; i++)
          if (kept.objects[i] === other && kept.relationRoles[i] === relationRole) return;
      } else {
        if (seen.size === 0)
          for (let i = runStart; i < kept.length; i++)
            seen.add(kept.objects[i]! * (MAX_LABEL + 1) + kept.relationRoles[i]!);
        const code = other * (MAX_LABEL + 1) + relationRole;
        if (seen.has(code)) return;
        seen.add(code);
      }
      kept.push(subject, other, relationRole);
    };
    entityKinds.forEach((kind, k) => {
      const list = graph.lists[kind] as readonly Entity[];
      for (let position = 0; position < list.length; position++) {
        const entity = list[position]!;
        subject = this.bases[k]! + position;
        subjectKey = entity.id;
        runStart = kept.length;
        if (seen.size > 0) seen.clear();
        relationsOf(kind, entity, add);
      }
    });
    this.edgeCount = kept.length;

    // count each entity's edges, then place them (an end that is not an entity here, a source or
    // a stray, has no list)
    const n = total + this.strays.length;
    const listed = (node: number) => node >= this.sourceEnd && node < total;
    const offsets = new Int32Array(n + 1);
    for (let e = 0; e < kept.length; e++) {
      offsets[kept.subjects[e]! + 1]!++;
      if (listed(kept.objects[e]!)) offsets[kept.objects[e]! + 1]!++;
    }
    for (let i = 0; i < n; i++) offsets[i + 1]! += offsets[i]!;
    const neighbour = new Int32Array(offsets[n]!);
    const label = new Uint16Array(offsets[n]!);
    const next = offsets.slice(0, n);
    for (let e = 0; e < kept.length; e++) {
      const s = kept.subjects[e]!;
      const o = kept.objects[e]!;
      const relation = Math.floor(kept.relationRoles[e]! / ROLES);
      const role = kept.relationRoles[e]! % ROLES;
      let at = next[s]!++;
      neighbour[at] = o;
      label[at] = labelOf(relation, 1, role);
      if (listed(o)) {
        at = next[o]!++;
        neighbour[at] = s;
        label[at] = labelOf(relation, 0, role);
      }
    }
    this.offsets = offsets;
    this.neighbour = neighbour;
    this.label = label;
    this.sortLists();
  }

  /** Each entity's edges in search order: by the neighbour's key, then label (relation, direction, role). */
  private sortLists(): void {
    const { offsets, neighbour, label } = this;
    let keys: string[] = [];
    let order: number[] = [];
    let from = 0;
    const before = (a: number, b: number) => {
      const x = keys[a]!;
      const y = keys[b]!;
      return x < y ? -1 : x > y ? 1 : label[from + a]! - label[from + b]!;
    };
    for (let node = 0; node < this.total; node++) {
      from = offsets[node]!;
      const to = offsets[node + 1]!;
      const count = to - from;
      if (count < 2) continue;
      for (let i = 0; i < count; i++) keys[i] = this.keyOf(neighbour[from + i]!);
      if (count <= 16) {
        // insertion sort in place (most lists are short, and often in order already)
        for (let i = 1; i < count; i++) {
          const key = keys[i]!;
          const n = neighbour[from + i]!;
          const l = label[from + i]!;
          let j = i - 1;
          for (; j >= 0; j--) {
            const k = keys[j]!;
            if (k < key || (k === key && label[from + j]! < l)) break;
            keys[j + 1] = k;
            neighbour[from + j + 1] = neighbour[from + j]!;
            label[from + j + 1] = label[from + j]!;
          }
          keys[j + 1] = key;
          neighbour[from + j + 1] = n;
          label[from + j + 1] = l;
        }
      } else {
        order.length = count;
        for (let i = 0; i < count; i++) order[i] = i;
        order.sort(before);
        const ns = neighbour.slice(from, to);
        const ls = label.slice(from, to);
        for (let i = 0; i < count; i++) {
          neighbour[from + i] = ns[order[i]!]!;
          label[from + i] = ls[order[i]!]!;
        }
      }
      if (keys.length > 1024) {
        keys = [];
        order = [];
      }
    }
  }

  /** The key of an entity number. */
  private keyOf(node: number): string {
    if (node >= this.total) return this.strays[node - this.total]!;
    let k = entityKinds.length - 1;
    while (this.bases[k]! > node) k--;
    return this.graph.keys[entityKinds[k]!][node - this.bases[k]!]!;
  }

  /** The number of an entity of the index (a key of the graph, sources aside), or undefined. */
  private numberOf(key: string): number | undefined {
    const kind = kindOf(key);
    if (kind === undefined || kind === "source") return undefined;
    let position: number;
    try {
      position = this.graph.position(key);
    } catch {
      return undefined;
    }
    return this.bases[kindIndex.get(kind)!]! + position;
  }

  /** The entity whose list holds entry `i` (the last entity whose list starts at or before it). */
  private ownerOf(i: number): number {
    let [low, high] = [0, this.offsets.length - 2];
    while (low < high) {
      const mid = (low + high + 1) >>> 1;
      if (this.offsets[mid]! <= i) low = mid;
      else high = mid - 1;
    }
    return low;
  }

  /** Entry `i` of `node`'s list as a hop, its edge found again in the subject's relations. */
  private hop(node: number, i: number): PathHop {
    const [from, to] = [this.keyOf(node), this.keyOf(this.neighbour[i]!)];
    const label = this.label[i]!;
    const role = label % ROLES;
    const forward = Math.floor(label / ROLES) % 2 === 1;
    const relation = Math.floor(label / ROLES / 2);
    const [subject, object] = forward ? [from, to] : [to, from];
    let found: { provenance: Provenance[]; succession: SuccessionKind | undefined } | undefined;
    const kind = kindOf(subject)!;
    const entity = this.graph.lists[kind][this.graph.position(subject)]!;
    relationsOf(kind, entity, (r, o, provenance, ro, succession) => {
      if (found === undefined && r === relation && o === object && roleNumber(ro) === role)
        found = { provenance, succession };
    });
    if (!found) throw new Error(`no ${relations[relation]!.name} from ${subject} to ${object}`);
    const about = relations[relation]!;
    const edge: Edge = { subject, relation: about.name, object, provenance: found.provenance };
    if ("role" in about) edge.role = roles[role];
    if ("succession" in about) edge.succession = found.succession;
    return { from, to, direction: forward ? "FORWARD" : "BACKWARD", edge };
  }

  /**
   * The entity a `from`/`to` argument names: a full key, or a slug that only one entity has; case,
   * diacritics and spaces forgiven, and an unknown one answered with what it may have meant (keys.ts).
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
      if (this.numberOf(key) !== undefined) return key;
      throw unknownKeyError(
        argument,
        given,
        (note) => `Argument "${argument}": no entity has the key "${shown(given)}"${note}.`,
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
    throw unknownKeyError(
      argument,
      given,
      (note) =>
        `Argument "${argument}": no entity has the slug "${shown(given)}"${note}. Give a key such as person/gyorgy-szabo, or its slug.`,
    );
  }

  /** The entities whose key is `kind/slug`, in the order of the collections (a key is a kind, "/", a slug without "/"). */
  private slugMatches(slug: string): readonly string[] {
    return entityKinds
      .map((kind) => `${kind}/${slug}`)
      .filter((key) => this.numberOf(key) !== undefined);
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
    deadline?: Deadline,
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

    const { offsets, neighbour } = this;
    const [start, goal] = [this.numberOf(from)!, this.numberOf(to)!];
    // each entity reached, with the entry of the list it was reached through (-1 for `from`)
    const parent = new Map<number, number>([[start, -1]]);
    let frontier = [start];
    for (let depth = 0; depth < maxLength && frontier.length > 0; depth++) {
      // on the last layer nothing is kept for later: only whether `to` is a neighbour matters
      const last = depth === maxLength - 1;
      const next: number[] = [];
      for (const node of frontier) {
        // one unit per relation followed, checked once per entity (a hub has a few thousand)
        deadline?.check(1 + offsets[node + 1]! - offsets[node]!);
        for (let i = offsets[node]!, end = offsets[node + 1]!; i < end; i++) {
          const other = neighbour[i]!;
          if (other === goal) {
            parent.set(goal, i);
            return { from, to, hops: this.unwind(parent, goal) };
          }
          if (last || parent.has(other)) continue;
          parent.set(other, i);
          if (parent.size > maxVisits) throw new PathBudgetError(maxVisits, maxLength);
          next.push(other);
        }
      }
      frontier = next;
    }
    return null;
  }

  private unwind(parent: Map<number, number>, goal: number): PathHop[] {
    const hops: PathHop[] = [];
    for (let i = parent.get(goal)!; i >= 0; ) {
      const node = this.ownerOf(i);
      hops.push(this.hop(node, i));
      i = parent.get(node)!;
    }
    return hops.reverse();
  }

  /** The relations of one entity, in search order (for tests and tools). */
  neighbours(key: string): readonly Neighbour[] {
    const node = this.numberOf(key);
    if (node === undefined) return [];
    const found: Neighbour[] = [];
    for (let i = this.offsets[node]!; i < this.offsets[node + 1]!; i++) {
      const { to, direction, edge } = this.hop(node, i);
      found.push({ key: to, direction, edge });
    }
    return found;
  }
}

const kindIndex = new Map<EntityKind, number>(entityKinds.map((kind, k) => [kind, k]));
