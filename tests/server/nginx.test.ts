/**
 * A real HTTP cache in front of two servers: Debian's nginx (`nginx-light`) running
 * deploy/nginx.conf, with its paths and ports replaced, before two servers (the app `npm start`
 * serves, started in this process: what is tested is nginx's configuration, and a child process
 * of the server costs a start of its own for nothing here) serving the same dataset with live
 * reload. It checks what the cache is for: a second identical GET never reaches a server, an
 * expired answer is revalidated (304), a reload changes the ETag, requests spread over both
 * servers, and a stopped server is routed around.
 *
 * Without /usr/sbin/nginx the tests are skipped, saying so; under CI (`CI` set) they fail
 * instead: .ci/run installs nginx-light.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, watch, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadJsonGraph } from "../../src/graph/load.js";
import { type Reloader, watchDataset } from "../../src/server/reload.js";
import { editJson, exportToTmp, makeTmpDir, removeDir } from "../fixtures/datasets.js";
import { freePort } from "../support/ports.js";
import { startServer, type TestServer } from "../support/server.js";

/** One of the two servers behind nginx, with the log it writes. */
interface Upstream {
  url: string;
  output: () => string;
  /** Resolves as soon as the log satisfies `done`, looked at on each line the server writes. */
  outputUntil(done: (output: string) => boolean): Promise<void>;
  stop(): Promise<void>;
}

/** A server of the dataset in `dataDir` on 127.0.0.1:0, watching it as `--watch` does. */
async function startUpstream(dataDir: string): Promise<Upstream> {
  let out = "";
  const watchers = new Set<() => void>();
  const server: TestServer = await startServer(loadJsonGraph(dataDir), {
    logLevel: "info",
    logSink: {
      write: (line: string) => {
        out += line;
        for (const look of [...watchers]) look();
      },
    },
    // answers expire after a second, so that the test sees revalidations
    cacheMaxAgeSeconds: 1,
    cacheStaleWhileRevalidateSeconds: 0,
  });
  const reloader: Reloader = watchDataset(server.app, { dataDir });
  await reloader.ready;
  let stopped: Promise<void> | undefined;
  return {
    url: server.url,
    output: () => out,
    outputUntil: (done) =>
      new Promise<void>((resolve) => {
        const look = () => {
          if (!done(out)) return;
          watchers.delete(look);
          resolve();
        };
        watchers.add(look);
        look();
      }),
    stop: () => {
      stopped ??= (async () => {
        await reloader.close();
        await server.close();
      })();
      return stopped;
    },
  };
}

const NGINX = "/usr/sbin/nginx";
const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const present = existsSync(NGINX);
const required = Boolean(process.env.CI);
const title =
  present || required
    ? "nginx in front of two servers"
    : `nginx in front of two servers (skipped: ${NGINX} is absent; apt-get install nginx-light)`;

/** deploy/nginx.conf with its ports and paths replaced; fails if the file no longer has what is replaced. */
export function templatedConfig(
  prefix: string,
  listenPort: number,
  upstreams: readonly number[],
): string {
  let text = readFileSync(join(ROOT, "deploy/nginx.conf"), "utf8");
  const replace = (from: string | RegExp, to: string) => {
    const next = text.replace(from, to);
    if (next === text)
      throw new Error(
        `deploy/nginx.conf no longer contains ${String(from)}: update tests/server/nginx.test.ts`,
      );
    text = next;
  };
  replace(
    "worker_processes auto;",
    `worker_processes 1;${process.getuid?.() === 0 ? "\nuser root;" : ""}`,
  );
  replace(/error_log \S+/, `error_log ${prefix}/error.log`);
  replace(/pid \S+;/, `pid ${prefix}/nginx.pid;`);
  replace(/access_log \S+;/, `access_log ${prefix}/access.log;`);
  replace("/var/cache/nginx/kz-osce-graph", `${prefix}/cache`);
  replace(/server 127\.0\.0\.1:4001 /, `server 127.0.0.1:${upstreams[0]} `);
  replace(/server 127\.0\.0\.1:4002 /, `server 127.0.0.1:${upstreams[1]} `);
  replace("listen 8080;", `listen 127.0.0.1:${listenPort};`);
  // temporary files in the prefix, not in /var/lib/nginx
  const temp = ["client_body", "proxy", "fastcgi", "uwsgi", "scgi"]
    .map((name) => `  ${name}_temp_path ${prefix}/${name};`)
    .join("\n");
  replace("http {\n", `http {\n${temp}\n`);
  return text;
}

describe.skipIf(!present && !required)(title, () => {
  let dataDir: string;
  let prefix: string;
  let nginx: ChildProcess | undefined;
  let nginxLog = "";
  let base: string;
  const servers: Upstream[] = [];

  beforeAll(async () => {
    if (!present)
      throw new Error(
        `${NGINX} is absent: under CI, .ci/run installs nginx-light; install it (apt-get install nginx-light)`,
      );
    dataDir = exportToTmp();
    prefix = makeTmpDir();
    mkdirSync(join(prefix, "cache"));
    for (let i = 0; i < 2; i++) servers.push(await startUpstream(dataDir));
    const port = await freePort();
    const config = join(prefix, "nginx.conf");
    writeFileSync(
      config,
      templatedConfig(
        prefix,
        port,
        servers.map((s) => Number(new URL(s.url).port)),
      ),
    );
    nginx = spawn(
      NGINX,
      ["-p", prefix, "-c", config, "-e", join(prefix, "error.log"), "-g", "daemon off;"],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    nginx.stdout!.on("data", (chunk) => (nginxLog += chunk));
    nginx.stderr!.on("data", (chunk) => (nginxLog += chunk));
    base = `http://127.0.0.1:${port}`;
    // nginx writes its pid file once it has opened its listening sockets: the event to wait for
    const pidFile = join(prefix, "nginx.pid");
    const started = new Promise<void>((resolve, reject) => {
      const look = () => {
        if (!existsSync(pidFile)) return;
        watcher.close();
        resolve();
      };
      const watcher = watch(prefix, look);
      nginx!.once("exit", () => {
        watcher.close();
        reject(new Error(`nginx did not start: ${nginxLog}\n${readLog(prefix)}`));
      });
      look(); // written before the watch began
    });
    await started;
    expect((await fetch(`${base}/health`)).status).toBe(200);
  }, 120_000);

  afterAll(async () => {
    if (nginx && nginx.exitCode === null) {
      const gone = new Promise((resolve) => nginx!.once("exit", resolve));
      nginx.kill("SIGQUIT");
      await gone;
    }
    await Promise.all(servers.map((s) => s.stop()));
    if (dataDir) removeDir(dataDir);
    if (prefix) removeDir(prefix);
  });

  const PERSON = "query Person($key: String!) { person(key: $key) { name } }";
  const get = (variables: Record<string, unknown>, query = PERSON) =>
    fetch(
      `${base}/graphql?query=${encodeURIComponent(query)}&variables=${encodeURIComponent(JSON.stringify(variables))}`,
      { headers: { accept: "application/graphql-response+json" } },
    );

  /** GraphQL requests a server has answered, by status (its /metrics, asked directly). */
  async function answered(server: Upstream): Promise<Record<string, number>> {
    const text = await (await fetch(`${server.url}/metrics`)).text();
    const counts: Record<string, number> = {};
    for (const match of text.matchAll(/^kz_osce_http_requests_total\{([^}]*)\} (\d+)/gm)) {
      if (!match[1]!.includes('route="/graphql"')) continue;
      const status = /status="(\d+)"/.exec(match[1]!)![1]!;
      counts[status] = (counts[status] ?? 0) + Number(match[2]);
    }
    return counts;
  }
  const total = (counts: Record<string, number>) =>
    Object.values(counts).reduce((a, b) => a + b, 0);
  const graphqlRequests = async () => (await Promise.all(servers.map(answered))).map(total);

  /**
   * GET until nginx no longer answers `body` from a fresh cache entry (a HIT no server sees), and
   * return the first answer that is not such a HIT. nginx
   * says when an entry has expired only by how it answers (it counts whole seconds), so this
   * asks it, a tenth of a second apart, instead of sleeping past the longest it may take.
   */
  async function expired(variables: Record<string, unknown>, body: string): Promise<Response> {
    for (let tries = 0; tries < 200; tries++) {
      const answer = await get(variables);
      if (answer.headers.get("x-cache-status") !== "HIT" || (await answer.clone().text()) !== body)
        return answer;
      await sleep(100);
    }
    throw new Error("the cache entry never expired (20 s)");
  }

  it("answers a second identical GET from the cache: no server sees it", async () => {
    // the servers' counts are taken before both GETs, not between them: the entry is fresh for
    // only a second or two (max-age=1), and a busy machine can spend that between two requests
    const before = await graphqlRequests();
    const first = await get({ key: "gyorgy-szabo" });
    const body = await first.text();
    const second = await get({ key: "gyorgy-szabo" });
    const secondBody = await second.text();
    expect(first.status).toBe(200);
    expect(first.headers.get("x-cache-status")).toBe("MISS");
    expect(second.headers.get("x-cache-status")).toBe("HIT");
    expect(secondBody).toBe(body);
    expect(second.headers.get("etag")).toBe(first.headers.get("etag"));
    // one request reached a server: the first
    const sum = (counts: number[]) => counts.reduce((a, b) => a + b, 0);
    expect(sum(await graphqlRequests()) - sum(before)).toBe(1);
  });

  it("spreads requests the cache does not hold over both servers", async () => {
    const before = await graphqlRequests();
    for (const key of [
      "nursultan-nazarbayev",
      "madina-jarbussynova",
      "gyorgy-szabo-x",
      "a",
      "b",
      "c",
    ]) {
      expect((await get({ key })).headers.get("x-cache-status")).toBe("MISS");
    }
    const after = await graphqlRequests();
    expect(after[0]! - before[0]!).toBeGreaterThanOrEqual(1);
    expect(after[1]! - before[1]!).toBeGreaterThanOrEqual(1);
    expect(after[0]! - before[0]! + (after[1]! - before[1]!)).toBe(6);
  });

  it("revalidates an expired answer with If-None-Match, and a server answers 304 without a body", async () => {
    const cached = await get({ key: "nursultan-nazarbayev" });
    const body = await cached.text();
    const before = await Promise.all(servers.map(answered));
    const logged304 = () =>
      servers.reduce(
        (n, s) => n + (s.output().match(/"msg":"request".*"status":304/g)?.length ?? 0),
        0,
      );
    const before304 = logged304();
    const notModified = async () =>
      (await Promise.all(servers.map(answered))).reduce(
        (n, counts, i) => n + (counts["304"] ?? 0) - (before[i]!["304"] ?? 0),
        0,
      );
    // nginx keeps time in whole seconds and an entry stays fresh through its last second: max-age=1
    // can last almost 3 s. Asked again until it expires, nginx answers from the cache (HIT, no
    // server sees it), then revalidates, either before answering (REVALIDATED) or, as the
    // config's `proxy_cache_use_stale updating` allows, after answering from the cache (STALE)
    const again = await expired({ key: "nursultan-nazarbayev" }, body);
    expect(["REVALIDATED", "STALE"]).toContain(again.headers.get("x-cache-status"));
    expect(again.headers.get("etag")).toBe(cached.headers.get("etag"));
    expect(await again.text()).toBe(body);
    // the server that answered 304 logs the request (in the background, for STALE): wait for that line
    await Promise.race(servers.map((s) => s.outputUntil(() => logged304() > before304)));
    expect(await notModified()).toBe(1);
    const fresh = await get({ key: "nursultan-nazarbayev" });
    expect(fresh.headers.get("x-cache-status")).toBe("HIT");
    expect(await fresh.text()).toBe(body);
  });

  it("gets the new answer, with a new ETag, once the servers have reloaded other data", async () => {
    const old = await get({ key: "gyorgy-szabo" });
    const versions = async () =>
      Promise.all(
        servers.map(
          async (s) =>
            ((await (await fetch(`${s.url}/health`)).json()) as { graphVersion: string })
              .graphVersion,
        ),
      );
    const [oldVersion] = await versions();
    editJson(
      dataDir,
      "persons",
      (persons) =>
        (persons.find((p) => p.id === "person/gyorgy-szabo").name.text = "György Szabó (reloaded)"),
    );
    // each server logs the reload once the new graph serves
    await Promise.all(
      servers.map((s) => s.outputUntil((output) => output.includes('"msg":"dataset reloaded"'))),
    );
    expect((await versions()).every((v) => v !== oldVersion)).toBe(true);
    // the answer cached before the reload is served until it expires (see above), then
    // revalidated against the new graph: a new answer, with a new ETag
    const oldBody = await old.text();
    let fresh = await expired({ key: "gyorgy-szabo" }, oldBody);
    // served stale while nginx revalidates (STALE: this request started the update in the
    // background; UPDATING: another one's update is under way): then the new answer
    await until(async () => {
      if (!["STALE", "UPDATING"].includes(fresh.headers.get("x-cache-status")!)) return true;
      fresh = await get({ key: "gyorgy-szabo" });
      return false;
    });
    expect(["EXPIRED", "HIT"]).toContain(fresh.headers.get("x-cache-status"));
    expect(((await fresh.json()) as { data: { person: { name: string } } }).data.person.name).toBe(
      "György Szabó (reloaded)",
    );
    expect(fresh.headers.get("etag")).not.toBe(old.headers.get("etag"));
    expect(fresh.headers.get("x-graph-version")).not.toBe(old.headers.get("x-graph-version"));
  });

  it("routes around a stopped server", async () => {
    await servers[1]!.stop();
    for (const key of ["stopped-1", "stopped-2", "stopped-3", "stopped-4"]) {
      const answer = await get({ key });
      expect(answer.status).toBe(200);
      expect(answer.headers.get("x-cache-status")).toBe("MISS");
      // an unknown key: null, with the API's NOT_FOUND error (and its suggestions)
      const json = await answer.json();
      expect(json.data).toEqual({ person: null });
      expect(json.errors.map((e: { extensions: { code: string } }) => e.extensions.code)).toEqual([
        "NOT_FOUND",
      ]);
    }
  });
});

function readLog(prefix: string): string {
  try {
    return readFileSync(join(prefix, "error.log"), "utf8");
  } catch {
    return "";
  }
}

/** Wait until `done` holds, checking every 100 ms, for at most 20 s. */
async function until(done: () => Promise<boolean>): Promise<void> {
  for (let tries = 0; tries < 200; tries++) {
    if (await done()) return;
    await sleep(100);
  }
  throw new Error("gave up waiting after 20 s");
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
