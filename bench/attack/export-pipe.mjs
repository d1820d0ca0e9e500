// node export-pipe.mjs URL MODE [BPS] [HOLD_S]
// MODE pipe: ONE connection from 127.0.0.1 pipelines two plain GET /graph.nt, read at BPS (default 300000 B/s)
// MODE addrs: two connections, from 127.0.0.3 and 127.0.0.4, one plain /graph.nt each at BPS
// After HOLD_S (default 14) a newcomer from 127.0.0.2 asks /graph.nt in brotli, read 20 s; then again at +30 s.
import { request } from "node:http";
import { connect } from "node:net";

const [url, mode = "pipe", bps = "300000", hold = "14"] = process.argv.slice(2);
const BPS = Number(bps),
  { port } = new URL(url);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
function holder(localAddress, n) {
  const st = { read: 0, closed: false, heads: [], from: performance.now(), to: 0, localAddress };
  const s = connect({ port: Number(port), host: "127.0.0.1", localAddress });
  s.on("error", () => {});
  s.on("close", () => {
    st.closed = true;
    st.to = performance.now();
  });
  s.on("data", (d) => {
    const t = d.toString("latin1");
    const m = t.match(/HTTP\/1\.1 \d+[^\r]*/g);
    if (m) st.heads.push(...m);
    st.read += d.length;
    s.pause();
    setTimeout(() => s.resume(), (d.length / BPS) * 1000);
  });
  let req = "";
  for (let i = 0; i < n; i++)
    req += "GET /graph.nt HTTP/1.1\r\nHost: x\r\nAccept-Encoding: identity\r\n\r\n";
  s.write(req);
  st.socket = s;
  return st;
}
function newcomer(localAddress, forMs) {
  return new Promise((resolve, reject) => {
    const t = performance.now();
    const req = request(
      new URL("/graph.nt", url),
      { agent: false, localAddress, headers: { "accept-encoding": "br" } },
      (res) => {
        let read = 0,
          body = "";
        const done = (ended) => {
          clearTimeout(timer);
          req.destroy();
          resolve({
            status: res.statusCode,
            MB: +(read / 1e6).toFixed(1),
            s: ((performance.now() - t) / 1000).toFixed(1),
            ended,
            body: body.slice(0, 160),
          });
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
const held =
  mode === "pipe" ? [holder("127.0.0.1", 2)] : [holder("127.0.0.3", 1), holder("127.0.0.4", 1)];
await sleep(Number(hold) * 1000);
for (const round of [1, 2]) {
  const got = await newcomer("127.0.0.2", round === 1 ? 20000 : 5000);
  console.log(
    `t=${((performance.now() - held[0].from) / 1000).toFixed(0)}s newcomer from 127.0.0.2 -> ${got.status} ${got.MB} MB in ${got.s}s ${got.body.replace(/\s+/g, " ")}`,
  );
  for (const h of held)
    console.log(
      `  holder ${h.localAddress}: ${h.heads.join(" | ")} read ${(h.read / 1e6).toFixed(1)} MB (~${Math.round(h.read / 1024 / (((h.to || performance.now()) - h.from) / 1000))} KiB/s) ${h.closed ? "CUT" : "going"}`,
    );
  if (round === 1) await sleep(30000);
}
for (const h of held) h.socket.destroy();
