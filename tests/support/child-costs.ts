/**
 * What one start of a child process costs the child-process tests, in CPU-seconds (user + system
 * of the child and everything under it): the server and the gateway from their sources with tsx
 * (`npm start`'s command line) against their prebuilt bundles (tests/support/server-bundle.ts),
 * up to the line that says where they serve, and the starts that are refused (a bad argument, an
 * invalid dataset). Run `npx tsx tests/support/child-costs.ts [ROUNDS]`; it builds the bundles
 * first if they are stale. Figures: docs/contributing.md, "Running the tests".
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { childEnv } from "./processes.js";
import { bundled, ensureBundles } from "./server-bundle.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const rounds = Number(process.argv[2] ?? 3);

/** CPU-seconds of the children this process has reaped (and so of all their descendants). */
function reapedCpuSeconds(): number {
  const text = readFileSync("/proc/self/stat", "utf8");
  const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[13]) + Number(fields[14])) / 100;
}

/** Run `node ARGS` until it exits, or until it says it serves (then SIGTERM, once): its CPU-seconds. */
async function cost(args: string[]): Promise<number> {
  const before = reapedCpuSeconds();
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: childEnv({ PORT: "0", HOST: "127.0.0.1" }),
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let sent = false;
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
    out += chunk;
    if (!sent && /serving .* at http/.test(out)) {
      sent = true;
      child.kill("SIGTERM");
    }
  });
  child.stderr.resume();
  await new Promise((resolve) => child.once("close", resolve));
  return reapedCpuSeconds() - before;
}

await ensureBundles();
const npmStart = (
  JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { scripts: { start: string } }
).scripts.start
  .split(" ")
  .slice(1);
const invalid = mkdtempSync(join(tmpdir(), "child-costs-"));
writeFileSync(join(invalid, "states.json"), "[");
const cases: [string, string[]][] = [
  ["server, npm start's command line (tsx)", [...npmStart, "--port", "0"]],
  ["server, bundle", [bundled("main"), "--port", "0"]],
  ["gateway, tsx", ["--import", "tsx", "examples/supergraph/gateway.ts"]],
  ["gateway, bundle", [bundled("gateway")]],
  ["unknown argument, tsx", ["--import", "tsx", "src/server/main.ts", "--verbose"]],
  ["unknown argument, bundle", [bundled("main"), "--verbose"]],
  ["invalid dataset, tsx", ["--import", "tsx", "src/server/main.ts", "--data", invalid]],
  ["invalid dataset, bundle", [bundled("main"), "--data", invalid]],
];
console.log(
  `CPU-s per start, ${rounds} rounds (load average ${readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ")})`,
);
for (const [name, args] of cases) {
  const figures: number[] = [];
  for (let i = 0; i < rounds; i++) figures.push(await cost(args));
  console.log(`${name.padEnd(42)}${figures.map((f) => f.toFixed(2).padStart(6)).join("")}`);
}
rmSync(invalid, { recursive: true, force: true });
console.log(
  `load average after: ${readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ")}`,
);
