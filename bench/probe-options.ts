/**
 * What the request probes share (bench/echoed-names.ts, argument-errors.ts, overlapping-fields.ts,
 * each one request shape at a time against a server in their own process): their options
 * (`--rounds N`, `--root DIR` to measure another checkout, a worktree of an earlier commit, with
 * the same script) and how they print a run of figures.
 */
import { fileURLToPath } from "node:url";

/** The value of `--name` on the command line, or `fallback`. */
export function option(name: string, fallback: string): string {
  const argv = process.argv.slice(2);
  return argv.includes(`--${name}`) ? argv[argv.indexOf(`--${name}`) + 1]! : fallback;
}

/** `--rounds` (default `rounds`), and `--root`: the checkout measured (default this one). */
export function probeOptions(rounds: number): { rounds: number; root: string } {
  return {
    rounds: Number(option("rounds", String(rounds))),
    root: option("root", fileURLToPath(new URL("..", import.meta.url))),
  };
}

/** `figures`' range and median, in ms. */
export function msRange(figures: readonly number[]): string {
  const sorted = [...figures].sort((a, b) => a - b);
  return `${sorted[0]!.toFixed(1)}-${sorted.at(-1)!.toFixed(1)} ms (median ${sorted[Math.floor(sorted.length / 2)]!.toFixed(1)})`;
}
