/**
 * `NODE_ENV=production npx tsx bench/scale/as-of-certainty.ts [--data DIR | --entities 100000]`
 *
 * What a date filter's `activeAt` costs per item on the timeline and on the events (a list
 * filtered as of a date judges every candidate): each rule run over every entry and every event,
 * best of 30 rounds, ms. "as a period" is the rule before 5 December (every date read as a period
 * through its days, `coverage`); "now" is the one served (an act on one day of its date:
 * Timeline.certaintiesAt, asof.ts eventCertaintiesOn), which judges each distinct date once.
 */
import { eventCertaintiesOn } from "../../src/graph/asof.js";
import { coverage, parsePartialDate } from "../../src/graph/dates.js";
import { loadJsonGraphWithSnapshot } from "../../src/graph/snapshot/load.js";
import { scaleArgs } from "./args.js";

const { dir, option } = scaleArgs();
const at = parsePartialDate(option("at", "2010-06-01"));
const { graph } = await loadJsonGraphWithSnapshot(dir);
const timeline = graph.timeline;
const events = graph.lists.event;
const best = (name: string, run: () => number) => {
  let least = Number.POSITIVE_INFINITY;
  let yes = 0;
  for (let round = 0; round < 30; round++) {
    const started = performance.now();
    yes = run();
    least = Math.min(least, performance.now() - started);
  }
  console.log(`${name.padEnd(32)} best ${least.toFixed(2)} ms  (${yes} YES)`);
};
console.log(`${dir}: ${timeline.length} timeline entries, ${events.length} events, at ${at.edtf}`);
best("timeline, as a period", () => {
  let yes = 0;
  for (let o = 0; o < timeline.length; o++)
    if (coverage(timeline.dateAt(o), at, graph.horizon) === "YES") yes++;
  return yes;
});
best("timeline, now", () => {
  const certainty = timeline.certaintiesAt(at);
  let yes = 0;
  for (let o = 0; o < timeline.length; o++) if (certainty(o) === "YES") yes++;
  return yes;
});
best("events, as a period", () => {
  let yes = 0;
  for (const e of events) if (coverage(graph.date(e.when), at, graph.horizon) === "YES") yes++;
  return yes;
});
best("events, now", () => {
  const certainty = eventCertaintiesOn(graph, at);
  let yes = 0;
  for (const e of events) if (certainty(e) === "YES") yes++;
  return yes;
});
