import type { DatasetInput } from "../src/graph/model.js";
import { editorial, q } from "./sources.js";

const CENTRAL_INSTITUTIONS =
  "in collaboration with both the central institutions (Secretariat, ODIHR, the HCNM, Office of the OSCE Representative on Freedom of the Media, Office of the Special Representative of the OSCE to combat trafficking in human beings)";
const OPENED_1995 =
  "1995 – Opening of the Permanent Mission of the Republic of Kazakhstan to the OSCE (Vienna) and the Regional Office in Central Asia (Tashkent).";
const OPENED_1999 = "1999 – Opening of the OSCE Center in Almaty.";
const RENAMED_2007 =
  "June 21, 2007 - Decision of the Permanent Council on renaming of the OSCE Centre into the OSCE Centre in Astana.";
const TRANSFORMED_2014 =
  "December 18, 2014 – Decision of the Permanent Council on transformation of the OSCE Centre in Astana into the OSCE Programme Office in Astana.";
const ALL_DIMENSIONS_WITH_FIELD_MISSION =
  "Cooperation is held in all three dimensions of the Organization: politico-military, economic and environmental, humanitarian and carried out in collaboration with both the central institutions";
const FIELD_MISSION = "its field mission - OSCE Programmme Office in Astana";
const TITLE =
  "Cooperation between the Republic of Kazakhstan and the Organization for Security and Cooperation in Europe";

const RENAMING = "event/2007-06-21-permanent-council-renaming";
const TRANSFORMATION = "event/2014-12-18-permanent-council-transformation";

/**
 * The document dates the Permanent Council's decisions and gives no other day for the changes
 * they made: each change of name (and the move to Astana the 2007 name implies) is dated to its
 * decision's day, as the maintainers' answer to Q4 does (QUESTIONS.md). The periods meet on that
 * day, which both names' periods hold: the day the name changed, on which the office bore the
 * one and then the other. The audit of 5 December (finding 14) found the former rule, "taken to
 * have taken effect by the end of the year of its decision", invented: it widened the change to
 * the year 2007 and the month 2014-12, and answered one name YES beside the other MAYBE.
 */
const RENAMING_TOOK_EFFECT = editorial(
  "The document gives the day of the Permanent Council's decision on renaming (June 21, 2007) and no other date for the change: the new name is taken to have been borne from the decision's day, the old one until it (on that day itself, both: the day the name changed).",
);
const TRANSFORMATION_TOOK_EFFECT = editorial(
  "The document gives the day of the Permanent Council's decision on transformation (December 18, 2014) and no other date for the change: the new name is taken to have been borne from the decision's day, the old one until it (on that day itself, both: the day the name changed).",
);
const IN_ASTANA_FROM_RENAMING = editorial(
  "From its renaming the office's name places it in Astana; the document gives no other date of its move, so the move is dated like the renaming: to the decision's day, June 21, 2007.",
);
const LEFT_ALMATY_AT_RENAMING = editorial(
  "The document does not say when the office left Almaty; from its renaming its name places it in Astana (see its location there), so the move is dated like the renaming: to the decision's day, June 21, 2007, the last day it is taken to have been in Almaty.",
);
const REGIONAL_OFFICE_IS_OSCE = editorial(
  'The document names only "the Regional Office in Central Asia (Tashkent)", opened in 1995 beside Kazakhstan\'s Permanent Mission to the OSCE, without saying whose office it is; its kind (an OSCE field operation) and its being part of the OSCE are our reading of that line.',
);
const CSCE_UNTIL_1995 = editorial(
  "The Organization was the Conference on Security and Co-operation in Europe (CSCE) until the end of 1994, also when Kazakhstan joined it in 1992: the Budapest Summit of December 1994 renamed it the OSCE from 1 January 1995. The document calls it by its present name throughout.",
);
const CSCE_FROM_1973 = editorial(
  "The document does not say when the Conference began; its start is dated to 1973, when it opened (Helsinki, July 1973), so that no date before it has a name of the Organization. In the document's own period (from 1992) it bounds only that the Organization existed on the days of 1992 before Kazakhstan joined it (its name on such a day, asked alone), not what it was called in a fact of that period (the 1992 accession's CSCE).",
);
const OSCE_BODY = (what: string) =>
  editorial(`${what} is part of the OSCE; the document takes this for granted.`);

export const offices: DatasetInput["offices"] = [
  {
    id: "office/osce",
    kind: "ORGANIZATION",
    name: {
      text: "Organization for Security and Co-operation in Europe",
      provenance: [
        editorial(
          'The Organization\'s own spelling of its name; the document writes "Cooperation" (see the alias).',
        ),
      ],
    },
    // not the 1992 line alone: it says "OSCE" of the CSCE (see the former name), and no line of the
    // document gives the abbreviation beside the name, which only the title gives in full
    abbreviation: {
      text: "OSCE",
      provenance: [
        q(TITLE),
        q(
          "Promotion of the heritage of the OSCE Astana Summit will be the keynote of the Kazakhstan’s activities within the Organization",
        ),
        editorial(
          'The document gives the Organization\'s full name only in its title and writes "OSCE" everywhere else, never the two together: that "OSCE" abbreviates the name is taken for granted.',
        ),
      ],
    },
    aliases: [
      {
        text: "Organization for Security and Cooperation in Europe",
        kind: "DOCUMENT_SPELLING",
        provenance: [q(TITLE)],
      },
      {
        text: "CSCE",
        kind: "VARIANT",
        provenance: [
          editorial(
            "The abbreviation of the Conference on Security and Co-operation in Europe, the Organization's name until the end of 1994.",
          ),
        ],
      },
    ],
    // the document calls the Organization by its present name throughout, also in 1992, when it was
    // still the CSCE: without a dated former name the 1992 accession named it "Organization ..."
    // with certainty YES, against this dataset's own note (the audit of 5 December, finding 4)
    nameHistory: [
      {
        text: "Conference on Security and Co-operation in Europe",
        when: {
          edtf: "1973/1994-12-31",
          // the document never gives this name: its every bound is editorial; but from its 1995
          // line on ("the Permanent Mission of the Republic of Kazakhstan to the OSCE") the
          // document calls the Organization the OSCE, so the CSCE's name was gone by the end of 1995;
          // and the Organization existed by the end of 1992, when Kazakhstan joined it, so from
          // then on that it existed rests on the document (review 53b: a day of 1993 cited the 1973
          // start, which bounds no day after the accession)
          assumed: {
            earliestStart: { note: CSCE_FROM_1973 },
            latestStart: { note: CSCE_FROM_1973, documentAlone: "1992-12-31" },
            earliestEnd: { note: CSCE_UNTIL_1995 },
            latestEnd: { note: CSCE_UNTIL_1995, documentAlone: "1995-12-31" },
          },
          provenance: [
            CSCE_UNTIL_1995,
            CSCE_FROM_1973,
            q("1992 - Kazakhstan becomes an OSCE participating State."),
          ],
          // the 1992 line gives only the document's bound of the start (documentAlone)
          boundProvenance: { start: [CSCE_FROM_1973], end: [CSCE_UNTIL_1995] },
        },
        provenance: [CSCE_UNTIL_1995],
      },
      {
        text: "Organization for Security and Co-operation in Europe",
        when: {
          edtf: "1995-01-01/..",
          // the document alone: the OSCE from its 1995 line on (its 1992 line names the OSCE too,
          // which this dataset reads as the present name, not the name of 1992)
          assumed: {
            earliestStart: { note: CSCE_UNTIL_1995 },
            latestStart: { note: CSCE_UNTIL_1995, documentAlone: "1995-12-31" },
          },
          provenance: [CSCE_UNTIL_1995],
        },
        change: { kind: "RENAMING", provenance: [CSCE_UNTIL_1995] },
        provenance: [
          editorial(
            'The Organization\'s own spelling of its name; the document writes "Cooperation" (see the alias).',
          ),
        ],
      },
    ],
    description: {
      text: "The Organization itself, which Kazakhstan joined in 1992 and whose offices and institutions the document names.",
      provenance: [
        q(TITLE),
        q("1992 - Kazakhstan becomes an OSCE participating State."),
        editorial(
          "A description of our own, from the title and the accession line: the document describes the Organization nowhere.",
        ),
      ],
    },
    provenance: [q(TITLE)],
  },
  {
    id: "office/osce-field-office-kazakhstan",
    kind: "FIELD_OPERATION",
    name: { text: "OSCE Programme Office in Astana", provenance: [q(TRANSFORMED_2014)] },
    aliases: [
      {
        text: "OSCE Programmme Office in Astana",
        kind: "DOCUMENT_SPELLING",
        provenance: [q("The OSCE Programmme Office in Astana is headed by")],
      },
      { text: "OSCE Center in Almaty", kind: "DOCUMENT_SPELLING", provenance: [q(OPENED_1999)] },
      // the 2007 decision's name for the office, without its city: "renaming of the OSCE Centre
      // into the OSCE Centre in Astana" (the audit of 5 December, finding 20). An alias, not a
      // name of its history: the document dates no period in which the office bore it.
      {
        text: "OSCE Centre",
        kind: "DOCUMENT_SPELLING",
        provenance: [q("renaming of the OSCE Centre into the OSCE Centre in Astana")],
      },
    ],
    description: {
      text: "The OSCE's field mission in Kazakhstan, known under three names since it opened in Almaty in 1999.",
      provenance: [
        q(FIELD_MISSION),
        q(OPENED_1999),
        // the three names: the renaming and the transformation give the second and the third
        // (the honest54 audit, F9: the description cited none of the lines that name them)
        q(RENAMED_2007),
        q(TRANSFORMED_2014),
        editorial(
          "\"Its field mission\" is the Organization's; the document's subject (its title) is the cooperation of Kazakhstan and the OSCE, and the office sits in Almaty and Astana, cities of Kazakhstan.",
        ),
      ],
    },
    nameHistory: [
      {
        text: "OSCE Centre in Almaty",
        when: {
          edtf: "1999/2007-06-21",
          // the document alone: the name was still borne at the renaming decision, and no longer
          // once the 2014 decision names the office "the OSCE Centre in Astana"
          assumed: { latestEnd: { note: RENAMING_TOOK_EFFECT, documentAlone: "2014-12-18" } },
          provenance: [q(OPENED_1999), q(RENAMED_2007), RENAMING_TOOK_EFFECT, q(TRANSFORMED_2014)],
          // the 2014 line gives only the document's bound of the end (documentAlone)
          boundProvenance: {
            start: [q(OPENED_1999)],
            end: [q(RENAMED_2007), RENAMING_TOOK_EFFECT],
          },
        },
        provenance: [
          q(OPENED_1999),
          editorial(
            'Canonical OSCE spelling "Centre"; the document writes "OSCE Center in Almaty" here and "OSCE Centre" in the renaming decision.',
          ),
        ],
      },
      {
        text: "OSCE Centre in Astana",
        when: {
          edtf: "2007-06-21/2014-12-18",
          // the document alone: borne certainly on the 2014 decision's day, which names it, and
          // gone by the day it names the Programme Office ("Since February 9, 2016")
          assumed: {
            latestStart: { note: RENAMING_TOOK_EFFECT, documentAlone: "2014-12-18" },
            latestEnd: { note: TRANSFORMATION_TOOK_EFFECT, documentAlone: "2016-02-09" },
          },
          provenance: [
            q(RENAMED_2007),
            q(TRANSFORMED_2014),
            RENAMING_TOOK_EFFECT,
            TRANSFORMATION_TOOK_EFFECT,
            q("Since February 9, 2016 - The OSCE Programmme Office in Astana is headed by"),
          ],
          // the renaming gives the start, the transformation the end (the 2016 line only the
          // document's bound of the end): the 2007 change cited all five (the honest54 audit, F8)
          boundProvenance: {
            start: [q(RENAMED_2007), RENAMING_TOOK_EFFECT],
            end: [q(TRANSFORMED_2014), TRANSFORMATION_TOOK_EFFECT],
          },
        },
        decidedBy: RENAMING,
        change: {
          kind: "RENAMING",
          provenance: [q("Decision of the Permanent Council on renaming of the OSCE Centre")],
        },
        provenance: [q(RENAMED_2007)],
      },
      {
        text: "OSCE Programme Office in Astana",
        when: {
          edtf: "2014-12-18/..",
          // the document alone: certainly borne from "Since February 9, 2016"
          assumed: {
            latestStart: { note: TRANSFORMATION_TOOK_EFFECT, documentAlone: "2016-02-09" },
          },
          provenance: [
            q(TRANSFORMED_2014),
            TRANSFORMATION_TOOK_EFFECT,
            q("Since February 9, 2016 - The OSCE Programmme Office in Astana is headed by"),
          ],
          // the 2016 line gives the document's bound of the start and the open end
          boundProvenance: {
            start: [q(TRANSFORMED_2014), TRANSFORMATION_TOOK_EFFECT],
            end: [q("Since February 9, 2016 - The OSCE Programmme Office in Astana is headed by")],
          },
        },
        decidedBy: TRANSFORMATION,
        change: {
          kind: "TRANSFORMATION",
          provenance: [
            q("Decision of the Permanent Council on transformation of the OSCE Centre in Astana"),
          ],
        },
        provenance: [q(TRANSFORMED_2014)],
      },
    ],
    locations: [
      {
        place: "place/almaty",
        when: {
          edtf: "1999/2007-06-21",
          // the document alone: in Astana once the 2014 decision names "the OSCE Centre in Astana"
          assumed: { latestEnd: { note: LEFT_ALMATY_AT_RENAMING, documentAlone: "2014-12-18" } },
          provenance: [
            q(OPENED_1999),
            q(RENAMED_2007),
            LEFT_ALMATY_AT_RENAMING,
            q(TRANSFORMED_2014),
          ],
          // the opening gives the start, the renaming and the note the end (the 2014 line only the
          // document's bound of it): the 1999 start cited all four (the honest54 audit, F8)
          boundProvenance: {
            start: [q(OPENED_1999)],
            end: [q(RENAMED_2007), LEFT_ALMATY_AT_RENAMING],
          },
        },
        provenance: [q(OPENED_1999)],
      },
      {
        place: "place/astana",
        when: {
          edtf: "2007-06-21/..",
          // the document alone: in Astana once the 2014 decision names "the OSCE Centre in Astana",
          // and still there when the source was last updated ("its field mission - OSCE Programmme
          // Office in Astana", in the present tense): the open end. The 2007 line states neither.
          assumed: {
            latestStart: { note: IN_ASTANA_FROM_RENAMING, documentAlone: "2014-12-18" },
          },
          provenance: [
            q(RENAMED_2007),
            IN_ASTANA_FROM_RENAMING,
            q(TRANSFORMED_2014),
            q(FIELD_MISSION),
          ],
          // the open end is the present tense of the field mission's line
          boundProvenance: {
            start: [q(RENAMED_2007), IN_ASTANA_FROM_RENAMING],
            end: [q(FIELD_MISSION)],
          },
        },
        provenance: [q("the OSCE Centre in Astana"), q("OSCE Programmme Office in Astana")],
      },
    ],
    state: {
      ref: "state/kazakhstan",
      provenance: [
        q(FIELD_MISSION),
        q(TITLE),
        editorial(
          '"Its field mission" is the Organization\'s field mission for the cooperation the document is about, that of the Republic of Kazakhstan and the OSCE (its title); the office sits in Astana, a city of Kazakhstan.',
        ),
      ],
    },
    dimensions: (
      [
        "dimension/politico-military",
        "dimension/economic-and-environmental",
        "dimension/human",
      ] as const
    ).map((ref) => ({
      ref,
      provenance: [
        q(ALL_DIMENSIONS_WITH_FIELD_MISSION),
        q(FIELD_MISSION),
        editorial(
          "The document says the cooperation is held in all three dimensions and carried out with, among others, the field mission; it does not say in which dimensions the field mission itself works, and we take it to work in all three.",
        ),
      ],
    })),
    partOf: {
      ref: "office/osce",
      provenance: [
        q(FIELD_MISSION),
        editorial(
          '"Its field mission" is the Organization\'s: the sentence speaks of "the Organization" (the OSCE) and its central institutions, and the office\'s names ("OSCE Centre", "OSCE Programme Office") say whose it is too.',
        ),
      ],
    },
    provenance: [q(OPENED_1999), q(RENAMED_2007), q(TRANSFORMED_2014)],
  },
  {
    id: "office/permanent-mission-of-kazakhstan",
    kind: "PERMANENT_MISSION",
    name: {
      text: "Permanent Mission of the Republic of Kazakhstan to the OSCE",
      provenance: [q(OPENED_1995)],
    },
    locations: [
      {
        place: "place/vienna",
        when: { edtf: "1995/", wording: "1995", provenance: [q(OPENED_1995)] },
        provenance: [q("Permanent Mission of the Republic of Kazakhstan to the OSCE (Vienna)")],
      },
    ],
    state: {
      ref: "state/kazakhstan",
      provenance: [q("Permanent Mission of the Republic of Kazakhstan to the OSCE")],
    },
    provenance: [q(OPENED_1995)],
  },
  {
    id: "office/regional-office-central-asia",
    kind: "FIELD_OPERATION",
    name: {
      text: "Regional Office in Central Asia",
      provenance: [q("the Regional Office in Central Asia (Tashkent)")],
    },
    description: {
      text: "An office for Central Asia in Tashkent, opened in 1995; the document does not say whose it is or what sort of office, and the graph takes it to be an OSCE field operation.",
      provenance: [q(OPENED_1995), REGIONAL_OFFICE_IS_OSCE],
    },
    locations: [
      {
        place: "place/tashkent",
        when: { edtf: "1995/", wording: "1995", provenance: [q(OPENED_1995)] },
        provenance: [q("the Regional Office in Central Asia (Tashkent)")],
      },
    ],
    partOf: { ref: "office/osce", provenance: [q(OPENED_1995), REGIONAL_OFFICE_IS_OSCE] },
    provenance: [q(OPENED_1995), REGIONAL_OFFICE_IS_OSCE],
  },
  {
    id: "office/permanent-council",
    kind: "DECISION_MAKING_BODY",
    name: {
      text: "OSCE Permanent Council",
      provenance: [
        editorial(
          'The body\'s usual full name; the document writes only "the Permanent Council" (see the alias), in lines about OSCE offices.',
        ),
      ],
    },
    aliases: [
      {
        text: "Permanent Council",
        kind: "DOCUMENT_SPELLING",
        provenance: [q("Decision of the Permanent Council")],
      },
    ],
    partOf: {
      ref: "office/osce",
      provenance: [OSCE_BODY("The Permanent Council, the OSCE's regular decision-making body,")],
    },
    provenance: [q(RENAMED_2007), q(TRANSFORMED_2014)],
  },
  {
    id: "office/ministerial-council",
    kind: "DECISION_MAKING_BODY",
    name: {
      text: "OSCE Ministerial Council",
      provenance: [q("Decision of the OSCE Ministerial Council in Madrid")],
    },
    partOf: {
      ref: "office/osce",
      provenance: [q("Decision of the OSCE Ministerial Council in Madrid")],
    },
    provenance: [
      q("Decision of the OSCE Ministerial Council in Madrid"),
      q("informal OSCE Ministerial Council in Almaty"),
    ],
  },
  {
    id: "office/forum-for-security-co-operation",
    kind: "DECISION_MAKING_BODY",
    name: {
      text: "Forum for Security Co-operation",
      provenance: [q("Forum for Security Co-operation (FSC)")],
    },
    abbreviation: { text: "FSC", provenance: [q("Forum for Security Co-operation (FSC)")] },
    dimensions: [
      {
        ref: "dimension/politico-military",
        provenance: [
          editorial("The FSC is the OSCE's decision-making body for military aspects of security."),
        ],
      },
    ],
    partOf: {
      ref: "office/osce",
      provenance: [
        OSCE_BODY("The Forum for Security Co-operation, a decision-making body of the OSCE,"),
      ],
    },
    provenance: [
      q(
        "September-December 2011 - Kazakhstan's Chairmanship in the Forum for Security Co-operation (FSC).",
      ),
    ],
  },
  {
    id: "office/osce-chairmanship",
    kind: "CHAIRMANSHIP",
    name: { text: "OSCE Chairmanship", provenance: [q("2010 – Kazakhstan’s OSCE Chairmanship.")] },
    partOf: { ref: "office/osce", provenance: [q("2010 – Kazakhstan’s OSCE Chairmanship.")] },
    description: {
      text: "The rotating leadership of the OSCE, held by one participating State for a calendar year.",
      provenance: [
        editorial("How the OSCE Chairmanship works; the document takes it for granted."),
      ],
    },
    provenance: [q("2010 – Kazakhstan’s OSCE Chairmanship.")],
  },
  {
    id: "office/osce-troika",
    // not CHAIRMANSHIP: the document speaks of Kazakhstan's "activities ... in the "Troika"", a
    // membership, and offices of kind CHAIRMANSHIP answered Q14 (its chairmanships) with the Troika
    // (the audit of 5 December, finding 19)
    kind: "CHAIRMANSHIP_GROUP",
    name: {
      text: "OSCE Troika",
      provenance: [
        q('the "Troika" of the OSCE'),
        editorial(
          'The usual form of the document\'s "the "Troika" of the OSCE" (see the alias "Troika").',
        ),
      ],
    },
    aliases: [
      { text: "Troika", kind: "DOCUMENT_SPELLING", provenance: [q('the "Troika" of the OSCE')] },
    ],
    partOf: { ref: "office/osce", provenance: [q('the "Troika" of the OSCE')] },
    description: {
      text: "The previous, current and next OSCE Chairmanships, working together.",
      provenance: [editorial("How the OSCE Troika works; the document takes it for granted.")],
    },
    provenance: [q('the activities of the Republic of Kazakhstan in the "Troika" of the OSCE')],
  },
  {
    id: "office/osce-secretariat",
    kind: "SECRETARIAT",
    name: {
      text: "OSCE Secretariat",
      provenance: [
        editorial(
          'The body\'s usual full name; the document writes only "Secretariat" (see the alias), first among the central institutions of the Organization.',
        ),
      ],
    },
    aliases: [
      {
        text: "Secretariat",
        kind: "DOCUMENT_SPELLING",
        provenance: [q("the central institutions (Secretariat")],
      },
    ],
    partOf: {
      ref: "office/osce",
      provenance: [
        q(ALL_DIMENSIONS_WITH_FIELD_MISSION + " (Secretariat"),
        OSCE_BODY('The Secretariat, named among "the central institutions" of "the Organization",'),
      ],
    },
    provenance: [q(CENTRAL_INSTITUTIONS)],
  },
  {
    id: "office/odihr",
    kind: "INSTITUTION",
    name: {
      text: "Office for Democratic Institutions and Human Rights",
      provenance: [
        editorial("Full name of ODIHR, which the document names only by its abbreviation."),
      ],
    },
    abbreviation: {
      text: "ODIHR",
      provenance: [q(CENTRAL_INSTITUTIONS), q("reform the OSCE / ODIHR")],
    },
    partOf: { ref: "office/osce", provenance: [q("to reform the OSCE / ODIHR")] },
    dimensions: [
      {
        ref: "dimension/human",
        provenance: [
          editorial("ODIHR is the OSCE's principal institution of the human dimension."),
        ],
      },
    ],
    provenance: [q(CENTRAL_INSTITUTIONS)],
  },
  {
    id: "office/hcnm",
    kind: "INSTITUTION",
    name: {
      text: "OSCE High Commissioner on National Minorities",
      provenance: [
        editorial("Full name of the HCNM, which the document names only by its abbreviation."),
      ],
    },
    abbreviation: { text: "HCNM", provenance: [q(CENTRAL_INSTITUTIONS)] },
    partOf: {
      ref: "office/osce",
      provenance: [
        OSCE_BODY('The HCNM, named among "the central institutions" of "the Organization",'),
      ],
    },
    // No dimension: the document gives the HCNM none, and its placement is no background fact a
    // reader takes for granted (its conflict prevention spans the dimensions): the audit of 5
    // December (finding 3) found it in the politico-military dimension on an editorial note alone.
    provenance: [q(CENTRAL_INSTITUTIONS)],
  },
  {
    id: "office/representative-on-freedom-of-the-media",
    kind: "INSTITUTION",
    name: {
      text: "Office of the OSCE Representative on Freedom of the Media",
      provenance: [q(CENTRAL_INSTITUTIONS)],
    },
    abbreviation: {
      text: "RFoM",
      provenance: [
        editorial("The OSCE's usual abbreviation for its Representative on Freedom of the Media."),
      ],
    },
    partOf: {
      ref: "office/osce",
      provenance: [q("Office of the OSCE Representative on Freedom of the Media")],
    },
    dimensions: [
      {
        ref: "dimension/human",
        provenance: [editorial("Freedom of the media is part of the OSCE's human dimension.")],
      },
    ],
    provenance: [q(CENTRAL_INSTITUTIONS)],
  },
  {
    id: "office/special-representative-on-trafficking",
    kind: "INSTITUTION",
    name: {
      text: "Office of the Special Representative of the OSCE to combat trafficking in human beings",
      provenance: [q(CENTRAL_INSTITUTIONS)],
    },
    // No dimension: the document gives the office none. That Kazakhstan counts the fight against
    // human trafficking among its human-dimension issues says nothing of the office.
    partOf: {
      ref: "office/osce",
      provenance: [
        q("Office of the Special Representative of the OSCE to combat trafficking in human beings"),
      ],
    },
    provenance: [
      q(CENTRAL_INSTITUTIONS),
      q("appointed as the OSCE Special Representative on Combating Trafficking in Human Beings"),
    ],
  },
];
