/**
 * The command line of the bench/scale scripts that read one dataset: `--name value` options, and
 * the dataset, `--data DIR` or else the generated dataset of `--entities N` (default 100,000,
 * data/synthetic/datasets.ts: made when missing or stale).
 */
import { generatedDataset } from "../../data/synthetic/datasets.js";

export function scaleArgs(argv: readonly string[] = process.argv.slice(2)) {
  const option = (name: string, fallback: string): string =>
    argv.includes(`--${name}`) ? argv[argv.indexOf(`--${name}`) + 1]! : fallback;
  const dir = argv.includes("--data")
    ? option("data", "")
    : generatedDataset(Number(option("entities", "100000")));
  return { argv, option, dir };
}
