/**
 * What working out a request's client costs (src/server/share-client.ts): `shareClient` of the
 * connection's address, as it was asked once per execution and once per big compression, against
 * `clientOf` the connection, which works it out at its first request and remembers it. Addresses
 * as a server sees them: IPv4, IPv4 mapped into IPv6 (a dual-stack socket's) and IPv6; each
 * asked of 1,000 connections in turn, 100 times. Prints the median and worst of 30 rounds, in
 * µs a call.
 *   npx tsx bench/share-client.ts
 */
import { clientOf, shareClient } from "../src/server/share-client.js";
import { timeRuns } from "./harness.js";

const ADDRESSES = {
  IPv4: "192.0.2.7",
  "IPv4 mapped": "::ffff:192.0.2.7",
  IPv6: "2001:db8:85a3:8d3:1319:8a2e:370:7348",
};

/** µs per call of a run of 100,000 calls: the median and the worst of 30 runs. */
function time(run: () => unknown): { median: number; worst: number } {
  const { median, worst } = timeRuns(run, { warmup: 5, runs: 30 });
  return { median: (median * 1000) / 100_000, worst: (worst * 1000) / 100_000 };
}

let sink = 0;
for (const [name, address] of Object.entries(ADDRESSES)) {
  // a thousand connections of this kind, each its own string, as each socket's address is
  const sockets = Array.from({ length: 1000 }, (_, i) => ({
    remoteAddress: `${address.slice(0, -1)}${i % 10}`,
  }));
  const each = (ask: (socket: { remoteAddress: string }) => string) => () => {
    for (let round = 0; round < 100; round++)
      for (const socket of sockets) sink += ask(socket).length;
  };
  const shown = (label: string, { median, worst }: { median: number; worst: number }) =>
    `  ${label.padEnd(28)} median ${median.toFixed(3)} µs, worst ${worst.toFixed(3)} µs a call`;
  console.log(`${name} (${address}):`);
  console.log(shown("shareClient(remoteAddress)", time(each((s) => shareClient(s.remoteAddress)))));
  console.log(shown("clientOf(socket)", time(each((s) => clientOf(s)))));
}
if (sink === 0) console.log("(nothing asked)");
