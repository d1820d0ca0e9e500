/**
 * Long texts a client sent, cut before they are echoed in an error: graphql-js prints names and
 * values whole in its messages, some in every one of up to 100 errors (validate.ts, limits.ts).
 */
import { GraphQLError } from "graphql";

/** `error` with another message (and extensions, if given), everything else kept. */
export function withMessage(
  error: GraphQLError,
  message: string,
  extensions: GraphQLError["extensions"] = error.extensions,
): GraphQLError {
  return new GraphQLError(message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    path: error.path,
    originalError: error.originalError,
    extensions,
  });
}

/**
 * `text` with its middle cut, so that it holds at most about `most` characters (its first half
 * and last quarter), saying how many were cut. A cut never splits a surrogate pair (a lone half
 * in the answer's JSON is refused by strict decoders).
 */
export function cutMiddle(text: string, most: number): string {
  if (text.length <= most) return text;
  let headEnd = Math.floor(most / 2);
  if (isHighSurrogate(text.charCodeAt(headEnd - 1))) headEnd--;
  let tailStart = text.length - Math.floor(most / 4);
  if (isLowSurrogate(text.charCodeAt(tailStart))) tailStart++;
  return `${text.slice(0, headEnd)} …(${tailStart - headEnd} characters cut)… ${text.slice(tailStart)}`;
}

const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff;
const isLowSurrogate = (code: number) => code >= 0xdc00 && code <= 0xdfff;
