/**
 * The executionDeadline Pothos plugin (src/schema/deadline-plugin.ts), on a schema of its own:
 * it checks the context's deadline before every field that has a resolver, gives the event loop
 * back before a field once the slice is used, leaves property reads alone, and does nothing
 * without a deadline. tests/server/deadline.test.ts attacks it through the server.
 */
import SchemaBuilder from "@pothos/core";
import { graphql } from "graphql";
import { describe, expect, it } from "vitest";
import { Deadline, DeadlineExceededError } from "../../src/graph/deadline.js";
import ExecutionDeadlinePlugin, {
  FIELD_WORK,
  type FieldDeadline,
} from "../../src/schema/deadline-plugin.js";

interface Item {
  name: string;
}

function schemaWith(log: string[]) {
  const builder = new SchemaBuilder<{ Context: { deadline?: FieldDeadline } }>({
    plugins: [ExecutionDeadlinePlugin],
  });
  const ItemType = builder.objectRef<Item>("Item").implement({
    fields: (t) => ({
      // a property read: no resolver of its own
      name: t.exposeString("name"),
      upper: t.string({
        resolve: (item) => (log.push(`upper ${item.name}`), item.name.toUpperCase()),
      }),
    }),
  });
  builder.queryType({
    fields: (t) => ({
      items: t.field({
        type: [ItemType],
        resolve: () => (log.push("items"), [{ name: "a" }, { name: "b" }]),
      }),
    }),
  });
  return builder.toSchema();
}

/** A deadline that records each check and passes after `allowed` checks. */
function fakeDeadline(log: string[], { allowed = Infinity, sliceUsedAfter = Infinity } = {}) {
  let checks = 0;
  let turns = 0;
  let turn: Promise<void> | undefined;
  const deadline: FieldDeadline & { work: number } = {
    work: 0,
    check(work) {
      deadline.work += work;
      log.push("check");
      if (++checks > allowed) throw new Error("deadline passed");
    },
    get sliceUsed() {
      return checks >= sliceUsedAfter && turns === 0;
    },
    get expired() {
      return checks > allowed;
    },
    // like the real deadline: every field that asks while the request waits waits for the same turn
    nextSlice() {
      turn ??= new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
        turns++;
        log.push("next turn");
      });
      return turn;
    },
  };
  return deadline;
}

describe("the executionDeadline plugin", () => {
  it("checks the deadline before each field with a resolver, not before property reads", async () => {
    const log: string[] = [];
    const deadline = fakeDeadline(log);
    const result = await graphql({
      schema: schemaWith(log),
      source: "{ items { name upper } }",
      contextValue: { deadline },
    });
    expect(result).toEqual({
      data: {
        items: [
          { name: "a", upper: "A" },
          { name: "b", upper: "B" },
        ],
      },
    });
    // items, then upper of each: three checks, each before its resolver; `name` is never checked
    expect(log).toEqual(["check", "items", "check", "upper a", "check", "upper b"]);
    expect(deadline.work).toBe(3 * FIELD_WORK);
  });

  it("stops a field whose check finds the deadline passed, before its resolver runs", async () => {
    const log: string[] = [];
    const result = await graphql({
      schema: schemaWith(log),
      source: "{ items { upper } }",
      contextValue: { deadline: fakeDeadline(log, { allowed: 2 }) },
    });
    expect(log).not.toContain("upper b");
    expect(result.errors?.map((e) => e.message)).toEqual(["deadline passed"]);
  });

  it("gives the event loop back before a field once the slice is used, then resolves it", async () => {
    const log: string[] = [];
    const result = await graphql({
      schema: schemaWith(log),
      source: "{ items { upper } }",
      contextValue: { deadline: fakeDeadline(log, { sliceUsedAfter: 2 }) },
    });
    expect(result.errors).toBeUndefined();
    // each field waiting for the turn checks again before it resolves
    expect(log).toEqual([
      "check",
      "items",
      "check",
      "check",
      "next turn",
      "check",
      "upper a",
      "check",
      "upper b",
    ]);
  });

  it("keeps to its slice after a turn: thousands of fields that waited for one turn do not all resolve in it", async () => {
    // the real deadline on a clock that each resolver moves by a millisecond, a slice of 20 ms
    let now = 0;
    const deadline = new Deadline(1e9, { now: () => now, sliceMs: 20, checkEvery: FIELD_WORK });
    const turnOf: number[] = [];
    const builder = new SchemaBuilder<{ Context: { deadline?: FieldDeadline } }>({
      plugins: [ExecutionDeadlinePlugin],
    });
    const ItemType = builder.objectRef<Item>("Item").implement({
      fields: (t) => ({
        upper: t.string({
          resolve: (item) => {
            now += 1;
            turnOf.push(deadline.yields);
            return item.name.toUpperCase();
          },
        }),
      }),
    });
    builder.queryType({
      fields: (t) => ({
        items: t.field({
          type: [ItemType],
          resolve: () => Array.from({ length: 2000 }, (_, i) => ({ name: `n${i}` })),
        }),
      }),
    });
    const result = await graphql({
      schema: builder.toSchema(),
      source: "{ items { upper } }",
      contextValue: { deadline },
    });
    expect(result.errors).toBeUndefined();
    expect(turnOf).toHaveLength(2000);
    const perTurn = new Map<number, number>();
    for (const turn of turnOf) perTurn.set(turn, (perTurn.get(turn) ?? 0) + 1);
    // about a slice's worth (20 fields of 1 ms) per turn, never most of the list at once
    expect(Math.max(...perTurn.values())).toBeLessThanOrEqual(25);
    expect(perTurn.size).toBeGreaterThan(2000 / 25);
  });

  it("fails a field past the deadline as a rejected promise, so that a sibling still waiting for its turn is never abandoned to reject unheard", async () => {
    // [Item!]! of Item { upper: String! }: item a's field waits for the next turn; item b's
    // check then finds the deadline passed. Had it thrown, graphql-js 16 would stop the list at
    // b and abandon a's promise, which rejects at its own check on the next turn with nobody
    // listening (an unhandled rejection ends a Node process).
    const log: string[] = [];
    const unheard: unknown[] = [];
    const listen = (reason: unknown) => unheard.push(reason);
    process.on("unhandledRejection", listen);
    try {
      const builder = new SchemaBuilder<{ Context: { deadline?: FieldDeadline } }>({
        plugins: [ExecutionDeadlinePlugin],
      });
      const ItemType = builder.objectRef<Item>("Item").implement({
        fields: (t) => ({
          upper: t.string({
            nullable: false,
            resolve: (item) => (log.push(`upper ${item.name}`), item.name.toUpperCase()),
          }),
        }),
      });
      builder.queryType({
        fields: (t) => ({
          items: t.field({
            type: [ItemType],
            nullable: false,
            resolve: () => [{ name: "a" }, { name: "b" }],
          }),
        }),
      });
      // checks: `items` (1), a's `upper` (2, then the slice is used: a waits), b's `upper` (3:
      // past the deadline), a's again after its turn (4: past it)
      const deadline = fakeDeadline(log, { allowed: 2, sliceUsedAfter: 2 });
      const result = await graphql({
        schema: builder.toSchema(),
        source: "{ items { upper } }",
        contextValue: { deadline },
      });
      expect(result.data).toBeNull();
      expect(result.errors?.map((e) => e.message)).toEqual(["deadline passed"]);
      // the turn a waited for, and the microtasks after it: every rejection has come by then
      for (let turn = 0; turn < 5; turn++) await new Promise((resolve) => setImmediate(resolve));
      expect(log).toEqual(["check", "check", "check", "next turn", "check"]);
      expect(unheard).toEqual([]);
    } finally {
      process.off("unhandledRejection", listen);
    }
  });

  it("fails every field past the deadline with the deadline's one error, which graphql-js keeps as it is: no GraphQLError made per field", async () => {
    // a request past its deadline fails thousands of fields at once (those waiting for a turn);
    // graphql-js made a GraphQLError of each, reading its place in the document's text: a client
    // that left such a request held the loop 150-270 ms at 20,000 entities
    const builder = new SchemaBuilder<{ Context: { deadline?: FieldDeadline } }>({
      plugins: [ExecutionDeadlinePlugin],
    });
    builder.queryType({
      fields: (t) => ({ word: t.string({ nullable: true, resolve: () => "word" }) }),
    });
    let now = 0;
    const deadline = new Deadline(10, { now: () => now, checkEvery: 1 });
    now = 11;
    const aliases = Array.from({ length: 50 }, (_, i) => `w${i}: word`).join(" ");
    const result = await graphql({
      schema: builder.toSchema(),
      source: `{ ${aliases} }`,
      contextValue: { deadline },
    });
    expect(Object.values(result.data ?? {})).toEqual(Array.from({ length: 50 }, () => null));
    expect(result.errors).toHaveLength(50);
    expect(new Set(result.errors).size).toBe(1);
    expect(result.errors?.[0]).toBeInstanceOf(DeadlineExceededError);
    // (its path is for graphql-js alone: written as it is, it would say nothing of one)
    expect(Object.keys(result.errors?.[0] ?? {})).not.toContain("path");
  });

  it("does nothing for a request without a deadline (another server given the same schema)", async () => {
    const log: string[] = [];
    const result = await graphql({
      schema: schemaWith(log),
      source: "{ items { upper } }",
      contextValue: {},
    });
    expect(result).toEqual({ data: { items: [{ upper: "A" }, { upper: "B" }] } });
    expect(log).toEqual(["items", "upper a", "upper b"]);
  });
});
