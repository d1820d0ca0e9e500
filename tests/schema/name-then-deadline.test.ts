/**
 * A name's certainty basis "then" is told to the request's deadline through the schema (red team
 * 53, F1; review 53b): an office of many names whose bounds are open as the document gives them
 * makes each basis 4N judgements of N names, which a field's 32 units did not count.
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
});
