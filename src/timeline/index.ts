/**
 * Timeline pictures of one thread: an SVG for docs and dashboards, a text strip for terminals.
 *
 * @example
 * ```ts
 * import { renderTimeline, renderTimelineText } from "care-window/timeline";
 * const svg = renderTimeline(state, now, { events });
 * console.log(renderTimelineText(state, now, { events }));
 * ```
 *
 * @module
 */
export type {
  TimelineBandKind,
  TimelineBaseOptions,
  TimelineLane,
  TimelineMarkerKind,
} from "./model.js";
export { renderTimeline, type TimelineOptions } from "./svg.js";
export { renderTimelineText, type TimelineTextOptions } from "./text.js";
