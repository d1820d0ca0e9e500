/**
 * Raw HTTP for tests that send what a typed client never would: broken JSON, abusive documents,
 * odd methods and headers. Answers come back whole (status, headers, text, parsed JSON if any).
 */
import { type IncomingHttpHeaders, request } from "node:http";
import type { TestServer } from "./server.js";

export interface RawResponse {
  status: number;
  headers: Headers;
  text: string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  json: any;
}

export interface RawRequest {
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  body?: string | Uint8Array<ArrayBuffer>;
}

/** fetch() to the test server; `path` defaults to /graphql, `method` to POST when there is a body. */
export async function send(server: TestServer, init: RawRequest = {}): Promise<RawResponse> {
  const response = await fetch(`${server.url}${init.path ?? "/graphql"}`, {
    method: init.method ?? (init.body === undefined ? "GET" : "POST"),
    headers: init.headers ?? {},
    ...(init.body === undefined ? {} : { body: init.body }),
  });
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json };
}

export const JSON_HEADERS = {
  "content-type": "application/json",
  accept: "application/graphql-response+json",
};

/** POST a GraphQL request as JSON, accepting application/graphql-response+json. */
export function post(
  server: TestServer,
  query: string,
  variables?: Record<string, unknown>,
  extra: Record<string, unknown> = {},
) {
  return send(server, {
    headers: JSON_HEADERS,
    body: JSON.stringify({ query, variables, ...extra }),
  });
}

/** The first error's message and code of a response. */
export function firstError(response: RawResponse): { message: string; code: unknown } {
  const error = response.json?.errors?.[0];
  if (!error)
    throw new Error(`expected an error, got ${response.status} ${response.text.slice(0, 500)}`);
  return { message: error.message, code: error.extensions?.code };
}

/**
 * A POST through node:http with the body written in chunks and no Content-Length (chunked
 * transfer encoding), as a client streaming an unknown length would send it.
 */
export function postChunked(
  server: TestServer,
  chunks: readonly (string | Uint8Array)[],
  headers: Record<string, string> = JSON_HEADERS,
  /** The request's path as written (node:http sends it as given, where fetch resolves `..`). */
  path?: string,
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const url = new URL(server.graphql);
    const req = request(
      { host: url.hostname, port: url.port, path: path ?? url.pathname, method: "POST", headers },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => (text += chunk));
        res.on("end", () => {
          let json: unknown;
          try {
            json = JSON.parse(text);
          } catch {
            json = undefined;
          }
          const responseHeaders = new Headers();
          for (const [name, value] of Object.entries(res.headers))
            if (typeof value === "string") responseHeaders.set(name, value);
          resolve({ status: res.statusCode ?? 0, headers: responseHeaders, text, json });
        });
      },
    );
    // the server may answer (413) and close before the whole body is written
    req.on("error", reject);
    const write = (i: number) => {
      if (i >= chunks.length) {
        req.end();
        return;
      }
      req.write(chunks[i]!, () => write(i + 1));
    };
    write(0);
  });
}

/** An answer as node:http got it: its body the bytes as sent, not decoded (fetch would decompress it). */
export interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** One request through node:http, to `path` as written (not resolved as a URL): the answer's bytes as sent. */
export function rawRequest(
  server: TestServer,
  path: string,
  {
    method = "GET",
    headers = {},
    body,
  }: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<RawAnswer> {
  const { hostname, port } = new URL(server.url);
  return new Promise((resolve, reject) => {
    const req = request({ host: hostname, port, path, method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () =>
        resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }),
      );
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(body);
  });
}

/**
 * POST a GraphQL request as `post` does, on a connection from `localAddress` (a client of its
 * own to the server's share rules: on Linux the whole of 127.0.0.0/8 reaches a server
 * listening on 127.0.0.1).
 */
export function postFrom(
  server: TestServer,
  localAddress: string,
  query: string,
  variables?: Record<string, unknown>,
): Promise<{ status: number; json: any; headers: IncomingHttpHeaders }> {
  const body = JSON.stringify({ query, variables });
  return new Promise((resolve, reject) => {
    const req = request(
      `${server.url}/graphql`,
      { method: "POST", localAddress, headers: JSON_HEADERS, agent: false },
      (res) => {
        let text = "";
        res.setEncoding("utf8").on("data", (chunk: string) => (text += chunk));
        res.on("end", () =>
          resolve({ status: res.statusCode!, json: JSON.parse(text), headers: res.headers }),
        );
      },
    );
    req.once("error", reject);
    req.end(body);
  });
}
