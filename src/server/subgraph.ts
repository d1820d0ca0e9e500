/**
 * Subgraph mode, on the server's side (the schema's side is src/schema/federation.ts): with a
 * gateway secret set, only the gateway may call `_entities` and `_service`, the two root fields
 * that exist for it alone. The gateway sends the secret in the `x-gateway-secret` header; a
 * request without it (or with another value) that selects either field, at any depth of
 * fragments on the root, gets one FORBIDDEN error (HTTP 403) and nothing runs. Every other field
 * answers anyone, as in the public schema. A request that sends the header more than once is no
 * gateway's either, and is told so (GATEWAY_SECRET_REPEATED, 403): Node joins the copies with
 * ", ", so a gateway or proxy that added the header a second time was refused as sending a
 * wrong secret, and its operator went looking for a mistyped one.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { type DocumentNode, getOperationAST, Kind, type SelectionSetNode } from "graphql";
import type { Plugin } from "graphql-yoga";
import { refusal } from "./limits.js";

/** The request header that carries the gateway's shared secret. */
export const GATEWAY_SECRET_HEADER = "x-gateway-secret";

/** The root fields only a gateway needs. */
const GATEWAY_FIELDS = new Set(["_entities", "_service"]);

export interface GatewayGuard {
  /** Whether the request carries the gateway's secret. */
  fromGateway(req: IncomingMessage | undefined, request?: Request): boolean;
  /** The Yoga plugin refusing `_entities` and `_service` to any other caller; put it before the limits. */
  plugin: Plugin;
}

const digest = (text: string) => createHash("sha256").update(text).digest();

export function gatewayGuard(secret: string): GatewayGuard {
  const expected = digest(secret);
  const fromGateway = (req: IncomingMessage | undefined, request?: Request): boolean => {
    // the node request (Yoga's server context, and the fast path's); a fetch Request otherwise
    const header = req
      ? req.headers[GATEWAY_SECRET_HEADER]
      : request?.headers.get(GATEWAY_SECRET_HEADER);
    // compared as digests, in constant time: the answer's timing says nothing of the secret;
    // copies joined by Node never count, whatever they join to
    return (
      typeof header === "string" &&
      (req === undefined || timesSent(req) === 1) &&
      timingSafeEqual(digest(header), expected)
    );
  };

  // whether a document's operation selects a gateway field is a property of the document: remember it
  const selects = new WeakMap<DocumentNode, Map<string, boolean>>();
  const selectsGatewayField = (
    document: DocumentNode,
    operationName: string | null | undefined,
  ): boolean => {
    let byName = selects.get(document);
    if (!byName) selects.set(document, (byName = new Map()));
    const key = operationName ?? "";
    let found = byName.get(key);
    if (found === undefined) {
      const operation = getOperationAST(document, operationName ?? undefined);
      found =
        operation !== null &&
        operation !== undefined &&
        rootSelects(document, operation.selectionSet);
      byName.set(key, found);
    }
    return found;
  };

  return {
    fromGateway,
    plugin: {
      onExecute({ args, setResultAndStopExecution }) {
        if (!selectsGatewayField(args.document, args.operationName)) return;
        const context = args.contextValue as
          | { req?: IncomingMessage; request?: Request }
          | undefined;
        if (fromGateway(context?.req, context?.request)) return;
        const times = context?.req ? timesSent(context.req) : 0;
        const error =
          times > 1
            ? refusal(
                `\`_entities\` and \`_service\` answer only the federation gateway of this subgraph: the request sent the \`${GATEWAY_SECRET_HEADER}\` header ${times} times, and a secret is taken only from a header sent once. ` +
                  "Send it once (a proxy between the gateway and the subgraph may be adding it again).",
                "GATEWAY_SECRET_REPEATED",
                { times },
                403,
              )
            : refusal(
                "`_entities` and `_service` answer only the federation gateway of this subgraph: the request has no valid `x-gateway-secret` header. " +
                  "Query the gateway, or ask for the other fields.",
                "FORBIDDEN",
                {},
                403,
              );
        setResultAndStopExecution({ errors: [error] });
      },
    },
  };
}

/**
 * How many times the request sent the secret's header, from its raw headers: `req.headers` holds
 * the copies joined with ", ", which cannot be told from one value holding ", ".
 */
function timesSent(req: IncomingMessage): number {
  let times = 0;
  const raw = req.rawHeaders;
  for (let i = 0; i < raw.length; i += 2)
    if (
      raw[i]!.length === GATEWAY_SECRET_HEADER.length &&
      raw[i]!.toLowerCase() === GATEWAY_SECRET_HEADER
    )
      times++;
  return times;
}

/** Whether a root selection set selects `_entities` or `_service`, through fragments and inline fragments. */
function rootSelects(document: DocumentNode, selectionSet: SelectionSetNode): boolean {
  const fragments = new Map<string, SelectionSetNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION)
      fragments.set(definition.name.value, definition.selectionSet);
  }
  const seen = new Set<string>();
  const visit = (set: SelectionSetNode): boolean =>
    set.selections.some((selection) => {
      if (selection.kind === Kind.FIELD) return GATEWAY_FIELDS.has(selection.name.value);
      if (selection.kind === Kind.INLINE_FRAGMENT) return visit(selection.selectionSet);
      const name = selection.name.value;
      if (seen.has(name)) return false;
      seen.add(name);
      const fragment = fragments.get(name);
      return fragment !== undefined && visit(fragment);
    });
  return visit(selectionSet);
}
