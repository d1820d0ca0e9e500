/**
 * Clear answers to malformed requests that Yoga would otherwise answer vaguely, with an empty
 * body or with a 500: an empty batch, a batch item that is not an object, `variables` or
 * `extensions` in a URL or form body that are not JSON, an operation that cannot be chosen, a
 * mutation or subscription sent to this read-only API, and bare 4xx responses (415, 406)
 * without a word of explanation.
 */

import type { IncomingMessage } from "node:http";
import {
  type ASTVisitor,
  type DocumentNode,
  GraphQLError,
  getOperationAST,
  Kind,
  type ValidationContext,
} from "graphql";
import type { GraphQLParams, Plugin } from "graphql-yoga";
import { shown } from "../graph/keys.js";
import { acceptAsSent } from "./accept.js";
import { graphqlMethods } from "./answers.js";
import { errorJson, escapesAreUtf8 } from "./body.js";
import { coveredRule } from "./fast-validate.js";
import { refusal } from "./limits.js";
import { repeatedInJson, repeatedInSearch, repeatedMessage } from "./repeated-parameters.js";

/** What a JSON value is, in the words of an error message. */
function kindOf(value: unknown): string {
  return value === null
    ? "null"
    : Array.isArray(value)
      ? "an array"
      : typeof value === "object"
        ? "an object"
        : `a ${typeof value}`;
}

/** Stands for a batch item that is not an object, so that its own answer can name it. */
const NOT_AN_OBJECT = Symbol("batch item that is not an object");

/** A turn of the event loop: resolves after the I/O that is waiting (other clients, /health). */
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * A JSON array body with nothing in it is refused whole; an item of a batch that is not an
 * object (`[null, {...}]`) gets an error of its own, naming its place, and the other items are
 * answered.
 *
 * The operations of a batch run one after the other, a turn of the event loop between two:
 * Yoga starts them all at once, and each one's execution time slice (deadline.ts) is its own, so
 * ten operations that each held the loop just under a slice held it for ten slices together
 * (bench/RESULTS.md, "Errors by the thousand").
 */
function batchPlugin(): Plugin {
  /**
   * For each batch being answered, the end of its last operation started so far (null before
   * its first).
   */
  const previous = new WeakMap<Request, Promise<void> | null>();
  return {
    onParams({ params, request, paramsHandler, setParamsHandler }) {
      const problem = (params as { [NOT_AN_OBJECT]?: string })[NOT_AN_OBJECT];
      if (problem !== undefined) throw refusal(problem);
      if (!previous.has(request)) return; // not a batch
      // linked when the operation starts, not here: a hook after this one may refuse it (Yoga's
      // parameter check: an unknown key, no query), and then nothing runs it, and an operation
      // waiting for its end would wait for ever (with the whole batch, and a graceful stop)
      setParamsHandler(async (payload) => {
        const before = previous.get(request);
        let finished!: () => void;
        previous.set(request, new Promise<void>((resolve) => (finished = resolve)));
        try {
          if (before) {
            await before;
            await nextTurn();
          }
          return await paramsHandler(payload);
        } finally {
          finished();
        }
      });
    },
    onRequestParse({ request }) {
      return {
        onRequestParseDone({ requestParserResult, setRequestParserResult }) {
          if (!Array.isArray(requestParserResult)) return;
          previous.set(request, null);
          if (requestParserResult.length === 0) {
            throw refusal(
              "The request is an empty batch (`[]`): send one operation as an object, or a non-empty array of them.",
            );
          }
          const items = requestParserResult as unknown[];
          if (
            items.every((item) => typeof item === "object" && item !== null && !Array.isArray(item))
          )
            return;
          setRequestParserResult(
            items.map((item, index) =>
              typeof item === "object" && item !== null && !Array.isArray(item)
                ? item
                : {
                    [NOT_AN_OBJECT]: `Item ${index} of the batch is ${kindOf(item)}: each operation of a batch must be an object such as {"query": "{ __typename }"}.`,
                  },
            ) as never,
          );
        },
      };
    },
  };
}

/** `variables` or `extensions` of a GET query string or a form body, parsed, or refused naming the parameter. */
function jsonParameter(searchParams: URLSearchParams, name: "variables" | "extensions"): unknown {
  const text = searchParams.get(name);
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch (error) {
    throw refusal(
      `The "${name}" parameter is not valid JSON (${(error as Error).message}): send it URL-encoded, as in ${name}=%7B%22key%22%3A%22kazakhstan%22%7D.`,
    );
  }
}

const URL_NOT_UTF8 =
  "The query string's percent-encoded bytes are not UTF-8, in which a URL's escapes are read: they would be read as U+FFFD. Encode the text in UTF-8 before escaping it (an é is %C3%A9; %E9 is Latin-1's or Windows-1252's), as encodeURIComponent does.";

function paramsOfSearch(searchParams: URLSearchParams): GraphQLParams {
  const repeated = repeatedInSearch(searchParams);
  if (repeated !== undefined)
    throw refusal(repeatedMessage(repeated), "BAD_REQUEST", { parameter: repeated.name });
  // what JSON.parse gives is checked by Yoga's parameter check (an array or a number is refused there)
  return {
    // a trusted document's id (GraphQL over HTTP, Appendix A; trusted-documents.ts)
    ...(searchParams.has("documentId") ? { documentId: searchParams.get("documentId") } : {}),
    operationName: searchParams.get("operationName") || undefined,
    query: searchParams.get("query") || undefined,
    variables: jsonParameter(searchParams, "variables") as GraphQLParams["variables"],
    extensions: jsonParameter(searchParams, "extensions") as GraphQLParams["extensions"],
  };
}

/** Whether the request's content type is `expected`, as Yoga's own parsers match it (its first content type, parameters aside). */
function hasContentType(request: Request, expected: string): boolean {
  const type = request.headers.get("content-type")?.split(",")[0] ?? "";
  return type === expected || type.startsWith(`${expected};`);
}

/** A form body, as Yoga's own parser recognises it. */
const isFormBody = (request: Request) =>
  hasContentType(request, "application/x-www-form-urlencoded");

/** A JSON body, as Yoga's own parser recognises it. */
const isJsonBody = (request: Request) =>
  hasContentType(request, "application/json") ||
  hasContentType(request, "application/graphql+json");

/** Line and column (both from 1) of the UTF-16 offset `position` in `text`. */
function lineAndColumn(text: string, position: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let at = text.indexOf("\n"); at !== -1 && at < position; at = text.indexOf("\n", at + 1)) {
    line++;
    lineStart = at + 1;
  }
  return { line, column: position - lineStart + 1 };
}

const JSON_BODY_EXAMPLE = 'send an object such as {"query": "{ __typename }", "variables": {}}';

/**
 * Why `text` is not a JSON request body, in a sentence of bounded length: V8's own reason (which
 * quotes at most a few characters of it) and where, never the body itself. Yoga's parser quotes
 * the whole body in `extensions.originalError`, so a megabyte of malformed JSON was answered with
 * a megabyte of error.
 */
function invalidJsonBody(text: string, error: unknown): string {
  if (text.trim() === "") return `The request body is empty: ${JSON_BODY_EXAMPLE}.`;
  if (text.charCodeAt(0) === 0xfeff)
    return `The request body starts with a byte-order mark (U+FEFF), which JSON does not allow: send the JSON without it.`;
  const reason = String((error as Error | undefined)?.message ?? error);
  const position = /at position (\d+)/.exec(reason);
  let where = "";
  if (position) {
    const { line, column } = lineAndColumn(text, Number(position[1]));
    where = ` (line ${line}, column ${column})`;
  }
  return `POST body sent invalid JSON: ${reason}${where}. Check its quoting and commas, or ${JSON_BODY_EXAMPLE}.`;
}

/**
 * A JSON body's parameters, refused as Yoga's parser refuses them (a body that is not an object
 * or an array: 400), except that JSON that does not parse is answered by `invalidJsonBody`.
 */
function jsonBody(text: string): GraphQLParams | GraphQLParams[] {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    throw refusal(invalidJsonBody(text, error));
  }
  // Yoga's wording, kept: clients may match it
  if (body === null || typeof body !== "object")
    throw refusal(
      `POST body is expected to be object but received ${body === null ? "null" : typeof body}`,
    );
  const repeated = repeatedInJson(text);
  if (repeated !== undefined)
    throw refusal(repeatedMessage(repeated), "BAD_REQUEST", {
      parameter: repeated.name,
      ...(repeated.item !== undefined && { item: repeated.item }),
    });
  return body as GraphQLParams | GraphQLParams[];
}

/**
 * GET parameters, `application/x-www-form-urlencoded` and JSON bodies, read as Yoga reads them,
 * except that `variables` or `extensions` that are not JSON get a 400 naming the parameter, where
 * Yoga's own parser lets JSON.parse's SyntaxError through and answers 500, and that a JSON body
 * that does not parse is refused without quoting it (`invalidJsonBody`).
 */
function urlParametersPlugin(): Plugin {
  return {
    onRequestParse({ request, setRequestParser }) {
      if (request.method === "GET") {
        setRequestParser((req) => {
          const start = req.url.indexOf("?");
          const search = start >= 0 ? req.url.slice(start + 1) : "";
          // its escapes are read as UTF-8, as a form body's (whose check is the shortcut's):
          // `?query=...%E9...` (Latin-1's é) was read as U+FFFD, and searched for as such
          if (!escapesAreUtf8(search)) throw refusal(URL_NOT_UTF8, "URL_NOT_UTF8");
          return paramsOfSearch(new URLSearchParams(search));
        });
      } else if (request.method === "POST" && isFormBody(request)) {
        setRequestParser(async (req) => paramsOfSearch(new URLSearchParams(await req.text())));
      } else if (request.method === "POST" && isJsonBody(request)) {
        setRequestParser(async (req) => jsonBody(await req.text()));
      }
    },
  };
}

/**
 * Which operation of the document to run, explained when it cannot be chosen: an unknown
 * `operationName`, several operations and no name, or a name that is not a string.
 */
function operationChoicePlugin(allow: string): Plugin {
  return {
    onParse() {
      return ({ result, context }) => {
        if (!result || result instanceof Error) return;
        const document = result as DocumentNode;
        const operationName = (context as { params?: { operationName?: unknown } }).params
          ?.operationName;
        if (
          operationName !== undefined &&
          operationName !== null &&
          typeof operationName !== "string"
        ) {
          throw refusal(
            `Expected "operationName" param to be a string, but given ${Array.isArray(operationName) ? "array" : typeof operationName}.`,
          );
        }
        const operation = getOperationAST(document, operationName ?? undefined);
        if (operation) {
          // a mutation by GET: 405, as GraphQL over HTTP asks, in this API's words (before Yoga's
          // "Can only perform a mutation operation from a POST request.", Allow: POST, which sent
          // a client to POST it, to be told there that the API has no mutations)
          const method = (context as { request?: { method?: string } }).request?.method;
          if (operation.operation !== "query" && method === "GET")
            throw new GraphQLError(
              `This API is read-only: it has no ${operation.operation}s, by GET or POST. Send a query instead.`,
              {
                extensions: {
                  // the code POST gets for it (readOnlyRule); Allow lists what /graphql answers
                  code: "OPERATION_NOT_SUPPORTED",
                  http: { status: 405, headers: { Allow: allow } },
                },
              },
            );
          return;
        }
        const names = document.definitions.flatMap((d) =>
          d.kind === Kind.OPERATION_DEFINITION ? [d.name?.value ?? "(anonymous)"] : [],
        );
        // the document's names as an error lists them: each cut, and ten at most
        const listed = [
          ...names.slice(0, 10).map((n) => `"${shown(n)}"`),
          ...(names.length > 10 ? [`and ${names.length - 10} more`] : []),
        ].join(", ");
        if (names.length === 0)
          throw refusal(
            "The document defines no operation (only fragments?): send a query.",
            "OPERATION_RESOLUTION_FAILURE",
          );
        if (operationName) {
          // (cut: a name of 90 KB was quoted back whole)
          throw refusal(
            `Unknown operation named "${shown(operationName)}": the document defines ${listed}.`,
            "OPERATION_RESOLUTION_FAILURE",
          );
        }
        // an anonymous one among them: naming another to run would only get validation's "This
        // anonymous operation must be the only defined operation." (the hint sent clients there)
        throw refusal(
          names.includes("(anonymous)")
            ? `The document defines ${names.length} operations (${listed}), one of them anonymous, which GraphQL allows only alone: give it a name, then name the one to run in "operationName".`
            : `The document defines ${names.length} operations (${listed}): name the one to run in "operationName".`,
          "OPERATION_RESOLUTION_FAILURE",
        );
      };
    },
  };
}

/** Mutations and subscriptions are refused at validation: the API only answers queries. */
function readOnlyRule(context: ValidationContext): ASTVisitor {
  return {
    OperationDefinition(node) {
      if (node.operation === "query" || context.getSchema().getRootType(node.operation)) return;
      context.reportError(
        new GraphQLError(
          `This API is read-only: it has no ${node.operation}s. Send a query instead.`,
          { nodes: [node], extensions: { code: "OPERATION_NOT_SUPPORTED" } },
        ),
      );
    },
  };
}

// fastAccept (fast-validate.ts) accepts queries only: this rule cannot report on what it accepts
coveredRule(readOnlyRule, { kind: "non-query operations" });

function readOnlyPlugin(): Plugin {
  return {
    onValidate({ addValidationRule }) {
      addValidationRule(readOnlyRule);
    },
  };
}

/** Words for the bare error responses Yoga gives without a body. */
const EXPLANATIONS: Record<number, (request: Request, req: IncomingMessage | undefined) => string> =
  {
    415: (request) =>
      `Unsupported content type ${JSON.stringify(request.headers.get("content-type") ?? "(none)")}: POST the request as application/json ({"query": "...", "variables": {...}}), or as application/graphql, or use GET.`,
    // the header as the client sent it, not as accept.ts rewrote it (its q-values read)
    406: (request, req) =>
      `Not acceptable: this server answers in application/graphql-response+json, application/json, text/event-stream or multipart/mixed, and the Accept header ${JSON.stringify((req ? acceptAsSent(req) : undefined) ?? request.headers.get("accept") ?? "")} allows none of them.`,
  };

function explainBareErrorsPlugin(): Plugin {
  return {
    onResponse({ request, response, serverContext, setResponse, fetchAPI }) {
      const explain = EXPLANATIONS[response.status];
      if (!explain || response.headers.get("content-type")) return;
      const headers = new Headers(response.headers);
      headers.set("content-type", "application/json; charset=utf-8");
      setResponse(
        new fetchAPI.Response(
          errorJson(
            "BAD_REQUEST",
            explain(request, (serverContext as { req?: IncomingMessage } | undefined)?.req),
          ),
          {
            status: response.status,
            statusText: response.statusText,
            headers,
          },
        ),
      );
    },
  };
}

/**
 * The plugins that read a request's parameters; `allow` is what /graphql's 405s say it answers
 * (answers.ts graphqlMethods; by default, that of the default setting, CORS on).
 */
export function requestPlugins({ allow = graphqlMethods("*") }: { allow?: string } = {}): Plugin[] {
  return [
    batchPlugin(),
    urlParametersPlugin(),
    operationChoicePlugin(allow),
    readOnlyPlugin(),
    explainBareErrorsPlugin(),
  ];
}
