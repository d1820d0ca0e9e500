/**
 * What checking that a request body is UTF-8 costs (node:buffer `isUtf8`, simdutf in C++),
 * beside what the shortcut already does with every JSON body: the depth scan (body.ts
 * jsonTooDeep) and JSON.parse. Bodies of 1 MB (ten times the default body limit): JSON of ASCII
 * text, and JSON whose strings are Cyrillic and Kazakh (2 bytes a letter). Prints the median and
 * the worst of 200 runs of each, in ms. Then a form body of the same JSON, escaped as a browser
 * escapes it (the Cyrillic one: nearly every byte a `%XX`): its escapes decoded (body.ts
 * formBytes) and checked, beside URLSearchParams' reading of it.
 *   npx tsx bench/utf8-check.ts
 */
import { isUtf8 } from "node:buffer";
import { formBytes, jsonTooDeep, MAX_BODY_DEPTH } from "../src/server/body.js";
import { timeRuns } from "./harness.js";

const SIZE = 1024 * 1024;
/** A JSON body of about SIZE bytes: a query and one variable holding a list of `word`s. */
function body(word: string): Buffer {
  const words: string[] = [];
  let length = 0;
  while (length < SIZE) {
    words.push(word);
    length += Buffer.byteLength(word) + 3;
  }
  return Buffer.from(
    JSON.stringify({ query: "query($w: [String!]!) { __typename }", variables: { w: words } }),
  );
}

const time = (run: () => unknown) => timeRuns(run);

for (const [name, word] of [
  ["ASCII", "Programme Office in Astana"],
  ["Cyrillic and Kazakh", "Программный офис ОБСЕ в Астане, Қазақстан"],
] as const) {
  const bytes = body(word);
  const shown = (label: string, { median, worst }: { median: number; worst: number }) =>
    `  ${label.padEnd(22)} median ${median.toFixed(3)} ms, worst ${worst.toFixed(3)} ms`;
  console.log(`${name}, ${bytes.length} bytes:`);
  console.log(
    shown(
      "isUtf8",
      time(() => isUtf8(bytes)),
    ),
  );
  console.log(
    shown(
      "jsonTooDeep",
      time(() => jsonTooDeep(bytes, MAX_BODY_DEPTH)),
    ),
  );
  console.log(
    shown(
      "toString + JSON.parse",
      time(() => JSON.parse(bytes.toString("utf8"))),
    ),
  );
  const form = Buffer.from(`query=x&variables=${encodeURIComponent(bytes.toString("utf8"))}`);
  console.log(`  as a form, ${form.length} bytes:`);
  console.log(
    shown(
      "formBytes + isUtf8",
      time(() => isUtf8(formBytes(form))),
    ),
  );
  console.log(
    shown(
      "URLSearchParams",
      time(() => new URLSearchParams(form.toString("utf8")).get("variables")),
    ),
  );
}
