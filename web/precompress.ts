/**
 * Precompress the built explorer: beside each text file of web/dist of at least 1 KB, a `.br`
 * (brotli, quality 11) and a `.gz` (gzip, level 9), which the server sends to clients that
 * accept them (src/server/static.ts). Compressing once at build allows the slowest, smallest
 * settings: brotli 11 costs tens of ms per 100 KB (bench/RESULTS.md, "compression"), paid once.
 */
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { extname, join } from "node:path";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";

/** The files worth compressing: text; images other than SVG and fonts are compressed already. */
const TEXT = new Set([".html", ".js", ".mjs", ".css", ".svg", ".json", ".map", ".txt"]);
const MIN_BYTES = 1024;

/** Write `.br` and `.gz` beside every text file of `dir` (recursively); returns the bytes before and after brotli. */
export function precompress(dir: string): {
  files: number;
  bytes: number;
  brotli: number;
  gzip: number;
} {
  const total = { files: 0, bytes: 0, brotli: 0, gzip: 0 };
  const walk = (at: string) => {
    for (const entry of readdirSync(at, { withFileTypes: true })) {
      const path = join(at, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (TEXT.has(extname(entry.name)) && statSync(path).size >= MIN_BYTES) {
        const body = readFileSync(path);
        const br = brotliCompressSync(body, {
          params: {
            [constants.BROTLI_PARAM_QUALITY]: 11,
            [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
            [constants.BROTLI_PARAM_SIZE_HINT]: body.length,
          },
        });
        const gz = gzipSync(body, { level: 9 });
        writeFileSync(`${path}.br`, br);
        writeFileSync(`${path}.gz`, gz);
        total.files++;
        total.bytes += body.length;
        total.brotli += br.length;
        total.gzip += gz.length;
      }
    }
  };
  walk(dir);
  return total;
}
