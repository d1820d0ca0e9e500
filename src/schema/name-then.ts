/**
 * NameThen: what an entity was called at the date of the context it appears in (an event's
 * participants, a timeline entry, a succession, a hop through a dated fact), with how certainly.
 * An entity's `label` and `name` are its names as of the source; an office renamed twice was
 * called otherwise when, say, the 2007 renaming was decided (see src/graph/asof.ts, `nameThen`).
 */
import {
  type CertaintyBasis,
  type NameThen,
  nameThen,
  nameThenBasisSteps,
  stayNameThen,
} from "../graph/asof.js";
import type { PartialDate } from "../graph/dates.js";
import { runNowOrSliced } from "../graph/deadline.js";
import type { Office, OfficeLocation, OfficeName } from "../graph/model.js";
import { builder, type Context } from "./builder.js";
import { certaintyBasisFields } from "./certainty-basis.js";
import { labelOf } from "./entity.js";
import { CertaintyEnum } from "./filters.js";
import { OfficeNameRef } from "./refs.js";

/** A NameThen together with its office (for an office), as OfficeNameRef resolves names. */
export interface NameThenShape {
  /** Not `then`: a value with a `then` key reads as a promise to anything that checks for one. */
  decided: NameThen;
  office?: Office;
  /**
   * What `decided.certainty` rests on, worked out when asked (an entity without a history: the
   * source), in the request's slices: a promise when it gave the event loop back on its way.
   */
  basis: () => CertaintyBasis | Promise<CertaintyBasis>;
}

const FROM_SOURCE: CertaintyBasis = Object.freeze({ basis: "SOURCE", restsOn: [] });

export const NameThenRef = builder.objectRef<NameThenShape>("NameThen").implement({
  description:
    "What an entity was called on the date of the context it appears in (an event, a timeline entry, a succession, a dated hop of a path), " +
    "from its name history: the subject of the 2007 renaming is OSCE Centre in Almaty, although the office is called OSCE Programme Office in Astana as of the source's last update. " +
    "An entity without a name history has its one name at every date.",
  fields: (t) => ({
    text: t.string({
      description:
        "The name, e.g. OSCE Centre in Almaty. Where more than one name may have been borne on the date, the later, MAYBE, with the others in `alternatives`: " +
        "on a renaming decision's day, when both names are YES in `namesOn`, the new one (a LOCATION_START of 2007-06-21: OSCE Centre in Astana), " +
        "except at the end of a stay (a timeline's LOCATION_END), which gives the earlier, the name the office bore while still there (leaving Almaty on 2007-06-21: OSCE Centre in Almaty).",
      resolve: (n) => n.decided.text,
    }),
    certainty: t.field({
      type: CertaintyEnum,
      description:
        "YES when this name's period certainly covers the whole date and no other name may also have been borne then (always YES for an entity without a name history), " +
        "or when it is the office's first name, the one it opened under, and the only one possible then, on a date within its possible days (the 1999 opening: OSCE Centre in Almaty; not before the name's first possible day): the context has the office exist then, so only its name is in question, whereas `Office.namesOn` also asks whether it existed yet and answers MAYBE on 1999; " +
        "MAYBE when its period only possibly covers the date or another name (see `alternatives`) may have been borne then; " +
        "NO when no name's period can cover the date: `text` is then the nearest name in time (the first name before the history starts, else the last one that started before the date). " +
        "In an event, the names that event itself gave (a renaming decision's new name) are left out: the decision acted on the office under its old name.",
      resolve: (n) => n.decided.certainty,
    }),
    ...certaintyBasisFields(t, (n) => n.basis()),
    officeName: t.field({
      type: OfficeNameRef,
      nullable: true,
      description:
        "The entry of the office's `nameHistory` this name is, with its period and deciding event; null for an entity without a name history.",
      resolve: (n) =>
        n.decided.name && n.office ? { office: n.office, name: n.decided.name } : null,
    }),
    alternatives: t.field({
      type: [OfficeNameRef],
      description:
        "Other names the entity may also have borne on that date, best first; empty when the name is certain.",
      resolve: (n) =>
        n.office ? n.decided.alternatives.map((name) => ({ office: n.office!, name })) : [],
    }),
  }),
});

/** The NameThen of the entity with `key` at `at`, leaving out names the context itself gives. */
export function nameThenOf(
  ctx: Context,
  key: string,
  at: PartialDate,
  givenHere?: (name: OfficeName) => boolean,
  preferEarlier = false,
): NameThenShape {
  const office = ctx.graph.get("office", key);
  if (office) {
    return {
      decided: nameThen(ctx.graph, office, at, givenHere, preferEarlier),
      office,
      basis: basisThen(ctx, office, at, givenHere, preferEarlier),
    };
  }
  // every other kind has one name at every date (a tenure: its holder and post)
  const entity = ctx.graph.entity(key);
  return {
    decided: { text: entity ? labelOf(entity, ctx) : key, certainty: "YES", alternatives: [] },
    basis: () => FROM_SOURCE,
  };
}

/**
 * What `office` was called during its stay `location` (asof.ts `stayNameThen`); undefined for a
 * stay without a date. Its certainty is `nameThen`'s over the stay's period, and so is its basis.
 */
export function stayNameThenOf(
  ctx: Context,
  office: Office,
  location: OfficeLocation,
): NameThenShape | undefined {
  const decided = stayNameThen(ctx.graph, office, location);
  if (!decided || !location.when) return undefined;
  return { decided, office, basis: basisThen(ctx, office, ctx.graph.date(location.when)) };
}

/**
 * `office`'s name's certainty basis at `at` (asof.ts `nameThenBasisSteps`), worked out the first
 * time it is asked, in the request's slices, and kept for the other field that asks it.
 */
function basisThen(
  ctx: Context,
  office: Office,
  at: PartialDate,
  givenHere?: (name: OfficeName) => boolean,
  preferEarlier = false,
): () => CertaintyBasis | Promise<CertaintyBasis> {
  let basis: CertaintyBasis | Promise<CertaintyBasis> | undefined;
  return () =>
    (basis ??= runNowOrSliced(
      nameThenBasisSteps(ctx.graph, office, at, givenHere, preferEarlier, ctx.deadline),
      ctx.deadline,
    ));
}
