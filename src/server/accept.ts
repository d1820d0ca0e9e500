/**
 * The Accept header in the client's order of preference. Yoga (and the shortcut, which follows
 * Yoga's choice) reads an Accept header's media ranges in the order written and ignores their
 * quality values: `application/json;q=0.5, text/event-stream` was answered as JSON, the type the
 * client liked less, and `application/json;q=0` ("not JSON") with JSON (the third red team). So
 * the header is rewritten before anything reads it: its ranges ordered by `q`, highest first
 * (ties in the order written), without the `q` parameter, and those of `q=0` left out; when
 * nothing is left, a range no answer has, so that the client gets 406 Not Acceptable.
 */
import type { IncomingMessage } from "node:http";

/** What an Accept header of only refusals (`*\/*;q=0`) becomes: a type no answer is made in. */
export const NOTHING_ACCEPTABLE = "application/x.nothing-acceptable";

/**
 * `accept` ordered by preference (above), or undefined when it says nothing of quality (the
 * common case: left as it is, at the cost of one search).
 */
export function byPreference(accept: string): string | undefined {
  if (!/;\s*q\s*=/i.test(accept)) return undefined;
  const ranges = accept
    .split(",")
    .map((part, index) => {
      const [range = "", ...params] = part.split(";").map((param) => param.trim());
      let q = 1;
      const kept: string[] = [];
      for (const param of params) {
        const quality = /^q\s*=\s*(.*)$/i.exec(param);
        if (quality === null) {
          if (param !== "") kept.push(param);
        } else {
          // RFC 9110: 0 to 1, three decimals at most; anything else is read as no preference
          const value = Number(quality[1]);
          q = /^(0(\.\d{0,3})?|1(\.0{0,3})?)$/.test(quality[1]!.trim()) ? value : 1;
        }
      }
      return { text: [range, ...kept].join(";"), q, index };
    })
    .filter((range) => range.q > 0 && range.text !== "");
  ranges.sort((a, b) => b.q - a.q || a.index - b.index);
  return ranges.length > 0 ? ranges.map((range) => range.text).join(", ") : NOTHING_ACCEPTABLE;
}

/** The Accept headers as their clients sent them, of the requests whose header was rewritten. */
const asSent = new WeakMap<IncomingMessage, string>();

/** Rewrites `req`'s Accept header in order of preference (`byPreference`), when it says any. */
export function acceptByPreference(req: IncomingMessage): void {
  const accept = req.headers.accept;
  if (accept === undefined) return;
  const ordered = byPreference(accept);
  if (ordered === undefined) return;
  asSent.set(req, accept);
  req.headers.accept = ordered;
}

/** `req`'s Accept header as its client sent it (for a message: not the rewritten one). */
export function acceptAsSent(req: IncomingMessage): string | undefined {
  return asSent.get(req) ?? req.headers.accept;
}
