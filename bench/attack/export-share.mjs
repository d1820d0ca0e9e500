/**
 * `node bench/attack/export-share.mjs ROOT DATASET_DIR [BYTES_PER_S] [HOLD_S]`: red team 5's
 * export-floor.mjs with the newcomer on an address of its own. A server started as
 * `npm start -- --data DIR` (run in ROOT, KZ_OSCE_MAX_EXPORTS as set, default 2) has both export
 * slots taken by one client address (127.0.0.1: two connections reading plain /graph.nt at
 * BYTES_PER_S each, default 250,000, just above the slow-reader floor of 128 KiB/s) for HOLD_S
 * seconds (default 14: more than the 10 s window); then a newcomer asks for /graph.nt in brotli,
 * from 127.0.0.2 (another client), and in a second round from 127.0.0.1 (the same address, as
 * every client is behind a proxy). Prints, per round, the newcomer's status and what it read in
 * 20 s, the pace each holder had read at and whether it was cut off, and the server's warnings.
 * (Linux: the whole of 127.0.0.0/8 reaches a server listening on 127.0.0.1.)
 */

import { readFor, sleep, slowReader } from "./lib.mjs";
import { serve } from "./serve.mjs";

const [root, data, bps = "250000", hold = "14"] = process.argv.slice(2);
const BPS = Number(bps);
const HOLD_MS = Number(hold) * 1000;
const { child, url, output } = await serve(root, data, "warn");
const { port } = new URL(url);

/** Red team 5's slow reader: plain /graph.nt on a raw connection, paused after each read for as long as BPS asks. */
const holder = () => slowReader({ port, bytesPerSecond: BPS });

/** A brotli GET of /graph.nt from `localAddress`, read for at most `forMs`: its status and what it read. */
const newcomer = (localAddress, forMs) =>
  readFor(`${url}/graph.nt`, { localAddress, headers: { "accept-encoding": "br" }, forMs });

async function round(from) {
  const before = output().length;
  const held = [holder(), holder()];
  await sleep(HOLD_MS);
  const got = await newcomer(from, 20_000);
  await sleep(1000);
  console.log(
    `## both slots held from 127.0.0.1 reading plain /graph.nt at ${BPS} B/s each for ${hold} s; newcomer from ${from}`,
  );
  const said = got.status === 200 ? "" : ` ${got.body.slice(0, 100)}`;
  console.log(
    `  newcomer /graph.nt br -> ${got.status}${said}, ${got.MB} MB in ${got.s} s${got.ended ? " (whole)" : " (still going at 20 s)"}`,
  );
  for (const [i, h] of held.entries()) {
    console.log(
      `  holder ${i + 1}: ${h.heads[0] ?? ""}, read ${(h.read / 1e6).toFixed(1)} MB (~${h.kibPerSecond()} KiB/s), ${h.closed ? "cut off" : "still going"}`,
    );
    h.socket.destroy();
  }
  for (const line of output().slice(before).split("\n"))
    if (line.includes("cut off an RDF export")) console.log(`  server: ${line}`);
  // the holders' slots are freed as their connections close
  await sleep(2000);
}

try {
  await round("127.0.0.2");
  await round("127.0.0.1");
} finally {
  child.kill();
}
