import type { NamedOrderField, PersonFilterInput } from "../graph/lists.js";
import { builder } from "./builder.js";
import {
  EntityRef,
  EvidenceRef,
  evidenceOf,
  keyArgDescription,
  lookUp,
  namesOf,
} from "./entity.js";
import {
  KeyFilter,
  listArgs,
  logicalFields,
  namedFilterFields,
  orderInput,
  StringFilter,
} from "./filters.js";
import { nameFields } from "./names.js";
import { rootPage } from "./pages.js";
import { NULL_WHEN_INVALID } from "./pagination.js";
import { eventsField } from "./participation.js";
import { PersonRef, StateRef } from "./refs.js";
import { PostHolderRef } from "./tenure.js";
import { isKind } from "./type-guards.js";

PersonRef.implement({
  description:
    "A person the source names: who held which post (see `tenures`) and took part in which events.",
  interfaces: [EntityRef, PostHolderRef],
  isTypeOf: isKind("person"),
  fields: (t) => ({
    name: t.string({
      description:
        "The person's name in its usual spelling (e.g. György Szabó); the source's own spelling is among `names`.",
      resolve: (p) => p.name.text,
    }),
    ...nameFields(
      t,
      "Every name of the person: the usual spelling first, then the source's spellings (DOCUMENT_SPELLING) and variants.",
      namesOf,
    ),
    title: t.string({
      nullable: true,
      description:
        "A rank or honorific the source gives, e.g. Ambassador; null when it gives none.",
      resolve: (p) => p.title?.text ?? null,
    }),
    description: t.string({
      nullable: true,
      description:
        "How the source describes the person, e.g. Kazakh diplomat; null when it does not.",
      resolve: (p) => p.description?.text ?? null,
    }),
    nationality: t.field({
      type: StateRef,
      nullable: true,
      description: "The state of which the person is a national; null when unknown.",
      resolve: (p) => p.nationality?.ref ?? null,
    }),
    events: eventsField(t, "the person"),
    evidence: t.field({
      type: [EvidenceRef],
      description:
        "Provenance of the person's single-valued fields (`name`, `title`, `description`, `nationality`).",
      resolve: (p) =>
        evidenceOf({
          name: p.name,
          title: p.title,
          description: p.description,
          nationality: p.nationality,
        }),
    }),
  }),
});

export const PersonFilter = builder.inputRef<PersonFilterInput>("PersonFilter").implement({
  description: "Conditions on a person; every field given must hold.",
  fields: (t) => ({
    ...namedFilterFields(t, "person", "person/gyorgy-szabo"),
    nationality: t.field({
      type: KeyFilter,
      description: "The person's nationality, a state key, e.g. `hungary`.",
    }),
    title: t.field({ type: StringFilter, description: "The person's title, e.g. Ambassador." }),
    ...logicalFields(t, PersonFilter),
  }),
});

export const PersonOrder = orderInput<NamedOrderField>("Person", {
  NAME: "By name, alphabetically.",
  KEY: "By key.",
});

/** The `filter` and `orderBy` arguments of a list of persons. */
export const personListArgs = (arg: Parameters<typeof listArgs>[0]) =>
  listArgs(arg, PersonFilter, PersonOrder, "persons", "by name");

builder.queryFields((t) => ({
  persons: t.connection({
    type: PersonRef,
    nullable: true,
    description: `Every person, by name. ${NULL_WHEN_INVALID}`,
    args: personListArgs(t.arg),
    resolve: (_root, args, ctx, info) => rootPage(ctx, info, "person", args),
  }),
  person: t.field({
    type: PersonRef,
    nullable: true,
    description:
      "One person by readable key; null when there is none, with a NOT_FOUND error that suggests near keys. To find a person by (mis)spelt name, use `search`.",
    args: {
      key: t.arg.string({
        required: true,
        description: keyArgDescription("person", "gyorgy-szabo"),
      }),
    },
    resolve: (_root, args, ctx) => lookUp(ctx, "person", args.key),
  }),
}));
