/**
 * The log line: written whatever its fields hold. A log call is made where something already went
 * wrong, and a throw from it is uncaught there (red team 12: the watcher's ELOOP error, whose
 * `path` is a string, made the logger throw and killed the server).
 */
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { GraphQLError } from "graphql";
import { describe, expect, it } from "vitest";
import { BatchedSink, createLogger, describeError, operationNameOf } from "../../src/server/log.js";
import { childEnv } from "../support/processes.js";
import { bundled } from "../support/server-bundle.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

function logged(fields: Record<string, unknown>): Record<string, unknown>[] {
  const lines: string[] = [];
  createLogger("info", { write: (line) => lines.push(line) }).error("it failed", fields);
  return lines.map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe("a log line", () => {
  it("describes Node's system error with its code, call and file path (a string)", () => {
    const error = Object.assign(
      new Error("ELOOP: too many symbolic links encountered, stat '/d/loop'"),
      {
        code: "ELOOP",
        errno: -40,
        syscall: "stat",
        path: "/d/loop",
      },
    );
    expect(logged({ error })).toMatchObject([
      {
        level: "error",
        msg: "it failed",
        error: { name: "Error", code: "ELOOP", syscall: "stat", path: "/d/loop" },
      },
    ]);
  });

  it("describes a GraphQL error by the error its resolver threw, with the field path", () => {
    const thrown = new RangeError("out of range");
    const error = new GraphQLError("out of range", {
      path: ["person", 0, "name"],
      originalError: thrown,
    });
    expect(describeError(error)).toMatchObject({
      name: "RangeError",
      message: "out of range",
      path: "person.0.name",
    });
  });

  it("is written, with what it could not write named, when a field cannot be serialized", () => {
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    for (const fields of [
      { big: 10n },
      { cycle },
      // a toJSON that throws what cannot even be made text (review 14)
      {
        odd: {
          toJSON() {
            throw Object.create(null);
          },
        },
      },
      // a getter that throws, below the top level (the top level is spread into the entry)
      {
        throwing: {
          get bad() {
            throw new Error("no");
          },
        },
      },
    ]) {
      const [line, ...more] = logged({ requestId: "r1", ...fields });
      expect(more).toEqual([]);
      expect(line).toMatchObject({
        level: "error",
        msg: "it failed",
        fields: ["requestId", Object.keys(fields)[0]],
        unwritable: expect.any(String),
      });
    }
  });
});

describe("a log line's strings", () => {
  it("are well-formed UTF-16: a lone surrogate, as a client may send it, is written as U+FFFD, not as an escape strict readers refuse", () => {
    // (red team 13, F4: serde_json refuses "\ud83d" alone, and with it the whole line)
    const lines: string[] = [];
    createLogger("info", { write: (line) => lines.push(line) }).info("request", {
      operationName: "Q\ud83d",
      nested: { path: ["\udc00x"] },
    });
    expect(lines[0]).not.toMatch(/\\ud[89a-f][0-9a-f]{2}/i);
    expect(JSON.parse(lines[0]!)).toMatchObject({
      operationName: "Q\ufffd",
      nested: { path: ["\ufffdx"] },
    });
  });

  it("cut an operation name at a code point, not inside an emoji", () => {
    const name = `${"a".repeat(199)}\u{1F600}${"b".repeat(10)}`;
    const cut = operationNameOf({ operationName: name })!;
    expect(cut).toBe(`${"a".repeat(199)}...`);
    expect(cut.isWellFormed()).toBe(true);
    expect(operationNameOf({ operationName: "c".repeat(250) })).toBe(`${"c".repeat(200)}...`);
  });
});

describe("the log's stream", () => {
  it("holds at most its bound unwritten: lines past it are dropped, and counted in the first line written after", () => {
    // stdout to a pipe whose reader stopped: every line was kept, 23 MB after 98,000 requests
    const written: string[] = [];
    const stream = { writableLength: 0, write: (chunk: string) => written.push(chunk) };
    const sink = new BatchedSink(stream, 1000);
    sink.write("a\n");
    sink.flush();
    expect(written).toEqual(["a\n"]);
    stream.writableLength = 1001;
    sink.write("b\n");
    sink.write("c\n");
    sink.flush();
    sink.write("d\n");
    sink.flush();
    expect(written).toEqual(["a\n"]);
    expect(sink.dropped).toBe(3);
    // at the bound, it writes again
    stream.writableLength = 1000;
    sink.write("e\n");
    sink.flush();
    expect(written).toHaveLength(2);
    const [notice, ...rest] = written[1]!.split("\n");
    expect(rest.join("\n")).toBe("e\n");
    expect(JSON.parse(notice!)).toMatchObject({
      level: "warn",
      msg: "log lines dropped: the log stream was not taking them (its reader slow or stopped)",
      dropped: 3,
      backlogBytes: 1000,
    });
    expect(sink.dropped).toBe(0);
    sink.write("f\n");
    sink.flush();
    expect(written[2]).toBe("f\n");
  });

  it("says how many lines it dropped once its stream has caught up, though no line comes after (review 43)", () => {
    const written: string[] = [];
    const drained: (() => void)[] = [];
    const stream = {
      writableLength: 2000,
      write: (chunk: string) => written.push(chunk),
      once: (_event: "drain", listener: () => void) => drained.push(listener),
    };
    const sink = new BatchedSink(stream, 1000);
    sink.write("a\n");
    sink.flush();
    sink.write("b\n");
    sink.flush();
    expect(written).toEqual([]);
    // asked to be told once, however many lines it drops
    expect(drained).toHaveLength(1);
    stream.writableLength = 0;
    drained[0]!();
    expect(written).toHaveLength(1);
    expect(JSON.parse(written[0]!)).toMatchObject({ level: "warn", dropped: 2 });
    expect(sink.dropped).toBe(0);
  });

  it("failing (EPIPE: its reader gone) stops the logging, once said on stderr, not the server", async () => {
    // `npm start | a log shipper` whose shipper restarted: the next log line's write failed with
    // EPIPE, an "error" event of stdout that ended the process, cutting its requests in flight
    const server = spawn(process.execPath, [bundled("main"), "--port", "0"], {
      cwd: ROOT,
      env: childEnv({ KZ_OSCE_LOG_LEVEL: "info" }),
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    server.stderr!.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      server.once("close", (code, signal) => resolve({ code, signal })),
    );
    try {
      const port = await new Promise<number>((resolve, reject) => {
        let out = "";
        server.stdout!.setEncoding("utf8").on("data", (chunk: string) => {
          out += chunk;
          const serving = /serving .+ at http:\/\/127\.0\.0\.1:(\d+)\/graphql/.exec(out);
          if (serving) resolve(Number(serving[1]));
        });
        void exited.then(() => reject(new Error(`the server exited:\n${out}\n${stderr}`)));
      });
      // the reader gone: the server's next write to stdout fails
      server.stdout!.destroy();
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) {
        const answer = await fetch(`http://127.0.0.1:${port}/graphql`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ query: `# ${i}\n{ __typename }` }),
        });
        statuses.push(answer.status);
        await answer.text();
        // a turn for the batched log line to be written, and fail
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(statuses).toEqual([200, 200, 200, 200, 200]);
      expect(stderr).toBe(
        "kz-osce-graph: the log stream failed (EPIPE): logging has stopped, serving goes on\n",
      );
      server.kill("SIGTERM");
      expect(await exited).toEqual({ code: 0, signal: null });
    } finally {
      server.kill("SIGKILL");
    }
  }, 60_000);
});
