/**
 * The export slots' share rule counts clients, not addresses (src/server/export-routes.ts,
 * `shareClient`, `overShare`): an IPv6 host is given a /64 and may take any address of it for
 * each connection, so two exports from two addresses of one /64 counted as two clients and held
 * both slots against every other client, as one address could before the rule (the closing note
 * of 5 December). The rule over real connections is export-stream.test's; these are unit-level,
 * since a test machine reaches a server on IPv6 from ::1 alone.
 */
import { describe, expect, it } from "vitest";
import { overShare } from "../../src/server/export-routes.js";
import { clientOf, shareClient } from "../../src/server/share-client.js";

describe("shareClient", () => {
  it("counts an IPv6 address by its /64, however it is written", () => {
    const prefix = "2001:db8:0:1::/64";
    for (const address of [
      "2001:db8:0:1::1",
      "2001:db8:0:1:ffff:ffff:ffff:ffff",
      "2001:0db8:0000:0001:0000:0000:0000:0abc",
      "2001:DB8:0:1:a:b:c:d",
      "2001:db8:0:1:0:0:192.0.2.1",
      "2001:db8:0:1::1%eth0",
    ])
      expect(shareClient(address), address).toBe(prefix);
    expect(shareClient("2001:db8:0:2::1")).toBe("2001:db8:0:2::/64");
    expect(shareClient("2001:db8::1")).toBe("2001:db8:0:0::/64");
    expect(shareClient("::1")).toBe("0:0:0:0::/64");
    expect(shareClient("fe80::1%lo")).toBe("fe80:0:0:0::/64");
  });

  it("counts an IPv4 address whole, mapped into IPv6 or not", () => {
    expect(shareClient("192.0.2.7")).toBe("192.0.2.7");
    expect(shareClient("192.0.2.8")).toBe("192.0.2.8");
    expect(shareClient("::ffff:192.0.2.7")).toBe("192.0.2.7");
    expect(shareClient("::ffff:c000:207")).toBe("192.0.2.7");
    expect(shareClient("0:0:0:0:0:ffff:192.0.2.7")).toBe("192.0.2.7");
  });

  it("leaves anything else as it is", () => {
    expect(shareClient("")).toBe("");
    expect(shareClient("not an address")).toBe("not an address");
  });
});

describe("clientOf, a connection's client worked out once", () => {
  /** A socket whose address is read through a getter that counts its reads. */
  const socket = (address: string | undefined) => {
    const made = {
      reads: 0,
      address,
      get remoteAddress() {
        made.reads++;
        return made.address;
      },
    };
    return made;
  };

  it("gives each connection shareClient of its address, and reads the address once", () => {
    const addresses = ["2001:db8:0:1::1", "2001:db8:0:2::1", "::ffff:192.0.2.7", "192.0.2.8", "x"];
    const sockets = addresses.map(socket);
    // asked in turn, three rounds, as requests on kept-alive connections interleave
    for (let round = 0; round < 3; round++)
      sockets.forEach((s, i) => {
        expect(clientOf(s), addresses[i]).toBe(shareClient(addresses[i]!));
      });
    expect(sockets.map((s) => s.reads)).toEqual(addresses.map(() => 1));
    // two connections from one /64 are one client, each worked out on its own
    const again = socket("2001:db8:0:1::ffff");
    expect(clientOf(again)).toBe("2001:db8:0:1::/64");
    expect(again.reads).toBe(1);
  });

  it("does not remember a connection whose address is not known: it counts as '' until it is", () => {
    const early = socket(undefined);
    expect(clientOf(early)).toBe("");
    early.address = "192.0.2.9";
    expect(clientOf(early)).toBe("192.0.2.9");
    expect(clientOf(early)).toBe("192.0.2.9");
    expect(early.reads).toBe(2);
  });
});

describe("the share rule, by client", () => {
  /** Slots taken from `addresses`, in that order, each having sent `sent` bytes. */
  const slots = (...addresses: string[]) =>
    addresses.map((address, i) => ({ address, client: shareClient(address), sent: 1000 - i }));

  it("cuts off an export of two held from one /64 for a newcomer of another", () => {
    const held = slots("2001:db8:0:1::a", "2001:db8:0:1::b");
    const over = overShare(held, shareClient("2001:db8:0:2::1"), 2);
    // each address alone would have been a client of its own: three asking for two slots, a
    // share of none, and nothing taken
    expect(over).toEqual({ slot: held[1], held: 2, share: 1 });
  });

  it("does not cut off one /64's exports for a newcomer of the same /64", () => {
    expect(
      overShare(slots("2001:db8:0:1::a", "2001:db8:0:1::b"), shareClient("2001:db8:0:1::c"), 2),
    ).toBeUndefined();
  });

  it("keeps two addresses of different /64s, and two IPv4 addresses, apart", () => {
    expect(
      overShare(slots("2001:db8:0:1::a", "2001:db8:0:2::a"), shareClient("2001:db8:0:3::a"), 2),
    ).toBeUndefined();
    expect(overShare(slots("192.0.2.7", "192.0.2.8"), shareClient("192.0.2.9"), 2)).toBeUndefined();
  });

  it("counts an IPv4 address mapped into IPv6 as the same client", () => {
    const held = slots("::ffff:192.0.2.7", "192.0.2.7");
    expect(overShare(held, shareClient("192.0.2.9"), 2)?.slot).toBe(held[1]);
    expect(overShare(held, shareClient("::ffff:192.0.2.7"), 2)).toBeUndefined();
  });
});
