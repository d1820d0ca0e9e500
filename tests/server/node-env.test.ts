/**
 * `npm start` runs in production mode unless told otherwise (src/server/node-env.ts): main.ts
 * imports node-env.ts before anything that loads graphql-js, which reads NODE_ENV once, at its
 * first import. Outside production, graphql-js's type checks compare class names on every "no"
 * (to warn about two copies of the library): measurably slower, and what `npm start` used to do.
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { childEnv } from "../support/processes.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

/**
 * Which mode graphql-js is in after node-env.ts ran first, in a child with this NODE_ENV (unset
 * for undefined): outside production, an object that only claims to be a GraphQLObjectType makes
 * `isObjectType` throw (the two-copies warning); in production it is simply not one.
 */
function graphqlModeAfterNodeEnv(nodeEnv: string | undefined): { mode: string; env: string } {
  const env = childEnv();
  delete env.NODE_ENV;
  if (nodeEnv !== undefined) env.NODE_ENV = nodeEnv;
  const script = `
    await import("./src/server/node-env.ts");
    const { isObjectType } = await import("graphql");
    let mode;
    try {
      mode = isObjectType({ [Symbol.toStringTag]: "GraphQLObjectType" }) ? "?" : "production";
    } catch {
      mode = "development checks";
    }
    console.log(JSON.stringify({ mode, env: process.env.NODE_ENV }));`;
  const child = spawnSync(
    process.execPath,
    ["--import", "tsx", "--input-type=module", "-e", script],
    { cwd: ROOT, env, encoding: "utf8" },
  );
  if (child.status !== 0) throw new Error(`the child failed: ${child.stderr}`);
  return JSON.parse(child.stdout.trim().split("\n").at(-1)!) as { mode: string; env: string };
}

describe("the server's NODE_ENV", () => {
  it("is production when unset, before graphql-js loads", () => {
    expect(graphqlModeAfterNodeEnv(undefined)).toEqual({ mode: "production", env: "production" });
    expect(graphqlModeAfterNodeEnv("")).toEqual({ mode: "production", env: "production" });
  });

  it("is left as it is when set", () => {
    expect(graphqlModeAfterNodeEnv("development")).toEqual({
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
