/**
 * `npx tsx bench/echoed-names.ts [--rounds 7] [--root DIR]`: how many bytes the server answers,
 * and the CPU time of its thread, for requests whose validation errors name a long name the
 * document gives, up to 100 times (graphql-js names the operation in each unused variable's
 * error): one operation named with 90,000 characters beside 101 unused variables, a batch of ten
 * named with 9,000 each, and a GET named with 7,000 (review 30); beside the batch, the same
 * with short names and the 9,000 characters in a comment (what its 1,010 errors cost anyway).
 * Each round changes one letter of the names, so that no cache of Yoga's answers from an earlier
 * round. The server runs in this process with its defaults (100 KiB body, response cache off);
 * the client (fetch) too, and its CPU counts (V8's helper threads too). The longest turn of the
 * event loop while a request is answered (`monitorEventLoopDelay`) is what other requests wait. `--root` measures another checkout (a worktree of an earlier commit) with this
 * script, for a ratio from one run.
 */
import { cpuOf, msRange, probeOptions } from "./probe-options.js";

const { rounds, root } = probeOptions(7);

const { loadBuiltInGraph } = await import(`${root}/data/load.js`);
const { startServer } = await import(`${root}/tests/support/server.js`);

const server = await startServer(await loadBuiltInGraph(), {
  responseCache: false,
  logLevel: "silent",
});

const unused = Array.from({ length: 101 }, (_, i) => `$v${i}: Int`).join(", ");
const operation = (name: string) => `query ${name}(${unused}) { __typename }`;

/** Each case: the request for round `round` (its method, body or search). */
const cases: Record<string, (round: number) => { body?: string; search?: string }> = {
  "one operation, a name of 90,000 characters": (round) => ({
    body: JSON.stringify({ query: operation(`O${round}${"a".repeat(90_000)}`) }),
  }),
  "a batch of ten, names of 9,000 characters": (round) => ({
    body: JSON.stringify(
      Array.from({ length: 10 }, (_, i) => ({
        query: operation(`O${round}x${i}${"a".repeat(9_000)}`),
      })),
    ),
  }),
  "(the batch with short names, the 9,000 characters in a comment)": (round) => ({
    body: JSON.stringify(
      Array.from({ length: 10 }, (_, i) => ({
        query: `# ${"a".repeat(9_000)}\n${operation(`O${round}x${i}`)}`,
      })),
    ),
  }),
  "a GET, a name of 7,000 characters": (round) => ({
    search: new URLSearchParams({ query: operation(`O${round}${"a".repeat(7_000)}`) }).toString(),
  }),
};

console.log(
  `${root}, ${rounds} rounds each: bytes sent, bytes answered, CPU of the process, longest turn`,
);
try {
  for (const [name, make] of Object.entries(cases)) {
    const send = async (round: number) => {
      const { body, search } = make(round);
      const response = await fetch(search ? `${server.graphql}?${search}` : server.graphql, {
        method: body ? "POST" : "GET",
        headers: { "content-type": "application/json", accept: "application/json" },
        ...(body && { body }),
      });
      const text = await response.text();
      if (!text.includes("is never used")) throw new Error(`${name}: ${response.status}`);
      return { sent: (body ?? search)!.length, answered: Buffer.byteLength(text) };
    };
    // (warmed up first: the first requests of a case pay for compiling its path)
    for (let i = 0; i < 3; i++) await send(1000 + i);
    const cpu: number[] = [];
    const turn: number[] = [];
    let sizes = { sent: 0, answered: 0 };
    for (let i = 0; i < rounds; i++) {
      const figures = await cpuOf(() => send(i));
      cpu.push(figures.ms);
      turn.push(figures.turn);
      sizes = figures.value;
    }
    const kib = (bytes: number) => `${(bytes / 1024).toFixed(0)} KiB`;
    console.log(
      `${name}: ${kib(sizes.sent)} sent, ${kib(sizes.answered)} answered (${(sizes.answered / sizes.sent).toFixed(1)}x); CPU ${msRange(cpu)}; longest turn ${msRange(turn)}`,
    );
  }
} finally {
  await server.close();
}
