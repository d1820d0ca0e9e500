/** Enums of the domain's kinds and roles, each value described for GraphiQL. */
import type {
  EventKind,
  OfficeKind,
  ParticipantRole,
  PostKind,
  TenureTiming,
} from "../graph/model.js";
import { builder } from "./builder.js";
import { enumFilter } from "./filters.js";

export const OfficeKindEnum = builder.enumType("OfficeKind", {
  description: "What sort of body an office is.",
  values: {
    ORGANIZATION: {
      description:
        "An international organisation as a whole, e.g. the OSCE itself: the organisation states join (see ACCESSION events) and its bodies are `partOf`.",
    },
    DECISION_MAKING_BODY: {
      description:
        "An OSCE decision-making body: the Permanent Council, the Ministerial Council, the Forum for Security Co-operation.",
    },
    CHAIRMANSHIP: {
      description:
        "The OSCE's rotating political leadership, held by one participating State at a time: the OSCE Chairmanship. Its holders' tenures are chairmanships.",
    },
    CHAIRMANSHIP_GROUP: {
      description:
        "A group of chairmanships working together, not a chairmanship itself: the OSCE Troika (the previous, current and next Chairmanships). " +
        "A state in it holds a membership (a post of kind MEMBERSHIP). For the chairmanships a state held (the OSCE's, and a body's such as the Forum for Security Co-operation's, whose office is of kind DECISION_MAKING_BODY), ask its tenures of CHAIRMANSHIP posts: `state(key: \"kazakhstan\") { tenures(filter: {postKind: {eq: CHAIRMANSHIP}}) { nodes { post { label } when { edtf } } } }`.",
    },
    SECRETARIAT: { description: "The OSCE Secretariat." },
    INSTITUTION: {
      description:
        "An OSCE institution: ODIHR, the HCNM, the Representative on Freedom of the Media, the Special Representative on trafficking.",
    },
    FIELD_OPERATION: {
      description:
        "An OSCE field office in a participating State or region, such as the Programme Office in Astana.",
    },
    PERMANENT_MISSION: { description: "A participating State's permanent mission to the OSCE." },
  } as const,
});

export const PostKindEnum = builder.enumType("PostKind", {
  description: "What sort of post a `Post` is.",
  values: {
    HEAD_OF_STATE: {
      description: "A state's head of state, e.g. President of the Republic of Kazakhstan.",
    },
    HEAD_OF_OFFICE: { description: "The head of an office: whoever holds it heads that office." },
    SPECIAL_REPRESENTATIVE: { description: "An OSCE Special Representative." },
    CHAIRMANSHIP: {
      description: "The chairmanship of an OSCE body, held by a participating State.",
    },
    MEMBERSHIP: { description: "Membership of a body or format, e.g. the OSCE Troika." },
  } as const,
});

export const EventKindEnum = builder.enumType("EventKind", {
  description: "What sort of event an `Event` is.",
  values: {
    ACCESSION: {
      description:
        "A state becomes an OSCE participating State: an act on one day within the event's date.",
    },
    OPENING: { description: "An office opens: an act on one day within the event's date." },
    DECISION: {
      description:
        "A decision of an OSCE decision-making body (see the participant with role DECIDING_BODY): an act on one day within the event's date.",
    },
    CHAIRMANSHIP: {
      description:
        "A state's chairmanship of the OSCE or of one of its bodies, as a dated event: it lasts through the event's date (2010: every day of 2010).",
    },
    MEETING: {
      description:
        "A meeting of an OSCE body (see the participant with role CONVENING_BODY): it lasts through the event's date.",
    },
    SUMMIT: {
      description:
        "An OSCE Summit of heads of state or government: it lasts through the event's date.",
    },
    APPOINTMENT: {
      description:
        "A person is appointed to a post (see the participant's `capacity`): an act on one day within the event's date.",
    },
    COMPLETION: {
      description:
        "A programme or activity is completed: an act on one day within the event's date.",
    },
  } as const,
});

export const ParticipantRoleEnum = builder.enumType("ParticipantRole", {
  description: "The part an entity plays in an event.",
  values: {
    SUBJECT: {
      description:
        "What the event is about: the office opened or renamed, the state that joined, the person appointed.",
    },
    DECIDING_BODY: { description: "The body that took the decision." },
    CONVENING_BODY: { description: "The body that met." },
    CHAIR: { description: "Who chaired the event." },
    JOINED: {
      description:
        "The organisation the subject joined, in an ACCESSION (Kazakhstan joined the OSCE, then called the CSCE, in 1992).",
    },
    HOST: {
      description: "The state that hosted the event (Kazakhstan hosted the Astana OSCE Summit).",
    },
  } as const,
});

export const TenureTimingEnum = builder.enumType("TenureTiming", {
  description: "How a tenure's date is to be read.",
  values: {
    PERIOD: {
      description:
        "`when` is the period of the tenure: it began and ended as `when` says (an end may be open or unknown).",
    },
    POINT_IN_TIME: {
      description:
        "The source only attests that the post was held at `when` (e.g. Nazarbayev was President at the Astana Summit); it says nothing of when the tenure began or ended.",
    },
  } as const,
});

export const OfficeKindFilter = enumFilter<OfficeKind>(
  "OfficeKind",
  OfficeKindEnum,
  "an office's kind",
);
export const PostKindFilter = enumFilter<PostKind>("PostKind", PostKindEnum, "a post's kind");
export const EventKindFilter = enumFilter<EventKind>("EventKind", EventKindEnum, "an event's kind");
export const ParticipantRoleFilter = enumFilter<ParticipantRole>(
  "ParticipantRole",
  ParticipantRoleEnum,
  "the role of a participant in an event",
);
export const TenureTimingFilter = enumFilter<TenureTiming>(
  "TenureTiming",
  TenureTimingEnum,
  "how a tenure's date is to be read",
);
