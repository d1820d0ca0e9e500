/**
 * `nodes(ids:)`, answered id by id. Pothos' own field decodes every id before resolving any, so
 * one malformed id failed the whole list, and with it (the list being non-null) the whole `data`.
 * Here each id is decoded and loaded on its own: a malformed or unknown id gives null at its place,
 * with an error whose path is `["nodes", i]`, and the other ids are answered.
 */
import type { GraphQLError } from "graphql";
import type { EntityKind } from "../graph/model.js";
import { builder } from "./builder.js";
import { decodeGlobalId } from "./global-id.js";
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
    resolve: (_root, args, ctx) =>
      args.ids.map((id) => {
        let decoded: { typename: string; id: string };
        try {
          decoded = decodeGlobalId(String(id));
        } catch (error) {
          // an Error as a list item: graphql-js reports it at this index and answers null there
          return error as GraphQLError;
        }
        const kind = decoded.typename.toLowerCase() as EntityKind;
        return refOfKind[kind].getDataloader(ctx).load(decoded.id) as Promise<never>;
      }),
  }),
);
