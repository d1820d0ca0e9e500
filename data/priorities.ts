import type { DatasetInput, DimensionId, Provenance } from "../src/graph/model.js";
import { editorial, q } from "./sources.js";

type PriorityInput = DatasetInput["priorities"][number];

const PM =
  "In the politico-military dimension Kazakhstan continues to support multilateral efforts to ensure the Euro-Atlantic and Eurasian security, confidence-building measures, settlement of the «frozen conflicts».";
const EE_1 =
  "An important priority in the economic and environmental dimension Kazakhstan remains the development of transcontinental transport corridors uniting Asia and Europe.";
const EE_2 =
  "Work continues on the use of the OSCE's capabilities in the field of environmental protection, including in addressing the Aral Sea and the effective management of water resources in Central Asia.";
const UKRAINE =
  "Special attention is paid to the OSCE's activities in connection with the situation in Ukraine and the work of the monitoring mission.";
const LAST =
  "The work is being continued on supporting the OSCE participating States in their efforts to reform the OSCE / ODIHR, the establishment of uniform requirements for the implementation of election observation, as well as the adoption of the constituent document.";
const KEYNOTE =
  "Promotion of the heritage of the OSCE Astana Summit will be the keynote of the Kazakhstan’s activities within the Organization during upcoming years.";
const UPDATED = "Updated at : 18.03.2016, 19:31";
const HD =
  "In human dimension Kazakhstan remain important issues such as the fight against all forms of intolerance and discrimination, tolerance, human rights the rule of law, independence of the judiciary, promotion of gender balance and the fight against human trafficking.";

/**
 * Where a priority is tied to Kazakhstan and to its dimension: the provenance of both links.
 * A sentence that names the priority, Kazakhstan and the dimension states the links by itself;
 * a sentence that continues a paragraph without naming them needs the paragraph's opening and
 * an editorial note saying so.
 */
interface Context {
  state: Provenance[];
  dimension?: { ref: DimensionId; provenance: Provenance[] };
}

const priority = (
  slug: string,
  text: string,
  quote: string,
  context: Context,
  documentSpelling?: string,
): PriorityInput => ({
  id: `priority/${slug}`,
  // a name shortened from the document's words is editorial, those words its alias (the quote rule)
  name: {
    text,
    provenance: documentSpelling
      ? [
          q(quote),
          editorial(
            "A shortened form of the document's words, which are this priority's alias (DOCUMENT_SPELLING).",
          ),
        ]
      : [q(quote)],
  },
  ...(documentSpelling
    ? {
        aliases: [
          {
            text: documentSpelling,
            kind: "DOCUMENT_SPELLING" as const,
            provenance: [q(documentSpelling)],
          },
        ],
      }
    : {}),
  state: { ref: "state/kazakhstan", provenance: context.state },
  ...(context.dimension ? { dimension: context.dimension } : {}),
  provenance: [q(quote)],
});

/** A sentence naming Kazakhstan, the dimension and the priority. */
const stated = (ref: DimensionId, sentence: string): Context => ({
  state: [q(sentence)],
  dimension: { ref, provenance: [q(sentence)] },
});
const pm = stated("dimension/politico-military", PM);
const ee1 = stated("dimension/economic-and-environmental", EE_1);
const hd = stated("dimension/human", HD);

const continues = (opening: string, sentence: string, what: string) =>
  editorial(
    `The sentence ("${sentence.slice(0, 40)}...") names neither Kazakhstan nor ${what}: it continues the paragraph that opens "${opening.slice(0, 60)}...", whose subject it keeps.`,
  );
const ukraine: Context = {
  state: [q(PM), q(UKRAINE), continues(PM, UKRAINE, "the politico-military dimension")],
  dimension: {
    ref: "dimension/politico-military",
    provenance: [q(PM), q(UKRAINE), continues(PM, UKRAINE, "the politico-military dimension")],
  },
};
const ee2: Context = {
  state: [q(EE_1), q(EE_2), continues(EE_1, EE_2, "the economic and environmental dimension")],
  dimension: {
    ref: "dimension/economic-and-environmental",
    provenance: [
      q(EE_1),
      q(EE_2),
      continues(EE_1, EE_2, "the economic and environmental dimension"),
    ],
  },
};
/** The document's last paragraph names no state: it closes its account of Kazakhstan's activities within the OSCE. */
const last: Context = {
  state: [
    q(LAST),
    editorial(
      "The document's last paragraph names no state and no dimension; it closes the document's account of Kazakhstan's activities within the OSCE (its subject, by its title, is the cooperation of the Republic of Kazakhstan and the OSCE).",
    ),
  ],
};

const PATH_TO_EUROPE =
  'December 2011 - completion of the State program "Path to Europe" and the activities of the Republic of Kazakhstan in the "Troika" of the OSCE.';

export const priorities: DatasetInput["priorities"] = [
  {
    id: "priority/path-to-europe",
    kind: "STATE_PROGRAMME",
    name: { text: "Path to Europe", provenance: [q('the State program "Path to Europe"')] },
    aliases: [
      {
        text: 'State program "Path to Europe"',
        kind: "FULL_NAME",
        provenance: [q('the State program "Path to Europe"')],
      },
    ],
    state: {
      ref: "state/kazakhstan",
      provenance: [
        q(PATH_TO_EUROPE),
        editorial(
          "The line names the Republic of Kazakhstan for its activities in the Troika; \"the State program\" is Kazakhstan's by the document's subject (the cooperation of the Republic of Kazakhstan and the OSCE): the source names no other state whose programme it could be.",
        ),
      ],
    },
    // the source gives only its completion: it ended in December 2011, from a start it does not give
    when: { edtf: "/2011-12", wording: "December 2011", provenance: [q(PATH_TO_EUROPE)] },
    provenance: [q(PATH_TO_EUROPE)],
  },
  {
    ...priority(
      "heritage-of-the-astana-summit",
      "Promotion of the heritage of the OSCE Astana Summit",
      KEYNOTE,
      {
        state: [q(KEYNOTE)],
      },
    ),
    // "the keynote", for the years after it was written (the audit of 5 December, finding 20,
    // found it flattened to one priority among twenty); in its place in the document, as every
    // priority is (State.priorities says "in the source's order"), before the dimensions' lines
    keynote: { provenance: [q(KEYNOTE)] },
    description: {
      text: "The keynote of Kazakhstan's activities within the OSCE during the \"upcoming years\", as stated by the source's last update (March 18, 2016).",
      provenance: [
        q(KEYNOTE),
        q(UPDATED),
        editorial(
          'The sentence\'s own words, in the usual spelling; it is stated by the source\'s last update (its "Updated at : 18.03.2016", written as a reader reads a date), and may be older: the source says neither when its "upcoming years" begin nor when they end.',
        ),
      ],
    },
  },
  priority(
    "euro-atlantic-and-eurasian-security",
    "Multilateral efforts to ensure Euro-Atlantic and Eurasian security",
    "support multilateral efforts to ensure the Euro-Atlantic and Eurasian security",
    pm,
    "multilateral efforts to ensure the Euro-Atlantic and Eurasian security",
  ),
  priority(
    "confidence-building-measures",
    "Confidence-building measures",
    "confidence-building measures",
    pm,
  ),
  priority(
    "settlement-of-frozen-conflicts",
    'Settlement of the "frozen conflicts"',
    "settlement of the «frozen conflicts»",
    pm,
  ),
  {
    ...priority(
      "osce-activities-on-ukraine",
      "The OSCE's activities in connection with the situation in Ukraine and the work of the monitoring mission",
      UKRAINE,
      ukraine,
    ),
    // the sentence names the priority and Ukraine: what the OSCE's activities are "in connection with"
    concerns: [{ ref: "state/ukraine", provenance: [q(UKRAINE)] }],
  },
  priority(
    "transcontinental-transport-corridors",
    "Transcontinental transport corridors uniting Asia and Europe",
    EE_1,
    ee1,
  ),
  priority("environmental-protection", "Environmental protection", EE_2, ee2),
  priority("aral-sea", "The Aral Sea", "including in addressing the Aral Sea", ee2),
  priority(
    "water-resources-in-central-asia",
    "Effective management of water resources in Central Asia",
    "the effective management of water resources in Central Asia",
    ee2,
  ),
  priority(
    "fight-against-intolerance-and-discrimination",
    "The fight against all forms of intolerance and discrimination",
    "the fight against all forms of intolerance and discrimination",
    hd,
  ),
  priority("tolerance", "Tolerance", "intolerance and discrimination, tolerance, human rights", hd),
  priority("human-rights", "Human rights", "tolerance, human rights the rule of law", hd),
  priority("rule-of-law", "The rule of law", "human rights the rule of law", hd),
  priority(
    "independence-of-the-judiciary",
    "Independence of the judiciary",
    "independence of the judiciary",
    hd,
  ),
  priority("gender-balance", "Promotion of gender balance", "promotion of gender balance", hd),
  priority(
    "fight-against-human-trafficking",
    "The fight against human trafficking",
    "the fight against human trafficking",
    hd,
  ),
  priority(
    "reform-of-odihr",
    "Supporting participating States' efforts to reform the OSCE / ODIHR",
    "supporting the OSCE participating States in their efforts to reform the OSCE / ODIHR",
    last,
    "supporting the OSCE participating States in their efforts to reform the OSCE / ODIHR",
  ),
  priority(
    "uniform-election-observation-requirements",
    "Uniform requirements for the implementation of election observation",
    "the establishment of uniform requirements for the implementation of election observation",
    last,
  ),
  priority(
    "adoption-of-constituent-document",
    "Adoption of the constituent document",
    "as well as the adoption of the constituent document",
    last,
  ),
];
