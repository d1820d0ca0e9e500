/**
 * What the burst benchmarks (burst-turns.mjs, long-answers.mjs) share: queries made distinct by a
 * comment (so that no cache answers them), posted and summed up as "status CODE", and a scenario
 * run beside a /health poller in a process of its own (burst-turns.mjs `--poll`: this process is
 * busy sending), which reports its longest and 99th percentile waits.
 */
import { fork } from "node:child_process";
import { fileURLToPath } from "node:url";

/** `k` aliases of `field` in one selection. */
export const aliases = (k, field) =>
  Array.from({ length: k }, (_, i) => `a${i}: ${field}`).join(" ");

/**
 * A client of the server at `url` for `queries` (by kind, each a function giving a selection):
 * `text(kind)`, a query of its own each time; `post(kind)`, its status ("200", "503
 * SERVER_OVERLOADED") and the answer's length.
 */
export function client(url, queries) {
  let unique = 0;
  const text = (kind) => `# ${process.pid}-${unique++}\nquery { ${queries[kind]()} }`;
  const post = async (kind) => {
    const res = await fetch(`${url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: text(kind) }),
    });
    const body = await res.text();
    const code = res.status === 200 ? "" : (/"code":"([A-Z_]+)"/.exec(body)?.[1] ?? "");
    return { status: `${res.status}${code && ` ${code}`}`, bytes: body.length };
  };
  return { text, post };
}

/**
 * Runs `work` (resolving to the answers' statuses, or answers with a `status`) while /health is
 * polled: the wall time, the poller's figures and the count of each status.
 */
export async function beside(url, work) {
  const poller = fork(fileURLToPath(new URL("./burst-turns.mjs", import.meta.url)), [
    "--poll",
    url,
  ]);
  await new Promise((r) => poller.once("message", r));
  await new Promise((r) => setTimeout(r, 100));
  const t = performance.now();
  const answers = await work();
  const wall = performance.now() - t;
  await new Promise((r) => setTimeout(r, 100));
  const health = await new Promise((r) => {
    poller.once("message", r);
    poller.send("stop");
  });
  const counts = {};
  for (const answer of answers) {
    const status = typeof answer === "string" ? answer : answer.status;
    counts[status] = (counts[status] ?? 0) + 1;
  }
  return { wall, health, counts, answers };
}
