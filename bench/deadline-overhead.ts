/**
 * `npx tsx bench/deadline-overhead.ts --base DIR [--rounds 5] [--requests 2000]`: what the
 * execution deadline's checkpoints and time slices cost hot queries. Runs the same hot queries
 * (lookups, short pages, filtered root lists, a search) in process, through Yoga, against this
 * checkout and a base checkout (e.g. `git worktree add /tmp/base main`, with node_modules linked
 * in), alternating rounds, and prints the median requests per second of each. No HTTP: only what
 * the executor and the graph do differs.
 */
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { median } from "./harness.js";

const args = process.argv.slice(2);
const option = (name: string, fallback?: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const base = option("base");
if (!base) throw new Error("--base DIR is required: a checkout to compare with");
const rounds = Number(option("rounds", "5"));
const requests = Number(option("requests", "2000"));

const HOT = [
  '{ person(key: "gyorgy-szabo") { key label nationality { key } } }',
  '{ office(key: "osce-programme-office-in-astana") { key label posts(first: 5) { nodes { key } } } }',
  "{ states(first: 10) { totalCount nodes { key label } } }",
  '{ persons(first: 5, filter: { anyName: { contains: "sz" } }) { totalCount nodes { key } } }',
  '{ events(first: 10, filter: { when: { overlaps: "2010" } }, orderBy: [{ field: DATE, direction: DESC }]) { totalCount nodes { key } } }',
  '{ search(query: "nazarbaev", first: 3) { totalCount nodes { entity { key } } } }',
  '{ timeline(first: 10, filter: { date: { overlaps: "2010" } }) { totalCount } }',
];

type Fetch = (url: string, init: RequestInit) => Promise<Response>;

async function appOf(checkout: string): Promise<Fetch> {
  const url = (path: string) => pathToFileURL(resolve(checkout, path)).href;
  // checkouts from before issue 16's layering loaded the built-in dataset from src/graph/load.ts
  const loader = existsSync(resolve(checkout, "data/load.ts"))
    ? "data/load.ts"
    : "src/graph/load.ts";
  const { loadBuiltInGraph } = (await import(url(loader))) as typeof import("../data/load.js");
  const { createApp } = (await import(
    url("src/server/app.ts")
  )) as typeof import("../src/server/app.js");
  const { yoga } = createApp(await loadBuiltInGraph(), {
    responseCache: false,
    logLevel: "silent",
    maxEventLoopDelayMs: 0,
  });
  return (u, init) => Promise.resolve(yoga.fetch(u, init));
}

async function round(fetch: Fetch): Promise<number> {
  const started = performance.now();
  for (let i = 0; i < requests; i++) {
    const response = await fetch("http://localhost/graphql", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: HOT[i % HOT.length] }),
    });
    const text = await response.text();
    if (response.status !== 200 || text.includes('"errors"'))
      throw new Error(`${HOT[i % HOT.length]}: ${response.status} ${text.slice(0, 300)}`);
  }
  return (requests / (performance.now() - started)) * 1000;
}

const apps = { base: await appOf(base), this: await appOf(resolve(import.meta.dirname, "..")) };
const rps: Record<keyof typeof apps, number[]> = { base: [], this: [] };
for (const name of ["base", "this"] as const) await round(apps[name]); // warm up
for (let r = 0; r < rounds; r++)
  for (const name of r % 2 ? (["this", "base"] as const) : (["base", "this"] as const))
    rps[name].push(await round(apps[name]));
for (const name of ["base", "this"] as const)
  console.log(
    `${name.padEnd(4)} median ${median(rps[name]).toFixed(0)} req/s (rounds: ${rps[name].map((x) => x.toFixed(0)).join(", ")})`,
  );
console.log(`this/base: ${(median(rps.this) / median(rps.base)).toFixed(3)}`);
