/**
 * The caches keyed by a query's text (Yoga's parse cache, the direct pipeline's documents, the
 * cost walk's plans), bounded by what they hold as well as by how many: red team 13 (F1) filled
 * each one's 1,000-1,024 entries with documents of the body limit's size, each kept whole (the
 * text, and the AST made of it), and Yoga's cache of parse errors kept each refused request whole
 * through the error's stack (its call sites' closures: the fetch Request, its text and its bytes,
 * 4.8 times the body): 0.65 GB pinned for good at the default 100 KB limit, 4.8 GB at 1 MB, out of
 * memory at 2 MB. A document's weight is its text and its tokens (the AST made of them, about 200
 * bytes each), and in Yoga's parse cache its validation errors if it has any (the result Yoga
 * keeps with it: weighValidationResults); a cache keeps at most DOCUMENT_CACHE_WEIGHT of them, least recently used first out,
 * and never one over an eighth of it.
 */
import type { DocumentNode, Token } from "graphql";
import type { Plugin } from "graphql-yoga";

/** What each cache keyed by query text may hold: text characters and 200 per token, about as many bytes. */
export const DOCUMENT_CACHE_WEIGHT = 24 * 1024 * 1024;
/** The weight of a token: the AST node and location made of it (measured: 150-250 bytes). */
const TOKEN_WEIGHT = 200;

/** The weight of `text` parsed into `document` (its text alone when it did not parse). */
export function documentWeight(text: string, document: DocumentNode | null | undefined): number {
  let tokens = 0;
  for (let token: Token | null | undefined = document?.loc?.startToken; token; token = token.next)
    tokens++;
  // a text with a character past U+00FF is held at two bytes a character (review 16d: 80 valid
  // documents of 1 MB held 32 MB with an "x" filler, 56 MB with a "ж")
  return text.length * (WIDE.test(text) ? 2 : 1) + TOKEN_WEIGHT * tokens;
}

const WIDE = /[\u0100-\uffff]/;

/**
 * A least-recently-used map from a query's text to what was made of it, bounded by `maxEntries`
 * and by the summed `weigh` of what it keeps (`maxWeight`). It has the `get` and `set` that Yoga's
 * `parserAndValidationCache` takes.
 */
export class DocumentCache<V> {
  private readonly kept = new Map<string, { value: V; weight: number; extra: number }>();
  private weight = 0;

  constructor(
    private readonly weigh: (text: string, value: V) => number,
    private readonly maxEntries: number,
    private readonly maxWeight = DOCUMENT_CACHE_WEIGHT,
  ) {}

  get(text: string): V | undefined {
    const entry = this.kept.get(text);
    if (entry === undefined) return undefined;
    // most recently used last
    this.kept.delete(text);
    this.kept.set(text, entry);
    return entry.value;
  }

  set(text: string, value: V): void {
    this.delete(text);
    const weight = this.weigh(text, value);
    if (weight > this.maxWeight / 8) return;
    this.kept.set(text, { value, weight, extra: 0 });
    this.weight += weight;
    this.fit();
  }

  /**
   * Weighs what is kept beside the entry of `text` and with it (Yoga's validation result of its
   * document: weighValidationResults) as `extra`, in place of what was said before, as `set`
   * weighs: the entry goes if it is then over an eighth of the cache's weight, the least recently
   * used others if the cache is over its weight. Nothing when `text` is not kept.
   */
  weighAlso(text: string, extra: number): void {
    const entry = this.kept.get(text);
    if (entry === undefined || entry.extra === extra) return;
    this.weight += extra - entry.extra;
    entry.weight += extra - entry.extra;
    entry.extra = extra;
    if (entry.weight > this.maxWeight / 8) this.delete(text);
    else this.fit();
  }

  delete(text: string): void {
    const entry = this.kept.get(text);
    if (entry === undefined) return;
    this.kept.delete(text);
    this.weight -= entry.weight;
  }

  /** How many entries are kept, and their summed weight (tests, metrics). */
  get size(): { entries: number; weight: number } {
    return { entries: this.kept.size, weight: this.weight };
  }

  /** Least recently used out first, until within the entries and the weight allowed. */
  private fit(): void {
    for (const [oldest, entry] of this.kept) {
      if (this.kept.size <= this.maxEntries && this.weight <= this.maxWeight) break;
      this.kept.delete(oldest);
      this.weight -= entry.weight;
    }
  }
}

/**
 * Yoga's cache of parse errors, which keeps none: a kept GraphQLError held its request whole
 * (above); a text that does not parse is parsed again when sent again, as far as its first error.
 */
export const NO_ERROR_CACHE = {
  get: (_text: string): undefined => undefined,
  set: (_text: string, _error: unknown): void => undefined,
};

/** The weight of a validation error beside its message: its stack of ten frames, formatted (700-1,000 characters), and the error itself. */
const ERROR_WEIGHT = 1000;

/** What a document's validation errors hold: each one's message (two bytes a character past U+00FF) and the rest. */
export function validationResultWeight(errors: readonly { message: string }[]): number {
  let weight = 0;
  for (const { message } of errors)
    weight += message.length * (WIDE.test(message) ? 2 : 1) + ERROR_WEIGHT;
  return weight;
}

/**
 * A Yoga plugin that makes the validation results Yoga keeps light and weighed. Yoga keeps a
 * document's validation result as long as `documents` (its parse cache) keeps the document.
 *
 * - Each error's stack is written out as text as soon as it is made: a GraphQLError's stack,
 *   captured but never formatted, keeps V8's call sites and through them the request whole, as
 *   the parse errors did (review 16d: 120 distinct documents of 1 MB that parse but do not
 *   validate held 125 MB after a full GC, 58 MB with no validation cache; 400 of 100 KB, 138 MB per
 *   worker). Formatted, a stack is a string of a few hundred bytes, and the request is let go.
 * - A result with errors is weighed into its document's entry: a message repeats what the
 *   document names (`Cannot query field "n0xxx…"`), so a document asking one unknown field of
 *   1 MB was held about twice, its weight counted once (review 17: 80 such documents held 102.5
 *   MB, past the 88 MB bound).
 *
 * It must come after every plugin whose after-hook puts errors of its own in place (limits.ts
 * clearerValidationErrors: "introspection too deep", "too complex"): what Yoga keeps is the result
 * as the last after-hook left it (review 17: 80 deep introspections of 1 MB held 125-131 MB with
 * this plugin first, past the 88 MB bound; app.ts puts it last). A result Yoga serves from its
 * cache passes here again: a formatted stack is read for nothing, and the weight is said again,
 * in place of itself.
 */
export function weighValidationResults(documents: DocumentCache<DocumentNode>): Plugin {
  return {
    onValidate:
      ({ params }) =>
      ({ result }) => {
        if (result.length === 0) return;
        for (const error of result) void error.stack;
        const text = params.documentAST.loc?.source.body;
        if (text !== undefined) documents.weighAlso(text, validationResultWeight(result));
      },
  };
}
