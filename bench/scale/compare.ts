/**
 * What every `compare-*.ts` shares: `--base DIR --data DATASET [--runs N]` read from the command
 * line; the child script of this checkout copied into the base (so that both measure the same
 * way); then the child run on the dataset in a fresh process per run, alternating base and this
 * checkout (base first on even runs), each run's JSON line parsed and printed with `describe`.
 */
import { execFileSync } from "node:child_process";
import { copyFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export interface Compared<R> {
  base: R[];
  this: R[];
}

export function compareCheckouts<R>(child: string, describe: (result: R) => string): Compared<R> {
  const argv = process.argv.slice(2);
  const option = (name: string, fallback?: string) => {
    const i = argv.indexOf(`--${name}`);
    const value = i >= 0 ? argv[i + 1] : fallback;
    if (value === undefined) throw new Error(`--${name} is required`);
    return value;
  };
  const here = fileURLToPath(new URL("../..", import.meta.url));
  const base = resolve(option("base"));
  const data = resolve(option("data"));
  const runs = Number(option("runs", "3"));
  copyFileSync(join(here, child), join(base, child));

  const results: Compared<R> = { base: [], this: [] };
  for (let run = 0; run < runs; run++) {
    const order: ["base" | "this", string][] =
      run % 2 === 0
        ? [
            ["base", base],
            ["this", here],
          ]
        : [
            ["this", here],
            ["base", base],
          ];
    for (const [name, root] of order) {
      const out = execFileSync(
        process.execPath,
        ["--expose-gc", "--max-old-space-size=16384", "--import", "tsx", child, data],
        {
          cwd: root,
          encoding: "utf8",
          maxBuffer: 1 << 20,
        },
      );
      const result = JSON.parse(out.trim().split("\n").at(-1)!) as R;
      results[name].push(result);
      console.log(`${name.padEnd(4)} run ${run + 1}: ${describe(result)}`);
    }
  }
  return results;
}
