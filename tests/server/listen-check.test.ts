/**
 * Where the server listens, tried before the dataset's load (src/server/listen-check.ts): each
 * way a listen fails gets a line naming the setting and what to do, and the probe lets go of the
 * port it took.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  checkListenable,
  listenProblem,
  unprivilegedPortStart,
} from "../../src/server/listen-check.js";

/** An error as a listen gives it: a message and an errno code. */
const failure = (code: string, message: string) => Object.assign(new Error(message), { code });

describe("listenProblem", () => {
  it("says for each errno which setting is wrong and what to do", () => {
    const rows: [string, string, string][] = [
      [
        "ENOTFOUND",
        "getaddrinfo ENOTFOUND abc",
        '--host/HOST "abc" is not a name this machine can resolve (getaddrinfo ENOTFOUND abc): give an address of this machine, 127.0.0.1 (this machine only) or 0.0.0.0 (every interface), or a host name that resolves to one',
      ],
      [
        "EAI_AGAIN",
        "getaddrinfo EAI_AGAIN abc",
        '--host/HOST "abc" could not be resolved now: the name server did not answer (getaddrinfo EAI_AGAIN abc); check this machine\'s DNS, or give an IP address',
      ],
      [
        "EADDRNOTAVAIL",
        "listen EADDRNOTAVAIL: address not available abc",
        '--host/HOST "abc" is not an address of this machine (listen EADDRNOTAVAIL: address not available abc): give one of its addresses, 127.0.0.1 (this machine only) or 0.0.0.0 (every interface)',
      ],
      [
        "EINVAL",
        "listen EINVAL: invalid argument abc",
        '--host/HOST "abc" cannot be listened on (listen EINVAL: invalid argument abc): a link-local IPv6 address needs its interface (fe80::1%eth0)',
      ],
      [
        "EAFNOSUPPORT",
        "listen EAFNOSUPPORT abc",
        '--host/HOST "abc" is an IPv6 address, and IPv6 is off on this machine (listen EAFNOSUPPORT abc): give 0.0.0.0 or 127.0.0.1',
      ],
      [
        "EADDRINUSE",
        "listen EADDRINUSE: address already in use abc:80",
        "listen EADDRINUSE: address already in use abc:80: is another server running on that port? Stop it, or choose another port with --port/PORT (0: any free port)",
      ],
      [
        "EACCES",
        "listen EACCES: permission denied abc:80",
        "listen EACCES: permission denied abc:80: port 80 is reserved to privileged processes on this machine (below 1024: net.ipv4.ip_unprivileged_port_start); choose one from 1024 up with --port/PORT, or give the process the right to bind it (CAP_NET_BIND_SERVICE)",
      ],
      ["EMFILE", "too many", '--host/HOST "abc", port 80, cannot be listened on: too many'],
    ];
    for (const [code, message, said] of rows)
      expect(listenProblem(failure(code, message), "abc", 80, 1024)).toBe(said);
  });

  it("tells a privileged port from one a security policy refuses, by the machine's own bound", () => {
    const refused = failure("EACCES", "listen EACCES: permission denied 0.0.0.0:8080");
    // ports from 1024 up are open to everyone: a policy refused 8080, no port number will help
    expect(listenProblem(refused, "0.0.0.0", 8080, 1024)).toContain(
      "this process is not allowed to listen on port 8080, though ports from 1024 up are open to every process here: a security policy",
    );
    // a machine that reserves more (or fewer) ports than the usual 1024 is quoted as it is
    expect(listenProblem(refused, "0.0.0.0", 8080, 10_000)).toContain(
      "port 8080 is reserved to privileged processes on this machine (below 10000: net.ipv4.ip_unprivileged_port_start); choose one from 10000 up",
    );
    // where the bound cannot be read (not Linux), no number is claimed for this machine
    expect(listenProblem(refused, "0.0.0.0", 8080, undefined)).toBe(
      "listen EACCES: permission denied 0.0.0.0:8080: port 8080 may be reserved to privileged processes (below 1024 on most systems); choose another with --port/PORT",
    );
  });
});

describe("unprivilegedPortStart", () => {
  it("reads the bound from its file, and answers undefined for a missing or garbled one", () => {
    const dir = mkdtempSync(join(tmpdir(), "kz-osce-ports-"));
    try {
      const file = join(dir, "ip_unprivileged_port_start");
      writeFileSync(file, "1024\n");
      expect(unprivilegedPortStart(file)).toBe(1024);
      writeFileSync(file, "0\n");
      expect(unprivilegedPortStart(file)).toBe(0);
      writeFileSync(file, "abc\n");
      expect(unprivilegedPortStart(file)).toBeUndefined();
      expect(unprivilegedPortStart(join(dir, "missing"))).toBeUndefined();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("checkListenable", () => {
  it("listens, answers the address it listened on, and lets the port go at once", async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, "127.0.0.1", resolve));
    const { port } = taken.address() as { port: number };
    await new Promise<void>((resolve) => taken.close(() => resolve()));
    expect(await checkListenable("localhost", port)).toMatch(/^(127\.0\.0\.1|::1)$/);
    // free again: listened on, once the probe let go
    const again = createServer();
    await new Promise<void>((resolve, reject) => {
      again.once("error", reject);
      again.listen(port, "127.0.0.1", resolve);
    });
    await new Promise<void>((resolve) => again.close(() => resolve()));
  });

  it("rejects with the words of listenProblem, naming the setting", async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, "127.0.0.1", resolve));
    const { port } = taken.address() as { port: number };
    try {
      await expect(checkListenable("127.0.0.1", port)).rejects.toMatchObject({
        name: "ListenError",
        message: `listen EADDRINUSE: address already in use 127.0.0.1:${port}: is another server running on that port? Stop it, or choose another port with --port/PORT (0: any free port)`,
      });
    } finally {
      await new Promise<void>((resolve) => taken.close(() => resolve()));
    }
  });
});
