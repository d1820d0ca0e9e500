/**
 * The way to the dataset's directory: its path resolved part by part as the system resolves it,
 * noting every symbolic link met, so that live reload (reload.ts) can watch each of them for its
 * replacement. The links a path's text names are not all: with `current -> stage -> release-1`
 * the path names `current` only, and with `current -> ../releases/r1` where `releases` is a link
 * too, `releases` is met only inside current's target (a review found both swaps unseen, the old
 * graph served for good).
 *
 * Every real directory passed is noted too, with its identity (device and inode): a directory
 * renamed aside and another put at its path (`mv data data.old && mv data.new data`, or the same of
 * a directory above it, `mv site site.old && mv site.new site`), a deploy that keeps the old copy
 * for rollback, leaves the path's text and its links as they were, and only the identities tell the
 * way leads to another directory now (review 16b: such a swap was never seen, the old copy watched).
 *
 * Each link's target is resolved where the system resolves it: a relative one against the link's
 * own directory, `..` from the directory a link led to (not the text before it: `a/../b`, `a` a
 * link, is `b` beside a's target). At most MAX_LINKS links are followed, as Linux does (ELOOP):
 * past them the path is a loop (`a -> b -> a`), said so rather than followed for good.
 */
import { type BigIntStats, lstatSync, readlinkSync, statSync } from "node:fs";
import { dirname, isAbsolute, join, sep } from "node:path";

/** Links followed at most while resolving one path: Linux's MAXSYMLINKS, past which it says ELOOP. */
export const MAX_LINKS = 40;

/** A symbolic link met on the way: where it is (a path whose directory holds no link) and its text. */
export interface WayLink {
  path: string;
  target: string;
}

/** A real directory passed (or reached): where it is and which it is (`device:inode:birth time`, identityOf). */
export interface WayDirectory {
  path: string;
  id: string;
  /**
   * Whether its file system gave its birth time (identityOf): where it gave none, the same
   * directory and another made at its path with its inode back are told apart by nothing, and
   * live reload takes a rename naming it for its replacement (reload.ts).
   */
  birthTime: boolean;
}

/** How a path is looked at, its link not followed (lstat, bigint); a test may give another (one of a file system without birth times). */
export type Lstat = (path: string) => BigIntStats;

const lstatBig: Lstat = (path) => lstatSync(path, { bigint: true });

export interface Way {
  /** Every link met, each once, in the order met. */
  links: WayLink[];
  /** Every real directory passed, each once, in the order met (a directory before those inside it), the one reached last. */
  directories: WayDirectory[];
  /**
   * Where the way ended: the directory the path leads to (`reached` "directory"); the first part
   * that does not exist, or is not a directory; or the link at which MAX_LINKS ran out (a loop).
   * Its own directory holds no link (it is real), so a watch of that directory sees it change.
   */
  end: string;
  reached: "directory" | "missing" | "not a directory" | "loop";
}

/** The way to the absolute `path` now. */
export function wayTo(path: string, lstat: Lstat = lstatBig): Way {
  const links = new Map<string, string>();
  const directories = new Map<string, { id: string; birthTime: boolean }>();
  const way = (end: string, reached: Way["reached"]): Way => ({
    links: [...links].map(([at, target]) => ({ path: at, target })),
    directories: [...directories].map(([at, dir]) => ({ path: at, ...dir })),
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
    let stats: BigIntStats;
    try {
      // (bigint: an inode number past 2^53, as some file systems give, is not rounded into another's)
      stats = lstat(next);
      target = stats.isSymbolicLink() ? readlinkSync(next) : undefined;
    } catch {
      // not there (or not reachable): the way ends here, until it is made
      return way(next, "missing");
    }
    if (target === undefined) {
      if (!stats.isDirectory()) return way(next, "not a directory");
      directories.set(next, { id: identityOf(stats), birthTime: keepsBirthTime(stats) });
      at = next;
      continue;
    }
    links.set(next, target);
    if (++followed > MAX_LINKS) return way(next, "loop");
    parts.unshift(...target.split(sep).filter((p) => p !== ""));
    if (isAbsolute(target)) at = sep;
  }
  // (the path's last part a real directory, or a link's target ending in `..` or `/`: a directory
  // passed already; only a path of `/` alone passes none)
  return way(at, isDirectory(at) ? "directory" : "not a directory");
}

/** Two ways alike: the same links, through the same directories, leading to the same place the same way. */
export function sameWay(a: Way, b: Way): boolean {
  return (
    a.end === b.end &&
    a.reached === b.reached &&
    a.links.length === b.links.length &&
    a.links.every(
      (link, i) => link.path === b.links[i]!.path && link.target === b.links[i]!.target,
    ) &&
    a.directories.length === b.directories.length &&
    a.directories.every(
      (dir, i) => dir.path === b.directories[i]!.path && dir.id === b.directories[i]!.id,
    )
  );
}

/** The same directory at the way's end: reached at the same path, and the same directory there. */
export function sameEnd(a: Way, b: Way): boolean {
  return a.end === b.end && a.reached === b.reached && endId(a) === endId(b);
}

/**
 * Where `now` parts from `before`, for the log: the first link of `before` that leads elsewhere
 * now (or is gone), else the first of its directories that is another one now (or is gone), the
 * highest one replaced; undefined when `now` only adds to it.
 */
export function replacedOn(before: Way, now: Way): string | undefined {
  const targets = new Map(now.links.map((link) => [link.path, link.target]));
  const link = before.links.find((one) => targets.get(one.path) !== one.target);
  if (link !== undefined) return link.path;
  const ids = new Map(now.directories.map((dir) => [dir.path, dir.id]));
  return before.directories.find((dir) => ids.get(dir.path) !== dir.id)?.path;
}

/** Every path on the way a watch of its directory must see replaced: its links, its directories, and where it ends. */
export function partsOf(way: Way): string[] {
  const parts = new Set([
    ...way.links.map((link) => link.path),
    ...way.directories.map((dir) => dir.path),
  ]);
  // the way's end, when it is not a directory reached (missing, a file): its making is awaited;
  // not at a loop, whose end is one of its links
  if (way.reached !== "loop") parts.add(way.end);
  return [...parts];
}

/**
 * Which directory is at `path` now (identityOf, as `Way.directories` notes it); undefined when
 * there is none (gone, not a directory, not reachable). One lstat.
 */
export function directoryIdOf(path: string, lstat: Lstat = lstatBig): string | undefined {
  try {
    const stats = lstat(path);
    return stats.isDirectory() ? identityOf(stats) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A directory's identity: its device and inode, and its birth time. ext4 gives a directory
 * removed and made again at once the inode it had (`rm -r data && mkdir data && cp -r new/. data`):
 * by device and inode alone it was the same directory, and the watches of the removed one, deaf
 * to the new one's files, were kept (review 17: the first reload made, every later edit unseen,
 * "watch":"ok"). The birth time tells them apart (statx), where the file system keeps one
 * (keepsBirthTime): where it keeps none, the two are the same here, and live reload takes a rename
 * naming such a directory for its replacement (reload.ts; review 18, finding 2).
 */
function identityOf(stats: BigIntStats): string {
  return `${stats.dev}:${stats.ino}:${stats.birthtimeNs}`;
}

/**
 * Whether the file system gave `stats`' birth time: libuv gives 0 where statx says it has none
 * (ext2 and ext3, ext4 made with 128-byte inodes, NFS, some FUSE and 9p mounts). Where statx
 * itself is refused (an old seccomp profile), libuv gives the change time in its place, which
 * moves with every entry made in the directory: that is not told from a directory's birth
 * time here (a directory just made has the two alike on ext4 too), and said in
 * docs/operations.md.
 */
export function keepsBirthTime(stats: BigIntStats): boolean {
  return stats.birthtimeNs !== 0n;
}

function endId(way: Way): string | undefined {
  return way.directories.find((dir) => dir.path === way.end)?.id;
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
