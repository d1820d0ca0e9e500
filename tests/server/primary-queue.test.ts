/**
 * A `--workers` primary holds at most so many connections for its workers (src/server/primary-queue.ts;
 * red team 14, F1): node:cluster's round-robin accepted every connection and queued it without
 * bound until a worker took it, to the primary's file limit under a flood. Here a worker holds its
 * event loop (it takes nothing meanwhile), twenty connections come, and the primary keeps four
 * (each answered once the worker is back) and closes the rest at once.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { connect } from "node:net";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { mayStopAccepting, QUIET_MS } from "../../src/server/cluster.js";

const FIXTURE = fileURLToPath(new URL("../fixtures/primary-queue.ts", import.meta.url));

/** The fixture's primary, and its lines as they come. */
function startPrimary(maxQueued: number) {
  const child = spawn(process.execPath, ["--import", "tsx", FIXTURE], {
    env: { ...process.env, KZ_TEST_MAX_QUEUED: String(maxQueued) },
    stdio: ["pipe", "pipe", "inherit"],
  });
  const lines: Record<string, unknown>[] = [];
  const waiting = new Set<() => void>();
  createInterface({ input: child.stdout! }).on("line", (line) => {
    lines.push(JSON.parse(line));
    for (const look of [...waiting]) look();
  });
  /** The first line (from `from` on) that `match` accepts, once it comes. */
  const next = (match: (line: Record<string, unknown>) => boolean, from = 0) =>
    new Promise<Record<string, unknown>>((resolve) => {
      const look = () => {
        const found = lines.slice(from).find(match);
        if (!found) return;
        waiting.delete(look);
        resolve(found);
      };
      waiting.add(look);
      look();
    });
  return { child, lines, next, send: (command: string) => child.stdin!.write(`${command}\n`) };
}

/** A connection to `port`: whether it was answered, or closed with no answer. */
function ask(port: number) {
  return new Promise<"answered" | "closed">((resolve) => {
    const socket = connect(port, "127.0.0.1");
    let answer = "";
    socket.on("data", (chunk) => (answer += chunk));
    socket.on("error", () => {});
    socket.on("close", () => resolve(answer.includes("answered") ? "answered" : "closed"));
  });
}

describe("a --workers primary's queue of connections", () => {
  let child: ChildProcess | undefined;
  afterEach(() => {
    child?.stdin?.end();
    child?.kill();
  });

  it("holds at most its bound for a worker that takes none, closing the rest at once; those held are answered once it is back", async () => {
    const primary = startPrimary(4);
    child = primary.child;
    const listening = await primary.next((line) => typeof line.port === "number");
    // the round-robin's listening handle was found and wrapped
    expect(listening.wrapped).toBe(1);
    const port = listening.port as number;
    // the worker answers before it is held
    expect(await ask(port)).toBe("answered");
    primary.send("block 3000");
    await primary.next((line) => line.worker === "blocking");
    const asked = Array.from({ length: 20 }, () => ask(port));
    // the sixteen closed at once, while the worker is still held
    const settled: string[] = [];
    for (const one of asked) void one.then((how) => settled.push(how));
    while (settled.filter((how) => how === "closed").length < 16)
      await new Promise((resolve) => setTimeout(resolve, 20));
    expect(primary.lines.some((line) => line.worker === "unblocked")).toBe(false);
    const outcomes = await Promise.all(asked);
    expect(outcomes.filter((how) => how === "answered")).toHaveLength(4);
    expect(outcomes.filter((how) => how === "closed")).toHaveLength(16);
    const from = primary.lines.length;
    primary.send("state");
    expect(await primary.next((line) => "held" in line, from)).toEqual({ held: 0, refused: 16 });
  }, 60_000);
});

describe("when a stopping primary stops accepting (cluster.ts mayStopAccepting)", () => {
  const look = (now: number, lookedAt: number, lastAcceptAt: number | undefined) =>
    mayStopAccepting({ now, lookedAt, began: 0, lastAcceptAt }, 5_000);

  it("stops at a look on time that finds QUIET_MS without a new connection, or none at all", () => {
    expect(look(100, 75, undefined)).toBe(true);
    expect(look(100, 75, 100 - QUIET_MS)).toBe(true);
    expect(look(100, 75, 100 - QUIET_MS + 1)).toBe(false);
  });

  it("does not stop at a look whose timer came late: the loop was held, and the kernel's queue may hold connections unseen (review 43)", () => {
    expect(look(1_000, 1_000 - QUIET_MS, 0)).toBe(false);
    expect(look(1_000, 1_000 - 10 * QUIET_MS, undefined)).toBe(false);
    // the next look, on time, may
    expect(look(1_025, 1_000, 0)).toBe(true);
  });

  it("stops at its bound whatever comes", () => {
    expect(look(5_000, 0, 4_999)).toBe(true);
  });
});
