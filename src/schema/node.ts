/**
 * `nodes(ids:)`, answered id by id. Pothos' own field decodes every id before resolving any, so
 * one malformed id failed the whole list, and with it (the list being non-null) the whole `data`.
 * Here each id is decoded and loaded on its own: a malformed or unknown id gives null at its place,
 * with an error whose path is `["nodes", i]`, and the other ids are answered. The ids are taken
 * in the request's slices (item-answers.ts), as `_entities` takes its representations.
 */
import type { GraphQLResolveInfo } from "graphql";
import type { EntityKind } from "../graph/model.js";
import { builder, type Context } from "./builder.js";
import { itemError, itemNotFound } from "./errors.js";
import { INVALID_ID_CODE, parseGlobalId } from "./global-id.js";
import { answerEach } from "./item-answers.js";
import { refOfKind } from "./refs.js";

builder.queryField("nodes", (t) =>
  t.field({
    type: [builder.nodeInterfaceRef()],
    nullable: { list: false, items: true },
    description:
      "Fetches several entities by their opaque global ids, in the order given. An unknown or malformed id gives null at its place, " +
      "with an error (NOT_FOUND or BAD_USER_INPUT) whose `path` ends in that place's index; the other ids are answered.",
    args: {
      ids: t.arg.idList({ required: true, description: "Global ids, as returned in `id` fields." }),
    },
    resolve: (_root, args, ctx, info) =>
      // a list, or the promise of one once a slice was waited for: graphql-js takes either
      answerEach(args.ids, (id, index) => answer(id, index, ctx, info), ctx.deadline) as never,
  }),
);

/** The answer of one id: its entity (through its kind's loader), or an error at its index. */
function answer(
  id: string | number,
  index: number,
  ctx: Context,
  info: GraphQLResolveInfo,
): unknown {
  const decoded = parseGlobalId(String(id));
  // an Error as a list item: graphql-js reports it at this index and answers null there;
  // made located, once (errors.ts): a thousand malformed ids are a thousand errors
  if (typeof decoded === "string")
    return itemError(decoded, { code: INVALID_ID_CODE }, info, index, ctx.errorBudget);
  const kind = decoded.typename.toLowerCase() as EntityKind;
  return itemNotFound(
    refOfKind[kind].getDataloader(ctx).load(decoded.id),
    info,
    index,
    ctx.deadline,
    ctx.errorBudget,
  );
}
