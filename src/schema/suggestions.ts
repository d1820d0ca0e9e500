/**
 * "Did you mean" within a request's budget: every unknown key a request names (a lookup, a key
 * filter, a path's end) gets its suggestions from one KeySuggestions kept in the request's
 * context (src/graph/keys.ts): each distinct key looked for once, a few keys at most, none for
 * a text longer than any key.
 */
import { entitiesOf, KeySuggestions, type Suggested, type UnknownKey } from "../graph/keys.js";
import type { EntityKind } from "../graph/model.js";
import type { Context } from "./builder.js";

/** The request's suggestions, made when it first names an unknown key (contexts are made per request). */
export function suggestionsOf(ctx: Pick<Context, "graph" | "deadline" | "suggestions">): {
  suggest(kinds: readonly EntityKind[], text: string): Suggested;
  note(kinds: readonly EntityKind[], text: string): string;
} {
  // after each suggestion, the deadline's clock is read (a suggestion is far more work than a
  // field counts), so that the request gives the event loop back once its slice is used
  ctx.suggestions ??= new KeySuggestions(entitiesOf(ctx.graph), () => ctx.deadline?.checkNow());
  return ctx.suggestions;
}

/** The message of an error about an unknown key, with the suggestions the request has for it. */
export const withSuggestions = (
  ctx: Pick<Context, "graph" | "deadline" | "suggestions">,
  unknown: UnknownKey,
): string => unknown.message(suggestionsOf(ctx).note(unknown.kinds, unknown.given));
