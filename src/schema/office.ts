import type { ArgBuilder } from "@pothos/core";
import {
  type CertaintyBasis,
  officeNameCertainties,
  officeNameCertaintyBases,
  officeNameOn,
  officeNamesOn,
  periodCertainty,
  periodCertaintyBasis,
} from "../graph/asof.js";
import type { Certainty, PartialDate } from "../graph/dates.js";
import type { Cooperation, DecidedName } from "../graph/graph.js";
import {
  asOf,
  type DatedRecordOrderField,
  type OfficeFilterInput,
  type OfficeLocationFilterInput,
  type OfficeNameFilterInput,
  type OfficeOrderField,
  selectOfficeLocations,
  selectOfficeNames,
} from "../graph/lists.js";
import { headsItsOffice, type Office, type OfficeLocation } from "../graph/model.js";
import { EDTF_ARGUMENT_HELP, edtfArgument } from "./arguments.js";
import { builder, type Context, type Types } from "./builder.js";
import { certaintyBasisFields } from "./certainty-basis.js";
import {
  EntityRef,
  EvidenceRef,
  evidenceOf,
  keyArgDescription,
  lookUp,
  namesOf,
} from "./entity.js";
import {
  asOfArgs,
  asOfConnectionDescription,
  asOfEdgeDescription,
  asOfInput,
  CertaintyEnum,
  certaintyEdgeFields,
  DateFilter,
  KeyFilter,
  listArgs,
  logicalFields,
  namedFilterFields,
  orderInput,
  StringFilter,
  withInputErrors,
} from "./filters.js";
import { OfficeKindEnum, OfficeKindFilter } from "./kinds.js";
import { nameFields } from "./names.js";
import { asOfPage, relationPage, rootPage } from "./pages.js";
import { NULL_WHEN_INVALID } from "./pagination.js";
import {
  datedShape,
  PartialDateRef,
  statedAsOfDescription,
  statedAsOfShape,
  statedByQuotesAsOfShape,
} from "./partial-date.js";
import { eventsField } from "./participation.js";
import { postListArgs } from "./post.js";
import { ProvenanceRef } from "./provenance.js";
import {
  DimensionRef,
  EventRef,
  OfficeNameRef,
  OfficeRef,
  PlaceRef,
  PostRef,
  StateRef,
  TenureRef,
} from "./refs.js";
import { TenureConnection, tenureListArgs, tenurePage } from "./tenure.js";
import { isKind } from "./type-guards.js";

OfficeNameRef.implement({
  description:
    "One name an office bore, over the period it bore it, and the decision that gave it.",
  fields: (t) => ({
    name: t.string({
      description: "The name, e.g. OSCE Centre in Astana.",
      resolve: (n) => n.name.text,
    }),
    period: t.field({
      type: PartialDateRef,
      description:
        "When the office bore this name. Consecutive names meet on the day of the decision that renamed it: the source gives no other date, so the " +
        "decision's day is taken as the day the name changed (an editorial rule: see the provenance, and `certaintyBasis` wherever a certainty is given), " +
        "and on that day both names are YES.",
      resolve: (n, _args, ctx) => datedShape(n.name.when, ctx),
    }),
    decidedBy: t.field({
      type: EventRef,
      nullable: true,
      description:
        "The decision that gave the office this name; null for the name it opened under.",
      resolve: (n) => n.name.decidedBy ?? null,
    }),
    office: t.field({
      type: OfficeRef,
      description: "The office that bore the name.",
      resolve: (n) => n.office.id,
    }),
    provenance: t.field({
      type: [ProvenanceRef],
      description: "Why the graph says the office bore this name.",
      resolve: (n) => n.name.provenance,
    }),
  }),
});

export const OfficeNameOnDateRef = builder
  .objectRef<{ name: DecidedName; certainty: Certainty; basis: () => CertaintyBasis }>(
    "OfficeNameOnDate",
  )
  .implement({
    description:
      "A name an office may have borne on a date (see `Office.namesOn`), and how certainly.",
    fields: (t) => ({
      name: t.field({
        type: OfficeNameRef,
        description: "The name, with its period and deciding event.",
        resolve: (n) => n.name,
      }),
      certainty: t.field({
        type: CertaintyEnum,
        description:
          "YES when the name's period certainly covers the whole date, MAYBE when it possibly does (see Certainty for the rule).",
        resolve: (n) => n.certainty,
      }),
      ...certaintyBasisFields(t, (n) => n.basis()),
    }),
  });

/**
 * `statedAsOf` of an office's link to a dimension, here and on an edge of `Dimension.offices`:
 * only where the quotes state the link by themselves (the honest54 audit, F11: the field office's
 * links, an editorial reading of the cooperation's dimensions, were dated as the source's own).
 */
export const OFFICE_DIMENSION_STATED_AS_OF =
  "The date as of which the source states that the office works in this dimension, which it gives no date of its own: " +
  "the day the source was last updated (its `updated`, with its quote), given only where the link's quotes state it by themselves. " +
  "Null when an editorial note is among the link's `provenance`: the note supplies what the quotes leave out, so the source states the link as of no date. " +
  "The built-in source states no office's dimension (\"Cooperation is held in all three dimensions of the Organization\" gives the cooperation's, " +
  "not the field office's): every link of the built-in data has null.";

/** An office's link to a dimension, with the link's provenance (`Office.dimensionLinks`). */
const OfficeDimensionRef = builder
  .objectRef<Office["dimensions"][number]>("OfficeDimension")
  .implement({
    description:
      "A dimension an office works in, with why the graph says so (see `Office.dimensionLinks`).",
    fields: (t) => ({
      dimension: t.field({
        type: DimensionRef,
        description: "The dimension.",
        resolve: (link) => link.ref,
      }),
      provenance: t.field({
        type: [ProvenanceRef],
        description:
          "Why the graph says the office works in this dimension: the document's sentences it rests on, if any, and the editorial note that supplies what they leave out.",
        resolve: (link) => link.provenance,
      }),
      statedAsOf: t.field({
        type: PartialDateRef,
        nullable: true,
        description: OFFICE_DIMENSION_STATED_AS_OF,
        resolve: (link, _args, ctx) => statedByQuotesAsOfShape(link.provenance, ctx),
      }),
    }),
  });

export const OfficeLocationRef = builder.objectRef<OfficeLocation>("OfficeLocation").implement({
  description: "Where an office sat, and when if the source says.",
  fields: (t) => ({
    place: t.field({ type: PlaceRef, description: "The place.", resolve: (l) => l.place }),
    period: t.field({
      type: PartialDateRef,
      nullable: true,
      description:
        "When the office sat there; null when the source gives the place without a date.",
      resolve: (l, _args, ctx) => (l.when ? datedShape(l.when, ctx) : null),
    }),
    provenance: t.field({
      type: [ProvenanceRef],
      description: "Why the graph places the office there.",
      resolve: (l) => l.provenance,
    }),
  }),
});

export const CooperationRef = builder.objectRef<Cooperation>("Cooperation").implement({
  description: "A state's cooperation with an OSCE office or institution.",
  fields: (t) => ({
    state: t.field({
      type: StateRef,
      description: "The cooperating state.",
      resolve: (c) => c.state,
    }),
    office: t.field({
      type: OfficeRef,
      description: "The office or institution it cooperates with.",
      resolve: (c) => c.office,
    }),
    provenance: t.field({
      type: [ProvenanceRef],
      description: "Why the graph records this cooperation.",
      resolve: (c) => c.provenance,
    }),
    statedAsOf: t.field({
      type: PartialDateRef,
      nullable: true,
      description: statedAsOfDescription(
        "this cooperation",
        '"Cooperation is held in all three dimensions ... and carried out in collaboration with both the central institutions ... and its field mission"',
        "when the cooperation rests on editorial notes alone",
      ),
      resolve: (c, _args, ctx) => statedAsOfShape(c.provenance, ctx),
    }),
  }),
});

/**
 * Keys of the tenures of an office's posts, in the default (chronological) order, optionally of
 * one post kind only; with `followLineage`, of the posts of all its predecessors too (transitively).
 */
function tenureKeysOf(
  ctx: Context,
  office: string,
  headsOnly?: boolean,
  followLineage?: boolean | null,
): string[] {
  const offices = followLineage
    ? ctx.graph.lineage.withPredecessors(office, ctx.deadline)
    : [office];
  const posts = offices
    .flatMap((o) => ctx.graph.postsByOffice.get(o))
    .filter((key) => {
      if (!headsOnly) return true;
      const post = ctx.graph.get("post", key);
      return post !== undefined && headsItsOffice(post);
    });
  // each key's position looked up once (a binary search on a snapshot-loaded graph), not twice
  // per comparison of the sort
  return posts
    .flatMap((post) => ctx.graph.tenuresByPost.get(post))
    .map((key) => ({ key, position: ctx.graph.position(key) }))
    .sort((a, b) => a.position - b.position)
    .map(({ key }) => key);
}

export const OfficeNameFilter = builder
  .inputRef<OfficeNameFilterInput>("OfficeNameFilter")
  .implement({
    description: "Conditions on a name an office bore; every field given must hold.",
    fields: (t) => ({
      name: t.field({ type: StringFilter, description: 'The name, e.g. `{contains: "astana"}`.' }),
      period: t.field({ type: DateFilter, description: "When the office bore it." }),
      decidedBy: t.field({
        type: KeyFilter,
        description:
          "The decision that gave it, an event key; the name an office opened under never matches.",
      }),
      ...logicalFields(t, OfficeNameFilter),
    }),
  });

export const OfficeNameOrder = orderInput<DatedRecordOrderField>(
  "OfficeName",
  { DATE: "Chronologically by `period`." },
  "by their order in the office's history",
);

export const OfficeLocationFilter = builder
  .inputRef<OfficeLocationFilterInput>("OfficeLocationFilter")
  .implement({
    description: "Conditions on a place an office sat in; every field given must hold.",
    fields: (t) => ({
      place: t.field({ type: KeyFilter, description: "The place, e.g. `astana`." }),
      period: t.field({
        type: DateFilter,
        description:
          "When the office sat there; a location without a date may have been at any time.",
      }),
      ...logicalFields(t, OfficeLocationFilter),
    }),
  });

export const OfficeLocationOrder = orderInput<DatedRecordOrderField>(
  "OfficeLocation",
  { DATE: "Chronologically by `period` (a location without a date first)." },
  "by their order in the office's locations",
);

const OfficeNameConnection = builder.connectionObject(
  {
    type: OfficeNameRef,
    name: "OfficeNameConnection",
    description: asOfConnectionDescription("the names an office bore"),
  },
  {
    name: "OfficeNameEdge",
    description: asOfEdgeDescription("the names an office bore"),
    fields: (t) => certaintyEdgeFields(t),
  },
);

const OfficeLocationConnection = builder.connectionObject(
  {
    type: OfficeLocationRef,
    name: "OfficeLocationConnection",
    description: asOfConnectionDescription("the places an office sat in"),
  },
  {
    name: "OfficeLocationEdge",
    description: asOfEdgeDescription("the places an office sat in"),
    fields: (t) => certaintyEdgeFields(t),
  },
);

/** Every name of an office: its own (entity.ts, namesOf), then the names of its history it no longer bears. */
function officeNames(o: Office) {
  return [
    ...namesOf(o),
    ...o.nameHistory
      .filter((n) => n.text !== o.name.text)
      .map((n) => ({ text: n.text, kind: "FORMER_NAME" as const, provenance: n.provenance })),
  ];
}

const followLineageArg = (arg: ArgBuilder<Types>) =>
  arg.boolean({
    required: true,
    defaultValue: false,
    description:
      "Also the tenures at the offices this one succeeded (see `predecessors`), transitively, merged chronologically; `post { office }` says which office each was at.",
  });

OfficeRef.implement({
  description:
    "An OSCE body, institution or field office, a state's permanent mission to the OSCE, or the OSCE itself (key `office/osce`, kind ORGANIZATION). " +
    "An office keeps one key through its renamings: `nameHistory` and `namesOn` tell what it was called when, with how certainly.",
  interfaces: [EntityRef],
  isTypeOf: isKind("office"),
  fields: (t) => ({
    name: t.string({
      description:
        "The office's current name (its latest, as of the source), e.g. OSCE Programme Office in Astana.",
      resolve: (o) => o.name.text,
    }),
    ...nameFields(
      t,
      "Every name of the office: canonical, abbreviation, the document's spellings, and former names.",
      officeNames,
    ),
    abbreviation: t.string({
      nullable: true,
      description: "The office's abbreviation, e.g. ODIHR; null when it has none.",
      resolve: (o) => o.abbreviation?.text ?? null,
    }),
    description: t.string({
      nullable: true,
      description: "A short description; null when there is none.",
      resolve: (o) => o.description?.text ?? null,
    }),
    kind: t.field({
      type: OfficeKindEnum,
      description: "What sort of body the office is.",
      resolve: (o) => o.kind,
    }),
    nameHistory: t.connection(
      {
        type: OfficeNameRef,
        description:
          "The names the office bore, oldest first, each with its period and deciding event; empty when the source gives no history. " +
          "Ask `asOf` a date for what it was called then, with each edge's `certainty`.",
        args: {
          ...listArgs(
            t.arg,
            OfficeNameFilter,
            OfficeNameOrder,
            "names",
            "oldest first",
            "by their order in the history",
          ),
          ...asOfArgs(t.arg),
        },
        resolve: (o, args, ctx, info) => {
          const { at, certainties } = asOfInput(args.asOf, args.certainty);
          const names = withInputErrors(ctx, () =>
            selectOfficeNames(ctx.graph, o, args, ctx.deadline),
          );
          // the names judged together once per date (asof.ts officeNameCertainties, asked
          // ALONE: each by its own period, as the office's locations), the list's memo keyed by it
          const judged = new Map<PartialDate, Certainty[]>();
          const held = asOf(names, at, certainties, (name, date) => {
            let all = judged.get(date);
            if (!all) judged.set(date, (all = officeNameCertainties(ctx.graph, o, date)));
            return all[o.nameHistory.indexOf(name)]!;
          });
          // the names are judged together, so are their bases: once per page
          let bases: CertaintyBasis[] | undefined;
          return asOfPage(
            ctx,
            info,
            o,
            args,
            held.map(({ item, certainty }) => ({ item: { office: o, name: item }, certainty })),
            at &&
              ((item) => {
                bases ??= officeNameCertaintyBases(ctx.graph, o, at);
                return bases[o.nameHistory.indexOf(item.name)]!;
              }),
          );
        },
      },
      OfficeNameConnection,
    ),
    namesOn: t.field({
      type: [OfficeNameOnDateRef],
      description:
        "Every name the office may have borne on a date, each with how certainly: names it certainly bore first (YES), then those it possibly bore (MAYBE); " +
        "among equals the later name first. On 2007 the answer is both OSCE Centre in Almaty and OSCE Centre in Astana, MAYBE: the year holds the renaming. " +
        "A name change is dated to the day of the decision that made it: on that day both names, YES (the day the name changed), never one YES beside another MAYBE. " +
        "A name is YES only where its period certainly covers the whole date: the answer also says that the office existed then, so on a date that may precede its opening its first name is MAYBE, as its location is (OSCE Centre in Almaty on 1999 and on 1999-01-01: it opened in 1999, on a day the source does not give). " +
        "In a dated fact the office takes part in, which has it exist then, its name is `nameThen` (the 1999 opening's subject: OSCE Centre in Almaty, YES). " +
        "Empty when no name's period can cover the date, and for an office the source gives no name history (the Permanent Mission, the Secretariat): its `name` is then its one name. " +
        "The same answer as `nameHistory(asOf:)`, best first, as a plain list.",
      args: { date: t.arg.string({ required: true, description: EDTF_ARGUMENT_HELP }) },
      resolve: (o, args, ctx) => {
        const at = edtfArgument("date", args.date);
        let bases: CertaintyBasis[] | undefined;
        return officeNamesOn(ctx.graph, o, at).map(({ name, certainty }) => ({
          name: { office: o, name },
          certainty,
          basis: () => {
            bases ??= officeNameCertaintyBases(ctx.graph, o, at);
            return bases[o.nameHistory.indexOf(name)]!;
          },
        }));
      },
    }),
    nameOn: t.field({
      type: OfficeNameRef,
      nullable: true,
      deprecationReason:
        "Picks one name silently where several are possible (on 2007 it answers OSCE Centre in Astana, although the office may have been OSCE Centre in Almaty): use `namesOn`, which gives each possible name with its certainty.",
      description:
        "The name the office bore on a date: the name whose period certainly covers it, else one that possibly does; among equals the later: on the day of the decision that renamed it, when both names are certain, the new one (OSCE Centre in Astana on 2007-06-21). " +
        "Null when no name's period can cover the date.",
      args: { date: t.arg.string({ required: true, description: EDTF_ARGUMENT_HELP }) },
      resolve: (o, args, ctx) => {
        const name = officeNameOn(ctx.graph, o, edtfArgument("date", args.date));
        return name ? { office: o, name } : null;
      },
    }),
    locations: t.connection(
      {
        type: OfficeLocationRef,
        description:
          "Where the office sat, oldest first. Ask `asOf` a date for where it sat then, with each edge's `certainty`.",
        args: {
          ...listArgs(
            t.arg,
            OfficeLocationFilter,
            OfficeLocationOrder,
            "locations",
            "oldest first",
            "by their order in the office's locations",
          ),
          ...asOfArgs(t.arg),
        },
        resolve: (o, args, ctx, info) => {
          const { at, certainties } = asOfInput(args.asOf, args.certainty);
          const locations = withInputErrors(ctx, () =>
            selectOfficeLocations(ctx.graph, o, args, ctx.deadline),
          );
          return asOfPage(
            ctx,
            info,
            o,
            args,
            asOf(locations, at, certainties, (location, date) =>
              periodCertainty(ctx.graph, location.when, date),
            ),
            at && ((location) => periodCertaintyBasis(ctx.graph, location.when, at)),
          );
        },
      },
      OfficeLocationConnection,
    ),
    state: t.field({
      type: StateRef,
      nullable: true,
      description:
        "The state the office is in or works for: the host of a field office, the sender of a permanent mission; null for the OSCE's own bodies.",
      resolve: (o) => o.state?.ref ?? null,
    }),
    dimensions: t.field({
      type: [DimensionRef],
      description:
        "The OSCE dimensions the office works in; empty when the graph gives it none. The document itself assigns no office to a dimension: " +
        "each link is background knowledge or the editors' reading, with its provenance in `dimensionLinks`.",
      resolve: (o) => o.dimensions.map((d) => d.ref),
    }),
    dimensionLinks: t.field({
      type: [OfficeDimensionRef],
      description:
        "The same dimensions as `dimensions`, in the same order, each with the provenance of the link: the document names no office's dimension, " +
        "so every link has an editorial note saying why the graph gives it (ODIHR: the OSCE's principal institution of the human dimension; " +
        "the field office: the cooperation is held in all three dimensions and carried out with, among others, the field mission).",
      resolve: (o) => o.dimensions,
    }),
    partOf: t.field({
      type: OfficeRef,
      nullable: true,
      description:
        "The organisation or body the office is part of: the OSCE (key `office/osce`, kind ORGANIZATION) for its bodies, institutions and field operations; " +
        "null for the Organization itself and for a state's permanent mission. Its provenance is in `evidence` (field `partOf`).",
      resolve: (o) => o.partOf?.ref ?? null,
    }),
    parts: t.connection({
      type: OfficeRef,
      description:
        "The offices that are part of this one (for the OSCE: its bodies, institutions and field operations), by name.",
      args: officeListArgs(t.arg),
      resolve: (o, args, ctx, info) => relationPage(ctx, info, o, "office", "officesByWhole", args),
    }),
    posts: t.connection({
      type: PostRef,
      description: "The posts of this office (its head, a special representative), by title.",
      args: postListArgs(t.arg),
      resolve: (o, args, ctx, info) => relationPage(ctx, info, o, "post", "postsByOffice", args),
    }),
    tenures: t.connection(
      {
        type: TenureRef,
        description:
          "Who held the posts of this office, and when, chronologically. Ask `asOf` a date for who held them then.",
        args: { ...tenureListArgs(t.arg), followLineage: followLineageArg(t.arg) },
        resolve: (o, args, ctx, info) =>
          tenurePage(ctx, info, args, {
            parent: o,
            relation: (_graph, office) => tenureKeysOf(ctx, office, false, args.followLineage),
          }),
      },
      TenureConnection,
    ),
    heads: t.connection(
      {
        type: TenureRef,
        description:
          "Who headed this office, and when, chronologically: the tenures of its posts that head it (`Post.headsOffice`): " +
          "its HEAD_OF_OFFICE posts, and a post of another kind the data says heads it (the Special Representative heads the Office of the Special Representative). " +
          "Ask `asOf` a date for who headed it then, with each edge's `certainty`. " +
          "Its other posts' tenures (a chairmanship's, a membership's) are in `tenures`.",
        args: { ...tenureListArgs(t.arg), followLineage: followLineageArg(t.arg) },
        resolve: (o, args, ctx, info) =>
          tenurePage(ctx, info, args, {
            parent: o,
            relation: (_graph, office) => tenureKeysOf(ctx, office, true, args.followLineage),
          }),
      },
      TenureConnection,
    ),
    cooperatingStates: t.field({
      type: [CooperationRef],
      description: "The states that cooperate with this office.",
      resolve: (o, _args, ctx) => [...ctx.graph.cooperationsByOffice.get(o.id)],
    }),
    opening: t.field({
      type: EventRef,
      nullable: true,
      description: "The event at which the office opened; null when the source does not say.",
      resolve: (o, _args, ctx) =>
        ctx.graph.participationsByEntity
          .get(o.id)
          .find(
            ({ event, participant }) => event.kind === "OPENING" && participant.role === "SUBJECT",
          )?.event ?? null,
    }),
    events: eventsField(t, "the office"),
    evidence: t.field({
      type: [EvidenceRef],
      description:
        "Provenance of the office's single-valued fields (`name`, `abbreviation`, `description`, `state`, `partOf`).",
      resolve: (o) =>
        evidenceOf({
          name: o.name,
          abbreviation: o.abbreviation,
          description: o.description,
          state: o.state,
          partOf: o.partOf,
        }),
    }),
  }),
});

export const OfficeFilter = builder.inputRef<OfficeFilterInput>("OfficeFilter").implement({
  description: "Conditions on an office; every field given must hold.",
  fields: (t) => ({
    ...namedFilterFields(t, "office", "office/odihr"),
    kind: t.field({ type: OfficeKindFilter, description: "The office's kind." }),
    state: t.field({
      type: KeyFilter,
      description: "The state it is in or works for, e.g. `kazakhstan`.",
    }),
    place: t.field({
      type: KeyFilter,
      description: "A place it sat in at some time, e.g. `almaty`.",
    }),
    dimension: t.field({ type: KeyFilter, description: "A dimension it works in, e.g. `human`." }),
    partOf: t.field({
      type: KeyFilter,
      description:
        "The organisation or body it is part of (see `partOf`), e.g. `osce` for the OSCE's bodies, institutions and field operations; " +
        "an office that is part of none (the OSCE itself, a permanent mission) never matches.",
    }),
    ...logicalFields(t, OfficeFilter),
  }),
});

export const OfficeOrder = orderInput<OfficeOrderField>("Office", {
  NAME: "By current name, alphabetically.",
  KIND: "By kind name, alphabetically.",
  KEY: "By key.",
});

/** The `filter` and `orderBy` arguments of a list of offices. */
export const officeListArgs = (arg: Parameters<typeof listArgs>[0]) =>
  listArgs(arg, OfficeFilter, OfficeOrder, "offices", "by current name");

builder.queryFields((t) => ({
  offices: t.connection({
    type: OfficeRef,
    nullable: true,
    description: `Every office, by current name. ${NULL_WHEN_INVALID}`,
    args: officeListArgs(t.arg),
    resolve: (_root, args, ctx, info) => rootPage(ctx, info, "office", args),
  }),
  office: t.field({
    type: OfficeRef,
    nullable: true,
    description:
      "One office by its readable key; null when there is none, with a NOT_FOUND error that suggests near keys.",
    args: {
      key: t.arg.string({
        required: true,
        description: keyArgDescription("office", "osce-field-office-kazakhstan"),
      }),
    },
    resolve: (_root, args, ctx) => lookUp(ctx, "office", args.key),
  }),
}));
