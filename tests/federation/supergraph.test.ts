/**
 * The supergraph: the committed composition, and Hive Gateway (a real process, running
 * examples/supergraph/gateway.ts as `npm run gateway` does, from its bundle:
 * tests/support/server-bundle.ts) in front of both subgraphs (in process, on 127.0.0.1:0), answering a question
 * that crosses them, holding the subgraph's limits, and stopping cleanly on one SIGTERM. What the
 * kz-osce subgraph answers a gateway without its secret is seen through the same gateway: it
 * reaches the subgraph through a proxy in this process that can drop the secret's header, as a
 * gateway started without KZ_OSCE_GATEWAY_SECRET sends no such header (a second gateway, even in
 * this process, would load and start the gateway's runtime once more: about 2 CPU-seconds).
 */
import "../../src/schema/with-federation.js"; // first: the schema is built for subgraph mode, as with --subgraph
import { readFileSync } from "node:fs";
import { createServer, request, type Server } from "node:http";
import { type AddressInfo, connect } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadBuiltInGraph } from "../../data/load.js";
import { createCountriesServer } from "../../examples/countries-subgraph/main.js";
import { ISO_CODE_OF_STATE } from "../../examples/countries-subgraph/state-codes.js";
import { composeSupergraph, supergraphFile } from "../../examples/supergraph/compose.js";
import { DEFAULT_CONFIG } from "../../src/server/config.js";
import { GATEWAY_SECRET_HEADER } from "../../src/server/subgraph.js";
import { type RunningProcess, startProcess } from "../support/processes.js";
import { contentKey, remember, remembered, sha256 } from "../support/remembered.js";
import { startServer, type TestServer } from "../support/server.js";
import { bundled } from "../support/server-bundle.js";

const SECRET = "supergraph-test-secret-0123456789";
/** Generous: the gateway process starts on a loaded two-core machine. */
const START_TIMEOUT = 180_000;

describe("the committed supergraph", () => {
  it("is what `npm run supergraph` composes from the two subgraphs' SDL", () => {
    const committed = readFileSync(supergraphFile, "utf8");
    // the composition (about 2 CPU-seconds with the subgraph SDL's printing) is a function of
    // the code that makes both subgraphs' schemas and of the packages: remembered under a hash
    // of every file of src/, examples/ and data/, the committed file and the lock file
    // (tests/support/remembered.ts), and composed again when any of them changed
    const key = contentKey(
      ["supergraph.graphql", "package.json", "node_modules/.package-lock.json"],
      ["src", "examples", "data"],
      /./,
    );
    const composed = remembered<string>("supergraph", key);
    if (composed === undefined) expect(committed).toBe(composeSupergraph());
    else expect(sha256(committed)).toBe(composed);
    remember("supergraph", key, sha256(committed));
  });
});

/**
 * An HTTP proxy on 127.0.0.1:0 in front of `target` (an origin): it passes each request on as it
 * came, but without the gateway secret's header while `dropSecret` is set.
 */
async function secretDroppingProxy(target: string) {
  const state = { dropSecret: false };
  const server = createServer((req, res) => {
    const headers = { ...req.headers };
    if (state.dropSecret) delete headers[GATEWAY_SECRET_HEADER];
    const upstream = request(`${target}${req.url}`, { method: req.method, headers }, (answer) => {
      res.writeHead(answer.statusCode!, answer.headers);
      answer.pipe(res);
    });
    upstream.once("error", (error) => res.destroy(error));
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { state, server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

describe("Hive Gateway in front of both subgraphs", () => {
  let kzOsce: TestServer;
  let countries: Server;
  /** Between the gateway and the kz-osce subgraph. */
  let proxy: Awaited<ReturnType<typeof secretDroppingProxy>> | undefined;
  let gateway: RunningProcess;

  beforeAll(async () => {
    // maxCost 250 and plain lists of 1: the cross-subgraph question costs 198 on the kz-osce
    // subgraph, one State with the selection of `PERSONS_AND_TENURES` 52 (42, and 10 for its
    // representation, priced as an id of nodes(ids:)), and a batch of them 52 each
    kzOsce = await startServer(await loadBuiltInGraph(), {
      subgraph: { gatewaySecret: SECRET },
      limits: { ...DEFAULT_CONFIG.limits, maxCost: 250, costListSize: 1 },
    });
    // the real table, and two keys the knowledge graph does not have: one unknown, one malformed
    countries = createCountriesServer({
      ...ISO_CODE_OF_STATE,
      "state/atlantis": "FR",
      "Not A Key": "DE",
    });
    await new Promise<void>((resolve) => countries.listen(0, "127.0.0.1", resolve));
    proxy = await secretDroppingProxy(kzOsce.url);
    const kzOsceUrl = `${proxy.url}/graphql`;
    const countriesUrl = `http://127.0.0.1:${(countries.address() as AddressInfo).port}/graphql`;
    gateway = await startProcess(bundled("gateway"), {
      env: {
        PORT: "0",
        HOST: "127.0.0.1",
        KZ_OSCE_SUBGRAPH_URL: kzOsceUrl,
        COUNTRIES_SUBGRAPH_URL: countriesUrl,
        KZ_OSCE_GATEWAY_SECRET: SECRET,
      },
      ready: /^hive-gateway: serving the supergraph at (http:\/\/127\.0\.0\.1:\d+\/graphql)$/m,
      timeoutMs: START_TIMEOUT,
    });
  }, START_TIMEOUT + 30_000);

  afterAll(async () => {
    await gateway?.kill();
    if (proxy) {
      proxy.server.closeAllConnections();
      await new Promise((resolve) => proxy!.server.close(resolve));
    }
    await kzOsce?.close();
    await new Promise<void>((resolve) =>
      countries ? countries.close(() => resolve()) : resolve(),
    );
  });

  async function ask(through: { url: string }, query: string) {
    const response = await fetch(through.url, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify({ query }),
    });
    return {
      status: response.status,
      json: (await response.json()) as {
        data?: any;
        errors?: { message: string; path?: unknown[]; extensions?: { code?: string } }[];
      },
    };
  }

  it("answers who headed which office, and that holder's nationality's ISO code and Russian name", async () => {
    const { status, json } = await ask(
      gateway,
      `{ offices { nodes { name heads { nodes { holder { ... on Person { name nationality { isoAlpha2 localizedName(language: "ru") { name } } } } } } } } }`,
    );
    expect(status).toBe(200);
    expect(json.errors).toBeUndefined();
    const headed = json.data.offices.nodes.filter(
      (office: { heads: { nodes: unknown[] } }) => office.heads.nodes.length > 0,
    );
    expect(headed).toEqual([
      {
        name: "Office of the Special Representative of the OSCE to combat trafficking in human beings",
        heads: {
          nodes: [
            {
              holder: {
                name: "Madina Jarbussynova",
                nationality: { isoAlpha2: "KZ", localizedName: { name: "Казахстан" } },
              },
            },
          ],
        },
      },
      {
        name: "OSCE Programme Office in Astana",
        heads: {
          nodes: [
            {
              holder: {
                name: "György Szabó",
                nationality: { isoAlpha2: "HU", localizedName: { name: "Венгрия" } },
              },
            },
          ],
        },
      },
    ]);
  });

  it("answers from the countries subgraph first: a state by ISO code, with the knowledge graph's facts about it", async () => {
    const { json } = await ask(
      gateway,
      '{ stateByIsoCode(code: "KAZ") { key name participatingStateSince { edtf } localizedName(language: "kk") { name } } }',
    );
    expect(json).toEqual({
      data: {
        stateByIsoCode: {
          key: "state/kazakhstan",
          name: "Kazakhstan",
          participatingStateSince: { edtf: "1992" },
          localizedName: { name: "Қазақстан" },
        },
      },
    });
  });

  const PERSONS_AND_TENURES =
    "persons(first: 20) { nodes { names { text } tenures(first: 20) { nodes { key } } } }";

  it("passes one entity with a costly selection, and refuses the same selection on a batch of entities: the cost counts each representation", async () => {
    const one = await ask(gateway, `{ stateByIsoCode(code: "HU") { ${PERSONS_AND_TENURES} } }`);
    expect(one.json.errors).toBeUndefined();
    expect(one.json.data.stateByIsoCode.persons.nodes).toHaveLength(1);

    // isoStates gives eight states: one _entities batch of eight representations, 8 x 52 > 250
    const batch = await ask(gateway, `{ isoStates { key ${PERSONS_AND_TENURES} } }`);
    expect(batch.status).toBe(200);
    expect(batch.json.errors?.map((e) => e.extensions?.code)).toContain("COST_LIMIT_EXCEEDED");
    expect(
      batch.json.errors?.find((e) => e.extensions?.code === "COST_LIMIT_EXCEEDED")?.message,
    ).toMatch(/^The query would cost 416 units of work; the cost limit is 250\./);
    expect(batch.json.data?.isoStates ?? null).toBeNull();
  });

  it("answers a representation the knowledge graph has no entity for with null and the subgraph's error, not a 500", async () => {
    const unknown = await ask(gateway, '{ stateByIsoCode(code: "FR") { key name } }');
    expect(unknown.status).toBe(200);
    expect(unknown.json.data).toEqual({ stateByIsoCode: null });
    expect(unknown.json.errors?.map((e) => e.message)).toContain(
      'No state has the key "state/atlantis".',
    );

    const malformed = await ask(gateway, '{ stateByIsoCode(code: "DE") { key name } }');
    expect(malformed.status).toBe(200);
    expect(malformed.json.data).toEqual({ stateByIsoCode: null });
    expect(malformed.json.errors?.map((e) => e.message)).toContain(
      'representations[0] has key "Not A Key", which is not a State key: State keys look like "state/slug" (lowercase letters, digits and hyphens).',
    );
  });

  it("answers a document that defines a type with its 'not executable' error alone: the gateway validates with graphql-js too", async () => {
    // (review 29: the names such a document defines were the options of graphql-js's "Did you
    // mean …?", measured in the product of two names' lengths: 2.5 s for two of 20,000)
    const long = "A".repeat(20_000);
    const answer = await ask(
      gateway,
      `type ${long} { a: Int } query Q($v: ${long.slice(1)}B) { __typename }`,
    );
    const messages = answer.json.errors?.map((e) => e.message.replaceAll(long, "<long>"));
    expect(messages).toEqual(['The "<long>" definition is not executable.']);
  });

  it("gets the subgraph's refusal when its requests come without the secret, while root fields still answer", async () => {
    proxy!.state.dropSecret = true;
    try {
      const refused = await ask(gateway, '{ stateByIsoCode(code: "HU") { key name } }');
      expect(refused.status).toBe(200);
      expect(refused.json.data).toEqual({ stateByIsoCode: null });
      expect(refused.json.errors?.map((e) => e.extensions?.code)).toContain("FORBIDDEN");

      expect((await ask(gateway, '{ state(key: "hungary") { name isoAlpha2 } }')).json).toEqual({
        data: { state: { name: "Hungary", isoAlpha2: "HU" } },
      });
    } finally {
      proxy!.state.dropSecret = false;
    }
  });

  it("stops on the first SIGTERM: the process exits 0 and its port is closed", async () => {
    const port = Number(new URL(gateway.url).port);
    // a keep-alive connection left open by the requests above must not hold the process
    gateway.child.kill("SIGTERM");
    expect(await gateway.exited).toEqual({ code: 0, signal: null });
    expect(await refusesConnections(port)).toBe(true);
  });
});

/** Whether nothing listens on 127.0.0.1:port any more. */
function refusesConnections(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(false);
    });
    socket.once("error", (error: NodeJS.ErrnoException) => resolve(error.code === "ECONNREFUSED"));
  });
}
