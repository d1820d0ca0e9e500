/**
 * Structured logs: one JSON object per line (time, level, msg, then fields), to stdout by
 * default (batched: see BatchedSink). A line about a request carries its id: the request's own
 * line, the error Yoga logs when it masks an unexpected error of an execution (the execution
 * hook below names the request of each error before Yoga masks it), and /metrics' failure. An
 * error thrown outside execution (a plugin's or a validation rule's own bug) is logged without
 * it; the request's own line, with its status 500, still has it.
 *
 * No AsyncLocalStorage: on Node 20 one `run()` turns on promise hooks for every promise of the
 * process, for good: a tenth to a sixth of the CPU of a request answered from the response cache
 * or by a small execution (bench/RESULTS.md, "One-off documents, 3 December 2026").
 */
import { writeSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Plugin } from "graphql-yoga";
import { SnapshotUnreadable } from "../graph/snapshot/snapshot.js";

export const LOG_LEVELS = ["debug", "info", "warn", "error", "silent"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface LogSink {
  write(line: string): unknown;
}

export interface Logger {
  level: LogLevel;
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

/**
 * Lines for a stream, gathered and written together once the current turn of the event loop is
 * over (or when 64 KB have gathered), instead of one write per line: stdout to a pipe or a file
 * is written synchronously, and a write per request's log line cost about a tenth of a request's
 * CPU time under load (bench/RESULTS.md). Whatever is still gathered is written when the process
 * exits, `process.exit()` included.
 *
 * What the stream has not yet written is bounded (`backlogBytes`): stdout to a pipe whose reader
 * stopped reading (a log shipper wedged) kept every line in this process, 23 MB more after 98,000
 * requests in 15 s, without end. Past the bound lines are dropped, and counted; the first line
 * written once the stream has caught up says how many.
 */
export class BatchedSink implements LogSink {
  private lines: string[] = [];
  private bytes = 0;
  private scheduled = false;
  /** The stream's failure, once it failed: nothing more is written to it. */
  failed: Error | undefined;
  /** Lines dropped since the last written, the stream's backlog being past its bound. */
  dropped = 0;

  constructor(
    private readonly stream: {
      write(chunk: string): unknown;
      on?(event: "error", listener: (error: Error) => void): unknown;
      once?(event: "drain", listener: () => void): unknown;
      /** What the stream holds, not yet written (a Writable's). */
      readonly writableLength?: number;
    },
    private readonly backlogBytes = LOG_BACKLOG_BYTES,
  ) {
    process.once("exit", () => this.flush());
    // A write that fails (EPIPE: the reader of stdout gone, as when a log shipper or journald
    // restarts, or `npm start | head` ends) is an "error" event of the stream, which ended the
    // process at its next log line, cutting every request in flight. The logs are lost, not the
    // server: it says so once on stderr, and goes on serving.
    stream.on?.("error", (error) => {
      if (this.failed) return;
      this.failed = error;
      this.lines = [];
      this.bytes = 0;
      try {
        writeSync(
          2,
          `kz-osce-graph: the log stream failed (${(error as NodeJS.ErrnoException).code ?? error.message}): logging has stopped, serving goes on\n`,
        );
      } catch {
        // stderr gone too: nowhere to say it
      }
    });
  }

  write(line: string): void {
    if (this.failed) return;
    this.lines.push(line);
    this.bytes += line.length;
    if (this.bytes >= 65_536) this.flush();
    else if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
  }

  flush(): void {
    this.scheduled = false;
    if (this.failed || (this.lines.length === 0 && this.dropped === 0)) return;
    if ((this.stream.writableLength ?? 0) > this.backlogBytes) {
      // the count is said once the stream has caught up, even if no line comes after (review 43)
      if (this.dropped === 0) this.stream.once?.("drain", () => this.flush());
      this.dropped += this.lines.length;
      this.lines = [];
      this.bytes = 0;
      return;
    }
    let chunk = this.lines.join("");
    if (this.dropped > 0) {
      chunk = `${lineOf({
        time: new Date().toISOString(),
        level: "warn",
        msg: "log lines dropped: the log stream was not taking them (its reader slow or stopped)",
        dropped: this.dropped,
        backlogBytes: this.backlogBytes,
      })}\n${chunk}`;
      this.dropped = 0;
    }
    this.lines = [];
    this.bytes = 0;
    this.stream.write(chunk);
  }
}

/** How much a log stream may hold unwritten before lines are dropped (BatchedSink). */
export const LOG_BACKLOG_BYTES = 8 * 1024 * 1024;

let stdoutSink: BatchedSink | undefined;
/** The default sink: stdout, batched. One for the process, however many loggers write to it. */
const batchedStdout = (): BatchedSink => (stdoutSink ??= new BatchedSink(process.stdout));

/** The request id of each error an execution gave (filled by `useErrorRequestIds`, read when Yoga logs the error). */
const errorRequests = new WeakMap<object, string>();

/**
 * A Yoga plugin naming the request of each error an execution gives, so that the line Yoga logs
 * when it masks one (an unexpected error: `maskedErrors`) carries the request's id. Among the
 * app's plugins, which run before Yoga's masking; the id is the response's `x-request-id`.
 */
export function useErrorRequestIds(): Plugin {
  const done = {
    onExecuteDone({ args, result }: { args: { contextValue: unknown }; result: unknown }) {
      const errors = (result as { errors?: readonly Error[] }).errors;
      if (!errors?.length) return;
      const id = requestIdFrom((args.contextValue as { res?: ServerResponse } | undefined)?.res);
      if (id !== undefined) for (const error of errors) errorRequests.set(error, id);
    },
  };
  return { onExecute: () => done };
}

/** The id of the request `res` answers: its `x-request-id` header, which app.ts sets first of all. */
export function requestIdFrom(res: ServerResponse | undefined): string | undefined {
  const id = res?.getHeader("x-request-id");
  return typeof id === "string" ? id : undefined;
}

export function createLogger(level: LogLevel, sink: LogSink = batchedStdout()): Logger {
  const rank = LOG_LEVELS.indexOf(level);
  const log =
    (at: Exclude<LogLevel, "silent">) =>
    (msg: string, fields: Record<string, unknown> = {}) => {
      if (LOG_LEVELS.indexOf(at) < rank) return;
      const entry = { time: new Date().toISOString(), level: at, msg, ...fields };
      sink.write(`${lineOf(entry)}\n`);
    };
  return { level, debug: log("debug"), info: log("info"), warn: log("warn"), error: log("error") };
}

/**
 * The entry as one JSON line; never throws. A log call is made where something already went
 * wrong (a watcher's error, a failed reload), and a throw from it is uncaught there: red team 12's
 * symlink loop in the dataset's directory made the watcher report Node's ELOOP error, whose `path`
 * is a string, and describing it as a GraphQL path threw, killing the server (and, with
 * `--workers`, every worker, again at each restart). What cannot be written as it is (a field
 * that cannot be serialized: a cycle, a BigInt, a getter that throws) is written with its
 * message, level and fields' names, and the reason.
 */
function lineOf(entry: Record<string, unknown>): string {
  try {
    return JSON.stringify(entry, errorReplacer);
  } catch (error) {
    return JSON.stringify({
      time: entry.time,
      level: entry.level,
      msg: entry.msg,
      fields: Object.keys(entry).filter((key) => !["time", "level", "msg"].includes(key)),
      unwritable: reasonOf(error),
    });
  }
}

/** Why a line could not be written, as text; itself never throws (review 14: `String()` of an object without a prototype does). */
function reasonOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  try {
    return String(error);
  } catch {
    return "a value that cannot be written as text";
  }
}

/**
 * Errors as {name, message, stack} rather than `{}`; and strings well-formed: a lone surrogate
 * (a client's operation name cut inside an emoji, or sent as such) is written by JSON.stringify as
 * an escape (`\ud83d`) that strict JSON readers refuse, and the whole line with it (red team 13,
 * F4: serde_json, which Vector reads logs with). It becomes U+FFFD.
 */
function errorReplacer(_key: string, value: unknown): unknown {
  if (value instanceof Error) return describeError(value);
  if (typeof value === "string") return value.toWellFormed();
  return value;
}

/**
 * An error for a log line. A GraphQLError wrapping the error a resolver threw is described by
 * the thrown error (its message and stack are the useful ones), with the GraphQL path; a system
 * error (Node's, from the file system or the network) with its code, its call and its file path.
 */
export function describeError(error: Error): Record<string, unknown> {
  const original = (error as { originalError?: unknown }).originalError;
  const cause = original instanceof Error ? original : error;
  // a GraphQLError's path is a list of fields and indexes; a system error's, the file's path
  const path = (error as { path?: unknown }).path;
  const { code, syscall } = cause as { code?: unknown; syscall?: unknown };
  return {
    name: cause.name,
    message: cause.message,
    stack: cause.stack,
    ...(typeof code === "string" ? { code } : {}),
    ...(typeof syscall === "string" ? { syscall } : {}),
    ...(Array.isArray(path) ? { path: path.join(".") } : {}),
    ...(typeof path === "string" ? { path } : {}),
  };
}

/** Seconds a client is told to wait (Retry-After) while a graph whose snapshot failed a read is loaded again. */
export const SNAPSHOT_RETRY_AFTER_SECONDS = 10;

/** What a request is told then (SNAPSHOT_UNREADABLE, 503): by /graphql (app.ts) and the RDF exports alike. */
export const SNAPSHOT_UNREADABLE_MESSAGE =
  "The graph's snapshot could not be read; the dataset is being loaded again: retry shortly.";

/** The SnapshotUnreadable an error of an execution comes from (its `originalError`s), if any. */
export function unreadableIn(error: unknown): SnapshotUnreadable | undefined {
  for (let at = error, depth = 0; at instanceof Error && depth < 8; depth++) {
    if (at instanceof SnapshotUnreadable) return at;
    at = (at as { originalError?: unknown }).originalError ?? at.cause;
  }
  return undefined;
}

/**
 * Yoga's logger interface, writing through ours (Yoga logs the errors it masks at `error`). A
 * failed read of the snapshot is logged once, by the app (createApp), not again with each request
 * it fails: at debug here.
 */
export function yogaLogger(logger: Logger) {
  const forward =
    (at: "debug" | "info" | "warn" | "error") =>
    (...args: unknown[]) => {
      const [first, ...rest] = args;
      if (first instanceof Error) {
        const requestId = errorRequests.get(first);
        logger[unreadableIn(first) ? "debug" : at](`yoga: ${first.message}`, {
          ...(requestId ? { requestId } : {}),
          error: describeError(first),
        });
      } else logger[at](`yoga: ${String(first)}`, rest.length ? { details: rest } : {});
    };
  return {
    debug: forward("debug"),
    info: forward("info"),
    warn: forward("warn"),
    error: forward("error"),
  };
}

/** The operation's name for the log line: `operationName`, or the name of the first operation in the query. */
export function operationNameOf(
  params: { query?: unknown; operationName?: unknown } | null | undefined,
): string | undefined {
  // a batch item may be anything JSON allows; requests.ts answers it with an error of its own
  if (typeof params !== "object" || params === null) return undefined;
  const name =
    typeof params.operationName === "string"
      ? params.operationName
      : /^\s*(?:query|mutation|subscription)\s+([_A-Za-z][_0-9A-Za-z]*)/.exec(
          typeof params.query === "string" ? params.query : "",
        )?.[1];
  // cut, as a log line's path is: a name of 90 KB made a log line of 90 KB
  // (at a code point: cut inside an emoji, half of it was a lone surrogate)
  return name !== undefined && name.length > 200
    ? `${name.slice(0, /[\uD800-\uDBFF]/.test(name[199]!) ? 199 : 200)}...`
    : name;
}

/** A Yoga plugin telling `record` the name of each operation Yoga runs (several for a batch), for the request's log line. */
export function useOperationNames(record: (req: IncomingMessage, name: string) => void): Plugin {
  return {
    onParams({ params, context }) {
      const req = (context as { req?: IncomingMessage }).req;
      const name = operationNameOf(params);
      if (req && name) record(req, name);
    },
  };
}
