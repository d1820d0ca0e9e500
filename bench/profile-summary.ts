/**
 * `npx tsx bench/profile-summary.ts FILE.cpuprofile [--top 25]`: where the time went in a V8 CPU
 * profile (node --cpu-prof): self time by function and by package (or project folder), then
 * total time (the function and what it called; each sample counted once per function on its stack).
 */
import { readFileSync } from "node:fs";

export interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}
export interface Profile {
  nodes: Node[];
  samples: number[];
  timeDeltas: number[];
}

export function summarizeProfile(profile: Profile, top = 25): string {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  // the inspector's own `dispatch` (a profile started and stopped through node:inspector) carries
  // the time around Profiler.start/stop, not the server's work: left out
  const isProfiler = (id: number) =>
    byId.get(id)?.callFrame.functionName === "dispatch" && !byId.get(id)?.callFrame.url;
  profile.samples.forEach((id, i) => {
    if (!isProfiler(id)) selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  const total = [...selfUs.values()].reduce((a, b) => a + b, 0);
  const byFunction = new Map<string, number>();
  const byPlace = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    const file = url.replace(/^file:\/\//, "");
    const place = placeOf(file, functionName);
    const name = `${functionName || "(anonymous)"} ${
      file
        ? `${file
            .split("/node_modules/")
            .pop()!
            .replace(/^.*\/(src|bench|data)\//, "$1/")}:${lineNumber + 1}`
        : ""
    }`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + us);
    byPlace.set(place, (byPlace.get(place) ?? 0) + us);
  }
  const pct = (us: number) => `${((100 * us) / total).toFixed(1).padStart(5)}%`;
  const lines = [
    `total ${(total / 1000).toFixed(0)} ms of samples`,
    "",
    "self time by package or folder:",
  ];
  for (const [place, us] of [...byPlace].sort((a, b) => b[1] - a[1]).slice(0, 15))
    lines.push(`  ${pct(us)}  ${place}`);
  lines.push("", `self time by function (top ${top}):`);
  for (const [name, us] of [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, top))
    lines.push(`  ${pct(us)}  ${name}`);
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const totalByFunction = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    if (isProfiler(id)) return;
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const { functionName, url, lineNumber } = byId.get(at)!.callFrame;
      if (!url) continue;
      seen.add(
        `${functionName || "(anonymous)"} ${url
          .replace(/^file:\/\//, "")
          .split("/node_modules/")
          .pop()!
          .replace(/^.*\/(src|bench|data)\//, "$1/")}:${lineNumber + 1}`,
      );
    }
    for (const name of seen)
      totalByFunction.set(name, (totalByFunction.get(name) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  lines.push("", `total time by function (top ${top}):`);
  for (const [name, us] of [...totalByFunction].sort((a, b) => b[1] - a[1]).slice(0, top))
    lines.push(`  ${pct(us)}  ${name}`);
  return lines.join("\n");
}

function placeOf(file: string, functionName: string): string {
  if (!file) return functionName.startsWith("(") ? functionName : "(native)";
  const nm = file.lastIndexOf("/node_modules/");
  if (nm >= 0) {
    const parts = file.slice(nm + 14).split("/");
    return parts[0]!.startsWith("@") ? `${parts[0]}/${parts[1]}` : parts[0]!;
  }
  if (file.startsWith("node:")) return file;
  const m = /\/(src\/[^/]+|bench|data)\//.exec(file);
  return m ? m[1]! : file;
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split("/").pop()!)) {
  const file = process.argv[2];
  if (!file) throw new Error("usage: tsx bench/profile-summary.ts FILE.cpuprofile [--top N]");
  const i = process.argv.indexOf("--top");
  console.log(
    summarizeProfile(
      JSON.parse(readFileSync(file, "utf8")) as Profile,
      i > 0 ? Number(process.argv[i + 1]) : 25,
    ),
  );
}
