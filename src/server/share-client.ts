/**
 * Who brought a request, for the rules that share a resource between clients (the RDF export
 * slots, export-routes.ts; the queue of executions load shedding reads, pressure.ts): the
 * connection's address, never a header's (`X-Forwarded-For` is whatever the client writes).
 * Behind a proxy every request has the proxy's address, and these rules see one client.
 */
import { isIP } from "node:net";

/**
 * The client a request counts for in the share rules, from its connection's address: an IPv4
 * address whole (`::ffff:192.0.2.7`, as a dual-stack socket gives one, is `192.0.2.7`); an IPv6
 * address by its /64 prefix (`2001:db8:0:1::/64`), since a host is given a /64 and may take any
 * address of it for each connection (RFC 8981's temporary addresses change by themselves). Not an
 * IP address (a Unix socket's, none): as it is.
 */
export function shareClient(address: string): string {
  if (isIP(address) === 4) return address;
  const [bare] = address.split("%"); // a zone (fe80::1%eth0) names the interface, not the host
  if (isIP(bare!) !== 6) return address;
  const groups = ipv6Groups(bare!);
  const mapped = groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff;
  if (mapped)
    return [groups[6]! >> 8, groups[6]! & 255, groups[7]! >> 8, groups[7]! & 255].join(".");
  return `${groups
    .slice(0, 4)
    .map((g) => g.toString(16))
    .join(":")}::/64`;
}

/** Each connection's client, worked out at its first request (`clientOf`). */
const clients = new WeakMap<object, string>();

/**
 * `shareClient` of a connection's address, worked out once per connection: it was asked once
 * per execution and once per big compression, and again for each request on a kept-alive
 * connection, 4-6 µs each time for an IPv6 address or an IPv4 one mapped into IPv6 (as every IPv4
 * client of a server listening on `::` is), 0.01 µs once remembered (bench/share-client.ts,
 * results/2026-12-06-share-client-once.txt). A connection's peer never changes; a socket whose
 * address is not known (gone before it was read: node keeps none) is not remembered, and counts
 * as the address "" as before.
 */
export function clientOf(socket: { remoteAddress?: string | undefined }): string {
  const known = clients.get(socket);
  if (known !== undefined) return known;
  const address = socket.remoteAddress;
  if (address === undefined) return shareClient("");
  const client = shareClient(address);
  clients.set(socket, client);
  return client;
}

/** The eight 16-bit groups of a valid IPv6 address (`::` expanded, a dotted IPv4 tail read as two). */
function ipv6Groups(address: string): number[] {
  const parts = (text: string): number[] => {
    if (text === "") return [];
    return text.split(":").flatMap((part) => {
      if (!part.includes(".")) return [Number.parseInt(part, 16)];
      const [a, b, c, d] = part.split(".").map(Number) as [number, number, number, number];
      return [(a << 8) | b, (c << 8) | d];
    });
  };
  const gap = address.indexOf("::");
  if (gap < 0) return parts(address);
  const head = parts(address.slice(0, gap));
  const tail = parts(address.slice(gap + 2));
  return [...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail];
}
