/**
 * `npx tsx bench/cold-allocations.ts [DOCS]` (default 6000): what a one-off document allocates in the
 * server, in KB per document, by the innermost file of src/ on the allocating stack, by package or
 * file, and by function. The app runs in this process (tests/support/server.ts) on the built-in
 * data; DOCS distinct documents (tests/support/mix.ts `coldDocuments`, the bench's cold scenario)
 * are POSTed over HTTP by 16 keep-alive clients, and V8's sampling heap profiler counts every
 * allocation, those collected since included (what the garbage collector's time goes on: a
 * profile of the cold scenario has 15% of its samples in it). The client's own allocations are
 * counted apart ("(client)").
 */

import { Agent, request } from "node:http";
import { Session } from "node:inspector/promises";
import { loadGraph } from "../data/load.js";
import { SearchIndex } from "../src/graph/search.js";
import { bodyOf, coldDocuments } from "../tests/support/mix.js";
import { startServer } from "../tests/support/server.js";

const n = Number(process.argv[2] ?? 6000);
const graph = await loadGraph(undefined);
const bodies = coldDocuments({ graph, search: SearchIndex.build(graph) }, n).map((d) =>
  bodyOf(d, {}),
);
const server = await startServer(graph, {});
const { port } = new URL(server.url);
const agent = new Agent({ keepAlive: true, maxSockets: 16 });
const post = (body: string) =>
  new Promise<number>((resolve, reject) => {
    const req = request(
      {
        agent,
        port,
        host: "127.0.0.1",
        method: "POST",
        path: "/graphql",
        headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body) },
      },
      (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode!));
      },
    );
    req.on("error", reject);
    req.end(body);
  });
const run = async (from: number, to: number) => {
  let i = from;
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (i < to) await post(bodies[i++]!);
    }),
  );
};
await run(0, 1000);
const session = new Session();
session.connect();
await session.post("HeapProfiler.startSampling", {
  samplingInterval: 1024,
  includeObjectsCollectedByMajorGC: true,
  includeObjectsCollectedByMinorGC: true,
} as never);
await run(1000, n);
const { profile } = (await session.post("HeapProfiler.stopSampling")) as {
  profile: { head: Node };
};
interface Node {
  callFrame: { functionName: string; url: string; lineNumber: number };
  selfSize: number;
  children: Node[];
}
const place = (url: string) => {
  const u = url.replace(/^file:\/\//, "");
  const nm = u.split("/node_modules/");
  if (nm.length > 1)
    return nm[nm.length - 1]!.split("/")
      .slice(0, nm[nm.length - 1]!.startsWith("@") ? 2 : 1)
      .join("/");
  const m = /\/(src\/[^/]+\/[^/]+|tests\/support\/[^/]+)$/.exec(u);
  return m ? m[1]! : u || "(native)";
};
const self = new Map<string, number>();
const byPlace = new Map<string, number>();
const ours = new Map<string, number>();
let total = 0;
const walk = (node: Node, stack: string[]) => {
  const p = place(node.callFrame.url);
  const name = `${node.callFrame.functionName || "(anon)"} ${p}`;
  const s = [...stack, p];
  if (node.selfSize) {
    total += node.selfSize;
    self.set(name, (self.get(name) ?? 0) + node.selfSize);
    byPlace.set(p, (byPlace.get(p) ?? 0) + node.selfSize);
    // the innermost frame of our own server code on the stack
    const own =
      [...s].reverse().find((x) => x.startsWith("src/")) ??
      (s.some((x) => x.includes("tests/support") || x.endsWith("bench/cold-allocations.ts"))
        ? "(client)"
        : "(other)");
    ours.set(own, (ours.get(own) ?? 0) + node.selfSize);
  }
  for (const c of node.children) walk(c, s);
};
walk(profile.head, []);
const per = (b: number) => `${(b / (n - 1000) / 1024).toFixed(1)} KB/doc`;
console.log("total", per(total));
const top = (m: Map<string, number>, k: number) =>
  [...m]
    .sort((a, b) => b[1] - a[1])
    .slice(0, k)
    .map(([a, b]) => `  ${per(b)}  ${a}`)
    .join("\n");
console.log("by innermost own file:\n" + top(ours, 25));
console.log("by package/file:\n" + top(byPlace, 20));
console.log("by function:\n" + top(self, 30));
await server.close();
agent.destroy();
