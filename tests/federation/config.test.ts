/** The subgraph settings: `--subgraph` / KZ_OSCE_SUBGRAPH, and KZ_OSCE_GATEWAY_SECRET, checked up front. */
import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig, USAGE } from "../../src/server/config.js";

function configError(argv: string[], env: Record<string, string | undefined> = {}): string {
  try {
    parseConfig(argv, env);
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  throw new Error(`expected a ConfigError for ${JSON.stringify({ argv, env })}`);
}

describe("subgraph mode", () => {
  it("is off by default", () => {
    expect(parseConfig([], {}).subgraph).toBeUndefined();
    expect(parseConfig([], { KZ_OSCE_SUBGRAPH: "false" }).subgraph).toBeUndefined();
  });

  it("is on with --subgraph or KZ_OSCE_SUBGRAPH=true, without a secret unless one is given", () => {
    expect(parseConfig(["--subgraph"], {}).subgraph).toEqual({ gatewaySecret: undefined });
    expect(parseConfig(["--port", "0", "--subgraph"], {})).toMatchObject({
      port: 0,
      subgraph: { gatewaySecret: undefined },
    });
    expect(parseConfig([], { KZ_OSCE_SUBGRAPH: "true" }).subgraph).toEqual({
      gatewaySecret: undefined,
    });
    expect(
      parseConfig(["--subgraph"], { KZ_OSCE_GATEWAY_SECRET: "a-secret-of-20-chars" }).subgraph,
    ).toEqual({ gatewaySecret: "a-secret-of-20-chars" });
  });

  it("refuses a value for --subgraph, and an on/off variable that is neither", () => {
    expect(configError(["--subgraph=yes"])).toBe(`--subgraph takes no value\n${USAGE}`);
    expect(configError([], { KZ_OSCE_SUBGRAPH: "1" })).toBe(
      'KZ_OSCE_SUBGRAPH must be true or false, got "1"',
    );
  });

  it("refuses a gateway secret without subgraph mode, rather than let it seem to protect something", () => {
    expect(configError([], { KZ_OSCE_GATEWAY_SECRET: "a-secret-of-20-chars" })).toBe(
      "KZ_OSCE_GATEWAY_SECRET is only used in subgraph mode: add --subgraph (or KZ_OSCE_SUBGRAPH=true), or unset it",
    );
  });

  it.each([
    [
      "too short",
      "short-secret",
      "KZ_OSCE_GATEWAY_SECRET must be 16 to 256 characters of letters, digits and . _ ~ + / = - (got 12 characters)",
    ],
    [
      "with a space",
      "a secret with spaces",
      "KZ_OSCE_GATEWAY_SECRET must be 16 to 256 characters of letters, digits and . _ ~ + / = - (got 20 characters, some of them others)",
    ],
    [
      "with braces (the gateway would interpolate them)",
      "{env.SECRET}-0123456",
      "KZ_OSCE_GATEWAY_SECRET must be 16 to 256 characters of letters, digits and . _ ~ + / = - (got 20 characters, some of them others)",
    ],
  ])("refuses a secret %s, without echoing it", (_what, secret, message) => {
    expect(configError(["--subgraph"], { KZ_OSCE_GATEWAY_SECRET: secret })).toBe(message);
  });

  it("refuses an empty secret in subgraph mode, which would leave the subgraph open (red team 54, F2); elsewhere it is unset", () => {
    expect(configError(["--subgraph"], { KZ_OSCE_GATEWAY_SECRET: "" })).toBe(
      "KZ_OSCE_GATEWAY_SECRET is set but empty: in subgraph mode that would let anyone ask `_entities` and `_service`. Give the gateway's secret (16 to 256 characters), or unset the variable to run without one",
    );
    expect(configError([], { KZ_OSCE_SUBGRAPH: "true", KZ_OSCE_GATEWAY_SECRET: "" })).toContain(
      "is set but empty",
    );
    expect(parseConfig([], { KZ_OSCE_GATEWAY_SECRET: "" }).subgraph).toBeUndefined();
  });

  it("names --subgraph in the usage", () => {
    expect(USAGE).toContain(
      "--subgraph       serve the Federation v2 subgraph schema, for a gateway (env KZ_OSCE_SUBGRAPH=true)",
    );
  });
});
