/**
 * What the document nesting scan (limits.ts overNestingLimit, red team 11's F5) costs every
 * document before it is parsed, beside graphql-js's parse of the same document with the token
 * limit at its highest (100,000): GraphiQL's introspection query (a realistic document), and
 * documents of about 100 KB (the default body limit) of fields with string arguments and comments
 * (what the scan skips character by character). Prints the median and the worst of 200 runs, in ms.
 *   npx tsx bench/document-nesting.ts
 */
import { getIntrospectionQuery, parse } from "graphql";
import { MAX_DOCUMENT_NESTING, overNestingLimit } from "../src/server/limits.js";
import { timeRuns } from "./harness.js";

const time = (run: () => unknown) => timeRuns(run);

/** `part` repeated inside `{ }` up to about 100 KB. */
const fill = (part: string) => `{ ${part.repeat(Math.floor(100_000 / part.length))} }`;

const documents: [string, string][] = [
  ["introspection query", getIntrospectionQuery()],
  [
    "100 KB of fields",
    fill('a1: state(key: "kazakhstan") { name tenures(first: 2) { totalCount } } '),
  ],
  [
    "100 KB of strings",
    fill(`a2: search(query: "${"Programme Office in Astana ".repeat(20)}") { totalCount } `),
  ],
  ["100 KB of comments", fill(`# ${"Programme Office in Astana ".repeat(20)}\n __typename `)],
];
const shown = (label: string, { median, worst }: { median: number; worst: number }) =>
  `  ${label.padEnd(20)} median ${median.toFixed(3)} ms, worst ${worst.toFixed(3)} ms`;
for (const [name, document] of documents) {
  console.log(`${name}, ${document.length} characters:`);
  console.log(
    shown(
      "overNestingLimit",
      time(() => overNestingLimit(document, MAX_DOCUMENT_NESTING)),
    ),
  );
  console.log(
    shown(
      "parse",
      time(() => parse(document, { maxTokens: 100_000 })),
    ),
  );
}
