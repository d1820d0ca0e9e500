/**
 * Lineage of offices: which office succeeded which (a renaming, transformation, merger or split
 * that made a separate entity), indexed both ways at load, and the validation rules of the
 * succession relation (no office succeeds itself, no office is listed twice, no cycles, a deciding
 * event names one of the two offices).
 *
 * A renaming that keeps one entity (the field office in Kazakhstan) is not a succession: it is a
 * name of `Office.nameHistory`, whose `change` says RENAMING or TRANSFORMATION.
 */
import type { Deadline } from "./deadline.js";
import type { Dataset, Dated, Office, Provenance, SuccessionKind } from "./model.js";
import type { Problem } from "./problems.js";

/** One office succeeding another, seen from either side. */
export interface SuccessionLink {
  predecessor: string;
  successor: string;
  kind: SuccessionKind;
  decidedBy: string | undefined;
  when: Dated | undefined;
  provenance: Provenance[];
}

export class Lineage {
  private readonly bySuccessor = new Map<string, SuccessionLink[]>();
  private readonly byPredecessor = new Map<string, SuccessionLink[]>();
  private readonly byDecision = new Map<string, SuccessionLink[]>();

  /** `compare` orders dated links chronologically; undated links come after dated ones, ties by key. */
  constructor(offices: readonly Office[], compare: (a: Dated, b: Dated) => number) {
    for (const office of offices) {
      for (const p of office.predecessors) {
        const link: SuccessionLink = {
          predecessor: p.ref,
          successor: office.id,
          kind: p.kind,
          decidedBy: p.decidedBy,
          when: p.when,
          provenance: p.provenance,
        };
        push(this.bySuccessor, office.id, link);
        push(this.byPredecessor, p.ref, link);
        if (p.decidedBy) push(this.byDecision, p.decidedBy, link);
      }
    }
    const order =
      (other: (l: SuccessionLink) => string) => (a: SuccessionLink, b: SuccessionLink) => {
        if (a.when && b.when) {
          const byDate = compare(a.when, b.when);
          if (byDate !== 0) return byDate;
        } else if (a.when || b.when) return a.when ? -1 : 1;
        return other(a) < other(b) ? -1 : other(a) > other(b) ? 1 : 0;
      };
    for (const list of this.bySuccessor.values()) list.sort(order((l) => l.predecessor));
    for (const list of this.byPredecessor.values()) list.sort(order((l) => l.successor));
  }

  /** The offices this one directly succeeded, oldest succession first. */
  predecessorsOf(office: string): readonly SuccessionLink[] {
    return this.bySuccessor.get(office) ?? [];
  }

  /** The offices that directly succeeded this one, oldest succession first. */
  successorsOf(office: string): readonly SuccessionLink[] {
    return this.byPredecessor.get(office) ?? [];
  }

  /** The successions a decision made, in data order. */
  decidedBy(event: string): readonly SuccessionLink[] {
    return this.byDecision.get(event) ?? [];
  }

  /**
   * Every succession reachable from the office, going back (PREDECESSORS) or forward (SUCCESSORS),
   * nearest first (breadth-first, each list in its own order); each link once.
   */
  transitive(
    office: string,
    direction: "PREDECESSORS" | "SUCCESSORS",
    deadline?: Deadline,
  ): SuccessionLink[] {
    const step =
      direction === "PREDECESSORS"
        ? (o: string) => this.predecessorsOf(o)
        : (o: string) => this.successorsOf(o);
    const next = (l: SuccessionLink) =>
      direction === "PREDECESSORS" ? l.predecessor : l.successor;
    const seen = new Set([office]);
    const links: SuccessionLink[] = [];
    for (let queue = [office], i = 0; i < queue.length; i++) {
      for (const link of step(queue[i]!)) {
        deadline?.check();
        links.push(link);
        if (!seen.has(next(link))) {
          seen.add(next(link));
          queue.push(next(link));
        }
      }
    }
    return links;
  }

  /** The office and every office it succeeded, transitively: whose tenures "follow the lineage". */
  withPredecessors(office: string, deadline?: Deadline): string[] {
    return [
      ...new Set([
        office,
        ...this.transitive(office, "PREDECESSORS", deadline).map((l) => l.predecessor),
      ]),
    ];
  }
}

function push<V>(map: Map<string, V[]>, key: string, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/**
 * Problems of the succession relation. References that do not resolve are reported by the
 * general reference check; they are skipped here.
 */
export function successionProblems(dataset: Dataset, file: string): Problem[] {
  const problems: Problem[] = [];
  const offices = new Map<string, Dataset["offices"][number]>(
    dataset.offices.map((o) => [o.id, o]),
  );
  const events = new Map(dataset.events.map((e) => [e.id, e]));

  for (const office of dataset.offices) {
    const first = new Map<string, number>();
    office.predecessors.forEach((p, i) => {
      const report = (path: string, message: string) =>
        problems.push({ file, entity: office.id, path: `predecessors[${i}].${path}`, message });
      if (p.ref === office.id) report("ref", "an office cannot succeed itself");
      const earlier = first.get(p.ref);
      if (earlier !== undefined)
        report("ref", `${p.ref} is already a predecessor (predecessors[${earlier}])`);
      else first.set(p.ref, i);
      const decision = p.decidedBy ? events.get(p.decidedBy) : undefined;
      if (decision && !decision.participants.some((x) => x.ref === office.id || x.ref === p.ref)) {
        report(
          "decidedBy",
          `${p.decidedBy} names neither ${office.id} nor ${p.ref} among its participants`,
        );
      }
    });
  }

  // Cycles: depth-first along predecessors, offices in id order so that the report is stable.
  // A back edge closes a cycle; it is reported at the office whose predecessor entry closes it.
  const state = new Map<string, "open" | "done">();
  const stack: string[] = [];
  const visit = (id: string): void => {
    state.set(id, "open");
    stack.push(id);
    offices.get(id)?.predecessors.forEach((p, i) => {
      if (p.ref === id || !offices.has(p.ref)) return; // self and dangling: reported elsewhere
      const seen = state.get(p.ref);
      if (seen === "open") {
        const cycle = [...stack.slice(stack.indexOf(p.ref)), p.ref];
        problems.push({
          file,
          entity: id,
          path: `predecessors[${i}].ref`,
          message: `succession cycle: ${cycle.join(" succeeded ")} (an office cannot be its own predecessor, even indirectly)`,
        });
      } else if (seen === undefined) visit(p.ref);
    });
    stack.pop();
    state.set(id, "done");
  };
  for (const id of [...offices.keys()].sort()) if (!state.has(id)) visit(id);
  return problems;
}
