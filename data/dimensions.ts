import type { DatasetInput } from "../src/graph/model.js";
import { editorial, q } from "./sources.js";

const ALL_THREE =
  "Cooperation is held in all three dimensions of the Organization: politico-military, economic and environmental, humanitarian";

export const dimensions: DatasetInput["dimensions"] = [
  {
    id: "dimension/politico-military",
    name: {
      text: "Politico-military dimension",
      provenance: [q("In the politico-military dimension")],
    },
    provenance: [q(ALL_THREE)],
  },
  {
    id: "dimension/economic-and-environmental",
    name: {
      text: "Economic and environmental dimension",
      provenance: [q("in the economic and environmental dimension")],
    },
    provenance: [q(ALL_THREE)],
  },
  {
    id: "dimension/human",
    name: { text: "Human dimension", provenance: [q("In human dimension")] },
    aliases: [
      {
        text: "Humanitarian dimension",
        kind: "VARIANT",
        provenance: [
          q("economic and environmental, humanitarian"),
          editorial(
            'The document lists the dimensions as "politico-military, economic and environmental, humanitarian": "humanitarian" names this one, the word "dimension" is the list\'s.',
          ),
        ],
      },
    ],
    provenance: [q(ALL_THREE)],
  },
];
