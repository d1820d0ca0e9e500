/**
 * `node bench/attack/export-slots.mjs ROOT DATASET_DIR [HOLD_S]`: a server started as
 * `npm start -- --data DIR` (run in ROOT, KZ_OSCE_MAX_EXPORTS as set, default 2) has both export
 * slots taken by clients reading at a given pace, each on a connection of its own, for HOLD_S
 * seconds (default 12: more than the 10 s window the server judges a client's pace over), and
 * then two newcomers download the exports in brotli at once. Three rounds: clients that read a
 * byte every 5 s (the red team's attack, well within the 60 s stall limit), clients reading
 * 64 KiB/s (under the floor of 128 KiB/s), and clients reading 512 KiB/s (over it). Prints what
 * each newcomer got (status, bytes as sent, time), whether each slow client was cut off, and the
 * server's warnings.
 */
import { request } from "node:http";
import { sleep } from "./lib.mjs";
import { serve } from "./serve.mjs";

const [root, data, hold = "12"] = process.argv.slice(2);
const HOLD_MS = Number(hold) * 1000;
const { child, url, output } = await serve(root, data, "warn");

/**
 * A GET of `path` read at `bytesPerSecond` (a tenth of it every 100 ms; 0: one byte every 5 s)
 * from a paused response. `end()` stops its pace and reads on, up to 64 MB more: whether its
 * answer was cut off short (it closes incomplete once what the kernel held is read) or goes on
 * (it is then closed by the client).
 */
function slowClient(path, bytesPerSecond) {
  let read = 0;
  let timer;
  const ready = new Promise((resolve, reject) => {
    const req = request(`${url}${path}`, { agent: false }, (res) => {
      res.pause();
      res.on("error", () => {});
      const every = bytesPerSecond === 0 ? 5000 : 100;
      const size = bytesPerSecond === 0 ? 1 : bytesPerSecond / 10;
      timer = setInterval(() => {
        const chunk = res.read(Math.min(size, res.readableLength) || undefined);
        if (chunk) read += chunk.length;
      }, every);
      resolve({ req, res, status: res.statusCode });
    });
    req.on("error", reject);
    req.end();
  });
  return {
    ready,
    end: async () => {
      clearInterval(timer);
      const { req, res } = await ready;
      const paced = read;
      const cut = await new Promise((resolve) => {
        let more = 0;
        res.once("close", () => resolve(!res.complete));
        res.on("data", (c) => {
          more += c.length;
          if (more > 64e6) resolve(false);
        });
        res.resume();
      });
      req.destroy();
      return { paced, cut };
    },
  };
}

/** A whole download in brotli on a connection of its own: status (and code), bytes as sent, time. */
function download(path) {
  return new Promise((resolve) => {
    const t = performance.now();
    const req = request(
      `${url}${path}`,
      { headers: { "accept-encoding": "br" }, agent: false },
      (res) => {
        let bytes = 0;
        let body = "";
        res.on("data", (c) => {
          bytes += c.length;
          if (res.statusCode !== 200 && body.length < 4096) body += c;
        });
        res.on("end", () =>
          resolve({
            path,
            status: `${res.statusCode}${body ? ` ${/"code":"(\w+)"/.exec(body)?.[1] ?? ""}` : ""}`,
            bytes,
            seconds: ((performance.now() - t) / 1000).toFixed(2),
          }),
        );
      },
    );
    req.on("error", (e) => resolve({ path, status: `error ${e.code}` }));
    req.end();
  });
}

const rounds = [
  ["a byte every 5 s", 0],
  ["64 KiB/s", 64 * 1024],
  ["512 KiB/s", 512 * 1024],
];
try {
  for (const [pace, bytesPerSecond] of rounds) {
    const before = output().length;
    const slow = [
      slowClient("/graph.nt", bytesPerSecond),
      slowClient("/graph.jsonld", bytesPerSecond),
    ];
    const statuses = await Promise.all(slow.map(async (one) => (await one.ready).status));
    console.log(
      `## two clients reading ${pace}, plain (statuses ${statuses.join(", ")}), held ${HOLD_MS / 1000} s`,
    );
    await sleep(HOLD_MS);
    const newcomers = await Promise.all([download("/graph.nt"), download("/graph.jsonld")]);
    for (const n of newcomers)
      console.log(
        `  newcomer ${n.path} br -> ${n.status}, ${(n.bytes / 1e6).toFixed(1)} MB in ${n.seconds} s`,
      );
    for (const [i, one] of slow.entries()) {
      const { paced, cut } = await one.end();
      console.log(
        `  slow client ${i === 0 ? "/graph.nt" : "/graph.jsonld"}: read ${(paced / 1e6).toFixed(2)} MB at its pace, ${cut ? "cut off" : "not cut off"}`,
      );
    }
    const warnings = output()
      .slice(before)
      .split("\n")
      .filter((l) => l.includes('"warn"'));
    for (const line of warnings) console.log(`  server: ${line}`);
    await sleep(1000);
  }
} finally {
  child.kill("SIGTERM");
}
