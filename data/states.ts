import type { DatasetInput } from "../src/graph/model.js";
import { editorial, q } from "./sources.js";

const TITLE =
  "Cooperation between the Republic of Kazakhstan and the Organization for Security and Cooperation in Europe";
/** The sentence naming the institutions Kazakhstan cooperates with names no state: the document's title does. */
const COOPERATION_IS_KAZAKHSTANS = editorial(
  'The sentence naming the central institutions and the field mission ("Cooperation is held in all three dimensions ...") names no state: the cooperation it describes is the one of the document\'s title, between the Republic of Kazakhstan and the OSCE.',
);

export const states: DatasetInput["states"] = [
  {
    id: "state/kazakhstan",
    name: {
      text: "Kazakhstan",
      provenance: [q("1992 - Kazakhstan becomes an OSCE participating State.")],
    },
    aliases: [
      {
        text: "Republic of Kazakhstan",
        kind: "FULL_NAME",
        provenance: [q("Cooperation between the Republic of Kazakhstan")],
      },
    ],
    provenance: [q("1992 - Kazakhstan becomes an OSCE participating State.")],
    cooperatesWith: [
      ...(
        [
          "office/osce-secretariat",
          "office/odihr",
          "office/hcnm",
          "office/representative-on-freedom-of-the-media",
          "office/special-representative-on-trafficking",
        ] as const
      ).map((ref) => ({
        ref,
        provenance: [
          q(
            "carried out in collaboration with both the central institutions (Secretariat, ODIHR, the HCNM, Office of the OSCE Representative on Freedom of the Media, Office of the Special Representative of the OSCE to combat trafficking in human beings)",
          ),
          q(TITLE),
          COOPERATION_IS_KAZAKHSTANS,
        ],
      })),
      {
        ref: "office/osce-field-office-kazakhstan",
        provenance: [
          q("its field mission - OSCE Programmme Office in Astana"),
          q(TITLE),
          COOPERATION_IS_KAZAKHSTANS,
        ],
      },
    ],
  },
  {
    id: "state/hungary",
    name: {
      text: "Hungary",
      provenance: [editorial('The document calls Gyorgy Sabo "Hungarian": a national of Hungary.')],
    },
    provenance: [q("Hungarian Ambassador Gyorgy Sabo")],
  },
  {
    id: "state/austria",
    name: {
      text: "Austria",
      provenance: [
        editorial("Vienna, where the Permanent Mission opened, is the capital of Austria."),
      ],
    },
    provenance: [
      editorial("Vienna, where the Permanent Mission opened, is the capital of Austria."),
    ],
  },
  {
    id: "state/uzbekistan",
    name: {
      text: "Uzbekistan",
      provenance: [
        editorial(
          "Tashkent, seat of the Regional Office in Central Asia, is the capital of Uzbekistan.",
        ),
      ],
    },
    provenance: [
      editorial(
        "Tashkent, seat of the Regional Office in Central Asia, is the capital of Uzbekistan.",
      ),
    ],
  },
  {
    id: "state/spain",
    name: {
      text: "Spain",
      provenance: [
        editorial(
          "Madrid, where the Ministerial Council decided on the 2010 Chairmanship, is the capital of Spain.",
        ),
      ],
    },
    provenance: [
      editorial(
        "Madrid, where the Ministerial Council decided on the 2010 Chairmanship, is the capital of Spain.",
      ),
    ],
  },
  {
    id: "state/ukraine",
    name: { text: "Ukraine", provenance: [q("the situation in Ukraine")] },
    provenance: [
      q(
        "Special attention is paid to the OSCE's activities in connection with the situation in Ukraine and the work of the monitoring mission.",
      ),
    ],
  },
];
