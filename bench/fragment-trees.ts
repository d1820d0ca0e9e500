/**
 * `npx tsx bench/fragment-trees.ts [--rounds 10] [--root DIR]`: the longest turn of the server's
 * event loop for documents of fragments spread in fragments, which the cost walk (src/server/
 * cost.ts) expands into a tree: each fragment spreads the next under `previous` and `next`, so
 * that `levels` fragments make 2^levels places, in a kilobyte (red team 40's shape), beside a
 * small query. The server runs in this process with the built-in data, without its response
 * cache; the client (fetch) too. Each round changes the document (no cache answers it).
 * `--root` measures another checkout (a worktree of an earlier commit) with this script.
 */
import { fragmentTree } from "../tests/fixtures/page-documents.js";
import { printLongestTurnsAt, probeOptions } from "./probe-options.js";

const { rounds, root } = probeOptions(10);

// each fragment spreads the next under `previous` and `next`
const cases: Record<string, string> = {
  "13 levels (1 KB, 8,192 places)": fragmentTree(13),
  "10 levels (0.8 KB, 1,024 places)": fragmentTree(10),
  "9 levels (0.7 KB, 512 places)": fragmentTree(9),
  "(control: persons { nodes { name } })": "{ persons { nodes { name } } }",
};

await printLongestTurnsAt(root, cases, rounds);
