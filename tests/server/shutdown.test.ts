/**
 * Graceful shutdown of the real process under load: SIGTERM while keep-alive clients hammer the
 * server and slow requests are half sent. Every request the server accepted must get a complete
 * 200; the only failures allowed are connections refused after it stopped listening; and the
 * process must exit 0, logging that it stopped cleanly.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { Agent, request } from "node:http";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const SERVING = /^kz-osce-graph: serving .+ at http:\/\/127\.0\.0\.1:(\d+)\/graphql$/m;
const QUERY = JSON.stringify({ query: "{ states { totalCount nodes { key name } } }" });
const TIMEOUT = 60_000;

let child: ChildProcess | undefined;
afterEach(() => {
  if (child && child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
});

interface Outcome {
  status?: number;
  body?: string;
  error?: string;
  sentAfterSignal: boolean;
}

/** POST the query on `agent`; with `hold`, half the body first and the rest when `hold` resolves. */
function postQuery(port: number, agent: Agent, signalled: () => boolean, hold?: Promise<void>): Promise<Outcome> {
  const sentAfterSignal = signalled();
  return new Promise((resolve) => {
    const req = request({ host: "127.0.0.1", port, path: "/graphql", method: "POST", agent, headers: { "content-type": "application/json", "content-length": Buffer.byteLength(QUERY) } }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (body += chunk));
      res.on("end", () => resolve({ status: res.statusCode, body, sentAfterSignal }));
      res.on("error", (error: NodeJS.ErrnoException) => resolve({ error: error.code ?? error.message, sentAfterSignal }));
    });
    req.on("error", (error: NodeJS.ErrnoException) => resolve({ error: error.code ?? error.message, sentAfterSignal }));
    if (hold) {
      req.write(QUERY.slice(0, 10));
      void hold.then(() => req.end(QUERY.slice(10)));
    } else {
      req.end(QUERY);
    }
  });
}

describe("graceful shutdown of the real server", () => {
  it(
    "finishes every request in flight on SIGTERM under load, refuses only new connections, and exits 0",
    async () => {
      child = spawn(process.execPath, ["--import", "tsx", "src/server/main.ts", "--port", "0"], {
        cwd: ROOT,
        env: { ...process.env, PORT: "", HOST: "", KZ_OSCE_DATA: "", KZ_OSCE_LOG_LEVEL: "info", KZ_OSCE_SHUTDOWN_TIMEOUT_MS: "10000" },
        stdio: ["ignore", "pipe", "pipe"],
      });
      let stdout = "";
      let stderr = "";
      child.stdout!.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
      child.stderr!.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
      const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child!.once("close", (code, signal) => resolve({ code, signal })));
      let port = 0;
      for (const deadline = Date.now() + 30_000; !port; ) {
        const match = SERVING.exec(stdout);
        if (match) port = Number(match[1]);
        else if (Date.now() > deadline || child.exitCode !== null) throw new Error(`the server did not start:\n${stdout}\n${stderr}`);
        else await new Promise((resolve) => setTimeout(resolve, 50));
      }

      let signalled = false;
      const isSignalled = () => signalled;
      const outcomes: Outcome[] = [];

      // slow requests: half a body sent before the signal, the rest after it
      let release!: () => void;
      const hold = new Promise<void>((resolve) => (release = resolve));
      const slowAgent = new Agent({ keepAlive: false });
      const slow = Array.from({ length: 10 }, () => postQuery(port, slowAgent, isSignalled, hold));

      // steady load: 8 keep-alive connections, each sending its next request as soon as it has an answer
      const agent = new Agent({ keepAlive: true, maxSockets: 8 });
      const loop = async () => {
        for (;;) {
          const outcome = await postQuery(port, agent, isSignalled);
          outcomes.push(outcome);
          if (outcome.error) return; // the server is gone for this client
        }
      };
      const workers = Array.from({ length: 8 }, loop);

      await new Promise((resolve) => setTimeout(resolve, 1500));
      const beforeSignal = outcomes.length;
      signalled = true;
      child.kill("SIGTERM");
      await new Promise((resolve) => setTimeout(resolve, 300));
      release();

      const slowOutcomes = await Promise.all(slow);
      await Promise.all(workers);
      const { code, signal } = await exited;
      agent.destroy();

      const expected = { data: { states: { totalCount: 6 } } };
      const completed = [...outcomes, ...slowOutcomes].filter((o) => o.status !== undefined);
      const failed = [...outcomes, ...slowOutcomes].filter((o) => o.error !== undefined);
      expect(beforeSignal, "the load ran before the signal").toBeGreaterThan(20);
      // every answer is a complete 200 with the whole result
      for (const outcome of completed) {
        expect(outcome.status).toBe(200);
        expect(JSON.parse(outcome.body!)).toMatchObject(expected);
      }
      // the requests in flight at the signal all finished
      expect(slowOutcomes.map((o) => o.status)).toEqual(Array(10).fill(200));
      // answers were still given after the signal, and the only failures are refused connections after it
      expect(completed.filter((o) => o.sentAfterSignal).length).toBeGreaterThan(0);
      for (const failure of failed) expect(failure).toEqual({ error: "ECONNREFUSED", sentAfterSignal: true });

      expect({ code, signal }).toEqual({ code: 0, signal: null });
      const lines = stdout.split("\n").filter((l) => l.startsWith("{")).map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(lines.find((l) => l.msg === "shutting down")).toMatchObject({ level: "info", signal: "SIGTERM" });
      expect(lines.find((l) => l.msg === "stopped")).toMatchObject({ clean: true });
      expect(lines.filter((l) => l.msg === "request").length).toBe(completed.length);
      expect(stderr).toBe("");
    },
    TIMEOUT,
  );
});
