/**
 * POSTs through node:http on kept-alive connections, for the tests that send hundreds of requests
 * and compare or check every answer (tests/server/shortcut.test.ts, fuzz.test.ts): fetch() costs
 * several times the CPU of node:http per request (its WHATWG streams and Request/Response
 * objects), which in those files was a sizeable share of their time.
 *
 * The answer comes back as fetch() would give it: its headers as `Headers` lists them (lower-case
 * names, the values of a repeated header joined with ", ", each Set-Cookie apart) and its body
 * decoded from brotli, gzip or deflate when `accept-encoding` asked for them. Unlike fetch(), nothing is
 * added to the request: no Accept or Accept-Encoding header the caller did not give.
 */
import { Agent, request } from "node:http";
import { brotliDecompressSync, gunzipSync, inflateSync } from "node:zlib";

export interface KeptAliveResponse {
  status: number;
  /** [name, value] pairs, as iterating fetch's `Headers` gives them (not sorted). */
  headers: [string, string][];
  /** The header's value as `Headers.get` gives it, or null. */
  header(name: string): string | null;
  text: string;
}

const agent = new Agent({ keepAlive: true });

export function postKeptAlive(
  url: string,
  headers: Record<string, string>,
  body: string,
): Promise<KeptAliveResponse> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: "POST",
        agent,
        headers: { ...headers, "content-length": Buffer.byteLength(body) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("error", reject);
        res.on("end", () => {
          const joined = new Map<string, string>();
          const cookies: [string, string][] = [];
          for (let i = 0; i < res.rawHeaders.length; i += 2) {
            const name = res.rawHeaders[i]!.toLowerCase();
            const value = res.rawHeaders[i + 1]!;
            if (name === "set-cookie") cookies.push([name, value]);
            else joined.set(name, joined.has(name) ? `${joined.get(name)}, ${value}` : value);
          }
          let bytes = Buffer.concat(chunks);
          const coding = joined.get("content-encoding");
          if (coding === "br") bytes = brotliDecompressSync(bytes);
          else if (coding === "gzip") bytes = gunzipSync(bytes);
          else if (coding === "deflate") bytes = inflateSync(bytes);
          resolve({
            status: res.statusCode ?? 0,
            headers: [...joined, ...cookies],
            header: (name) => joined.get(name.toLowerCase()) ?? null,
            text: bytes.toString("utf8"),
          });
        });
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}
