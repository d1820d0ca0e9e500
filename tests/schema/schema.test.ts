import { readFileSync } from "node:fs";
import {
  type GraphQLNamedType,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
} from "graphql";
import { describe, expect, it } from "vitest";
import codegenConfig, { MAY_HOLD_DOCUMENTS } from "../../codegen.js";
import { sortedSchema } from "../../src/schema/index.js";
import { printedSchema, schemaFile } from "../../src/schema/print.js";
import { contentKey, remember, remembered, sha256 } from "../support/remembered.js";

/**
 * What graphql-codegen's run makes of the project is a function of what it reads: its
 * configuration, the schema, the files that may hold a document (codegen.ts reads only those:
 * MAY_HOLD_DOCUMENTS, the same test here) and the installed packages. Its run costs about 2.5
 * CPU-seconds (graphql-tag-pluck parses each file with Babel), so the outputs it made are
 * remembered under a hash of all of those files (tests/support/remembered.ts): any change to a
 * document, the schema, the configuration, an output or a package runs it again. Editing a test
 * that holds no document (most edits) then costs no codegen run, which came at the end of the
 * run, alone. (A fresh clone, CI's, has nothing remembered and runs codegen whole.)
 */
const codegenInputsKey = () =>
  contentKey(
    ["codegen.ts", "schema/schema.graphql", "package.json", "node_modules/.package-lock.json"],
    ["tests", "web/src"],
    /\.(ts|tsx|json)$/,
    (text) => MAY_HOLD_DOCUMENTS.test(text),
  );

interface Generated {
  filename: string;
  sha256: string;
  /** The text itself, where codegen ran in this test. */
  content?: string;
}

async function runCodegen(): Promise<Generated[]> {
  // imported only here: the package alone costs about a CPU-second to load
  const { generate } = await import("@graphql-codegen/cli");
  const files = (await generate({ ...codegenConfig, silent: true, cwd: process.cwd() }, false)) as {
    filename: string;
    content: string;
  }[];
  return files.map(({ filename, content }) => ({ filename, sha256: sha256(content), content }));
}

describe("the committed schema", () => {
  it("matches the schema printed from the code (run `npm run schema:print` after changing it)", () => {
    expect(readFileSync(schemaFile, "utf8")).toBe(printedSchema());
  });

  it("keeps every codegen output (tests/gql, web/src/gql) current (run `npm run codegen` after changing a document)", async () => {
    const key = codegenInputsKey();
    const files = remembered<Generated[]>("codegen", key) ?? (await runCodegen());
    const outputs = Object.keys(codegenConfig.generates);
    expect(outputs).toEqual(["tests/gql/", "web/src/gql/"]);
    for (const output of outputs)
      expect(
        files.some((file) => file.filename.startsWith(output)),
        output,
      ).toBe(true);
    for (const file of files) {
      const committed = readFileSync(file.filename, "utf8");
      // (the text where codegen ran, for a readable difference; its hash where it was remembered)
      if (file.content !== undefined) expect(committed, file.filename).toBe(file.content);
      expect(sha256(committed), file.filename).toBe(file.sha256);
    }
    // every output as codegen writes it: remembered for these very inputs
    remember(
      "codegen",
      key,
      files.map(({ filename, sha256 }) => ({ filename, sha256 })),
    );
  });

  it("describes every type, field, argument and enum value", () => {
    const missing: string[] = [];
    const builtIn = new Set(["String", "Int", "Float", "Boolean", "ID"]);
    for (const type of Object.values(sortedSchema.getTypeMap()) as GraphQLNamedType[]) {
      if (type.name.startsWith("__") || builtIn.has(type.name)) continue;
      if (!type.description) missing.push(type.name);
      if (isObjectType(type) || isInterfaceType(type) || isInputObjectType(type)) {
        for (const field of Object.values(type.getFields())) {
          if (!field.description) missing.push(`${type.name}.${field.name}`);
          for (const arg of "args" in field ? field.args : []) {
            if (!arg.description) missing.push(`${type.name}.${field.name}(${arg.name})`);
          }
        }
      }
      if (isEnumType(type)) {
        for (const value of type.getValues())
          if (!value.description) missing.push(`${type.name}.${value.name}`);
      }
    }
    expect(missing).toEqual([]);
  });
});
