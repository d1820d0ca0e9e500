/**
 * The way to the dataset's directory: its path resolved part by part as the system resolves it,
 * noting every symbolic link met, so that live reload (reload.ts) can watch each of them for its
 * replacement. The links a path's text names are not all: with `current -> stage -> release-1`
 * the path names `current` only, and with `current -> ../releases/r1` where `releases` is a link
 * too, `releases` is met only inside current's target (a review found both swaps unseen, the old
 * graph served for good).
 *
 * Each link's target is resolved where the system resolves it: a relative one against the link's
 * own directory, `..` from the directory a link led to (not the text before it: `a/../b`, `a` a
 * link, is `b` beside a's target). At most MAX_LINKS links are followed, as Linux does (ELOOP):
 * past them the path is a loop (`a -> b -> a`), said so rather than followed for good.
 */
import { lstatSync, readlinkSync, statSync } from "node:fs";
import { dirname, isAbsolute, join, sep } from "node:path";

/** Links followed at most while resolving one path: Linux's MAXSYMLINKS, past which it says ELOOP. */
export const MAX_LINKS = 40;

/** A symbolic link met on the way: where it is (a path whose directory holds no link) and its text. */
export interface WayLink {
  path: string;
  target: string;
}

export interface Way {
  /** Every link met, each once, in the order met. */
  links: WayLink[];
  /**
   * Where the way ended: the directory the path leads to (`reached` "directory"); the first part
   * that does not exist, or is not a directory; or the link at which MAX_LINKS ran out (a loop).
   * Its own directory holds no link (it is real), so a watch of that directory sees it change.
   */
  end: string;
  reached: "directory" | "missing" | "not a directory" | "loop";
}

/** The way to the absolute `path` now. */
export function wayTo(path: string): Way {
  const links = new Map<string, string>();
  const way = (end: string, reached: Way["reached"]): Way => ({
    links: [...links].map(([at, target]) => ({ path: at, target })),
    end,
    reached,
  });
  const parts = path.split(sep).filter((part) => part !== "");
  let at: string = sep;
  let followed = 0;
  while (parts.length > 0) {
    const part = parts.shift()!;
    if (part === ".") continue;
    if (part === "..") {
      at = dirname(at);
      continue;
    }
    const next = join(at, part);
    let target: string | undefined;
    try {
      target = lstatSync(next).isSymbolicLink() ? readlinkSync(next) : undefined;
    } catch {
      // not there (or not reachable): the way ends here, until it is made
      return way(next, "missing");
    }
    if (target === undefined) {
      if (parts.length > 0 && !isDirectory(next)) return way(next, "not a directory");
      at = next;
      continue;
    }
    links.set(next, target);
    if (++followed > MAX_LINKS) return way(next, "loop");
    parts.unshift(...target.split(sep).filter((p) => p !== ""));
    if (isAbsolute(target)) at = sep;
  }
  return way(at, isDirectory(at) ? "directory" : "not a directory");
}

/** Two ways alike: the same links, leading to the same place the same way. */
export function sameWay(a: Way, b: Way): boolean {
  return (
    a.end === b.end &&
    a.reached === b.reached &&
    a.links.length === b.links.length &&
    a.links.every((link, i) => link.path === b.links[i]!.path && link.target === b.links[i]!.target)
  );
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
