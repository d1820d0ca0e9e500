import { readFileSync, writeFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import {
  BOOLEAN_SETTINGS,
  type Config,
  ConfigError,
  DEFAULT_CONFIG,
  INT_SETTINGS,
  parseConfig,
  USAGE,
} from "../../src/server/config.js";
import { makeTmpDir, removeDir } from "../fixtures/datasets.js";

const dirs: string[] = [];
function tmp(): string {
  const dir = makeTmpDir();
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) removeDir(dir);
});

/** The ConfigError parseConfig throws for these arguments. */
function configError(argv: string[], env: Record<string, string | undefined> = {}): ConfigError {
  try {
    parseConfig(argv, env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error(`expected a ConfigError for ${JSON.stringify({ argv, env })}`);
}

const defaults: Config = {
  host: "127.0.0.1",
  port: 4000,
  dataDir: undefined,
  snapshot: true,
  snapshotMap: true,
  warmEntities: true,
  warmQueries: true,
  snapshotDir: undefined,
  watch: false,
  reloadTimeoutMs: 900_000,
  limits: {
    maxDepth: 15,
    maxAliases: 30,
    maxDirectives: 30,
    maxTokens: 2000,
    maxLines: 5000,
    maxCost: 125_000,
    costListSize: 10,
    maxFilterConditions: 100,
    maxVariableDepth: 32,
    maxListLength: 1000,
    executionTimeoutMs: 5000,
    executionSliceMs: 20,
    maxErrors: 100,
    maxErrorBytes: 32_768,
    maxResponseBytes: 16_777_216,
  },
  maxBatch: 10,
  maxBodyBytes: 102_400,
  introspection: true,
  graphiql: true,
  exposeErrors: false,
  metrics: true,
  cors: "*",
  logLevel: "info",
  shutdownTimeoutMs: 10_000,
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  minBodyRate: 240,
  minBodyRateGraceMs: 5000,
  keepAliveTimeoutMs: 5000,
  maxConnections: 1000,
  listenBacklog: 511,
  maxConnectionsPerAddress: 100,
  maxUnsentBytes: 536_870_912,
  minResponseRate: 4096,
  maxQueuedConnections: 1024,
  maxEventLoopDelayMs: 1000,
  cacheMaxAgeSeconds: 60,
  cacheStaleWhileRevalidateSeconds: 300,
  compression: true,
  compressMinBytes: 1024,
  maxExports: 2,
  exportKeepMaxBytes: 16_777_216,
  trustedDocumentsOnly: false,
  workers: 1,
};

describe("parseConfig: defaults", () => {
  it("serves the built-in dataset on 127.0.0.1:4000 when nothing is given", () => {
    expect(parseConfig([], {})).toEqual(defaults);
    expect(parseConfig([], {}).dataDir).toBeUndefined();
  });

  it("ignores unrelated environment variables", () => {
    expect(parseConfig([], { HOME: "/root", NODE_ENV: "test", port: "1234" })).toEqual(defaults);
  });

  it("falls back to the built-in dataset and the default host when KZ_OSCE_DATA and HOST are empty", () => {
    expect(parseConfig([], { KZ_OSCE_DATA: "", HOST: "" })).toEqual(defaults);
  });
});

describe("parseConfig: port", () => {
  it("takes the port from PORT", () => {
    expect(parseConfig([], { PORT: "5000" })).toEqual({ ...defaults, port: 5000 });
  });

  it("accepts --port 0 (pick a free port)", () => {
    expect(parseConfig(["--port", "0"], {})).toEqual({ ...defaults, port: 0 });
  });

  it("accepts --port=5000", () => {
    expect(parseConfig(["--port=5000"], {})).toEqual({ ...defaults, port: 5000 });
  });

  it("accepts the highest port, 65535", () => {
    expect(parseConfig(["--port", "65535"], {}).port).toBe(65535);
  });

  it("lets --port beat PORT", () => {
    expect(parseConfig(["--port", "5001"], { PORT: "5000" }).port).toBe(5001);
    expect(parseConfig(["--port=0"], { PORT: "abc" }).port).toBe(0);
  });

  it('rejects PORT "abc", naming PORT', () => {
    const error = configError([], { PORT: "abc" });
    expect(error.name).toBe("ConfigError");
    expect(error.message).toBe('PORT must be a whole number from 0 to 65535, got "abc"');
  });

  it('rejects PORT "-1"', () => {
    expect(configError([], { PORT: "-1" }).message).toBe(
      'PORT must be a whole number from 0 to 65535, got "-1"',
    );
  });

  it('rejects PORT "70000"', () => {
    expect(configError([], { PORT: "70000" }).message).toBe(
      'PORT must be a whole number from 0 to 65535, got "70000"',
    );
  });

  it('rejects PORT "65536", just past the range', () => {
    expect(configError([], { PORT: "65536" }).message).toBe(
      'PORT must be a whole number from 0 to 65535, got "65536"',
    );
  });

  it("rejects a fractional or padded port", () => {
    expect(configError([], { PORT: "80.5" }).message).toBe(
      'PORT must be a whole number from 0 to 65535, got "80.5"',
    );
    expect(configError([], { PORT: " 80" }).message).toBe(
      'PORT must be a whole number from 0 to 65535, got " 80"',
    );
  });

  it("names --port, not PORT, when the flag is the bad one", () => {
    expect(configError(["--port", "http"], { PORT: "4000" }).message).toBe(
      '--port must be a whole number from 0 to 65535, got "http"',
    );
    expect(configError(["--port=1e3"], {}).message).toBe(
      '--port must be a whole number from 0 to 65535, got "1e3"',
    );
  });

  it("reports a port error in one line", () => {
    expect(configError([], { PORT: "abc" }).message).not.toContain("\n");
  });
});

describe("parseConfig: data directory", () => {
  it("takes the dataset directory from --data DIR, resolved to an absolute path", () => {
    const dir = tmp();
    expect(parseConfig(["--data", dir], {})).toEqual({ ...defaults, dataDir: dir });
    const rel = path.relative(process.cwd(), dir);
    expect(parseConfig([`--data=${rel}`], {}).dataDir).toBe(dir);
  });

  it("takes the dataset directory from KZ_OSCE_DATA", () => {
    const dir = tmp();
    expect(parseConfig([], { KZ_OSCE_DATA: dir })).toEqual({ ...defaults, dataDir: dir });
  });

  it("lets --data beat KZ_OSCE_DATA", () => {
    const [flag, env] = [tmp(), tmp()];
    expect(parseConfig(["--data", flag], { KZ_OSCE_DATA: env }).dataDir).toBe(flag);
  });

  it("does not check KZ_OSCE_DATA when --data is given", () => {
    const dir = tmp();
    expect(parseConfig(["--data", dir], { KZ_OSCE_DATA: "/nonexistent/kz-osce" }).dataDir).toBe(
      dir,
    );
  });

  it("rejects a --data directory that does not exist", () => {
    const missing = path.join(tmp(), "nope");
    expect(configError(["--data", missing]).message).toBe(
      `--data: the dataset directory "${missing}" does not exist`,
    );
  });

  it("names KZ_OSCE_DATA when the directory from the environment does not exist", () => {
    const missing = path.join(tmp(), "nope");
    expect(configError([], { KZ_OSCE_DATA: missing }).message).toBe(
      `KZ_OSCE_DATA: the dataset directory "${missing}" does not exist`,
    );
  });

  it("rejects a data path that is a file", () => {
    const file = path.join(tmp(), "sources.json");
    writeFileSync(file, "[]");
    expect(configError(["--data", file]).message).toBe(`--data: "${file}" is not a directory`);
    expect(configError([], { KZ_OSCE_DATA: file }).message).toBe(
      `KZ_OSCE_DATA: "${file}" is not a directory`,
    );
  });
});

describe("parseConfig: host", () => {
  it("takes the host from HOST and from --host, the flag winning", () => {
    expect(parseConfig([], { HOST: "0.0.0.0" }).host).toBe("0.0.0.0");
    expect(parseConfig(["--host", "::1"], { HOST: "0.0.0.0" }).host).toBe("::1");
    expect(parseConfig(["--host=localhost"], {}).host).toBe("localhost");
  });

  it("takes IP addresses and names of hosts and containers, and refuses what is neither, saying which setting", () => {
    for (const host of ["10.0.0.7", "fe80::1", "api.example.org", "kz_osce-graph", "db1."])
      expect(parseConfig([], { HOST: host }).host).toBe(host);
    for (const host of [" ", "a b", "-x", ".x", "x/y", "x:80", "\t7", "é.example"])
      expect(configError([], { HOST: host }).message).toBe(
        `HOST must be an IP address (such as 127.0.0.1, 0.0.0.0 or ::1) or a host name, got "${host}"`,
      );
    expect(configError(["--host", "[::1]"], {}).message).toBe(
      '--host must be an IP address (without brackets, such as 127.0.0.1, 0.0.0.0 or ::1) or a host name, got "[::1]"',
    );
  });
});

describe("parseConfig: arguments", () => {
  it("rejects an unknown argument and shows the usage", () => {
    expect(configError(["--verbose"]).message).toBe(`unknown argument "--verbose"\n${USAGE}`);
  });

  it("rejects a positional argument", () => {
    expect(configError(["data"]).message).toBe(`unknown argument "data"\n${USAGE}`);
  });

  it("rejects a flag with a single dash", () => {
    expect(configError(["-port", "80"]).message).toBe(`unknown argument "-port"\n${USAGE}`);
  });

  it("rejects --data without a value", () => {
    expect(configError(["--data"]).message).toBe(`--data needs a value\n${USAGE}`);
  });

  it("rejects --data= with an empty value", () => {
    expect(configError(["--data="]).message).toBe(`--data needs a value\n${USAGE}`);
  });

  it("rejects a flag of one value given twice, naming it, whichever way each is written (red team 44, N4)", () => {
    const [first, second] = [tmp(), tmp()];
    // each alone is served; together, neither (the last one was, without a word)
    expect(parseConfig(["--data", first], {}).dataDir).toBe(first);
    expect(parseConfig(["--data", second], {}).dataDir).toBe(second);
    for (const [argv, flag, values] of [
      [["--data", first, "--data", second], "--data", [first, second]],
      [["--port", "1", "--port=2"], "--port", ["1", "2"]],
      [["--host=::1", "--port", "0", "--host", "::1"], "--host", ["::1", "::1"]],
      [["--workers", "2", "--data", first, "--workers=auto"], "--workers", ["2", "auto"]],
    ] as const) {
      expect(configError([...argv]).message, argv.join(" ")).toBe(
        `${flag} is given more than once ("${values[0]}" and "${values[1]}"): give it once, so that it is clear which one counts\n${USAGE}`,
      );
    }
    // a flag without a value says the same thing twice
    expect(parseConfig(["--watch", "--watch", "--subgraph", "--subgraph"], {})).toMatchObject({
      watch: true,
      subgraph: { gatewaySecret: undefined },
    });
  });

  it("rejects --port without a value", () => {
    expect(configError(["--port"], { PORT: "5000" }).message).toBe(
      `--port needs a value\n${USAGE}`,
    );
  });

  it("documents every flag and environment variable in the usage", () => {
    for (const word of [
      "--data DIR",
      "--port N",
      "--host ADDRESS",
      "--watch",
      "KZ_OSCE_WATCH",
      "KZ_OSCE_DATA",
      "PORT",
      "HOST",
      "default 4000",
      "default 127.0.0.1",
    ]) {
      expect(USAGE).toContain(word);
    }
  });
});

describe("parseConfig: values that are easy to get wrong", () => {
  it("treats an empty PORT like an unset one, as it does HOST and KZ_OSCE_DATA", () => {
    expect(parseConfig([], { PORT: "", HOST: "", KZ_OSCE_DATA: "" })).toEqual(defaults);
  });

  it("does not take the next flag as a flag's value", () => {
    expect(() => parseConfig(["--data", "--port", "5"], {})).toThrow(
      new ConfigError(`--data needs a value\n${USAGE}`),
    );
    expect(() => parseConfig(["--port", "--data", "x"], {})).toThrow(
      new ConfigError(`--port needs a value\n${USAGE}`),
    );
  });
});

describe("parseConfig: limits", () => {
  it("has the documented defaults, which DEFAULT_CONFIG holds", () => {
    expect(DEFAULT_CONFIG).toEqual(defaults);
  });

  it.each(Object.entries(INT_SETTINGS))("reads %s from %s", (_name, setting) => {
    // the headers' time is part of the request's, which must be at least as long
    // and a rate's grace shorter than it, unless the floor is off
    const also =
      _name === "headersTimeoutMs"
        ? { KZ_OSCE_REQUEST_TIMEOUT_MS: String(setting.max) }
        : _name === "minBodyRateGraceMs"
          ? { KZ_OSCE_MIN_BODY_RATE: "0" }
          : {};
    const config = parseConfig([], {
      ...also,
      [setting.env]: String(setting.max),
    }) as unknown as Record<string, unknown> & { limits: Record<string, unknown> };
    const value = _name in config.limits ? config.limits[_name] : config[_name];
    expect(value).toBe(setting.max);
  });

  it.each(
    Object.values(INT_SETTINGS).flatMap((s) => [
      [s.env, "abc", s],
      [s.env, String(s.min - 1), s],
      [s.env, String(s.max + 1), s],
      [s.env, "1.5", s],
      [s.env, "-3", s],
    ]),
  )("refuses %s=%s in one line naming the variable and its range", (env, value, setting) => {
    const why = Number(value) > setting.max && setting.whyMax ? `: ${setting.whyMax}` : "";
    expect(configError([], { [env]: value }).message).toBe(
      `${env} must be a whole number from ${setting.min} to ${setting.max}, got "${value}"${why}`,
    );
  });

  it("refuses a body limit over 512 KiB in one line saying why (red team 13, F3: 100 MB was taken, and a body held the event loop for seconds)", () => {
    expect(parseConfig([], { KZ_OSCE_MAX_BODY_BYTES: "524288" }).maxBodyBytes).toBe(524_288);
    const { message } = configError([], { KZ_OSCE_MAX_BODY_BYTES: "100000000" });
    expect(message).toBe(
      'KZ_OSCE_MAX_BODY_BYTES must be a whole number from 1024 to 524288, got "100000000": a larger body holds the event loop over 80 ms while it is parsed, every other request waiting (about 170 ms of CPU a MiB of the worst JSON, a list of empty objects)',
    );
    expect(configError([], { KZ_OSCE_MAX_BODY_BYTES: "524289" }).message).toMatch(
      /^KZ_OSCE_MAX_BODY_BYTES must be a whole number from 1024 to 524288, got "524289": a larger body/,
    );
  });

  it("treats an empty limit variable like an unset one", () => {
    expect(parseConfig([], { KZ_OSCE_MAX_DEPTH: "", KZ_OSCE_MAX_COST: "" })).toEqual(defaults);
  });

  it("refuses a headers timeout longer than the request timeout, which includes it", () => {
    expect(
      configError([], { KZ_OSCE_HEADERS_TIMEOUT_MS: "20000", KZ_OSCE_REQUEST_TIMEOUT_MS: "15000" })
        .message,
    ).toBe(
      "KZ_OSCE_HEADERS_TIMEOUT_MS (20000) must not exceed KZ_OSCE_REQUEST_TIMEOUT_MS (15000): the request's time includes its headers",
    );
    expect(configError([], { KZ_OSCE_HEADERS_TIMEOUT_MS: "40000" }).message).toMatch(
      /^KZ_OSCE_HEADERS_TIMEOUT_MS \(40000\) must not exceed KZ_OSCE_REQUEST_TIMEOUT_MS \(30000\)/,
    );
    expect(
      parseConfig([], { KZ_OSCE_HEADERS_TIMEOUT_MS: "15000", KZ_OSCE_REQUEST_TIMEOUT_MS: "15000" }),
    ).toMatchObject({ headersTimeoutMs: 15_000, requestTimeoutMs: 15_000 });
  });

  it("refuses a body rate's grace as long as the request timeout, which would cut the body first, unless the floor is off", () => {
    expect(configError([], { KZ_OSCE_MIN_BODY_RATE_GRACE_MS: "30000" }).message).toBe(
      "KZ_OSCE_MIN_BODY_RATE_GRACE_MS (30000) must be less than KZ_OSCE_REQUEST_TIMEOUT_MS (30000): the request timeout would cut a slow body before its rate is ever checked (or turn the floor off with KZ_OSCE_MIN_BODY_RATE=0)",
    );
    expect(
      configError([], {
        KZ_OSCE_MIN_BODY_RATE_GRACE_MS: "10000",
        KZ_OSCE_HEADERS_TIMEOUT_MS: "5000",
        KZ_OSCE_REQUEST_TIMEOUT_MS: "8000",
      }).message,
    ).toMatch(
      /^KZ_OSCE_MIN_BODY_RATE_GRACE_MS \(10000\) must be less than KZ_OSCE_REQUEST_TIMEOUT_MS \(8000\)/,
    );
    expect(
      parseConfig([], { KZ_OSCE_MIN_BODY_RATE_GRACE_MS: "29999", KZ_OSCE_MIN_BODY_RATE: "1" }),
    ).toMatchObject({ minBodyRate: 1, minBodyRateGraceMs: 29_999 });
    expect(
      parseConfig([], { KZ_OSCE_MIN_BODY_RATE_GRACE_MS: "60000", KZ_OSCE_MIN_BODY_RATE: "0" }),
    ).toMatchObject({ minBodyRate: 0, minBodyRateGraceMs: 60_000 });
    expect(configError([], { KZ_OSCE_MIN_BODY_RATE: "fast" }).message).toBe(
      'KZ_OSCE_MIN_BODY_RATE must be a whole number from 0 to 1000000000, got "fast"',
    );
  });

  it("turns load shedding off with KZ_OSCE_MAX_EVENT_LOOP_DELAY_MS=0", () => {
    expect(parseConfig([], { KZ_OSCE_MAX_EVENT_LOOP_DELAY_MS: "0" }).maxEventLoopDelayMs).toBe(0);
  });

  it("reads the bounds on filters and variables, and refuses values they cannot work with", () => {
    const env = {
      KZ_OSCE_MAX_FILTER_CONDITIONS: "50",
      KZ_OSCE_MAX_VARIABLE_DEPTH: "16",
      KZ_OSCE_MAX_LIST_LENGTH: "5000",
    };
    expect(parseConfig([], env).limits).toMatchObject({
      maxFilterConditions: 50,
      maxVariableDepth: 16,
      maxListLength: 5000,
    });
    // deeper than 200 would let graphql-js's recursive coercion near the stack's end again
    expect(configError([], { KZ_OSCE_MAX_VARIABLE_DEPTH: "10000" }).message).toBe(
      'KZ_OSCE_MAX_VARIABLE_DEPTH must be a whole number from 2 to 200, got "10000"',
    );
    expect(configError([], { KZ_OSCE_MAX_FILTER_CONDITIONS: "0" }).message).toBe(
      'KZ_OSCE_MAX_FILTER_CONDITIONS must be a whole number from 1 to 100000, got "0"',
    );
    expect(configError([], { KZ_OSCE_MAX_LIST_LENGTH: "many" }).message).toBe(
      'KZ_OSCE_MAX_LIST_LENGTH must be a whole number from 1 to 1000000, got "many"',
    );
  });

  it("starts from the dataset's snapshot unless KZ_OSCE_SNAPSHOT=false", () => {
    expect(parseConfig([], {}).snapshot).toBe(true);
    expect(parseConfig([], { KZ_OSCE_SNAPSHOT: "false" }).snapshot).toBe(false);
    expect(configError([], { KZ_OSCE_SNAPSHOT: "off" }).message).toBe(
      'KZ_OSCE_SNAPSHOT must be true or false, got "off"',
    );
  });

  it("reads KZ_OSCE_SNAPSHOT_DIR as a directory, resolved, made later when missing, and refuses a file", () => {
    const base = makeTmpDir();
    try {
      expect(parseConfig([], { KZ_OSCE_SNAPSHOT_DIR: base }).snapshotDir).toBe(base);
      // a relative path is resolved from the working directory; a missing one is made at the first write
      expect(parseConfig([], { KZ_OSCE_SNAPSHOT_DIR: "cache/snapshots" }).snapshotDir).toBe(
        path.resolve("cache/snapshots"),
      );
      expect(parseConfig([], { KZ_OSCE_SNAPSHOT_DIR: "" }).snapshotDir).toBeUndefined();
      const file = path.join(base, "a-file");
      writeFileSync(file, "");
      expect(configError([], { KZ_OSCE_SNAPSHOT_DIR: file }).message).toBe(
        `KZ_OSCE_SNAPSHOT_DIR: "${file}" is not a directory`,
      );
      // a path through a file: it can never be made
      expect(configError([], { KZ_OSCE_SNAPSHOT_DIR: path.join(file, "below") }).message).toMatch(
        /^KZ_OSCE_SNAPSHOT_DIR: ".*a-file\/below" cannot be looked at: ENOTDIR/,
      );
    } finally {
      removeDir(base);
    }
  });

  it("turns batching off with KZ_OSCE_MAX_BATCH=0", () => {
    expect(parseConfig([], { KZ_OSCE_MAX_BATCH: "0" }).maxBatch).toBe(0);
  });

  it("documents every variable in the settings tables of docs/operations.md", () => {
    const page = readFileSync(path.join(import.meta.dirname, "../../docs/operations.md"), "utf8");
    for (const setting of [...Object.values(INT_SETTINGS), ...Object.values(BOOLEAN_SETTINGS)]) {
      // a row of the environment table (`| VAR | default |`), or of the flags table (`| VAR | default ...`)
      const row = page
        .split("\n")
        .find(
          (line) =>
            line.startsWith("|") && line.includes(`| \`${setting.env}\` | ${setting.default}`),
        );
      expect(row, `docs/operations.md row for ${setting.env}`).toBeDefined();
    }
    expect(page).toContain("| `KZ_OSCE_CORS_ORIGINS` | * |");
    expect(page).toContain("| `KZ_OSCE_LOG_LEVEL` | info |");
  });
});

describe("parseConfig: workers", () => {
  it("reads --workers N and KZ_OSCE_WORKERS, auto as one per core, and refuses anything else naming the setting", () => {
    expect(parseConfig(["--workers", "3"], {}).workers).toBe(3);
    expect(parseConfig(["--workers=2"], { KZ_OSCE_WORKERS: "4" }).workers).toBe(2);
    expect(parseConfig([], { KZ_OSCE_WORKERS: "4" }).workers).toBe(4);
    expect(parseConfig([], { KZ_OSCE_WORKERS: "auto" }).workers).toBe(availableParallelism());
    expect(configError(["--workers", "0"], {}).message).toBe(
      '--workers must be auto (one per core) or a whole number from 1 to 256, got "0"',
    );
    expect(configError([], { KZ_OSCE_WORKERS: "many" }).message).toBe(
      'KZ_OSCE_WORKERS must be auto (one per core) or a whole number from 1 to 256, got "many"',
    );
  });
});

describe("parseConfig: trusted documents", () => {
  it("turns GraphiQL off by default with KZ_OSCE_TRUSTED_DOCUMENTS_ONLY=true, and refuses it when asked for", () => {
    expect(parseConfig([], { KZ_OSCE_TRUSTED_DOCUMENTS_ONLY: "true" })).toMatchObject({
      trustedDocumentsOnly: true,
      graphiql: false,
      introspection: true,
    });
    expect(
      configError([], { KZ_OSCE_TRUSTED_DOCUMENTS_ONLY: "true", KZ_OSCE_GRAPHIQL: "true" }).message,
    ).toMatch(/^KZ_OSCE_GRAPHIQL=true cannot work with KZ_OSCE_TRUSTED_DOCUMENTS_ONLY=true/);
    expect(configError([], { KZ_OSCE_TRUSTED_DOCUMENTS_ONLY: "yes" }).message).toBe(
      'KZ_OSCE_TRUSTED_DOCUMENTS_ONLY must be true or false, got "yes"',
    );
  });
});

describe("parseConfig: introspection, GraphiQL and errors", () => {
  it("turns introspection off, and GraphiQL with it, with KZ_OSCE_INTROSPECTION=false", () => {
    expect(parseConfig([], { KZ_OSCE_INTROSPECTION: "false" })).toMatchObject({
      introspection: false,
      graphiql: false,
    });
  });

  it("turns GraphiQL off alone with KZ_OSCE_GRAPHIQL=false", () => {
    expect(parseConfig([], { KZ_OSCE_GRAPHIQL: "false" })).toMatchObject({
      introspection: true,
      graphiql: false,
    });
  });

  it("refuses GraphiQL without introspection, saying why", () => {
    expect(
      configError([], { KZ_OSCE_INTROSPECTION: "false", KZ_OSCE_GRAPHIQL: "true" }).message,
    ).toBe(
      "KZ_OSCE_GRAPHIQL=true needs introspection, which KZ_OSCE_INTROSPECTION=false turns off (GraphiQL reads the schema by introspection)",
    );
  });

  it("masks errors unless KZ_OSCE_EXPOSE_ERRORS=true, whatever NODE_ENV says", () => {
    expect(parseConfig([], { NODE_ENV: "development" }).exposeErrors).toBe(false);
    expect(parseConfig([], { KZ_OSCE_EXPOSE_ERRORS: "true" }).exposeErrors).toBe(true);
  });

  it.each(["yes", "1", "TRUE", "on", " true"])(
    "refuses %j for an on/off setting, naming the variable",
    (value) => {
      for (const setting of Object.values(BOOLEAN_SETTINGS)) {
        expect(configError([], { [setting.env]: value }).message).toBe(
          `${setting.env} must be true or false, got "${value}"`,
        );
      }
    },
  );
});

describe("parseConfig: operations", () => {
  it("takes CORS origins as *, none, or a comma-separated list", () => {
    expect(parseConfig([], { KZ_OSCE_CORS_ORIGINS: "*" }).cors).toBe("*");
    expect(parseConfig([], { KZ_OSCE_CORS_ORIGINS: "none" }).cors).toBe("none");
    expect(
      parseConfig([], { KZ_OSCE_CORS_ORIGINS: "https://a.example, http://localhost:5173" }).cors,
    ).toEqual(["https://a.example", "http://localhost:5173"]);
  });

  it("keeps each CORS origin as a browser sends it: the host in lower case, no default port (red team 12)", () => {
    // kept as written, these matched no browser's Origin, and CORS failed without a word
    expect(
      parseConfig([], {
        KZ_OSCE_CORS_ORIGINS:
          "https://App.Example,https://b.example:443,HTTP://c.example:80,http://d.example:8080,http://[::1]:3000,https://app.example",
      }).cors,
    ).toEqual([
      "https://app.example",
      "https://b.example",
      "http://c.example",
      "http://d.example:8080",
      "http://[::1]:3000",
    ]);
  });

  it.each([
    "https://a.example/",
    "a.example",
    "https://a.example/path",
    "ftp://a.example",
    "https://a.example,,",
    "https://a.example:99999",
    "https://user@a.example",
    "https://a.example?x",
    "null",
    "https://a.example\\evil",
    "https://a.example\\",
  ])("refuses the CORS origin list %j, naming the bad origin", (value) => {
    expect(configError([], { KZ_OSCE_CORS_ORIGINS: value }).message).toMatch(
      /^KZ_OSCE_CORS_ORIGINS must be \*, none, or comma-separated origins like https:\/\/example\.org \(scheme and host, no path\), got ".*"$/,
    );
  });

  it("takes the log level from KZ_OSCE_LOG_LEVEL and refuses an unknown one", () => {
    expect(parseConfig([], { KZ_OSCE_LOG_LEVEL: "silent" }).logLevel).toBe("silent");
    expect(configError([], { KZ_OSCE_LOG_LEVEL: "verbose" }).message).toBe(
      'KZ_OSCE_LOG_LEVEL must be one of debug, info, warn, error, silent, got "verbose"',
    );
  });

  it("turns metrics off with KZ_OSCE_METRICS=false", () => {
    expect(parseConfig([], { KZ_OSCE_METRICS: "false" }).metrics).toBe(false);
  });
});

describe("parseConfig: watch", () => {
  it("watches with --watch or KZ_OSCE_WATCH=true", () => {
    expect(parseConfig(["--watch"], {}).watch).toBe(true);
    expect(parseConfig(["--port", "0", "--watch", "--host", "::1"], {})).toMatchObject({
      watch: true,
      port: 0,
      host: "::1",
    });
    expect(parseConfig([], { KZ_OSCE_WATCH: "true" }).watch).toBe(true);
  });

  it("refuses a value for --watch", () => {
    expect(configError(["--watch=yes"]).message).toBe(`--watch takes no value\n${USAGE}`);
  });
});
