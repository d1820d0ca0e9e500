import type { DatasetInput } from "../src/graph/model.js";
import { editorial, q } from "./sources.js";

const SZABO =
  "Since February 9, 2016 - The OSCE Programmme Office in Astana is headed by Hungarian Ambassador Gyorgy Sabo.";
const JARBUSSYNOVA =
  "September 2014 - Kazakh diplomat MadinaDzharbusynova is appointed as the OSCE Special Representative on Combating Trafficking in Human Beings.";
const NAZARBAYEV =
  "The Astana OSCE Summit is held under the Chairmanship of the President of the Republic of Kazakhstan NursultanNazarbayev.";

export const persons: DatasetInput["persons"] = [
  {
    id: "person/gyorgy-szabo",
    name: {
      text: "György Szabó",
      provenance: [
        editorial('Usual spelling of the Hungarian name the document writes "Gyorgy Sabo".'),
      ],
    },
    aliases: [
      {
        text: "Gyorgy Sabo",
        kind: "DOCUMENT_SPELLING",
        provenance: [q("Hungarian Ambassador Gyorgy Sabo")],
      },
      {
        text: "Gyorgy Szabo",
        kind: "VARIANT",
        provenance: [editorial("The usual spelling without diacritics.")],
      },
    ],
    // the document's words for him, as "Kazakh diplomat" is for Madina Jarbussynova: searched
    description: {
      text: "Hungarian Ambassador",
      provenance: [q("Hungarian Ambassador Gyorgy Sabo")],
    },
    title: { text: "Ambassador", provenance: [q("Hungarian Ambassador Gyorgy Sabo")] },
    nationality: {
      ref: "state/hungary",
      provenance: [
        q("Hungarian Ambassador Gyorgy Sabo"),
        editorial('The document calls him "Hungarian": a national of Hungary.'),
      ],
    },
    provenance: [q(SZABO)],
  },
  {
    id: "person/madina-jarbussynova",
    name: {
      text: "Madina Jarbussynova",
      provenance: [
        editorial(
          'Usual spelling of the name the document writes "MadinaDzharbusynova" (her name as used by the OSCE).',
        ),
      ],
    },
    aliases: [
      {
        text: "MadinaDzharbusynova",
        kind: "DOCUMENT_SPELLING",
        provenance: [q("Kazakh diplomat MadinaDzharbusynova")],
      },
      {
        text: "Madina Dzharbusynova",
        kind: "VARIANT",
        provenance: [editorial("The document's transliteration with the missing space restored.")],
      },
    ],
    description: {
      text: "Kazakh diplomat",
      provenance: [q("Kazakh diplomat MadinaDzharbusynova")],
    },
    nationality: {
      ref: "state/kazakhstan",
      provenance: [
        q("Kazakh diplomat MadinaDzharbusynova"),
        editorial('The document calls her a "Kazakh diplomat": a national of Kazakhstan.'),
      ],
    },
    provenance: [q(JARBUSSYNOVA)],
  },
  {
    id: "person/nursultan-nazarbayev",
    name: {
      text: "Nursultan Nazarbayev",
      provenance: [editorial('The document runs the two names together as "NursultanNazarbayev".')],
    },
    aliases: [
      {
        text: "NursultanNazarbayev",
        kind: "DOCUMENT_SPELLING",
        provenance: [q("President of the Republic of Kazakhstan NursultanNazarbayev")],
      },
    ],
    nationality: {
      ref: "state/kazakhstan",
      provenance: [
        editorial(
          "The document names him President of the Republic of Kazakhstan, an office only a citizen of Kazakhstan holds.",
        ),
      ],
    },
    provenance: [q(NAZARBAYEV)],
  },
];
