/**
 * `npm start` runs in production mode unless told otherwise (src/server/node-env.ts): main.ts
 * imports node-env.ts before anything that loads graphql-js, which reads NODE_ENV once, at its
 * first import. Outside production, graphql-js's type checks compare class names on every "no"
 * (to warn about two copies of the library): measurably slower, and what `npm start` used to do.
 *
 * What node-env.ts does to graphql-js is seen in one plain `node` child (no tsx: node-env.ts is
 * compiled by esbuild here, as tsx would), which runs node-env.ts and then loads graphql-js
 * afresh for each NODE_ENV in turn; the order (unset, `development`, empty) makes a graphql-js
 * that was not loaded afresh give the previous case's mode, which the answers would show.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { transform } from "esbuild";
import { describe, expect, it } from "vitest";
import { childEnv, runNode } from "../support/processes.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

/** The NODE_ENV of each case (null: unset), in the order the child runs them. */
const CASES = [null, "development", ""] as const;
type Case = (typeof CASES)[number];

/**
 * Which mode graphql-js is in after node-env.ts ran first, with each NODE_ENV of `CASES`, and
 * what NODE_ENV then is: outside production, an object that only claims to be a
 * GraphQLObjectType makes `isObjectType` throw (the two-copies warning); in production it is
 * simply not one. For each case the child sets NODE_ENV, evaluates node-env.ts as a module of its
 * own, drops every graphql-js module from require's cache and loads graphql-js again.
 */
async function graphqlModesAfterNodeEnv(): Promise<Map<Case, { mode: string; env: string }>> {
  const { code: nodeEnv } = await transform(
    readFileSync(`${ROOT}/src/server/node-env.ts`, "utf8"),
    { loader: "ts", format: "esm" },
  );
  const script = `
    import { createRequire } from "node:module";
    const require = createRequire(${JSON.stringify(`${ROOT}/`)});
    const answers = [];
    for (const [i, value] of ${JSON.stringify(CASES)}.entries()) {
      if (value === null) delete process.env.NODE_ENV;
      else process.env.NODE_ENV = value;
      for (const path of Object.keys(require.cache))
        if (path.includes("/node_modules/graphql/")) delete require.cache[path];
      // a module of its own each time (a data: URL is evaluated once per distinct text)
      await import("data:text/javascript," + encodeURIComponent(${JSON.stringify(nodeEnv)} + "\\n// case " + i));
      const { isObjectType } = require("graphql");
      let mode;
      try {
        mode = isObjectType({ [Symbol.toStringTag]: "GraphQLObjectType" }) ? "?" : "production";
      } catch {
        mode = "development checks";
      }
      answers.push({ mode, env: process.env.NODE_ENV });
    }
    console.log(JSON.stringify(answers));`;
  const env = childEnv();
  delete env.NODE_ENV;
  const { status, stdout, stderr } = await runNode(["--input-type=module", "-e", script], {
    cwd: ROOT,
    env,
  });
  if (status !== 0) throw new Error(`the child failed: ${stderr}`);
  const answers = JSON.parse(stdout.trim().split("\n").at(-1)!) as { mode: string; env: string }[];
  return new Map(CASES.map((value, i) => [value, answers[i]!]));
}

/** One child for the file's cases, started by whichever test asks first. */
let modes: ReturnType<typeof graphqlModesAfterNodeEnv> | undefined;
const modeAfterNodeEnv = async (nodeEnv: Case) =>
  (await (modes ??= graphqlModesAfterNodeEnv())).get(nodeEnv);

describe("the server's NODE_ENV", () => {
  it("is production when unset, before graphql-js loads", async () => {
    expect(await modeAfterNodeEnv(null)).toEqual({ mode: "production", env: "production" });
    expect(await modeAfterNodeEnv("")).toEqual({ mode: "production", env: "production" });
  });

  it("is left as it is when set", async () => {
    expect(await modeAfterNodeEnv("development")).toEqual({
      mode: "development checks",
      env: "development",
    });
  });

  it("is set by main.ts's first import, before any module that could load graphql-js", () => {
    const main = readFileSync(`${ROOT}/src/server/main.ts`, "utf8");
    const imports = [...main.matchAll(/^import\s+(?:[^"']*\s+from\s+)?["']([^"']+)["']/gm)].map(
      (m) => m[1],
    );
    expect(imports[0]).toBe("./node-env.js");
  });
});
