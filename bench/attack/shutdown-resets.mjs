/**
 * `ROOT=DIR node bench/attack/shutdown-resets.mjs DATA_DIR|- [server args...]` (red team 44, F2;
 * env CLIENTS, 8, and TERM_AFTER_MS, 2000; ROOT, the tree whose server runs, default /work/main):
 * SIGTERM while clients each open a connection per request (`GET /graphql?query={__typename}`,
 * `Connection: close`), once /ready says 200; classifies every connection (answered, refused at
 * connect, reset with its request sent) and prints the server's stop lines. With `--workers 2`,
 * each worker stopped listening at its own signal while the primary went on accepting: 1-8 reset
 * in every stop.
 */
import { spawn } from "node:child_process";
import { connect } from "node:net";

const [data, ...args] = process.argv.slice(2);
const clients = Number(process.env.CLIENTS ?? 8),
  termAfter = Number(process.env.TERM_AFTER_MS ?? 2000);
const child = spawn(
  "node",
  [
    "--import",
    "./src/server/inspector-signal.mjs",
    "--import",
    "tsx",
    "src/server/main.ts",
    ...(data === "-" ? [] : ["--data", data]),
    "--port",
    "0",
    ...args,
  ],
  { cwd: process.env.ROOT ?? "/work/main", stdio: ["ignore", "pipe", "pipe"] },
);
let out = "";
child.stdout.on("data", (d) => (out += d));
child.stderr.on("data", (d) => (out += d));
let exit;
child.on("exit", (code, signal) => (exit = { code, signal }));
while (!/127\.0\.0\.1:(\d+)/.test(out)) {
  if (exit) {
    console.log(out);
    process.exit(1);
  }
  await new Promise((r) => setTimeout(r, 10));
}
const port = Number(out.match(/127\.0\.0\.1:(\d+)/)[1]);
const once = () =>
  new Promise((resolve) => {
    const s = connect(port, "127.0.0.1");
    let connected = false,
      sentAt = 0,
      bytes = "",
      done = false;
    const fin = (kind) => {
      if (done) return;
      done = true;
      s.destroy();
      resolve({ kind, connected, sent: sentAt > 0, bytes });
    };
    s.on("connect", () => {
      connected = true;
      s.write(
        "GET /graphql?query=%7B__typename%7D HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
        () => (sentAt = performance.now()),
      );
    });
    s.on("data", (d) => (bytes += d));
    s.on("end", () =>
      fin(
        /^HTTP\/1\.1 200[\s\S]*__typename/.test(bytes)
          ? "ok"
          : "closed-" + (bytes.slice(9, 12) || "nothing"),
      ),
    );
    s.on("error", (e) => fin(e.code));
    setTimeout(() => fin("timeout"), 15000);
  });
// wait ready (warm-up over)
for (;;) {
  const r = await new Promise((res) => {
    const s = connect(port, "127.0.0.1");
    let b = "";
    s.on("connect", () => s.write("GET /ready HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
    s.on("data", (d) => (b += d));
    s.on("end", () => res(b));
    s.on("error", () => res(""));
  });
  if (/ 200 /.test(r.split("\r\n")[0])) break;
  await new Promise((r) => setTimeout(r, 100));
}
const counts = {};
const resets = [];
let stop = false,
  termAt = 0;
const loops = Array.from({ length: clients }, async () => {
  while (!stop) {
    const r = await once();
    const after = termAt ? "after" : "before";
    const key = `${after}:${r.kind}`;
    counts[key] = (counts[key] ?? 0) + 1;
    if (r.kind === "ECONNRESET" || r.kind.startsWith("closed") || r.kind === "timeout")
      resets.push({ ...r, after, ms: termAt ? performance.now() - termAt : 0 });
    if (r.kind === "ECONNREFUSED") await new Promise((x) => setTimeout(x, 5));
  }
});
await new Promise((r) => setTimeout(r, termAfter));
termAt = performance.now();
child.kill("SIGTERM");
while (!exit) await new Promise((r) => setTimeout(r, 5));
const exitMs = performance.now() - termAt;
await new Promise((r) => setTimeout(r, 200));
stop = true;
await Promise.all(loops);
console.log(
  `exit ${JSON.stringify(exit)} ${exitMs.toFixed(0)} ms after SIGTERM; ${JSON.stringify(counts)}`,
);
for (const r of resets)
  console.log(
    `  ${r.after} +${r.ms.toFixed(0)}ms ${r.kind} connected=${r.connected} requestSent=${r.sent} bytesRead=${r.bytes.length}`,
  );
console.log(
  out
    .split("\n")
    .filter((l) => /shutting|no longer|stopped|stranded|warn|error/.test(l))
    .map((l) => "  log " + l.slice(0, 220))
    .join("\n"),
);
