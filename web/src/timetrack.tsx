/**
 * The drawing half of the time views: a shared axis and one track per row, with partial dates drawn
 * by ./timeaxis.ts's rules. The drawing is hidden from screen readers (`aria-hidden`): every row
 * carries the same facts as text next to it.
 */
import type { ComponentChildren } from "preact";
import {
  type Domain,
  markerPosition,
  type Segment,
  type SpanLike,
  spanSegments,
  type Tick,
  ticks,
} from "./timeaxis.js";

const pct = (fraction: number) => `${(fraction * 100).toFixed(3)}%`;

/** The axis labels above the rows, with the source's last update and the as-of date marked. */
export function AxisHeader({
  domain,
  marks = [],
}: {
  domain: Domain;
  marks?: { at: number; label: string; className: string }[];
}) {
  const all = ticks(domain);
  return (
    <div class="axis" aria-hidden="true">
      {all
        .filter((tick) => tick.major)
        .map((tick) => (
          <span
            key={tick.at}
            class={`tick-label${tick.wideOnly ? " wide-only" : ""}`}
            style={{ left: pct(tick.labelAt), transform: `translateX(${edgeShift(tick.labelAt)})` }}
          >
            {tick.label}
          </span>
        ))}
      {marks
        .filter((mark) => mark.at >= 0 && mark.at <= 1)
        .map((mark) => (
          <span
            key={mark.className}
            class={`axis-mark ${mark.className}`}
            style={{ left: pct(mark.at) }}
            title={mark.label}
          />
        ))}
    </div>
  );
}

/** Keep a label at either edge of the axis inside it. */
function edgeShift(at: number): string {
  if (at < 0.04) return "0";
  if (at > 0.96) return "-100%";
  return "-50%";
}

/** One row's drawing: grid lines, the source's last update, the as-of date, and the row's marks. */
export function Track({
  domain,
  horizon,
  asOf,
  lanes = 1,
  children,
}: {
  domain: Domain;
  /** Where the source's last update is on the axis (0..1), or null. */
  horizon?: number | null;
  /** The as-of date's days on the axis, or null. */
  asOf?: { left: number; width: number } | null;
  lanes?: number;
  children: ComponentChildren;
}) {
  const grid: Tick[] = ticks(domain);
  return (
    <div class="track" aria-hidden="true" style={{ height: `${lanes * 1.7 + 0.2}rem` }}>
      {grid.map((tick) => (
        <span
          key={tick.at}
          class={tick.major ? "gridline major" : "gridline"}
          style={{ left: pct(tick.at) }}
        />
      ))}
      {horizon != null && horizon >= 0 && horizon <= 1 ? (
        <span class="horizon-line" style={{ left: pct(horizon) }} />
      ) : null}
      {asOf ? (
        <span class="asof-band" style={{ left: pct(asOf.left), width: pct(asOf.width) }} />
      ) : null}
      {children}
    </div>
  );
}

/** A partial date as bars: solid where the source gives the days, fading or dashed where it does not. */
export function SpanMarks({
  span,
  domain,
  horizon,
  className,
  lane = 0,
  context = false,
  title,
}: {
  span: SpanLike;
  domain: Domain;
  /** The day number of the source's last update. */
  horizon: number | null;
  className: string;
  lane?: number;
  /** A thin line under the main mark: the whole period a start or end belongs to. */
  context?: boolean;
  title?: string;
}) {
  return (
    <>
      {spanSegments(span, domain, horizon).map((segment, i) => (
        <SegmentBar
          key={i}
          segment={segment}
          className={className}
          lane={lane}
          context={context}
          title={title}
        />
      ))}
    </>
  );
}

function SegmentBar({
  segment,
  className,
  lane,
  context,
  title,
}: {
  segment: Segment;
  className: string;
  lane: number;
  context: boolean;
  title?: string | undefined;
}) {
  const classes = [
    "seg",
    `seg-${segment.kind}`,
    className,
    context ? "context" : "",
    segment.clippedLeft ? "clipped-left" : "",
    segment.clippedRight ? "clipped-right" : "",
  ].filter(Boolean);
  return (
    <span
      class={classes.join(" ")}
      style={{
        left: pct(segment.left),
        width: pct(segment.width),
        top: `${lane * 1.7 + (context ? 1.15 : 0.3)}rem`,
      }}
      title={title}
    />
  );
}

/** A POINT_IN_TIME tenure: a marker at the moment the source attests, not a bar. */
export function PointMarker({
  span,
  domain,
  className,
  lane = 0,
  title,
}: {
  span: SpanLike;
  domain: Domain;
  className: string;
  lane?: number;
  title?: string;
}) {
  const at = markerPosition(span, domain);
  if (at === null) return null;
  return (
    <span
      class={`point-marker ${className}`}
      style={{ left: pct(at), top: `${lane * 1.7 + 0.3}rem` }}
      title={title}
    />
  );
}

/** The legend of the drawing: each sample with its meaning in words. */
export function Legend({ items }: { items: { sample: string; text: ComponentChildren }[] }) {
  return (
    <ul class="time-legend">
      {items.map((item, i) => (
        <li key={i}>
          <span class={`legend-sample ${item.sample}`} aria-hidden="true" />
          {item.text}
        </li>
      ))}
    </ul>
  );
}
