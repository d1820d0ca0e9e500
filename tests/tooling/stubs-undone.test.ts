/**
 * A test's stubbed globals and environment variables are undone when it ends
 * (tests/support/release-mocks.ts), not only when the next test begins: the files share their
 * worker (vitest.config.ts, `isolate: false`), and a stub left by a file's last test was undone
 * over what the next file's `beforeAll` had set (stale-cursor.test's `fetch`, which sent the next
 * file's requests to a closed server). Here the next `beforeAll` is a later suite's.
 */
import { beforeAll, describe, expect, it, vi } from "vitest";

const PROBE = "__kzStubProbe";
const ENV = "KZ_OSCE_STUB_PROBE";

describe("a test that stubs", () => {
  it("stubs a global and an environment variable, and leaves them for its end", () => {
    vi.stubGlobal(PROBE, "stubbed");
    vi.stubEnv(ENV, "stubbed");
    expect((globalThis as Record<string, unknown>)[PROBE]).toBe("stubbed");
    expect(process.env[ENV]).toBe("stubbed");
  });
});

describe("what runs after it, before the next test", () => {
  let seen: { global: boolean; env: string | undefined };
  beforeAll(() => {
    seen = { global: PROBE in globalThis, env: process.env[ENV] };
  });

  it("sees neither stub", () => {
    expect(seen).toEqual({ global: false, env: undefined });
  });
});
