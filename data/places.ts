import type { DatasetInput } from "../src/graph/model.js";
import { editorial, q } from "./sources.js";

const city = (
  id: `place/${string}`,
  text: string,
  quote: string,
  state: `state/${string}`,
  why: string,
): DatasetInput["places"][number] => ({
  id,
  kind: "CITY",
  name: { text, provenance: [q(quote)] },
  state: { ref: state, provenance: [editorial(why)] },
  provenance: [q(quote)],
});

export const places: DatasetInput["places"] = [
  city(
    "place/almaty",
    "Almaty",
    "1999 – Opening of the OSCE Center in Almaty.",
    "state/kazakhstan",
    "Almaty is a city of Kazakhstan (its capital until 1997).",
  ),
  {
    ...city(
      "place/astana",
      "Astana",
      "The Astana OSCE Summit",
      "state/kazakhstan",
      "Astana is the capital of Kazakhstan.",
    ),
    aliases: [
      {
        text: "Nur-Sultan",
        kind: "VARIANT",
        provenance: [
          editorial(
            "The city's name from March 2019 to September 2022, after the document was written; a reader may know it by it.",
          ),
        ],
      },
    ],
  },
  city(
    "place/vienna",
    "Vienna",
    "Permanent Mission of the Republic of Kazakhstan to the OSCE (Vienna)",
    "state/austria",
    "Vienna is the capital of Austria.",
  ),
  city(
    "place/tashkent",
    "Tashkent",
    "the Regional Office in Central Asia (Tashkent)",
    "state/uzbekistan",
    "Tashkent is the capital of Uzbekistan.",
  ),
  city(
    "place/madrid",
    "Madrid",
    "Decision of the OSCE Ministerial Council in Madrid",
    "state/spain",
    "Madrid is the capital of Spain.",
  ),
];
