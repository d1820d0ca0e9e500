/**
 * A real HTTP cache in front of two servers: Debian's nginx (`nginx-light`) running
 * deploy/nginx.conf, with its paths and ports replaced, before two servers (the app `npm start`
 * serves, started in this process: what is tested is nginx's configuration, and a child process
 * of the server costs a start of its own for nothing here) serving the same dataset with live
 * reload. It checks what the cache is for: a second identical GET never reaches a server, an
 * expired answer is revalidated (304), a reload changes the ETag, requests spread over both
 * servers, and a stopped server is routed around. And what nginx is for beside the cache: what
 * one client can hold (red team 14), attacked through it: a body in one-byte chunks reaches a
 * server whole, a body over the limit is refused by nginx, an address's 65th request in progress
 * is refused while another address is served, an answer its client does not read is taken
 * from the server whole, and more than 100 requests in progress at one server are all served: the
 * servers are started as deploy/nginx.conf says, with KZ_OSCE_MAX_CONNECTIONS_PER_ADDRESS=0.
 *
 * Without /usr/sbin/nginx the tests are skipped, saying so; under CI (`CI` set) they fail
 * instead: .ci/run installs nginx-light.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, watch, writeFileSync } from "node:fs";
import type { IncomingHttpHeaders, IncomingMessage } from "node:http";
import { connect } from "node:net";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadJsonGraph } from "../../src/graph/load.js";
import { type Reloader, watchDataset } from "../../src/server/reload.js";
import { editJson, exportToTmp, makeTmpDir, removeDir } from "../fixtures/datasets.js";
import { freePort } from "../support/ports.js";
import { rawConnection } from "../support/raw-connection.js";
import { startServer, type TestServer } from "../support/server.js";

/** One of the two servers behind nginx, with the log it writes. */
interface Upstream {
  url: string;
  output: () => string;
  /** The headers of every request the server has been sent, as it got them. */
  requestHeaders: IncomingHttpHeaders[];
  /** Resolves as soon as the log satisfies `done`, looked at on each line the server writes. */
  outputUntil(done: (output: string) => boolean): Promise<void>;
  stop(): Promise<void>;
}

/** The servers' /metrics, held while a test wants requests in progress on them. */
const metricsGate = (() => {
  let gate:
    | {
        count: number;
        byServer: Map<number, number>;
        wanted: number;
        all: () => void;
        open: Promise<void>;
      }
    | undefined;
  return {
    /** Holds every /metrics asked until `release`; `allAsked` once `wanted` have reached the servers. */
    hold(wanted: number) {
      let all!: () => void;
      let release!: () => void;
      const allAsked = new Promise<void>((resolve) => (all = resolve));
      const open = new Promise<void>((resolve) => (release = resolve));
      const held = { count: 0, byServer: new Map<number, number>(), wanted, all, open };
      gate = held;
      return {
        allAsked,
        asked: () => held.count,
        /** How many reached each server, by its port. */
        byServer: () => [...held.byServer.values()],
        release: () => {
          if (gate === held) gate = undefined;
          release();
        },
      };
    },
    /** A request has reached a server (its /metrics are shared while collected: one waits for all). */
    arrived(req: IncomingMessage) {
      if (gate === undefined || !req.url?.startsWith("/metrics")) return;
      const port = req.socket.localPort ?? 0;
      gate.byServer.set(port, (gate.byServer.get(port) ?? 0) + 1);
      if (++gate.count === gate.wanted) gate.all();
    },
    /** Waits while held. */
    async passed() {
      await gate?.open;
    },
  };
})();

/** A server of the dataset in `dataDir` on 127.0.0.1:0, watching it as `--watch` does. */
async function startUpstream(dataDir: string): Promise<Upstream> {
  let out = "";
  const watchers = new Set<() => void>();
  const server: TestServer = await startServer(loadJsonGraph(dataDir), {
    metricsSource: async () => {
      await metricsGate.passed();
      const { registry } = server.app.metrics;
      return { text: await registry.metrics(), contentType: registry.contentType };
    },
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
    // as deploy/nginx.conf says to start each replica: every connection is nginx's one address
    maxConnectionsPerAddress: 0,
  });
  const requestHeaders: IncomingHttpHeaders[] = [];
  server.app.server.on("request", (req: IncomingMessage) => {
    requestHeaders.push(req.headers);
    metricsGate.arrived(req);
  });
  const reloader: Reloader = watchDataset(server.app, { dataDir });
  await reloader.ready;
  let stopped: Promise<void> | undefined;
  return {
    url: server.url,
    output: () => out,
    requestHeaders,
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
  replace(/listen 8080\b/, `listen 127.0.0.1:${listenPort}`);
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
  let nginxPort: number;
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
    nginxPort = port;
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

  it("answers every site's page from the one copy the first filled: the answer does not vary on Origin under CORS `*`", async () => {
    // each origin was reflected with `Vary: Origin`, so nginx kept a copy per site (and one for
    // requests without Origin), and a second site's request went to a server (MISS)
    const url = `${base}/graphql?query=${encodeURIComponent("{ shared: states { totalCount } }")}`;
    const from = (origin?: string) =>
      fetch(url, {
        headers: { accept: "application/graphql-response+json", ...(origin ? { origin } : {}) },
      });
    const before = await graphqlRequests();
    const answers = [
      await from("https://site-a.example"),
      await from("https://site-b.example"),
      await from(),
    ];
    const after = await graphqlRequests();
    const [first, ...others] = answers;
    expect(first!.headers.get("x-cache-status")).toBe("MISS");
    for (const answer of answers) {
      expect(answer.status).toBe(200);
      expect(answer.headers.get("access-control-allow-origin")).toBe("*");
      expect(answer.headers.get("vary")).not.toMatch(/\bOrigin\b/i);
    }
    // from the first's entry: a HIT, or, should a busy machine take over its second of freshness
    // (max-age=1), that entry revalidated or replaced; a copy of their own would be a MISS
    for (const answer of others) expect(answer.headers.get("x-cache-status")).not.toBe("MISS");
    if (others.every((answer) => answer.headers.get("x-cache-status") === "HIT")) {
      const sum = (counts: number[]) => counts.reduce((a, b) => a + b, 0);
      expect(sum(after) - sum(before)).toBe(1);
    }
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

  // What one client can hold (deploy/nginx.conf, "What one client may hold"): attacks on the
  // servers, made through nginx

  it("passes a body sent in one-byte chunks to a server whole, with a Content-Length, where the server alone refuses it", async () => {
    // 2,000 chunks of one byte: a server refuses a body in more than 1,024 pieces of under 64
    // bytes on average (400 BODY_IN_PIECES_TOO_SMALL: each piece costs its event loop a
    // callback); nginx reads the body whole and passes it on with a Content-Length, one piece
    const body = JSON.stringify({ query: "{ __typename }" }).padEnd(2000, " ");
    const chunked = `${[...body].map((byte) => `1\r\n${byte}\r\n`).join("")}0\r\n\r\n`;
    const request = `POST /graphql HTTP/1.1\r\nHost: test\r\nX-Test: one-byte-chunks\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n${chunked}`;
    const direct = rawConnection(Number(new URL(servers[0]!.url).port));
    direct.socket.write(request);
    const refused = await direct.answer(1);
    expect(refused.status).toBe(400);
    expect(JSON.parse(refused.body).errors[0].extensions.code).toBe("BODY_IN_PIECES_TOO_SMALL");
    const proxied = rawConnection(nginxPort);
    proxied.socket.write(request);
    const answer = await proxied.answer(1);
    proxied.socket.destroy();
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toEqual({ data: { __typename: "Query" } });
    // as the server got it from nginx (which sets X-Request-Id): the answer alone does not tell,
    // as nginx passing the chunks on would send the ones it read at once as one chunk
    const fromNginx = servers
      .flatMap((s) => s.requestHeaders)
      .filter((headers) => headers["x-test"] === "one-byte-chunks" && headers["x-request-id"]);
    expect(fromNginx).toHaveLength(1);
    expect(fromNginx[0]!["content-length"]).toBe("2000");
    expect(fromNginx[0]!["transfer-encoding"]).toBeUndefined();
  });

  it("refuses a body over 102,400 bytes itself (413, in the API's words: no server sees it), and passes one of 102,400", async () => {
    const before = await graphqlRequests();
    const sized = (bytes: number) =>
      fetch(`${base}/graphql`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          accept: "application/graphql-response+json",
        },
        // JSON may end in spaces
        body: JSON.stringify({ query: "{ __typename }" }).padEnd(bytes, " "),
      });
    const over = await sized(102_401);
    expect(over.status).toBe(413);
    // nginx's: a server's 413 says which graph answered
    expect(over.headers.get("x-graph-version")).toBeNull();
    expect(over.headers.get("content-type")).toBe("application/json; charset=utf-8");
    expect((await over.json()).errors[0].extensions.code).toBe("REQUEST_ENTITY_TOO_LARGE");
    const at = await sized(102_400);
    expect(at.status).toBe(200);
    expect(await at.json()).toEqual({ data: { __typename: "Query" } });
    const after = await graphqlRequests();
    expect(after[0]! + after[1]! - before[0]! - before[1]!).toBe(1);
  });

  it("passes a GET whose URL is 12 KB on to a server, as a server takes URLs up to 16 KB", async () => {
    const answer = await get({ key: "k".repeat(12_000) });
    expect(answer.status).toBe(200);
    const json = await answer.json();
    expect(json.data).toEqual({ person: null });
    expect(json.errors[0].extensions.code).toBe("NOT_FOUND");
  });

  it("refuses an address its 65th request in progress (429), and serves another address meanwhile", async () => {
    // 64 uploads that announce a body and send none: each holds a request in progress, counted
    // once nginx reads its body (its `100 Continue` says so)
    const uploads = Array.from({ length: 64 }, () => rawConnection(nginxPort));
    try {
      for (const upload of uploads)
        upload.socket.write(
          "POST /graphql HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\nContent-Length: 1000\r\nExpect: 100-continue\r\n\r\n",
        );
      const continued = await Promise.all(uploads.map((upload) => upload.answer(1)));
      expect(continued.map((answer) => answer.status)).toEqual(uploads.map(() => 100));
      const refused = await fetch(`${base}/health`);
      expect(refused.status).toBe(429);
      expect(refused.headers.get("retry-after")).toBe("5");
      expect((await refused.json()).errors[0].extensions.code).toBe("TOO_MANY_CONNECTIONS");
      const other = rawConnection(nginxPort, { from: "127.0.0.2" });
      other.socket.write("GET /health HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n");
      expect((await other.answer(1)).status).toBe(200);
    } finally {
      // nginx ends each request (and frees its place) as it sees its client leave
      for (const upload of uploads) upload.socket.end();
      await Promise.all(uploads.map((upload) => upload.closed));
    }
    expect((await fetch(`${base}/health`)).status).toBe(200);
  });

  it("takes GraphiQL's 9 MB page whole from a server while its client reads none of it", async () => {
    // a client that reads nothing: the server's answer is finished (its log line written) only
    // once nginx has taken all of it; with `proxy_buffering off` nginx takes it at the client's
    // pace, and the server holds what is unsent (in its kernel buffers, about 4 MB here) for as
    // long as the client holds the connection. (Without its temporary file, `proxy_max_temp_file_size
    // 0`, nginx mostly took the page all the same, into its socket's receive buffer from the
    // server, which Linux grew to 6-11 MB here: this test does not guard that number)
    const logged = () =>
      servers.some((s) =>
        s
          .output()
          .split("\n")
          .some(
            (line) =>
              line.includes('"msg":"request"') &&
              line.includes('"path":"/graphql/"') &&
              line.includes('"status":200') &&
              !line.includes('"aborted"'),
          ),
      );
    expect(logged()).toBe(false);
    const socket = connect({ port: nginxPort, host: "127.0.0.1" });
    socket.pause();
    socket.write(
      "GET /graphql/ HTTP/1.1\r\nHost: test\r\nAccept: text/html\r\nConnection: close\r\n\r\n",
    );
    await Promise.race(servers.map((s) => s.outputUntil(logged)));
    // then the client reads it all, from nginx
    const chunks: Buffer[] = [];
    socket.on("data", (chunk: Buffer) => chunks.push(chunk));
    socket.resume();
    await new Promise((resolve) => socket.once("close", resolve));
    const whole = Buffer.concat(chunks);
    const head = whole.indexOf("\r\n\r\n");
    const headers = whole.subarray(0, head).toString("latin1");
    expect(headers).toMatch(/^HTTP\/1\.1 200 /);
    expect(headers).toMatch(/^content-type: text\/html/im);
    const length = Number(/^content-length: (\d+)/im.exec(headers)![1]);
    expect(length).toBeGreaterThan(8_000_000);
    expect(whole.length - head - 4).toBe(length);
  });

  it("passes 248 requests in progress at once from four addresses to the two servers, more than 100 connections to each, and none is refused (each server started with KZ_OSCE_MAX_CONNECTIONS_PER_ADDRESS=0)", async () => {
    // 62 connections from each of four addresses (nginx's bound is 64 an address), each asking a
    // /metrics the servers hold: nginx opens a connection to a server for each request in
    // progress. At the default share (100) a server's 101st was answered 503, which took it out
    // of rotation for fail_timeout, and the other then refused its own 101st (review 20)
    const from = ["127.0.0.2", "127.0.0.3", "127.0.0.4", "127.0.0.5"];
    const clients = from.flatMap((address) =>
      Array.from({ length: 62 }, () => rawConnection(nginxPort, { from: address })),
    );
    const held = metricsGate.hold(clients.length);
    try {
      await Promise.all(clients.map((client) => client.connected));
      // each its own URL: nginx's cache lock would send identical GETs on as one
      clients.forEach((client, i) =>
        client.socket.write(
          `GET /metrics?client=${i} HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n`,
        ),
      );
      // released once every request is at a server, or as soon as one is answered without
      await Promise.race([held.allAsked, ...clients.map((client) => client.answer(1))]);
      held.release();
      const answers = await Promise.all(clients.map((client) => client.answer(1)));
      expect(answers.filter((answer) => answer.status !== 200).map((a) => a.status)).toEqual([]);
      expect(held.asked()).toBe(clients.length);
      // (nginx takes turns: about 124 each)
      expect(held.byServer()).toEqual([expect.any(Number), expect.any(Number)]);
      expect(Math.min(...held.byServer())).toBeGreaterThan(100);
    } finally {
      held.release();
      for (const client of clients) client.socket.destroy();
    }
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
