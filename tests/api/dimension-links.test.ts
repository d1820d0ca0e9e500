/**
 * The dimensions of offices, and why the graph gives them (the audit of 5 December, finding 3):
 * the document assigns no office to a dimension, so each link the graph keeps carries its
 * editorial provenance, in `Office.dimensionLinks` and on each edge of `Dimension.offices`, and a
 * link no reader would take as background (the HCNM's) is left out.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { graphql } from "../gql/index.js";
import { query, startServer, type TestServer } from "../support/server.js";

describe("offices' dimensions and their provenance (built-in data)", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(() => server.close());

  const DimensionLinksDocument = graphql(`
    query DimensionLinks {
      hcnm: office(key: "hcnm") { dimensions { key } dimensionLinks { dimension { key } } }
      field: office(key: "osce-field-office-kazakhstan") {
        dimensions { key }
        dimensionLinks { dimension { key } provenance { kind text } }
      }
      offices(first: 100) { nodes { key dimensions { key } dimensionLinks { dimension { key } provenance { kind } } } }
      dimensions {
        nodes {
          key
          offices { edges { node { key } provenance { kind text } } }
        }
      }
    }
  `);

  it("leaves out the HCNM's dimension, which the document never gives and no reader takes as background", async () => {
    const data = await query(server, DimensionLinksDocument);
    expect(data.hcnm).toEqual({ dimensions: [], dimensionLinks: [] });
    const politicoMilitary = data.dimensions.nodes.find(
      (d) => d.key === "dimension/politico-military",
    )!;
    expect(politicoMilitary.offices.edges.map((e) => e.node.key)).toEqual([
      "office/forum-for-security-co-operation",
      "office/osce-field-office-kazakhstan",
    ]);
  });

  it("gives each link of every office its provenance, an editorial note among it, in the order of `dimensions`", async () => {
    const data = await query(server, DimensionLinksDocument);
    let links = 0;
    for (const office of data.offices.nodes) {
      expect(office.dimensionLinks.map((l) => l.dimension.key)).toEqual(
        office.dimensions.map((d) => d.key),
      );
      for (const link of office.dimensionLinks) {
        links++;
        // the document assigns no office to a dimension: no link stands on quotes alone
        expect(link.provenance.map((p) => p.kind)).toContain("EDITORIAL");
      }
    }
    expect(links).toBe(6);
    expect(data.field!.dimensionLinks[2]).toEqual({
      dimension: { key: "dimension/human" },
      provenance: [
        {
          kind: "QUOTE",
          text: expect.stringMatching(/^Cooperation is held in all three dimensions/),
        },
        { kind: "QUOTE", text: "its field mission - OSCE Programmme Office in Astana" },
        {
          kind: "EDITORIAL",
          text: expect.stringMatching(/we take it to work in all three\.$/),
        },
      ],
    });
  });

  it("gives each edge of a dimension's offices the link's provenance, the same as the office's", async () => {
    const data = await query(server, DimensionLinksDocument);
    const human = data.dimensions.nodes.find((d) => d.key === "dimension/human")!;
    expect(
      human.offices.edges.map((e) => [e.node.key, e.provenance.map((p) => p.text.slice(0, 30))]),
    ).toEqual([
      ["office/odihr", ["ODIHR is the OSCE's principal "]],
      ["office/representative-on-freedom-of-the-media", ["Freedom of the media is part o"]],
      [
        "office/osce-field-office-kazakhstan",
        [
          "Cooperation is held in all thr",
          "its field mission - OSCE Progr",
          "The document says the cooperat",
        ],
      ],
    ]);
    expect(human.offices.edges.find((e) => e.node.key.endsWith("field-office-kazakhstan"))).toEqual(
      {
        node: { key: "office/osce-field-office-kazakhstan" },
        provenance: data.field!.dimensionLinks[2]!.provenance,
      },
    );
  });
});
