/**
 * Server configuration from the command line and the environment, validated up front:
 * a bad value stops the server with one line that names the setting and what it accepts.
 * Every setting, its variable and its default is listed in SETTINGS below (and in the settings tables of docs/operations.md).
 */
import { existsSync, statSync } from "node:fs";
import { availableParallelism } from "node:os";
import { resolve } from "node:path";
import type { Limits } from "./limits.js";
import { LOG_LEVELS, type LogLevel } from "./log.js";

export interface Config {
  host: string;
  port: number;
  /** A dataset directory of JSON files; undefined for the built-in dataset. */
  dataDir: string | undefined;
  /** Reload the dataset when its files change (`npm run dev`). */
  watch: boolean;
  /** Start a JSON dataset from its snapshot when it is current, and write one when not (src/graph/snapshot/snapshot.ts). */
  snapshot: boolean;
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
  /** Time a connection may stay idle between two requests before it is closed, in ms. */
  keepAliveTimeoutMs: number;
  /** Connections served at once; a connection beyond them gets 503 and is closed. */
  maxConnections: number;
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

/** A whole-number setting read from one environment variable. */
interface IntSetting {
  env: string;
  min: number;
  max: number;
  default: number;
  /** What it is, for the settings table of docs/operations.md. */
  about: string;
}

/** The numeric settings, by their place in Config. */
export const INT_SETTINGS = {
  maxDepth: {
    env: "KZ_OSCE_MAX_DEPTH",
    min: 1,
    max: 100,
    default: 15,
    about: "deepest field nesting (a connection's `edges { node }` is two levels)",
  },
  maxAliases: {
    env: "KZ_OSCE_MAX_ALIASES",
    min: 0,
    max: 1000,
    default: 30,
    about: "aliases per operation",
  },
  maxDirectives: {
    env: "KZ_OSCE_MAX_DIRECTIVES",
    min: 0,
    max: 1000,
    default: 30,
    about: "directives per operation",
  },
  maxTokens: {
    env: "KZ_OSCE_MAX_TOKENS",
    min: 100,
    max: 100_000,
    default: 2000,
    about: "lexical tokens per document",
  },
  maxCost: {
    env: "KZ_OSCE_MAX_COST",
    min: 1,
    max: 1_000_000_000,
    default: 125_000,
    about:
      "units of work (about 2 µs each) an operation may cost, estimated before it runs (see Limits)",
  },
  costListSize: {
    env: "KZ_OSCE_COST_LIST_SIZE",
    min: 1,
    max: 1000,
    default: 10,
    about: "entries the cost assumes for a list the graph's shape does not size",
  },
  maxFilterConditions: {
    env: "KZ_OSCE_MAX_FILTER_CONDITIONS",
    min: 1,
    max: 100_000,
    default: 100,
    about: "conditions one `filter` argument may hold (operators, `and`/`or` members, `not`s)",
  },
  maxVariableDepth: {
    env: "KZ_OSCE_MAX_VARIABLE_DEPTH",
    min: 2,
    max: 200,
    default: 32,
    about: "deepest nesting of objects and lists in one variable",
  },
  maxListLength: {
    env: "KZ_OSCE_MAX_LIST_LENGTH",
    min: 1,
    max: 1_000_000,
    default: 1000,
    about: "most items of one list in a variable",
  },
  executionTimeoutMs: {
    env: "KZ_OSCE_EXECUTION_TIMEOUT_MS",
    min: 1,
    max: 600_000,
    default: 5000,
    about: "time an operation may execute, in ms (then 503 EXECUTION_TIMEOUT)",
  },
  executionSliceMs: {
    env: "KZ_OSCE_EXECUTION_SLICE_MS",
    min: 1,
    max: 600_000,
    default: 20,
    about:
      "time an operation may hold the event loop before it lets other requests run for a turn, in ms",
  },
  maxBatch: {
    env: "KZ_OSCE_MAX_BATCH",
    min: 0,
    max: 100,
    default: 10,
    about: "operations per batched request (JSON array body); 0 turns batching off",
  },
  maxBodyBytes: {
    env: "KZ_OSCE_MAX_BODY_BYTES",
    min: 1024,
    max: 100_000_000,
    default: 102_400,
    about: "largest request body, in bytes (larger: 413)",
  },
  shutdownTimeoutMs: {
    env: "KZ_OSCE_SHUTDOWN_TIMEOUT_MS",
    min: 0,
    max: 600_000,
    default: 10_000,
    about: "time a shutdown waits for requests in flight, in ms",
  },
  headersTimeoutMs: {
    env: "KZ_OSCE_HEADERS_TIMEOUT_MS",
    min: 100,
    max: 600_000,
    default: 10_000,
    about: "time a client may take to send a request's headers, in ms (then 408)",
  },
  requestTimeoutMs: {
    env: "KZ_OSCE_REQUEST_TIMEOUT_MS",
    min: 100,
    max: 600_000,
    default: 30_000,
    about: "time a client may take to send a whole request, body included, in ms (then 408)",
  },
  keepAliveTimeoutMs: {
    env: "KZ_OSCE_KEEP_ALIVE_TIMEOUT_MS",
    min: 100,
    max: 600_000,
    default: 5000,
    about: "time a connection may stay idle between requests, in ms",
  },
  maxConnections: {
    env: "KZ_OSCE_MAX_CONNECTIONS",
    min: 1,
    max: 1_000_000,
    default: 1000,
    about: "connections served at once (beyond: 503 and closed)",
  },
  maxEventLoopDelayMs: {
    env: "KZ_OSCE_MAX_EVENT_LOOP_DELAY_MS",
    min: 0,
    max: 600_000,
    default: 1000,
    about: "event-loop delay from which new requests get 503, in ms; 0 turns shedding off",
  },
  cacheMaxAgeSeconds: {
    env: "KZ_OSCE_CACHE_MAX_AGE_SECONDS",
    min: 0,
    max: 31_536_000,
    default: 60,
    about: "`max-age` of a successful GraphQL GET answer, in seconds (see docs/deployment.md)",
  },
  cacheStaleWhileRevalidateSeconds: {
    env: "KZ_OSCE_CACHE_STALE_WHILE_REVALIDATE_SECONDS",
    min: 0,
    max: 31_536_000,
    default: 300,
    about: "`stale-while-revalidate` of a successful GraphQL GET answer, in seconds",
  },
  compressMinBytes: {
    env: "KZ_OSCE_COMPRESS_MIN_BYTES",
    min: 0,
    max: 100_000_000,
    default: 1024,
    about: "GraphQL answers shorter than this, in bytes, are sent uncompressed",
  },
} as const satisfies Record<string, IntSetting>;

type IntSettingName = keyof typeof INT_SETTINGS;

/** The on/off settings, by their place in Config; GraphiQL's default follows introspection's. */
export const BOOLEAN_SETTINGS = {
  introspection: {
    env: "KZ_OSCE_INTROSPECTION",
    default: true,
    about: 'answer introspection (`__schema`, `__type`); off also hides "Did you mean" suggestions',
  },
  graphiql: {
    env: "KZ_OSCE_GRAPHIQL",
    default: true,
    about:
      "serve GraphiQL to browsers at /graphql (default: as `KZ_OSCE_INTROSPECTION`, which it needs)",
  },
  exposeErrors: {
    env: "KZ_OSCE_EXPOSE_ERRORS",
    default: false,
    about: "show unexpected errors' message and stack in responses (never in production)",
  },
  metrics: { env: "KZ_OSCE_METRICS", default: true, about: "serve Prometheus metrics at /metrics" },
  watch: {
    env: "KZ_OSCE_WATCH",
    default: false,
    about: "reload the dataset when its files change (as --watch)",
  },
  trustedDocumentsOnly: {
    env: "KZ_OSCE_TRUSTED_DOCUMENTS_ONLY",
    default: false,
    about:
      "answer only the web explorer's trusted documents (`documentId`), refusing query texts (an allow-list)",
  },
  compression: {
    env: "KZ_OSCE_COMPRESSION",
    default: true,
    about:
      "compress GraphQL answers (brotli or gzip, as the client accepts) from `KZ_OSCE_COMPRESS_MIN_BYTES` on",
  },
  snapshot: {
    env: "KZ_OSCE_SNAPSHOT",
    default: true,
    about:
      "start a JSON dataset from its snapshot (`.kz-osce-snapshot` beside it) when current, else load in full and write one",
  },
  subgraph: {
    env: "KZ_OSCE_SUBGRAPH",
    default: false,
    about:
      "serve the Federation v2 subgraph schema (`_service`, `_entities`), for a gateway (as --subgraph)",
  },
} as const;

/** The gateway's shared secret: long enough not to be guessed, and only characters a header (and the gateway's `{...}` interpolation) leaves alone. */
const GATEWAY_SECRET = /^[A-Za-z0-9._~+/=-]{16,256}$/;

function subgraphSetting(
  flag: boolean,
  env: Record<string, string | undefined>,
): SubgraphSettings | undefined {
  const on = flag || booleanSetting("subgraph", env, BOOLEAN_SETTINGS.subgraph.default);
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

/** `*`, `none`, or a comma-separated list of origins (`https://example.org`, no path). */
function corsSetting(env: Record<string, string | undefined>): Config["cors"] {
  const text = env.KZ_OSCE_CORS_ORIGINS;
  if (text === undefined || text === "" || text === "*") return "*";
  if (text === "none") return "none";
  const origins = text.split(",").map((o) => o.trim());
  for (const origin of origins) {
    if (!/^https?:\/\/[A-Za-z0-9.-]+(:\d{1,5})?$/.test(origin)) {
      throw new ConfigError(
        `KZ_OSCE_CORS_ORIGINS must be *, none, or comma-separated origins like https://example.org (scheme and host, no path), got "${origin}"`,
      );
    }
  }
  return origins;
}

function logLevelSetting(env: Record<string, string | undefined>): LogLevel {
  const text = env.KZ_OSCE_LOG_LEVEL;
  if (text === undefined || text === "") return "info";
  if (!(LOG_LEVELS as readonly string[]).includes(text))
    throw new ConfigError(
      `KZ_OSCE_LOG_LEVEL must be one of ${LOG_LEVELS.join(", ")}, got "${text}"`,
    );
  return text as LogLevel;
}

function booleanSetting(
  name: keyof typeof BOOLEAN_SETTINGS,
  env: Record<string, string | undefined>,
  fallback: boolean,
): boolean {
  const setting = BOOLEAN_SETTINGS[name];
  const text = env[setting.env];
  if (text === undefined || text === "") return fallback;
  if (text === "true") return true;
  if (text === "false") return false;
  throw new ConfigError(`${setting.env} must be true or false, got "${text}"`);
}

function intSetting(name: IntSettingName, env: Record<string, string | undefined>): number {
  const setting: IntSetting = INT_SETTINGS[name];
  const text = env[setting.env];
  if (text === undefined || text === "") return setting.default;
  if (!/^\d{1,10}$/.test(text) || Number(text) < setting.min || Number(text) > setting.max) {
    throw new ConfigError(
      `${setting.env} must be a whole number from ${setting.min} to ${setting.max}, got "${text}"`,
    );
  }
  return Number(text);
}

export function parseConfig(
  argv: readonly string[],
  env: Record<string, string | undefined>,
): Config {
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
    if (!existsSync(dataDir))
      throw new ConfigError(`${dataSource}: the dataset directory "${dataDir}" does not exist`);
    if (!statSync(dataDir).isDirectory())
      throw new ConfigError(`${dataSource}: "${dataDir}" is not a directory`);
  }

  const host = flags.get("host") ?? (env.HOST || "127.0.0.1");
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
  const introspection = booleanSetting(
    "introspection",
    env,
    BOOLEAN_SETTINGS.introspection.default,
  );
  const trustedDocumentsOnly = booleanSetting(
    "trustedDocumentsOnly",
    env,
    BOOLEAN_SETTINGS.trustedDocumentsOnly.default,
  );
  // GraphiQL sends the queries its user types: none of them is a trusted document
  const graphiql = booleanSetting("graphiql", env, introspection && !trustedDocumentsOnly);
  if (graphiql && trustedDocumentsOnly) {
    throw new ConfigError(
      "KZ_OSCE_GRAPHIQL=true cannot work with KZ_OSCE_TRUSTED_DOCUMENTS_ONLY=true: GraphiQL sends query texts, which the server then refuses",
    );
  }
  const headersTimeoutMs = intSetting("headersTimeoutMs", env);
  const requestTimeoutMs = intSetting("requestTimeoutMs", env);
  if (headersTimeoutMs > requestTimeoutMs) {
    throw new ConfigError(
      `KZ_OSCE_HEADERS_TIMEOUT_MS (${headersTimeoutMs}) must not exceed KZ_OSCE_REQUEST_TIMEOUT_MS (${requestTimeoutMs}): the request's time includes its headers`,
    );
  }
  if (graphiql && !introspection) {
    throw new ConfigError(
      "KZ_OSCE_GRAPHIQL=true needs introspection, which KZ_OSCE_INTROSPECTION=false turns off (GraphiQL reads the schema by introspection)",
    );
  }
  return {
    host,
    port: Number(portText),
    dataDir,
    watch: watchFlag || booleanSetting("watch", env, BOOLEAN_SETTINGS.watch.default),
    snapshot: booleanSetting("snapshot", env, BOOLEAN_SETTINGS.snapshot.default),
    limits: {
      maxDepth: intSetting("maxDepth", env),
      maxAliases: intSetting("maxAliases", env),
      maxDirectives: intSetting("maxDirectives", env),
      maxTokens: intSetting("maxTokens", env),
      maxCost: intSetting("maxCost", env),
      costListSize: intSetting("costListSize", env),
      maxFilterConditions: intSetting("maxFilterConditions", env),
      maxVariableDepth: intSetting("maxVariableDepth", env),
      maxListLength: intSetting("maxListLength", env),
      executionTimeoutMs: intSetting("executionTimeoutMs", env),
      executionSliceMs: intSetting("executionSliceMs", env),
    },
    maxBatch: intSetting("maxBatch", env),
    maxBodyBytes: intSetting("maxBodyBytes", env),
    introspection,
    graphiql,
    exposeErrors: booleanSetting("exposeErrors", env, BOOLEAN_SETTINGS.exposeErrors.default),
    metrics: booleanSetting("metrics", env, BOOLEAN_SETTINGS.metrics.default),
    cors: corsSetting(env),
    logLevel: logLevelSetting(env),
    shutdownTimeoutMs: intSetting("shutdownTimeoutMs", env),
    headersTimeoutMs,
    requestTimeoutMs,
    keepAliveTimeoutMs: intSetting("keepAliveTimeoutMs", env),
    maxConnections: intSetting("maxConnections", env),
    maxEventLoopDelayMs: intSetting("maxEventLoopDelayMs", env),
    cacheMaxAgeSeconds: intSetting("cacheMaxAgeSeconds", env),
    cacheStaleWhileRevalidateSeconds: intSetting("cacheStaleWhileRevalidateSeconds", env),
    compression: booleanSetting("compression", env, BOOLEAN_SETTINGS.compression.default),
    trustedDocumentsOnly,
    workers,
    compressMinBytes: intSetting("compressMinBytes", env),
    subgraph: subgraphSetting(subgraphFlag, env),
  };
}

/** The configuration with nothing given: what `createApp` uses for what it is not told. */
export const DEFAULT_CONFIG: Config = parseConfig([], {});
