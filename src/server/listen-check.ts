/**
 * Where the server listens (`--host`/HOST, `--port`/PORT), tried before the dataset is loaded.
 * The load takes seconds at 100k entities and minutes at a million without a snapshot: a host that
 * is no address of this machine, a name that does not resolve, or a port in use or reserved was
 * said only after it, and as Node's error with its stack (`failed to start: Error: getaddrinfo
 * ENOTFOUND ...`). Now each is refused at once, in words that say which setting and what to do.
 * The port is let go at once, and taken again once the dataset is loaded (another process may take
 * it meanwhile: that listen's error then gets the same words).
 */
import { readFileSync } from "node:fs";
import { type AddressInfo, createServer } from "node:net";

/**
 * The lowest port an unprivileged process may listen on here: Linux's
 * `net.ipv4.ip_unprivileged_port_start` (1024 unless set otherwise; 0 in some containers), or
 * undefined where it cannot be read (not Linux).
 */
export function unprivilegedPortStart(
  file = "/proc/sys/net/ipv4/ip_unprivileged_port_start",
): number | undefined {
  try {
    const value = Number.parseInt(readFileSync(file, "utf8"), 10);
    return Number.isInteger(value) && value >= 0 ? value : undefined;
  } catch {
    return undefined;
  }
}

/**
 * What is wrong with listening on `host`:`port`, from the error a listen gave, and what to do.
 * `unprivilegedFrom`: unprivilegedPortStart's answer, which tells a port reserved to privileged
 * processes from one a security policy refuses.
 */
export function listenProblem(
  error: unknown,
  host: string,
  port: number,
  unprivilegedFrom: number | undefined,
): string {
  const code = (error as NodeJS.ErrnoException)?.code;
  const message = (error as Error)?.message ?? String(error);
  const where = `--host/HOST "${host}"`;
  switch (code) {
    case "ENOTFOUND":
      return `${where} is not a name this machine can resolve (${message}): give an address of this machine, 127.0.0.1 (this machine only) or 0.0.0.0 (every interface), or a host name that resolves to one`;
    case "EAI_AGAIN":
    case "EAI_FAIL":
      return `${where} could not be resolved now: the name server did not answer (${message}); check this machine's DNS, or give an IP address`;
    case "EADDRNOTAVAIL":
      return `${where} is not an address of this machine (${message}): give one of its addresses, 127.0.0.1 (this machine only) or 0.0.0.0 (every interface)`;
    case "EINVAL":
      return `${where} cannot be listened on (${message}): a link-local IPv6 address needs its interface (fe80::1%eth0)`;
    case "EAFNOSUPPORT":
      return `${where} is an IPv6 address, and IPv6 is off on this machine (${message}): give 0.0.0.0 or 127.0.0.1`;
    case "EADDRINUSE":
      return `${message}: is another server running on that port? Stop it, or choose another port with --port/PORT (0: any free port)`;
    case "EACCES":
      if (unprivilegedFrom === undefined)
        return `${message}: port ${port} may be reserved to privileged processes (below 1024 on most systems); choose another with --port/PORT`;
      if (port < unprivilegedFrom)
        return `${message}: port ${port} is reserved to privileged processes on this machine (below ${unprivilegedFrom}: net.ipv4.ip_unprivileged_port_start); choose one from ${unprivilegedFrom} up with --port/PORT, or give the process the right to bind it (CAP_NET_BIND_SERVICE)`;
      return `${message}: this process is not allowed to listen on port ${port}, though ports from ${unprivilegedFrom} up are open to every process here: a security policy (SELinux, AppArmor, a container's or a service manager's restrictions) refuses it; choose another with --port/PORT, or allow it there`;
    default:
      return `${where}, port ${port}, cannot be listened on: ${message}`;
  }
}

/**
 * Listens on `host`:`port` (its port 0: any, when `port` is 0) and lets go at once; resolves
 * with the address it listened on (a host name looked up once: the server then listens on that
 * address rather than asking the name server again), rejects with an Error of listenProblem's
 * words (name `ListenError`) when it cannot.
 */
export async function checkListenable(host: string, port: number): Promise<string> {
  const server = createServer();
  try {
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen({ host, port }, resolve);
    });
    return (server.address() as AddressInfo).address;
  } catch (error) {
    throw Object.assign(new Error(listenProblem(error, host, port, unprivilegedPortStart())), {
      name: "ListenError",
    });
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
