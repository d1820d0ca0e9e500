/**
 * Trusted documents (GraphQL over HTTP, Appendix A): a client sends `documentId=sha256:<hex>`
 * instead of a query's text, by GET (cacheable by any HTTP cache: the URL is short and the same
 * for everyone) or POST. The documents are those of the web explorer: codegen's client preset
 * writes them, with their ids, to web/src/gql/persisted-documents.json (codegen.ts).
 *
 * With `KZ_OSCE_TRUSTED_DOCUMENTS_ONLY=true` the server answers those documents only: any other
 * query text is refused, which closes the API to everything the explorer does not ask (an
 * allow-list, for deployments that want one). Otherwise, ids and texts are both accepted.
 *
 * Built on @graphql-yoga/plugin-persisted-operations, with an id extractor for `documentId`
 * (the plugin reads Apollo's `extensions.persistedQuery` by default). It runs first among the
 * plugins, so that everything after it (limits, validation, the log's operation name) sees the
 * document's text. The response caches in front of Yoga (response-cache.ts, and HTTP caches)
 * key on the URL and body, which hold the id, so that one document's answer is never served
 * for another's.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { usePersistedOperations } from "@graphql-yoga/plugin-persisted-operations";
import type { GraphQLParams, Plugin } from "graphql-yoga";
import { refusal } from "./limits.js";

/** The explorer's documents, as `npm run codegen` writes them. */
export const EXPLORER_DOCUMENTS = fileURLToPath(
  new URL("../../web/src/gql/persisted-documents.json", import.meta.url),
);

/** A document id as Appendix A spells it for SHA-256. */
const DOCUMENT_ID = /^sha256:[0-9a-f]{64}$/;

export class TrustedDocumentsError extends Error {
  override name = "TrustedDocumentsError";
}

/**
 * The manifest `file` ({"sha256:<hex>": "document text", ...}), each id checked against its
 * text: a manifest whose ids do not match their documents is refused, naming the first. With
 * `optional`, a missing file means no trusted documents.
 */
export function loadTrustedDocuments(
  file: string = EXPLORER_DOCUMENTS,
  { optional = false }: { optional?: boolean } = {},
): ReadonlyMap<string, string> {
  let manifest: unknown;
  try {
    manifest = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    // a server deployed without the explorer's sources still serves queries, with no trusted documents
    if (optional && (error as NodeJS.ErrnoException).code === "ENOENT") return new Map();
    throw new TrustedDocumentsError(
      `${file}: cannot read the trusted documents (${(error as Error).message}); run \`npm run codegen\``,
    );
  }
  if (typeof manifest !== "object" || manifest === null || Array.isArray(manifest)) {
    throw new TrustedDocumentsError(
      `${file}: expected an object mapping "sha256:<hex>" ids to documents`,
    );
  }
  const documents = new Map<string, string>();
  for (const [id, text] of Object.entries(manifest)) {
    if (!DOCUMENT_ID.test(id) || typeof text !== "string")
      throw new TrustedDocumentsError(
        `${file}: "${id.slice(0, 80)}" is not a "sha256:<hex>" id mapped to a document`,
      );
    const actual = `sha256:${createHash("sha256").update(text).digest("hex")}`;
    if (actual !== id)
      throw new TrustedDocumentsError(
        `${file}: the document of ${id} hashes to ${actual}; run \`npm run codegen\` again`,
      );
    documents.set(id, text);
  }
  return documents;
}

type Params = GraphQLParams & { documentId?: unknown };

export interface TrustedDocumentsOptions {
  documents: ReadonlyMap<string, string>;
  /** Refuse query texts: answer the documents' ids only. */
  only: boolean;
}

/** The Yoga plugin: `documentId` on GET and POST, and the allow-list when `only`. */
export function trustedDocumentsPlugin({ documents, only }: TrustedDocumentsOptions): Plugin {
  const persisted = usePersistedOperations({
    allowArbitraryOperations: !only,
    extractPersistedOperationId: (params) => {
      const id = (params as Params).documentId;
      return typeof id === "string" ? id : null;
    },
    getPersistedOperation: (id) => {
      if (!DOCUMENT_ID.test(id)) {
        throw refusal(
          `"documentId" must be "sha256:" and 64 lowercase hex digits (the SHA-256 of the document), got "${id.slice(0, 80)}".`,
        );
      }
      return documents.get(id) ?? null;
    },
    customErrors: {
      notFound: {
        message: `No trusted document has this "documentId": this server knows the web explorer's documents (${documents.size}); send the query's text in "query" instead${only ? ", which this server does not accept" : ""}.`,
        extensions: { code: "PERSISTED_QUERY_NOT_FOUND", http: { status: 400 } },
      },
      persistedQueryOnly: {
        message:
          'This server answers trusted documents only (KZ_OSCE_TRUSTED_DOCUMENTS_ONLY): send a known "documentId" instead of "query".',
        extensions: { code: "PERSISTED_QUERY_ONLY", http: { status: 400 } },
      },
      keyNotFound: {
        message:
          'The request has neither "query" nor "documentId": this server answers trusted documents only, send a known "documentId".',
        extensions: { code: "PERSISTED_QUERY_ONLY", http: { status: 400 } },
      },
    },
  });
  return {
    ...persisted,
    onParams(payload) {
      const params = payload.params as Params;
      if (
        !params.query &&
        (params.documentId === undefined || params.documentId === null) &&
        isAutomaticPersistedQuery(params)
      )
        throw apqNotSupported(only);
      if (params.documentId !== undefined && params.documentId !== null) {
        if (typeof params.documentId !== "string")
          throw refusal(
            `"documentId" must be a string such as "sha256:<hex>", got ${typeof params.documentId}.`,
          );
        if (params.query)
          throw refusal('The request has both "query" and "documentId": send one of them.');
      } else if (!only) {
        // a plain request: Yoga answers it (and says so when it has no query either)
        return;
      }
      return persisted.onParams!(payload);
    },
  };
}

/**
 * Apollo's automatic persisted queries: a hash in `extensions.persistedQuery` and no query, sent
 * by Apollo Client's persisted-query link before the query's text. This server keeps no queries
 * (its ids are the trusted documents'), and says so with the code the link reads to send the
 * text from then on: answered "Must provide query string.", every query of such a client failed.
 */
function isAutomaticPersistedQuery(params: Params): boolean {
  const persisted = (params.extensions as { persistedQuery?: unknown } | null | undefined)
    ?.persistedQuery;
  return typeof persisted === "object" && persisted !== null;
}

const apqNotSupported = (only: boolean) =>
  refusal(
    `Automatic persisted queries (a hash in "extensions.persistedQuery") are not kept by this server: ${
      only
        ? 'it answers trusted documents only (KZ_OSCE_TRUSTED_DOCUMENTS_ONLY): send a known "documentId".'
        : 'send the query\'s text in "query" (with or without the hash), or a trusted document\'s "documentId".'
    }`,
    "PERSISTED_QUERY_NOT_SUPPORTED",
  );
