/**
 * With `--workers`, the primary's /metrics joins the workers' (prom-client's AggregatorRegistry,
 * cluster.ts), adding up every series unless told otherwise: red team 41 read
 * `kz_osce_graph_entities` 200000 for a graph of 100,000, `kz_osce_dataset_watch_up` 2 (a 0/1
 * state) and `kz_osce_process_max_fds` twice the limit. Two workers' registries, joined as the
 * primary joins them.
 */
import { AggregatorRegistry } from "prom-client";
import { describe, expect, it } from "vitest";
import { createMetrics } from "../../src/server/metrics.js";

/** The value of the series `name` (without labels) in Prometheus' text `text`. */
function seriesValue(text: string, name: string): number {
  const line = text.split("\n").find((l) => l.startsWith(`${name} `));
  if (line === undefined) throw new Error(`no series ${name} in:\n${text}`);
  return Number(line.slice(name.length + 1));
}

describe("the metrics of several workers, joined", () => {
  it("say each worker's common figures once, a state by its worst, and add up what adds up", async () => {
    const [a, b] = [createMetrics(), createMetrics()];
    a.entities.set(100_000);
    b.entities.set(100_000);
    a.watchUp.set(1);
    b.watchUp.set(0);
    a.overloaded.set(0);
    b.overloaded.set(1);
    a.kernelReadings.set(1);
    b.kernelReadings.set(0);
    a.inFlight.set(3);
    b.inFlight.set(4);
    const joined = await AggregatorRegistry.aggregate([
      await a.registry.getMetricsAsJSON(),
      await b.registry.getMetricsAsJSON(),
    ]).metrics();
    expect(seriesValue(joined, "kz_osce_graph_entities")).toBe(100_000);
    expect(seriesValue(joined, "kz_osce_dataset_watch_up")).toBe(0);
    expect(seriesValue(joined, "kz_osce_overloaded")).toBe(1);
    expect(seriesValue(joined, "kz_osce_http_kernel_readings_available")).toBe(0);
    expect(seriesValue(joined, "kz_osce_http_requests_in_flight")).toBe(7);
    // each process's limit on its files, not twice it
    const own = seriesValue(await a.registry.metrics(), "kz_osce_process_max_fds");
    expect(seriesValue(joined, "kz_osce_process_max_fds")).toBe(own);
  });
});
