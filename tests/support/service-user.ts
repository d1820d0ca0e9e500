/**
 * Who a test runs the server as where a permission is under test: `nobody` (uid 65534) when the
 * tests run as root, whom no mode shuts out, as a service does; as any other user, as that user,
 * whom the mode shuts out as well.
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";

export const SERVICE_USER: { uid?: number; gid?: number } =
  process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};

/**
 * Whether that user can load the server's code in `root` at all: not from a checkout it cannot
 * reach (a clone in `mktemp -d`, made 700 by root: `Cannot find package 'tsx'`). The CI run's
 * clone (in /tmp, 755) can; where it cannot, the tests that need it are skipped, saying why.
 */
export function serviceUserReaches(root: string): boolean {
  return (
    SERVICE_USER.uid === undefined ||
    spawnSync(
      process.execPath,
      [
        "-e",
        `require("node:fs").accessSync(${JSON.stringify(join(root, "node_modules/tsx/package.json"))})`,
      ],
      { ...SERVICE_USER, stdio: "ignore" },
    ).status === 0
  );
}
