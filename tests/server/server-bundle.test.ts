/**
 * The prebuilt entry points the child-process tests run (tests/support/server-bundle.ts): current
 * whenever a test runs, so that no source change is ever tested against a stale bundle, and the
 * same program as the sources (each module's own `import.meta.url`, lazy imports kept lazy, a
 * `script:` entry run as its own file).
 */
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { makeTmpDir, removeDir } from "../fixtures/datasets.js";
import { runNode } from "../support/processes.js";
import setup, {
  BUNDLE_DIR,
  bundled,
  bundleIsCurrent,
  ENTRIES,
  EXTERNAL_PACKAGES,
  ensureBundles,
} from "../support/server-bundle.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const dirs: string[] = [];

afterAll(() => {
  for (const dir of dirs.splice(0)) removeDir(dir);
});

describe("the server's bundles", () => {
  it("are checked again before each rerun of vitest's watch mode, which does not run the global setup again", async () => {
    const handlers: (() => unknown)[] = [];
    const project = { onTestsRerun: (handler: () => unknown) => handlers.push(handler) };
    await setup(project as never);
    await setup(project as never);
    // one handler, however many projects run the setup (they share vitest's process); it runs
    // ensureBundles, whose rebuild of a stale bundle is tested on a project of its own below
    // (not here: children of other files run from this bundle meanwhile)
    expect(handlers).toHaveLength(1);
    await handlers[0]!();
    expect(bundleIsCurrent(ROOT, ENTRIES, BUNDLE_DIR)).toBe(true);
  });

  it("are built from the sources as they are now (vitest's global setup made them so)", () => {
    expect(bundleIsCurrent(ROOT, ENTRIES, BUNDLE_DIR)).toBe(true);
    const { inputs, external } = JSON.parse(
      readFileSync(join(BUNDLE_DIR, "stamp.json"), "utf8"),
    ) as { inputs: string[]; external: string[] };
    // the stamp covers the modules each entry reaches, lazily imported ones included
    for (const source of [
      "src/server/main.ts",
      "src/server/app.ts",
      "src/server/cluster.ts",
      "src/schema/index.ts",
      "src/graph/snapshot/load.ts",
      // the snapshot's child, and what makes the server's bundle run it (bundled-child.ts)
      "src/graph/snapshot/in-child.ts",
      "tests/support/bundled-child.ts",
      "data/index.ts",
      "examples/supergraph/gateway.ts",
      "tests/support/loop-blocker.ts",
    ])
      expect(inputs).toContain(source);
    // the server's packages are bundled (and their files stamped: an install that changes one
    // makes the bundle stale); the gateway's stay external (EXTERNAL_PACKAGES says why)
    expect(inputs).toContain("node_modules/graphql/index.js");
    expect(inputs.some((input) => input.startsWith("node_modules/graphql-yoga/"))).toBe(true);
    expect(external).toEqual(["gateway"]);
    expect(EXTERNAL_PACKAGES).toEqual(["gateway"]);
    expect(inputs.filter((input) => input.startsWith("node_modules/@graphql-hive/"))).toEqual([]);
  });

  it("hold a project's packages, CommonJS and ES modules, except for the entries named external, and are stale when that list changes", async () => {
    const project = makeTmpDir();
    dirs.push(project);
    const write = (file: string, text: string) => {
      mkdirSync(join(project, file, ".."), { recursive: true });
      writeFileSync(join(project, file), text);
    };
    // a CommonJS package that requires a module of node's own
    write("node_modules/word/package.json", '{ "name": "word", "main": "index.js" }\n');
    write(
      "node_modules/word/index.js",
      'exports.word = require("node:path").basename("/a/word");\n',
    );
    // an ES module package whose class has the same name as one of the project's: the bundle
    // renames one of them, and the name it reports must stay its own
    write(
      "node_modules/named/package.json",
      '{ "name": "named", "type": "module", "exports": "./index.js" }\n',
    );
    write("node_modules/named/index.js", "export class Thing {}\n");
    write(
      "main.ts",
      'import { Thing as Theirs } from "named";\nimport { word } from "word";\nclass Thing {}\nconsole.log(word, Theirs.name, Thing.name, new Thing() instanceof Theirs);\n',
    );
    const entries = { bundled: "main.ts", apart: "main.ts" };
    const out = join(project, "out");
    expect(await ensureBundles(project, entries, out, ["apart"])).toBe(true);
    const { inputs } = JSON.parse(readFileSync(join(out, "stamp.json"), "utf8")) as {
      inputs: string[];
    };
    expect(inputs).toContain("node_modules/word/index.js");
    const run = (name: string) => runNode([bundled(name as "main", out)]);
    // the entry whose packages stay external runs with node_modules there
    expect((await run("apart")).stdout).toBe("word Thing Thing false\n");
    // with node_modules gone, the bundled entry still runs; the other imports from there
    renameSync(join(project, "node_modules"), join(project, "elsewhere"));
    expect(await run("bundled")).toMatchObject({ status: 0, stdout: "word Thing Thing false\n" });
    expect(await run("apart")).toMatchObject({
      status: 1,
      stderr: expect.stringMatching(/ERR_MODULE_NOT_FOUND/),
    });
    renameSync(join(project, "elsewhere"), join(project, "node_modules"));
    expect(bundleIsCurrent(project, entries, out, ["apart"])).toBe(true);
    expect(bundleIsCurrent(project, entries, out, [])).toBe(false);
    expect(bundleIsCurrent(project, entries, out, ["apart", "bundled"])).toBe(false);
  });

  describe("of a small project", () => {
    const project = makeTmpDir();
    dirs.push(project);
    const out = join(project, "out");
    const entries = { main: "main.ts", script: "script:script.ts" };
    const write = (file: string, text: string) => writeFileSync(join(project, file), text);
    write("main.ts", 'import { value } from "./value.js";\nconsole.log(value);\n');
    write("value.ts", 'export const value: string = "one";\n');
    // lazily imported, so a chunk of its own; it names its own file
    write(
      "main.ts",
      `${readFileSync(join(project, "main.ts"), "utf8")}console.log((await import("./lazy.js")).where);\n`,
    );
    write("lazy.ts", "export const where: string = import.meta.url;\n");
    write(
      "script.ts",
      'import { fileURLToPath } from "node:url";\nif (process.argv[1] === fileURLToPath(import.meta.url)) console.log("run as script.ts");\n',
    );
    const run = async (name: string) => {
      const result = await runNode([bundled(name as "main", out)]);
      expect(result.stderr).toBe("");
      return result.stdout;
    };

    it("are built once, then current until a source changes", async () => {
      expect(bundleIsCurrent(project, entries, out)).toBe(false);
      expect(await ensureBundles(project, entries, out)).toBe(true);
      expect(await run("main")).toBe(`one\n${pathToFileURL(join(project, "lazy.ts")).href}\n`);
      expect(await run("script")).toBe("run as script.ts\n");
      expect(bundleIsCurrent(project, entries, out)).toBe(true);
      expect(await ensureBundles(project, entries, out)).toBe(false);
    });

    it("are stale once an imported file is edited (even to the same size), and built again with the edit", async () => {
      write("value.ts", 'export const value: string = "two";\n');
      expect(bundleIsCurrent(project, entries, out)).toBe(false);
      expect(await ensureBundles(project, entries, out)).toBe(true);
      expect(await run("main")).toMatch(/^two\n/);
      expect(bundleIsCurrent(project, entries, out)).toBe(true);
    });

    it("are stale once a file they were built from is gone, or the entries differ", async () => {
      expect(bundleIsCurrent(project, { main: "main.ts" }, out)).toBe(false);
      rmSync(join(project, "lazy.ts"));
      expect(bundleIsCurrent(project, entries, out)).toBe(false);
      await expect(ensureBundles(project, entries, out)).rejects.toThrow(/lazy/);
    });
  });
});
