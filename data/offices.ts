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

export const offices: DatasetInput["offices"] = [
  {
    id: "office/osce-field-office-kazakhstan",
    kind: "FIELD_OPERATION",
    name: { text: "OSCE Programme Office in Astana", provenance: [q(TRANSFORMED_2014)] },
    aliases: [
      { text: "OSCE Programmme Office in Astana", kind: "DOCUMENT_SPELLING", provenance: [q("The OSCE Programmme Office in Astana is headed by")] },
      { text: "OSCE Center in Almaty", kind: "DOCUMENT_SPELLING", provenance: [q(OPENED_1999)] },
    ],
    description: {
      text: "The OSCE's field mission in Kazakhstan, known under three names since it opened in Almaty in 1999.",
      provenance: [q("its field mission - OSCE Programmme Office in Astana"), q(OPENED_1999)],
    },
    nameHistory: [
      {
        text: "OSCE Centre in Almaty",
        when: { edtf: "1999/2007-06-21", provenance: [q(OPENED_1999), q(RENAMED_2007)] },
        provenance: [q(OPENED_1999), editorial("Canonical OSCE spelling \"Centre\"; the document writes \"OSCE Center in Almaty\" here and \"OSCE Centre\" in the renaming decision.")],
      },
      {
        text: "OSCE Centre in Astana",
        when: { edtf: "2007-06-21/2014-12-18", wording: "June 21, 2007", provenance: [q(RENAMED_2007), q(TRANSFORMED_2014)] },
        decidedBy: "event/2007-06-21-permanent-council-renaming",
        change: { kind: "RENAMING", provenance: [q("Decision of the Permanent Council on renaming of the OSCE Centre")] },
        provenance: [q(RENAMED_2007)],
      },
      {
        text: "OSCE Programme Office in Astana",
        when: {
          edtf: "2014-12-18/..",
          wording: "December 18, 2014",
          provenance: [q(TRANSFORMED_2014), q("Since February 9, 2016 - The OSCE Programmme Office in Astana is headed by")],
        },
        decidedBy: "event/2014-12-18-permanent-council-transformation",
        change: { kind: "TRANSFORMATION", provenance: [q("Decision of the Permanent Council on transformation of the OSCE Centre in Astana")] },
        provenance: [q(TRANSFORMED_2014)],
      },
    ],
    locations: [
      {
        place: "place/almaty",
        when: { edtf: "1999/", wording: "1999", provenance: [q(OPENED_1999), editorial("The document does not say when the office left Almaty.")] },
        provenance: [q(OPENED_1999)],
      },
      {
        place: "place/astana",
        when: { edtf: "2007-06-21/..", wording: "June 21, 2007", provenance: [q(RENAMED_2007), editorial("From its renaming the office's name places it in Astana.")] },
        provenance: [q("the OSCE Centre in Astana"), q("OSCE Programmme Office in Astana")],
      },
    ],
    state: { ref: "state/kazakhstan", provenance: [q("its field mission - OSCE Programmme Office in Astana")] },
    dimensions: (["dimension/politico-military", "dimension/economic-and-environmental", "dimension/human"] as const).map((ref) => ({
      ref,
      provenance: [q(ALL_DIMENSIONS_WITH_FIELD_MISSION), q("its field mission - OSCE Programmme Office in Astana")],
    })),
    provenance: [q(OPENED_1999), q(RENAMED_2007), q(TRANSFORMED_2014)],
  },
  {
    id: "office/permanent-mission-of-kazakhstan",
    kind: "PERMANENT_MISSION",
    name: { text: "Permanent Mission of the Republic of Kazakhstan to the OSCE", provenance: [q(OPENED_1995)] },
    locations: [{ place: "place/vienna", when: { edtf: "1995/", wording: "1995", provenance: [q(OPENED_1995)] }, provenance: [q("to the OSCE (Vienna)")] }],
    state: { ref: "state/kazakhstan", provenance: [q("Permanent Mission of the Republic of Kazakhstan to the OSCE")] },
    provenance: [q(OPENED_1995)],
  },
  {
    id: "office/regional-office-central-asia",
    kind: "FIELD_OPERATION",
    name: { text: "OSCE Regional Office in Central Asia", provenance: [q("the Regional Office in Central Asia (Tashkent)")] },
    aliases: [{ text: "Regional Office in Central Asia", kind: "DOCUMENT_SPELLING", provenance: [q("the Regional Office in Central Asia (Tashkent)")] }],
    locations: [{ place: "place/tashkent", when: { edtf: "1995/", wording: "1995", provenance: [q(OPENED_1995)] }, provenance: [q("the Regional Office in Central Asia (Tashkent)")] }],
    provenance: [q(OPENED_1995)],
  },
  {
    id: "office/permanent-council",
    kind: "DECISION_MAKING_BODY",
    name: { text: "OSCE Permanent Council", provenance: [q("Decision of the Permanent Council")] },
    aliases: [{ text: "Permanent Council", kind: "DOCUMENT_SPELLING", provenance: [q("Decision of the Permanent Council")] }],
    provenance: [q(RENAMED_2007), q(TRANSFORMED_2014)],
  },
  {
    id: "office/ministerial-council",
    kind: "DECISION_MAKING_BODY",
    name: { text: "OSCE Ministerial Council", provenance: [q("Decision of the OSCE Ministerial Council in Madrid")] },
    provenance: [q("Decision of the OSCE Ministerial Council in Madrid"), q("informal OSCE Ministerial Council in Almaty")],
  },
  {
    id: "office/forum-for-security-co-operation",
    kind: "DECISION_MAKING_BODY",
    name: { text: "Forum for Security Co-operation", provenance: [q("Forum for Security Co-operation (FSC)")] },
    abbreviation: { text: "FSC", provenance: [q("Forum for Security Co-operation (FSC)")] },
    dimensions: [{ ref: "dimension/politico-military", provenance: [editorial("The FSC is the OSCE's decision-making body for military aspects of security.")] }],
    provenance: [q("September-December 2011 - Kazakhstan's Chairmanship in the Forum for Security Co-operation (FSC).")],
  },
  {
    id: "office/osce-chairmanship",
    kind: "CHAIRMANSHIP",
    name: { text: "OSCE Chairmanship", provenance: [q("2010 – Kazakhstan’s OSCE Chairmanship.")] },
    description: { text: "The rotating leadership of the OSCE, held by one participating State for a calendar year.", provenance: [editorial("How the OSCE Chairmanship works; the document takes it for granted.")] },
    provenance: [q("2010 – Kazakhstan’s OSCE Chairmanship.")],
  },
  {
    id: "office/osce-troika",
    kind: "CHAIRMANSHIP",
    name: { text: "OSCE Troika", provenance: [q("the \"Troika\" of the OSCE")] },
    aliases: [{ text: "Troika", kind: "DOCUMENT_SPELLING", provenance: [q("the \"Troika\" of the OSCE")] }],
    description: { text: "The previous, current and next OSCE Chairmanships, working together.", provenance: [editorial("How the OSCE Troika works; the document takes it for granted.")] },
    provenance: [q("the activities of the Republic of Kazakhstan in the \"Troika\" of the OSCE")],
  },
  {
    id: "office/osce-secretariat",
    kind: "SECRETARIAT",
    name: { text: "OSCE Secretariat", provenance: [q(CENTRAL_INSTITUTIONS)] },
    aliases: [{ text: "Secretariat", kind: "DOCUMENT_SPELLING", provenance: [q("the central institutions (Secretariat")] }],
    provenance: [q(CENTRAL_INSTITUTIONS)],
  },
  {
    id: "office/odihr",
    kind: "INSTITUTION",
    name: { text: "Office for Democratic Institutions and Human Rights", provenance: [editorial("Full name of ODIHR, which the document names only by its abbreviation.")] },
    abbreviation: { text: "ODIHR", provenance: [q(CENTRAL_INSTITUTIONS), q("reform the OSCE / ODIHR")] },
    dimensions: [{ ref: "dimension/human", provenance: [editorial("ODIHR is the OSCE's principal institution of the human dimension.")] }],
    provenance: [q(CENTRAL_INSTITUTIONS)],
  },
  {
    id: "office/hcnm",
    kind: "INSTITUTION",
    name: { text: "OSCE High Commissioner on National Minorities", provenance: [editorial("Full name of the HCNM, which the document names only by its abbreviation.")] },
    abbreviation: { text: "HCNM", provenance: [q(CENTRAL_INSTITUTIONS)] },
    dimensions: [{ ref: "dimension/politico-military", provenance: [editorial("The HCNM is an instrument of conflict prevention, part of the OSCE's politico-military dimension.")] }],
    provenance: [q(CENTRAL_INSTITUTIONS)],
  },
  {
    id: "office/representative-on-freedom-of-the-media",
    kind: "INSTITUTION",
    name: { text: "Office of the OSCE Representative on Freedom of the Media", provenance: [q(CENTRAL_INSTITUTIONS)] },
    abbreviation: { text: "RFoM", provenance: [editorial("The OSCE's usual abbreviation for its Representative on Freedom of the Media.")] },
    dimensions: [{ ref: "dimension/human", provenance: [editorial("Freedom of the media is part of the OSCE's human dimension.")] }],
    provenance: [q(CENTRAL_INSTITUTIONS)],
  },
  {
    id: "office/special-representative-on-trafficking",
    kind: "INSTITUTION",
    name: { text: "Office of the Special Representative of the OSCE to combat trafficking in human beings", provenance: [q(CENTRAL_INSTITUTIONS)] },
    dimensions: [{ ref: "dimension/human", provenance: [q("In human dimension Kazakhstan remain important issues such as"), q("the fight against human trafficking")] }],
    provenance: [q(CENTRAL_INSTITUTIONS), q("appointed as the OSCE Special Representative on Combating Trafficking in Human Beings")],
  },
];
