/**
 * Clear answers to malformed requests that Yoga would otherwise answer vaguely or with an empty
 * body: an empty batch, an operation that cannot be chosen, a mutation or subscription sent to
 * this read-only API, and bare 4xx responses (415, 406) without a word of explanation.
 */
import { GraphQLError, Kind, getOperationAST, type ASTVisitor, type DocumentNode, type ValidationContext } from "graphql";
import type { Plugin } from "graphql-yoga";

function badRequest(message: string, code = "BAD_REQUEST", status = 400): GraphQLError {
  return new GraphQLError(message, { extensions: { code, http: { status } } });
}

/** A JSON array body with nothing in it. */
function emptyBatchPlugin(): Plugin {
  return {
    onRequestParse() {
      return {
        onRequestParseDone({ requestParserResult }) {
          if (Array.isArray(requestParserResult) && requestParserResult.length === 0) {
            throw badRequest("The request is an empty batch (`[]`): send one operation as an object, or a non-empty array of them.");
          }
        },
      };
    },
  };
}

/**
 * Which operation of the document to run, explained when it cannot be chosen: an unknown
 * `operationName`, several operations and no name, or a name that is not a string.
 */
function operationChoicePlugin(): Plugin {
  return {
    onParse() {
      return ({ result, context }) => {
        if (!result || result instanceof Error) return;
        const document = result as DocumentNode;
        const operationName = (context as { params?: { operationName?: unknown } }).params?.operationName;
        if (operationName !== undefined && operationName !== null && typeof operationName !== "string") {
          throw badRequest(`Expected "operationName" param to be a string, but given ${Array.isArray(operationName) ? "array" : typeof operationName}.`);
        }
        if (getOperationAST(document, operationName ?? undefined)) return;
        const names = document.definitions.flatMap((d) => (d.kind === Kind.OPERATION_DEFINITION ? [d.name?.value ?? "(anonymous)"] : []));
        if (names.length === 0) throw badRequest("The document defines no operation (only fragments?): send a query.", "OPERATION_RESOLUTION_FAILURE");
        if (operationName) {
          throw badRequest(`Unknown operation named "${operationName}": the document defines ${names.map((n) => `"${n}"`).join(", ")}.`, "OPERATION_RESOLUTION_FAILURE");
        }
        throw badRequest(
          `The document defines ${names.length} operations (${names.map((n) => `"${n}"`).join(", ")}): name the one to run in "operationName".`,
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
        new GraphQLError(`This API is read-only: it has no ${node.operation}s. Send a query instead.`, { nodes: [node], extensions: { code: "OPERATION_NOT_SUPPORTED" } }),
      );
    },
  };
}

function readOnlyPlugin(): Plugin {
  return {
    onValidate({ addValidationRule }) {
      addValidationRule(readOnlyRule);
    },
  };
}

/** Words for the bare error responses Yoga gives without a body. */
const EXPLANATIONS: Record<number, (request: Request) => string> = {
  415: (request) =>
    `Unsupported content type ${JSON.stringify(request.headers.get("content-type") ?? "(none)")}: POST the request as application/json ({"query": "...", "variables": {...}}), or as application/graphql, or use GET.`,
  406: (request) =>
    `Not acceptable: this server answers in application/graphql-response+json or application/json, and the Accept header ${JSON.stringify(request.headers.get("accept") ?? "")} allows neither.`,
};

function explainBareErrorsPlugin(): Plugin {
  return {
    onResponse({ request, response, setResponse, fetchAPI }) {
      const explain = EXPLANATIONS[response.status];
      if (!explain || response.headers.get("content-type")) return;
      const headers = new Headers(response.headers);
      headers.set("content-type", "application/json; charset=utf-8");
      const body = JSON.stringify({ errors: [{ message: explain(request), extensions: { code: "BAD_REQUEST" } }] });
      setResponse(new fetchAPI.Response(body, { status: response.status, statusText: response.statusText, headers }));
    },
  };
}

export function requestPlugins(): Plugin[] {
  return [emptyBatchPlugin(), operationChoicePlugin(), readOnlyPlugin(), explainBareErrorsPlugin()];
}
