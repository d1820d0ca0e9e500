/**
 * "Who headed which office": one block per office with tenures (and per state with posts of its
 * own), each tenure a bar on a shared time axis (a POINT_IN_TIME tenure a marker), and an as-of
 * date that marks each tenure certain, possible or not on that date. The certainty is the API's
 * (`tenures(asOf:, certainty: [YES, MAYBE, NO])`); the view only shows it, in words and in the
 * drawing. The date is in the URL (`/offices?asOf=2016-03-01`).
 */
import { useEffect, useState } from "preact/hooks";
import { type Answered, readAgainWhenStale, request } from "../api.js";
import { DateText, EntityLink, Heading, Status, useLoad, useTitle } from "../components.js";
import { DataOut } from "../dataout.js";
import {
  OfficesNamesDocument,
  OfficesTenuresDocument,
  SourcesUpdatedDocument,
} from "../documents.js";
import type {
  Certainty,
  ExplorerOfficesNamesQuery,
  ExplorerOfficesTenuresQuery,
  TenureBarFragment,
} from "../gql/graphql.js";
import type { Ref } from "../model.js";
import { entityUrl, navigate, officesUrl } from "../router.js";
import { type Domain, dayNumber, daysOf, domainFor, knownDays, position } from "../timeaxis.js";
import { AxisHeader, Legend, PointMarker, SpanMarks, Track } from "../timetrack.js";
import { readableSpan } from "./timeline.js";

interface TenureCell {
  tenure: TenureBarFragment;
  /** The API's certainty for the as-of date; null without a date. */
  certainty: Certainty | null;
}

interface Block {
  ref: Ref;
  /**
   * Whether one of its posts heads it (`Post.headsOffice`: a head of office, or a Special
   * Representative heading hers, as the API's `heads` counts them): then "nobody is known to head it".
   */
  headed: boolean;
  /** The names the office bore on the as-of date, as the API says (only with a date). */
  calledThen: { name: string; certainty: Certainty | null }[];
  tenures: TenureCell[];
  total: number;
}

interface OfficesData {
  offices: Block[];
  states: Block[];
  /** How many offices there are, and of how many the names on the date were read. */
  officesTotal: number;
  officesShown: number;
  updated: string | null;
}

const CERTAINTY_TEXT: Record<
  Certainty,
  { symbol: string; word: string; long: (date: string) => string }
> = {
  YES: { symbol: "✓", word: "certain", long: (date) => `certainly held on ${date}` },
  MAYBE: {
    symbol: "?",
    word: "possible",
    long: (date) => `possibly held on ${date}, not certainly`,
  },
  NO: { symbol: "✗", word: "not then", long: (date) => `not held on ${date}` },
};

async function loadOffices(asOf: string): Promise<OfficesData> {
  const [tenures, names, sources] = await Promise.all([
    allTenures(asOf),
    request(OfficesNamesDocument, { asOf: asOf || null }),
    request(SourcesUpdatedDocument),
  ]);
  const { offices, states } = groupTenures(tenures, names);
  return {
    offices,
    states,
    officesTotal: names.offices.totalCount,
    officesShown: names.offices.nodes.length,
    updated:
      sources.sources.nodes
        .map((s) => s.updated?.latest ?? null)
        .filter((d): d is string => d !== null)
        .sort()
        .at(-1) ?? null,
  };
}

/** Every tenure, page after page: the API's pages are small on purpose (its cost limit), the view shows them all. */
async function allTenures(asOf: string): Promise<TenureCell[]> {
  const cells: TenureCell[] = [];
  let after: string | null = null;
  for (;;) {
    const page: Answered<ExplorerOfficesTenuresQuery> = await request(OfficesTenuresDocument, {
      asOf: asOf || null,
      certainty: asOf ? ["YES", "MAYBE", "NO"] : null,
      after,
    });
    cells.push(
      ...page.tenures.edges.map((edge) => ({ tenure: edge.node, certainty: edge.certainty })),
    );
    const { hasNextPage, endCursor } = page.tenures.pageInfo;
    // a page that ends without a cursor cannot be followed: stop rather than ask for the first page again
    if (!hasNextPage || !endCursor || endCursor === after) return cells;
    after = endCursor;
  }
}

/**
 * One block per office whose posts have tenures (a chairmanship is a post of its office, held by a
 * state), then one per state with posts of its own (a head of state): in the API's order of offices
 * and states, each block's tenures in the API's (chronological) order.
 */
function groupTenures(
  cells: TenureCell[],
  names: Answered<ExplorerOfficesNamesQuery>,
): { offices: Block[]; states: Block[] } {
  const blocks = new Map<string, Block>();
  const blockOf = (ref: Ref, calledThen: Block["calledThen"]): Block => {
    let block = blocks.get(ref.key);
    if (!block)
      blocks.set(ref.key, (block = { ref, headed: false, calledThen, tenures: [], total: 0 }));
    return block;
  };
  const calledThen = new Map(
    names.offices.nodes.map((office) => [
      office.key,
      office.nameHistory.edges
        .filter((e) => e.certainty !== null)
        .map((e) => ({ name: e.node.name, certainty: e.certainty })),
    ]),
  );
  for (const cell of cells) {
    const { office, state } = cell.tenure.post;
    const owner = office ?? state;
    if (!owner) continue; // a post of neither an office nor a state: nothing to put it under
    const block = blockOf(refOf(owner), office ? (calledThen.get(office.key) ?? []) : []);
    block.tenures.push(cell);
    block.total += 1;
    if (office && cell.tenure.post.headsOffice) block.headed = true;
  }
  const inOrder = (keys: string[], typename: string) => {
    const known = new Set(keys);
    const rest = [...blocks.values()]
      .filter((b) => b.ref.__typename === typename && !known.has(b.ref.key))
      .map((b) => b.ref.key);
    return [...keys, ...rest].flatMap((key) => blocks.get(key) ?? []);
  };
  return {
    offices: inOrder(
      names.offices.nodes.map((o) => o.key),
      "Office",
    ),
    states: inOrder(
      names.states.nodes.map((s) => s.key),
      "State",
    ),
  };
}

const refOf = (entity: Ref): Ref => ({
  __typename: entity.__typename,
  key: entity.key,
  label: entity.label,
});

export function OfficesView({ asOf }: { asOf: string }) {
  useTitle(asOf ? `Who headed which office, as of ${asOf}` : "Who headed which office");
  const loaded = useLoad(() => readAgainWhenStale(() => loadOffices(asOf)), [asOf]);
  return (
    <>
      <Heading focusKey="offices">Who headed which office</Heading>
      <p class="lead">
        Every office with a post that someone held, and every tenure on one time axis. Choose a date
        to see, for each tenure, whether the source makes it certain, only possible, or excludes it
        on that date.
      </p>
      <AsOfForm asOf={asOf} />
      <Status
        loaded={loaded}
        explain={(error) =>
          error.argument === "asOf" ? (
            <>
              “{asOf}” is not a date the explorer can read. Write a day (2016-03-01), a month
              (2016-03) or a year (2016), or <a href="/offices">show every tenure without a date</a>
              .
            </>
          ) : null
        }
      >
        {loaded.state === "done" ? (
          <>
            <OfficesBody data={loaded.value} asOf={asOf} />
            <DataOut
              name={asOf ? `offices as of ${asOf}` : "offices"}
              queries={[
                {
                  document: OfficesTenuresDocument,
                  variables: {
                    asOf: asOf || null,
                    certainty: asOf ? ["YES", "MAYBE", "NO"] : null,
                    after: null,
                  },
                },
                { document: OfficesNamesDocument, variables: { asOf: asOf || null } },
              ]}
              data={{
                asOf: asOf || null,
                offices: loaded.value.offices,
                states: loaded.value.states,
              }}
              table={{
                columns: [
                  "office or state",
                  "key",
                  "holder",
                  "holder key",
                  "post",
                  "when (EDTF)",
                  ...(asOf ? [`certainty on ${asOf}`] : []),
                ],
                rows: [...loaded.value.offices, ...loaded.value.states].flatMap((block) =>
                  block.tenures.map((cell) => [
                    block.ref.label,
                    block.ref.key,
                    cell.tenure.holder.label,
                    cell.tenure.holder.key,
                    cell.tenure.post.label,
                    cell.tenure.when.edtf,
                    ...(asOf ? [cell.certainty ?? ""] : []),
                  ]),
                ),
              }}
            />
          </>
        ) : null}
      </Status>
    </>
  );
}

function AsOfForm({ asOf }: { asOf: string }) {
  const [value, setValue] = useState(asOf);
  useEffect(() => setValue(asOf), [asOf]);
  return (
    <form
      class="filters asof-form"
      aria-label="As of a date"
      onSubmit={(event) => {
        event.preventDefault();
        navigate(officesUrl(value.trim()));
      }}
    >
      <div class="field">
        <label for="asof-input">As of</label>
        <input
          id="asof-input"
          name="asOf"
          value={value}
          size={12}
          autocomplete="off"
          spellcheck={false}
          placeholder="2016-03-01"
          aria-describedby="asof-hint"
          onInput={(e) => setValue((e.target as HTMLInputElement).value)}
        />
        <button type="submit">Show</button>
        {asOf ? <a href="/offices">Clear the date</a> : null}
      </div>
      <p id="asof-hint" class="note">
        A day (2016-03-01), a month (2016-03) or a year (2016). Try{" "}
        {["2005-01-01", "2010", "2016-03-01", "2020-01-01"].map((date, i) => (
          <span key={date}>
            {i ? ", " : ""}
            <a href={officesUrl(date)} aria-current={date === asOf ? "page" : undefined}>
              {date}
            </a>
          </span>
        ))}
        .
      </p>
    </form>
  );
}

function OfficesBody({ data, asOf }: { data: OfficesData; asOf: string }) {
  const horizon = data.updated ? dayNumber(data.updated) : null;
  const asOfDays = asOf ? daysOf(asOf) : null;
  const all = [...data.offices, ...data.states];
  const days = all.flatMap((block) => block.tenures.flatMap((cell) => knownDays(cell.tenure.when)));
  if (asOfDays) days.push(asOfDays.earliest, asOfDays.latest);
  const domain = domainFor(days, { horizon, fadeRoom: true, padYears: 1 });
  const horizonAt = horizon !== null ? position(domain, horizon + 1) : null;
  const band = asOfDays
    ? {
        left: position(domain, asOfDays.earliest),
        width: position(domain, asOfDays.latest + 1) - position(domain, asOfDays.earliest),
      }
    : null;
  const marks = [
    ...(horizonAt !== null
      ? [
          {
            at: horizonAt,
            label: `The source's last update: ${data.updated}`,
            className: "horizon-mark",
          },
        ]
      : []),
    ...(band
      ? [{ at: band.left + band.width / 2, label: `As of ${asOf}`, className: "asof-mark" }]
      : []),
  ];
  const context = { domain, horizon, horizonAt, band, asOf, updated: data.updated };

  return (
    <>
      {asOf ? (
        <p role="status" class="note">
          Showing how certainly each tenure held on {asOf}.
        </p>
      ) : (
        <p role="status" class="note">
          No date chosen: every tenure is shown without a certainty.
        </p>
      )}
      <Legend
        items={[
          {
            sample: "sample-solid",
            text: "a tenure, from its start to its end as precisely as the source gives them",
          },
          {
            sample: "sample-point",
            text: "a tenure attested only at one moment (the source gives no start or end)",
          },
          {
            sample: "sample-open",
            text: `fading out: still held at the source's last update${data.updated ? ` (${data.updated}, dotted line)` : ""}`,
          },
          {
            sample: "sample-unknown",
            text: "dashed and fading: a start or end the source does not give",
          },
          ...(asOf
            ? [
                { sample: "sample-asof", text: `the as-of date, ${asOf}` },
                { sample: "sample-yes", text: "✓ certain: the tenure covers the whole date" },
                {
                  sample: "sample-maybe",
                  text: "? possible: it may have held, the source cannot say for sure",
                },
                { sample: "sample-no", text: "✗ not then: it certainly did not hold" },
              ]
            : []),
        ]}
      />
      <div class="time-grid">
        <div class="time-row axis-row" aria-hidden="true">
          <div class="row-text" />
          <AxisHeader domain={domain} marks={marks} />
        </div>
        <section aria-labelledby="offices-heading">
          <h2 id="offices-heading">Offices</h2>
          <p class="note">
            Chairmanships and the Troika are posts held by a state: they appear under their office,
            with the state as holder.
          </p>
          {data.offices.map((block) => (
            <BlockView key={block.ref.key} block={block} {...context} />
          ))}
          {data.officesTotal > data.officesShown ? (
            <p class="note">
              Names on the date were read for the first {data.officesShown} of {data.officesTotal}{" "}
              offices only.
            </p>
          ) : null}
        </section>
        {data.states.length ? (
          <section aria-labelledby="states-heading">
            <h2 id="states-heading">Posts of states</h2>
            <p class="note">A head of state's post belongs to the state, not to an office.</p>
            {data.states.map((block) => (
              <BlockView key={block.ref.key} block={block} {...context} />
            ))}
          </section>
        ) : null}
      </div>
    </>
  );
}

interface DrawContext {
  domain: Domain;
  horizon: number | null;
  horizonAt: number | null;
  band: { left: number; width: number } | null;
  asOf: string;
  updated: string | null;
}

function BlockView({
  block,
  domain,
  horizon,
  horizonAt,
  band,
  asOf,
  updated,
}: { block: Block } & DrawContext) {
  const headingId = `block-${block.ref.key.replace(/[^a-z0-9]+/gi, "-")}`;
  const then = block.calledThen.filter((n) => n.name !== block.ref.label);
  return (
    <section class="office-block" aria-labelledby={headingId} data-key={block.ref.key}>
      <h3 id={headingId}>
        <EntityLink entity={block.ref} />
      </h3>
      {asOf && then.length ? (
        <p class="note">
          Called on {asOf}:{" "}
          {then.map((n, i) => (
            <span key={n.name}>
              {i ? " or " : ""}
              {n.name}
              {n.certainty === "MAYBE" ? " (possibly)" : ""}
            </span>
          ))}
        </p>
      ) : null}
      {asOf ? <Summary block={block} asOf={asOf} /> : null}
      <ul class="tenure-list" aria-label={`Tenures of ${block.ref.label}`}>
        {block.tenures.map((cell) => (
          <TenureRow
            key={cell.tenure.key}
            cell={cell}
            domain={domain}
            horizon={horizon}
            horizonAt={horizonAt}
            band={band}
            asOf={asOf}
            updated={updated}
          />
        ))}
      </ul>
      {block.total > block.tenures.length ? (
        <p class="note">
          Showing the first {block.tenures.length} of {block.total} tenures.
        </p>
      ) : null}
    </section>
  );
}

/** What the API says of the office on the as-of date, in one plain sentence. */
function Summary({ block, asOf }: { block: Block; asOf: string }) {
  const yes = block.tenures.filter((t) => t.certainty === "YES");
  const maybe = block.tenures.filter((t) => t.certainty === "MAYBE");
  const names = (cells: TenureCell[]) =>
    cells.map((c) => `${c.tenure.holder.label} (${c.tenure.post.label})`).join(", ");
  const verb = block.headed
    ? "head this office"
    : block.ref.__typename === "State"
      ? "hold this state's posts"
      : "hold this office's posts";
  return (
    <p class="asof-summary">
      <strong>On {asOf}:</strong>{" "}
      {!yes.length && !maybe.length ? <span class="nobody">nobody is known to {verb}.</span> : null}
      {yes.length ? <span>certainly {names(yes)}. </span> : null}
      {maybe.length ? (
        <span>
          {yes.length ? "Possibly also" : "possibly, not certainly"} {names(maybe)}.
        </span>
      ) : null}
    </p>
  );
}

function TenureRow({
  cell,
  domain,
  horizon,
  horizonAt,
  band,
  asOf,
  updated,
}: { cell: TenureCell } & DrawContext) {
  const { tenure, certainty } = cell;
  const point = tenure.timing === "POINT_IN_TIME";
  const certaintyClass = certainty ? ` cert-${certainty}` : "";
  const title = `${tenure.holder.label}, ${tenure.post.label}: ${tenure.when.edtf}${certainty && asOf ? `; ${CERTAINTY_TEXT[certainty].long(asOf)}` : ""}`;
  return (
    <li class={`time-row tenure-row${certaintyClass}`} data-certainty={certainty ?? undefined}>
      <div class="row-text">
        <EntityLink entity={tenure.holder} /> <span class="sep">·</span>{" "}
        <a href={entityUrl(tenure.post.key)}>{tenure.post.label}</a>
        <span class="detail">
          <DateText when={tenure.when} readable={readableSpan(tenure.when)} updated={updated} />
          {point ? <span class="date-note"> · attested only at this moment</span> : null}
          {" · "}
          <a href={entityUrl(tenure.key)}>tenure record</a>
        </span>
        {certainty && asOf ? (
          <span class={`certainty certainty-${certainty}`}>
            <span aria-hidden="true">{CERTAINTY_TEXT[certainty].symbol} </span>
            {CERTAINTY_TEXT[certainty].word[0]!.toUpperCase() +
              CERTAINTY_TEXT[certainty].word.slice(1)}
            : {CERTAINTY_TEXT[certainty].long(asOf)}
          </span>
        ) : null}
      </div>
      <Track domain={domain} horizon={horizonAt} asOf={band}>
        {point ? (
          <PointMarker
            span={tenure.when}
            domain={domain}
            className={`tenure-mark${certaintyClass}`}
            title={title}
          />
        ) : (
          <SpanMarks
            span={tenure.when}
            domain={domain}
            horizon={horizon}
            className={`tenure-mark${certaintyClass}`}
            title={title}
          />
        )}
      </Track>
    </li>
  );
}
