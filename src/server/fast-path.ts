/**
 * The common request, answered without Yoga's HTTP layer: a POST of one JSON operation
 * (`{"query", "variables", "operationName"}`) whose query parses, validates and executes without
 * a single error. It runs through the same envelop pipeline as Yoga (`yoga.getEnveloped`: our
 * parser with its token limit, the parse and validation caches, validation with every rule,
 * the cost limit and deadline, masking), and answers with the body and headers Yoga would
 * send. Yoga's layer (a fetch Request and Response per request, its request parser and result
 * processors) cost about as much as executing a small query (bench/RESULTS.md).
 *
 * Anything else goes to Yoga, which stays the one place where requests are interpreted and
 * errors are answered: another method, content type, Accept header or body shape, a batch, an
 * `extensions` field, a cross-origin request (Yoga adds its CORS headers), a document that does
 * not parse or validate (Yoga's caches then hand it the parsed document and the errors again),
 * an operation that is not a query. An answer with an error is handed to Yoga as it is
 * (`handOverPlugin`: Yoga skips execution and turns it into its response), so no query runs twice.
 * tests/server/fast-path.test.ts checks that both give the same answers.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { getOperationAST, type ExecutionResult } from "graphql";
import type { Plugin, YogaServerInstance } from "graphql-yoga";
import type { Context } from "../schema/index.js";

type Yoga = YogaServerInstance<{ req: IncomingMessage; res: ServerResponse }, Context>;

/** The media type of the answer for each Accept header the fast path takes (Yoga's choice for it). */
const ANSWER_TYPE: Record<string, string> = {
  "": "application/json",
  "*/*": "application/json",
  "application/json": "application/json",
  "application/graphql-response+json": "application/graphql-response+json",
};

const POST_REQUEST = Object.freeze({ method: "POST" });

interface Params {
  query: string;
  variables?: Record<string, unknown> | null;
  operationName?: string | null;
}

/** Results with errors that the fast path executed, for Yoga to answer (keyed by the request). */
const handedOver = new WeakMap<IncomingMessage, ExecutionResult>();

/**
 * A Yoga plugin: a request whose result the fast path already has (with errors) is answered
 * from that result instead of being executed again.
 */
export function handOverPlugin(): Plugin {
  return {
    onParams({ context, setResult }) {
      const req = (context as { req?: IncomingMessage }).req;
      const result = req && handedOver.get(req);
      if (req && result) {
        handedOver.delete(req);
        setResult(result);
      }
    },
  };
}

/** The operation's name for the log line: `operationName`, or the name of the first operation in the query. */
export function operationNameOf(params: { query?: unknown; operationName?: unknown } | null | undefined): string | undefined {
  // a batch item may be anything JSON allows; requests.ts answers it with an error of its own
  if (typeof params !== "object" || params === null) return undefined;
  if (typeof params.operationName === "string") return params.operationName;
  return /^\s*(?:query|mutation|subscription)\s+([_A-Za-z][_0-9A-Za-z]*)/.exec(typeof params.query === "string" ? params.query : "")?.[1];
}

/** The request's parameters, when it is a request the fast path takes; undefined otherwise. */
function paramsOf(req: IncomingMessage, body: Buffer): Params | undefined {
  const type = req.headers["content-type"];
  if (type !== "application/json" && type !== "application/json; charset=utf-8") return undefined;
  if (req.headers.origin !== undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString("utf8"));
  } catch {
    return undefined;
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return undefined;
  const { query, variables, operationName, ...rest } = parsed as Record<string, unknown>;
  if (Object.keys(rest).length > 0 || typeof query !== "string") return undefined;
  if (variables !== undefined && variables !== null && (typeof variables !== "object" || Array.isArray(variables))) return undefined;
  if (operationName !== undefined && operationName !== null && typeof operationName !== "string") return undefined;
  return { query, variables: variables as Params["variables"], operationName: operationName as Params["operationName"] };
}

/**
 * Answer `req` if it is a request the fast path takes and its answer has no error; false when
 * nothing was sent and Yoga must answer it. `onOperation` gets the operation's name (for the log).
 */
export async function answerFast(yoga: Yoga, req: IncomingMessage, res: ServerResponse, body: Buffer, onOperation: (name: string) => void): Promise<boolean> {
  if (req.method !== "POST") return false;
  const answerType = ANSWER_TYPE[req.headers.accept ?? ""];
  if (answerType === undefined) return false;
  const params = paramsOf(req, body);
  if (params === undefined) return false;

  let result: ExecutionResult;
  try {
    // `request` as Yoga's plugins read it from the context: its method (usePreventMutationViaGET
    // marks parse errors as 400s only for a request, and Yoga's parse cache keeps them marked)
    const enveloped = yoga.getEnveloped({ req, res, params, request: POST_REQUEST } as never);
    const document = enveloped.parse(params.query);
    if (enveloped.validate(enveloped.schema, document).length > 0) return false;
    if (getOperationAST(document, params.operationName ?? undefined)?.operation !== "query") return false;
    const contextValue = await enveloped.contextFactory();
    result = (await enveloped.execute({
      schema: enveloped.schema,
      document,
      contextValue,
      variableValues: params.variables,
      operationName: params.operationName,
    })) as ExecutionResult;
  } catch {
    return false;
  }
  if (typeof (result as { [Symbol.asyncIterator]?: unknown })[Symbol.asyncIterator] === "function") return false;
  if (result.errors?.length || result.extensions !== undefined) {
    handedOver.set(req, result);
    return false;
  }
  const name = operationNameOf(params);
  if (name !== undefined) onOperation(name);
  const text = JSON.stringify(result);
  res.writeHead(200, { "Content-Type": `${answerType}; charset=utf-8`, "content-length": Buffer.byteLength(text) });
  res.end(text);
  return true;
}
