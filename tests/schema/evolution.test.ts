/**
 * The public schema only evolves: every breaking change since the last release (the SDL kept in
 * schema/releases/<version>.graphql) must be listed in CHANGELOG.md, under `## [Unreleased]`, in an
 * entry starting **Breaking** that names its path (as @graphql-inspector/core gives it) in backticks,
 * e.g. "- **Breaking** `Query.persons`: ...". Non-breaking additions need no entry for this test,
 * so parallel work that only adds passes without editing the changelog.
 */
import { readdirSync, readFileSync } from "node:fs";
import { type Change, diff } from "@graphql-inspector/core";
import { buildSchema } from "graphql";
import { describe, expect, it } from "vitest";

const root = new URL("../../", import.meta.url);
const read = (path: string) => readFileSync(new URL(path, root), "utf8");

/** The releases kept, highest version last. */
function releases(): string[] {
  const versions = readdirSync(new URL("schema/releases/", root))
    .filter((f) => /^\d+\.\d+\.\d+\.graphql$/.test(f))
    .map((f) => f.slice(0, -".graphql".length));
  const parts = (v: string) => v.split(".").map(Number);
  return versions.sort((a, b) => {
    const [x, y] = [parts(a), parts(b)];
    return x[0]! - y[0]! || x[1]! - y[1]! || x[2]! - y[2]!;
  });
}

/** The lines of the changelog's `## [Unreleased]` section. */
function unreleased(changelog: string): string[] {
  const lines = changelog.split("\n");
  const start = lines.findIndex((l) => /^## \[Unreleased\]/i.test(l));
  if (start < 0) return [];
  const end = lines.findIndex((l, i) => i > start && /^## /.test(l));
  return lines.slice(start + 1, end < 0 ? undefined : end);
}

/** The entries of a section: each list item ("- ...") with its indented continuation lines. */
function entries(lines: string[]): string[] {
  const items: string[] = [];
  for (const line of lines) {
    if (/^[-*] /.test(line)) items.push(line);
    else if (/^\s+\S/.test(line) && items.length > 0) items[items.length - 1] += ` ${line.trim()}`;
  }
  return items;
}

/** The paths the changelog lists as breaking: backticked names in entries starting **Breaking**. */
function listedAsBreaking(changelog: string): Set<string> {
  const paths = new Set<string>();
  for (const entry of entries(unreleased(changelog))) {
    if (!/^[-*] \*\*Breaking\*\*/.test(entry)) continue;
    for (const match of entry.matchAll(/`([^`]+)`/g)) paths.add(match[1]!);
  }
  return paths;
}

/** The breaking changes from `before` to `after` that `changelog` does not list. */
async function unlistedBreakingChanges(
  before: string,
  after: string,
  changelog: string,
): Promise<Change[]> {
  const changes = await diff(buildSchema(before), buildSchema(after));
  const listed = listedAsBreaking(changelog);
  return changes.filter(
    (c) => c.criticality.level === "BREAKING" && !listed.has(c.path ?? c.message),
  );
}

describe("schema evolution", () => {
  it("keeps the SDL of at least one release to compare with", () => {
    expect(releases().length).toBeGreaterThan(0);
  });

  it("lists in CHANGELOG.md every breaking change since the last release", async () => {
    const last = releases().at(-1)!;
    const unlisted = await unlistedBreakingChanges(
      read(`schema/releases/${last}.graphql`),
      read("schema/schema.graphql"),
      read("CHANGELOG.md"),
    );
    const advice = unlisted
      .map((c) => `- **Breaking** \`${c.path ?? c.message}\`: ${c.message}`)
      .join("\n");
    expect(
      unlisted,
      `breaking changes since ${last} that CHANGELOG.md does not list under [Unreleased]; deprecate instead, or list them:\n${advice}`,
    ).toEqual([]);
  });

  // the check itself: it must catch what it is for, and let additions through
  const released = `
    type Query { persons(first: Int): PersonConnection!, person(key: String!): Person }
    type PersonConnection { totalCount: Int! }
    type Person { name: String!, title: String }
  `;

  it("catches a removed field, a changed type and a removed argument that the changelog does not list", async () => {
    const next = `
      type Query { persons: PersonConnection, person(key: String!): Person }
      type PersonConnection { totalCount: Int! }
      type Person { name: String! }
    `;
    const unlisted = await unlistedBreakingChanges(
      released,
      next,
      "# Changelog\n\n## [Unreleased]\n\n### Added\n- `Person.title`\n",
    );
    expect(unlisted.map((c) => c.path).sort()).toEqual([
      "Person.title",
      "Query.persons",
      "Query.persons.first",
    ]);
    const listed =
      "## [Unreleased]\n- **Breaking** `Query.persons` nullable; `Query.persons.first` gone\n- **Breaking** `Person.title` removed\n";
    expect(await unlistedBreakingChanges(released, next, listed)).toEqual([]);
  });

  it("does not count a breaking change listed under an earlier release", async () => {
    const next = released.replace(", title: String", "");
    const changelog = "## [Unreleased]\n\n## [0.1.0]\n- **Breaking** `Person.title` removed\n";
    expect((await unlistedBreakingChanges(released, next, changelog)).map((c) => c.path)).toEqual([
      "Person.title",
    ]);
  });

  it("needs no entry for additions", async () => {
    const next = released
      .replace("title: String", "title: String, nationality: String")
      .replace("person(key: String!)", "person(key: String!, at: String)");
    expect(await unlistedBreakingChanges(released, next, "## [Unreleased]\n")).toEqual([]);
  });
});
