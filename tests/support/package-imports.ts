// The packages a folder of src/ imports, read from its files' text: the fingerprints' tests hold
// each one counted or named as shaping nothing (tests/server/http-cache.test.ts for ETags and
// cursors, tests/graph/snapshot.test.ts for the snapshot's name).
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

/**
 * `import ... from`, `import "..."`, `import("...")`, `require("...")`, `createRequire(...)("...")`,
 * `import.meta.resolve("...")`, and `import(\`...\`)` of a template without a `${}`.
 */
const IMPORT =
  /^(?:import|export)\b[^;]*?\bfrom\s+"([^"]+)"|^import\s+"([^"]+)"|\bimport\(\s*"([^"]+)"\s*\)|\b(?:createRequire\([^)]*\)|require)\(\s*"([^"]+)"\s*\)|\bimport\.meta\.resolve\(\s*"([^"]+)"\s*\)|\bimport\(\s*`([^`$]+)`\s*\)/gms;

/** The packages (not `node:` modules, not relative paths) the .ts and .mjs files under `dir` import. */
export function packagesImportedUnder(dir: string): Set<string> {
  const names = new Set<string>();
  for (const file of readdirSync(dir, { recursive: true, encoding: "utf8" }))
    if (/\.(ts|mjs)$/.test(file))
      for (const match of readFileSync(join(dir, file), "utf8").matchAll(IMPORT)) {
        const name = match.slice(1).find((n) => n !== undefined)!;
        if (name.startsWith(".") || name.startsWith("node:")) continue;
        names.add(
          name.startsWith("@") ? name.split("/").slice(0, 2).join("/") : name.split("/")[0]!,
        );
      }
  return names;
}
