/**
 * Global ids as Pothos encodes them (base64 of `Typename:key`), decoded strictly: anything that
 * is not the id of an entity type of this API is a BAD_USER_INPUT error that says what to send,
 * rather than Pothos's bare "Invalid global ID" or "Spaceship has not been implemented".
 */

import { shown } from "../graph/keys.js";
import { userError } from "./errors.js";

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

/**
 * The type and key of a global id, or, for anything that is not the id of an entity of this API,
 * the sentence that says so (`decodeGlobalId` throws it as a BAD_USER_INPUT error; `nodes(ids:)`
 * makes its own error of it, once, at the id's place).
 */
export function parseGlobalId(globalID: string): { typename: string; id: string } | string {
  const invalid = () => {
    return `${JSON.stringify(shown(globalID))} is not a global id of this API: pass an \`id\` exactly as a query returned it, or look the entity up by its readable key (e.g. \`person(key: "gyorgy-szabo")\`).`;
  };
  if (globalID.length > 400 || !/^[A-Za-z0-9+/]+={0,2}$/.test(globalID)) return invalid();
  const text = Buffer.from(globalID, "base64").toString("utf8");
  const colon = text.indexOf(":");
  const typename = text.slice(0, colon);
  const id = text.slice(colon + 1);
  if (colon < 0 || !NODE_TYPES.has(typename) || !/^[a-z]+\/[a-z0-9][a-z0-9-]*$/.test(id))
    return invalid();
  return { typename, id };
}

/** The code of the error for a string that is not a global id of this API. */
export const INVALID_ID_CODE = "BAD_USER_INPUT";

export function decodeGlobalId(globalID: string): { typename: string; id: string } {
  const parsed = parseGlobalId(globalID);
  if (typeof parsed === "string")
    throw userError(parsed, { extensions: { code: INVALID_ID_CODE } });
  return parsed;
}
