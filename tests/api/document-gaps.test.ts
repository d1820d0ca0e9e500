/**
 * Facts the document states that the API could not give (the audit of 5 December, finding 20),
 * asked through the API: each answer is the document's, with its quote.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { graphql } from "../gql/index.js";
import { query, startServer, type TestServer } from "../support/server.js";

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.close());

const RENAMING_LINE =
  "June 21, 2007 - Decision of the Permanent Council on renaming of the OSCE Centre into the OSCE Centre in Astana.";

describe('the office the 2007 decision calls "the OSCE Centre"', () => {
  it("is the field office, by that name as the document's spelling, quoted from the decision's line", async () => {
    const data = await query(
      server,
      graphql(`
        query OfficeCalledOsceCentre {
          offices(filter: { anyName: { eq: "OSCE Centre" } }) {
            nodes {
              key
              names(filter: { text: { eq: "OSCE Centre" } }) {
                kind
                provenance { kind text }
              }
            }
          }
        }
      `),
    );
    const [office, ...others] = data.offices?.nodes ?? [];
    expect(others).toEqual([]);
    expect(office?.key).toBe("office/osce-field-office-kazakhstan");
    const [name] = office?.names ?? [];
    expect(name?.kind).toBe("DOCUMENT_SPELLING");
    const [quote] = name?.provenance ?? [];
    expect(quote?.kind).toBe("QUOTE");
    // the quote states the name, in the decision's line (validation holds it verbatim)
    expect(RENAMING_LINE).toContain(quote?.text);
    expect(quote?.text).toContain("the OSCE Centre into");
  });

  it("is no name of its history: the names it bore, and its name on the decision's day, are as before", async () => {
    const data = await query(
      server,
      graphql(`
        query OfficeNamesBesideOsceCentre {
          office(key: "osce-field-office-kazakhstan") {
            nameHistory { nodes { name } }
            namesOn(date: "2007-06-21") { name { name } certainty }
            formerNames: names(filter: { kind: { eq: FORMER_NAME } }) { text }
          }
        }
      `),
    );
    expect(data.office?.nameHistory.nodes.map((n) => n.name)).toEqual([
      "OSCE Centre in Almaty",
      "OSCE Centre in Astana",
      "OSCE Programme Office in Astana",
    ]);
    expect(data.office?.namesOn.map((n) => `${n.certainty} ${n.name.name}`)).toEqual([
      "YES OSCE Centre in Astana",
      "YES OSCE Centre in Almaty",
    ]);
    expect(data.office?.formerNames.map((n) => n.text)).toEqual([
      "OSCE Centre in Almaty",
      "OSCE Centre in Astana",
    ]);
  });
});
