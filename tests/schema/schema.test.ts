import { readFileSync } from "node:fs";
import { generate } from "@graphql-codegen/cli";
import {
  type GraphQLNamedType,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
} from "graphql";
import { describe, expect, it } from "vitest";
import codegenConfig from "../../codegen.js";
import { sortedSchema } from "../../src/schema/index.js";
import { printedSchema, schemaFile } from "../../src/schema/print.js";

describe("the committed schema", () => {
  it("matches the schema printed from the code (run `npm run schema:print` after changing it)", () => {
    expect(readFileSync(schemaFile, "utf8")).toBe(printedSchema());
  });

  it("keeps every codegen output (tests/gql, web/src/gql) current (run `npm run codegen` after changing a document)", async () => {
    const files = (await generate(
      { ...codegenConfig, silent: true, cwd: process.cwd() },
      false,
    )) as { filename: string; content: string }[];
    const outputs = Object.keys(codegenConfig.generates);
    expect(outputs).toEqual(["tests/gql/", "web/src/gql/"]);
    for (const output of outputs)
      expect(
        files.some((file) => file.filename.startsWith(output)),
        output,
      ).toBe(true);
    for (const file of files) {
      expect(readFileSync(file.filename, "utf8"), file.filename).toBe(file.content);
    }
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
