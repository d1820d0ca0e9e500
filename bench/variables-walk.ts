/**
 * What the walk of a request's raw variables costs (src/server/variables.ts, `checkVariables`),
 * run before graphql-js coerces them, on the shapes of body that cost it most per byte: one
 * object of many keys, a list of many empty objects, a list of many numbers, a list of nested
 * lists (each about 512 KiB of JSON, the largest body KZ_OSCE_MAX_BODY_BYTES allows). Prints the
 * median time of a walk, on the event loop. Red team 13 (F3) found the walk, which built a path
 * string for every value, half of a large body's parse time.
 *   node --import tsx bench/variables-walk.ts
 */
import { checkVariables } from "../src/server/variables.js";

const SIZE = 512 * 1024;
const bounds = { maxDepth: 20, maxListLength: 1_000_000 };
/** JSON of about SIZE bytes: `open`, items made by `item(i)` joined by commas, `close`. */
const filled = (open: string, item: (i: number) => string, close: string) => {
  const items: string[] = [];
  let length = open.length + close.length;
  for (let i = 0; length < SIZE; i++) {
    const one = item(i);
    items.push(one);
    length += one.length + 1;
  }
  return `${open}${items.join(",")}${close}`;
};
const shapes: Record<string, string> = {
  keys: filled('{"x":{', (i) => `"k${i}":0`, "}}"),
  objects: filled('{"x":[', () => "{}", "]}"),
  numbers: filled('{"x":[', () => "0", "]}"),
  "nested lists": filled('{"x":[', () => "[[]]", "]}"),
};
for (const [name, json] of Object.entries(shapes)) {
  const variables = JSON.parse(json);
  for (let i = 0; i < 10; i++) checkVariables(variables, bounds);
  const times: number[] = [];
  for (let i = 0; i < 21; i++) {
    const began = performance.now();
    checkVariables(variables, bounds);
    times.push(performance.now() - began);
  }
  const parse: number[] = [];
  for (let i = 0; i < 5; i++) {
    const began = performance.now();
    JSON.parse(json);
    parse.push(performance.now() - began);
  }
  console.log(
    `${name.padEnd(13)} ${(json.length / 1024).toFixed(0)} KiB: walk ${times.sort((a, b) => a - b)[10]!.toFixed(2)} ms (median of 21); JSON.parse ${parse.sort((a, b) => a - b)[2]!.toFixed(2)} ms`,
  );
}
