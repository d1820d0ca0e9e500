/**
 * `npm run subgraphs`: both subgraphs of supergraph.graphql, each its own process, at the URLs
 * composed into it: the knowledge graph in subgraph mode (`npm start -- --subgraph`) on port
 * 4001, the countries subgraph on 4002. Their output is passed through; SIGTERM or Ctrl-C stops
 * both (each stops gracefully), and this exits once both have.
 * KZ_OSCE_GATEWAY_SECRET, if set, is handed to the knowledge graph (give the gateway the same).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../..", import.meta.url));

function run(name: string, args: string[], env: Record<string, string>): ChildProcess {
  const child = spawn(process.execPath, args, {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: "inherit",
  });
  child.once("exit", (code, signal) => console.log(`${name}: exited (${signal ?? code})`));
  return child;
}

const children = [
  run(
    "kz-osce subgraph",
    [
      "--max-semi-space-size=64",
      "--import",
      "tsx",
      "src/server/main.ts",
      "--subgraph",
      "--port",
      "4001",
    ],
    {},
  ),
  run("countries subgraph", ["--import", "tsx", "examples/countries-subgraph/main.ts"], {
    PORT: "4002",
  }),
];

const stop = (signal: NodeJS.Signals) => {
  for (const child of children)
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);

await Promise.all(
  children.map(
    (child) =>
      new Promise((resolve) =>
        child.exitCode !== null ? resolve(null) : child.once("exit", resolve),
      ),
  ),
);
process.exit(children.every((child) => child.exitCode === 0) ? 0 : 1);
