/** `path(from, to, maxLength)`: the shortest chain of facts linking two entities (see src/graph/paths.ts). */

import { stayIn } from "../graph/asof.js";
import type { Dated, OfficeLocation } from "../graph/model.js";
import {
  MAX_PATH_LENGTH,
  MAX_PATH_VISITS,
  type Path,
  PathBudgetError,
  type PathHop,
  PathInputError,
} from "../graph/paths.js";
import { builder, type Context } from "./builder.js";
import { EntityRef, labelOf } from "./entity.js";
import { userError } from "./errors.js";
import { ParticipantRoleEnum } from "./kinds.js";
import { OfficeChangeKindEnum } from "./lineage.js";
import { NameThenRef, type NameThenShape, nameThenOf, stayNameThenOf } from "./name-then.js";
import { datedShape, PartialDateRef } from "./partial-date.js";
import { ProvenanceRef } from "./provenance.js";
import { loadEntity } from "./refs.js";
import { withSuggestions } from "./suggestions.js";

const HopDirectionEnum = builder.enumType("HopDirection", {
  description: "Whether a hop of a path reads along its relation or against it.",
  values: {
    FORWARD: {
      description:
        "`from` is the relation's subject: `from` has `relation` to `to` (a person's Person.nationality is the state).",
    },
    BACKWARD: {
      description:
        "`to` is the relation's subject: `to` has `relation` to `from` (the state is the Person.nationality of the person).",
    },
  } as const,
});

const PathHopRef = builder.objectRef<PathHop>("PathHop").implement({
  description:
    "One step of a path: a stated relation between two entities, read in the direction of the path, with its provenance.",
  fields: (t) => ({
    from: t.field({
      type: EntityRef,
      description: "The entity this hop starts from.",
      resolve: (h, _args, ctx) => loadEntity(ctx, h.from),
    }),
    to: t.field({
      type: EntityRef,
      description: "The entity this hop leads to.",
      resolve: (h, _args, ctx) => loadEntity(ctx, h.to),
    }),
    relation: t.string({
      description:
        "The relation, named `Type.field` after the GraphQL field that holds it on its subject, e.g. `Person.nationality`, `Tenure.holder`, `Event.participants`.",
      resolve: (h) => h.edge.relation,
    }),
    direction: t.field({
      type: HopDirectionEnum,
      description: "FORWARD when `from` is the relation's subject, BACKWARD when `to` is.",
      resolve: (h) => h.direction,
    }),
    role: t.field({
      type: ParticipantRoleEnum,
      nullable: true,
      description:
        "For `Event.participants` and `Participant.capacity`: the participant's role; null for other relations.",
      resolve: (h) => h.edge.role ?? null,
    }),
    succession: t.field({
      type: OfficeChangeKindEnum,
      nullable: true,
      description:
        "For `Office.predecessors` and `Succession.decidedBy`: the kind of succession; null for other relations.",
      resolve: (h) => h.edge.succession ?? null,
    }),
    date: t.field({
      type: PartialDateRef,
      nullable: true,
      description:
        "When the hop's fact held, for a dated fact: the event's date for `Event.participants`, `Event.place`, `Participant.capacity` and a `decidedBy`, " +
        "the tenure's period for `Tenure.*`, the stay's period for `Office.locations` (the office's first dated stay in that place, as `Office.locations` lists them; null when the source dates none); " +
        "null for an undated relation (a nationality, an office's state).",
      resolve: (h, _args, ctx) => {
        const dated = hopDate(ctx, h);
        return dated ? datedShape(dated.when, ctx) : null;
      },
    }),
    fromNameThen: t.field({
      type: NameThenRef,
      nullable: true,
      description:
        "What `from` was called at the hop's `date`, with how certainly (an office renamed since bore another name then); null for an undated hop.",
      resolve: (h, _args, ctx) => hopNameThen(ctx, h, h.from) ?? null,
    }),
    toNameThen: t.field({
      type: NameThenRef,
      nullable: true,
      description:
        "What `to` was called at the hop's `date`, with how certainly; null for an undated hop.",
      resolve: (h, _args, ctx) => hopNameThen(ctx, h, h.to) ?? null,
    }),
    label: t.string({
      description:
        "The fact in words: subject, relation, object, e.g. `György Szabó —Person.nationality→ Hungary`. " +
        "In a dated fact each entity is named as it was called then (`fromNameThen`, `toNameThen`), e.g. the subject of the 2007 renaming is OSCE Centre in Almaty.",
      resolve: (h, _args, ctx) => {
        const name = (key: string) => {
          const then = hopNameThen(ctx, h, key);
          if (then) return then.decided.text;
          const entity = ctx.graph.entity(key);
          return entity ? labelOf(entity, ctx) : key;
        };
        return `${name(h.edge.subject)} —${h.edge.relation}${h.edge.role ? ` (${h.edge.role})` : ""}→ ${name(h.edge.object)}`;
      },
    }),
    provenance: t.field({
      type: [ProvenanceRef],
      description: "Why the graph states this relation.",
      resolve: (h) => h.edge.provenance,
    }),
  }),
});

/**
 * The dated fact a hop goes through, if any: the event of an event's relation or of a
 * `decidedBy`, the tenure of a tenure's relation.
 */
function hopDate(
  ctx: Context,
  h: PathHop,
): { when: Dated; event?: string; stay?: OfficeLocation } | undefined {
  if (h.edge.relation === "Office.locations") {
    // the stay the hop goes through (its first dated one in that place: paths.ts keeps one edge)
    const office = ctx.graph.get("office", h.edge.subject);
    const stay = office && stayIn(office, h.edge.object);
    return stay?.when ? { when: stay.when, stay } : undefined;
  }
  for (const key of [h.edge.subject, h.edge.object]) {
    const event = ctx.graph.get("event", key);
    if (event) return { when: event.when, event: event.id };
  }
  const tenure = ctx.graph.get("tenure", h.edge.subject);
  return tenure ? { when: tenure.when } : undefined;
}

/** An entity of a hop as it was called at the hop's date; undefined for an undated hop. */
function hopNameThen(ctx: Context, h: PathHop, key: string): NameThenShape | undefined {
  const dated = hopDate(ctx, h);
  if (!dated) return undefined;
  // an office in its stay: the name it bore there, not one it bore only on the day it moved
  const office = dated.stay && key === h.edge.subject && ctx.graph.get("office", key);
  if (office) return stayNameThenOf(ctx, office, dated.stay!);
  return nameThenOf(
    ctx,
    key,
    ctx.graph.date(dated.when),
    (name) => dated.event !== undefined && name.decidedBy === dated.event,
  );
}

const PathRef = builder.objectRef<Path>("Path").implement({
  description:
    "A shortest chain of stated relations linking two entities; each hop carries its provenance.",
  fields: (t) => ({
    length: t.int({
      description: "The number of hops; 0 when `from` and `to` are the same entity.",
      resolve: (p) => p.hops.length,
    }),
    hops: t.field({
      type: [PathHopRef],
      description: "The hops, from `from` to `to`.",
      resolve: (p) => p.hops,
    }),
    entities: t.field({
      type: [EntityRef],
      description:
        "The entities along the path, `from` first and `to` last (one entity for a path of length 0).",
      resolve: (p, _args, ctx) =>
        [p.from, ...p.hops.map((h) => h.to)].map((key) => loadEntity(ctx, key)),
    }),
  }),
});

builder.queryFields((t) => ({
  path: t.field({
    type: PathRef,
    nullable: true,
    description:
      "The shortest chain of facts linking two entities (any relation, walked either way; sources are not part of paths), or null when " +
      "there is none of at most `maxLength` hops. Among equally short chains the answer is always the same one (neighbours are taken by key, then relation). " +
      `A search that reaches more than ${MAX_PATH_VISITS} entities stops with a PATH_SEARCH_TOO_LARGE error.`,
    args: {
      from: t.arg.string({
        required: true,
        description:
          "Where the path starts: an entity's key (`person/gyorgy-szabo`) or its slug (`gyorgy-szabo`) when no other entity shares it; case, accents and spaces do not matter. An unknown key is an error that suggests near keys.",
      }),
      to: t.arg.string({
        required: true,
        description: "Where the path ends: a key or an unambiguous slug, as for `from`.",
      }),
      maxLength: t.arg.int({
        required: true,
        defaultValue: 4,
        description: `The most hops the path may have, 1 to ${MAX_PATH_LENGTH} (default 4).`,
      }),
    },
    resolve: (_root, args, ctx) => {
      try {
        return ctx.graph.paths.shortest(
          args.from,
          args.to,
          args.maxLength,
          undefined,
          ctx.deadline,
        );
      } catch (error) {
        if (error instanceof PathInputError) {
          // an unknown end gets the request's suggestions (suggestions.ts)
          const message = error.unknownKey ? withSuggestions(ctx, error.unknownKey) : error.message;
          throw userError(message, {
            extensions: { code: "BAD_USER_INPUT", argumentName: error.argument },
          });
        }
        if (error instanceof PathBudgetError) {
          throw userError(error.message, {
            extensions: { code: "PATH_SEARCH_TOO_LARGE", maxVisits: error.visits },
          });
        }
        throw error;
      }
    },
  }),
}));
