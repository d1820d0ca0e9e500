// kernel-trickle.mjs PORT N SECS [READ_EVERY_MS=10000] [BYTES=16384]: N connections ask for GraphiQL's page (9 MB, no
// coding) and take BYTES of it every READ_EVERY_MS (a trickle: ~1.6 KB/s), for SECS. Prints every 15 s how many are
// still open and the machine's TCP memory. The server cuts a connection that makes no progress for 60 s;
// does a trickle keep ~4 MB of kernel memory per connection held past it?

import { readFileSync } from "node:fs";
import { connect } from "node:net";

const [port, n = "20", secs = "80", every = "10000", bytes = "16384"] = process.argv.slice(2);
const mem = () => Number(/TCP: .* mem (\d+)/.exec(readFileSync("/proc/net/sockstat", "utf8"))[1]);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const before = mem();
let open = 0;
let read = 0;
const socks = [];
for (let i = 0; i < Number(n); i++) {
  const s = connect({ port: Number(port), host: "127.0.0.1", localAddress: "127.0.3.2" });
  s.on("error", () => {});
  s.on("connect", () => {
    open++;
    s.write(
      `GET /graphql HTTP/1.1\r\nHost: x\r\nAccept: text/html\r\nAccept-Encoding: identity\r\n\r\n`,
    );
    s.pause();
  });
  s.on("close", () => {
    open--;
  });
  socks.push(s);
}
const timer = setInterval(() => {
  for (const s of socks) {
    const d = s.read(Number(bytes));
    if (d) read += d.length;
  }
}, Number(every));
const t0 = Date.now();
while (Date.now() - t0 < Number(secs) * 1000) {
  await sleep(15000);
  console.log(
    `t+${((Date.now() - t0) / 1000).toFixed(0)}s: ${open} of ${n} open, ${(read / 1e6).toFixed(2)} MB read in all, TCP mem +${(((mem() - before) * 4096) / 1e6).toFixed(1)} MB`,
  );
}
clearInterval(timer);
for (const s of socks) s.destroy();
