/**
 * The kernel's queue of connections a server has not yet taken (its listen backlog), seen from a
 * client: `connectAll` opens `n` connections from a child process, run synchronously, so that a
 * server in this process takes none of them meanwhile (its event loop is held), and one in a
 * process stopped with SIGSTOP none either. A connection completes when the kernel queues it; past
 * the backlog the kernel drops its SYN, and it does not complete until a retransmit finds room
 * (1 s later, then 3, 7...), which it never does while the server takes nothing.
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";

/** Opens N connections to PORT, prints how many completed once all have, or after MS. */
const CLIENT = `
import { connect } from "node:net";
const [port, n, ms] = process.argv.slice(1).map(Number);
let connected = 0;
const sockets = [];
const done = () => {
  process.stdout.write(String(connected));
  process.exit(0);
};
setTimeout(done, ms);
for (let i = 0; i < n; i++) {
  const socket = connect(port, "127.0.0.1", () => ++connected === n && done());
  socket.on("error", () => undefined);
  sockets.push(socket);
}
`;

/**
 * How many of `n` connections to `port` complete while no process takes any: all of them once
 * queued (the child exits then), or those that did by `boundMs` (a bound for a failing case only:
 * on loopback a queued connection completes within milliseconds).
 */
export function connectAll(port: number, n: number, boundMs = 10_000): number {
  const result = spawnSync(
    process.execPath,
    ["--input-type=module", "-e", CLIENT, String(port), String(n), String(boundMs)],
    { encoding: "utf8", timeout: boundMs + 30_000 },
  );
  if (result.status !== 0) throw new Error(`the client failed: ${result.stderr}`);
  return Number(result.stdout);
}

/** Linux's bound on any listen backlog (net.core.somaxconn), or undefined elsewhere. */
export function somaxconn(): number | undefined {
  try {
    return Number(readFileSync("/proc/sys/net/core/somaxconn", "utf8").trim());
  } catch {
    return undefined;
  }
}
