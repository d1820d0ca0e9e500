/**
 * `node bench/attack/accept-turn.mjs [N]`: how many queued connections Node takes a turn of the
 * event loop. N connections (300) are made while this process's loop is held (the client a
 * synchronous child), so that the kernel queues them all (backlog 2,048); then each turn
 * (setImmediate) counts the `connection` events it saw. Node 20 takes one a turn, first in, first
 * out: what a newcomer waits for behind a flood is the queue's length in turns (connections.ts,
 * `listenBacklog`; bench/results/2026-12-06-listen-backlog.txt).
 */

import { spawnSync } from "node:child_process";
import net from "node:net";

const server = net.createServer((s) => {
  perTurn[perTurn.length - 1]++;
  s.destroy();
});
const perTurn = [0];
const N = Number(process.argv[2] ?? 300);
await new Promise((r) => server.listen({ port: 0, host: "127.0.0.1", backlog: 2048 }, r));
const { port } = server.address();
// N connections queued while this loop is held (a synchronous child)
spawnSync(process.execPath, [
  "-e",
  `const net=require("net");let c=0;for(let i=0;i<${N};i++){const s=net.connect(${port},"127.0.0.1",()=>{if(++c===${N})setTimeout(()=>process.exit(0),50)});s.on("error",()=>{})}`,
]);
let turns = 0;
const turn = () => {
  perTurn.push(0);
  if (++turns < N + 100 && perTurn.reduce((a, b) => a + b) < N) setImmediate(turn);
  else {
    console.log("connections per turn:", perTurn.filter((n) => n).join(","), "turns:", turns);
    server.close();
  }
};
setImmediate(turn);
