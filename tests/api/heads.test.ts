/**
 * Who headed an office (the audit of 5 December, finding 8): `Office.heads` gives the tenures of
 * the posts that head the office, HEAD_OF_OFFICE posts and a post the data says heads its office
 * (`Post.headsOffice`), so the Special Representative heads the Office of the Special
 * Representative; a chairmanship does not head the OSCE Chairmanship's office.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { graphql } from "../gql/index.js";
import { query, startServer, type TestServer } from "../support/server.js";

describe("Office.heads (built-in data)", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(() => server.close());

  const HeadsDocument = graphql(`
    query Heads {
      trafficking: office(key: "special-representative-on-trafficking") {
        heads { totalCount nodes { holder { ... on Entity { key } } when { edtf } } }
        in2015: heads(asOf: "2015") { edges { certainty node { key } } }
        in2013: heads(asOf: "2013", certainty: [NO]) { edges { certainty node { key } } }
        posts { nodes { key kind headsOffice evidence { field provenance { kind } } } }
      }
      field: office(key: "osce-field-office-kazakhstan") { heads { nodes { key } } }
      chairmanship: office(key: "osce-chairmanship") {
        heads { totalCount }
        tenures { totalCount }
        posts { nodes { kind headsOffice } }
      }
    }
  `);

  it("names Madina Jarbussynova as head of the Office of the Special Representative, from September 2014, MAYBE in 2015", async () => {
    const data = await query(server, HeadsDocument);
    expect(data.trafficking!.heads).toEqual({
      totalCount: 1,
      nodes: [{ holder: { key: "person/madina-jarbussynova" }, when: { edtf: "2014-09/" } }],
    });
    // her end is unknown: MAYBE in 2015; she was not yet appointed in 2013
    expect(data.trafficking!.in2015.edges).toEqual([
      { certainty: "MAYBE", node: { key: "tenure/madina-jarbussynova-special-representative" } },
    ]);
    expect(data.trafficking!.in2013.edges).toEqual([
      { certainty: "NO", node: { key: "tenure/madina-jarbussynova-special-representative" } },
    ]);
    expect(data.trafficking!.posts.nodes).toEqual([
      {
        key: "post/special-representative-on-trafficking",
        kind: "SPECIAL_REPRESENTATIVE",
        headsOffice: true,
        evidence: [
          { field: "name", provenance: [{ kind: "QUOTE" }] },
          // the office's name and the post's are worded apart: a note says they are one
          {
            field: "office",
            provenance: [{ kind: "QUOTE" }, { kind: "QUOTE" }, { kind: "EDITORIAL" }],
          },
          { field: "headsOffice", provenance: [{ kind: "QUOTE" }, { kind: "EDITORIAL" }] },
        ],
      },
    ]);
  });

  it("keeps the field office's head, and gives a chairmanship's office no head", async () => {
    const data = await query(server, HeadsDocument);
    expect(data.field!.heads.nodes).toEqual([
      { key: "tenure/gyorgy-szabo-head-of-programme-office" },
    ]);
    expect(data.chairmanship).toEqual({
      heads: { totalCount: 0 },
      tenures: { totalCount: 1 },
      posts: { nodes: [{ kind: "CHAIRMANSHIP", headsOffice: false }] },
    });
  });
});
