/**
 * Global ids as Pothos encodes them (base64 of `Typename:key`), decoded strictly: anything that
 * is not the id of an entity type of this API is a BAD_USER_INPUT error that says what to send,
 * rather than Pothos's bare "Invalid global ID" or "Spaceship has not been implemented".
 */
import { GraphQLError } from "graphql";

const NODE_TYPES = new Set([
  "Source",
  "State",
  "Place",
  "Dimension",
  "Office",
  "Person",
  "Post",
  "Tenure",
  "Event",
  "Priority",
]);

export function decodeGlobalId(globalID: string): { typename: string; id: string } {
  const shown = globalID.length > 80 ? `${globalID.slice(0, 80)}...` : globalID;
  const invalid = () =>
    new GraphQLError(
      `${JSON.stringify(shown)} is not a global id of this API: pass an \`id\` exactly as a query returned it, or look the entity up by its readable key (e.g. \`person(key: "gyorgy-szabo")\`).`,
      { extensions: { code: "BAD_USER_INPUT" } },
    );
  if (globalID.length > 400 || !/^[A-Za-z0-9+/]+={0,2}$/.test(globalID)) throw invalid();
  const text = Buffer.from(globalID, "base64").toString("utf8");
  const colon = text.indexOf(":");
  const typename = text.slice(0, colon);
  const id = text.slice(colon + 1);
  if (colon < 0 || !NODE_TYPES.has(typename) || !/^[a-z]+\/[a-z0-9][a-z0-9-]*$/.test(id))
    throw invalid();
  return { typename, id };
}
