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
