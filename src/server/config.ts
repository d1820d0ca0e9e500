/**
 * Server configuration from the command line and the environment, validated up front:
 * a bad value stops the server with one line that names the setting and what it accepts.
 * Every setting's variable, bounds and default is in the tables below (INT_SETTINGS, BOOLEAN_SETTINGS),
 * read by one loop each; docs/operations.md lists them all (tests/server/config.test.ts checks it).
 */
import { statSync } from "node:fs";
import { isIP } from "node:net";
import { availableParallelism } from "node:os";
import { resolve } from "node:path";
import { cannotReadDirectory, errorCode } from "../graph/data-file.js";
import type { Limits } from "./limits.js";
import { LOG_LEVELS, type LogLevel } from "./log.js";

export interface Config {
  host: string;
  port: number;
  /** A dataset directory of JSON files; undefined for the built-in dataset. */
  dataDir: string | undefined;
  /** Reload the dataset when its files change (`npm run dev`). */
  watch: boolean;
  /** How long a reload may take, in ms, before its load is stopped and it is reported failed (reload.ts). */
  reloadTimeoutMs: number;
  /** Start a JSON dataset from its snapshot when it is current, and write one when not (src/graph/snapshot/snapshot.ts). */
  snapshot: boolean;
  /**
   * Keep a large snapshot's index columns in a memory-mapped file that every worker shares
   * (src/graph/snapshot/columns.ts); off, each process reads its own copy.
   */
  snapshotMap: boolean;
  /**
   * Where snapshots are kept when not beside their dataset (`KZ_OSCE_SNAPSHOT_DIR`, absolute): for
   * a dataset in a directory this process may not write (src/graph/snapshot/place.ts).
   */
  snapshotDir: string | undefined;
  /**
   * Make, in idle time, the entities of a graph read from its snapshot that a request may read
   * every one of (the lists one request may scan whole under the cost limit; warm.ts).
   */
  warmEntities: boolean;
  /**
   * Run the README's example queries once the server listens, so that the code a request runs is
   * compiled before requests come (`KZ_OSCE_WARM_QUERIES`; warm.ts); /ready says "warming" until then.
   */
  warmQueries: boolean;
  limits: Limits;
  /** Operations per batched request (a JSON array body); 0 turns batching off. */
  maxBatch: number;
  /** Largest request body accepted, in bytes; larger ones get 413. */
  maxBodyBytes: number;
  /** Whether `__schema`/`__type` are answered (off also hides "Did you mean ...?" suggestions). */
  introspection: boolean;
  /** Whether a browser gets GraphiQL at /graphql. */
  graphiql: boolean;
  /** Unexpected errors with their message and stack in `extensions.originalError` (development only). */
  exposeErrors: boolean;
  /** Whether /metrics serves Prometheus metrics. */
  metrics: boolean;
  /** Origins browsers may call the API from: any, none, or these. */
  cors: "*" | "none" | string[];
  /** The least severe level of log line written (one JSON object per line, to stdout). */
  logLevel: LogLevel;
  /** How long a shutdown (SIGTERM) waits for requests in flight before cutting them off, in ms. */
  shutdownTimeoutMs: number;
  /** Time a client may take to send a request's headers, in ms (then 408). */
  headersTimeoutMs: number;
  /** Time a client may take to send a whole request, headers and body, in ms (then 408). */
  requestTimeoutMs: number;
  /**
   * Least average rate of a request body, in bytes/s, once `minBodyRateGraceMs` have passed since
   * it was asked for (then 408 `BODY_TOO_SLOW`, body-rate.ts); 0 turns the floor off.
   */
  minBodyRate: number;
  /** Time a request body may take before its rate is held to `minBodyRate`, in ms. */
  minBodyRateGraceMs: number;
  /** Time a connection may stay idle between two requests before it is closed, in ms. */
  keepAliveTimeoutMs: number;
  /** Connections served at once; a connection beyond them gets 503 and is closed. */
  maxConnections: number;
  /**
   * With `--workers`: connections the primary holds for the workers (accepted, not yet taken by
   * one) at most; a new one past them is closed at once (primary-queue.ts).
   */
  maxQueuedConnections: number;
  /**
   * Connections the kernel may hold accepted but not yet taken by the server (`listen`'s
   * backlog; Linux takes at most `net.core.somaxconn`): past it, a new client's SYN is dropped,
   * and its connect waits on the retransmit, 1, 3 or 7 s later (connections.ts, `listenBacklog`).
   */
  listenBacklog: number;
  /**
   * Served connections one client address may hold (connections.ts, "One address's share"): its
   * newcomer past them closes one of its own stale connections, or is answered 503; 0: no bound.
   */
  maxConnectionsPerAddress: number;
  /** Bytes of answers written but not yet taken by their clients, over all connections, above which those holding them longest are closed (unsent.ts). */
  maxUnsentBytes: number;
  /**
   * Least rate at which a client must read what waits for it, in bytes/s, measured over a minute
   * by what it acknowledged (where Linux's /proc/net/tcp can be read: unsent.ts); below it, with
   * more than a minute's worth waiting at every reading, its connection is reset; 0: no floor.
   */
  minResponseRate: number;
  /** New GraphQL requests get 503 while the event loop is this late, in ms; 0 turns shedding off. */
  maxEventLoopDelayMs: number;
  /** `max-age` of a successful GraphQL GET answer, in seconds (http-cache.ts). */
  cacheMaxAgeSeconds: number;
  /** `stale-while-revalidate` of a successful GraphQL GET answer, in seconds. */
  cacheStaleWhileRevalidateSeconds: number;
  /** Whether GraphQL answers are compressed (brotli or gzip) for clients that accept it. */
  compression: boolean;
  /** GraphQL answers shorter than this, in bytes, are not compressed. */
  compressMinBytes: number;
  /** RDF exports produced at once (export-routes.ts); one more gets 503 `EXPORTS_BUSY`. */
  maxExports: number;
  /** An RDF export at most this long (bytes, uncompressed) is kept in memory with its compressed forms while its graph is served; a longer one is streamed anew for each request. */
  exportKeepMaxBytes: number;
  /** Processes serving requests (node:cluster, cluster.ts); 1: this process alone. */
  workers: number;
  /** Answer the web explorer's trusted documents only (`documentId`), refusing query texts (trusted-documents.ts). */
  trustedDocumentsOnly: boolean;
  /** Subgraph mode (serve the Federation v2 subgraph schema, see src/server/subgraph.ts); undefined when off. */
  subgraph?: SubgraphSettings | undefined;
}

export interface SubgraphSettings {
  /**
   * When set, `_entities` and `_service` answer only requests whose `x-gateway-secret` header
   * holds this value (the gateway's); others get a FORBIDDEN error. Undefined: anyone may call them.
   */
  gatewaySecret: string | undefined;
}

export class ConfigError extends Error {
  override name = "ConfigError";
}

export const USAGE = `Usage: npm start -- [--data DIR] [--port N] [--host ADDRESS] [--watch] [--subgraph] [--workers N]
  --data DIR       serve the JSON dataset in DIR (env KZ_OSCE_DATA) instead of the built-in one
  --port N         port to listen on, 0-65535 (env PORT; default 4000; 0 picks a free port)
  --host ADDRESS   address to listen on (env HOST; default 127.0.0.1)
  --watch          reload the dataset when its files change (env KZ_OSCE_WATCH=true; npm run dev)
  --subgraph       serve the Federation v2 subgraph schema, for a gateway (env KZ_OSCE_SUBGRAPH=true)
  --workers N      serve from N processes, 1-256, or auto (one per core) (env KZ_OSCE_WORKERS; default 1)
Other settings come from the environment (KZ_OSCE_MAX_DEPTH, ...): see docs/operations.md.`;

/** A whole-number setting: its environment variable, its bounds and its default. */
interface IntSetting {
  env: string;
  min: number;
  max: number;
  default: number;
  /** Why no larger value is taken, said when one is refused. */
  whyMax?: string;
}

const int = (
  env: string,
  min: number,
  max: number,
  fallback: number,
  whyMax?: string,
): IntSetting => ({ env, min, max, default: fallback, ...(whyMax && { whyMax }) });

/**
 * The limits, by their place in Limits; what each means is said there (limits.ts), and, with the
 * other settings, in the settings tables of docs/operations.md.
 */
const LIMIT_SETTINGS = {
  maxDepth: int("KZ_OSCE_MAX_DEPTH", 1, 100, 15),
  maxAliases: int("KZ_OSCE_MAX_ALIASES", 0, 1000, 30),
  maxDirectives: int("KZ_OSCE_MAX_DIRECTIVES", 0, 1000, 30),
  maxTokens: int("KZ_OSCE_MAX_TOKENS", 100, 100_000, 2000),
  maxLines: int("KZ_OSCE_MAX_LINES", 10, 1_000_000, 5000),
  maxCost: int("KZ_OSCE_MAX_COST", 1, 1_000_000_000, 125_000),
  costListSize: int("KZ_OSCE_COST_LIST_SIZE", 1, 1000, 10),
  maxFilterConditions: int("KZ_OSCE_MAX_FILTER_CONDITIONS", 1, 100_000, 100),
  // deeper than 200 would let graphql-js's recursive coercion near the stack's end again
  maxVariableDepth: int("KZ_OSCE_MAX_VARIABLE_DEPTH", 2, 200, 32),
  maxListLength: int("KZ_OSCE_MAX_LIST_LENGTH", 1, 1_000_000, 1000),
  executionTimeoutMs: int("KZ_OSCE_EXECUTION_TIMEOUT_MS", 1, 600_000, 5000),
  executionSliceMs: int("KZ_OSCE_EXECUTION_SLICE_MS", 1, 600_000, 20),
  maxErrors: int("KZ_OSCE_MAX_ERRORS", 1, 100_000, 100),
  maxErrorBytes: int("KZ_OSCE_MAX_ERROR_BYTES", 1024, 500_000_000, 32_768),
  // V8's longest string is about 536 MB: JSON.stringify of a larger answer throws
  maxResponseBytes: int("KZ_OSCE_MAX_RESPONSE_BYTES", 1024, 500_000_000, 16_777_216),
} satisfies Record<keyof Limits, IntSetting>;

/** The other whole-number settings, by their place in Config (which says what each means). */
const SERVER_INT_SETTINGS = {
  maxBatch: int("KZ_OSCE_MAX_BATCH", 0, 100, 10),
  // a body is parsed in one turn of the event loop (its JSON, then its document): 512 KiB of the
  // worst JSON (a list of empty objects) held it 84 ms of CPU, about 170 ms a MiB
  // (bench/attack/body-hold.mjs, bench/results/2026-12-06-body-hold.txt; an object of many keys
  // held it 230-256 ms a MiB before the variables' walk changed); red team 13, F3: 100 MB held it
  // for seconds
  maxBodyBytes: int(
    "KZ_OSCE_MAX_BODY_BYTES",
    1024,
    524_288,
    102_400,
    "a larger body holds the event loop over 80 ms while it is parsed, every other request waiting (about 170 ms of CPU a MiB of the worst JSON, a list of empty objects)",
  ),
  shutdownTimeoutMs: int("KZ_OSCE_SHUTDOWN_TIMEOUT_MS", 0, 600_000, 10_000),
  // reload.ts RELOAD_TIMEOUT_MS: five times the longest reload measured at a million entities
  reloadTimeoutMs: int("KZ_OSCE_RELOAD_TIMEOUT_MS", 1000, 86_400_000, 900_000),
  headersTimeoutMs: int("KZ_OSCE_HEADERS_TIMEOUT_MS", 100, 600_000, 10_000),
  requestTimeoutMs: int("KZ_OSCE_REQUEST_TIMEOUT_MS", 100, 600_000, 30_000),
  keepAliveTimeoutMs: int("KZ_OSCE_KEEP_ALIVE_TIMEOUT_MS", 100, 600_000, 5000),
  // Kestrel's MinRequestBodyDataRate: 240 bytes/s after 5 s
  minBodyRate: int("KZ_OSCE_MIN_BODY_RATE", 0, 1_000_000_000, 240),
  minBodyRateGraceMs: int("KZ_OSCE_MIN_BODY_RATE_GRACE_MS", 100, 600_000, 5000),
  maxConnections: int("KZ_OSCE_MAX_CONNECTIONS", 1, 1_000_000, 1000),
  maxQueuedConnections: int("KZ_OSCE_MAX_QUEUED_CONNECTIONS", 1, 1_000_000, 1024),
  // Node's default. Longer, no SYN is dropped under a flood of connections (red team 14, F3:
  // 3,000 slow ones renewed as closed overflowed 511, and other clients' connects waited on
  // retransmits), but the flood, no longer slowed, churns faster, and another client's median
  // wait doubled (bench/results/2026-12-06-listen-backlog.txt). Linux's backlog was 16 bits wide
  listenBacklog: int("KZ_OSCE_LISTEN_BACKLOG", 1, 65_535, 511),
  // a tenth of the default cap: far above the six connections a browser opens to a host; 0 behind
  // a proxy, whose address every connection has (deployment.md)
  maxConnectionsPerAddress: int("KZ_OSCE_MAX_CONNECTIONS_PER_ADDRESS", 0, 1_000_000, 100),
  maxUnsentBytes: int("KZ_OSCE_MAX_UNSENT_BYTES", 1_048_576, 9_000_000_000, 536_870_912),
  minResponseRate: int("KZ_OSCE_MIN_RESPONSE_RATE", 0, 1_000_000_000, 4096),
  maxEventLoopDelayMs: int("KZ_OSCE_MAX_EVENT_LOOP_DELAY_MS", 0, 600_000, 1000),
  cacheMaxAgeSeconds: int("KZ_OSCE_CACHE_MAX_AGE_SECONDS", 0, 31_536_000, 60),
  cacheStaleWhileRevalidateSeconds: int(
    "KZ_OSCE_CACHE_STALE_WHILE_REVALIDATE_SECONDS",
    0,
    31_536_000,
    300,
  ),
  compressMinBytes: int("KZ_OSCE_COMPRESS_MIN_BYTES", 0, 100_000_000, 1024),
  maxExports: int("KZ_OSCE_MAX_EXPORTS", 1, 1000, 2),
  exportKeepMaxBytes: int("KZ_OSCE_EXPORT_KEEP_MAX_BYTES", 0, 1_000_000_000, 16_777_216),
} satisfies Partial<Record<keyof Config, IntSetting>>;

/** Every whole-number setting, by name. */
export const INT_SETTINGS = { ...LIMIT_SETTINGS, ...SERVER_INT_SETTINGS };

interface BooleanSetting {
  env: string;
  default: boolean;
}

const bool = (env: string, fallback: boolean): BooleanSetting => ({ env, default: fallback });

/** The on/off settings, by their place in Config (which says what each means). */
export const BOOLEAN_SETTINGS = {
  introspection: bool("KZ_OSCE_INTROSPECTION", true),
  // unset, it follows introspection, which GraphiQL needs, and is off with trusted documents only
  graphiql: bool("KZ_OSCE_GRAPHIQL", true),
  exposeErrors: bool("KZ_OSCE_EXPOSE_ERRORS", false),
  metrics: bool("KZ_OSCE_METRICS", true),
  watch: bool("KZ_OSCE_WATCH", false),
  trustedDocumentsOnly: bool("KZ_OSCE_TRUSTED_DOCUMENTS_ONLY", false),
  compression: bool("KZ_OSCE_COMPRESSION", true),
  snapshot: bool("KZ_OSCE_SNAPSHOT", true),
  snapshotMap: bool("KZ_OSCE_SNAPSHOT_MAP", true),
  warmEntities: bool("KZ_OSCE_WARM_ENTITIES", true),
  warmQueries: bool("KZ_OSCE_WARM_QUERIES", true),
  subgraph: bool("KZ_OSCE_SUBGRAPH", false),
};

type Env = Record<string, string | undefined>;

/** The gateway's shared secret: long enough not to be guessed, and only characters a header (and the gateway's `{...}` interpolation) leaves alone. */
const GATEWAY_SECRET = /^[A-Za-z0-9._~+/=-]{16,256}$/;

function subgraphSetting(on: boolean, env: Env): SubgraphSettings | undefined {
  // set but empty: unset elsewhere, as every setting is, but refused in subgraph mode, where it
  // would leave `_entities` and `_service` open to anyone (red team 54, F2): an empty value is a
  // secret that failed to be filled in (a template, a mount), not a wish to run without one
  if (on && env.KZ_OSCE_GATEWAY_SECRET === "")
    throw new ConfigError(
      "KZ_OSCE_GATEWAY_SECRET is set but empty: in subgraph mode that would let anyone ask `_entities` and `_service`. Give the gateway's secret (16 to 256 characters), or unset the variable to run without one",
    );
  const secret = env.KZ_OSCE_GATEWAY_SECRET || undefined;
  if (secret !== undefined && !on) {
    throw new ConfigError(
      "KZ_OSCE_GATEWAY_SECRET is only used in subgraph mode: add --subgraph (or KZ_OSCE_SUBGRAPH=true), or unset it",
    );
  }
  if (secret !== undefined && !GATEWAY_SECRET.test(secret)) {
    throw new ConfigError(
      `KZ_OSCE_GATEWAY_SECRET must be 16 to 256 characters of letters, digits and . _ ~ + / = - (got ${secret.length} characters${/[^A-Za-z0-9._~+/=-]/.test(secret) ? ", some of them others" : ""})`,
    );
  }
  return on ? { gatewaySecret: secret } : undefined;
}

/**
 * Said with a snapshot that could not be written beside its dataset (a read-only dataset
 * directory, most often), when no KZ_OSCE_SNAPSHOT_DIR is set: log fields, empty when it is.
 */
export function snapshotDirHint(snapshotDir: string | undefined): { hint?: string } {
  return snapshotDir === undefined
    ? { hint: "KZ_OSCE_SNAPSHOT_DIR can put snapshots in a writable directory" }
    : {};
}

/**
 * KZ_OSCE_SNAPSHOT_DIR: a directory (made at the first write when missing, as are the ones above
 * it), resolved from the working directory; unset or empty, snapshots are kept beside their
 * datasets.
 */
function snapshotDirSetting(env: Env): string | undefined {
  const text = env.KZ_OSCE_SNAPSHOT_DIR || undefined;
  if (text === undefined) return undefined;
  const dir = resolve(text);
  let isDirectory: boolean | undefined;
  try {
    isDirectory = statSync(dir).isDirectory();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT")
      throw new ConfigError(
        `KZ_OSCE_SNAPSHOT_DIR: "${dir}" cannot be looked at: ${(error as Error).message}`,
      );
  }
  if (isDirectory === false)
    throw new ConfigError(`KZ_OSCE_SNAPSHOT_DIR: "${dir}" is not a directory`);
  return dir;
}

/**
 * `*`, `none`, or a comma-separated list of origins (`https://example.org`, no path), each kept as
 * a browser writes it in `Origin` (cors.ts compares them as strings): the host in lower case, a
 * scheme's default port left out (`URL.origin`). Red team 12: `https://App.Example` and
 * `https://b.example:443` were kept as written, matched no browser's `Origin`, and CORS failed for
 * those sites without a word; a port over 65535 was taken, an IPv6 host (`http://[::1]:3000`) not.
 */
function corsSetting(env: Env): Config["cors"] {
  const text = env.KZ_OSCE_CORS_ORIGINS;
  if (text === undefined || text === "" || text === "*") return "*";
  if (text === "none") return "none";
  const origins = text.split(",").map((o) => o.trim());
  const canonical = origins.map((origin) => {
    const url = URL.canParse(origin) ? new URL(origin) : undefined;
    // scheme and host (and port) only: no path, not even "/" (nor "\\", which a URL reads as
    // "/": review 14), no credentials, query or fragment
    if (
      url === undefined ||
      !/^https?:$/.test(url.protocol) ||
      !/^https?:\/\/[^/\\?#@]+$/i.test(origin)
    )
      throw new ConfigError(
        `KZ_OSCE_CORS_ORIGINS must be *, none, or comma-separated origins like https://example.org (scheme and host, no path), got "${origin}"`,
      );
    return url.origin;
  });
  return [...new Set(canonical)];
}

function logLevelSetting(env: Env): LogLevel {
  const text = env.KZ_OSCE_LOG_LEVEL;
  if (text === undefined || text === "") return "info";
  if (!(LOG_LEVELS as readonly string[]).includes(text))
    throw new ConfigError(
      `KZ_OSCE_LOG_LEVEL must be one of ${LOG_LEVELS.join(", ")}, got "${text}"`,
    );
  return text as LogLevel;
}

/** An on/off setting: `fallback` when its variable is unset or empty, else true or false. */
function booleanValue(setting: BooleanSetting, env: Env, fallback = setting.default): boolean {
  const text = env[setting.env];
  if (text === undefined || text === "") return fallback;
  if (text === "true") return true;
  if (text === "false") return false;
  throw new ConfigError(`${setting.env} must be true or false, got "${text}"`);
}

/** A whole-number setting: its default when its variable is unset or empty, else within bounds. */
function intValue(
  { env: name, min, max, default: fallback, whyMax }: IntSetting,
  env: Env,
): number {
  const text = env[name];
  if (text === undefined || text === "") return fallback;
  const whole = /^\d{1,10}$/.test(text);
  if (!whole || Number(text) < min || Number(text) > max) {
    const why = whole && Number(text) > max && whyMax ? `: ${whyMax}` : "";
    throw new ConfigError(
      `${name} must be a whole number from ${min} to ${max}, got "${text}"${why}`,
    );
  }
  return Number(text);
}

/**
 * What a host name may look like: letters, digits, `-`, `_` (names of containers) and dots, not
 * beginning with `-` or `.`. Whether it resolves, and to an address of this machine, is tried
 * before the dataset's load (listen-check.ts).
 */
const HOST_NAME = /^[A-Za-z0-9_](?:[A-Za-z0-9_.-]{0,251}[A-Za-z0-9_.])?$/;

/** Every setting of `table` read from `env` by `read`, by name. */
function valuesOf<K extends string, S, V>(table: Record<K, S>, read: (setting: S) => V) {
  const entries = Object.entries(table) as [K, S][];
  return Object.fromEntries(entries.map(([name, setting]) => [name, read(setting)])) as Record<
    K,
    V
  >;
}

export function parseConfig(argv: readonly string[], env: Env): Config {
  const flags = new Map<string, string>();
  let watchFlag = false;
  let subgraphFlag = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--watch") {
      watchFlag = true;
      continue;
    }
    if (arg === "--subgraph") {
      subgraphFlag = true;
      continue;
    }
    if (arg.startsWith("--watch=") || arg.startsWith("--subgraph="))
      throw new ConfigError(`${arg.slice(0, arg.indexOf("="))} takes no value\n${USAGE}`);
    const match = /^--(data|port|host|workers)(?:=(.*))?$/.exec(arg);
    if (!match) throw new ConfigError(`unknown argument "${arg}"\n${USAGE}`);
    const value = match[2] ?? argv[++i];
    if (value === undefined || value === "" || (match[2] === undefined && value.startsWith("--"))) {
      throw new ConfigError(`--${match[1]} needs a value\n${USAGE}`);
    }
    // a flag of one value given twice: which one counts is a guess, as for a request's repeated
    // parameter (repeated-parameters.ts). Red team 44 (N4): `--data /a --data /b` served /b
    // without a word, the last one taken. `--watch` and `--subgraph` say the same thing twice.
    const earlier = flags.get(match[1]!);
    if (earlier !== undefined) {
      throw new ConfigError(
        `--${match[1]} is given more than once ("${earlier}" and "${value}"): give it once, so that it is clear which one counts\n${USAGE}`,
      );
    }
    flags.set(match[1]!, value);
  }

  // an empty variable counts as unset, as for HOST and KZ_OSCE_DATA
  const portText = flags.get("port") ?? (env.PORT || "4000");
  const portSource = flags.has("port") ? "--port" : env.PORT ? "PORT" : "default port";
  if (!/^\d{1,5}$/.test(portText) || Number(portText) > 65535) {
    throw new ConfigError(
      `${portSource} must be a whole number from 0 to 65535, got "${portText}"`,
    );
  }

  const dataText = flags.get("data") ?? (env.KZ_OSCE_DATA || undefined);
  let dataDir: string | undefined;
  if (dataText !== undefined) {
    const dataSource = flags.has("data") ? "--data" : "KZ_OSCE_DATA";
    dataDir = resolve(dataText);
    let isDirectory: boolean;
    try {
      isDirectory = statSync(dataDir).isDirectory();
    } catch (error) {
      const code = errorCode(error);
      if (code === "ENOENT" || code === "ENOTDIR")
        throw new ConfigError(`${dataSource}: the dataset directory "${dataDir}" does not exist`);
      // a directory above it this process may not search: not "does not exist" (existsSync's
      // false for any error said so)
      throw new ConfigError(`${dataSource}: ${dataDir}: ${cannotReadDirectory(dataDir, error)}`);
    }
    if (!isDirectory) throw new ConfigError(`${dataSource}: "${dataDir}" is not a directory`);
  }

  const host = flags.get("host") ?? (env.HOST || "127.0.0.1");
  if (isIP(host) === 0 && !HOST_NAME.test(host))
    throw new ConfigError(
      `${flags.has("host") ? "--host" : "HOST"} must be an IP address (${host.startsWith("[") ? "without brackets, " : ""}such as 127.0.0.1, 0.0.0.0 or ::1) or a host name, got "${host}"`,
    );
  const snapshotDir = snapshotDirSetting(env);
  const workersText = flags.get("workers") ?? (env.KZ_OSCE_WORKERS || "1");
  if (
    workersText !== "auto" &&
    (!/^\d{1,3}$/.test(workersText) || Number(workersText) < 1 || Number(workersText) > 256)
  ) {
    throw new ConfigError(
      `${flags.has("workers") ? "--workers" : "KZ_OSCE_WORKERS"} must be auto (one per core) or a whole number from 1 to 256, got "${workersText}"`,
    );
  }
  const workers = workersText === "auto" ? availableParallelism() : Number(workersText);
  const on = valuesOf(BOOLEAN_SETTINGS, (setting) => booleanValue(setting, env));
  // GraphiQL sends the queries its user types: none of them is a trusted document
  const graphiql = booleanValue(
    BOOLEAN_SETTINGS.graphiql,
    env,
    on.introspection && !on.trustedDocumentsOnly,
  );
  if (graphiql && on.trustedDocumentsOnly) {
    throw new ConfigError(
      "KZ_OSCE_GRAPHIQL=true cannot work with KZ_OSCE_TRUSTED_DOCUMENTS_ONLY=true: GraphiQL sends query texts, which the server then refuses",
    );
  }
  const numbers = valuesOf(SERVER_INT_SETTINGS, (setting) => intValue(setting, env));
  const { headersTimeoutMs, requestTimeoutMs } = numbers;
  if (headersTimeoutMs > requestTimeoutMs) {
    throw new ConfigError(
      `KZ_OSCE_HEADERS_TIMEOUT_MS (${headersTimeoutMs}) must not exceed KZ_OSCE_REQUEST_TIMEOUT_MS (${requestTimeoutMs}): the request's time includes its headers`,
    );
  }
  const { minBodyRate, minBodyRateGraceMs } = numbers;
  if (minBodyRate > 0 && minBodyRateGraceMs >= requestTimeoutMs) {
    throw new ConfigError(
      `KZ_OSCE_MIN_BODY_RATE_GRACE_MS (${minBodyRateGraceMs}) must be less than KZ_OSCE_REQUEST_TIMEOUT_MS (${requestTimeoutMs}): the request timeout would cut a slow body before its rate is ever checked (or turn the floor off with KZ_OSCE_MIN_BODY_RATE=0)`,
    );
  }
  if (graphiql && !on.introspection) {
    throw new ConfigError(
      "KZ_OSCE_GRAPHIQL=true needs introspection, which KZ_OSCE_INTROSPECTION=false turns off (GraphiQL reads the schema by introspection)",
    );
  }
  return {
    ...on,
    ...numbers,
    host,
    port: Number(portText),
    dataDir,
    snapshotDir,
    watch: watchFlag || on.watch,
    limits: valuesOf(LIMIT_SETTINGS, (setting) => intValue(setting, env)),
    graphiql,
    cors: corsSetting(env),
    logLevel: logLevelSetting(env),
    workers,
    subgraph: subgraphSetting(subgraphFlag || on.subgraph, env),
  };
}

/** The configuration with nothing given: what `createApp` uses for what it is not told. */
export const DEFAULT_CONFIG: Config = parseConfig([], {});
