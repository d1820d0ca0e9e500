import { type EntityKind, kindOf } from "../graph/model.js";

/** Pothos `isTypeOf`: tells entity types apart by the kind prefix of their key. */
export const isKind = (kind: EntityKind) => (value: unknown) =>
  typeof value === "object" &&
  value !== null &&
  typeof (value as { id?: unknown }).id === "string" &&
  kindOf((value as { id: string }).id) === kind;
