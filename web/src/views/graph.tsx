/**
 * An entity's neighbourhood as a graph (cytoscape, loaded on demand): the entity in the middle, the
 * entities its page links to around it, and those its entries name one step further out (the office
 * of a post). Clicking a node moves to that entity's graph; the same links are listed below the
 * drawing for the keyboard and screen readers.
 */
import type { Core, ElementDefinition, StylesheetJson } from "cytoscape";
import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import { KindBadge, Status, useTitle } from "../components.js";
import { KIND_LABELS, KINDS, kindOfKey, neighbourhood, type Kind } from "../model.js";
import { entityUrl, graphUrl, navigate } from "../router.js";
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
  { selector: "node[?centre]", style: { width: 38, height: 38, "font-size": 13, "font-weight": "bold", "border-width": 3, "border-color": "#1a1a1a" } },
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
];

/**
 * A radial layout, the same on every load: the entity in the middle, its direct neighbours on a
 * ring, and each entity one step further out placed beyond the neighbour that names it.
 */
/** The drawing is wider than high: rings are ellipses this much wider than high. */
const WIDE = 1.6;

export function radialLayout(graph: ReturnType<typeof neighbourhood>): Record<string, { x: number; y: number }> {
  const positions: Record<string, { x: number; y: number }> = {};
  const centre = graph.nodes.find((n) => n.centre)!;
  positions[centre.ref.key] = { x: 0, y: 0 };
  const parentOf = new Map<string, string>();
  for (const node of graph.nodes.filter((n) => n.distance === 2)) {
    const edge = graph.edges.find((e) => e.to === node.ref.key && graph.nodes.some((n) => n.distance === 1 && n.ref.key === e.from));
    if (edge) parentOf.set(node.ref.key, edge.from);
  }
  const ring = graph.nodes.filter((n) => n.distance === 1 || (n.distance === 2 && !parentOf.has(n.ref.key)));
  const r1 = Math.max(170, (ring.length * 70) / (2 * Math.PI));
  const r2 = r1 + 170;
  const step = (2 * Math.PI) / Math.max(ring.length, 1);
  const angles = new Map<string, number>();
  ring.forEach((node, i) => {
    const angle = i * step;
    angles.set(node.ref.key, angle);
    positions[node.ref.key] = { x: WIDE * r1 * Math.cos(angle), y: r1 * Math.sin(angle) };
  });
  const children = new Map<string, string[]>();
  for (const [child, parent] of parentOf) children.set(parent, [...(children.get(parent) ?? []), child]);
  for (const [parent, list] of children) {
    const base = angles.get(parent) ?? 0;
    const spread = Math.min(step / list.length, 0.35);
    list.forEach((child, j) => {
      const angle = base + (j - (list.length - 1) / 2) * spread;
      positions[child] = { x: WIDE * r2 * Math.cos(angle), y: r2 * Math.sin(angle) };
    });
  }
  return positions;
}

function shorten(label: string): string {
  return label.length > 48 ? `${label.slice(0, 46)}…` : label;
}

export function GraphView({ kind, entityKey }: { kind: Kind; entityKey: string }) {
  const loaded = useEntity(kind, entityKey);
  const view = loaded.state === "done" ? loaded.value : null;
  useTitle(view ? `${view.title}: graph` : loaded.state === "done" ? "Not found" : null);
  const graph = useMemo(() => (view ? neighbourhood(view) : null), [view]);
  const container = useRef<HTMLDivElement>(null);
  const [drawing, setDrawing] = useState<"loading" | "ready" | "failed">("loading");

  useEffect(() => {
    if (!graph || !container.current) return;
    let cy: Core | undefined;
    let current = true;
    setDrawing("loading");
    import("cytoscape")
      .then(({ default: cytoscape }) => {
        if (!current || !container.current) return;
        const elements: ElementDefinition[] = [
          ...graph.nodes.map((node) => {
            const style = KIND_STYLE[kindOfKey(node.ref.key) ?? "source"];
            return {
              group: "nodes" as const,
              data: { id: node.ref.key, short: shorten(node.ref.label), label: node.ref.label, centre: node.centre, distance: node.distance, ...style },
            };
          }),
          ...graph.edges.map((edge) => ({ group: "edges" as const, data: { id: `${edge.from} -> ${edge.to}`, source: edge.from, target: edge.to, label: edge.label } })),
        ];
        cy = cytoscape({
          container: container.current,
          elements,
          style: STYLE,
          layout: { name: "preset", positions: radialLayout(graph), fit: true, padding: 40, animate: false },
          minZoom: 0.3,
          maxZoom: 2.5,
          autoungrabify: true,
        });
        // a small neighbourhood is not blown up to fill the whole canvas
        if (cy.zoom() > 1.2) {
          cy.zoom(1.2);
          cy.center();
        }
        cy.on("tap", "node", (event) => {
          const key = event.target.id() as string;
          navigate(key === entityKey ? entityUrl(key) : graphUrl(key));
        });
        cy.on("mouseover", "node", () => container.current?.classList.add("pointing"));
        cy.on("mouseout", "node", () => container.current?.classList.remove("pointing"));
        window.explorerGraph = cy;
        setDrawing("ready");
      })
      .catch(() => current && setDrawing("failed"));
    return () => {
      current = false;
      if (window.explorerGraph === cy) delete window.explorerGraph;
      cy?.destroy();
    };
  }, [graph, entityKey]);

  const neighbours = graph ? graph.nodes.filter((n) => !n.centre) : [];
  const labelOf = (key: string) => graph?.nodes.find((n) => n.ref.key === key)?.ref.label ?? key;
  const edgesOf = (key: string) =>
    (graph?.edges ?? [])
      .filter((e) => e.from === key || e.to === key)
      .map((e) => (e.from === entityKey ? e.label : e.to === key ? `${e.label}, from ${labelOf(e.from)}` : `${e.label} ${labelOf(e.to)}`));
  const kindsShown = new Set(graph?.nodes.map((n) => kindOfKey(n.ref.key)));

  return (
    <Status loaded={loaded}>
      {loaded.state === "done" && !view ? <MissingEntity kind={kind} entityKey={entityKey} /> : null}
      {view && graph ? (
        <article class="graph-view">
          <EntityHeader view={view} current="graph" />
          <p class="note">
            {view.title} and the {neighbours.length} entities its page links to. Select a node to see its own neighbourhood; select the
            middle one to open its page.
          </p>
          <div
            ref={container}
            class="graph-canvas"
            role="img"
            aria-label={`Graph of ${view.title} and ${neighbours.length} linked entities; the same links are listed below.`}
            data-state={drawing}
          />
          {drawing === "failed" ? (
            <p class="status error" role="alert">
              The graph drawing could not be loaded; the links below are the same.
            </p>
          ) : null}
          <ul class="legend" aria-label="Legend">
            {(Object.keys(KINDS) as Kind[])
              .filter((k) => kindsShown.has(k))
              .map((k) => (
                <li key={k}>
                  <span class={`swatch shape-${KIND_STYLE[k].shape}`} style={{ background: KIND_STYLE[k].colour }} aria-hidden="true" />
                  {KIND_LABELS[k].one} ({KIND_STYLE[k].shape.replace("-", " ")})
                </li>
              ))}
          </ul>
          <section aria-labelledby="neighbours-heading">
            <h2 id="neighbours-heading">
              Linked entities <span class="count">({neighbours.length})</span>
            </h2>
            <ul class="items">
              {neighbours.map((node) => (
                <li key={node.ref.key}>
                  <span class="item-main">
                    <a href={graphUrl(node.ref.key)}>{node.ref.label}</a> <KindBadge entityKey={node.ref.key} />
                    <span class="detail"> {edgesOf(node.ref.key).join("; ")}</span>
                  </span>
                  <a class="via" href={entityUrl(node.ref.key)} aria-label={`Page of ${node.ref.label}`}>
                    page
                  </a>
                </li>
              ))}
            </ul>
          </section>
        </article>
      ) : null}
    </Status>
  );
}
