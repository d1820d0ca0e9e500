/**
 * The benchmark's own correctness, on small data (no timing here: figures come from
 * `npm run bench` and `npm run bench:scale` only): the hand-written raw answers of the query mix
 * are byte for byte what the GraphQL server answers, the equality check catches a difference,
 * and the ratios and the server's Node flags are read as the bench reports them. Run with
 * `npm test --prefix bench` (the generator's own tests are in tests/data/synthetic.test.ts).
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { loadBuiltInGraph } from "../../data/load.js";
import type { KnowledgeGraph } from "../../src/graph/graph.js";
import { createApp } from "../../src/server/app.js";
import { bodyOf, coldDocuments, hotMix, type Operation } from "../../tests/support/mix.js";
import { bodyDifference, median, type Run, ratioToBase, serverNodeFlags } from "../harness.js";

async function answersOf(graph: KnowledgeGraph, bodies: string[]): Promise<string[]> {
  const { yoga } = createApp(graph, { responseCache: false });
  return Promise.all(
    bodies.map(async (body) => {
      const response = await yoga.fetch("http://localhost/graphql", {
        method: "POST",
        headers: { "content-type": "application/json", accept: "application/json" },
        body,
      });
      return response.text();
    }),
  );
}

async function checkMix(graph: KnowledgeGraph, asOf: boolean) {
  const {
    served: { current: served },
  } = createApp(graph, { responseCache: false, logLevel: "silent" });
  const ops = hotMix(served, { asOf });
  const requests = ops.flatMap((op: Operation) =>
    op.variables.map((v) => ({ op, v, body: bodyOf(op, v) })),
  );
  const answers = await answersOf(
    graph,
    requests.map((r) => r.body),
  );
  requests.forEach(({ op, v }, i) => {
    const raw = JSON.stringify({ data: op.raw(served, v) });
    expect([op.name, bodyDifference(raw, answers[i]!)]).toEqual([op.name, null]);
  });
  return ops;
}

describe("the bench's query mix", () => {
  let graph: KnowledgeGraph;
  beforeAll(async () => {
    graph = await loadBuiltInGraph();
  });

  it("answers every request of the hot mix by hand exactly as the server does, with Office.heads(asOf:)", async () => {
    const ops = await checkMix(graph, true);
    expect(ops.map((op) => op.name)).toEqual(["Point", "Heads", "TwoHop", "Search", "AsOf"]);
  });

  it("answers the nameOn stand-in for the as-of query exactly as the server does", async () => {
    const ops = await checkMix(graph, false);
    expect(ops.at(-1)!.name).toBe("NameOn");
  });

  it("sends cold documents that all differ and all run without errors", async () => {
    const {
      served: { current: served },
    } = createApp(graph, { logLevel: "silent" });
    const docs = coldDocuments(served, 60);
    expect(new Set(docs.map((d) => d.document)).size).toBe(60);
    const answers = await answersOf(
      graph,
      docs.map((d) => bodyOf(d, {})),
    );
    docs.forEach(({ name, document }, i) => {
      // each asks for one entity by key (aliased with its counter) and must get that entity back
      const { data, errors } = JSON.parse(answers[i]!) as {
        data?: Record<string, Record<string, unknown> | null>;
        errors?: unknown;
      };
      const key = /\(key: "([^"]+)"\)/.exec(document)![1]!;
      expect({ name, errors, keyAnswered: Object.values(data ?? {})[0]?.[`k${i}`] }).toEqual({
        name,
        errors: undefined,
        keyAnswered: key,
      });
    });
  });
});

describe("the equality check", () => {
  it("accepts the same body, a trailing newline aside", () => {
    expect(bodyDifference('{"data":{"a":1}}', '{"data":{"a":1}}\n')).toBeNull();
  });
  it("says where two bodies differ", () => {
    expect(bodyDifference('{"data":{"a":1}}', '{"data":{"a":2}}')).toMatch(
      /differs at character 13/,
    );
  });
  it("refuses a body with errors even when the reference has them too", () => {
    const failed = '{"errors":[{"message":"boom"}],"data":null}';
    expect(bodyDifference(failed, failed)).toMatch(/^errors: /);
  });
});

describe("the ratios", () => {
  const run = (round: number, server: string, rps: number, cpuUsPerRequest: number): Run => ({
    round,
    scenario: "mix",
    server,
    rps,
    cpuUsPerRequest,
    p50: 1,
    p99: 2,
    rssMb: 1,
    serverCpu: 1,
    loaderCpu: 0.5,
  });
  it("takes the median of the per-round ratios, by throughput and by CPU per request", () => {
    const runs = [
      run(1, "raw", 100, 10),
      run(1, "ours", 50, 40),
      run(2, "raw", 200, 10),
      run(2, "ours", 160, 20),
      run(3, "raw", 100, 10),
      run(3, "ours", 70, 25),
    ];
    expect(ratioToBase(runs, "mix", "ours", "raw")).toBeCloseTo(0.7);
    expect(ratioToBase(runs, "mix", "ours", "raw", "cpu")).toBeCloseTo(0.4);
    expect(median([3, 1, 2, 10])).toBe(2.5);
  });
});

describe("serverNodeFlags: the benchmarks start this server with the Node flags of `npm start`", () => {
  const withStart = (start: string) => {
    const dir = mkdtempSync(join(tmpdir(), "kz-start-"));
    const file = join(dir, "package.json");
    writeFileSync(file, JSON.stringify({ scripts: { start } }));
    return file;
  };

  it("reads the flags between node and --import tsx", () => {
    expect(
      serverNodeFlags(withStart("node --max-semi-space-size=64 --import tsx src/server/main.ts")),
    ).toEqual(["--max-semi-space-size=64"]);
    expect(
      serverNodeFlags(
        withStart(
          "node --max-semi-space-size=32 --stack-size=2000 --import tsx src/server/main.ts",
        ),
      ),
    ).toEqual(["--max-semi-space-size=32", "--stack-size=2000"]);
    expect(serverNodeFlags(withStart("node --import tsx src/server/main.ts"))).toEqual([]);
    // the preloads of src/server before tsx are not Node's flags (09db77a's second one broke
    // `npm run bench`, whose pattern knew only the first)
    expect(
      serverNodeFlags(
        withStart(
          "node --max-semi-space-size=64 --import ./src/server/inspector-signal.mjs --import ./src/server/temporary-directory.mjs --import tsx src/server/main.ts",
        ),
      ),
    ).toEqual(["--max-semi-space-size=64"]);
  });

  it("refuses a start script it cannot read, rather than benchmark something else than users run", () => {
    expect(() => serverNodeFlags(withStart("tsx src/server/main.ts"))).toThrow(/start script/);
    expect(() => serverNodeFlags(withStart("node --import tsx src/server/other.ts"))).toThrow(
      /start script/,
    );
  });

  it("reads this project's own start script", () => {
    const flags = serverNodeFlags();
    expect(flags.every((flag) => flag.startsWith("--"))).toBe(true);
  });
});
