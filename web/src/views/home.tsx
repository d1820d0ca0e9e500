/** Home: what the explorer is, and every entity by kind (the root lists, first 100 of each). */
import { request } from "../api.js";
import { EntityLink, Heading, Status, useLoad, useTitle } from "../components.js";
import { DataOut } from "../dataout.js";
import { BrowseDocument } from "../documents.js";
import { KIND_LABELS, type Kind, type Ref } from "../model.js";

const ORDER: { kind: Kind; field: keyof BrowseLists }[] = [
  { kind: "state", field: "states" },
  { kind: "office", field: "offices" },
  { kind: "person", field: "persons" },
  { kind: "post", field: "posts" },
  { kind: "tenure", field: "tenures" },
  { kind: "event", field: "events" },
  { kind: "place", field: "places" },
  { kind: "dimension", field: "dimensions" },
  { kind: "priority", field: "priorities" },
  { kind: "source", field: "sources" },
];

type BrowseLists = Record<
  | "states"
  | "offices"
  | "persons"
  | "posts"
  | "tenures"
  | "events"
  | "places"
  | "dimensions"
  | "priorities"
  | "sources",
  { totalCount: number; nodes: Ref[] }
>;

export function HomeView() {
  useTitle(null);
  const loaded = useLoad(() => request(BrowseDocument) as Promise<BrowseLists>, []);
  return (
    <>
      <Heading>Kazakhstan and the OSCE</Heading>
      <p class="lead">
        A knowledge graph of the cooperation between the Republic of Kazakhstan and the OSCE:
        states, offices, persons, posts and tenures, events and places. Every fact links to the
        words of the source that state it.
      </p>
      <Status loaded={loaded}>
        {loaded.state === "done" ? (
          <div class="browse">
            {ORDER.map(({ kind, field }) => {
              const list = loaded.value[field];
              if (!list.nodes.length) return null;
              return (
                <section key={kind} aria-labelledby={`browse-${kind}`}>
                  <h2 id={`browse-${kind}`}>
                    {KIND_LABELS[kind].many} <span class="count">({list.totalCount})</span>
                  </h2>
                  <ul class="plain">
                    {list.nodes.map((ref) => (
                      <li key={ref.key}>
                        <EntityLink entity={ref} />
                      </li>
                    ))}
                  </ul>
                  {list.totalCount > list.nodes.length ? (
                    <p class="note">
                      Showing the first {list.nodes.length} of {list.totalCount}.
                    </p>
                  ) : null}
                </section>
              );
            })}
          </div>
        ) : null}
        {loaded.state === "done" ? (
          <DataOut
            name="every entity"
            queries={[{ document: BrowseDocument }]}
            table={{
              columns: ["kind", "label", "key"],
              rows: ORDER.flatMap(({ kind, field }) =>
                loaded.value[field].nodes.map((ref) => [kind, ref.label, ref.key]),
              ),
            }}
          />
        ) : null}
      </Status>
    </>
  );
}
