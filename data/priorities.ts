import type { DatasetInput, DimensionId } from "../src/graph/model.js";
import { q } from "./sources.js";

type PriorityInput = DatasetInput["priorities"][number];

const PM = "In the politico-military dimension Kazakhstan continues to support multilateral efforts to ensure the Euro-Atlantic and Eurasian security, confidence-building measures, settlement of the «frozen conflicts».";
const EE_1 = "An important priority in the economic and environmental dimension Kazakhstan remains the development of transcontinental transport corridors uniting Asia and Europe.";
const EE_2 = "Work continues on the use of the OSCE's capabilities in the field of environmental protection, including in addressing the Aral Sea and the effective management of water resources in Central Asia.";
const HD = "In human dimension Kazakhstan remain important issues such as the fight against all forms of intolerance and discrimination, tolerance, human rights the rule of law, independence of the judiciary, promotion of gender balance and the fight against human trafficking.";

const priority = (
  slug: string,
  text: string,
  quote: string,
  dimension: { ref: DimensionId; sentence: string } | null,
): PriorityInput => ({
  id: `priority/${slug}`,
  name: { text, provenance: [q(quote)] },
  state: { ref: "state/kazakhstan", provenance: [q(dimension?.sentence ?? quote)] },
  ...(dimension ? { dimension: { ref: dimension.ref, provenance: [q(dimension.sentence)] } } : {}),
  provenance: [q(quote)],
});

const pm = { ref: "dimension/politico-military" as const, sentence: PM };
const ee1 = { ref: "dimension/economic-and-environmental" as const, sentence: EE_1 };
const ee2 = { ref: "dimension/economic-and-environmental" as const, sentence: "An important priority in the economic and environmental dimension Kazakhstan remains" };
const hd = { ref: "dimension/human" as const, sentence: HD };

export const priorities: DatasetInput["priorities"] = [
  priority("euro-atlantic-and-eurasian-security", "Multilateral efforts to ensure Euro-Atlantic and Eurasian security", "support multilateral efforts to ensure the Euro-Atlantic and Eurasian security", pm),
  priority("confidence-building-measures", "Confidence-building measures", "confidence-building measures", pm),
  priority("settlement-of-frozen-conflicts", "Settlement of the \"frozen conflicts\"", "settlement of the «frozen conflicts»", pm),
  priority("osce-activities-on-ukraine", "The OSCE's activities in connection with the situation in Ukraine and the work of the monitoring mission",
    "Special attention is paid to the OSCE's activities in connection with the situation in Ukraine and the work of the monitoring mission.",
    { ref: "dimension/politico-military", sentence: "Special attention is paid to the OSCE's activities in connection with the situation in Ukraine" }),
  priority("transcontinental-transport-corridors", "Transcontinental transport corridors uniting Asia and Europe", EE_1, ee1),
  priority("environmental-protection", "Environmental protection", EE_2, ee2),
  priority("aral-sea", "The Aral Sea", "including in addressing the Aral Sea", ee2),
  priority("water-resources-in-central-asia", "Effective management of water resources in Central Asia", "the effective management of water resources in Central Asia", ee2),
  priority("fight-against-intolerance-and-discrimination", "The fight against all forms of intolerance and discrimination", "the fight against all forms of intolerance and discrimination", hd),
  priority("tolerance", "Tolerance", "intolerance and discrimination, tolerance, human rights", hd),
  priority("human-rights", "Human rights", "tolerance, human rights the rule of law", hd),
  priority("rule-of-law", "The rule of law", "human rights the rule of law", hd),
  priority("independence-of-the-judiciary", "Independence of the judiciary", "independence of the judiciary", hd),
  priority("gender-balance", "Promotion of gender balance", "promotion of gender balance", hd),
  priority("fight-against-human-trafficking", "The fight against human trafficking", "the fight against human trafficking", hd),
  priority("heritage-of-the-astana-summit", "Promotion of the heritage of the OSCE Astana Summit",
    "Promotion of the heritage of the OSCE Astana Summit will be the keynote of the Kazakhstan’s activities within the Organization during upcoming years.", null),
  priority("reform-of-odihr", "Supporting participating States' efforts to reform the OSCE / ODIHR", "supporting the OSCE participating States in their efforts to reform the OSCE / ODIHR", null),
  priority("uniform-election-observation-requirements", "Uniform requirements for the implementation of election observation",
    "the establishment of uniform requirements for the implementation of election observation", null),
  priority("adoption-of-constituent-document", "Adoption of the constituent document", "as well as the adoption of the constituent document", null),
];
