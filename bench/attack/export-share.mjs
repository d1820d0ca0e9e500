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

import { request } from "node:http";
import { connect } from "node:net";
import { serve } from "./serve.mjs";

const [root, data, bps = "250000", hold = "14"] = process.argv.slice(2);
const BPS = Number(bps);
const HOLD_MS = Number(hold) * 1000;
const { child, url, output } = await serve(root, data, "warn");
const { port } = new URL(url);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Red team 5's slow reader: plain /graph.nt on a raw connection, paused after each read for as long as BPS asks. */
function holder() {
  const state = { read: 0, closed: false, status: "", from: performance.now(), to: 0 };
  const socket = connect(Number(port), "127.0.0.1");
  socket.on("error", () => {});
  socket.on("close", () => {
    state.closed = true;
    state.to = performance.now();
  });
  socket.on("data", (d) => {
    if (!state.status) state.status = d.toString("latin1").split("\r\n")[0];
    state.read += d.length;
    socket.pause();
    setTimeout(() => socket.resume(), (d.length / BPS) * 1000);
  });
  socket.write("GET /graph.nt HTTP/1.1\r\nHost: x\r\nAccept-Encoding: identity\r\n\r\n");
  state.socket = socket;
  return state;
}

/** A brotli GET of /graph.nt from `localAddress`, read for at most `forMs`: its status and what it read. */
function newcomer(localAddress, forMs) {
  return new Promise((resolve, reject) => {
    const t = performance.now();
    const req = request(
      `${url}/graph.nt`,
      { agent: false, localAddress, headers: { "accept-encoding": "br" } },
      (res) => {
        let read = 0;
        let body = "";
        const done = (ended) => {
          clearTimeout(timer);
          req.destroy();
          const s = ((performance.now() - t) / 1000).toFixed(1);
          resolve({ status: res.statusCode, MB: +(read / 1e6).toFixed(1), s, ended, body });
        };
        const timer = setTimeout(() => done(false), forMs);
        res.on("data", (c) => {
          read += c.length;
          if (res.statusCode !== 200) body += c;
        });
        res.on("end", () => done(true));
        res.on("error", () => done(false));
      },
    );
    req.on("error", reject);
    req.end();
  });
}

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
    // its pace up to its close, or to now (a holder cut off reads on what the kernel held)
    const kibs = Math.round((h.read / 1024 / ((h.to || performance.now()) - h.from)) * 1000);
    console.log(
      `  holder ${i + 1}: ${h.status}, read ${(h.read / 1e6).toFixed(1)} MB (~${kibs} KiB/s), ${h.closed ? "cut off" : "still going"}`,
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
