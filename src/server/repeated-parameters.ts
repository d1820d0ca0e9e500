/**
 * A GraphQL request's parameter given twice: refused, wherever it comes (a GET's query string, a
 * form body, a JSON body's object or an object of its batch). Which one counts is ambiguous:
 * servers and the proxies, caches and firewalls before them disagree (the first, the last, both
 * joined; JSON.parse keeps the last, most query-string readers the first), so a request could be
 * checked as one query and run as another. RFC 8259 leaves a JSON object's repeated names to each
 * reader ("the names within an object SHOULD be unique").
 */

/** The parameters of a GraphQL request (GraphQL over HTTP, and Appendix A's `documentId`). */
export const REQUEST_PARAMETERS: readonly string[] = [
  "query",
  "operationName",
  "variables",
  "extensions",
  "documentId",
];

/** A parameter given twice: its name, how many times (when known), and the batch's item. */
export interface Repeated {
  name: string;
  count?: number;
  item?: number;
}

/** The first of REQUEST_PARAMETERS given more than once in a query string or form body. */
export function repeatedInSearch(params: URLSearchParams): Repeated | undefined {
  for (const name of REQUEST_PARAMETERS) {
    const count = params.getAll(name).length;
    if (count > 1) return { name, count };
  }
  return undefined;
}

/**
 * The first of REQUEST_PARAMETERS given more than once in the request object of `text`, valid
 * JSON (parsed already): the top-level object, or each object of a top-level array (a batch).
 * Keys deeper down (a variable named `query`) are not parameters. Cheap when no name can be
 * repeated: unless one of them occurs twice in the text, or the text has a `\u` escape (a key may
 * be spelt `"\u0071uery"`), nothing is scanned.
 */
export function repeatedInJson(text: string): Repeated | undefined {
  let suspect = text.includes("\\u");
  for (let i = 0; !suspect && i < REQUEST_PARAMETERS.length; i++) {
    const quoted = `"${REQUEST_PARAMETERS[i]}"`;
    const first = text.indexOf(quoted);
    suspect = first >= 0 && text.indexOf(quoted, first + quoted.length) >= 0;
  }
  return suspect ? scan(text) : undefined;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** The request objects' keys, read by a scan of the JSON text that skips every value's inside. */
function scan(text: string): Repeated | undefined {
  // the open containers: true for an object
  const open: boolean[] = [];
  const batch = text.trimStart().startsWith("[");
  let keys: Set<string> | undefined;
  // the batch's item the scan is in: the commas between its items counted
  let item = 0;
  let keyNext = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      let end = i + 1;
      while (end < text.length) {
        const d = text.charCodeAt(end);
        if (d === BACKSLASH) end += 2;
        else if (d === QUOTE) break;
        else end++;
      }
      if (keyNext && keys !== undefined && open.length === (batch ? 2 : 1)) {
        const key = JSON.parse(text.slice(i, end + 1)) as string;
        if (REQUEST_PARAMETERS.includes(key)) {
          if (keys.has(key)) return batch ? { name: key, item } : { name: key };
          keys.add(key);
        }
      }
      keyNext = false;
      i = end;
    } else if (c === 0x7b /* { */) {
      open.push(true);
      keyNext = true;
      if (open.length === (batch ? 2 : 1)) keys = new Set();
    } else if (c === 0x5b /* [ */) {
      open.push(false);
      keyNext = false;
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      open.pop();
      keyNext = false;
    } else if (c === 0x2c /* , */) {
      keyNext = open[open.length - 1] === true;
      if (batch && open.length === 1) item++;
    } else if (c === 0x3a /* : */) keyNext = false;
  }
  return undefined;
}

/** What the client is told. */
export function repeatedMessage({ name, count, item }: Repeated): string {
  const times = count === undefined ? "more than once" : `${count} times`;
  const where = item === undefined ? "" : ` in item ${item} of the batch`;
  return `The "${name}" parameter is given ${times}${where}: give it once, so that it is clear which one counts.`;
}
