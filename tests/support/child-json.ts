/**
 * Runs a bundled entry (tests/support/server-bundle.ts) with `node --expose-gc` in a process of its
 * own and reads the one JSON value it prints: what the memory tests measure away from the test
 * worker, whose full collections walked every module and leftover of the files it ran before
 * (caches-held, documents-held, responses-held). Fails, with what it printed, when it does not
 * exit 0.
 */
import { spawn } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import { bundled, type EntryName } from "./server-bundle.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

export async function jsonOfChild<T>(name: EntryName, args: readonly string[] = []): Promise<T> {
  const child = spawn(process.execPath, ["--expose-gc", bundled(name), ...args], {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "inherit"],
  });
  let out = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => (out += chunk));
  const [code] = (await once(child, "close")) as [number | null];
  if (code !== 0) throw new Error(`${name} exited ${code}: ${out}`);
  return JSON.parse(out) as T;
}
