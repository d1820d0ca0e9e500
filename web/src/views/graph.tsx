/**
 * An entity's neighbourhood as a graph (cytoscape, loaded on demand): the entity in the middle, the
 * entities its page links to around it, and those its entries name one step further out (the office
 * of a post). Selecting a node shows its details and expands it in place (its own links are added
 * around it); zoom and fit buttons, filters by kind and relation, and "how are these two
 * connected?" over the API's `path`. Labels keep one size on screen whatever the zoom; a crowded
 * graph labels only the middle, the selected or pointed node and its neighbours. The same links
 * are listed below the drawing for the keyboard and screen readers.
 */
import type { Core, ElementDefinition, NodeSingular, StylesheetJson } from "cytoscape";
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from "preact/hooks";
import { request } from "../api.js";
import { KindBadge, ProvenanceList, Status, useTitle } from "../components.js";
import { DataOut } from "../dataout.js";
import { PathDocument, SuggestDocument } from "../documents.js";
import type { ExplorerPathQuery } from "../gql/graphql.js";
import {
  type GraphEdge,
  type GraphNode,
  KIND_LABELS,
  KINDS,
  type Kind,
  kindOfKey,
  loadEntity,
  neighbourhood,
  PAGE_DOCUMENTS,
} from "../model.js";
import { entityUrl, graphUrl, replaceSearchParams, useLocation } from "../router.js";
import { EntityHeader, MissingEntity, useEntity } from "./entity.js";

declare global {
  interface Window {
    /** The cytoscape instance of the graph on screen (for the browser tests and the console). */
    explorerGraph?: Core;
  }
}

/** Colour and shape per kind: the shape tells kinds apart without relying on colour. */
export const KIND_STYLE: Record<Kind, { colour: string; shape: string }> = {
  state: { colour: "#1f5fa8", shape: "round-rectangle" },
  office: { colour: "#b84a00", shape: "rectangle" },
  person: { colour: "#00795c", shape: "ellipse" },
  post: { colour: "#9c3f86", shape: "diamond" },
  tenure: { colour: "#6b6b00", shape: "tag" },
  event: { colour: "#a3122b", shape: "star" },
  place: { colour: "#2f6f8a", shape: "triangle" },
  dimension: { colour: "#5a4fb3", shape: "hexagon" },
  priority: { colour: "#7a5230", shape: "pentagon" },
  source: { colour: "#555555", shape: "barrel" },
};

const STYLE: StylesheetJson = [
  {
    selector: "node",
    style: {
      label: "data(short)",
      "font-size": 11,
      "font-family": "system-ui, sans-serif",
      color: "#1a1a1a",
      "text-valign": "bottom",
      "text-margin-y": 4,
      "text-wrap": "wrap",
      "text-max-width": "140px",
      "text-background-color": "#ffffff",
      "text-background-opacity": 0.85,
      "text-background-padding": "2px",
      width: 22,
      height: 22,
      "background-color": "data(colour)",
      shape: "data(shape)" as never,
    },
  },
  {
    selector: "node[?centre]",
    style: {
      width: 38,
      height: 38,
      "font-size": 13,
      "font-weight": "bold",
      "border-width": 3,
      "border-color": "#1a1a1a",
    },
  },
  { selector: "node:active, node:selected", style: { "overlay-opacity": 0.15 } },
  {
    selector: "edge",
    style: {
      label: "data(label)",
      width: 1.5,
      "line-color": "#8a8a8a",
      "target-arrow-color": "#8a8a8a",
      "target-arrow-shape": "triangle",
      "curve-style": "bezier",
      "font-size": 9,
      color: "#444444",
      "text-rotation": "autorotate",
      "text-background-color": "#ffffff",
      "text-background-opacity": 0.85,
      "text-background-padding": "1px",
    },
  },
  // last, so that they override the rules above (cytoscape applies rules in order)
  { selector: "node:selected", style: { "border-width": 4, "border-color": "#c25100" } },
  // a crowded graph: only the middle, the selected or pointed node and its neighbours are labelled
  { selector: "node.quiet", style: { label: "" } },
  { selector: "edge.quiet", style: { label: "" } },
  { selector: ".filtered", style: { display: "none" } },
  { selector: "node.on-path", style: { "border-width": 4, "border-color": "#c25100" } },
  {
    selector: "edge.on-path",
    style: { width: 4, "line-color": "#c25100", "target-arrow-color": "#c25100", color: "#1a1a1a" },
  },
];

/**
 * A radial layout, the same on every load: the entity in the middle, its direct neighbours on a
 * ring, and each entity one step further out placed beyond the neighbour that names it.
 */
/** The drawing is wider than high: rings are ellipses this much wider than high. */
const WIDE = 1.6;

export function radialLayout(
  graph: ReturnType<typeof neighbourhood>,
  wide = WIDE,
): Record<string, { x: number; y: number }> {
  const positions: Record<string, { x: number; y: number }> = {};
  const centre = graph.nodes.find((n) => n.centre)!;
  positions[centre.ref.key] = { x: 0, y: 0 };
  const parentOf = new Map<string, string>();
  for (const node of graph.nodes.filter((n) => n.distance === 2)) {
    const edge = graph.edges.find(
      (e) =>
        e.to === node.ref.key && graph.nodes.some((n) => n.distance === 1 && n.ref.key === e.from),
    );
    if (edge) parentOf.set(node.ref.key, edge.from);
  }
  const ring = graph.nodes.filter(
    (n) => n.distance === 1 || (n.distance === 2 && !parentOf.has(n.ref.key)),
  );
  const r1 = Math.max(170, (ring.length * 70) / (2 * Math.PI));
  const r2 = r1 + 170;
  const step = (2 * Math.PI) / Math.max(ring.length, 1);
  const angles = new Map<string, number>();
  ring.forEach((node, i) => {
    const angle = i * step;
    angles.set(node.ref.key, angle);
    positions[node.ref.key] = { x: wide * r1 * Math.cos(angle), y: r1 * Math.sin(angle) };
  });
  const children = new Map<string, string[]>();
  for (const [child, parent] of parentOf)
    children.set(parent, [...(children.get(parent) ?? []), child]);
  for (const [parent, list] of children) {
    const base = angles.get(parent) ?? 0;
    const spread = Math.min(step / list.length, 0.35);
    list.forEach((child, j) => {
      const angle = base + (j - (list.length - 1) / 2) * spread;
      positions[child] = { x: wide * r2 * Math.cos(angle), y: r2 * Math.sin(angle) };
    });
  }
  return positions;
}

function shorten(label: string): string {
  return label.length > 48 ? `${label.slice(0, 46)}…` : label;
}

/** Labels are this many pixels tall on screen at every zoom. */
const LABEL_PX = 13;
const EDGE_LABEL_PX = 11;
/** More nodes than this (fewer on a narrow screen) and the graph labels only what is in focus. */
const CROWDED = 18;
const CROWDED_NARROW = 8;

/** The edge labels (relations) of a graph, each once: an edge may carry several, comma-separated. */
function relationsOf(edges: readonly GraphEdge[]): string[] {
  return [...new Set(edges.flatMap((e) => e.label.split(", ")))].sort();
}

function nodeElement(node: GraphNode, position?: { x: number; y: number }): ElementDefinition {
  const style = KIND_STYLE[kindOfKey(node.ref.key) ?? "source"];
  return {
    group: "nodes",
    data: {
      id: node.ref.key,
      short: shorten(node.ref.label),
      label: node.ref.label,
      centre: node.centre,
      distance: node.distance,
      ...style,
    },
    ...(position ? { position } : {}),
  };
}

function edgeElement(edge: GraphEdge): ElementDefinition {
  return {
    group: "edges",
    data: {
      id: `${edge.from} -> ${edge.to}`,
      source: edge.from,
      target: edge.to,
      label: edge.label,
    },
  };
}

type Path = NonNullable<ExplorerPathQuery["path"]>;

export function GraphView({ kind, entityKey }: { kind: Kind; entityKey: string }) {
  const loaded = useEntity(kind, entityKey);
  const view = loaded.state === "done" ? loaded.value : null;
  useTitle(view ? `${view.title}: graph` : loaded.state === "done" ? "Not found" : null);
  const base = useMemo(() => (view ? neighbourhood(view) : null), [view]);
  const container = useRef<HTMLDivElement>(null);
  const cyRef = useRef<Core | null>(null);
  const [drawing, setDrawing] = useState<"loading" | "ready" | "failed">("loading");
  // what the drawing holds beyond the entity's own neighbourhood: nodes expanded in place
  const [extra, setExtra] = useState<{ nodes: GraphNode[]; edges: GraphEdge[] }>({
    nodes: [],
    edges: [],
  });
  const [expanded, setExpanded] = useState<string[]>([]);
  const [selected, setSelected] = useState<string | null>(null);
  const [pointed, setPointed] = useState<string | null>(null);
  const [hiddenKinds, setHiddenKinds] = useState<Kind[]>([]);
  const [hiddenRelations, setHiddenRelations] = useState<string[]>([]);
  const [path, setPath] = useState<{
    state: "idle" | "loading" | "none" | "failed" | "done";
    path?: Path;
    message?: string;
  }>({ state: "idle" });
  const { search } = useLocation();
  const pathTo = new URLSearchParams(search).get("to") ?? "";

  const graph = useMemo(() => {
    if (!base) return null;
    const nodes = new Map(base.nodes.map((n) => [n.ref.key, n]));
    for (const n of extra.nodes) if (!nodes.has(n.ref.key)) nodes.set(n.ref.key, n);
    const edges = new Map(base.edges.map((e) => [`${e.from} ${e.to}`, e]));
    for (const e of extra.edges)
      if (!edges.has(`${e.from} ${e.to}`) && !edges.has(`${e.to} ${e.from}`))
        edges.set(`${e.from} ${e.to}`, e);
    return { nodes: [...nodes.values()], edges: [...edges.values()] };
  }, [base, extra]);

  // a new entity: a fresh drawing
  useEffect(() => {
    setExtra({ nodes: [], edges: [] });
    setExpanded([]);
    setSelected(null);
    setHiddenKinds([]);
    setHiddenRelations([]);
  }, [entityKey]);

  // draw the entity's own neighbourhood; expansions and the path are added to this drawing
  useEffect(() => {
    if (!base || !container.current) return;
    let cy: Core | undefined;
    let current = true;
    setDrawing("loading");
    import("cytoscape")
      .then(({ default: cytoscape }) => {
        if (!current || !container.current) return;
        cy = cytoscape({
          container: container.current,
          elements: [...base.nodes.map((n) => nodeElement(n)), ...base.edges.map(edgeElement)],
          style: STYLE,
          // a portrait screen gets rings taller than wide
          layout: {
            name: "preset",
            positions: radialLayout(base, container.current.clientWidth < 600 ? 0.7 : WIDE),
            fit: true,
            padding: 30,
            animate: false,
          },
          minZoom: 0.15,
          maxZoom: 4,
          autoungrabify: true,
          boxSelectionEnabled: false,
        });
        // a small neighbourhood is not blown up to fill the whole canvas
        if (cy.zoom() > 1.2) {
          cy.zoom(1.2);
          cy.center();
        }
        cy.on("tap", "node", (event) => setSelected((event.target as NodeSingular).id()));
        cy.on("tap", (event) => {
          if (event.target === cy) setSelected(null);
        });
        cy.on("mouseover", "node", (event) => {
          container.current?.classList.add("pointing");
          setPointed((event.target as NodeSingular).id());
        });
        cy.on("mouseout", "node", () => {
          container.current?.classList.remove("pointing");
          setPointed(null);
        });
        cy.on("zoom", () => scaleLabels(cy!));
        scaleLabels(cy);
        cyRef.current = cy;
        window.explorerGraph = cy;
        setDrawing("ready");
      })
      .catch(() => current && setDrawing("failed"));
    return () => {
      current = false;
      if (window.explorerGraph === cy) delete window.explorerGraph;
      if (cyRef.current === cy) cyRef.current = null;
      cy?.destroy();
    };
  }, [base]);

  // nodes added by an expansion or a path: placed around the node they came from (a layout
  // effect, as the one below that marks them, which must run after it)
  useLayoutEffect(() => {
    const cy = cyRef.current;
    if (!cy || drawing !== "ready" || !graph) return;
    const added: ElementDefinition[] = [];
    const fresh = graph.nodes.filter((n) => cy.getElementById(n.ref.key).empty());
    const byAnchor = new Map<string, GraphNode[]>();
    for (const node of fresh) {
      const edge = graph.edges.find(
        (e) =>
          (e.to === node.ref.key && !cy.getElementById(e.from).empty()) ||
          (e.from === node.ref.key && !cy.getElementById(e.to).empty()),
      );
      const anchor = edge ? (edge.to === node.ref.key ? edge.from : edge.to) : entityKey;
      byAnchor.set(anchor, [...(byAnchor.get(anchor) ?? []), node]);
    }
    for (const [anchor, nodes] of byAnchor) {
      const at = cy.getElementById(anchor).position();
      const centre = cy.getElementById(entityKey).position();
      // fan out away from the middle of the graph
      const away = Math.atan2(at.y - centre.y, at.x - centre.x) || 0;
      const spread = Math.min(Math.PI * 1.2, 0.45 * nodes.length);
      const radius = 110 + 6 * nodes.length;
      nodes.forEach((node, i) => {
        const angle =
          away + (nodes.length === 1 ? 0 : -spread / 2 + (spread * i) / (nodes.length - 1));
        added.push(
          nodeElement(node, {
            x: at.x + radius * Math.cos(angle),
            y: at.y + radius * Math.sin(angle),
          }),
        );
      });
    }
    for (const edge of graph.edges)
      if (cy.getElementById(`${edge.from} -> ${edge.to}`).empty()) added.push(edgeElement(edge));
    if (added.length) {
      cy.add(added);
      // what was added must be in view: zoom out to fit when some of it is not
      const e = cy.extent();
      const outside = cy.nodes().some((n) => {
        const p = (n as NodeSingular).position();
        return p.x < e.x1 || p.x > e.x2 || p.y < e.y1 || p.y > e.y2;
      });
      if (outside) cy.fit(cy.elements(), 30);
    }
    scaleLabels(cy);
  }, [graph, drawing, entityKey]);

  // what is labelled, filtered, and on the path
  const crowded =
    (graph?.nodes.length ?? 0) >
    (typeof window !== "undefined" && window.innerWidth < 600 ? CROWDED_NARROW : CROWDED);
  // in the render that says the drawing is ready, not after it has been painted (a plain effect
  // waits for the next frame): cytoscape drew a crowded graph with every label for a frame or
  // more first, and a reader of the page that saw "ready" (tests/web's graphReady) could find
  // every label still on
  useLayoutEffect(() => {
    const cy = cyRef.current;
    if (!cy || drawing !== "ready") return;
    cy.batch(() => {
      const focus = [selected, pointed]
        .filter((k): k is string => !!k)
        .map((k) => cy.getElementById(k))
        .filter((n) => !n.empty());
      const near = cy.collection();
      const nearEdges = cy.collection();
      for (const n of focus) {
        near.merge(n.closedNeighborhood());
        nearEdges.merge(n.connectedEdges());
      }
      cy.getElementById(entityKey).forEach((c) => void near.merge(c));
      cy.elements().removeClass("quiet");
      if (crowded) {
        // the middle keeps its name; edges are named only around the node in focus
        cy.nodes().not(near).addClass("quiet");
        cy.edges().not(nearEdges).addClass("quiet");
      }
      cy.nodes().forEach((n) => {
        const k = kindOfKey(n.id());
        n.toggleClass("filtered", n.id() !== entityKey && !!k && hiddenKinds.includes(k));
      });
      cy.edges().forEach((e) => {
        const labels = String(e.data("label")).split(", ");
        const hidden =
          labels.every((l) => hiddenRelations.includes(l)) ||
          e.source().hasClass("filtered") ||
          e.target().hasClass("filtered");
        e.toggleClass("filtered", hidden);
      });
      cy.elements().removeClass("on-path");
      for (const hop of path.path?.hops ?? []) {
        cy.getElementById(hop.from.key).addClass("on-path").removeClass("quiet filtered");
        cy.getElementById(hop.to.key).addClass("on-path").removeClass("quiet filtered");
        cy.edges()
          .filter(
            (e) =>
              (e.source().id() === hop.from.key && e.target().id() === hop.to.key) ||
              (e.source().id() === hop.to.key && e.target().id() === hop.from.key),
          )
          .addClass("on-path")
          .removeClass("quiet filtered");
      }
    });
    cy.$(":selected").unselect();
    if (selected) cy.getElementById(selected).select();
  }, [drawing, graph, selected, pointed, crowded, hiddenKinds, hiddenRelations, path, entityKey]);

  // selecting a node expands it in place: its own links are added around it
  useEffect(() => {
    if (!selected || selected === entityKey || expanded.includes(selected)) return;
    const k = kindOfKey(selected);
    if (!k) return;
    setExpanded((list) => [...list, selected]);
    loadEntity(k, selected).then(
      (entity) => {
        if (!entity) return;
        const around = neighbourhood(entity);
        setExtra((x) => ({
          nodes: [
            ...x.nodes,
            ...around.nodes
              .filter((n) => !n.centre && n.distance === 1)
              .map((n) => ({ ...n, distance: 2 as const })),
          ],
          edges: [
            ...x.edges,
            ...around.edges.filter((e) => e.from === selected || e.to === selected),
          ],
        }));
      },
      () => setExpanded((list) => list.filter((key) => key !== selected)),
    );
  }, [selected, entityKey, expanded]);

  // how the entity is connected to another: from the URL's `to`
  useEffect(() => {
    if (!pathTo) {
      setPath({ state: "idle" });
      return;
    }
    let current = true;
    setPath({ state: "loading" });
    request(PathDocument, { from: entityKey, to: pathTo }).then(
      ({ path: found }) => {
        if (!current) return;
        if (!found) {
          setPath({ state: "none" });
          return;
        }
        setPath({ state: "done", path: found });
        // the path's entities and hops join the drawing
        setExtra((x) => ({
          nodes: [
            ...x.nodes,
            ...found.entities.map((ref): GraphNode => ({ ref, centre: false, distance: 2 })),
          ],
          edges: [
            ...x.edges,
            ...found.hops.map(
              (hop): GraphEdge => ({
                from: hop.from.key,
                to: hop.to.key,
                label: hop.relation.replace(/^\w+\./, ""),
              }),
            ),
          ],
        }));
      },
      (error: unknown) =>
        current && setPath({ state: "failed", message: (error as Error).message }),
    );
    return () => {
      current = false;
    };
  }, [entityKey, pathTo]);

  const zoomBy = (factor: number) => {
    const cy = cyRef.current;
    if (!cy) return;
    const box = container.current!.getBoundingClientRect();
    cy.zoom({
      level: Math.min(cy.maxZoom(), Math.max(cy.minZoom(), cy.zoom() * factor)),
      renderedPosition: { x: box.width / 2, y: box.height / 2 },
    });
  };
  const fit = () => {
    const cy = cyRef.current;
    if (!cy) return;
    cy.fit(cy.elements(":visible"), 30);
  };

  const neighbours = graph ? graph.nodes.filter((n) => !n.centre) : [];
  const labelOf = (key: string) => graph?.nodes.find((n) => n.ref.key === key)?.ref.label ?? key;
  const edgesOf = (key: string) =>
    (graph?.edges ?? [])
      .filter((e) => e.from === key || e.to === key)
      .map((e) =>
        e.from === entityKey
          ? e.label
          : e.to === key
            ? `${e.label}, from ${labelOf(e.from)}`
            : `${e.label} ${labelOf(e.to)}`,
      );
  const kindsShown = (Object.keys(KINDS) as Kind[]).filter((k) =>
    graph?.nodes.some((n) => !n.centre && kindOfKey(n.ref.key) === k),
  );
  const relations = graph ? relationsOf(graph.edges) : [];
  const detailKey = pointed ?? selected;
  const detail = detailKey ? graph?.nodes.find((n) => n.ref.key === detailKey) : undefined;

  return (
    <Status loaded={loaded}>
      {loaded.state === "done" && !view ? (
        <MissingEntity kind={kind} entityKey={entityKey} />
      ) : null}
      {view && graph ? (
        <article class="graph-view">
          <EntityHeader view={view} current="graph" />
          <p class="note">
            {view.title} and the {base!.nodes.length - 1} entities its page links to. Select a node
            to see its details and add its own links around it;{" "}
            {crowded
              ? "in a graph this full, names show for the selected or pointed node and its neighbours; "
              : ""}
            the list below has every link.
          </p>
          <div class="graph-tools">
            <div class="zoom-buttons" role="group" aria-label="Zoom">
              <button type="button" onClick={() => zoomBy(1.3)} aria-label="Zoom in">
                +
              </button>
              <button type="button" onClick={() => zoomBy(1 / 1.3)} aria-label="Zoom out">
                −
              </button>
              <button type="button" onClick={fit}>
                Fit
              </button>
            </div>
            <details class="graph-filters">
              <summary>Filter by kind and relation</summary>
              <fieldset>
                <legend>Kinds shown</legend>
                {kindsShown.map((k) => (
                  <label key={k}>
                    <input
                      type="checkbox"
                      checked={!hiddenKinds.includes(k)}
                      onChange={(e) =>
                        setHiddenKinds((list) =>
                          (e.target as HTMLInputElement).checked
                            ? list.filter((x) => x !== k)
                            : [...list, k],
                        )
                      }
                    />{" "}
                    {KIND_LABELS[k].many}
                  </label>
                ))}
              </fieldset>
              <fieldset>
                <legend>Relations shown</legend>
                {relations.map((r) => (
                  <label key={r}>
                    <input
                      type="checkbox"
                      checked={!hiddenRelations.includes(r)}
                      onChange={(e) =>
                        setHiddenRelations((list) =>
                          (e.target as HTMLInputElement).checked
                            ? list.filter((x) => x !== r)
                            : [...list, r],
                        )
                      }
                    />{" "}
                    {r}
                  </label>
                ))}
              </fieldset>
            </details>
          </div>
          <div
            ref={container}
            class="graph-canvas"
            role="img"
            aria-label={`Graph of ${view.title} and ${neighbours.length} linked entities; the same links are listed below.`}
            data-state={drawing}
            data-crowded={crowded ? "true" : "false"}
          />
          {drawing === "failed" ? (
            <p class="status error" role="alert">
              The graph drawing could not be loaded; the links below are the same.
            </p>
          ) : null}
          <section class="graph-details" aria-labelledby="graph-details-heading" aria-live="polite">
            <h2 id="graph-details-heading">Details</h2>
            {detail ? (
              <>
                <p>
                  <strong>{detail.ref.label}</strong> <KindBadge entityKey={detail.ref.key} />
                </p>
                <p class="detail">
                  {detail.centre ? "The entity of this graph." : edgesOf(detail.ref.key).join("; ")}
                </p>
                <p>
                  <a href={entityUrl(detail.ref.key)}>Page of {detail.ref.label}</a>
                  {detail.centre ? null : (
                    <>
                      {" · "}
                      <a href={graphUrl(detail.ref.key)}>Centre the graph on it</a>
                    </>
                  )}
                </p>
              </>
            ) : (
              <p class="note">Point at a node, select it, or focus an entry of the list below.</p>
            )}
          </section>
          <ul class="legend" aria-label="Legend">
            {(Object.keys(KINDS) as Kind[])
              .filter((k) => graph.nodes.some((n) => kindOfKey(n.ref.key) === k))
              .map((k) => (
                <li key={k}>
                  <span
                    class={`swatch shape-${KIND_STYLE[k].shape}`}
                    style={{ background: KIND_STYLE[k].colour }}
                    aria-hidden="true"
                  />
                  {KIND_LABELS[k].one} ({KIND_STYLE[k].shape.replace("-", " ")})
                </li>
              ))}
          </ul>
          <PathForm entityKey={entityKey} title={view.title} to={pathTo} path={path} />
          <section aria-labelledby="neighbours-heading">
            <h2 id="neighbours-heading">
              Linked entities <span class="count">({neighbours.length})</span>
            </h2>
            <ul class="items">
              {neighbours.map((node) => (
                <li key={node.ref.key} class={node.ref.key === selected ? "selected" : undefined}>
                  <span class="item-main">
                    <a
                      href={graphUrl(node.ref.key)}
                      onFocus={() => setPointed(node.ref.key)}
                      onBlur={() => setPointed(null)}
                    >
                      {node.ref.label}
                    </a>{" "}
                    <KindBadge entityKey={node.ref.key} />
                    <span class="detail"> {edgesOf(node.ref.key).join("; ")}</span>
                  </span>
                  {node.ref.key !== entityKey && !expanded.includes(node.ref.key) ? (
                    <button
                      type="button"
                      class="via expand"
                      onClick={() => setSelected(node.ref.key)}
                      aria-label={`expand ${node.ref.label}`}
                      title="Add its links to the graph, around it"
                    >
                      expand
                    </button>
                  ) : null}
                  <a
                    class="via"
                    href={entityUrl(node.ref.key)}
                    aria-label={`Page of ${node.ref.label}`}
                  >
                    page
                  </a>
                </li>
              ))}
            </ul>
          </section>
          <DataOut
            name={`graph ${entityKey}`}
            queries={[
              { document: PAGE_DOCUMENTS[kind], variables: { key: entityKey } },
              ...(pathTo
                ? [{ document: PathDocument, variables: { from: entityKey, to: pathTo } }]
                : []),
            ]}
            data={{
              entity: entityKey,
              nodes: graph.nodes.map((n) => ({
                key: n.ref.key,
                label: n.ref.label,
                distance: n.distance,
              })),
              edges: graph.edges,
              path: path.path ?? null,
            }}
            table={{
              columns: ["from", "relation", "to"],
              rows: graph.edges.map((e) => [e.from, e.label, e.to]),
            }}
          />
        </article>
      ) : null}
    </Status>
  );
}

/**
 * Keep labels LABEL_PX tall on screen at any zoom (cytoscape sizes them in graph units), and nodes
 * big enough to see and to hit (16 px, the middle 26 px) when the graph is zoomed out.
 */
function scaleLabels(cy: Core): void {
  const z = cy.zoom();
  cy.batch(() => {
    cy.nodes().style({
      "font-size": LABEL_PX / z,
      "text-max-width": `${150 / z}px`,
      "text-margin-y": 3 / z,
      "text-background-padding": `${2 / z}px`,
    });
    cy.nodes("[!centre]").style({ width: Math.max(22, 16 / z), height: Math.max(22, 16 / z) });
    cy.nodes("[?centre]").style({ width: Math.max(38, 26 / z), height: Math.max(38, 26 / z) });
    cy.edges().style({ "font-size": EDGE_LABEL_PX / z });
  });
}

/** "How is this connected to…?": a name (searched) or a key, answered by the API's `path`. */
function PathForm({
  entityKey,
  title,
  to,
  path,
}: {
  entityKey: string;
  title: string;
  to: string;
  path: { state: string; path?: Path; message?: string };
}) {
  const [value, setValue] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  return (
    <section class="path-view" aria-labelledby="path-heading">
      <h2 id="path-heading">How are these two connected?</h2>
      <form
        class="filters"
        onSubmit={async (event) => {
          event.preventDefault();
          const text = value.trim();
          if (!text) return;
          setProblem(null);
          // a key is taken as it is; a name is looked up with the search
          let key = /^[a-z]+\/[^\s/]+$/.test(text) ? text : null;
          if (!key) {
            const { search } = await request(SuggestDocument, { query: text.slice(0, 200) });
            key = search.nodes.find((h) => h.entity.key !== entityKey)?.entity.key ?? null;
          }
          if (!key) setProblem(`Nothing in the graph is called “${text}”.`);
          else replaceSearchParams({ to: key });
        }}
      >
        <div class="field">
          <label for="path-to">{title} and</label>
          <input
            id="path-to"
            value={value}
            placeholder="a name, e.g. Astana OSCE Summit"
            autocomplete="off"
            onInput={(e) => setValue((e.target as HTMLInputElement).value)}
          />
          <button type="submit">Connect</button>
          {to ? (
            <button type="button" onClick={() => replaceSearchParams({ to: null })}>
              Clear
            </button>
          ) : null}
        </div>
      </form>
      <div aria-live="polite">
        {problem ? <p class="status error">{problem}</p> : null}
        {path.state === "loading" ? <p class="note">Looking for a connection…</p> : null}
        {path.state === "none" ? (
          <p class="note">
            No chain of at most 6 stated relations links {title} to {to}.
          </p>
        ) : null}
        {path.state === "failed" ? (
          <p class="status error">The connection could not be found: {path.message}</p>
        ) : null}
        {path.state === "done" && path.path ? (
          <>
            <p>
              {path.path.length === 0
                ? "That is this entity itself."
                : `${path.path.length} step${path.path.length === 1 ? "" : "s"} from ${title} to ${path.path.entities[path.path.entities.length - 1]!.label} (drawn in orange above):`}
            </p>
            <ol class="path-hops">
              {path.path.hops.map((hop, i) => (
                <li key={i}>
                  <a href={entityUrl(hop.from.key)}>{hop.from.label}</a>{" "}
                  <span class="relation">
                    — {hop.relation} {hop.direction === "FORWARD" ? "→" : "←"}
                  </span>{" "}
                  <a href={entityUrl(hop.to.key)}>{hop.to.label}</a>
                  <ProvenanceList items={hop.provenance} label={`Source of step ${i + 1}`} />
                </li>
              ))}
            </ol>
          </>
        ) : null}
      </div>
    </section>
  );
}
