/**
 * A name's certainty basis "then" is told to the request's deadline through the schema (red team
 * 53, F1; review 53b): an office of many names whose bounds are open as the document gives them
 * makes each basis 4N judgements of N names, which a field's 32 units did not count. And it gives
 * the event loop back within one field (red team 54, F1: one `nameWhileHere { certaintyBasis }` of
 * 1,500 such names held it 2.6 s, the deadline's checks able to stop it, not to pause it).
 */
import { graphql } from "graphql";
import { describe, expect, it } from "vitest";
import { Deadline } from "../../src/graph/deadline.js";
import { schema } from "../../src/schema/index.js";
import { graphWithManyNames, MANY_NAMES_OFFICE } from "../support/many-names.js";

describe("a name's certainty basis then, on an office of many names", () => {
  const many = graphWithManyNames(20, true);

  /** The clock reads (one per 1,000 units of work) of a query asking `fields` of its subjects' names then. */
  const readsAsking = async (selection: string) => {
    const deadline = new Deadline(60_000, { checkEvery: 1_000 });
    const result = await graphql({
      schema,
      source: selection,
      contextValue: { graph: many, deadline },
    });
    expect(result.errors).toBeUndefined();
    return deadline.reads;
  };

  it("counts each judgement of the timeline's subjectNameThen", async () => {
    const timeline = (fields: string) =>
      `{ timeline(first: 10, filter: { entity: { eq: "${MANY_NAMES_OFFICE}" }, kind: { eq: NAME_CHANGE } }) { nodes { subjectNameThen { ${fields} } } } }`;
    // 10 bases of 81 judgements of 20 names: about 16,000 units, where the fields are a few hundred
    const without = await readsAsking(timeline("certainty"));
    const withBases = await readsAsking(timeline("certainty certaintyBasis"));
    expect(withBases).toBeGreaterThan(without + 10);
  });

  it("gives the event loop back within one field's basis, and answers the same", async () => {
    // one clock read per judgement (20 units each), the clock moving 1 ms a read, 5 ms slices:
    // the one basis (81 judgements) is worked out over about 16 turns
    let clock = 0;
    const deadline = new Deadline(60_000, { checkEvery: 20, sliceMs: 5, now: () => clock++ });
    let turns = 0;
    const counting = function count(): void {
      turns++;
      immediate = setImmediate(count);
    };
    let immediate = setImmediate(counting);
    const source = `{ timeline(first: 1, filter: { entity: { eq: "${MANY_NAMES_OFFICE}" }, kind: { eq: NAME_CHANGE } }) { nodes { date { edtf } subjectNameThen { certaintyBasis certaintyRestsOn { reason } } } } }`;
    let result: Awaited<ReturnType<typeof graphql>>;
    try {
      const before = turns;
      result = await graphql({ schema, source, contextValue: { graph: many, deadline } });
      expect(turns - before).toBeGreaterThan(5);
    } finally {
      clearImmediate(immediate);
    }
    expect(result.errors).toBeUndefined();
    expect(deadline.yields).toBeGreaterThan(5);
    // the same as worked out at once, in one run
    const atOnce = await graphql({
      schema,
      source,
      contextValue: { graph: many, deadline: new Deadline(60_000) },
    });
    expect(result.data).toEqual(atOnce.data);
    const node = (result.data as { timeline: { nodes: { subjectNameThen: object }[] } }).timeline
      .nodes[0]!;
    expect(node.subjectNameThen).toMatchObject({ certaintyBasis: "EDITORIAL" });
  });
});
