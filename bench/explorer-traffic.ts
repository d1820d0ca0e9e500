/**
 * `npm run bench:explorer-traffic [-- --visitors 3]`
 *
 * The explorer's traffic as HTTP caches see it: `visitors` visitors each load the explorer's
 * files and open every page of the built-in graph (browse, the timeline, the offices, every
 * entity's page, a search), each page asked for by GET with its trusted document's id, as the
 * explorer does, with `Accept-Encoding: gzip, deflate, br` as browsers send. Through the real
 * server (port 0), it counts
 * - the bytes of the answers and the bytes sent (compressed where the server compressed);
 * - the share of requests a shared cache (nginx, a CDN) would answer: requests whose answer is
 *   `public` and whose URL (and Vary headers) it has seen before, within max-age.
 */
import { request } from "node:http";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { loadBuiltInGraph } from "../data/load.js";
import { createApp, listen } from "../src/server/app.js";
import { loadTrustedDocuments } from "../src/server/trusted-documents.js";

const argv = process.argv.slice(2);
const visitorsAt = argv.indexOf("--visitors");
const visitors = visitorsAt < 0 ? 3 : Number(argv[visitorsAt + 1]);

const graph = await loadBuiltInGraph();
const app = createApp(graph, { logLevel: "silent", maxEventLoopDelayMs: 0 });
const { port } = await listen(app.server, 0, "127.0.0.1");
const documents = loadTrustedDocuments();
const idOf = (name: string) =>
  [...documents].find(([, text]) => new RegExp(`query ${name}\\b`).test(text))![0];

/** The pages a visitor opens: each a document id and its variables. */
const pages: [string, Record<string, unknown> | undefined][] = [
  [idOf("ExplorerBrowse"), undefined],
  [idOf("ExplorerSourcesUpdated"), undefined],
  [idOf("ExplorerTimeline"), {}],
  [idOf("ExplorerOfficesNames"), {}],
  [idOf("ExplorerOfficesTenures"), {}],
  [idOf("ExplorerSearch"), { query: "OSCE" }],
];
const PAGE: Record<string, string> = {
  state: "StatePage",
  office: "OfficePage",
  person: "PersonPage",
  post: "PostPage",
  tenure: "TenurePage",
  event: "EventPage",
  place: "PlacePage",
  dimension: "DimensionPage",
  priority: "PriorityPage",
  source: "SourcePage",
};
for (const [kind, name] of Object.entries(PAGE)) {
  for (const key of (graph.keys as Record<string, readonly string[]>)[kind] ?? [])
    pages.push([idOf(name), { key: key.includes("/") ? key.slice(key.indexOf("/") + 1) : key }]);
}
const files = ["/"];

function get(path: string): Promise<{
  status: number;
  headers: Record<string, string | string[] | undefined>;
  sent: number;
  plain: number;
}> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: "127.0.0.1",
        port,
        path,
        headers: {
          accept: "application/graphql-response+json, application/json",
          "accept-encoding": "gzip, deflate, br",
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const body = Buffer.concat(chunks);
          const coding = res.headers["content-encoding"];
          const plain =
            coding === "br"
              ? brotliDecompressSync(body).length
              : coding === "gzip"
                ? gunzipSync(body).length
                : body.length;
          resolve({ status: res.statusCode!, headers: res.headers, sent: body.length, plain });
        });
      },
    );
    req.on("error", reject);
    req.end();
  });
}

// the explorer's files: index.html names its scripts and styles
const html = await new Promise<string>((resolve) => {
  request({ host: "127.0.0.1", port, path: "/" }, (res) => {
    let text = "";
    res.setEncoding("utf8").on("data", (c: string) => (text += c));
    res.on("end", () => resolve(text));
  }).end();
});
files.push(...[...html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1]!));

const seen = new Set<string>();
let requests = 0;
let hits = 0;
const bytes = { api: { plain: 0, sent: 0 }, files: { plain: 0, sent: 0 } };
let errors = 0;
for (let visitor = 0; visitor < visitors; visitor++) {
  for (const file of files) {
    const answer = await get(file);
    requests++;
    if (seen.has(file) && /public/.test(String(answer.headers["cache-control"]))) hits++;
    seen.add(file);
    bytes.files.plain += answer.plain;
    bytes.files.sent += answer.sent;
  }
  for (const [id, variables] of pages) {
    const path = `/graphql?documentId=${encodeURIComponent(id)}${variables && Object.keys(variables).length ? `&variables=${encodeURIComponent(JSON.stringify(variables))}` : ""}`;
    const answer = await get(path);
    requests++;
    if (answer.status !== 200) errors++;
    if (seen.has(path) && /public/.test(String(answer.headers["cache-control"]))) hits++;
    seen.add(path);
    bytes.api.plain += answer.plain;
    bytes.api.sent += answer.sent;
  }
}
const kb = (n: number) => `${(n / 1024).toFixed(0)} KB`;
console.log(
  `explorer traffic: ${visitors} visitors, each loading ${files.length} files and ${pages.length} pages (${errors} answers other than 200)`,
);
console.log(
  `shared-cache hit ratio: ${hits} of ${requests} requests (${((100 * hits) / requests).toFixed(1)}%): every request after a URL's first, while fresh`,
);
console.log(
  `GraphQL answers: ${kb(bytes.api.plain)} → ${kb(bytes.api.sent)} sent (${(100 * (1 - bytes.api.sent / bytes.api.plain)).toFixed(0)}% saved)`,
);
console.log(
  `explorer files: ${kb(bytes.files.plain)} → ${kb(bytes.files.sent)} sent (${(100 * (1 - bytes.files.sent / bytes.files.plain)).toFixed(0)}% saved)`,
);
app.pressure.close();
app.server.close();
process.exit(0);
