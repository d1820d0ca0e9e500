import { parse, validate } from "graphql";
import { schema } from "./src/schema/index.js";
import { QueryGenerator } from "./tests/support/fuzz.js";
const pools = { keys: ["person/gyorgy-szabo", "state/kazakhstan"], ids: ["x"], names: ["astana"], cursors: ["abc"] };
const counts = new Map<string, number>();
let example = new Map<string, string>();
for (let i = 0; i < 1500; i++) {
  const { query } = new QueryGenerator(schema, pools, 20260101 + i).generate();
  for (const e of validate(schema, parse(query))) { const k = e.message.replace(/"[^"]*"/g, '"X"'); counts.set(k, (counts.get(k) ?? 0) + 1); if (!example.has(k)) example.set(k, e.message + " :: " + query.slice(0, 300)); }
}
for (const [k, n] of [...counts].sort((a, b) => b[1] - a[1])) console.log(n, example.get(k));
