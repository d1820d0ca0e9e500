/**
 * The hostile input catalogue: broken, malicious or merely odd requests, one row each. Every row
 * asserts the exact status, the error's message (and code where the server gives one), that no
 * stack trace or internal detail leaks, and that the server still answers a normal query after it.
 */
import { connect } from "node:net";
import { gzipSync } from "node:zlib";
import { GraphQLError, type GraphQLInputObjectType, locatedError, parse } from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { schema } from "../../src/schema/index.js";
import { repeatedHeader } from "../../src/server/app.js";
import { MAX_BODY_DEPTH } from "../../src/server/body.js";
import { DEFAULT_CONFIG } from "../../src/server/config.js";
import { MAX_VARIABLE_MESSAGE } from "../../src/server/limits.js";
import { MAX_OVERLAP_WORK } from "../../src/server/overlap-work.js";
import {
  MAX_VALIDATION_MESSAGE,
  MAX_VALIDATION_MESSAGE_PAST_BUDGET,
  VALIDATION_MESSAGES_BUDGET,
} from "../../src/server/validate.js";
import { PRINTED_ERRORS_LIMIT } from "../../src/server/variables.js";
import {
  JSON_HEADERS,
  post,
  postChunked,
  type RawRequest,
  type RawResponse,
  send,
} from "../support/http.js";
import { startServer, type TestServer } from "../support/server.js";

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.close());

const { limits, maxBodyBytes, maxBatch } = DEFAULT_CONFIG;
const body = (query: unknown, variables?: unknown, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ query, variables, ...extra });
const b64 = (text: string) => Buffer.from(text).toString("base64");
const gqlPost = (
  query: unknown,
  variables?: unknown,
  extra: Record<string, unknown> = {},
): RawRequest => ({ headers: JSON_HEADERS, body: body(query, variables, extra) });
const gqlGet = (query: string): RawRequest => ({
  method: "GET",
  path: `/graphql?query=${encodeURIComponent(query)}`,
  headers: { accept: "application/graphql-response+json" },
});

/** A multipart/form-data body (as a file-upload client would send one) with these fields. */
function multipart(fields: Record<string, string>, boundary = "----kz-osce-boundary"): RawRequest {
  const parts = Object.entries(fields).map(
    ([name, value]) =>
      `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`,
  );
  return {
    headers: {
      "content-type": `multipart/form-data; boundary=${boundary}`,
      accept: "application/graphql-response+json",
    },
    body: `${parts.join("")}--${boundary}--\r\n`,
  };
}
const FORM = {
  "content-type": "application/x-www-form-urlencoded",
  accept: "application/graphql-response+json",
};
const JSON_BODY_EXAMPLE = 'send an object such as {"query": "{ __typename }", "variables": {}}';
const MULTIPART_REFUSED =
  'Multipart requests are not accepted: this API has no file uploads. POST the request as application/json ({"query": "...", "variables": {...}}), application/graphql or application/x-www-form-urlencoded, or use GET.';

/** An HTTP/1.1 request written byte for byte, as no well-behaved client would send it. */
function rawHttp(text: string): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const url = new URL(server.url);
    const socket = connect(Number(url.port), url.hostname, () => socket.write(text));
    let answer = "";
    socket.setEncoding("utf8");
    socket.on("data", (chunk: string) => (answer += chunk));
    socket.on("error", reject);
    socket.on("close", () => {
      const [head = "", content = ""] = answer.split("\r\n\r\n");
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0);
      let json: unknown;
      try {
        json = JSON.parse(content);
      } catch {
        json = undefined;
      }
      resolve({ status, headers: new Headers(), text: content, json });
    });
  });
}

/** How many fields the input object type `name` of the schema has. */
function fieldsOf(name: string): number {
  return Object.keys((schema.getType(name) as GraphQLInputObjectType).getFields()).length;
}

interface Case {
  name: string;
  /** The request, or a function sending it some other way. */
  request: RawRequest | (() => Promise<RawResponse>);
  status: number;
  message: string | RegExp;
  code?: string;
  /** extensions.argumentName: the path of the offending argument or input field. */
  argumentName?: string;
  /** The `Allow` header the refusal says. */
  allow?: string;
}

const NOT_UTF8 =
  "The request body is not UTF-8, the encoding of JSON (RFC 8259) and of every body this server reads: its other bytes would be read as U+FFFD. Send the body in UTF-8 (an é is the one byte 0xE9 in Latin-1 or Windows-1252, the two bytes 0xC3 0xA9 in UTF-8).";
const deepQuery = `{ ${'state(key: "kazakhstan") { persons { nodes { nationality { '.repeat(5)}key${" } } } }".repeat(5)} }`;
const cases: Case[] = [
  // broken HTTP and bodies
  {
    name: "malformed JSON",
    request: { headers: JSON_HEADERS, body: '{"query": ' },
    status: 400,
    message: `POST body sent invalid JSON: Unexpected end of JSON input. Check its quoting and commas, or ${JSON_BODY_EXAMPLE}.`,
    code: "BAD_REQUEST",
  },
  {
    name: "malformed JSON over several lines, placed by line and column",
    request: {
      headers: JSON_HEADERS,
      body: '{\n  "query": "{ __typename }",\n  "variables": {key: 1}\n}',
    },
    status: 400,
    message: `POST body sent invalid JSON: Expected property name or '}' in JSON at position 47 (line 3, column 17). Check its quoting and commas, or ${JSON_BODY_EXAMPLE}.`,
    code: "BAD_REQUEST",
  },
  {
    name: "malformed JSON sent as application/graphql+json",
    request: {
      headers: { ...JSON_HEADERS, "content-type": "application/graphql+json; charset=utf-8" },
      body: '{"query": "{ __typename }",}',
    },
    status: 400,
    message: /^POST body sent invalid JSON: .* \(line 1, column 28\)\. /,
    code: "BAD_REQUEST",
  },
  {
    name: "a JSON string instead of an object",
    request: { headers: JSON_HEADERS, body: '"{ __typename }"' },
    status: 400,
    message: "POST body is expected to be object but received string",
  },
  {
    name: "JSON null",
    request: { headers: JSON_HEADERS, body: "null" },
    status: 400,
    message: "POST body is expected to be object but received null",
  },
  {
    name: "an empty batch",
    request: { headers: JSON_HEADERS, body: "[]" },
    status: 400,
    message:
      "The request is an empty batch (`[]`): send one operation as an object, or a non-empty array of them.",
  },
  {
    name: "an empty body",
    request: { headers: JSON_HEADERS, body: "" },
    status: 400,
    message: `The request body is empty: ${JSON_BODY_EXAMPLE}.`,
  },
  {
    name: "a byte-order mark before the JSON",
    request: { headers: JSON_HEADERS, body: `\uFEFF${body("{ __typename }")}` },
    status: 400,
    message:
      "The request body starts with a byte-order mark (U+FEFF), which JSON does not allow: send the JSON without it.",
  },
  {
    name: "content type text/plain",
    request: { headers: { "content-type": "text/plain" }, body: "{ __typename }" },
    status: 415,
    message:
      'Unsupported content type "text/plain": POST the request as application/json ({"query": "...", "variables": {...}}), or as application/graphql, or use GET.',
  },
  {
    name: "content type application/xml",
    request: { headers: { "content-type": "application/xml" }, body: "<query/>" },
    status: 415,
    message: /^Unsupported content type "application\/xml": POST the request as application\/json/,
  },
  {
    name: "no content type at all",
    request: {
      headers: {},
      body: new TextEncoder().encode(body("{ __typename }")) as Uint8Array<ArrayBuffer>,
    },
    status: 415,
    message: /^Unsupported content type "\(none\)"/,
  },
  {
    name: "an Accept header the server cannot satisfy",
    request: {
      headers: { "content-type": "application/json", accept: "text/xml" },
      body: body("{ __typename }"),
    },
    status: 406,
    message:
      'Not acceptable: this server answers in application/graphql-response+json, application/json, text/event-stream or multipart/mixed, and the Accept header "text/xml" allows none of them.',
  },
  {
    name: "a huge body with Content-Length",
    request: gqlPost("{ __typename }", { pad: "x".repeat(maxBodyBytes) }),
    status: 413,
    message: `The request body is larger than ${maxBodyBytes} bytes (the body size limit). Send a smaller query, and pass large values as variables only if they fit.`,
    code: "REQUEST_ENTITY_TOO_LARGE",
  },
  {
    name: "a huge chunked body without Content-Length",
    request: () =>
      postChunked(server, [
        `{"query":"{ __typename }","variables":{"pad":"`,
        ...Array(8).fill("x".repeat(maxBodyBytes / 4)),
        '"}}',
      ]),
    status: 413,
    message: /^The request body is larger than \d+ bytes/,
    code: "REQUEST_ENTITY_TOO_LARGE",
  },
  // paths that a WHATWG URL parser (Yoga's) reads as /graphql: they passed the body limit by
  ...["/x/../graphql", "/%2e%2e/graphql", "/x/.%2E/graphql", "/x/..\\graphql"].map((path) => ({
    name: `a huge chunked body to ${path}, which Yoga reads as /graphql`,
    request: () =>
      postChunked(
        server,
        [
          `{"query":"{ __typename }","variables":{"pad":"`,
          ...Array(8).fill("x".repeat(maxBodyBytes / 4)),
          '"}}',
        ],
        JSON_HEADERS,
        path,
      ),
    status: 413,
    message: /^The request body is larger than \d+ bytes/,
    code: "REQUEST_ENTITY_TOO_LARGE",
  })),
  // a Host or a target that would make Yoga read another path than the router's
  ...[
    "x/graphql?",
    "x\\graphql#",
    "",
    "user@x",
    "x graphql",
    "x:99999",
    "1.2.3.256",
    "[1.2.3.4]",
  ].map((host) => ({
    name: `a Host header of ${JSON.stringify(host)} (Yoga read /nothing as /graphql, or answered 500 with a stack)`,
    request: () =>
      rawHttp(
        `POST /nothing HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/json\r\nContent-Length: 24\r\nConnection: close\r\n\r\n{"query":"{__typename}"}`,
      ),
    status: 400,
    message: `The Host header ${JSON.stringify(host)} is not a host name or address with a port: send the server's, as in "Host: example.org" or "Host: 127.0.0.1:4000".`,
    code: "BAD_REQUEST",
  })),
  {
    name: "an HTTP/1.1 request without a Host header (node answered a bare 400, empty)",
    request: () =>
      rawHttp(
        `POST /graphql HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: 24\r\nConnection: close\r\n\r\n{"query":"{__typename}"}`,
      ),
    status: 400,
    message:
      'The request has no Host header, which HTTP/1.1 requires (RFC 9112, 3.2): send the server\'s, as in "Host: example.org" or "Host: 127.0.0.1:4000".',
    code: "BAD_REQUEST",
  },
  // a header given twice, which node read as its first: a proxy in front may read the other
  ...[
    ["Host twice, two hosts", "POST /graphql", "Host: a.example\r\nHost: b.example", "Host"],
    [
      "Host twice, the same, spelt apart",
      "GET /health",
      "Host: a.example\r\nhost: a.example",
      "Host",
    ],
    [
      "Content-Type twice (JSON first: the shortcut's own path)",
      "POST /graphql",
      "Host: x\r\nContent-Type: application/json\r\ncontent-type: text/plain",
      "Content-Type",
    ],
  ].map(([name, line, headers, header]) => ({
    name: `${name} (node kept the first)`,
    request: () =>
      rawHttp(
        `${line} HTTP/1.1\r\n${headers}\r\nContent-Length: 24\r\nConnection: close\r\n\r\n{"query":"{__typename}"}`,
      ),
    status: 400,
    message: `The ${header} header is given more than once: give it once, so that it is clear which one counts${header === "Host" ? " (RFC 9112, 3.2)" : ""}.`,
    code: "BAD_REQUEST",
  })),
  // Node's parser keeps 1,000 header fields and drops the rest without a word: the Host after
  // them was not seen (red team 50, F3), nor would a second one be
  ...[
    ["1,000 small header fields, then its Host", 1000, "Host: x"],
    ["999 small header fields after its Host, then a second Host", 999, "Host: y"],
  ].map(([name, count, last]) => ({
    name: `${name} (refused for no Host, or the second unseen)`,
    request: () =>
      rawHttp(
        `POST /graphql HTTP/1.1\r\n${count === 999 ? "Host: x\r\n" : ""}${Array.from({ length: count as number }, (_, i) => `X-H${i}: 1\r\n`).join("")}${last}\r\nContent-Type: application/json\r\nContent-Length: 24\r\nConnection: close\r\n\r\n{"query":"{__typename}"}`,
      ),
    status: 431,
    message:
      "The request has more than 1000 header fields, more than the server reads (it would not see those after them): send fewer.",
    code: "BAD_REQUEST",
  })),
  {
    name: "an Expect the server does not know (node answered a bare 417, empty)",
    request: () =>
      rawHttp(
        `POST /graphql HTTP/1.1\r\nHost: x\r\nExpect: foo\r\nContent-Type: application/json\r\nContent-Length: 24\r\nConnection: close\r\n\r\n{"query":"{__typename}"}`,
      ),
    status: 417,
    message:
      'The request expects "foo" (its Expect header), which this server does not understand: the only expectation it meets is "100-continue". Send the request without Expect, or with "Expect: 100-continue".',
    code: "EXPECTATION_FAILED",
  },
  {
    name: "a request target that is no path (POST *)",
    request: () =>
      rawHttp(
        `POST * HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 24\r\nConnection: close\r\n\r\n{"query":"{__typename}"}`,
      ),
    status: 400,
    message:
      'The request target "*" is not a path: send a path such as /graphql (or an absolute URL).',
    code: "BAD_REQUEST",
  },
  {
    name: "a huge body to an absolute URL as the target (routed as its path, /graphql)",
    request: () =>
      rawHttp(
        `POST http://example.org/graphql HTTP/1.1\r\nHost: example.org\r\nContent-Type: application/json\r\nContent-Length: ${maxBodyBytes + 100}\r\nConnection: close\r\n\r\n`,
      ),
    status: 413,
    message: /^The request body is larger than \d+ bytes/,
    code: "REQUEST_ENTITY_TOO_LARGE",
  },
  // bodies in a coding or a charset the server does not read
  {
    name: "a gzip-compressed body (Content-Encoding: gzip)",
    request: {
      headers: { ...JSON_HEADERS, "content-encoding": "gzip" },
      body: new Uint8Array(gzipSync(body("{ __typename }"))),
    },
    status: 415,
    message:
      'The request body is coded as "gzip" (Content-Encoding), which this server does not decode: send it uncompressed.',
    code: "BAD_REQUEST",
  },
  {
    name: "a plain body said to be brotli-compressed",
    request: {
      headers: { ...JSON_HEADERS, "content-encoding": "br" },
      body: body("{ __typename }"),
    },
    status: 415,
    message: /^The request body is coded as "br" \(Content-Encoding\)/,
  },
  {
    name: "a body in Latin-1 (é as one byte, 0xE9), which is not UTF-8",
    request: {
      headers: { ...JSON_HEADERS, "content-type": "application/json; charset=iso-8859-1" },
      body: new Uint8Array(Buffer.from(body('{ search(query: "é") { totalCount } }'), "latin1")),
    },
    status: 415,
    message:
      'The request body is not UTF-8, the encoding of JSON (RFC 8259), which this server reads whatever the charset named ("iso-8859-1"): send the body in UTF-8.',
    // the code of a body not UTF-8 under no charset (a client tells them apart by the status)
    code: "BODY_NOT_UTF8",
  },
  // not UTF-8, with no charset or said to be UTF-8: read as UTF-8, each such byte was U+FFFD
  // (red team 8: a Latin-1 "é" searched for "\uFFFD"); JSON is UTF-8 (RFC 8259 8.1)
  ...[
    ["application/json", "a JSON body in Latin-1 with no charset"],
    ["application/json; charset=utf-8", "a JSON body in Latin-1 said to be UTF-8"],
    ["application/graphql-response+json", "a JSON body in Latin-1 of another JSON type"],
  ].map(([type, name]) => ({
    name: name!,
    request: {
      headers: { ...JSON_HEADERS, "content-type": type! },
      body: new Uint8Array(Buffer.from(body('{ search(query: "é") { totalCount } }'), "latin1")),
    },
    status: 400,
    message: NOT_UTF8,
    code: "BODY_NOT_UTF8",
  })),
  {
    name: "a JSON body with a UTF-16 surrogate encoded as UTF-8 (CESU-8, 0xED 0xA0 0x80)",
    request: {
      headers: JSON_HEADERS,
      body: new Uint8Array(
        Buffer.concat([
          Buffer.from('{"query":"{ search(query: \\"'),
          Buffer.from([0xed, 0xa0, 0x80]),
          Buffer.from('\\") { totalCount } }"}'),
        ]),
      ),
    },
    status: 400,
    message: NOT_UTF8,
    code: "BODY_NOT_UTF8",
  },
  {
    name: "a form body with a raw Latin-1 byte",
    request: {
      headers: FORM,
      body: new Uint8Array(
        Buffer.from(
          `query=${encodeURIComponent('{ search(query: "X") { totalCount } }').replace("X", "\u00e9")}`,
          "latin1",
        ),
      ),
    },
    status: 400,
    message: NOT_UTF8,
    code: "BODY_NOT_UTF8",
  },
  ...["utf-16", "UTF-16LE", "utf-32", "unicode", "csUnicode", "iso-10646-ucs-2"].map((charset) => ({
    name: `a body said to be in ${charset}`,
    request: {
      headers: { ...JSON_HEADERS, "content-type": `application/json; charset=${charset}` },
      body: new Uint8Array(Buffer.from(body("{ __typename }"), "utf16le")),
    },
    status: 415,
    message: `The request body is said to be in "${charset}": JSON is exchanged in UTF-8 (RFC 8259), which this server reads; send the body in UTF-8.`,
    code: "BODY_NOT_UTF8",
  })),
  // a form's escapes are read as UTF-8 once decoded (the URL standard): `%E9` (Latin-1's é) is
  // ASCII on the wire, and was read as U+FFFD all the same
  ...[
    ["query", FORM],
    ["variables", FORM],
    ["query", { ...FORM, "content-type": "application/x-www-form-urlencoded; charset=UTF-8" }],
  ].map(([where, headers]) => ({
    name: `a form body whose escaped ${where} is not UTF-8 (%E9)${(headers as typeof FORM) === FORM ? "" : ", said to be UTF-8"}`,
    request: {
      headers: headers as typeof FORM,
      body:
        where === "query"
          ? `query=${encodeURIComponent('{ search(query: "X") { totalCount } }').replace("X", "%E9")}`
          : `query=${encodeURIComponent("query($q: String!) { search(query: $q) { totalCount } }")}&variables=${encodeURIComponent('{"q":"X"}').replace("X", "caf%E9")}`,
    },
    status: 400,
    message:
      "The request body's percent-encoded bytes are not UTF-8, in which a form's escapes are read (the URL standard's application/x-www-form-urlencoded): they would be read as U+FFFD. Encode the text in UTF-8 before escaping it (an é is %C3%A9; %E9 is Latin-1's or Windows-1252's).",
    code: "BODY_NOT_UTF8",
  })),
  {
    name: "a form body in Latin-1's escapes, said to be Latin-1",
    request: {
      headers: { ...FORM, "content-type": "application/x-www-form-urlencoded; charset=iso-8859-1" },
      body: `query=${encodeURIComponent('{ search(query: "X") { totalCount } }').replace("X", "%E9")}`,
    },
    status: 415,
    message:
      'The request body is not UTF-8, the encoding of JSON (RFC 8259), which this server reads whatever the charset named ("iso-8859-1"): send the body in UTF-8.',
    code: "BODY_NOT_UTF8",
  },
  {
    name: "a transfer coding other than chunked (Transfer-Encoding: gzip, chunked)",
    request: () =>
      rawHttp(
        `POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: gzip, chunked\r\nConnection: close\r\n\r\n5\r\nabcde\r\n0\r\n\r\n`,
      ),
    status: 501,
    message:
      'The request body is sent with the transfer coding "gzip, chunked" (Transfer-Encoding), of which this server decodes only "chunked": send it uncompressed, with Content-Length or "Transfer-Encoding: chunked".',
  },
  {
    name: "a 1 MB string as a variable",
    request: gqlPost("query($q: String!) { search(query: $q) { totalCount } }", {
      q: "x".repeat(1 << 20),
    }),
    status: 413,
    message: /^The request body is larger than/,
  },
  {
    name: "method PUT",
    request: { method: "PUT", headers: JSON_HEADERS, body: body("{ __typename }") },
    status: 405,
    message:
      '/graphql answers GET, HEAD and POST only, not PUT: POST the query as JSON ({"query": "{ __typename }"}) or send it by GET (/graphql?query=...).',
    code: "METHOD_NOT_ALLOWED",
    allow: "GET, HEAD, POST, OPTIONS",
  },
  {
    name: "an unknown path",
    request: { path: "/admin" },
    status: 404,
    message:
      'Nothing at "/admin": the GraphQL endpoint is /graphql (and /health, /ready, /metrics).',
    code: "NOT_FOUND",
  },
  {
    name: "a URL over 16 KB",
    request: gqlGet(`{ ${"__typename ".repeat(2000)}}`),
    status: 431,
    message:
      "The request's headers (or its URL) are larger than the server accepts (16 KB): send a shorter URL, or POST the query as JSON.",
  },
  {
    name: "a non-numeric Content-Length",
    request: () =>
      rawHttp(
        'POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 12abc\r\n\r\n{"query":"{}"}',
      ),
    status: 400,
    message:
      "The HTTP request is malformed: Invalid character in Content-Length (HPE_INVALID_CONTENT_LENGTH).",
  },
  {
    name: "Content-Length and Transfer-Encoding together (request smuggling)",
    request: () =>
      rawHttp(
        "POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
      ),
    status: 400,
    message:
      "The HTTP request is malformed: Transfer-Encoding can't be present with Content-Length (HPE_INVALID_TRANSFER_ENCODING).",
  },

  // other content types: multipart (uploads, which the API does not have), forms, GraphQL text
  {
    name: "a multipart upload with a map of numbers",
    request: multipart({ operations: body("{ __typename }"), map: '{"0":5}' }),
    status: 415,
    message: MULTIPART_REFUSED,
    code: "BAD_REQUEST",
  },
  {
    name: "a multipart upload with a map of nulls",
    request: multipart({ operations: body("{ __typename }"), map: '{"0":[null]}' }),
    status: 415,
    message: MULTIPART_REFUSED,
    code: "BAD_REQUEST",
  },
  {
    name: "a multipart upload whose operations are null",
    request: multipart({ operations: "null", map: "{}" }),
    status: 415,
    message: MULTIPART_REFUSED,
    code: "BAD_REQUEST",
  },
  {
    name: "a multipart body without a boundary",
    request: { headers: { "content-type": "multipart/form-data" }, body: "garbage" },
    status: 415,
    message: MULTIPART_REFUSED,
  },
  {
    name: "a multipart/mixed body",
    request: { headers: { "content-type": "multipart/mixed; boundary=x" }, body: "--x--" },
    status: 415,
    message: MULTIPART_REFUSED,
  },
  {
    name: "form-encoded variables that are not JSON",
    request: { headers: FORM, body: `query=${encodeURIComponent("{ __typename }")}&variables=abc` },
    status: 400,
    message:
      /^The "variables" parameter is not valid JSON \(Unexpected token .*\): send it URL-encoded, as in variables=%7B/,
    code: "BAD_REQUEST",
  },
  {
    name: "form-encoded extensions that are not JSON",
    request: {
      headers: FORM,
      body: `query=${encodeURIComponent("{ __typename }")}&extensions=%7B`,
    },
    status: 400,
    message: /^The "extensions" parameter is not valid JSON \(/,
    code: "BAD_REQUEST",
  },
  {
    name: "form-encoded variables that are an array",
    request: {
      headers: FORM,
      body: `query=${encodeURIComponent("{ __typename }")}&variables=%5B1%5D`,
    },
    status: 400,
    message: 'Expected "variables" param to be empty or an object, but given array.',
  },
  {
    name: "a form body that is not a form",
    request: { headers: FORM, body: "%%%%" },
    status: 400,
    message: "Must provide query string.",
  },
  {
    name: "GET with variables that are not JSON",
    request: {
      method: "GET",
      path: `/graphql?query=${encodeURIComponent("{ __typename }")}&variables=abc`,
      headers: { accept: "application/graphql-response+json" },
    },
    status: 400,
    message: /^The "variables" parameter is not valid JSON \(/,
    code: "BAD_REQUEST",
  },
  {
    name: "GET with extensions that are not JSON",
    request: {
      method: "GET",
      path: `/graphql?query=${encodeURIComponent("{ __typename }")}&extensions=%7B%22a%22`,
      headers: { accept: "application/graphql-response+json" },
    },
    status: 400,
    message: /^The "extensions" parameter is not valid JSON \(/,
    code: "BAD_REQUEST",
  },
  {
    // JSON.parse keeps the last; a firewall or cache in front may read the first
    name: "a JSON body with the query given twice",
    request: {
      headers: JSON_HEADERS,
      body: '{"query": "{ __typename }", "query": "{ states(first: 1) { totalCount } }"}',
    },
    status: 400,
    message:
      'The "query" parameter is given more than once: give it once, so that it is clear which one counts.',
    code: "BAD_REQUEST",
  },
  {
    name: "a JSON body with the query given twice, once spelt with an escape, asking for JSON",
    request: {
      headers: { ...JSON_HEADERS, accept: "application/json" },
      body: '{"query": "{ __typename }", "\\u0071uery": "{ states(first: 1) { totalCount } }"}',
    },
    status: 400,
    message: /^The "query" parameter is given more than once: give it once/,
    code: "BAD_REQUEST",
  },
  {
    name: "a batch with variables given twice in its second operation",
    request: {
      headers: JSON_HEADERS,
      body: '[{"query": "{ __typename }"}, {"query": "{ __typename }", "variables": {}, "variables": {}}]',
    },
    status: 400,
    message:
      'The "variables" parameter is given more than once in item 1 of the batch: give it once, so that it is clear which one counts.',
    code: "BAD_REQUEST",
  },
  {
    // which one counts is ambiguous: a cache or a firewall in front may read the other one
    name: "GET with the query given twice",
    request: {
      method: "GET",
      path: `/graphql?query=${encodeURIComponent("{ __typename }")}&query=${encodeURIComponent("{ states(first: 1) { totalCount } }")}`,
      headers: { accept: "application/graphql-response+json" },
    },
    status: 400,
    message:
      'The "query" parameter is given 2 times: give it once, so that it is clear which one counts.',
    code: "BAD_REQUEST",
  },
  // a query string's escapes are read as UTF-8, as a form body's: `%E9` was U+FFFD
  ...[
    [
      "query",
      `query=${encodeURIComponent('{ search(query: "X") { totalCount } }').replace("X", "%E9")}`,
    ],
    [
      "variables",
      `query=${encodeURIComponent("query($q: String!) { search(query: $q) { totalCount } }")}&variables=${encodeURIComponent('{"q":"X"}').replace("X", "caf%E9")}`,
    ],
  ].map(([where, search]) => ({
    name: `GET whose escaped ${where} is not UTF-8 (%E9)`,
    request: {
      method: "GET",
      path: `/graphql?${search}`,
      headers: { accept: "application/graphql-response+json" },
    },
    status: 400,
    message:
      "The query string's percent-encoded bytes are not UTF-8, in which a URL's escapes are read: they would be read as U+FFFD. Encode the text in UTF-8 before escaping it (an é is %C3%A9; %E9 is Latin-1's or Windows-1252's), as encodeURIComponent does.",
    code: "URL_NOT_UTF8",
  })),
  {
    // URLSearchParams reads %E9 as U+FFFD: the ETag was the valid twin's (%EF%BF%BD), and a client
    // holding that tag was answered 304 for bad input (review 11)
    name: "GET whose escapes are not UTF-8, with the If-None-Match of its U+FFFD twin",
    request: async () => {
      // a comment holding the character: {__typename}#é, a cacheable answer with an ETag
      const path = (escaped: string) => `/graphql?query=%7B__typename%7D%23${escaped}`;
      const headers = { accept: "application/json" };
      const twin = await send(server, { method: "GET", path: path("%EF%BF%BD"), headers });
      const etag = twin.headers.get("etag");
      if (twin.status !== 200 || !etag)
        throw new Error(`the twin got ${twin.status}, ETag ${etag}`);
      return send(server, {
        method: "GET",
        path: path("%E9"),
        headers: { ...headers, "if-none-match": etag },
      });
    },
    status: 400,
    message: /^The query string's percent-encoded bytes are not UTF-8/,
    code: "URL_NOT_UTF8",
  },
  {
    name: "GET with operationName given twice, the second empty",
    request: {
      method: "GET",
      path: `/graphql?query=${encodeURIComponent("query A { __typename }")}&operationName=A&operationName=`,
      headers: { accept: "application/graphql-response+json" },
    },
    status: 400,
    message: /^The "operationName" parameter is given 2 times: give it once/,
    code: "BAD_REQUEST",
  },
  {
    name: "form-encoded variables given three times",
    request: {
      headers: FORM,
      body: `query=${encodeURIComponent("{ __typename }")}&variables=%7B%7D&variables=%7B%7D&variables=%7B%7D`,
    },
    status: 400,
    message: /^The "variables" parameter is given 3 times: give it once/,
    code: "BAD_REQUEST",
  },
  {
    // read as U+FFFD, it was a syntax error about a character the client never sent
    name: "an application/graphql body that is not UTF-8",
    request: {
      headers: {
        "content-type": "application/graphql",
        accept: "application/graphql-response+json",
      },
      body: new Uint8Array([0xff, 0xfe, 0x00, 0x7b]) as Uint8Array<ArrayBuffer>,
    },
    status: 400,
    message: NOT_UTF8,
    code: "BODY_NOT_UTF8",
  },
  {
    name: "extensions that are a number",
    request: gqlPost("{ __typename }", undefined, { extensions: 5 }),
    status: 400,
    message: 'Expected "extensions" param to be empty or an object, but given number.',
  },
  {
    name: "extensions that are a string",
    request: gqlPost("{ __typename }", undefined, { extensions: '{"persistedQuery":{}}' }),
    status: 400,
    message: 'Expected "extensions" param to be empty or an object, but given string.',
  },

  // GraphQL parameters
  {
    name: "no query",
    request: { headers: JSON_HEADERS, body: JSON.stringify({ variables: {} }) },
    status: 400,
    message: "Must provide query string.",
    // Yoga's said `GET, POST`, leaving out HEAD
    allow: "GET, HEAD, POST, OPTIONS",
  },
  {
    name: "no query, answered as application/json: 400 too (a request that is not well-formed, as GraphQL over HTTP says for either media type)",
    request: {
      headers: { "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify({ variables: {} }),
    },
    status: 400,
    message: "Must provide query string.",
  },
  {
    name: "GET with no query, answered as application/json",
    request: { method: "GET", path: "/graphql", headers: { accept: "application/json" } },
    status: 400,
    message: "Must provide query string.",
    allow: "GET, HEAD, POST, OPTIONS",
  },
  {
    name: "a misspelt query parameter, answered as application/json: the key named",
    request: {
      headers: { "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify({ qeury: "{ __typename }" }),
    },
    status: 400,
    message: 'Unexpected parameter "qeury" in the request body.',
  },
  {
    name: "a query that is a number",
    request: gqlPost(42),
    status: 400,
    message: 'Expected "query" param to be a string, but given number.',
  },
  {
    name: "variables that are a string",
    request: gqlPost("{ __typename }", "n=1"),
    status: 400,
    message: 'Expected "variables" param to be empty or an object, but given string.',
  },
  {
    name: "an unknown request parameter",
    request: gqlPost("{ __typename }", undefined, { debug: true }),
    status: 400,
    message: 'Unexpected parameter "debug" in the request body.',
  },
  {
    name: "an operationName that is not a string",
    request: gqlPost("{ __typename }", undefined, { operationName: 5 }),
    status: 400,
    message: 'Expected "operationName" param to be a string, but given number.',
  },
  {
    name: "an unknown operation name",
    request: gqlPost("query A { __typename }", undefined, { operationName: "DropTables" }),
    status: 400,
    message: 'Unknown operation named "DropTables": the document defines "A".',
    code: "OPERATION_RESOLUTION_FAILURE",
  },
  {
    name: "a document of 12 operations and no name: ten of them listed",
    request: gqlPost(Array.from({ length: 12 }, (_, i) => `query A${i} { __typename }`).join("\n")),
    status: 400,
    message: `The document defines 12 operations ("A0", "A1", "A2", "A3", "A4", "A5", "A6", "A7", "A8", "A9", and 2 more): name the one to run in "operationName".`,
    code: "OPERATION_RESOLUTION_FAILURE",
  },
  {
    name: "an operation named with 90 KB, listed cut",
    request: gqlPost(`query ${"N".repeat(90_000)} { __typename }`, undefined, {
      operationName: "C",
    }),
    status: 400,
    message: `Unknown operation named "C": the document defines "${"N".repeat(80)}...".`,
    code: "OPERATION_RESOLUTION_FAILURE",
  },
  {
    name: "an unknown operation name of 90 KB, not quoted back whole",
    request: gqlPost("query A { __typename }", undefined, { operationName: "x".repeat(90_000) }),
    status: 400,
    message: `Unknown operation named "${"x".repeat(80)}...": the document defines "A".`,
    code: "OPERATION_RESOLUTION_FAILURE",
  },
  {
    name: "two operations and no name",
    request: gqlPost("query A { __typename } query B { __typename }"),
    status: 400,
    message:
      'The document defines 2 operations ("A", "B"): name the one to run in "operationName".',
  },
  {
    name: "an anonymous operation beside a named one, and no name",
    request: gqlPost("query A { __typename } { __typename }"),
    status: 400,
    message:
      'The document defines 2 operations ("A", "(anonymous)"), one of them anonymous, which GraphQL allows only alone: give it a name, then name the one to run in "operationName".',
    code: "OPERATION_RESOLUTION_FAILURE",
  },
  {
    name: "GET with a mutation",
    request: gqlGet("mutation { deleteEverything }"),
    status: 405,
    message: "This API is read-only: it has no mutations, by GET or POST. Send a query instead.",
  },
  {
    name: "POST with a mutation",
    request: gqlPost("mutation { deleteEverything }"),
    status: 400,
    message: "This API is read-only: it has no mutations. Send a query instead.",
    code: "OPERATION_NOT_SUPPORTED",
  },
  {
    name: "a subscription",
    request: gqlPost("subscription { changes }"),
    status: 400,
    message: "This API is read-only: it has no subscriptions. Send a query instead.",
  },

  // documents
  {
    name: "a syntax error",
    request: gqlPost("{ states { "),
    status: 400,
    message: "Syntax Error: Expected Name, found <EOF>.",
    code: "GRAPHQL_PARSE_FAILED",
  },
  {
    name: "a document that is only a comment",
    request: gqlPost("# nothing to see"),
    status: 400,
    message: "Syntax Error: Unexpected <EOF>.",
  },
  {
    name: "a null byte in the document",
    request: gqlPost("{ __typename \u0000 }"),
    status: 400,
    message: "Syntax Error: Unexpected character: U+0000.",
  },
  {
    name: "a Cyrillic homoglyph in a field name",
    request: gqlPost("{ stat\u0435s { totalCount } }"),
    status: 400,
    message: "Syntax Error: Unexpected character: U+0435.",
  },
  {
    name: "deep nesting",
    request: gqlPost(deepQuery),
    status: 400,
    message: /^The query is 2\d levels deep; the depth limit is 15 /,
    code: "DEPTH_LIMIT_EXCEEDED",
  },
  {
    name: "an alias bomb",
    request: gqlPost(
      `{ ${Array.from({ length: 150 }, (_, i) => `a${i}: states(first: 1) { totalCount }`).join(" ")} }`,
    ),
    status: 400,
    message: `The operation uses 150 aliases; the alias limit is ${limits.maxAliases}.`,
    code: "ALIAS_LIMIT_EXCEEDED",
  },
  {
    name: "a fragment cycle",
    request: gqlPost("{ ...A } fragment A on Query { ...B } fragment B on Query { ...A }"),
    status: 400,
    message: 'Cannot spread fragment "A" within itself via "B".',
    code: "GRAPHQL_VALIDATION_FAILED",
  },
  {
    name: "a directive flood",
    request: gqlPost(
      // (40 times the same field: 200 would be refused first for the comparisons graphql-js
      // would make of them, src/server/overlap-work.ts)
      `{ states { ${Array.from({ length: 40 }, () => "totalCount @include(if: true)").join(" ")} } }`,
    ),
    status: 400,
    message: `The operation uses 40 directives; the directive limit is ${limits.maxDirectives}.`,
    code: "DIRECTIVE_LIMIT_EXCEEDED",
  },
  {
    name: "a flood of comment lines (comments are not tokens)",
    request: gqlPost(`${"#\n".repeat(limits.maxLines)}{ __typename }`),
    status: 400,
    message: `The document has more than ${limits.maxLines} lines (the line limit): send a smaller query, with fewer blank or comment lines.`,
    code: "LINE_LIMIT_EXCEEDED",
  },
  {
    name: "a flood of comment lines in an item of a batch",
    request: {
      headers: JSON_HEADERS,
      body: JSON.stringify([
        { query: `${"#\n".repeat(limits.maxLines)}{ __typename }` },
        { query: "{ __typename }" },
      ]),
    },
    status: 200,
    message: `The document has more than ${limits.maxLines} lines (the line limit): send a smaller query, with fewer blank or comment lines.`,
    code: "LINE_LIMIT_EXCEEDED",
  },
  {
    // blank lines, the shortest in a URL (%0A): a GET's limit is the header size's, 16 KB
    name: "a flood of blank lines in a GET",
    request: gqlGet(`${"\n".repeat(limits.maxLines)}{ __typename }`),
    status: 400,
    message: `The document has more than ${limits.maxLines} lines (the line limit): send a smaller query, with fewer blank or comment lines.`,
    code: "LINE_LIMIT_EXCEEDED",
  },
  {
    name: "as many lines as the line limit allows, \r\n and \r counted as graphql-js counts them",
    request: gqlPost(
      `${"#\r\n".repeat(2500)}${"\r".repeat(limits.maxLines - 1 - 2500)}{ __typename x }`,
    ),
    status: 400,
    // parsed, then refused by validation: within the line limit
    message: 'Cannot query field "x" on type "Query".',
  },
  {
    name: "a token flood",
    request: gqlPost(`{ ${"__typename ".repeat(5000)}}`),
    status: 400,
    message: `The document has more than ${limits.maxTokens} tokens (the token limit): send a smaller query.`,
    code: "TOKEN_LIMIT_EXCEEDED",
  },
  {
    name: "the same field selected 1,500 times",
    request: gqlPost(`{ ${"__typename ".repeat(1500)}}`),
    status: 400,
    message: `The query selects the same fields too many times: checking that its fields of the same response name can be merged would take graphql-js over ${MAX_OVERLAP_WORK} comparisons (every two such fields, then every two of their fields of the same name, and so on down). Select each field once in a selection set (the fragments spread into it count too).`,
    code: "QUERY_TOO_COMPLEX",
  },
  {
    name: "a cost bomb of filters over a thousand offices",
    request: gqlPost(
      "query($ids: [ID!]!, $f: TenureFilter) { nodes(ids: $ids) { ... on Office { t1: tenures(filter: $f) { totalCount } t2: tenures(filter: $f) { totalCount } t3: tenures(filter: $f) { totalCount } t4: tenures(filter: $f) { totalCount } } } }",
      {
        ids: Array(limits.maxListLength).fill(
          Buffer.from("Office:office/osce-field-office-kazakhstan").toString("base64"),
        ),
        f: { or: Array(limits.maxFilterConditions / 2).fill({ timing: { eq: "PERIOD" } }) },
      },
    ),
    status: 400,
    message: new RegExp(
      `^The query would cost \\d+ units of work; the cost limit is ${limits.maxCost}\\. The most costly part is \`nodes\\.tenures\``,
    ),
    code: "COST_LIMIT_EXCEEDED",
  },
  {
    name: "selections on a scalar",
    request: gqlPost("{ states { totalCount { value } } }"),
    status: 400,
    message: 'Field "totalCount" must not have a selection since type "Int!" has no subfields.',
  },
  {
    name: "an unknown directive",
    request: gqlPost("{ __typename @admin }"),
    status: 400,
    message: 'Unknown directive "@admin".',
  },

  // arguments
  {
    name: "a huge first",
    request: gqlPost("{ states(first: 1000000) { totalCount } }"),
    status: 200,
    message:
      'Argument "first": must be between 0 and 100 (default 20), got 1000000. Page through longer lists with `after`/`before`.',
    code: "BAD_USER_INPUT",
  },
  {
    name: "a first beyond 32 bits",
    request: gqlPost("{ states(first: 2147483648) { totalCount } }"),
    status: 400,
    message: "Int cannot represent non 32-bit signed integer value: 2147483648",
  },
  {
    name: "a negative last",
    request: gqlPost("{ states(last: -5) { totalCount } }"),
    status: 200,
    message: /^Argument "last": must be between 0 and 100 \(default 20\), got -5\./,
    code: "BAD_USER_INPUT",
  },
  {
    name: "a forged cursor",
    request: gqlPost(`{ states(after: "${b64("OffsetConnection:-1")}") { totalCount } }`),
    status: 200,
    message: /^Argument "after": ".*" is not a cursor of this API/,
    code: "BAD_CURSOR",
  },
  {
    name: "an invalid global id",
    request: gqlPost('{ node(id: "../../etc/passwd") { id } }'),
    status: 200,
    message:
      '"../../etc/passwd" is not a global id of this API: pass an `id` exactly as a query returned it, or look the entity up by its readable key (e.g. `person(key: "gyorgy-szabo")`).',
    code: "BAD_USER_INPUT",
  },
  {
    name: "a global id of a type the API does not have",
    request: gqlPost(`{ node(id: "${b64("Spaceship:ship/x")}") { id } }`),
    status: 200,
    message: /is not a global id of this API/,
    code: "BAD_USER_INPUT",
  },
  {
    name: "a global id of the wrong type",
    request: gqlPost(`{ node(id: "${b64("Person:state/kazakhstan")}") { id } }`),
    status: 200,
    message: 'No person has the key "state/kazakhstan".',
    code: "NOT_FOUND",
  },
  {
    name: "a key of the wrong kind",
    request: gqlPost('{ person(key: "state/kazakhstan") { name } }'),
    status: 200,
    message:
      '"state/kazakhstan" is not a person key: person keys look like "person/slug" (or just "slug").',
    code: "BAD_USER_INPUT",
  },
  {
    name: "a right-to-left override in a key",
    request: gqlPost('{ person(key: "\u202egyorgy-szabo") { name } }'),
    status: 200,
    message:
      /^"\u202egyorgy-szabo" is not a valid person key: a key's slug has only lowercase letters, digits and hyphens/,
    code: "BAD_USER_INPUT",
  },
  {
    name: "a zero-width space in a key",
    request: gqlPost('{ state(key: "kazakh\u200bstan") { name } }'),
    status: 200,
    message: /is not a valid state key/,
    code: "BAD_USER_INPUT",
  },
  {
    name: "a null byte in a key",
    request: gqlPost("query($k: String!) { state(key: $k) { name } }", { k: "kazakhstan\u0000" }),
    status: 200,
    message: /is not a valid state key/,
    code: "BAD_USER_INPUT",
  },
  {
    name: "an invalid EDTF date",
    request: gqlPost('{ events(filter: { when: { overlaps: "2010-13" } }) { totalCount } }'),
    status: 200,
    message:
      'Argument "filter.when.overlaps": "2010-13" is not a valid EDTF date: month 13 is not between 01 and 12.',
    code: "BAD_USER_INPUT",
    argumentName: "filter.when.overlaps",
  },
  ...(() => {
    const query =
      "query($__proto__: String!) { search(query: $__proto__, first: 1) { totalCount } }";
    // (as JSON text: in an object literal, `__proto__` sets the prototype, and JSON.stringify drops it)
    const variables = '{"__proto__":"osce"}';
    return [
      [
        "POST",
        {
          headers: JSON_HEADERS,
          body: `{"query":${JSON.stringify(query)},"variables":${variables}}`,
        },
      ],
      [
        "GET",
        {
          ...gqlGet(query),
          path: `/graphql?query=${encodeURIComponent(query)}&variables=${encodeURIComponent(variables)}`,
        },
      ],
    ] as const;
  })().map(([how, request]) => ({
    name: `a variable named $__proto__ (${how}), refused on every path (red team 52, F3)`,
    request,
    status: 400,
    message:
      "A variable may not be named `$__proto__`: the server would lose its value (the name stands for an object's prototype in JavaScript, where the variables are gathered). Rename the variable.",
    code: "BAD_USER_INPUT",
  })),
  {
    name: "an EDTF date of 90 KB, quoted cut",
    request: gqlPost(
      "query($d: String!) { events(filter: { when: { overlaps: $d } }) { totalCount } }",
      {
        d: "2".repeat(90_000),
      },
    ),
    status: 200,
    message: `Argument "filter.when.overlaps": "${"2".repeat(80)}..." is not a valid EDTF date: it is 90000 characters long; a date or interval is at most 64, spaces around it included.`,
    code: "BAD_USER_INPUT",
    argumentName: "filter.when.overlaps",
  },
  ...[
    [
      `${"2".repeat(90_000)}/2010`,
      `"${"2".repeat(80)}..." is not a valid EDTF date: it is 90005 characters long; a date or interval is at most 64, spaces around it included.`,
    ],
    [
      `2012/2010${" ".repeat(90_000)}`,
      /^"2012\/2010 {71}\.\.\." is not a valid EDTF date: it is 90009 characters long; a date or interval is at most 64, spaces around it included\.$/,
    ],
  ].map(([d, said]) => ({
    name: `an EDTF interval of 90 KB (${(d as string).slice(0, 9)}...), quoted cut`,
    request: gqlPost(
      "query($d: String!) { events(filter: { when: { overlaps: $d } }) { totalCount } }",
      { d },
    ),
    status: 200,
    message:
      typeof said === "string"
        ? `Argument "filter.when.overlaps": ${said}`
        : new RegExp(`^Argument "filter.when.overlaps": ${(said as RegExp).source.slice(1)}`),
    code: "BAD_USER_INPUT",
  })),
  {
    name: "an ambiguous slug padded with 2,000 accents, quoted cut",
    request: gqlPost('query($f: String!) { path(from: $f, to: "kazakhstan") { length } }', {
      f: `o${"\u0301".repeat(2000)}sce-chairmanship`,
    }),
    status: 200,
    message:
      /^Argument "from": "o\u0301{79}\.\.\." is the slug of several entities \(office\/osce-chairmanship, post\/osce-chairmanship\); give the full key\.$/,
    code: "BAD_USER_INPUT",
  },
  {
    name: "an EDTF date made of emoji and slashes",
    request: gqlPost(
      "query($d: String!) { events(filter: { not: { when: { activeAt: $d } } }) { totalCount } }",
      { d: "🙂/../.." },
    ),
    status: 200,
    message:
      'Argument "filter.not.when.activeAt": "🙂/../.." is not a valid EDTF date: at most one \'/\' is allowed.',
    code: "BAD_USER_INPUT",
    argumentName: "filter.not.when.activeAt",
  },
  {
    name: "a 50 KB search string",
    request: gqlPost("query($q: String!) { search(query: $q) { totalCount } }", {
      q: "nazarbayev ".repeat(5000),
    }),
    status: 200,
    message: /^Argument "query": search query is too long: 55000 characters, the limit is 200/,
    code: "BAD_USER_INPUT",
  },

  // variables
  {
    name: "a variable of the wrong type",
    request: gqlPost("query($n: Int) { states(first: $n) { totalCount } }", { n: "ten" }),
    status: 400,
    message: 'Variable "$n" got invalid value "ten"; Int cannot represent non-integer value: "ten"',
    code: "BAD_USER_INPUT",
  },
  {
    name: "a missing required variable",
    request: gqlPost("query($k: String!) { state(key: $k) { name } }", {}),
    status: 400,
    message: 'Variable "$k" of required type "String!" was not provided.',
    code: "BAD_USER_INPUT",
  },
  {
    name: "an undeclared variable",
    request: gqlPost("{ states(first: $n) { totalCount } }"),
    status: 400,
    message: 'Variable "$n" is not defined.',
  },
  {
    name: "deeply nested arrays as a variable",
    request: {
      headers: JSON_HEADERS,
      body: `{"query":"query($ids: [ID!]!) { nodes(ids: $ids) { id } }","variables":{"ids":${"[".repeat(10_000)}${"]".repeat(10_000)}}}`,
    },
    status: 400,
    message: `The variable $ids nests objects and lists more than ${limits.maxVariableDepth} levels deep (the variable depth limit), at $ids${"[0]".repeat(limits.maxVariableDepth)}: send a flatter value.`,
    code: "VARIABLE_TOO_DEEP",
  },
  {
    // refused before JSON.parse reads it (red team 8: 50,000 levels held the loop 16-86 ms)
    name: "arrays nested deeper than any request needs, anywhere in the body",
    request: {
      headers: JSON_HEADERS,
      body: `{"query":"{ __typename }","extensions":{"x":${"[".repeat(20_000)}${"]".repeat(20_000)}}}`,
    },
    status: 400,
    message: `The request body's JSON nests more than ${MAX_BODY_DEPTH} levels deep (objects and lists), deeper than any request needs: a variable may nest at most KZ_OSCE_MAX_VARIABLE_DEPTH levels. Send flatter variables.`,
    code: "BODY_TOO_DEEP",
  },
  {
    name: "ten thousand ids",
    request: gqlPost("query($ids: [ID!]!) { nodes(ids: $ids) { id } }", {
      ids: Array(10_001).fill("x"),
    }),
    status: 400,
    message: `The list at $ids has 10001 items; the list length limit for variables is ${limits.maxListLength}: send fewer items, or split the request.`,
    code: "VARIABLE_LIST_TOO_LONG",
  },
  {
    // graphql-js reported each unknown key, up to 50, with the whole object printed: 51 errors
    // of 48 KB, 2.4 MB of answer and half a second of the event loop for a body of 49 KB
    name: "an input object of 5,000 keys, each unknown",
    request: gqlPost("query($f: TenureFilter) { tenures(filter: $f) { totalCount } }", {
      f: {
        and: [
          { when: {} },
          Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`k${i}`, 1])),
        ],
      },
    }),
    status: 400,
    message: `The variable $f gives an object of 5000 keys at $f.and[1], where a TenureFilter is expected: TenureFilter has ${fieldsOf("TenureFilter")} fields, so at least ${5000 - fieldsOf("TenureFilter")} of those keys are not among them. Send only the type's fields (see the schema).`,
    code: "VARIABLE_OBJECT_TOO_WIDE",
  },
  {
    // printed by every coercion of the variables: 65-100 ms of the event loop for 9,000 keys
    name: "an object of 9,000 keys where a String is expected",
    request: gqlPost("query($f: TenureFilter) { tenures(filter: $f) { totalCount } }", {
      f: {
        when: {
          activeAt: Object.fromEntries(Array.from({ length: 9000 }, (_, i) => [`k${i}`, 1])),
        },
      },
    }),
    status: 400,
    message:
      "The variable $f gives an object of 9000 keys at $f.when.activeAt, where a String is expected, which is not an object: send a String there.",
    code: "VARIABLE_OBJECT_TOO_WIDE",
  },

  {
    name: "an object of 9,000 keys in a list of one where a String is expected",
    request: gqlPost("query($f: TenureFilter) { tenures(filter: $f) { totalCount } }", {
      f: {
        when: {
          activeAt: [Object.fromEntries(Array.from({ length: 9000 }, (_, i) => [`k${i}`, 1]))],
        },
      },
    }),
    status: 400,
    message:
      "The variable $f gives an object of 9000 keys at $f.when.activeAt[0], where a String is expected, which is not an object: send a String there.",
    code: "VARIABLE_OBJECT_TOO_WIDE",
  },
  {
    // review 29: no wider than its type, but each unknown key's error printed it whole, its
    // object of 8,000 keys too (94 ms of the loop)
    name: "two unknown keys, one holding an object of 8,000 keys",
    request: gqlPost("query($f: TenureFilter) { tenures(filter: $f) { totalCount } }", {
      f: {
        and: [
          {
            typo: Object.fromEntries(Array.from({ length: 8000 }, (_, i) => [`k${i}`, 1])),
            typo2: 1,
          },
        ],
      },
    }),
    status: 400,
    message: `The variable $f gives an object at $f.and[0] with a key TenureFilter does not define ("typo"); the error of each such key would print its object whole, more than ${PRINTED_ERRORS_LIMIT} characters for this operation's variables. Send only each type's fields (see the schema).`,
    code: "VARIABLE_ERRORS_TOO_LARGE",
  },

  {
    // review 30: a list where an input object is expected, its object printed whole
    name: "an object of 9,000 keys in a list where an input object is expected",
    request: gqlPost("query($f: TenureFilter) { tenures(filter: $f) { totalCount } }", {
      f: { when: [Object.fromEntries(Array.from({ length: 9000 }, (_, i) => [`k${i}`, 1]))] },
    }),
    status: 400,
    message: `The variable $f gives an object of 9000 keys at $f.when[0], where a DateFilter is expected: DateFilter has ${fieldsOf("DateFilter")} fields, so at least ${9000 - fieldsOf("DateFilter")} of those keys are not among them. Send only the type's fields (see the schema).`,
    code: "VARIABLE_OBJECT_TOO_WIDE",
  },
  {
    // review 30: an operation's name printed in each of 101 errors, 9.3 MB answered for 94 KiB
    name: "an operation name of 90,000 characters beside 101 unused variables",
    request: gqlPost(
      `query O${"a".repeat(90_000)}(${Array.from({ length: 101 }, (_, i) => `$v${i}: Int`).join(", ")}) { __typename }`,
    ),
    status: 400,
    message:
      /^Variable "\$v0" is never used in operation "Oa{400,} …\(\d+ characters cut\)… a{200,}"\.$/,
    code: "GRAPHQL_VALIDATION_FAILED",
  },

  // batches
  {
    name: "a batch flood",
    request: {
      headers: JSON_HEADERS,
      body: JSON.stringify(Array(1000).fill({ query: "{ __typename }" })),
    },
    status: 413,
    message: `Batching is limited to ${maxBatch} operations per request.`,
  },
];

describe("batches with items that are not operations", () => {
  it.each([
    ["null", "null", "null"],
    ["a number", "5", "a number"],
    ["a string", '"{ __typename }"', "a string"],
    ["an array", '[{"query":"{ __typename }"}]', "an array"],
    ["a boolean", "true", "a boolean"],
  ])(
    "answers an item that is %s with an error naming its place, and the other items with their data",
    async (_kind, item, said) => {
      const response = await send(server, {
        headers: JSON_HEADERS,
        body: `[${item}, {"query":"{ states { totalCount } }"}, ${item}]`,
      });
      expect(response.status).toBe(200);
      const message = (index: number) =>
        `Item ${index} of the batch is ${said}: each operation of a batch must be an object such as {"query": "{ __typename }"}.`;
      expect(response.json).toEqual([
        { errors: [{ message: message(0), extensions: { code: "BAD_REQUEST" } }] },
        { data: { states: { totalCount: 6 } } },
        { errors: [{ message: message(2), extensions: { code: "BAD_REQUEST" } }] },
      ]);
      expect(response.text).not.toContain("INTERNAL_SERVER_ERROR");
    },
  );
});

describe("a large body that is not JSON", () => {
  it.each([
    ["an unterminated document", (filler: string) => `{"query": "{ __typename } ${filler}`],
    ["a stray word after the document", (filler: string) => `{"query": "${filler}" x}`],
    [
      "a broken variables object",
      (filler: string) => `{"query": "{ __typename }", "variables": {"k": "${filler}", }}`,
    ],
  ])(
    "is refused (%s) in a sentence of its own, without quoting the body back",
    async (_kind, make) => {
      // nearly the body size limit of a text that occurs nowhere else: Yoga's own parser put all of it in
      // extensions.originalError, so a megabyte of malformed JSON was answered with a megabyte
      const filler = "kz-osce-filler-".repeat(Math.floor((maxBodyBytes - 200) / 15));
      const text = make(filler);
      expect(text.length).toBeLessThan(maxBodyBytes);
      const response = await send(server, { headers: JSON_HEADERS, body: text });
      expect(response.status).toBe(400);
      expect(response.text.length).toBeLessThan(500);
      expect(response.text).not.toContain("kz-osce-filler");
      expect(response.text).not.toContain("originalError");
      expect(response.json).toEqual({
        errors: [
          {
            message: expect.stringMatching(/^POST body sent invalid JSON: .*\. Check its quoting/),
            extensions: { code: "BAD_REQUEST" },
          },
        ],
      });
    },
  );
});

describe("request targets and hosts", () => {
  it("answers a query sent to an absolute URL as to its path", async () => {
    const body = '{"query":"{__typename}"}';
    const response = await rawHttp(
      `POST http://example.org/graphql HTTP/1.1\r\nHost: example.org\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`,
    );
    expect(response.status).toBe(200);
    expect(response.json).toEqual({ data: { __typename: "Query" } });
  });

  it("answers a mutation by GET with 405, with every method /graphql answers in Allow, in the read-only API's words", async () => {
    const response = await send(server, gqlGet("mutation { deleteEverything }"));
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe("GET, HEAD, POST, OPTIONS");
    // the code a mutation by POST gets
    expect(response.json.errors[0].extensions.code).toBe("OPERATION_NOT_SUPPORTED");
  });

  it.each(["EXAMPLE.org.", "[::1]:4000", "xn--bcher-kva.example", "127.0.0.1:65535", "my_service"])(
    "serves a query with the Host %s, as real clients send it",
    async (host) => {
      const body = '{"query":"{__typename}"}';
      const response = await rawHttp(
        `POST /graphql HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`,
      );
      expect(response.status).toBe(200);
      expect(response.json).toEqual({ data: { __typename: "Query" } });
    },
  );

  it("serves an HTTP/1.0 request without a Host header, as node does (Host came with HTTP/1.1)", async () => {
    const body = '{"query":"{__typename}"}';
    const response = await rawHttp(
      `POST /graphql HTTP/1.0\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`,
    );
    expect(response.status).toBe(200);
    expect(response.json).toEqual({ data: { __typename: "Query" } });
  });

  it("finds a Host or Content-Type given twice in any spelling, and nothing in headers given once", () => {
    const once = ["Host", "x", "Content-Type", "a", "x-request-id", "1", "X-Request-Id", "2"];
    expect(repeatedHeader(once)).toBeUndefined();
    expect(repeatedHeader(["Date", "d", "ETag", "e", "From", "f", "host", "x"])).toBeUndefined();
    expect(repeatedHeader([...once, "HOST", "y"])).toBe("Host");
    expect(repeatedHeader([...once, "content-TYPE", "b"])).toBe("Content-Type");
  });

  it("answers OPTIONS * (the server as a whole) with what it allows", async () => {
    const response = await rawHttp("OPTIONS * HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    expect(response.status).toBe(204);
    expect(response.text).toBe("");
  });

  it("never serves GraphiQL's page (or anything of Yoga's) through a Host that holds a path", async () => {
    const response = await rawHttp(
      "GET /health HTTP/1.1\r\nHost: x/graphql?\r\nAccept: text/html\r\nConnection: close\r\n\r\n",
    );
    expect(response.status).toBe(400);
    expect(response.text.length).toBeLessThan(1000);
  });
});

describe("expectations (Expect)", () => {
  it("sends 100 Continue to a request that expects it, then answers the body it sends after", async () => {
    const body = '{"query":"{__typename}"}';
    const url = new URL(server.url);
    const socket = connect(Number(url.port), url.hostname);
    socket.setEncoding("utf8");
    let answer = "";
    const received = (pattern: RegExp) =>
      new Promise<void>((resolve, reject) => {
        const look = () => {
          if (!pattern.test(answer)) return;
          socket.off("data", look);
          resolve();
        };
        socket.on("data", look);
        socket.once("close", () => reject(new Error(`closed after ${JSON.stringify(answer)}`)));
      });
    socket.on("data", (chunk: string) => (answer += chunk));
    const continued = received(/^HTTP\/1\.1 100 Continue\r\n\r\n/);
    socket.write(
      `POST /graphql HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`,
    );
    // nothing of the body is sent before the server asks for it
    await continued;
    const answered = received(/\r\n\r\n\{"data":\{"__typename":"Query"\}\}$/);
    socket.write(body);
    await answered;
    expect(answer).toMatch(/^HTTP\/1\.1 100 Continue\r\n\r\nHTTP\/1\.1 200 OK\r\n/);
    socket.destroy();
  });

  it("serves an HTTP/1.0 request whatever its Expect, as node does (Expect came with HTTP/1.1)", async () => {
    const body = '{"query":"{__typename}"}';
    const response = await rawHttp(
      `POST /graphql HTTP/1.0\r\nHost: x\r\nExpect: foo\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`,
    );
    expect(response.status).toBe(200);
    expect(response.json).toEqual({ data: { __typename: "Query" } });
  });
});

describe("bodies read as their headers describe them", () => {
  it.each([
    ["a media type in capitals", { "content-type": "APPLICATION/JSON" }],
    [
      "a media type in mixed case, with a charset",
      { "content-type": "Application/Json; Charset=UTF-8" },
    ],
    ["a quoted charset", { "content-type": 'application/json; charset="utf-8"' }],
    ["charset=utf8", { "content-type": "application/json; charset=utf8" }],
    [
      "Content-Encoding: identity",
      { "content-type": "application/json", "content-encoding": "identity" },
    ],
  ])("answers a query with %s", async (_name, headers) => {
    const response = await send(server, {
      headers: { ...headers, accept: "application/graphql-response+json" },
      body: body('{ search(query: "Szabó") { totalCount } }'),
    });
    expect(response.status, response.text.slice(0, 300)).toBe(200);
    expect(response.json).toEqual({ data: { search: { totalCount: 1 } } });
  });

  it.each(["us-ascii", "ISO-8859-1", "windows-1252", "klingon"])(
    "reads a body of UTF-8 labelled charset=%s as UTF-8, as JSON is (RFC 8259: a charset has no effect)",
    async (charset) => {
      // an answer that quotes the text as the server read it: the operation's name, in its error
      const text = body("query A { __typename }", undefined, { operationName: "Szabó" });
      const response = await send(server, {
        headers: { ...JSON_HEADERS, "content-type": `application/json; charset=${charset}` },
        body: text,
      });
      expect(response.status, response.text.slice(0, 300)).toBe(400);
      expect(response.json.errors[0].message).toMatch(/^Unknown operation named "Szabó"/);
    },
  );

  it("reads a form's UTF-8 escapes (%C3%A9), a % that escapes nothing and a + as before", async () => {
    // the operation's name, quoted back in its error, as the server read it: é from its UTF-8
    // escape, `%zz` and a trailing `%` kept as written, `+` a space (the URL standard's parser)
    const response = await send(server, {
      headers: FORM,
      body: `query=${encodeURIComponent("query A { __typename }")}&operationName=Szab%C3%B3+50%zz%`,
    });
    expect(response.status, response.text.slice(0, 300)).toBe(400);
    expect(response.json.errors[0].message).toMatch(/^Unknown operation named "Szabó 50%zz%"/);
  });

  it("reads a query string's UTF-8 escapes (%C3%A9) and a % that escapes nothing as before", async () => {
    const response = await send(server, {
      method: "GET",
      path: `/graphql?query=${encodeURIComponent("query A { __typename }")}&operationName=Szab%C3%B3+50%zz%`,
    });
    expect(response.status, response.text.slice(0, 300)).toBe(400);
    expect(response.json.errors[0].message).toMatch(/^Unknown operation named "Szabó 50%zz%"/);
  });

  it("says Accept-Encoding only where a content coding was refused", async () => {
    const latin1 = await send(server, {
      headers: { ...JSON_HEADERS, "content-type": "application/json; charset=latin1" },
      body: new Uint8Array(Buffer.from(body('{ search(query: "é") { totalCount } }'), "latin1")),
    });
    expect(latin1.status).toBe(415);
    expect(latin1.headers.get("accept-encoding")).toBeNull();
  });

  it("tells a client sending a compressed body which coding it may send", async () => {
    const response = await send(server, {
      headers: { ...JSON_HEADERS, "content-encoding": "gzip" },
      body: new Uint8Array(gzipSync(body("{ __typename }"))),
    });
    expect(response.status).toBe(415);
    expect(response.headers.get("accept-encoding")).toBe("identity");
  });
});

describe("hostile input catalogue", () => {
  it("has at least 40 cases", () => {
    expect(cases.length).toBeGreaterThanOrEqual(40);
    expect(new Set(cases.map((c) => c.name)).size).toBe(cases.length);
  });

  it.each(cases.map((c) => [c.name, c] as const))("%s", async (_name, testCase) => {
    const response =
      typeof testCase.request === "function"
        ? await testCase.request()
        : await send(server, testCase.request);
    expect(response.status, response.text.slice(0, 500)).toBe(testCase.status);
    const error = (Array.isArray(response.json) ? response.json[0] : response.json)?.errors?.[0];
    expect(error, `no error in ${response.text.slice(0, 500)}`).toBeDefined();
    if (typeof testCase.message === "string") expect(error.message).toBe(testCase.message);
    else expect(error.message).toMatch(testCase.message);
    if (testCase.code) expect(error.extensions?.code).toBe(testCase.code);
    if (testCase.argumentName) expect(error.extensions?.argumentName).toBe(testCase.argumentName);
    if (testCase.allow) expect(response.headers.get("allow")).toBe(testCase.allow);
    // nothing internal: no stack frames, no file paths of the server
    expect(response.text).not.toMatch(/\bat \S+ \(|node_modules|\/src\/|\.ts:\d+/);
    // and the server is still fine
    const after = await post(server, "{ states { totalCount } }");
    expect(after.status).toBe(200);
    expect(after.json).toEqual({ data: { states: { totalCount: 6 } } });
  });

  it("reads a request of 1,000 header fields whole, its Host among the last of them (red team 50, F3)", async () => {
    // 996 small fields, Host, Content-Type, Content-Length and Connection
    const response = await rawHttp(
      `POST /graphql HTTP/1.1\r\n${Array.from({ length: 996 }, (_, i) => `X-H${i}: 1\r\n`).join("")}Host: x\r\nContent-Type: application/json\r\nContent-Length: 24\r\nConnection: close\r\n\r\n{"query":"{__typename}"}`,
    );
    expect({ status: response.status, json: response.json }).toEqual({
      status: 200,
      json: { data: { __typename: "Query" } },
    });
  });
});

describe("a variable's error holding a long value", () => {
  // graphql-js prints the invalid value whole, an object's once for each of its unknown keys
  const big = "x".repeat(95_000);

  it("is cut in its middle, keeping the variable, the start of the value and graphql-js's reason", async () => {
    const response = await post(server, "query($n: Int) { tenures(first: $n) { totalCount } }", {
      n: big,
    });
    expect(response.status).toBe(400);
    const [error, ...others] = response.json.errors;
    expect(others).toEqual([]);
    expect(error.extensions.code).toBe("BAD_USER_INPUT");
    expect(error.message.length).toBeLessThan(MAX_VARIABLE_MESSAGE + 100);
    // each part cut in its middle: the value in the prefix, and graphql-js's reason, which quotes it
    const parts =
      /^Variable "\$n" got invalid value "x{500,} …\((\d+) characters cut\)… x{100,}"; Int cannot represent non-integer value: "x{500,} …\((\d+) characters cut\)… x{100,}"$/.exec(
        error.message,
      );
    expect(parts, error.message.slice(0, 300)).not.toBeNull();
    expect(Number(parts![1]) + Number(parts![2])).toBeGreaterThan(
      2 * big.length - MAX_VARIABLE_MESSAGE,
    );
  });

  it("keeps the answer small for an object printed once for each of its unknown keys", async () => {
    const unknown = ["u1", "u2", "u3", "u4", "u5", "u6", "u7", "u8", "u9"];
    // (under what their errors may print in all, PRINTED_ERRORS_LIMIT: past it, refused at once)
    const value = "x".repeat(PRINTED_ERRORS_LIMIT / (unknown.length + 1));
    const f = { when: { activeAt: value }, ...Object.fromEntries(unknown.map((key) => [key, 1])) };
    const response = await post(
      server,
      "query($f: TenureFilter) { tenures(first: 1, filter: $f) { totalCount } }",
      { f },
    );
    // (the value printed nine times, and twice in each: 118 KB before the cut)
    expect(response.text.length).toBeLessThan(unknown.length * (MAX_VARIABLE_MESSAGE + 400));
    expect(
      response.json.errors.map(
        (e: { message: string }) => /Field "(\w+)" is not defined/.exec(e.message)?.[1],
      ),
    ).toEqual(unknown);
  });
});

describe("an answer that would echo a long name in many errors", () => {
  it("cuts each validation message, so that the answer stays about the body's size", async () => {
    // review 30: graphql-js names the operation in each unused variable's error: 9.3 MB for 94 KiB
    const name = `O${"a".repeat(90_000)}`;
    const variables = Array.from({ length: 101 }, (_, i) => `$v${i}: Int`).join(", ");
    const response = await post(server, `query ${name}(${variables}) { __typename }`);
    expect(response.json.errors).toHaveLength(101);
    expect(response.text.length).toBeLessThan(101 * 1_300);
    for (const error of response.json.errors)
      expect(error.message.length).toBeLessThanOrEqual(MAX_VALIDATION_MESSAGE);
  });

  it("cuts a document's messages shorter once they have held their budget, in each item of a batch", async () => {
    // review 30: ten operations, each named with 9,000 characters beside 101 unused variables,
    // were answered with 881 KiB from 99 KiB with each message cut at 1,024 characters
    const variables = Array.from({ length: 101 }, (_, i) => `$v${i}: Int`).join(", ");
    const batch = Array.from({ length: 10 }, (_, i) => ({
      query: `query O${i}${"a".repeat(9_000)}(${variables}) { __typename }`,
    }));
    const body = JSON.stringify(batch);
    const response = await send(server, { headers: JSON_HEADERS, body });
    expect(response.status).toBe(200);
    expect(response.json).toHaveLength(10);
    for (const [i, answer] of (response.json as { errors: { message: string }[] }[]).entries()) {
      expect(answer.errors).toHaveLength(101);
      const lengths = answer.errors.map((error) => error.message.length);
      // the first ones cut at 1,024 until they hold the budget, the rest at 256; each still
      // names its variable and the start of its operation's name
      let held = 0;
      for (const [j, length] of lengths.entries()) {
        const most =
          held < VALIDATION_MESSAGES_BUDGET
            ? MAX_VALIDATION_MESSAGE
            : MAX_VALIDATION_MESSAGE_PAST_BUDGET;
        expect(length, `item ${i}, error ${j}`).toBeLessThanOrEqual(most);
        held += length;
      }
      expect(held).toBeLessThan(
        VALIDATION_MESSAGES_BUDGET +
          MAX_VALIDATION_MESSAGE +
          101 * MAX_VALIDATION_MESSAGE_PAST_BUDGET,
      );
      expect(answer.errors[99]!.message).toMatch(
        new RegExp(
          `^Variable "\\$v99" is never used in operation "O${i}a+ …\\(\\d+ characters cut\\)… a+"\\.$`,
        ),
      );
    }
    // 3.9 times the body (each error's place and code are about 100 bytes), not nine
    expect(response.text.length).toBeLessThan(5 * body.length);
  });

  it("keeps every message of graphql-js's usual length whole past the budget", async () => {
    // 100 unknown fields of 160 characters: 19,000 characters of messages, each under 256
    const fields = Array.from({ length: 100 }, (_, i) => `f${i}${"x".repeat(160)}`);
    const response = await post(server, `{ ${fields.join(" ")} }`);
    const messages = response.json.errors.map((error: { message: string }) => error.message);
    expect(messages.join("").length).toBeGreaterThan(2 * VALIDATION_MESSAGES_BUDGET);
    expect(messages).toEqual(
      fields.map((field) => `Cannot query field "${field}" on type "Query".`),
    );
  });
});

describe("a bad argument under a list", () => {
  it.each([
    {
      list: "persons",
      field: "tenures(first: -1) { totalCount }",
      message:
        'Argument "first": must be between 0 and 100 (default 20), got -1. Page through longer lists with `after`/`before`.',
      extensions: { code: "BAD_USER_INPUT", argumentName: "first" },
    },
    {
      list: "persons",
      field: 'tenures(first: 1, asOf: "nope") { totalCount }',
      message: expect.stringMatching(/^Argument "asOf": "nope" is not a valid EDTF date/),
      extensions: { code: "BAD_USER_INPUT", argumentName: "asOf" },
    },
    {
      list: "persons",
      field: "tenures(first: 1, certainty: [YES]) { totalCount }",
      message: expect.stringMatching(/^Argument "certainty": certainty qualifies asOf/),
      extensions: { code: "BAD_USER_INPUT", argumentName: "certainty" },
    },
    {
      list: "offices",
      field: 'namesOn(date: "nope") { certainty }',
      message: expect.stringMatching(/^Argument "date": "nope" is not a valid EDTF date/),
      extensions: { code: "BAD_USER_INPUT", argumentName: "date" },
    },
  ])(
    "fails each item's field ($list: $field) with the error graphql-js would answer, made without the stack graphql-js formatted and threw away",
    async ({ list, field, message, extensions }) => {
      // ten lists, the field of each item asked with a bad argument: graphql-js located each
      // item's error itself, formatting a stack (through source maps, under tsx) it then
      // replaced, and reading the document from its start: 1,000 of them (a hundred persons a
      // list, at 20,000 entities) held the loop 50-150 ms, 100-500 ms after a comment of 90,000
      // characters
      const query = `{ ${Array.from({ length: 10 }, (_, k) => `a${k}: ${list}(first: 100) { nodes { name ${field} } }`).join(" ")} }`;
      const located: string[] = [];
      const prepare = Error.prepareStackTrace;
      Error.prepareStackTrace = (error, frames) => {
        // a GraphQLError whose stack, of frames captured, is formatted: the error a resolver threw
        // (read by graphql-js to put in the located one's place) or the located one's own
        if (error instanceof GraphQLError && frames.length > 0) located.push(error.message);
        return prepare ? prepare(error, frames) : String(error);
      };
      let response: Awaited<ReturnType<typeof post>>;
      try {
        // (the spy sees what graphql-js's own locating does: the thrown error's stack and its own)
        const field = parse("{ a }").definitions[0]!;
        locatedError(new GraphQLError("control"), [field], ["a"]).stack;
        expect(located).toEqual(["control", "control"]);
        located.length = 0;
        response = await post(server, query);
      } finally {
        Error.prepareStackTrace = prepare;
      }
      expect(located).toEqual([]);
      expect(response.status).toBe(200);
      const errors = response.json.errors as {
        message: string;
        path: unknown[];
        locations: unknown[];
        extensions: unknown;
      }[];
      expect(errors).toHaveLength(10);
      expect(errors[0]).toEqual({
        message,
        locations: [{ line: 1, column: query.indexOf(field) + 1 }],
        path: ["a0", "nodes", 0, field.slice(0, field.indexOf("("))],
        extensions,
      });
      expect(response.json.data).toEqual(Object.fromEntries(errors.map((_, k) => [`a${k}`, null])));
    },
  );
});
