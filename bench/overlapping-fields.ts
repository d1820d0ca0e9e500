/**
 * `npx tsx bench/overlapping-fields.ts [--rounds 10] [--root DIR]`: the longest turn of the
 * server's event loop for documents that repeat the same fields, which graphql-js's
 * OverlappingFieldsCanBeMergedRule compares two by two (it gives up only past 500,000
 * comparisons; src/server/overlap-work.ts), beside a small query. The server runs in this process
 * with the built-in data, without its response cache; the client (fetch) too. Each round changes
 * the document (no cache answers it). `--root` measures another checkout (a worktree of an earlier
 * commit) with this script, for a ratio from one run.
 */
import { printLongestTurnsAt, probeOptions } from "./probe-options.js";

const { rounds, root } = probeOptions(10);

const repeated = (times: number, text: string) =>
  Array.from({ length: times }, () => text).join(" ");
const cases: Record<string, string> = {
  "480 times persons { totalCount } (10 KB)": `{ ${repeated(480, "persons { totalCount }")} }`,
  "190 times persons { nodes { name } } (5 KB)": `{ ${repeated(190, "persons { nodes { name } }")} }`,
  "30 times persons { 30 times totalCount } (9 KB)": `{ ${repeated(30, `persons { ${repeated(30, "totalCount")} }`)} }`,
  "20 times persons { 20 times totalCount } (4 KB)": `{ ${repeated(20, `persons { ${repeated(20, "totalCount")} }`)} }`,
  "ten fragments, each spread three times by the one before (1.1 KB; red team 40)": `{ office(key: "osce") { nameOn(date: "2010") { ...L0 } } } ${Array.from(
    { length: 10 },
    (_, i) =>
      i === 9
        ? "fragment L9 on OfficeName { name }"
        : `fragment L${i} on OfficeName { name previous { ...L${i + 1} } next { ...L${i + 1} } office { nameOn(date: "2010") { ...L${i + 1} } } }`,
  ).join(" ")}`,
  "(control: persons { nodes { name } })": "{ persons { nodes { name } } }",
};

await printLongestTurnsAt(root, cases, rounds);
