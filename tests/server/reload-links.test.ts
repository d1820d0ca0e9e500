/**
 * Live reload of a dataset reached through symbolic links (reload.ts, `linksOnTheWay`): every
 * link met while the path resolves is watched for its replacement, not only those its text
 * names. A review found a chain (`current -> stage -> release-1`, the stage swapped) and a link
 * inside a link's target (`current -> ../releases/r1`, `releases` a link) never followed: the old
 * graph was served for good. A loop of links is refused clearly, and a link removed is a
 * directory gone, its return awaited. The direct case (`current -> release-1`, current swapped)
 * is reload.test.ts's. A real directory on the way, the dataset's own or one above it, renamed
 * aside with another put in its place (`mv data data.old && mv data.new data`) is another
 * directory there: review 16b found it never seen, the old copy watched.
 */
import {
  cpSync,
  watch as fsWatch,
  lstatSync,
  mkdirSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import path from "node:path";
import { watch as chokidarWatch, type FSWatcher } from "chokidar";
import { afterAll, describe, expect, it, vi } from "vitest";
import type { Lstat } from "../../src/server/dataset-way.js";
import type { watchDataset } from "../../src/server/reload.js";
import { editJson, exportToTmp, makeTmpDir, removeDir } from "../fixtures/datasets.js";
import { send } from "../support/http.js";
import { watchedServer } from "../support/watched.js";

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs.splice(0)) removeDir(dir);
});

/** A fresh directory for a test's releases and links. */
function site(): string {
  const dir = makeTmpDir();
  dirs.push(dir);
  return dir;
}

/** The built-in dataset exported to `dir`, Szabó named `name` in it. */
function release(dir: string, name: string): string {
  mkdirSync(path.dirname(dir), { recursive: true });
  cpSync(exportToTmpOnce(), dir, { recursive: true });
  editJson(dir, "persons", (persons) => {
    persons.find((p: { id: string }) => p.id === "person/gyorgy-szabo").name.text = name;
  });
  return dir;
}
let exported: string | undefined;
function exportToTmpOnce(): string {
  if (exported === undefined) {
    exported = exportToTmp();
    dirs.push(exported);
  }
  return exported;
}

/**
 * lstat as on a file system that keeps no birth times (libuv gives 0) and gives a directory
 * removed and made again at once the inode it had: each path keeps the inode first seen there
 * (ext4 made with 128-byte inodes, as review 18 reproduced on a loop mount; this machine's /tmp
 * keeps birth times, and may give another inode).
 */
function withoutBirthTimes(): Lstat {
  const inodes = new Map<string, bigint>();
  return (at) => {
    const stats = lstatSync(at, { bigint: true });
    if (!inodes.has(at)) inodes.set(at, stats.ino);
    return Object.assign(Object.create(Object.getPrototypeOf(stats)), stats, {
      birthtimeNs: 0n,
      ino: inodes.get(at)!,
    });
  };
}

/** Replace the link `at` by one to `target`, atomically, as a release switch does (`ln -sfn target at.tmp && mv -T at.tmp at`). */
function swap(at: string, target: string): void {
  symlinkSync(target, `${at}.tmp`);
  renameSync(`${at}.tmp`, at);
}

/**
 * fs.watch, but refusing to watch `shut` as inotify refuses a directory another user may pass
 * through but not read (EACCES): as root no mode shuts the watch out, so the refusal is made here.
 */
function refusingToWatch(shut: string): typeof fsWatch {
  return ((place: string, ...rest: unknown[]) => {
    if (place === shut)
      throw Object.assign(new Error(`EACCES: permission denied, watch '${place}'`), {
        code: "EACCES",
      });
    return (fsWatch as (...args: unknown[]) => ReturnType<typeof fsWatch>)(place, ...rest);
  }) as typeof fsWatch;
}

/** A server serving the dataset at `dataDir`, watched, with its reloads and log lines; `ready()` gives /ready's JSON. */
async function watched(dataDir: string, options: Partial<Parameters<typeof watchDataset>[1]> = {}) {
  const w = await watchedServer(dataDir, options);
  return { ...w, ready: async () => (await w.ready()).json as Record<string, unknown> };
}

describe("live reload through symbolic links", () => {
  it("follows a chain of links: the link the first leads to swapped (current -> stage -> release), then the new release's edits", async () => {
    const root = site();
    release(path.join(root, "release-1"), "György Szabó (release 1)");
    release(path.join(root, "release-2"), "György Szabó (release 2)");
    // the stage in a directory of its own: beside current, chokidar's watch of current's
    // directory happened to see it (a change there makes it read the directory again, and
    // compare where each link in it leads), which a stage anywhere else never had
    mkdirSync(path.join(root, "stages"));
    symlinkSync("../release-1", path.join(root, "stages", "stage"));
    symlinkSync("stages/stage", path.join(root, "current"));
    const w = await watched(path.join(root, "current"));
    try {
      expect(await w.named()).toBe("György Szabó (release 1)");
      // the stage swapped: current's own text is unchanged, where it leads is not
      let reloaded = w.nextReload();
      const elsewhere = w.nextLog("the dataset directory leads elsewhere now");
      swap(path.join(root, "stages", "stage"), "../release-2");
      expect(await reloaded).toMatchObject({ outcome: "applied" });
      expect(await w.named()).toBe("György Szabó (release 2)");
      expect(await elsewhere).toMatchObject({
        from: path.join(root, "release-1"),
        to: path.join(root, "release-2"),
      });
      if (w.reloader.status().state !== "ok") await w.nextLog("watching the dataset for changes");
      // and the release it leads to now is the one watched
      reloaded = w.nextReload();
      editJson(path.join(root, "release-2"), "persons", (persons) => {
        persons.find((p: { id: string }) => p.id === "person/gyorgy-szabo").name.text =
          "György Szabó (release 2, edited)";
      });
      expect(await reloaded).toMatchObject({ outcome: "applied" });
      expect(await w.named()).toBe("György Szabó (release 2, edited)");
    } finally {
      await w.close();
    }
  }, 60_000);

  it("follows a link inside a link's target (current -> ../releases/r1, releases itself a link) when that link is swapped", async () => {
    const root = site();
    release(path.join(root, "releases-a", "r1"), "György Szabó (a)");
    release(path.join(root, "releases-b", "r1"), "György Szabó (b)");
    symlinkSync("releases-a", path.join(root, "releases"));
    mkdirSync(path.join(root, "site"));
    // relative, through `..`: resolved against the link's own directory
    symlinkSync("../releases/r1", path.join(root, "site", "current"));
    const w = await watched(path.join(root, "site", "current"));
    try {
      expect(await w.named()).toBe("György Szabó (a)");
      const reloaded = w.nextReload();
      swap(path.join(root, "releases"), "releases-b");
      expect(await reloaded).toMatchObject({ outcome: "applied" });
      expect(await w.named()).toBe("György Szabó (b)");
    } finally {
      await w.close();
    }
  }, 60_000);

  it("refuses a loop of links clearly (current -> stage -> current), keeps serving, and follows the stage once it leads to a release again", async () => {
    const root = site();
    release(path.join(root, "release-1"), "György Szabó (release 1)");
    release(path.join(root, "release-2"), "György Szabó (release 2)");
    symlinkSync("release-1", path.join(root, "stage"));
    symlinkSync("stage", path.join(root, "current"));
    const current = path.join(root, "current");
    const w = await watched(current);
    try {
      const looped = w.nextLog("the dataset directory's path is a loop of symbolic links");
      swap(path.join(root, "stage"), "current");
      expect(await looped).toMatchObject({ level: "warn", dataset: current });
      const ready = await w.ready();
      expect(ready).toMatchObject({ status: "ready", watch: "waiting" });
      expect(String(ready.watchReason)).toContain(
        `the dataset directory ${current} is a loop of symbolic links (ELOOP`,
      );
      expect(String(ready.watchReason)).toContain(
        `${current} -> stage, ${path.join(root, "stage")} -> current`,
      );
      // the graph loaded keeps serving
      expect(await w.named()).toBe("György Szabó (release 1)");
      // mended: the stage leads to a release again
      const reloaded = w.nextReload();
      swap(path.join(root, "stage"), "release-2");
      expect(await reloaded).toMatchObject({ outcome: "applied" });
      expect(await w.named()).toBe("György Szabó (release 2)");
      expect(w.reloader.status()).toMatchObject({ state: "ok" });
    } finally {
      await w.close();
    }
  }, 60_000);

  it("says the directory is gone when the link given as the dataset is removed, and reloads once a link is made again", async () => {
    const root = site();
    release(path.join(root, "release-1"), "György Szabó (release 1)");
    release(path.join(root, "release-2"), "György Szabó (release 2)");
    const current = path.join(root, "current");
    symlinkSync("release-1", current);
    const w = await watched(current);
    try {
      const gone = w.nextLog("the dataset directory is gone");
      rmSync(current);
      await gone;
      const ready = await send(w.server, { path: "/ready" });
      expect(ready.status).toBe(200);
      expect(ready.json).toMatchObject({
        status: "ready",
        watch: "waiting",
        watchReason: `the dataset directory ${current} does not exist: waiting for it to be created again`,
      });
      expect(await w.named()).toBe("György Szabó (release 1)");
      const reloaded = w.nextReload();
      symlinkSync("release-2", current);
      expect(await reloaded).toMatchObject({ outcome: "applied" });
      expect(await w.named()).toBe("György Szabó (release 2)");
      expect(await w.ready()).toMatchObject({ watch: "ok" });
    } finally {
      await w.close();
    }
  }, 60_000);

  it("says the path leads to a file, not a directory, when a link is swapped to one, and follows it back to a release", async () => {
    const root = site();
    release(path.join(root, "release-1"), "György Szabó (release 1)");
    release(path.join(root, "release-2"), "György Szabó (release 2)");
    writeFileSync(path.join(root, "notes.txt"), "not a dataset\n");
    const current = path.join(root, "current");
    symlinkSync("release-1", current);
    const w = await watched(current);
    try {
      const file = w.nextLog("the dataset directory's path leads to something not a directory");
      swap(current, "notes.txt");
      expect(await file).toMatchObject({ level: "warn", dataset: current });
      expect(await w.ready()).toMatchObject({
        watch: "waiting",
        watchReason: `the dataset directory ${current} leads to ${path.join(root, "notes.txt")}, which is not a directory: waiting for it to lead to one`,
      });
      const reloaded = w.nextReload();
      swap(current, "release-2");
      expect(await reloaded).toMatchObject({ outcome: "applied" });
      expect(await w.named()).toBe("György Szabó (release 2)");
    } finally {
      await w.close();
    }
  }, 60_000);
  it("ends on the release the last of a storm of swaps leads to (releases, a loop, a missing target), and follows its edits", async () => {
    const root = site();
    release(path.join(root, "release-1"), "György Szabó (release 1)");
    release(path.join(root, "release-2"), "György Szabó (release 2)");
    mkdirSync(path.join(root, "stages"));
    const stage = path.join(root, "stages", "stage");
    symlinkSync("../release-1", stage);
    symlinkSync("stages/stage", path.join(root, "current"));
    const w = await watched(path.join(root, "current"));
    try {
      // each swap lands while the watcher is between states (watching, waiting, watching again)
      const targets = ["../release-2", "stage", "../release-1", "../missing", "../release-2"];
      for (let i = 0; i < 200; i++) {
        swap(stage, targets[i % targets.length]!);
        if (i % 7 === 0) await new Promise((resolve) => setImmediate(resolve));
      }
      // the last swap (i = 199) leads to release 2, the fifth target
      await vi.waitFor(
        async () => {
          expect(await w.named()).toBe("György Szabó (release 2)");
          expect(w.reloader.status()).toEqual({ state: "ok" });
        },
        { timeout: 30_000, interval: 100 },
      );
      // and release 2 is the one watched: its edit is served
      editJson(path.join(root, "release-2"), "persons", (persons) => {
        persons.find((p: { id: string }) => p.id === "person/gyorgy-szabo").name.text =
          "György Szabó (release 2, after the storm)";
      });
      await vi.waitFor(
        async () => expect(await w.named()).toBe("György Szabó (release 2, after the storm)"),
        { timeout: 30_000, interval: 100 },
      );
      expect(w.logs.filter((l) => l.level === "error")).toEqual([]);
    } finally {
      await w.close();
    }
  }, 90_000);
  it("keeps live reload on when a link on the way is in a directory it may not watch, and says so", async () => {
    const root = site();
    release(path.join(root, "release-1"), "György Szabó (release 1)");
    mkdirSync(path.join(root, "stages"));
    symlinkSync("../release-1", path.join(root, "stages", "stage"));
    symlinkSync("stages/stage", path.join(root, "current"));
    const shut = path.join(root, "stages");
    const w = await watched(path.join(root, "current"), {
      watchEntries: refusingToWatch(shut),
    });
    try {
      expect(await w.ready()).toMatchObject({ watch: "ok" });
      // the dataset's files are still watched
      const reloaded = w.nextReload();
      editJson(path.join(root, "release-1"), "persons", (persons) => {
        persons.find((p: { id: string }) => p.id === "person/gyorgy-szabo").name.text =
          "György Szabó (release 1, edited)";
      });
      expect(await reloaded).toMatchObject({ outcome: "applied" });
      expect(await w.named()).toBe("György Szabó (release 1, edited)");
      // and says which links it cannot watch, once
      expect(
        w.logs.filter((l) =>
          l.msg.startsWith(
            "a part of the dataset's way (a symbolic link or a directory) is in a directory",
          ),
        ),
      ).toMatchObject([
        { level: "warn", place: shut, parts: [path.join(shut, "stage")], code: "EACCES" },
      ]);
      expect(w.logs.filter((l) => l.level === "error")).toEqual([]);
    } finally {
      await w.close();
    }
  }, 60_000);
});

describe("live reload when a directory on the way is replaced by renames", () => {
  /** Watched as `watched` does, with the watchers of the dataset's files made, to see which is open. */
  async function watchedWithWatchers(
    dataDir: string,
    options: Partial<Parameters<typeof watchDataset>[1]> = {},
  ) {
    const made: { path: string; watcher: FSWatcher; closed: boolean }[] = [];
    const w = await watched(dataDir, {
      ...options,
      watch: ((root: string, options: Parameters<typeof chokidarWatch>[1]) => {
        const watcher = chokidarWatch(root, options);
        const entry = { path: root, watcher, closed: false };
        const close = watcher.close.bind(watcher);
        watcher.close = () => {
          entry.closed = true;
          return close();
        };
        made.push(entry);
        return watcher;
      }) as typeof chokidarWatch,
    });
    return { ...w, open: () => made.filter((m) => !m.closed).map((m) => m.path) };
  }

  /** Edit Szabó's name in `dir`, and wait for the reload it makes to be applied and served. */
  async function editedAndServed(
    w: Awaited<ReturnType<typeof watched>>,
    dir: string,
    name: string,
  ) {
    if (w.reloader.status().state !== "ok") await w.nextLog("watching the dataset for changes");
    const reloaded = w.nextReload();
    editJson(dir, "persons", (persons) => {
      persons.find((p: { id: string }) => p.id === "person/gyorgy-szabo").name.text = name;
    });
    expect(await reloaded).toMatchObject({ outcome: "applied" });
    expect(await w.named()).toBe(name);
  }

  it("reloads when the dataset's directory is renamed aside and another put in its place (mv data data.old && mv data.new data), and follows the new one's edits", async () => {
    const root = site();
    const data = release(path.join(root, "data"), "György Szabó (old data)");
    release(path.join(root, "data.new"), "György Szabó (new data)");
    const w = await watchedWithWatchers(data);
    try {
      expect(await w.named()).toBe("György Szabó (old data)");
      const reloaded = w.nextReload();
      // a deploy that keeps the old copy for rollback
      renameSync(data, path.join(root, "data.old"));
      renameSync(path.join(root, "data.new"), data);
      expect(await reloaded).toMatchObject({ outcome: "applied" });
      expect(await w.named()).toBe("György Szabó (new data)");
      expect(await w.ready()).toMatchObject({ watch: "ok" });
      // the new directory at the path is the one watched, the old copy's watcher closed
      await editedAndServed(w, data, "György Szabó (new data, edited)");
      expect(w.open()).toEqual([data]);
    } finally {
      await w.close();
    }
  }, 60_000);

  it("reloads the dataset's directory removed and made again at once (rm -r data && mkdir data && cp -r new/. data), and follows its edits, the same inode back or not", async () => {
    const root = site();
    const data = release(path.join(root, "data"), "György Szabó (old data)");
    const fresh = release(path.join(root, "fresh"), "György Szabó (new data)");
    const w = await watchedWithWatchers(data);
    try {
      const before = statSync(data, { bigint: true }).ino;
      const reloaded = w.nextReload();
      // a deploy that replaces the directory's content wholesale: on ext4 (this machine's /tmp)
      // the new directory gets the removed one's inode, and review 17 found the watches of the
      // removed one kept, deaf to the new one's files: the first reload made, no edit after seen
      rmSync(data, { recursive: true });
      mkdirSync(data);
      cpSync(fresh, data, { recursive: true });
      const reused = statSync(data, { bigint: true }).ino === before;
      expect(await reloaded).toMatchObject({ outcome: "applied" });
      expect(await w.named()).toBe("György Szabó (new data)");
      await editedAndServed(w, data, "György Szabó (new data, edited)");
      expect(w.open()).toEqual([data]);
      // (where the inode came back, it is told apart by its birth time: another directory there)
      if (reused)
        expect(w.logs.map((l) => l.msg)).toContain(
          "the dataset directory leads elsewhere now (a symbolic link or a directory on its path was replaced): watching it there and reloading",
        );
    } finally {
      await w.close();
    }
  }, 60_000);

  it("reloads the dataset's directory removed and made again at once where the file system keeps no birth times and gives the inode back (ext4 of 128-byte inodes, NFS), says so once, and follows its edits", async () => {
    const root = site();
    const data = release(path.join(root, "data"), "György Szabó (old data)");
    const fresh = release(path.join(root, "fresh"), "György Szabó (new data)");
    const w = await watchedWithWatchers(data, { lstat: withoutBirthTimes() });
    try {
      // (the warning; a rename event read as the watch began, of this test's own directories or,
      // through /tmp's watch, another test's, may already have been taken for a replacement)
      expect(
        w.logs.filter((l) => l.msg.startsWith("the file system of the dataset's")),
      ).toMatchObject([{ level: "warn", directories: expect.arrayContaining([data]) }]);
      const reloaded = w.nextReload();
      const anew = w.nextLog(
        "a directory on the dataset's way was renamed, removed or made, and its file system keeps no birth times",
      );
      // by its identity (device and inode, no birth time) the new directory is the removed one:
      // review 18 found the reload never made there, the removed one's watches kept
      rmSync(data, { recursive: true });
      mkdirSync(data);
      cpSync(fresh, data, { recursive: true });
      expect(await reloaded).toMatchObject({ outcome: "applied" });
      expect(await anew).toMatchObject({ level: "info", directory: data });
      // (a reload begun before the replacement, for such an event, may be the one awaited: the
      // next, the replacement's, is waited for then, counted so that none passes unseen)
      for (let seen = w.reloadCount(); (await w.named()) !== "György Szabó (new data)"; seen++)
        await w.reloadAfter(seen);
      expect(await w.named()).toBe("György Szabó (new data)");
      await editedAndServed(w, data, "György Szabó (new data, edited)");
      expect(w.open()).toEqual([data]);
      // said once, however often the way is watched again
      expect(w.logs.filter((l) => l.msg.includes("keeps no birth times to tell"))).not.toEqual([]);
      expect(
        w.logs.filter((l) => l.msg.startsWith("the file system of the dataset's")),
      ).toHaveLength(1);
    } finally {
      await w.close();
    }
  }, 60_000);

  it("takes a file named like a watched directory for no change of the way (/tmp/tmp), and that directory's own rename for one when its parent cannot be watched", async () => {
    const root = site();
    const data = release(path.join(root, "site", "data"), "György Szabó (old site)");
    release(path.join(root, "site.new", "data"), "György Szabó (new site)");
    const events: string[] = [];
    // root cannot be watched (EACCES, as /srv of mode 711 for another user): site's replacement is
    // seen only by site's own watch, told of its own rename under its own name
    const w = await watched(data, {
      // site's watch only: a watch of /tmp above is told of other tests' directories too (and,
      // in a process where another watch of /tmp was open, of this one's making: libuv hands an
      // event read after a watch is added to every watch of that directory)
      onWayEvent: (place) => {
        if (place === path.join(root, "site")) events.push(place);
      },
      watchEntries: refusingToWatch(root),
    });
    try {
      // 300 files named `site` made and removed in site: each a "rename" event named like the
      // directory watched, as its own removal is; review 16d found each taken for it, the way
      // walked again (316 ms of the serving thread for 2,000)
      const namesake = path.join(root, "site", "site");
      for (let i = 0; i < 300; i++) {
        writeFileSync(namesake, "x");
        rmSync(namesake);
      }
      // then one change that is the way's (data's times, an event of site's watch for data): the
      // events of one watch come in order, so once it is seen, the namesakes' were before it
      utimesSync(data, new Date(), new Date());
      await vi.waitFor(() => expect(events.length).toBeGreaterThan(0), {
        timeout: 30_000,
        interval: 20,
      });
      expect(events).toEqual([path.join(root, "site")]);
      // and site's own rename, with another put in its place, is still one
      const reloaded = w.nextReload();
      renameSync(path.join(root, "site"), path.join(root, "site.old"));
      renameSync(path.join(root, "site.new"), path.join(root, "site"));
      expect(await reloaded).toMatchObject({ outcome: "applied" });
      expect(await w.named()).toBe("György Szabó (new site)");
      expect(await w.ready()).toMatchObject({ watch: "ok" });
    } finally {
      await w.close();
    }
  }, 60_000);

  it("takes a file named like a watched directory for no change of the way where the file system keeps no birth times and that directory's parent is watched: /tmp/tmp made by any local user reloaded the dataset at each (review 20)", async () => {
    const root = site();
    const place = path.join(root, "site");
    const data = release(path.join(place, "data"), "György Szabó (old site)");
    // the events of that making are read now (two turns: a poll of the loop between them), by
    // any other watch of their directories in this process (another file's, in this worker):
    // libuv hands an event read after a watch is added to every watch of its directory, and
    // root's making, read by the way's watch of /tmp, was taken for root's replacement (no birth
    // time to tell), whose reload came during the count below (2 full runs of 4, the session
    // after review 25)
    for (let turn = 0; turn < 2; turn++) await new Promise((resolve) => setImmediate(resolve));
    const events: string[] = [];
    const w = await watched(data, {
      lstat: withoutBirthTimes(),
      onWayEvent: (at) => {
        if (at === place) events.push(at);
      },
    });
    // the test's own watch of site: libuv tells every watch of a directory each event in turn
    let told = (_name: string | null) => {};
    const own = fsWatch(place, { persistent: false }, (_event, name) => told(name));
    let marks = 0;
    /** Makes a file in site (no part of the way) and waits until both watches were told of it, and so of every event before it. */
    const marked = async () => {
      const mark = `mark-${++marks}`;
      const both = new Promise<void>((resolve) => {
        told = (name) => {
          if (name === mark) resolve();
        };
      });
      writeFileSync(path.join(place, mark), "x");
      await both;
      await new Promise((resolve) => setImmediate(resolve));
    };
    const anew = () => w.logs.filter((l) => l.msg.includes("keeps no birth times to tell")).length;
    try {
      // (events of the test's own making, read as the watches began, are past)
      await marked();
      const [logged, reloads] = [anew(), w.reloadCount()];
      // (else its reload may come at any time: the count below would not be this test's)
      expect(logged, "the way taken for replaced as its watch began").toBe(0);
      events.length = 0;
      // 50 files named `site` made and removed in site: each a "rename" event named like it
      const namesake = path.join(place, "site");
      for (let i = 0; i < 50; i++) {
        writeFileSync(namesake, "x");
        rmSync(namesake);
      }
      await marked();
      expect(anew()).toBe(logged);
      expect(events).toEqual([]);
      // (the log since the watch began, to tell where a reload came from)
      expect(w.reloadCount(), JSON.stringify(w.logs, null, 1)).toBe(reloads);
      // and site's own rename, with another put in its place, is one: its parent's watch says so
      release(path.join(root, "site.new", "data"), "György Szabó (new site)");
      const reloaded = w.nextReload();
      renameSync(place, path.join(root, "site.old"));
      renameSync(path.join(root, "site.new"), place);
      expect(await reloaded).toMatchObject({ outcome: "applied" });
      expect(await w.named()).toBe("György Szabó (new site)");
    } finally {
      own.close();
      await w.close();
    }
  }, 60_000);

  // two levels above too: the watch of the dataset's parent (site/kz) is told of its own rename,
  // but not of site's above it
  for (const [through, inSite] of [
    ["no link", "data"],
    ["current -> site/data", "data"],
    ["no link, two levels below", path.join("kz", "data")],
  ] as const)
    it(`reloads when a directory above the dataset's is renamed aside and another put in its place (mv site site.old && mv site.new site; ${through}), and follows the new one's edits`, async () => {
      const root = site();
      const data = path.join(root, "site", inSite);
      release(data, "György Szabó (old site)");
      release(path.join(root, "site.new", inSite), "György Szabó (new site)");
      if (through.startsWith("current")) symlinkSync("site/data", path.join(root, "current"));
      const dataDir = through.startsWith("current") ? path.join(root, "current") : data;
      const w = await watchedWithWatchers(dataDir);
      try {
        expect(await w.named()).toBe("György Szabó (old site)");
        const reloaded = w.nextReload();
        const elsewhere = w.nextLog("the dataset directory leads elsewhere now");
        renameSync(path.join(root, "site"), path.join(root, "site.old"));
        renameSync(path.join(root, "site.new"), path.join(root, "site"));
        expect(await reloaded).toMatchObject({ outcome: "applied" });
        expect(await w.named()).toBe("György Szabó (new site)");
        expect(await w.ready()).toMatchObject({ watch: "ok" });
        // said as what it is: the same path, another directory there, `site` the one replaced
        expect(await elsewhere).toMatchObject({
          level: "info",
          from: data,
          to: data,
          replaced: path.join(root, "site"),
        });
        await editedAndServed(w, data, "György Szabó (new site, edited)");
        expect(w.open()).toEqual([data]);
      } finally {
        await w.close();
      }
    }, 60_000);
});
