/**
 * The documentation's links lead somewhere: every relative link in README.md, CHANGELOG.md and
 * docs/*.md names a file of the repository, and every `#anchor` a heading of the page it points
 * to (anchors as GitHub makes them from headings). Pages move between README and docs/; this
 * catches the link left behind.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, normalize, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../../", import.meta.url));
const pages = [
  "README.md",
  "CHANGELOG.md",
  ...readdirSync(join(root, "docs"))
    .filter((f) => f.endsWith(".md"))
    .map((f) => `docs/${f}`),
];

/** The text of a page without its fenced code blocks, where `](` is code, not a link. */
const prose = (page: string) =>
  readFileSync(join(root, page), "utf8").replace(/^```[\s\S]*?^```/gm, "");

/** GitHub's anchors for a page's headings: lower case, punctuation dropped, spaces as hyphens, repeats numbered. */
function anchors(page: string): Set<string> {
  const seen = new Map<string, number>();
  const result = new Set<string>();
  for (const [, heading] of prose(page).matchAll(/^#{1,6} (.+)$/gm)) {
    const base = heading!
      .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, "")
      .replace(/ /g, "-");
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    result.add(count === 0 ? base : `${base}-${count}`);
  }
  return result;
}

/** Every relative link of a page: its target file (relative to the repository) and anchor. */
function links(page: string): { target: string; file: string; anchor?: string }[] {
  const found = [];
  for (const [, target] of prose(page).matchAll(/\]\(([^)\s]+)\)/g)) {
    if (/^[a-z]+:/i.test(target!)) continue; // https:, mailto:
    const [path, anchor] = target!.split("#") as [string, string | undefined];
    const file = path === "" ? page : relative(root, normalize(join(root, dirname(page), path)));
    found.push({ target: target!, file, anchor });
  }
  return found;
}

describe("documentation links", () => {
  it.each(pages)("every relative link of %s leads to a file and a heading that exist", (page) => {
    const broken: string[] = [];
    for (const link of links(page)) {
      if (!existsSync(join(root, link.file))) broken.push(`${link.target}: no file ${link.file}`);
      else if (link.anchor && link.file.endsWith(".md") && !anchors(link.file).has(link.anchor))
        broken.push(`${link.target}: no heading #${link.anchor} in ${link.file}`);
    }
    expect(broken).toEqual([]);
  });

  it("finds the anchors GitHub makes", () => {
    expect(anchors("docs/operations.md")).toContain("health-logs-metrics-cors-and-shutdown");
    expect(links("README.md").map((l) => l.file)).toContain("docs/querying.md");
  });
});
