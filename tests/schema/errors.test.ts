/**
 * src/schema/errors.ts: the errors the schema makes by the thousand are made as graphql-js would
 * make them (the same JSON), without a stack, and with their field's locations worked out once.
 */
import {
  type FieldNode,
  GraphQLError,
  Kind,
  locatedError,
  type OperationDefinitionNode,
  parse,
} from "graphql";
import { describe, expect, it } from "vitest";
import { NotFoundError } from "../../src/graph/core.js";
import { itemError, locatedFieldError, userError } from "../../src/schema/errors.js";

/** The `nodes` field of a document whose operation comes after `lines` comment lines, and its info. */
function fieldAfter(lines: number) {
  const document = parse(
    `${"# a comment\n".repeat(lines)}query ($ids: [ID!]!) { all: nodes(ids: $ids) { id } }`,
  );
  const operation = document.definitions[0] as OperationDefinitionNode;
  const field = operation.selectionSet.selections[0] as FieldNode;
  expect(field.kind).toBe(Kind.FIELD);
  const fieldNodes = [field];
  return { fieldNodes, path: { prev: undefined, key: "all", typename: "Query" } };
}

describe("the schema's errors", () => {
  it("are answered as graphql-js's own, located at the field's item", () => {
    const info = fieldAfter(3);
    const made = itemError("bad id", { code: "BAD_USER_INPUT" }, info, 7);
    const theirs = new GraphQLError("bad id", {
      nodes: info.fieldNodes,
      path: ["all", 7],
      extensions: { code: "BAD_USER_INPUT" },
    });
    expect(JSON.stringify(made)).toBe(JSON.stringify(theirs));
    expect(made.toString()).toBe(theirs.toString());
    expect(made.toJSON()).toEqual({
      message: "bad id",
      locations: [{ line: 4, column: 24 }],
      path: ["all", 7],
      extensions: { code: "BAD_USER_INPUT" },
    });
    expect(made.nodes).toBe(info.fieldNodes);
  });

  it("locate a field's items once for all of them (the document is read from its start for each location)", () => {
    const info = fieldAfter(10_000);
    const errors = [0, 1, 999].map((index) => itemError("bad id", undefined, info, index));
    expect(errors[0]!.locations).toEqual([{ line: 10_001, column: 24 }]);
    // one array for all: worked out once (each error worked it out again: /health waited 425 ms beside 1,000 of them)
    expect(errors[1]!.locations).toBe(errors[0]!.locations);
    expect(errors[2]!.locations).toBe(errors[0]!.locations);
    expect(errors.map((error) => error.path)).toEqual([
      ["all", 0],
      ["all", 1],
      ["all", 999],
    ]);
  });

  it("carry no captured stack: their stack is their name and message", () => {
    const error = userError('No person has the key "person/x".');
    expect(error.stack).toBe('GraphQLError: No person has the key "person/x".');
    expect(Object.getOwnPropertyDescriptor(error, "stack")).toMatchObject({ value: error.stack });
  });

  it("nor does the graph's NotFoundError, which a loader's batch holds for each unknown key", () => {
    // getMany makes one per unknown key, up to the 9,615 ids a request can name (63 ms of them,
    // median, with their stacks: bench/not-found-batch.ts); the limit on stacks is given back
    const limit = Error.stackTraceLimit;
    const error = new NotFoundError("person", "person/x");
    expect(error.stack).toBe('NotFoundError: No person has the key "person/x".');
    expect([error.kind, error.key, error.message]).toEqual([
      "person",
      "person/x",
      'No person has the key "person/x".',
    ]);
    expect(Error.stackTraceLimit).toBe(limit);
    expect(new Error("another").stack).toMatch(/\n\s+at /);
  });
});

describe("a field's error located before graphql-js sees it (locatedFieldError)", () => {
  /** Both errors as an answer and a log would show them. */
  const shown = (error: GraphQLError) => ({
    json: JSON.stringify(error),
    string: error.toString(),
    stack: error.stack,
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    originalError: error.originalError,
    extensions: error.extensions,
  });

  it("is the error graphql-js's locatedError makes of a user error, or of any GraphQLError without a path", () => {
    const info = fieldAfter(3);
    const path = ["all"];
    for (const make of [
      () =>
        userError('Argument "first": must be between 0 and 100.', {
          extensions: { code: "BAD_USER_INPUT" },
        }),
      () => new GraphQLError("a GraphQLError with a stack", { extensions: { code: "X", n: 1 } }),
      () => new GraphQLError("no extensions"),
    ]) {
      const thrown = make();
      const ours = locatedFieldError(thrown, info) as GraphQLError;
      const theirs = locatedError(thrown, info.fieldNodes, path);
      expect(ours).not.toBe(thrown);
      expect(shown(ours)).toEqual(shown(theirs));
      expect(ours.originalError).toBe(thrown);
      expect(ours.locations).toEqual([{ line: 4, column: 24 }]);
    }
  });

  it("leaves graphql-js what it would answer as it is, or make otherwise", () => {
    const info = fieldAfter(1);
    const located = new GraphQLError("located", { path: ["x"] });
    const placed = new GraphQLError("placed", { nodes: info.fieldNodes });
    const plain = new Error("a bug");
    for (const error of [located, placed, plain, "a string"])
      expect(locatedFieldError(error, info)).toBe(error);
  });

  it("works out the field's locations once for all its errors, and captures no stack", () => {
    // each error graphql-js made read the document from its start, and formatted a stack it
    // then threw away: 1,000 bad arguments under a list held the loop 50-150 ms
    const info = fieldAfter(10_000);
    const formatted: number[] = [];
    const prepare = Error.prepareStackTrace;
    Error.prepareStackTrace = (error, frames) => {
      formatted.push(frames.length);
      return prepare ? prepare(error, frames) : String(error);
    };
    let errors: GraphQLError[];
    try {
      errors = [0, 1, 2].map(
        () =>
          locatedFieldError(
            userError("bad", { extensions: { code: "BAD_USER_INPUT" } }),
            info,
          ) as GraphQLError,
      );
    } finally {
      Error.prepareStackTrace = prepare;
    }
    expect(errors[0]!.locations).toEqual([{ line: 10_001, column: 24 }]);
    expect(errors[1]!.locations).toBe(errors[0]!.locations);
    expect(errors[2]!.locations).toBe(errors[0]!.locations);
    // (a stack of no frames is still formatted when graphql-js puts the original's in its place)
    expect(formatted.filter((frames) => frames > 0)).toEqual([]);
  });
});
