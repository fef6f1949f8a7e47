/**
 * `care-window/timeline`: pictures of one thread — an SVG for docs and dashboards, a text strip
 * for terminals.
 *
 * @example
 * ```ts
 * import { emptyState, foldEvents, type ThreadEvent } from "care-window";
 * import { renderTimeline, renderTimelineText } from "care-window/timeline";
 *
 * declare const events: ThreadEvent[];
 * const state = foldEvents(emptyState(), events);
 * const now = Date.parse("2026-11-26T12:00:00Z");
 * const svg = renderTimeline(state, now, { events });
 * console.log(renderTimelineText(state, now, { events }));
 * ```
 *
 * @module
 */
export * from "./timeline/index.js";
