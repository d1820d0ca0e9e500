/**
 * A dataset directory the server's user may not read (red team 12, F6): the start is refused
 * naming the directory, the permission it lacks and what to do, with `--workers` too, where it
 * "failed" with the system's stack trace (an unguarded list of the directory's files), and a
 * primary first said the directory was read-only. A refusal for a permission gives no hint to
 * make the dataset again with `npm run gen` (it would be made with the same permissions).
 *
 * The real thing: the server runs as a user the directory's mode shuts out. Root may read any
 * directory, so run as root these tests start the server as `nobody` (uid 65534), as a service
 * does; as any other user, as that user, whom the mode shuts out as well.
 */
import { chmodSync, cpSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generatedDataset } from "../../data/synthetic/datasets.js";
import { makeTmpDir, removeDir } from "../fixtures/datasets.js";
import { childEnv, runNode } from "../support/processes.js";
import { bundled } from "../support/server-bundle.js";
import { SERVICE_USER, serviceUserReaches } from "../support/service-user.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const AS = SERVICE_USER;
/** Whether that user can load the server's code at all (service-user.ts). */
const reachable = serviceUserReaches(ROOT);
if (!reachable)
  console.warn(
    `unreadable-dataset.test: skipped: uid ${AS.uid} cannot reach ${ROOT} (a directory on its way is closed to others), so it cannot run the server's code as that user`,
  );

let base: string;
let ds: string;
beforeAll(() => {
  base = makeTmpDir();
  // reachable by the server's user (a temporary directory is made 700)
  chmodSync(base, 0o755);
  ds = join(base, "ds");
  // written by npm run gen: it holds the generator's marker, for which a refusal gets a hint
  cpSync(generatedDataset(200), ds, { recursive: true });
});
afterAll(() => {
  chmodSync(base, 0o755);
  chmodSync(ds, 0o755);
  removeDir(base);
});

/** A start of the server on the dataset, run to its end (it is refused). */
const start = (...args: string[]) =>
  runNode([bundled("main"), "--data", ds, "--port", "0", "--host", "127.0.0.1", ...args], {
    cwd: ROOT,
    env: childEnv({ HOME: base }),
    ...AS,
  });

describe.skipIf(!reachable)("a dataset directory the server may not read", () => {
  it("is refused at a start, naming the directory, the permission and what to do, with --workers too", async () => {
    chmodSync(ds, 0o000);
    const [single, cluster] = await Promise.all([start(), start("--workers", "2")]);
    for (const run of [single, cluster]) {
      const output = run.stdout + run.stderr;
      expect(run.status, output).toBe(1);
      expect(run.stderr, output).toContain(
        [
          "kz-osce-graph: refusing to start.",
          "The dataset cannot be read (1 problem):",
          `  - ${ds}: cannot read the dataset directory: permission denied: it is mode 000, owned by uid ${process.getuid!()} and gid ${process.getgid!()}, and does not let this process (uid ${AS.uid ?? process.getuid!()}, gid ${AS.gid ?? process.getgid!()}) list its files (r) or open them (x); give that user read and search permission on it (r and x: chmod, chown or its group), or run the server as a user that has them`,
        ].join("\n"),
      );
      // no internal failure and its stack, and no primary saying the directory is read-only
      expect(output).not.toContain("failed to start");
      expect(output).not.toMatch(/^\s+at /m);
      expect(output).not.toContain("read-only");
      expect(output).not.toContain("npm run gen");
    }
  }, 120_000);

  it("gets no hint to make it again when only its list is shut (x without r: its marker is read)", async () => {
    chmodSync(ds, 0o311);
    const run = await start();
    expect(run.status, run.stderr).toBe(1);
    expect(run.stderr).toContain("The dataset cannot be read (1 problem):");
    expect(run.stderr).toContain(`${ds}: cannot read the dataset directory: permission denied`);
    expect(run.stderr).toMatch(/it is mode 311, .*\) list its files \(r\); give that user/);
    expect(run.stderr).not.toContain("npm run gen");
  }, 120_000);

  it("is named with the directory above it that shuts it off", async () => {
    chmodSync(ds, 0o755);
    chmodSync(base, 0o700);
    try {
      const run = await start();
      expect(run.status, run.stderr).toBe(1);
      expect(run.stderr).toContain(
        `kz-osce-graph: --data: ${ds}: cannot reach the dataset directory: permission denied: the directory above it ${base} (mode 700, owned by uid ${process.getuid!()} and gid ${process.getgid!()}) does not let this process`,
      );
      expect(run.stderr).not.toContain("does not exist");
    } finally {
      chmodSync(base, 0o755);
    }
  }, 120_000);
});
