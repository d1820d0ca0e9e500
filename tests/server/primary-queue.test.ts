/**
 * A `--workers` primary holds at most so many connections for its workers (src/server/primary-queue.ts;
 * red team 14, F1): node:cluster's round-robin accepted every connection and queued it without
 * bound until a worker took it, to the primary's file limit under a flood. Here a worker holds its
 * event loop (it takes nothing meanwhile), twenty connections come, and the primary keeps four
 * (each answered once the worker is back) and closes the rest at once.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { connect } from "node:net";
import path from "node:path";
import { createInterface } from "node:readline";
import { afterEach, describe, expect, it } from "vitest";
import { mayStopAccepting } from "../../src/server/cluster.js";
import { makeTmpDir, removeDir } from "../fixtures/datasets.js";
import { bundled } from "../support/server-bundle.js";

/** The fixture's primary, and its lines as they come. */
function startPrimary(maxQueued: number) {
  // from its bundle (tests/support/server-bundle.ts), which the worker is forked from too: through
  // tsx, each of the two processes cost about half a CPU-second more
  const child = spawn(process.execPath, [bundled("primary-queue")], {
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
  let dir: string | undefined;
  afterEach(() => {
    child?.stdin?.end();
    child?.kill();
    if (dir) removeDir(dir);
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
    // held until the file exists, not for a guessed time: the test lets it go once it has seen
    // what comes meanwhile
    dir = makeTmpDir();
    const release = path.join(dir, "release");
    primary.send(`block ${release}`);
    await primary.next((line) => line.worker === "blocking");
    const asked = Array.from({ length: 20 }, () => ask(port));
    // the sixteen closed at once, while the worker is still held
    const settled: string[] = [];
    for (const one of asked) void one.then((how) => settled.push(how));
    while (settled.filter((how) => how === "closed").length < 16)
      await new Promise((resolve) => setTimeout(resolve, 20));
    expect(settled.filter((how) => how === "answered")).toEqual([]);
    expect(primary.lines.some((line) => line.worker === "unblocked")).toBe(false);
    writeFileSync(release, "");
    const outcomes = await Promise.all(asked);
    expect(outcomes.filter((how) => how === "answered")).toHaveLength(4);
    expect(outcomes.filter((how) => how === "closed")).toHaveLength(16);
    const from = primary.lines.length;
    primary.send("state");
    expect(await primary.next((line) => "held" in line, from)).toEqual({ held: 0, refused: 16 });
  }, 60_000);
});

describe("when a stopping primary stops accepting (cluster.ts mayStopAccepting)", () => {
  /** The end of a turn that began at `startedAt`, the `emptyTurns`-th without a connection accepted in a row. */
  const look = (now: number, startedAt: number, emptyTurns: number) =>
    mayStopAccepting({ now, startedAt, began: 0, emptyTurns }, 5_000);

  it("stops at the end of a short turn that accepted no connection: its poll found the kernel's queue empty", () => {
    expect(look(100, 99.5, 1)).toBe(true);
    // a turn that accepted one: not yet, however short
    expect(look(100, 99.5, 0)).toBe(false);
  });

  it("does not stop at the end of a long turn, though empty: the loop was held, and the kernel's queue may have filled since its poll (review 43)", () => {
    expect(look(1_000, 950, 1)).toBe(false);
    expect(look(1_000, 950, 2)).toBe(false);
    // three empty turns in a row may
    expect(look(1_000, 950, 3)).toBe(true);
  });

  it("stops at its bound whatever comes", () => {
    expect(look(5_000, 4_000, 0)).toBe(true);
    expect(look(4_999, 4_000, 0)).toBe(false);
  });
});
