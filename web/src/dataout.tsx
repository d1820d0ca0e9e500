/**
 * "Data out" for every view: the data on screen as JSON (and CSV for tables) to download, and the
 * GraphQL query that produced it, with a link that opens it in GraphiQL (/graphql, prefilled).
 * The JSON is the API's own answer (from the explorer's cache: no second request).
 */
import { request } from "./api.js";
import type { TypedDocumentString } from "./gql/graphql.js";

/** One query of a view: its document and the variables the view sent. */
export interface SentQuery {
  document:
    | TypedDocumentString<unknown, never>
    | TypedDocumentString<unknown, Record<string, unknown>>;
  variables?: Record<string, unknown>;
}

/** A table of the view, for CSV: the header row and the rows. */
export interface Table {
  columns: string[];
  rows: (string | number | null | undefined)[][];
}

/** The operation name of a document, for file names and headings. */
function operationName(query: string): string {
  return /(?:query|mutation)\s+(\w+)/.exec(query)?.[1] ?? "query";
}

/** GraphiQL at /graphql with the query (and its variables) filled in. */
export function graphiqlUrl(query: string, variables?: Record<string, unknown>): string {
  const params = new URLSearchParams({ query: query.trim() });
  if (variables && Object.keys(variables).length)
    params.set("variables", JSON.stringify(variables, null, 2));
  return `/graphql?${params.toString()}`;
}

/** CSV (RFC 4180): fields with a comma, quote or line break are quoted, quotes doubled. */
export function toCsv(table: Table): string {
  const field = (value: string | number | null | undefined) => {
    const text = value === null || value === undefined ? "" : String(value);
    return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  return (
    [table.columns, ...table.rows].map((row) => row.map(field).join(",")).join("\r\n") + "\r\n"
  );
}

function download(name: string, type: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** A safe file name from a view's name. */
function fileName(base: string): string {
  return (
    base
      .replace(/[^a-z0-9]+/gi, "-")
      .replace(/^-|-$/g, "")
      .toLowerCase() || "data"
  );
}

export function DataOut({
  name,
  queries,
  table,
  data,
}: {
  name: string;
  queries: SentQuery[];
  table?: Table | null;
  data?: unknown;
}) {
  if (!queries.length) return null;
  const base = fileName(name);
  const json = async () => {
    if (data !== undefined) {
      // a view that pages through a list: the whole list it assembled
      download(`${base}.json`, "application/json", JSON.stringify(data, null, 2) + "\n");
      return;
    }
    // the answers the view already has: request() returns them from its cache
    const answers = await Promise.all(
      queries.map(async (q) => ({
        query: operationName(String(q.document)),
        variables: q.variables ?? {},
        data: await (request as (d: unknown, v?: unknown) => Promise<unknown>)(
          q.document,
          q.variables,
        ),
      })),
    );
    download(
      `${base}.json`,
      "application/json",
      JSON.stringify(answers.length === 1 ? answers[0] : answers, null, 2) + "\n",
    );
  };
  return (
    <details class="data-out">
      <summary>Data: JSON{table ? ", CSV" : ""} and the GraphQL query</summary>
      <div class="data-out-body">
        <p class="data-out-buttons">
          <button type="button" onClick={() => void json()}>
            Download JSON
          </button>
          {table ? (
            <button type="button" onClick={() => download(`${base}.csv`, "text/csv", toCsv(table))}>
              Download CSV ({table.rows.length} rows)
            </button>
          ) : null}
        </p>
        {queries.map((q, i) => {
          const text = String(q.document).trim();
          const op = operationName(text);
          return (
            <div key={i} class="data-out-query">
              <p>
                The query <code>{op}</code>
                {q.variables && Object.keys(q.variables).length ? (
                  <>
                    {" "}
                    with <code>{JSON.stringify(q.variables)}</code>
                  </>
                ) : null}
                :{" "}
                <a href={graphiqlUrl(text, q.variables)} target="_blank" rel="noopener">
                  open it in GraphiQL
                </a>
              </p>
              <pre class="query-text" tabIndex={0} role="region" aria-label={`GraphQL query ${op}`}>
                {text}
              </pre>
            </div>
          );
        })}
      </div>
    </details>
  );
}
