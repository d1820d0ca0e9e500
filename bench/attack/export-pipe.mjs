// node export-pipe.mjs URL MODE [BPS] [HOLD_S]
// MODE pipe: ONE connection from 127.0.0.1 pipelines two plain GET /graph.nt, read at BPS (default 300000 B/s)
// MODE addrs: two connections, from 127.0.0.3 and 127.0.0.4, one plain /graph.nt each at BPS
// After HOLD_S (default 14) a newcomer from 127.0.0.2 asks /graph.nt in brotli, read 20 s; then again at +30 s.
import { readFor, sleep, slowReader } from "./lib.mjs";

const [url, mode = "pipe", bps = "300000", hold = "14"] = process.argv.slice(2);
const BPS = Number(bps),
  { port } = new URL(url);
const holder = (localAddress, requests) =>
  slowReader({ port, localAddress, requests, bytesPerSecond: BPS });
const newcomer = (localAddress, forMs) =>
  readFor(new URL("/graph.nt", url), { localAddress, headers: { "accept-encoding": "br" }, forMs });
const held =
  mode === "pipe" ? [holder("127.0.0.1", 2)] : [holder("127.0.0.3", 1), holder("127.0.0.4", 1)];
await sleep(Number(hold) * 1000);
for (const round of [1, 2]) {
  const got = await newcomer("127.0.0.2", round === 1 ? 20000 : 5000);
  console.log(
    `t=${((performance.now() - held[0].from) / 1000).toFixed(0)}s newcomer from 127.0.0.2 -> ${got.status} ${got.MB} MB in ${got.s}s ${got.body.slice(0, 160).replace(/\s+/g, " ")}`,
  );
  for (const h of held)
    console.log(
      `  holder ${h.localAddress}: ${h.heads.join(" | ")} read ${(h.read / 1e6).toFixed(1)} MB (~${h.kibPerSecond()} KiB/s) ${h.closed ? "CUT" : "going"}`,
    );
  if (round === 1) await sleep(30000);
}
for (const h of held) h.socket.destroy();
