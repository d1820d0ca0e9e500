import type { DatasetInput, Editorial, Provenance } from "../src/graph/model.js";

export const SOURCE = "source/kazakhstan-osce-cooperation" as const;

/** A verbatim quote of the source document (a test proves each one occurs in it). */
export const q = (quote: string): Provenance => ({ source: SOURCE, quote });
/** A background fact the document takes for granted, with the reason we assert it. */
export const editorial = (reason: string): Editorial => ({ editorial: reason });

export const sources: DatasetInput["sources"] = [
  {
    id: SOURCE,
    name: {
      text: "Cooperation between the Republic of Kazakhstan and the Organization for Security and Cooperation in Europe",
      provenance: [
        q(
          "Cooperation between the Republic of Kazakhstan and the Organization for Security and Cooperation in Europe",
        ),
      ],
    },
    file: "kazakhstan-osce-cooperation.txt",
    created: {
      edtf: "2013-12-04",
      wording: "Created at : 4.12.2013",
      provenance: [q("Created at : 4.12.2013, 19:36")],
    },
    updated: {
      edtf: "2016-03-18",
      wording: "Updated at : 18.03.2016",
      provenance: [q("Updated at : 18.03.2016, 19:31")],
    },
    // The source gives the minute but no time zone: the times are local, as written.
    createdAt: {
      dateTime: "2013-12-04T19:36",
      wording: "Created at : 4.12.2013, 19:36",
      provenance: [q("Created at : 4.12.2013, 19:36")],
    },
    updatedAt: {
      dateTime: "2016-03-18T19:31",
      wording: "Updated at : 18.03.2016, 19:31",
      provenance: [q("Updated at : 18.03.2016, 19:31")],
    },
    provenance: [
      editorial("The document this dataset is built from, kept verbatim beside the seed modules."),
    ],
  },
];
