import type { DatasetInput } from "../src/graph/model.js";
import { editorial, q } from "./sources.js";

const L = {
  accession: "1992 - Kazakhstan becomes an OSCE participating State.",
  opened1995:
    "1995 – Opening of the Permanent Mission of the Republic of Kazakhstan to the OSCE (Vienna) and the Regional Office in Central Asia (Tashkent).",
  opened1999: "1999 – Opening of the OSCE Center in Almaty.",
  renamed2007:
    "June 21, 2007 - Decision of the Permanent Council on renaming of the OSCE Centre into the OSCE Centre in Astana.",
  madrid2007:
    "December 2007 - Decision of the OSCE Ministerial Council in Madrid on Kazakhstan’s Chairmanship in 2010.",
  chair2010: "2010 – Kazakhstan’s OSCE Chairmanship.",
  almaty2010:
    "July 16-17, 2010 - informal OSCE Ministerial Council in Almaty, decision to hold the OSCE Summit in Kazakhstan.",
  summit2010:
    "December 1-2, 2010 - The Astana OSCE Summit is held under the Chairmanship of the President of the Republic of Kazakhstan NursultanNazarbayev.",
  fsc2011:
    "September-December 2011 - Kazakhstan's Chairmanship in the Forum for Security Co-operation (FSC).",
  troika2011:
    'December 2011 - completion of the State program "Path to Europe" and the activities of the Republic of Kazakhstan in the "Troika" of the OSCE.',
  appointed2014:
    "September 2014 - Kazakh diplomat MadinaDzharbusynova is appointed as the OSCE Special Representative on Combating Trafficking in Human Beings.",
  transformed2014:
    "December 18, 2014 – Decision of the Permanent Council on transformation of the OSCE Centre in Astana into the OSCE Programme Office in Astana.",
};

/** "The OSCE Summit in Kazakhstan" decided on in July 2010 is the Astana OSCE Summit of that December. */
const SUMMIT_IN_KAZAKHSTAN_IS_ASTANA = editorial(
  'The document decides in July 2010 "to hold the OSCE Summit in Kazakhstan" and names one OSCE Summit held in Kazakhstan after it, the Astana OSCE Summit of December 1-2, 2010: we take them to be the same summit.',
);

export const events: DatasetInput["events"] = [
  {
    id: "event/1992-kazakhstan-joins-the-osce",
    kind: "ACCESSION",
    name: { text: "Kazakhstan becomes an OSCE participating State", provenance: [q(L.accession)] },
    when: { edtf: "1992", wording: "1992", provenance: [q(L.accession)] },
    participants: [
      { ref: "state/kazakhstan", role: "SUBJECT", provenance: [q(L.accession)] },
      {
        ref: "office/osce",
        role: "JOINED",
        provenance: [
          q(L.accession),
          editorial(
            "In 1992 the Organization was still the Conference on Security and Co-operation in Europe (CSCE); the document calls it by its present name.",
          ),
        ],
      },
    ],
    provenance: [q(L.accession)],
  },
  {
    id: "event/1995-opening-of-the-permanent-mission",
    kind: "OPENING",
    name: {
      text: "Opening of the Permanent Mission of the Republic of Kazakhstan to the OSCE",
      provenance: [q(L.opened1995)],
    },
    when: { edtf: "1995", wording: "1995", provenance: [q(L.opened1995)] },
    place: {
      ref: "place/vienna",
      provenance: [
        q("Opening of the Permanent Mission of the Republic of Kazakhstan to the OSCE (Vienna)"),
      ],
    },
    participants: [
      {
        ref: "office/permanent-mission-of-kazakhstan",
        role: "SUBJECT",
        provenance: [q(L.opened1995)],
      },
    ],
    provenance: [q(L.opened1995)],
  },
  {
    id: "event/1995-opening-of-the-regional-office-in-central-asia",
    kind: "OPENING",
    name: {
      text: "Opening of the Regional Office in Central Asia",
      provenance: [
        q(L.opened1995),
        editorial(
          "One of the two openings the document's line gives together (the other: the Permanent Mission's).",
        ),
      ],
    },
    when: { edtf: "1995", wording: "1995", provenance: [q(L.opened1995)] },
    place: { ref: "place/tashkent", provenance: [q(L.opened1995)] },
    participants: [
      {
        ref: "office/regional-office-central-asia",
        role: "SUBJECT",
        provenance: [q(L.opened1995)],
      },
    ],
    provenance: [q(L.opened1995)],
  },
  {
    id: "event/1999-opening-of-the-osce-centre-in-almaty",
    kind: "OPENING",
    name: {
      text: "Opening of the OSCE Centre in Almaty",
      provenance: [
        q(L.opened1999),
        editorial(
          'The OSCE\'s own spelling "Centre"; the document writes "Center" here (see the alias) and "Centre" in its later lines.',
        ),
      ],
    },
    aliases: [
      {
        text: "Opening of the OSCE Center in Almaty",
        kind: "DOCUMENT_SPELLING",
        provenance: [q(L.opened1999)],
      },
    ],
    when: { edtf: "1999", wording: "1999", provenance: [q(L.opened1999)] },
    place: { ref: "place/almaty", provenance: [q(L.opened1999)] },
    participants: [
      {
        ref: "office/osce-field-office-kazakhstan",
        role: "SUBJECT",
        provenance: [q(L.opened1999)],
      },
    ],
    provenance: [q(L.opened1999)],
  },
  {
    id: "event/2007-06-21-permanent-council-renaming",
    kind: "DECISION",
    name: {
      text: "Permanent Council decision renaming the OSCE Centre into the OSCE Centre in Astana",
      provenance: [
        q(L.renamed2007),
        editorial(
          "A paraphrase of the document's line, whose words are the alias (DOCUMENT_SPELLING).",
        ),
      ],
    },
    aliases: [
      {
        text: "Decision of the Permanent Council on renaming of the OSCE Centre into the OSCE Centre in Astana",
        kind: "DOCUMENT_SPELLING",
        provenance: [q(L.renamed2007)],
      },
    ],
    when: { edtf: "2007-06-21", wording: "June 21, 2007", provenance: [q(L.renamed2007)] },
    participants: [
      { ref: "office/permanent-council", role: "DECIDING_BODY", provenance: [q(L.renamed2007)] },
      {
        ref: "office/osce-field-office-kazakhstan",
        role: "SUBJECT",
        provenance: [q(L.renamed2007)],
      },
    ],
    provenance: [q(L.renamed2007)],
  },
  {
    id: "event/2007-12-ministerial-council-decision-on-chairmanship",
    kind: "DECISION",
    name: {
      text: "Ministerial Council decision in Madrid on Kazakhstan's Chairmanship in 2010",
      provenance: [
        q(L.madrid2007),
        editorial(
          'A shortened form of the document\'s line ("Decision of the OSCE Ministerial Council in Madrid on ..."), which is quoted.',
        ),
      ],
    },
    when: { edtf: "2007-12", wording: "December 2007", provenance: [q(L.madrid2007)] },
    place: { ref: "place/madrid", provenance: [q(L.madrid2007)] },
    participants: [
      { ref: "office/ministerial-council", role: "DECIDING_BODY", provenance: [q(L.madrid2007)] },
      { ref: "state/kazakhstan", role: "SUBJECT", provenance: [q(L.madrid2007)] },
      {
        ref: "event/2010-kazakhstan-osce-chairmanship",
        role: "SUBJECT",
        provenance: [q(L.madrid2007)],
      },
    ],
    provenance: [q(L.madrid2007)],
  },
  {
    id: "event/2010-kazakhstan-osce-chairmanship",
    kind: "CHAIRMANSHIP",
    name: { text: "Kazakhstan's OSCE Chairmanship", provenance: [q(L.chair2010)] },
    when: { edtf: "2010", wording: "2010", provenance: [q(L.chair2010)] },
    participants: [
      {
        ref: "state/kazakhstan",
        role: "SUBJECT",
        capacity: "tenure/kazakhstan-osce-chairmanship-2010",
        provenance: [q(L.chair2010)],
      },
      { ref: "office/osce-chairmanship", role: "SUBJECT", provenance: [q(L.chair2010)] },
    ],
    provenance: [q(L.chair2010)],
  },
  {
    id: "event/2010-07-informal-ministerial-council-in-almaty",
    kind: "MEETING",
    name: { text: "Informal OSCE Ministerial Council in Almaty", provenance: [q(L.almaty2010)] },
    description: {
      text: "Decided to hold the OSCE Summit in Kazakhstan.",
      provenance: [
        q("decision to hold the OSCE Summit in Kazakhstan"),
        editorial("The document's words as a sentence: it records the meeting's decision."),
      ],
    },
    when: {
      edtf: "2010-07-16/2010-07-17",
      wording: "July 16-17, 2010",
      provenance: [q(L.almaty2010)],
    },
    place: { ref: "place/almaty", provenance: [q("informal OSCE Ministerial Council in Almaty")] },
    participants: [
      {
        ref: "office/ministerial-council",
        role: "CONVENING_BODY",
        provenance: [q("informal OSCE Ministerial Council in Almaty")],
      },
      // the meeting's decision is the Council's: it is asked for as a decision like any other
      // (`participant: {entity: …, role: {eq: DECIDING_BODY}}`), and the meeting stays one event
      {
        ref: "office/ministerial-council",
        role: "DECIDING_BODY",
        provenance: [
          q(
            "informal OSCE Ministerial Council in Almaty, decision to hold the OSCE Summit in Kazakhstan",
          ),
        ],
      },
      {
        ref: "event/2010-12-astana-osce-summit",
        role: "SUBJECT",
        provenance: [q(L.almaty2010), SUMMIT_IN_KAZAKHSTAN_IS_ASTANA],
      },
    ],
    provenance: [q(L.almaty2010)],
  },
  {
    id: "event/2010-12-astana-osce-summit",
    kind: "SUMMIT",
    name: { text: "Astana OSCE Summit", provenance: [q("The Astana OSCE Summit is held")] },
    aliases: [
      {
        text: "OSCE Astana Summit",
        kind: "VARIANT",
        provenance: [q("the heritage of the OSCE Astana Summit")],
      },
    ],
    when: {
      edtf: "2010-12-01/2010-12-02",
      wording: "December 1-2, 2010",
      provenance: [q(L.summit2010)],
    },
    place: { ref: "place/astana", provenance: [q("The Astana OSCE Summit")] },
    participants: [
      {
        ref: "person/nursultan-nazarbayev",
        role: "CHAIR",
        capacity: "tenure/nursultan-nazarbayev-president-at-astana-summit",
        provenance: [q(L.summit2010)],
      },
      {
        ref: "state/kazakhstan",
        role: "HOST",
        provenance: [q(L.almaty2010), q(L.summit2010), SUMMIT_IN_KAZAKHSTAN_IS_ASTANA],
      },
    ],
    provenance: [q(L.summit2010)],
  },
  {
    id: "event/2011-kazakhstan-fsc-chairmanship",
    kind: "CHAIRMANSHIP",
    name: {
      text: "Kazakhstan's Chairmanship in the Forum for Security Co-operation",
      provenance: [q(L.fsc2011)],
    },
    when: {
      edtf: "2011-09/2011-12",
      wording: "September-December 2011",
      provenance: [q(L.fsc2011)],
    },
    participants: [
      {
        ref: "state/kazakhstan",
        role: "SUBJECT",
        capacity: "tenure/kazakhstan-fsc-chairmanship-2011",
        provenance: [q(L.fsc2011)],
      },
      {
        ref: "office/forum-for-security-co-operation",
        role: "SUBJECT",
        provenance: [q(L.fsc2011)],
      },
    ],
    provenance: [q(L.fsc2011)],
  },
  {
    id: "event/2011-12-completion-of-path-to-europe-and-troika",
    kind: "COMPLETION",
    name: {
      text: 'Completion of the State program "Path to Europe" and of Kazakhstan\'s activities in the OSCE Troika',
      provenance: [
        q(L.troika2011),
        editorial(
          'A shortened form of the document\'s line ("the activities of the Republic of Kazakhstan in the "Troika" of the OSCE"), which is quoted.',
        ),
      ],
    },
    when: { edtf: "2011-12", wording: "December 2011", provenance: [q(L.troika2011)] },
    participants: [
      {
        ref: "state/kazakhstan",
        role: "SUBJECT",
        capacity: "tenure/kazakhstan-osce-troika",
        provenance: [q(L.troika2011)],
      },
      { ref: "office/osce-troika", role: "SUBJECT", provenance: [q(L.troika2011)] },
      { ref: "priority/path-to-europe", role: "SUBJECT", provenance: [q(L.troika2011)] },
    ],
    provenance: [q(L.troika2011)],
  },
  {
    id: "event/2014-09-appointment-of-madina-jarbussynova",
    kind: "APPOINTMENT",
    name: {
      text: "Appointment of Madina Jarbussynova as OSCE Special Representative on Combating Trafficking in Human Beings",
      provenance: [
        q(L.appointed2014),
        editorial(
          'The usual spelling of her name (see person/madina-jarbussynova); the document writes "MadinaDzharbusynova" (see the alias).',
        ),
      ],
    },
    aliases: [
      {
        // the document's words: its spelling of her name is in them, as in no paraphrase of them
        text: "MadinaDzharbusynova is appointed as the OSCE Special Representative on Combating Trafficking in Human Beings",
        kind: "DOCUMENT_SPELLING",
        provenance: [q(L.appointed2014)],
      },
    ],
    when: { edtf: "2014-09", wording: "September 2014", provenance: [q(L.appointed2014)] },
    participants: [
      {
        ref: "person/madina-jarbussynova",
        role: "SUBJECT",
        capacity: "tenure/madina-jarbussynova-special-representative",
        provenance: [q(L.appointed2014)],
      },
    ],
    provenance: [q(L.appointed2014)],
  },
  {
    id: "event/2014-12-18-permanent-council-transformation",
    kind: "DECISION",
    name: {
      text: "Permanent Council decision transforming the OSCE Centre in Astana into the OSCE Programme Office in Astana",
      provenance: [
        q(L.transformed2014),
        editorial(
          "A paraphrase of the document's line, whose words are the alias (DOCUMENT_SPELLING).",
        ),
      ],
    },
    // the document's own words, so that a search for them ("transformation") finds the decision
    aliases: [
      {
        text: "Decision of the Permanent Council on transformation of the OSCE Centre in Astana into the OSCE Programme Office in Astana",
        kind: "DOCUMENT_SPELLING",
        provenance: [q(L.transformed2014)],
      },
    ],
    when: { edtf: "2014-12-18", wording: "December 18, 2014", provenance: [q(L.transformed2014)] },
    participants: [
      {
        ref: "office/permanent-council",
        role: "DECIDING_BODY",
        provenance: [q(L.transformed2014)],
      },
      {
        ref: "office/osce-field-office-kazakhstan",
        role: "SUBJECT",
        provenance: [q(L.transformed2014)],
      },
    ],
    provenance: [q(L.transformed2014)],
  },
];
