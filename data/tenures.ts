import type { DatasetInput } from "../src/graph/model.js";
import { editorial, q } from "./sources.js";

const TROIKA_FROM_1992 = editorial(
  "The document gives only the end of Kazakhstan's time in the Troika; its start is unknown, but not before Kazakhstan became an OSCE participating State in 1992 (bounded by its accession): a place in the OSCE's Troika is a participating State's.",
);

export const tenures: DatasetInput["tenures"] = [
  {
    id: "tenure/gyorgy-szabo-head-of-programme-office",
    post: "post/head-of-osce-field-office-kazakhstan",
    holder: "person/gyorgy-szabo",
    timing: "PERIOD",
    when: {
      edtf: "2016-02-09/..",
      wording: "Since February 9, 2016",
      provenance: [
        q(
          "Since February 9, 2016 - The OSCE Programmme Office in Astana is headed by Hungarian Ambassador Gyorgy Sabo.",
        ),
      ],
    },
    provenance: [
      q("The OSCE Programmme Office in Astana is headed by Hungarian Ambassador Gyorgy Sabo."),
    ],
  },
  {
    id: "tenure/madina-jarbussynova-special-representative",
    post: "post/special-representative-on-trafficking",
    holder: "person/madina-jarbussynova",
    timing: "PERIOD",
    when: {
      edtf: "2014-09/",
      wording: "September 2014",
      provenance: [
        q("September 2014 - Kazakh diplomat MadinaDzharbusynova is appointed"),
        editorial(
          "The document gives no end and does not say she still held the post when it was updated: the end is unknown.",
        ),
      ],
      // the note is of the end only: the start's entry cites the line
      boundProvenance: {
        start: [q("September 2014 - Kazakh diplomat MadinaDzharbusynova is appointed")],
      },
    },
    provenance: [
      q(
        "MadinaDzharbusynova is appointed as the OSCE Special Representative on Combating Trafficking in Human Beings",
      ),
    ],
  },
  {
    id: "tenure/nursultan-nazarbayev-president-at-astana-summit",
    post: "post/president-of-kazakhstan",
    holder: "person/nursultan-nazarbayev",
    timing: "POINT_IN_TIME",
    when: {
      edtf: "2010-12-01/2010-12-02",
      wording: "December 1-2, 2010",
      provenance: [
        q(
          "December 1-2, 2010 - The Astana OSCE Summit is held under the Chairmanship of the President of the Republic of Kazakhstan NursultanNazarbayev.",
        ),
      ],
    },
    provenance: [q("the President of the Republic of Kazakhstan NursultanNazarbayev")],
  },
  {
    id: "tenure/kazakhstan-osce-chairmanship-2010",
    post: "post/osce-chairmanship",
    holder: "state/kazakhstan",
    timing: "PERIOD",
    when: {
      edtf: "2010",
      wording: "2010",
      provenance: [
        q("2010 – Kazakhstan’s OSCE Chairmanship."),
        q("Kazakhstan’s Chairmanship in 2010"),
      ],
    },
    provenance: [q("2010 – Kazakhstan’s OSCE Chairmanship.")],
  },
  {
    id: "tenure/kazakhstan-fsc-chairmanship-2011",
    post: "post/chairmanship-of-the-fsc",
    holder: "state/kazakhstan",
    timing: "PERIOD",
    when: {
      edtf: "2011-09/2011-12",
      wording: "September-December 2011",
      provenance: [
        q(
          "September-December 2011 - Kazakhstan's Chairmanship in the Forum for Security Co-operation (FSC).",
        ),
      ],
    },
    provenance: [q("Kazakhstan's Chairmanship in the Forum for Security Co-operation (FSC)")],
  },
  {
    id: "tenure/kazakhstan-osce-troika",
    post: "post/member-of-the-osce-troika",
    holder: "state/kazakhstan",
    timing: "PERIOD",
    when: {
      edtf: "/2011-12",
      wording: "December 2011",
      startsNotBefore: "event/1992-kazakhstan-joins-the-osce",
      // the document gives no start: a NO before 1992 rests on the note alone
      assumed: { earliestStart: { note: TROIKA_FROM_1992 } },
      provenance: [
        q(
          'December 2011 - completion of the State program "Path to Europe" and the activities of the Republic of Kazakhstan in the "Troika" of the OSCE.',
        ),
        q("1992 - Kazakhstan becomes an OSCE participating State."),
        TROIKA_FROM_1992,
      ],
      // the accession and its note bound the start only: the end's entry cites the 2011 line
      boundProvenance: {
        start: [q("1992 - Kazakhstan becomes an OSCE participating State."), TROIKA_FROM_1992],
        end: [
          q(
            'December 2011 - completion of the State program "Path to Europe" and the activities of the Republic of Kazakhstan in the "Troika" of the OSCE.',
          ),
        ],
      },
    },
    provenance: [q('the activities of the Republic of Kazakhstan in the "Troika" of the OSCE')],
  },
];
