/**
 * `nodes(ids:)`, answered id by id. Pothos' own field decodes every id before resolving any, so
 * one malformed id failed the whole list, and with it (the list being non-null) the whole `data`.
 * Here each id is decoded and loaded on its own: a malformed or unknown id gives null at its place,
 * with an error whose path is `["nodes", i]`, and the other ids are answered. The ids are taken
 * in the request's slices (deadline.ts, `pause`): thirty lists of a thousand ids, each id a
 * promise of its own, held the event loop up to 0.8 s in one run of microtasks.
 */
import type { GraphQLResolveInfo } from "graphql";
import type { EntityKind } from "../graph/model.js";
import { builder, type Context } from "./builder.js";
import { itemError, itemNotFound } from "./errors.js";
import { INVALID_ID_CODE, parseGlobalId } from "./global-id.js";
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
      answers(args.ids, ctx, info, 0, new Array(args.ids.length)) as never,
  }),
);

/** Work units (as the deadline counts them) of one id: decoded, and its entity asked of the loader. */
const ID_WORK = 4;

/** The answer of each id from `from` on, into `into`; waits for the next slice when this one is used. */
function answers(
  ids: readonly (string | number)[],
  ctx: Context,
  info: GraphQLResolveInfo,
  from: number,
  into: unknown[],
): unknown[] | Promise<unknown[]> {
  for (let index = from; index < ids.length; index++) {
    const turn = ctx.deadline?.pause(ID_WORK);
    if (turn) return turn.then(() => answers(ids, ctx, info, index, into));
    const decoded = parseGlobalId(String(ids[index]));
    // an Error as a list item: graphql-js reports it at this index and answers null there;
    // made located, once (errors.ts): a thousand malformed ids are a thousand errors
    if (typeof decoded === "string") {
      into[index] = itemError(decoded, { code: INVALID_ID_CODE }, info, index);
      continue;
    }
    const kind = decoded.typename.toLowerCase() as EntityKind;
    into[index] = itemNotFound(refOfKind[kind].getDataloader(ctx).load(decoded.id), info, index);
  }
  return into;
}
