/**
 * The caches keyed by a query's text (Yoga's parse cache, the direct pipeline's documents, the
 * cost walk's plans), bounded by what they hold as well as by how many: red team 13 (F1) filled
 * each one's 1,000-1,024 entries with documents of the body limit's size, each kept whole (the
 * text, and the AST made of it), and Yoga's cache of parse errors kept each refused request whole
 * through the error's stack (its call sites' closures: the fetch Request, its text and its bytes,
 * 4.8 times the body): 0.65 GB pinned for good at the default 100 KB limit, 4.8 GB at 1 MB, out of
 * memory at 2 MB. A document's weight is about the bytes it holds: its text, the AST and the
 * tokens made of it (documentWeight), and in Yoga's parse cache its validation errors if it has
 * any (the result Yoga keeps with it: weighValidationResults); a cache keeps at most
 * DOCUMENT_CACHE_WEIGHT of them, least recently used first out, and never one over an eighth of it.
 * bench/document-cache-weight.ts measures what is held against what is counted.
 */
import { type DocumentNode, type Token, TokenKind } from "graphql";
import type { Plugin } from "graphql-yoga";

/** What each cache keyed by query text may hold: about as many bytes of what its documents hold (documentWeight). */
export const DOCUMENT_CACHE_WEIGHT = 24 * 1024 * 1024;

/**
 * What a parsed document holds besides its text, in bytes, by what each token makes: the token
 * itself (88 bytes, and its value when it is not a slice of the text), and its share of the AST
 * nodes and locations made of it: a name in a selection makes a Field, a Name, two locations and
 * two empty lists (500 bytes), one inside parentheses an argument's name, an enum value or a type
 * (270), a `{` a selection set (440) or, inside parentheses, an object value (580). Fitted to the
 * bytes retained by parsed documents of 19 shapes, and within 0.94-1.15 of each
 * (bench/document-cache-weight.ts). graphql-js keeps every token, a linked list beside the nodes:
 * a document held 2.5 times what "200 bytes a token" said (red team 14, F2: 1,200 valid documents
 * of 100 fields held 51 MB where 22 MB were counted).
 */
const NAME_IN_SELECTION_BYTES = 500;
const NAME_IN_ARGUMENTS_BYTES = 270;
const SELECTION_SET_BYTES = 440;
const OBJECT_VALUE_BYTES = 580;
const NUMBER_BYTES = 270;
const STRING_BYTES = 530;
const VARIABLE_BYTES = 480;
const COMMENT_BYTES = 120;
const OTHER_TOKEN_BYTES = 80;
/**
 * A parsed document's own nodes and source (500 bytes), and what is kept beside it as long as it
 * is: a valid document's cost (limits.ts, cost.ts), an invalid one's place in Yoga's validation
 * cache (measured with the app: 600-1,100 bytes for a document of one field).
 */
const DOCUMENT_BYTES = 1000;
/** A cache's entry: its slot in the map and its record (an entry of a text that did not parse or validate included). */
const ENTRY_BYTES = 200;

/**
 * The weight of `text` parsed into `document` (its text alone when it did not parse): about the
 * bytes both hold, in one walk of its tokens.
 */
export function documentWeight(text: string, document: DocumentNode | null | undefined): number {
  // one whose tokens were let go was weighed then (dropTokens)
  const known = document ? weighedWithoutTokens.get(document) : undefined;
  if (known !== undefined) return known;
  // a text with a character past U+00FF is held at two bytes a character (review 16d: 80 valid
  // documents of 1 MB held 32 MB with an "x" filler, 56 MB with a "ж")
  const width = WIDE.test(text) ? 2 : 1;
  let weight = ENTRY_BYTES + text.length * width;
  if (!document?.loc) return weight;
  weight += DOCUMENT_BYTES;
  // inside an argument list or a variables' definition: names there make fewer nodes
  let parentheses = 0;
  for (let token: Token | null = document.loc.startToken; token; token = token.next) {
    switch (token.kind) {
      case TokenKind.NAME:
        weight += parentheses > 0 ? NAME_IN_ARGUMENTS_BYTES : NAME_IN_SELECTION_BYTES;
        break;
      case TokenKind.BRACE_L:
        weight += parentheses > 0 ? OBJECT_VALUE_BYTES : SELECTION_SET_BYTES;
        break;
      case TokenKind.PAREN_L:
        parentheses++;
        weight += OTHER_TOKEN_BYTES;
        break;
      case TokenKind.PAREN_R:
        parentheses--;
        weight += OTHER_TOKEN_BYTES;
        break;
      case TokenKind.INT:
      case TokenKind.FLOAT:
        weight += NUMBER_BYTES;
        break;
      case TokenKind.STRING:
      case TokenKind.BLOCK_STRING:
        weight += STRING_BYTES + stringValueBytes(token) * width;
        break;
      case TokenKind.DOLLAR:
        weight += VARIABLE_BYTES;
        break;
      case TokenKind.COMMENT:
        weight += COMMENT_BYTES;
        break;
      default:
        weight += OTHER_TOKEN_BYTES;
    }
  }
  return weight;
}

/**
 * The characters a string token's value holds beyond the text: none when it is a slice of it
 * (a string without escapes), else a copy. graphql-js builds an escaped string piece by piece,
 * which V8 keeps as a chain of pieces (64 bytes an escape: 130 KB for a 4,000-character value of
 * "\\n"s) until the string is read whole: it is read whole here (flattened), so that the token and
 * its node hold a copy instead.
 */
function stringValueBytes(token: Token): number {
  const value = token.value;
  if (token.kind === TokenKind.STRING && value.length === token.end - token.start - 2) return 0;
  // Number() flattens a string made of pieces into one copy (and fails at once on a letter)
  Number(value);
  return value.length;
}

const WIDE = /[\u0100-\uffff]/;

/** A token's own bytes: its value, when it has one, is its node's too (a name's, a number's, a string's). */
const TOKEN_BYTES = 88;
/** The weights of documents whose tokens were let go (dropTokens): there is nothing left to walk. */
const weighedWithoutTokens = new WeakMap<DocumentNode, number>();

/**
 * Lets go of `document`'s tokens (parsed from `text`), once nothing needs them: every location
 * keeps its start, end and source (all an error's locations read), not its first and last token,
 * which link every token of the document, and its source, to each other. graphql-js's
 * `collectSubfields` keeps the field nodes of an executed document in a WeakMap keyed by the
 * execution, and V8's minor collections keep such a value until a full collection: a one-off
 * document's tokens were copied, then moved to the old generation, with them (bench/cold-survival.ts).
 * Its weight is counted first, its tokens' bytes left out, and `documentWeight` gives that from
 * then on.
 */
export function dropTokens(text: string, document: DocumentNode): void {
  // a comment makes no node: all it held goes with its token
  let tokensBytes = 0;
  for (let token: Token | null = document.loc?.startToken ?? null; token; token = token.next)
    tokensBytes += token.kind === TokenKind.COMMENT ? COMMENT_BYTES : TOKEN_BYTES;
  const bare = ENTRY_BYTES + text.length * (WIDE.test(text) ? 2 : 1) + DOCUMENT_BYTES;
  const weight = Math.max(bare, documentWeight(text, document) - tokensBytes);
  forgetTokens(document);
  weighedWithoutTokens.set(document, weight);
}

function forgetTokens(node: unknown): void {
  if (node === null || typeof node !== "object") return;
  if (Array.isArray(node)) {
    for (const each of node) forgetTokens(each);
    return;
  }
  const fields = node as Record<string, unknown>;
  for (const key in fields) {
    const value = fields[key];
    if (key === "loc") {
      const loc = value as { startToken: Token | null; endToken: Token | null } | undefined;
      if (loc) {
        loc.startToken = null;
        loc.endToken = null;
      }
    } else if (value !== null && typeof value === "object") forgetTokens(value);
  }
}

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

/**
 * What a validation error holds besides its message and its stack: the GraphQLError (its own
 * properties, ten of them, kept as a dictionary), its nodes, positions and locations, and its
 * message once more (measured: 1,400-1,600 bytes over 3,600 errors of four shapes, where 1,000
 * was counted with no stack: red team 14, F2, 1,200 documents of 100 errors held 62 MB in a
 * cache of 24 MiB).
 */
const ERROR_BYTES = 1450;

/** What a document's validation errors hold: each one's message, its stack as formatted (two bytes a character past U+00FF), and the rest. */
export function validationResultWeight(
  errors: readonly { message: string; stack?: string }[],
): number {
  let weight = 0;
  for (const { message, stack } of errors)
    weight += (message.length + (stack?.length ?? 0)) * (WIDE.test(message) ? 2 : 1) + ERROR_BYTES;
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
 *   (validate.ts makes the document's own errors with no frames, which costs nothing here; the
 *   errors other plugins' after-hooks put in place may have them.)
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
