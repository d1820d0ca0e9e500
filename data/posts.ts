import type { DatasetInput } from "../src/graph/model.js";
import { editorial, q } from "./sources.js";

export const posts: DatasetInput["posts"] = [
  {
    id: "post/head-of-osce-field-office-kazakhstan",
    kind: "HEAD_OF_OFFICE",
    name: {
      text: "Head of the OSCE Programme Office in Astana",
      provenance: [
        q("The OSCE Programmme Office in Astana is headed by"),
        editorial(
          'The post named after the office it heads: the document says the office "is headed by" (and spells it "Programmme").',
        ),
      ],
    },
    office: {
      ref: "office/osce-field-office-kazakhstan",
      provenance: [q("The OSCE Programmme Office in Astana is headed by")],
    },
    provenance: [q("The OSCE Programmme Office in Astana is headed by")],
  },
  {
    id: "post/special-representative-on-trafficking",
    kind: "SPECIAL_REPRESENTATIVE",
    name: {
      text: "OSCE Special Representative on Combating Trafficking in Human Beings",
      provenance: [q("the OSCE Special Representative on Combating Trafficking in Human Beings")],
    },
    // the office's name alone passed the link rule (a post is named by its office's names too),
    // but it does not say this post is that office's: the document words the two differently
    office: {
      ref: "office/special-representative-on-trafficking",
      provenance: [
        q("Office of the Special Representative of the OSCE to combat trafficking in human beings"),
        q("appointed as the OSCE Special Representative on Combating Trafficking in Human Beings"),
        editorial(
          'The document names the post ("the OSCE Special Representative on Combating Trafficking in Human Beings", to which she is appointed) and the office ("Office of the Special Representative of the OSCE to combat trafficking in human beings", among the central institutions) in different words and never together: we take them to be the same Special Representative\'s post and office.',
        ),
      ],
    },
    // a post of its own kind, not HEAD_OF_OFFICE: without this Office.heads left her out
    headsOffice: {
      provenance: [
        q("Office of the Special Representative of the OSCE to combat trafficking in human beings"),
        editorial(
          "The Office of the Special Representative is the Special Representative's own office, which the Special Representative heads; the document names the office after the post and takes this for granted.",
        ),
      ],
    },
    provenance: [
      q("is appointed as the OSCE Special Representative on Combating Trafficking in Human Beings"),
    ],
  },
  {
    id: "post/president-of-kazakhstan",
    kind: "HEAD_OF_STATE",
    name: {
      text: "President of the Republic of Kazakhstan",
      provenance: [q("the President of the Republic of Kazakhstan")],
    },
    state: {
      ref: "state/kazakhstan",
      provenance: [q("the President of the Republic of Kazakhstan")],
    },
    provenance: [q("the President of the Republic of Kazakhstan")],
  },
  {
    id: "post/osce-chairmanship",
    kind: "CHAIRMANSHIP",
    name: { text: "OSCE Chairmanship", provenance: [q("2010 – Kazakhstan’s OSCE Chairmanship.")] },
    office: { ref: "office/osce-chairmanship", provenance: [q("Kazakhstan’s OSCE Chairmanship")] },
    provenance: [q("2010 – Kazakhstan’s OSCE Chairmanship.")],
  },
  {
    id: "post/chairmanship-of-the-fsc",
    kind: "CHAIRMANSHIP",
    name: {
      text: "Chairmanship of the Forum for Security Co-operation",
      provenance: [
        q("Chairmanship in the Forum for Security Co-operation (FSC)"),
        editorial(
          'The post\'s name, "of" the Forum: the document speaks of Kazakhstan\'s "Chairmanship in" it.',
        ),
      ],
    },
    office: {
      ref: "office/forum-for-security-co-operation",
      provenance: [q("Chairmanship in the Forum for Security Co-operation (FSC)")],
    },
    provenance: [
      q(
        "September-December 2011 - Kazakhstan's Chairmanship in the Forum for Security Co-operation (FSC).",
      ),
    ],
  },
  {
    id: "post/member-of-the-osce-troika",
    kind: "MEMBERSHIP",
    name: {
      text: "Member of the OSCE Troika",
      provenance: [
        q('the activities of the Republic of Kazakhstan in the "Troika" of the OSCE'),
        editorial(
          'The post a state holds in the Troika: the document speaks of Kazakhstan\'s "activities" in it, and names no post.',
        ),
      ],
    },
    office: { ref: "office/osce-troika", provenance: [q('the "Troika" of the OSCE')] },
    provenance: [q('the activities of the Republic of Kazakhstan in the "Troika" of the OSCE')],
  },
];
