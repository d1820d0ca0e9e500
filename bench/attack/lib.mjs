/**
 * What the attack scripts' clients share (serve.mjs starts the server and polls /health;
 * queries.mjs has the burst scripts' queries and their poller in a process of its own): the
 * figures they print, the slow reader that holds an export, and the download a newcomer tries
 * beside it. Each was written again in the scripts that used it (duplicates, 5 December).
 */
import { request } from "node:http";
import { connect } from "node:net";

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** The value at rank `q` (0 to 1) of `sorted` (ascending), not interpolated; undefined when empty. */
export const quantile = (sorted, q) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];

/** The `p`th percentile of `values`, in any order (as `quantile`); 0 when none. */
export const percentile = (values, p) =>
  quantile(
    [...values].sort((a, b) => a - b),
    p / 100,
  ) ?? 0;

/** A wait in ms, as the scripts print it: one decimal. */
export const ms = (v) => `${v.toFixed(1)} ms`;

/**
 * Which refusal a 503's text is, by its message: `late` (refused as it was about to execute, for
 * it would run out of time), `shed` (refused before it was read: the queue held too much),
 * `waited-out` (its time passed while it waited for its first turn), `not-begun` (given up as
 * its turn came, or as it waited); "" for any other.
 */
const refusalKind = (text) =>
  /waiting to execute hold/.test(text)
    ? " late"
    : /queries it is executing wait/.test(text)
      ? " shed"
      : /waited for its turn to execute until/.test(text)
        ? " waited-out"
        : /it was not begun/.test(text)
          ? " not-begun"
          : "";

/**
 * The red teams' probe request: a POST of `body` to `path` (a GET without one) on 127.0.0.1:`port`,
 * through `agent` (false: a connection of its own) from `localAddress`. Resolves to `code`, how
 * it was answered ("200"; "200 CODE" for a GraphQL answer with errors; "503 CODE late" and the
 * other refusals of `refusalKind`; a socket error's code), and its time in `ms`.
 */
export const timedPost = (port, body, agent, localAddress, path = "/graphql") =>
  new Promise((resolve) => {
    const began = performance.now();
    const req = request(
      {
        host: "127.0.0.1",
        port: Number(port),
        path,
        method: body === undefined ? "GET" : "POST",
        agent,
        localAddress,
        headers: { "content-type": "application/json" },
      },
      (res) => {
        let text = "";
        res.setEncoding("utf8").on("data", (chunk) => (text += chunk));
        res.on("end", () => {
          const code =
            res.statusCode === 200
              ? /"errors"/.test(text) && path === "/graphql"
                ? `200 ${/"code":"([A-Z_]+)"/.exec(text)?.[1] ?? "err"}`
                : "200"
              : `${res.statusCode} ${/"code":"([A-Z_]+)"/.exec(text)?.[1] ?? ""}${refusalKind(text)}`;
          resolve({ code, ms: performance.now() - began });
        });
      },
    );
    req.on("error", (error) => resolve({ code: error.code, ms: performance.now() - began }));
    req.end(body);
  });

/** How many of `answers` (`timedPost`'s) were answered each way. */
export const tally = (answers) =>
  answers.reduce((counts, { code }) => ((counts[code] = (counts[code] ?? 0) + 1), counts), {});

/** The times of `answers` (`timedPost`'s): how many, median, 90th percentile and worst, in ms. */
export const timeStats = (answers) => {
  const times = answers.map((answer) => answer.ms).sort((a, b) => a - b);
  return `n=${times.length} med ${quantile(times, 0.5)?.toFixed(0)} p90 ${quantile(times, 0.9)?.toFixed(0)} worst ${times.at(-1)?.toFixed(0)}`;
};

/**
 * Red team 5's slow reader: `requests` plain GETs of /graph.nt pipelined on one raw connection
 * to 127.0.0.1:`port` (from `localAddress`, when given), paused after each read for as long as
 * `bytesPerSecond` asks. Its state is read as it goes: bytes read, the status lines seen in
 * them (`heads`), whether the server closed it, and `kibPerSecond()`, its pace up to its close
 * or to now (a reader cut off reads on what the kernel held).
 */
export function slowReader({ port, localAddress, requests = 1, bytesPerSecond }) {
  const state = {
    read: 0,
    closed: false,
    heads: [],
    from: performance.now(),
    to: 0,
    localAddress,
    kibPerSecond: () =>
      Math.round((state.read / 1024 / ((state.to || performance.now()) - state.from)) * 1000),
  };
  const socket = connect({ port: Number(port), host: "127.0.0.1", localAddress });
  socket.on("error", () => {});
  socket.on("close", () => {
    state.closed = true;
    state.to = performance.now();
  });
  socket.on("data", (d) => {
    const heads = d.toString("latin1").match(/HTTP\/1\.1 \d+[^\r]*/g);
    if (heads) state.heads.push(...heads);
    state.read += d.length;
    socket.pause();
    setTimeout(() => socket.resume(), (d.length / bytesPerSecond) * 1000);
  });
  socket.write(
    "GET /graph.nt HTTP/1.1\r\nHost: x\r\nAccept-Encoding: identity\r\n\r\n".repeat(requests),
  );
  state.socket = socket;
  return state;
}

/**
 * A GET of `url` on a connection of its own (from `localAddress`, when given), read for at most
 * `forMs`: its status, the MB read, the seconds it took, whether it ended within them, and the
 * body of an answer other than 200 (a refusal's JSON).
 */
export function readFor(url, { localAddress, headers = {}, forMs }) {
  return new Promise((resolve, reject) => {
    const t = performance.now();
    const req = request(url, { agent: false, localAddress, headers }, (res) => {
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
    });
    req.on("error", reject);
    req.end();
  });
}
