/**
 * /graph.jsonld and /graph.nt over HTTP, read with real RDF libraries: n3 parses the N-Triples,
 * jsonld expands the JSON-LD and turns it into N-Quads; both must carry the same triples.
 */
import { request } from "node:http";
import { fileURLToPath } from "node:url";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import jsonld from "jsonld";
import { Parser, type Quad } from "n3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { builtInDataset } from "../../data/index.js";
import { codeOf } from "../../src/graph/snapshot/snapshot.js";
import { listsCodeIn } from "../../src/schema/lists-code.js";
import type { Runtime } from "../../src/schema/runtime-code.js";
import { answersCodeIn, answersCodeOf } from "../../src/server/answers-code.js";
import { compressionCount } from "../../src/server/compression.js";
import { exportTagOf } from "../../src/server/export-routes.js";
import { rawRequest } from "../support/http.js";
import { startServer, type TestServer } from "../support/server.js";

/** The project's src/, whose code and runtime the exports' ETags carry. */
const OWN_SRC = fileURLToPath(new URL("../../src", import.meta.url));
const RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
const SCHEMA = "https://schema.org/";
const KZ = "urn:kz-osce-graph:vocab#";
const PROV = "http://www.w3.org/ns/prov#";
const EDTF = "http://id.loc.gov/datatypes/edtf/EDTF";
const E = (key: string) => `urn:kz-osce-graph:${key}`;
const SZABO = E("person/gyorgy-szabo");
const SZABO_TENURE = E("tenure/gyorgy-szabo-head-of-programme-office");
const SOURCE = E("source/kazakhstan-osce-cooperation");

let server: TestServer;
let ntriples: Quad[];
let fromJsonLd: Quad[];
let responses: { nt: Response; jsonld: Response };
beforeAll(async () => {
  server = await startServer();
  responses = {
    nt: await fetch(`${server.url}/graph.nt`),
    jsonld: await fetch(`${server.url}/graph.jsonld`),
  };
  ntriples = new Parser({ format: "N-Triples" }).parse(await responses.nt.text());
  const document = await responses.jsonld.json();
  const nquads = (await jsonld.toRDF(document, {
    format: "application/n-quads",
  })) as unknown as string;
  fromJsonLd = new Parser({ format: "N-Quads" }).parse(nquads);
});
afterAll(() => server.close());

const line = (q: Quad) => `${q.subject.id} ${q.predicate.id} ${q.object.id}`;
/** The quads of a list by subject, built once per list: scanning thousands of quads per look-up made this file slow. */
const bySubject = new WeakMap<Quad[], Map<string, Quad[]>>();
function quadsAbout(quads: Quad[], s: string): Quad[] {
  let index = bySubject.get(quads);
  if (!index) {
    index = new Map();
    for (const q of quads) {
      const list = index.get(q.subject.value);
      if (list) list.push(q);
      else index.set(q.subject.value, [q]);
    }
    bySubject.set(quads, index);
  }
  return index.get(s) ?? [];
}
const objects = (quads: Quad[], s: string, p: string) =>
  quadsAbout(quads, s)
    .filter((q) => q.predicate.value === p)
    .map((q) => q.object);
/** The statements (fact nodes) that reify the triple s p o. */
function statementsOf(quads: Quad[], s: string, p: string, o: string): string[] {
  const about = (pred: string, value: string) =>
    new Set(
      quads
        .filter((q) => q.predicate.value === pred && q.object.value === value)
        .map((q) => q.subject.value),
    );
  const [subjects, predicates, objectsOf] = [
    about(`${RDF}subject`, s),
    about(`${RDF}predicate`, p),
    about(`${RDF}object`, o),
  ];
  return [...subjects].filter((x) => predicates.has(x) && objectsOf.has(x));
}

describe("the RDF exports", () => {
  it("are served with their media types and a validator", () => {
    expect(responses.nt.status).toBe(200);
    expect(responses.nt.headers.get("content-type")).toBe("application/n-triples");
    expect(responses.jsonld.status).toBe(200);
    expect(responses.jsonld.headers.get("content-type")).toBe("application/ld+json");
    expect(responses.nt.headers.get("etag")).toMatch(/^"[0-9a-f]{32}(-gzip|-br)?"$/);
  });

  it("carry exactly the same triples in JSON-LD (through jsonld.toRDF) and in N-Triples", () => {
    expect(ntriples.length).toBeGreaterThan(1000);
    const nt = new Set(ntriples.map(line));
    const ld = new Set(fromJsonLd.map(line));
    expect(nt.size).toBe(ntriples.length); // no triple twice
    expect([...ld].filter((t) => !nt.has(t))).toEqual([]);
    expect([...nt].filter((t) => !ld.has(t))).toEqual([]);
  });

  it("give every entity of the dataset a typed node", () => {
    const typed = new Set(
      ntriples.filter((q) => q.predicate.value === `${RDF}type`).map((q) => q.subject.value),
    );
    const keys = Object.values(builtInDataset)
      .flat()
      .map((e) => E(e.id));
    expect(keys.filter((k) => !typed.has(k))).toEqual([]);
  });

  it("state György Szabó's name, spellings and nationality with schema.org terms", async () => {
    expect(objects(ntriples, SZABO, `${RDF}type`).map((o) => o.value)).toEqual([`${SCHEMA}Person`]);
    expect(objects(ntriples, SZABO, `${SCHEMA}name`).map((o) => o.value)).toEqual(["György Szabó"]);
    expect(objects(ntriples, SZABO, `${KZ}documentSpelling`).map((o) => o.value)).toEqual([
      "Gyorgy Sabo",
    ]);
    expect(objects(ntriples, SZABO, `${SCHEMA}nationality`).map((o) => o.value)).toEqual([
      E("state/hungary"),
    ]);
    // the JSON-LD says the same, under its compact terms
    const document = (await (await fetch(`${server.url}/graph.jsonld`)).json()) as {
      "@graph": Record<string, unknown>[];
    };
    expect(document["@graph"].find((n) => n["@id"] === "kzg:person/gyorgy-szabo")).toMatchObject({
      "@type": "Person",
      name: "György Szabó",
      nationality: "kzg:state/hungary",
    });
  });

  it("give the provenance of Szabó's nationality: the source and the quote", () => {
    const [statement, ...more] = statementsOf(
      ntriples,
      SZABO,
      `${SCHEMA}nationality`,
      E("state/hungary"),
    );
    expect(more).toEqual([]);
    expect(objects(ntriples, statement!, `${RDF}type`).map((o) => o.value)).toEqual([
      `${RDF}Statement`,
    ]);
    expect(objects(ntriples, statement!, `${PROV}wasDerivedFrom`).map((o) => o.value)).toEqual([
      SOURCE,
    ]);
    expect(objects(ntriples, statement!, `${KZ}quote`).map((o) => o.value)).toEqual([
      "Hungarian Ambassador Gyorgy Sabo",
    ]);
  });

  it("give the quote behind Szabó's tenure, and its EDTF date with earliest day", () => {
    const [holder] = statementsOf(ntriples, SZABO_TENURE, `${KZ}holder`, SZABO);
    expect(objects(ntriples, holder!, `${KZ}quote`).map((o) => o.value)).toEqual([
      "The OSCE Programmme Office in Astana is headed by Hungarian Ambassador Gyorgy Sabo.",
    ]);
    const [when] = objects(ntriples, SZABO_TENURE, `${KZ}when`);
    expect(when).toMatchObject({ value: "2016-02-09/..", datatype: { value: EDTF } });
    expect(objects(ntriples, SZABO_TENURE, `${KZ}earliest`).map((o) => o.value)).toEqual([
      "2016-02-09",
    ]);
    expect(objects(ntriples, SZABO_TENURE, `${KZ}latest`)).toEqual([]); // an open end has no last day
  });

  it("give an editorial note where a fact rests on one (Almaty lies in Kazakhstan)", () => {
    const [statement] = statementsOf(
      ntriples,
      E("place/almaty"),
      `${SCHEMA}containedInPlace`,
      E("state/kazakhstan"),
    );
    expect(objects(ntriples, statement!, `${KZ}editorialNote`).map((o) => o.value)).toEqual([
      "Almaty is a city of Kazakhstan (its capital until 1997).",
    ]);
    expect(objects(ntriples, statement!, `${PROV}wasDerivedFrom`)).toEqual([]);
  });

  it("give the field office's name history with the kind of each change", () => {
    const office = E("office/osce-field-office-kazakhstan");
    const names = objects(ntriples, office, `${KZ}nameHistory`).map((o) => o.value);
    expect(names.map((n) => objects(ntriples, n, `${SCHEMA}name`)[0]?.value)).toEqual([
      "OSCE Centre in Almaty",
      "OSCE Centre in Astana",
      "OSCE Programme Office in Astana",
    ]);
    expect(names.map((n) => objects(ntriples, n, `${KZ}change`)[0]?.value ?? null)).toEqual([
      null,
      "RENAMING",
      "TRANSFORMATION",
    ]);
  });

  it("give the events that bound a date, what each office is part of, and a programme's kind and date (the audit of 5 December)", () => {
    // the Troika tenure's unknown start is not before the 1992 accession; the field office's
    // names are dated to their decisions' days, which no event needs to bound
    const troika = E("tenure/kazakhstan-osce-troika");
    expect(objects(ntriples, troika, `${KZ}startsNotBefore`).map((o) => o.value)).toEqual([
      E("event/1992-kazakhstan-joins-the-osce"),
    ]);
    const office = E("office/osce-field-office-kazakhstan");
    const names = objects(ntriples, office, `${KZ}nameHistory`).map((o) => o.value);
    for (const term of ["startsNotBefore", "endsNotBefore"])
      expect(names.flatMap((n) => objects(ntriples, n, `${KZ}${term}`))).toEqual([]);
    expect(objects(ntriples, E("office/odihr"), `${SCHEMA}parentOrganization`)).toEqual([
      expect.objectContaining({ value: E("office/osce") }),
    ]);
    const programme = E("priority/path-to-europe");
    expect(objects(ntriples, programme, `${KZ}priorityKind`).map((o) => o.value)).toEqual([
      "STATE_PROGRAMME",
    ]);
    expect(objects(ntriples, programme, `${KZ}when`).map((o) => o.value)).toEqual(["/2011-12"]);
  });

  it("say which posts head their office, the Special Representative's by the data's word with its note (review 6)", () => {
    // Office.heads reads Post.headsOffice: a reader working heads out of HEAD_OF_OFFICE alone
    // lost the Special Representative, whose post is of its own kind
    const heads = ntriples
      .filter((q) => q.predicate.value === `${KZ}headsOffice`)
      .map((q) => `${q.subject.value} ${q.object.value}`);
    const special = E("post/special-representative-on-trafficking");
    const office = E("office/special-representative-on-trafficking");
    expect(heads).toContain(`${special} ${office}`);
    expect(heads).toContain(
      `${E("post/head-of-osce-field-office-kazakhstan")} ${E("office/osce-field-office-kazakhstan")}`,
    );
    // the Chairmanship's post heads nothing
    expect(heads.filter((h) => h.includes("chair"))).toEqual([]);
    const [statement] = statementsOf(ntriples, special, `${KZ}headsOffice`, office);
    expect(objects(ntriples, statement!, `${KZ}editorialNote`).map((o) => o.value)).toEqual([
      expect.stringMatching(
        /^The Office of the Special Representative is the Special Representative's own office/,
      ),
    ]);
    expect(objects(ntriples, statement!, `${KZ}quote`).map((o) => o.value)).toEqual([
      "Office of the Special Representative of the OSCE to combat trafficking in human beings",
    ]);
  });

  it("say as of when the source states an undated fact: a priority, a cooperation (the audit of 5 December, finding 20); no office's dimension (honest54, F11)", () => {
    const asOf = (node: string) => objects(ntriples, node, `${KZ}statedAsOf`).map((o) => o.id);
    const UPDATED = `"2016-03-18"^^${EDTF}`;
    // the priority's own fact, reified with the quote that gives the day
    const aralSea = E("priority/aral-sea");
    expect(asOf(aralSea)).toEqual([UPDATED]);
    const [day] = statementsOf(ntriples, aralSea, `${KZ}statedAsOf`, "2016-03-18");
    expect(objects(ntriples, day!, `${KZ}quote`).map((o) => o.value)).toEqual([
      "Updated at : 18.03.2016, 19:31",
    ]);
    // a programme has its own date
    expect(asOf(E("priority/path-to-europe"))).toEqual([]);
    // on the statements of the links
    const kazakhstan = E("state/kazakhstan");
    const field = E("office/osce-field-office-kazakhstan");
    const [cooperation] = statementsOf(ntriples, kazakhstan, `${KZ}cooperatesWith`, field);
    expect(asOf(cooperation!)).toEqual([UPDATED]);
    // the field office's dimension is the editors' reading of the cooperation's: not dated as stated
    const [fieldHuman] = statementsOf(ntriples, field, `${KZ}dimension`, E("dimension/human"));
    expect(fieldHuman).toBeDefined();
    expect(asOf(fieldHuman!)).toEqual([]);
    // ODIHR's dimension is an editorial note's: no date of the source states it
    const [odihrHuman] = statementsOf(
      ntriples,
      E("office/odihr"),
      `${KZ}dimension`,
      E("dimension/human"),
    );
    expect(odihrHuman).toBeDefined();
    expect(asOf(odihrHuman!)).toEqual([]);
  });

  it('say which priority is the keynote of its state\'s activities, with its sentence ("the keynote ... during upcoming years")', () => {
    const keynotes = ntriples
      .filter((q) => q.predicate.value === `${KZ}keynoteOf`)
      .map((q) => `${q.subject.value} ${q.object.value}`);
    const heritage = E("priority/heritage-of-the-astana-summit");
    const kazakhstan = E("state/kazakhstan");
    expect(keynotes).toEqual([`${heritage} ${kazakhstan}`]);
    const [statement] = statementsOf(ntriples, heritage, `${KZ}keynoteOf`, kazakhstan);
    expect(objects(ntriples, statement!, `${KZ}quote`).map((o) => o.value)).toEqual([
      "Promotion of the heritage of the OSCE Astana Summit will be the keynote of the Kazakhstan’s activities within the Organization during upcoming years.",
    ]);
  });

  it("reify every fact with provenance: each triple outside the reifications has a statement with a quote or an editorial note", () => {
    const statements = new Set(
      ntriples.filter((q) => q.object.value === `${RDF}Statement`).map((q) => q.subject.value),
    );
    const facts = ntriples.filter((q) => !statements.has(q.subject.value));
    const evidenced = new Set(
      ntriples
        .filter(
          (q) => q.predicate.value === `${KZ}quote` || q.predicate.value === `${KZ}editorialNote`,
        )
        .map((q) => q.subject.value),
    );
    const key = (s: string, p: string, o: string) => `${s} ${p} ${o}`;
    const reified = new Set(
      [...statements]
        .filter((s) => evidenced.has(s))
        .map((s) =>
          key(
            objects(ntriples, s, `${RDF}subject`)[0]!.value,
            objects(ntriples, s, `${RDF}predicate`)[0]!.value,
            objects(ntriples, s, `${RDF}object`)[0]!.id,
          ),
        ),
    );
    expect(facts.length).toBeGreaterThan(500);
    expect(
      facts
        .filter((q) => !reified.has(key(q.subject.value, q.predicate.value, q.object.id)))
        .map(line),
    ).toEqual([]);
  });

  it("expand with jsonld: the @context maps the terms to schema.org and the own vocabulary", async () => {
    const document = (await (await fetch(`${server.url}/graph.jsonld`)).json()) as Record<
      string,
      unknown
    >;
    const expanded = (await jsonld.expand(document)) as Record<string, unknown>[];
    const szabo = expanded.find((n) => n["@id"] === SZABO)!;
    expect(szabo["@type"]).toEqual([`${SCHEMA}Person`]);
    expect(szabo[`${SCHEMA}nationality`]).toEqual([{ "@id": E("state/hungary") }]);
    const tenure = expanded.find((n) => n["@id"] === SZABO_TENURE)!;
    expect(tenure[`${KZ}when`]).toEqual([{ "@value": "2016-02-09/..", "@type": EDTF }]);
  });

  it("answer a revalidation with 304, HEAD without a body, and refuse writes with 405", async () => {
    const etag = responses.nt.headers.get("etag")!;
    const again = await fetch(`${server.url}/graph.nt`, { headers: { "if-none-match": etag } });
    expect(again.status).toBe(304);
    // a strong tag names one representation: the N-Triples' is not the JSON-LD's, nor the
    // reverse (the two had one tag, and either's got a 304 from the other: red team 50, F4)
    const jsonldTag = responses.jsonld.headers.get("etag")!;
    expect(jsonldTag).not.toBe(etag);
    const other = await fetch(`${server.url}/graph.jsonld`, { headers: { "if-none-match": etag } });
    expect(other.status).toBe(200);
    await other.arrayBuffer();
    expect(
      (await fetch(`${server.url}/graph.nt`, { headers: { "if-none-match": jsonldTag } })).status,
    ).toBe(200);
    expect(
      (await fetch(`${server.url}/graph.jsonld`, { headers: { "if-none-match": jsonldTag } }))
        .status,
    ).toBe(304);
    const head = await fetch(`${server.url}/graph.jsonld`, { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(Number(head.headers.get("content-length"))).toBeGreaterThan(1000);
    expect(await head.text()).toBe("");
    for (const path of ["/graph.nt", "/graph.jsonld"]) {
      for (const method of ["POST", "PUT", "DELETE", "PATCH"]) {
        const refused = await fetch(`${server.url}${path}`, { method, body: "x".repeat(10_000) });
        expect(refused.status, `${method} ${path}`).toBe(405);
        expect(refused.headers.get("allow")).toBe("GET, HEAD, OPTIONS");
        expect(refused.headers.get("content-type")).toBe("application/json; charset=utf-8");
        expect(await refused.json()).toEqual({
          errors: [
            {
              message: `${path} answers GET and HEAD only, not ${method}: it is the whole graph, read-only.`,
              extensions: { code: "METHOD_NOT_ALLOWED" },
            },
          ],
        });
      }
    }
    // and the server answers the next request as before
    expect(
      (await fetch(`${server.url}/graph.nt`, { headers: { "if-none-match": etag } })).status,
    ).toBe(304);
  });
});

/** A GET through node:http: the bytes as sent, not decoded as fetch would. */
function raw(
  path: string,
  headers: Record<string, string> = {},
  method = "GET",
): Promise<{
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}> {
  return new Promise((resolve, reject) => {
    const req = request(`${server.url}${path}`, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () =>
        resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }),
      );
    });
    req.on("error", reject);
    req.end();
  });
}

describe("the RDF exports over HTTP caches", () => {
  it("are compressed with brotli or gzip as accepted, each coding with its own ETag, the same Cache-Control as a GraphQL GET and Vary: Accept-Encoding", async () => {
    for (const path of ["/graph.nt", "/graph.jsonld"]) {
      const plain = await raw(path);
      const br = await raw(path, { "accept-encoding": "gzip, deflate, br" });
      const gz = await raw(path, { "accept-encoding": "gzip" });
      expect(plain.headers["content-encoding"]).toBeUndefined();
      expect(br.headers["content-encoding"]).toBe("br");
      expect(gz.headers["content-encoding"]).toBe("gzip");
      // (Buffer.equals: vitest's toEqual compares half a megabyte byte by byte, for seconds)
      expect(brotliDecompressSync(br.body).equals(plain.body)).toBe(true);
      expect(gunzipSync(gz.body).equals(plain.body)).toBe(true);
      expect(br.body.length).toBeLessThan(plain.body.length / 5);
      expect(Number(br.headers["content-length"])).toBe(br.body.length);
      expect(Number(plain.headers["content-length"])).toBe(plain.body.length);
      const tag = plain.headers.etag as string;
      expect(tag).toMatch(/^"[0-9a-f]{32}"$/);
      expect(br.headers.etag).toBe(`${tag.slice(0, -1)}-br"`);
      expect(gz.headers.etag).toBe(`${tag.slice(0, -1)}-gzip"`);
      for (const answer of [plain, br, gz]) {
        expect(answer.headers["cache-control"]).toBe(
          "public, max-age=60, stale-while-revalidate=300",
        );
        // not Origin: under CORS `*` (the default) every origin gets the same answer (cors.ts)
        expect(answer.headers.vary).toBe("Accept-Encoding");
      }
    }
  });

  it("carry in their ETag what runs the code, as a GraphQL answer's does: the same data on another Node, ICU or package install has another tag", async () => {
    // (an export's tag named src/graph's code alone: another Node, its zlib and ICU, or another
    // `npm ci` changed its bytes under the same strong tag, and a cache's old copy was kept by a 304)
    const plain = await raw("/graph.nt");
    const graphVersion = plain.headers["x-graph-version"] as string;
    expect(graphVersion).toMatch(/^sha256:/);
    expect(plain.headers.etag).toBe(exportTagOf(graphVersion, "ntriples", answersCodeOf()));
    /** The exports' tag of the same data and code, run by `runtime`. */
    const tagUnder = (runtime: Runtime) =>
      exportTagOf(
        graphVersion,
        "ntriples",
        answersCodeIn(OWN_SRC, listsCodeIn(OWN_SRC, codeOf(), runtime), runtime),
      );
    const runtime: Runtime = {
      node: "20.19.0",
      icu: "77.1",
      unicode: "16.0",
      cldr: "47.0",
      zlib: "1.3.0.1-motley",
      brotli: "1.1.0",
      packages: ["graphql-yoga@5.24.1", "graphql@16.15.0"],
    };
    const base = tagUnder(runtime);
    expect(tagUnder(structuredClone(runtime))).toBe(base);
    for (const other of [
      { ...runtime, node: "20.19.1" },
      { ...runtime, icu: "77.2" },
      { ...runtime, unicode: "16.1" },
      { ...runtime, cldr: "47.1" },
      { ...runtime, zlib: "1.3.1" },
      { ...runtime, brotli: "1.1.1" },
      { ...runtime, packages: ["graphql-yoga@5.24.2", "graphql@16.15.0"] },
    ])
      expect(tagUnder(other), JSON.stringify(other)).not.toBe(base);
  });

  it("carry the CORS headers a /graphql answer has on 200, HEAD and 304 with CORS on, and Vary: Origin where origins are listed; neither with it off", async () => {
    // a shared cache keyed by URL and Accept-Encoding gave one origin's answer, and with it the
    // CORS headers made for that origin, to another; and a page of another origin could read an
    // export's 503 EXPORTS_BUSY, sent with them, but not the export (sent with none)
    const listed = await startServer(undefined, { cors: ["https://a.example"] });
    const off = await startServer(undefined, { cors: "none" });
    try {
      const corsOf = (headers: Record<string, unknown>) =>
        Object.fromEntries(
          Object.entries(headers).filter(([name]) => name.startsWith("access-control-")),
        );
      for (const [at, origin, vary] of [
        // under `*` the same for every origin: nothing to keep apart
        [server, "https://b.example", "Accept-Encoding"],
        [listed, "https://a.example", "Origin, Accept-Encoding"],
        [listed, "https://b.example", "Origin, Accept-Encoding"],
      ] as const) {
        const asked = { origin, "accept-encoding": "br" };
        const graphql = await rawRequest(at, "/graphql?query=%7B__typename%7D", {
          headers: asked,
        });
        const expected = corsOf(graphql.headers);
        expect(Object.keys(expected).length, origin).toBeGreaterThan(0);
        for (const path of ["/graph.nt", "/graph.jsonld"]) {
          const got = await rawRequest(at, path, { headers: asked });
          const head = await rawRequest(at, path, { method: "HEAD", headers: asked });
          const revalidated = await rawRequest(at, path, {
            headers: { ...asked, "if-none-match": got.headers.etag as string },
          });
          expect(revalidated.status).toBe(304);
          for (const answer of [got, head, revalidated]) {
            // but the methods: an export's, not /graphql's (the next test)
            expect(corsOf(answer.headers), `${path} ${origin} ${answer.status}`).toEqual({
              ...expected,
              "access-control-allow-methods": "GET, HEAD",
            });
            expect(answer.headers.vary).toBe(vary);
          }
        }
      }
      const got = await rawRequest(off, "/graph.nt", {
        headers: { origin: "https://a.example", "accept-encoding": "br" },
      });
      expect(corsOf(got.headers)).toEqual({});
      expect(got.headers.vary).toBe("Accept-Encoding");
    } finally {
      await Promise.all([listed.close(), off.close()]);
    }
  });

  it("are refused before routing with their own methods in CORS, not /graphql's", async () => {
    // (a refusal made before a request reaches its route: load shedding's, the connection cap's
    // and the request target's checks; said /graphql's GET, POST for an export, review of 6 Dec)
    const listed = await startServer(undefined, { cors: ["https://a.example"] });
    try {
      const refused = (path: string) =>
        rawRequest(listed, path, { headers: { origin: "https://a.example", expect: "x-odd" } });
      for (const path of ["/graph.nt", "/graph.jsonld"]) {
        const answer = await refused(path);
        expect(answer.status, path).toBe(417);
        expect(answer.headers["access-control-allow-origin"], path).toBe("https://a.example");
        expect(answer.headers["access-control-allow-methods"], path).toBe("GET, HEAD");
      }
      const graphql = await refused("/graphql");
      expect(graphql.status).toBe(417);
      expect(graphql.headers["access-control-allow-methods"]).toBe("GET, POST");
    } finally {
      await listed.close();
    }
  });

  it("answer a CORS preflight as /graphql does (the same origins, exposed headers and max-age), for GET and HEAD with If-None-Match and X-Request-Id; 405 with CORS off", async () => {
    // a page's fetch of an export with If-None-Match (not a safelisted header) is preceded by
    // this OPTIONS: answered 405, the browser refused the fetch as a network error, though the
    // export's own answers were readable cross-origin (f8c47be)
    const listed = await startServer(undefined, {
      cors: ["https://a.example", "https://c.example"],
    });
    const off = await startServer(undefined, { cors: "none" });
    try {
      const preflight = (at: TestServer, path: string, origin: string, method = "GET") =>
        rawRequest(at, path, {
          method: "OPTIONS",
          headers: {
            origin,
            "access-control-request-method": method,
            "access-control-request-headers": "if-none-match, x-request-id",
          },
        });
      for (const [at, origin, told] of [
        // any origin: `*`, whatever the page's
        [server, "https://b.example", "*"],
        [listed, "https://a.example", "https://a.example"],
        [listed, "https://c.example", "https://c.example"],
        // the origins /graphql allows, no other: an unlisted one is told the first listed, not
        // `null`, which an opaque origin's page would match
        [listed, "https://b.example", "https://a.example"],
        // a page of an opaque origin (a sandboxed iframe): `null` would be its own (review 11)
        [listed, "null", "https://a.example"],
      ] as const) {
        const graphql = await preflight(at, "/graphql", origin);
        expect(graphql.status).toBe(204);
        for (const path of ["/graph.nt", "/graph.jsonld"]) {
          const answer = await preflight(at, path, origin);
          const where = `${path} from ${origin}`;
          expect(answer.status, where).toBe(204);
          expect(answer.headers["content-length"], where).toBe("0");
          expect(answer.headers["cache-control"], where).toBe("no-store");
          expect(answer.headers["access-control-allow-origin"], where).toBe(told);
          expect(graphql.headers["access-control-allow-origin"], where).toBe(
            answer.headers["access-control-allow-origin"],
          );
          for (const name of ["access-control-expose-headers", "access-control-max-age"])
            expect(answer.headers[name], `${where} ${name}`).toBe(graphql.headers[name]);
          expect(answer.headers["access-control-allow-credentials"], where).toBeUndefined();
          // what an export answers, not /graphql's GET, POST, nor whatever the page asks for
          expect(answer.headers["access-control-allow-methods"], where).toBe("GET, HEAD");
          expect(answer.headers["access-control-allow-headers"], where).toBe(
            "if-none-match, x-request-id",
          );
          // (the headers it allows are named, not echoed: nothing else to vary on under `*`)
          expect(answer.headers.vary, where).toBe(at === server ? undefined : "Origin");
          // a preflight for a method or header the export does not take is answered the same,
          // and the browser refuses the fetch by it
          const put = await rawRequest(at, path, {
            method: "OPTIONS",
            headers: {
              origin,
              "access-control-request-method": "PUT",
              "access-control-request-headers": "x-evil",
            },
          });
          expect(put.status, where).toBe(204);
          expect(put.headers["access-control-allow-methods"], where).toBe("GET, HEAD");
          expect(put.headers["access-control-allow-headers"], where).toBe(
            "if-none-match, x-request-id",
          );
          // the fetch the preflight was for
          const got = await rawRequest(at, path, { headers: { origin, "x-request-id": "page-1" } });
          expect(got.status, where).toBe(200);
          expect(got.headers["x-request-id"], where).toBe("page-1");
          const again = await rawRequest(at, path, {
            headers: { origin, "if-none-match": got.headers.etag as string },
          });
          expect(again.status, where).toBe(304);
          expect(again.headers["access-control-allow-origin"], where).toBe(
            answer.headers["access-control-allow-origin"],
          );
        }
      }
      // an OPTIONS that is no preflight (no Origin): 204 without CORS headers under a list, as
      // /graphql's; under `*` with the same as a preflight's from any origin
      const plain = await rawRequest(listed, "/graph.nt", { method: "OPTIONS" });
      expect(plain.status).toBe(204);
      expect(plain.headers.allow).toBe("GET, HEAD, OPTIONS");
      expect(
        Object.keys(plain.headers).filter((name) => name.startsWith("access-control-")),
      ).toEqual([]);
      const any = await rawRequest(server, "/graph.nt", { method: "OPTIONS" });
      const asked = await preflight(server, "/graph.nt", "https://b.example");
      expect(any.status).toBe(204);
      expect(any.headers["access-control-allow-origin"]).toBe("*");
      for (const name of Object.keys(asked.headers).filter((n) => n.startsWith("access-control-")))
        expect(any.headers[name], name).toBe(asked.headers[name]);
      // CORS off: refused as /graphql refuses it, in the exports' words
      for (const path of ["/graphql", "/graph.nt", "/graph.jsonld"]) {
        const answer = await preflight(off, path, "https://a.example");
        expect(answer.status, path).toBe(405);
        expect(JSON.parse(answer.body.toString()).errors[0].extensions.code, path).toBe(
          "METHOD_NOT_ALLOWED",
        );
        expect(answer.headers["access-control-allow-origin"], path).toBeUndefined();
      }
    } finally {
      await Promise.all([listed.close(), off.close()]);
    }
  });

  it("say in Allow every method they answer, OPTIONS while CORS is on, as /graphql does, and allow a page GET and HEAD alone", async () => {
    // with CORS on an OPTIONS is answered 204, and the 405's `Allow: GET, HEAD` (/graphql's
    // `GET, HEAD, POST`) left it out; the exports' own answers said /graphql's
    // `Access-Control-Allow-Methods: GET, POST`, though an export takes no POST
    const off = await startServer(undefined, { cors: "none" });
    try {
      const methods = ["GET", "HEAD", "POST", "OPTIONS", "PUT", "DELETE", "PATCH"];
      for (const [at, cors] of [
        [server, "on"],
        [off, "off"],
      ] as const) {
        for (const path of ["/graph.nt", "/graph.jsonld", "/graphql"]) {
          const refused = await rawRequest(at, path, { method: "PUT", body: "x" });
          const where = `${path}, CORS ${cors}`;
          expect(refused.status, where).toBe(405);
          const allow = String(refused.headers.allow).split(", ");
          expect(allow, where).toEqual([
            "GET",
            "HEAD",
            ...(path === "/graphql" ? ["POST"] : []),
            ...(cors === "on" ? ["OPTIONS"] : []),
          ]);
          // each method is refused 405 if and only if Allow leaves it out (a GET or POST to
          // /graphql with no query is a 400, an answer)
          for (const method of methods) {
            const answer = await rawRequest(at, path, { method });
            expect(answer.status === 405, `${method} ${where}: ${answer.status}`).toBe(
              !allow.includes(method),
            );
          }
        }
      }
      // a page's plain GET of an export, a 304 and a 405 name what an export answers
      const got = await rawRequest(server, "/graph.nt", {
        headers: { origin: "https://a.example" },
      });
      expect(got.status).toBe(200);
      const again = await rawRequest(server, "/graph.nt", {
        headers: { origin: "https://a.example", "if-none-match": String(got.headers.etag) },
      });
      expect(again.status).toBe(304);
      const put = await rawRequest(server, "/graph.nt", {
        method: "PUT",
        headers: { origin: "https://a.example" },
      });
      for (const answer of [got, again, put])
        expect(answer.headers["access-control-allow-methods"], String(answer.status)).toBe(
          "GET, HEAD",
        );
      // /graphql's are its own
      const graphql = await rawRequest(server, "/graphql?query=%7B__typename%7D", {
        headers: { origin: "https://a.example" },
      });
      expect(graphql.headers["access-control-allow-methods"]).toBe("GET, POST");
    } finally {
      await off.close();
    }
  });

  it("answer 304 to a cache revalidating any coding it holds, with that coding's ETag", async () => {
    const br = await raw("/graph.nt", { "accept-encoding": "br" });
    const again = await raw("/graph.nt", {
      "accept-encoding": "br",
      "if-none-match": br.headers.etag as string,
    });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);
    expect(again.headers.etag).toBe(br.headers.etag);
    expect(
      (await raw("/graph.nt", { "if-none-match": `W/${br.headers.etag as string}` })).status,
    ).toBe(304);
    expect((await raw("/graph.nt", { "if-none-match": '"something-else"' })).status).toBe(200);
    // `*`: the ETag its 200 would have, in the coding this client would get (RFC 9110 15.4.5);
    // it was the plain export's whatever the coding
    const plain = await raw("/graph.nt");
    for (const [encoding, held] of [
      [undefined, plain],
      ["br", br],
      ["gzip", await raw("/graph.nt", { "accept-encoding": "gzip" })],
    ] as const) {
      const any = await raw("/graph.nt", {
        "if-none-match": "*",
        ...(encoding ? { "accept-encoding": encoding } : {}),
      });
      expect(any.status, encoding).toBe(304);
      expect(any.headers.etag, encoding).toBe(held.headers.etag);
    }
  });

  it("are compressed once per graph and coding, not once per request, and HEAD gives the compressed length", async () => {
    const first = await raw("/graph.jsonld", { "accept-encoding": "gzip" });
    const before = compressionCount();
    for (let i = 0; i < 3; i++)
      expect(
        (await raw("/graph.jsonld", { "accept-encoding": "gzip" })).body.equals(first.body),
      ).toBe(true);
    const head = await raw("/graph.jsonld", { "accept-encoding": "gzip" }, "HEAD");
    expect(head.body.length).toBe(0);
    expect(Number(head.headers["content-length"])).toBe(first.body.length);
    expect(compressionCount()).toBe(before);
  });
});
