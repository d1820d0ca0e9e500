/**
 * `node bench/attack/drip-bodies.mjs ROOT [SECONDS] [DRIPS,...]`: red team 5's slow-body attack
 * with a drip. A server on the built-in dataset at the default settings (run in ROOT: cap 1000
 * connections, request timeout 30 s, KZ_OSCE_MIN_BODY_RATE 240 bytes/s after 5 s) has DRIPS
 * connections (default 500,1000,1250) each POST a body announced as 100 bytes and send a byte of
 * it every 900 ms (each reopened as soon as the server closes it), while an honest client (a
 * keep-alive pool of 4 sockets, a small query every 300 ms on average) asks for SECONDS
 * (default 30) once the drips are in place. Each count is run twice: with the floor
 * (the default) and without it (KZ_OSCE_MIN_BODY_RATE=0, the server before the floor). Prints,
 * a line a round: the honest client's answers by status and code, the drips' answers (408
 * BODY_TOO_SLOW, or the request timeout's 408 BAD_REQUEST) and reconnections, and the server's
 * counters (bodies too slow, evictions, drops).
 */
import http from "node:http";
import net from "node:net";
import { sleep } from "./lib.mjs";
import { serve } from "./serve.mjs";

const [root, seconds = "30", counts = "500,1000,1250"] = process.argv.slice(2);
const SECONDS = Number(seconds);

/** The server's counters that say what happened to the connections. */
async function counters(url) {
  const text = await fetch(`${url}/metrics`)
    .then((r) => r.text())
    .catch(() => "");
  const read = (name) => Number((text.match(new RegExp(`^${name} (\\S+)`, "m")) ?? [])[1] ?? 0);
  return {
    tooSlow: read("kz_osce_http_bodies_too_slow_total"),
    evicted: read("kz_osce_http_connections_evicted_total"),
    dropped: read("kz_osce_http_connections_dropped_total"),
  };
}

/** DRIPS connections dripping a body, each reopened at its close; `stop()` ends them. */
function drips(url, count) {
  const { hostname, port } = new URL(url);
  const open = new Set();
  const answers = {};
  let reopened = 0;
  let stopped = false;
  const one = () => {
    if (stopped) return;
    const socket = net.connect(Number(port), hostname);
    open.add(socket);
    let timer;
    let text = "";
    socket.on("connect", () => {
      socket.write(
        "POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{",
      );
      timer = setInterval(() => socket.write(" "), 900);
    });
    socket.setEncoding("latin1").on("data", (chunk) => (text += chunk));
    socket.on("error", () => {});
    socket.on("close", () => {
      clearInterval(timer);
      open.delete(socket);
      if (stopped) return;
      const status = text.slice(9, 12);
      const code = (text.match(/"code":"([A-Z_]+)"/) ?? [])[1];
      const key = status ? `${status}${code ? ` ${code}` : ""}` : "closed unanswered";
      answers[key] = (answers[key] ?? 0) + 1;
      reopened++;
      setTimeout(one, 5);
    });
  };
  const started = (async () => {
    for (let i = 0; i < count; i++) {
      one();
      if (i % 50 === 49) await sleep(20);
    }
  })();
  return {
    started,
    stop: () => {
      stopped = true;
      for (const socket of open) socket.destroy();
      return { answers, reopened };
    },
  };
}

/** The honest client for SECONDS: its answers by status and code. */
async function honest(url) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });
  const answers = {};
  const count = (key) => (answers[key] = (answers[key] ?? 0) + 1);
  const body = JSON.stringify({ query: "{ persons(first: 2) { nodes { key } } }" });
  const ask = () =>
    new Promise((resolve) => {
      const req = http.request(
        `${url}/graphql`,
        {
          method: "POST",
          agent,
          headers: { "content-type": "application/json", "content-length": body.length },
        },
        (res) => {
          let text = "";
          res.on("data", (chunk) => (text += chunk));
          res.on("end", () => {
            const code = (text.match(/"code":"([A-Z_]+)"/) ?? [])[1];
            count(`${res.statusCode}${code ? ` ${code}` : ""}`);
            resolve();
          });
        },
      );
      req.on("error", (error) => {
        count(`ERR ${error.code ?? error.message}`);
        resolve();
      });
      req.end(body);
    });
  const t0 = Date.now();
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      while (Date.now() - t0 < SECONDS * 1000) {
        await ask();
        await sleep(300 * (0.5 + Math.random()));
      }
    }),
  );
  agent.destroy();
  return answers;
}

for (const count of counts.split(",").map(Number)) {
  for (const floor of [true, false]) {
    const env = process.env;
    process.env = { ...env, KZ_OSCE_MIN_BODY_RATE: floor ? "" : "0" };
    const { child, url, output } = await serve(root, undefined, "error");
    process.env = env;
    // a server that ends during the round says why (its errors, and how it exited)
    let exited;
    child.once("exit", (code, signal) => (exited = { code, signal }));
    const attack = drips(url, count);
    await attack.started;
    // the drips in place (each has sent its headers and a byte or two)
    await sleep(2000);
    const answers = await honest(url);
    const { answers: dripAnswers, reopened } = attack.stop();
    // read once the drips are gone: at the cap, /metrics gets its 503 like any newcomer
    await sleep(1000);
    const after = await counters(url);
    const ok = answers["200"] ?? 0;
    const total = Object.values(answers).reduce((a, b) => a + b, 0);
    console.log(
      JSON.stringify({
        drips: count,
        floor: floor ? "240 bytes/s after 5 s" : "off",
        seconds: SECONDS,
        honestAnswered: `${ok} of ${total}`,
        honest: answers,
        dripAnswers,
        dripsReopened: reopened,
        server: after,
        ...(exited ? { serverExited: exited, serverOutput: output().slice(-2000) } : {}),
      }),
    );
    if (!exited) {
      child.kill("SIGTERM");
      await new Promise((resolve) => child.once("exit", resolve));
    }
  }
}
