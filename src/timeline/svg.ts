/**
 * `renderTimeline`: one thread's windows as a self-contained SVG picture.
 *
 * @module
 */
import { InvalidInputError } from "../domain/errors.js";
import type { Instant } from "../domain/types.js";
import type { ThreadState } from "../window/state.js";
import { clock, DAY_STEP, day, dayKey, stamp, ticks } from "./format.js";
import {
  buildTimeline,
  LANE_NAMES,
  type TimelineBand,
  type TimelineBaseOptions,
  type TimelineLane,
  type TimelineMarker,
  type TimelineMarkerKind,
  type TimelineModel,
} from "./model.js";

/**
 * Options of {@link renderTimeline}.
 *
 * @example
 * ```ts
 * const options: TimelineOptions = { width: 960, title: "Bruno, from an ad", idPrefix: "bruno" };
 * ```
 */
export interface TimelineOptions extends TimelineBaseOptions {
  /** Width in pixels (minimum 360). Default 880. The height follows from the content. */
  readonly width?: number;
  /**
   * Prefix of the SVG's internal ids (pattern, title), so several pictures can be inlined in one
   * HTML page. Letters, digits, `-` and `_`. Default `"cw"`.
   */
  readonly idPrefix?: string;
}

const LANE_H = 38;
const PAD_L = 92;
const PAD_R = 18;
const TOP = 58;

const COLORS = {
  message: "#2563eb",
  call: "#7c3aed",
  other: "#64748b",
  ad: "#d97706",
  outbound: "#0f172a",
  failed: "#dc2626",
  optIn: "#16a34a",
  optOut: "#dc2626",
  window: "#16a34a",
  fep: "#d97706",
  limit: "#dc2626",
  now: "#dc2626",
  grid: "#e2e8f0",
  text: "#0f172a",
  muted: "#475569",
} as const;

/** Escapes text for XML content and attribute values. */
export function escapeXml(text: string): string {
  let out = "";
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    if (ch === "&") out += "&amp;";
    else if (ch === "<") out += "&lt;";
    else if (ch === ">") out += "&gt;";
    else if (ch === '"') out += "&quot;";
    else if (ch === "'") out += "&apos;";
    // Characters XML 1.0 forbids (C0 controls except tab / newline / carriage return).
    else if (code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d) out += "\uFFFD";
    else out += ch;
  }
  return out;
}

/** A number with at most one decimal, stable across runtimes. */
const n = (value: number): string => {
  const r = Math.round(value * 10) / 10;
  return Object.is(r, -0) ? "0" : String(r);
};

const LEGEND_MARKERS: Readonly<Record<TimelineMarkerKind, string>> = {
  message: "customer message",
  call: "customer call",
  "inbound-other": "other inbound (OPEN-3)",
  ad: "arrived from an ad",
  outbound: "business send",
  failed: "failed send",
  "opt-in": "opt-in recorded",
  "opt-out": "opt-out recorded",
  "marketing-stop": "marketing stopped",
  "marketing-resume": "marketing resumed",
  block: "blocked",
  unblock: "unblocked",
};

const LEGEND_BANDS: Readonly<Record<TimelineBand["kind"], string>> = {
  window: "24-hour window (CSW)",
  "fep-platform": "free entry point (platform)",
  "fep-estimated": "free entry point (estimated)",
  "fep-activatable": "reply-by for a free entry point",
  "marketing-limited": "marketing limited (131049)",
};

function markerShape(kind: TimelineMarkerKind, x: number, y: number): string {
  switch (kind) {
    case "message":
      return `<circle cx="${n(x)}" cy="${n(y)}" r="5" fill="${COLORS.message}"/>`;
    case "call":
      return `<path d="M${n(x)} ${n(y - 6)}L${n(x + 6)} ${n(y)}L${n(x)} ${n(y + 6)}L${n(x - 6)} ${n(y)}Z" fill="${COLORS.call}"/>`;
    case "inbound-other":
      return `<circle cx="${n(x)}" cy="${n(y)}" r="4" fill="#ffffff" stroke="${COLORS.other}" stroke-width="1.5"/>`;
    case "ad":
      return `<circle cx="${n(x)}" cy="${n(y)}" r="9" fill="none" stroke="${COLORS.ad}" stroke-width="2"/>`;
    case "outbound":
      return `<rect x="${n(x - 4.5)}" y="${n(y - 4.5)}" width="9" height="9" fill="${COLORS.outbound}"/>`;
    case "failed":
      return `<path d="M${n(x - 5)} ${n(y - 5)}L${n(x + 5)} ${n(y + 5)}M${n(x + 5)} ${n(y - 5)}L${n(x - 5)} ${n(y + 5)}" stroke="${COLORS.failed}" stroke-width="2.5" stroke-linecap="round"/>`;
    case "opt-in":
      return `<path d="M${n(x)} ${n(y - 6)}L${n(x + 6)} ${n(y + 5)}L${n(x - 6)} ${n(y + 5)}Z" fill="${COLORS.optIn}"/>`;
    case "opt-out":
      return `<path d="M${n(x)} ${n(y + 6)}L${n(x + 6)} ${n(y - 5)}L${n(x - 6)} ${n(y - 5)}Z" fill="${COLORS.optOut}"/>`;
    case "marketing-stop":
      return `<rect x="${n(x - 5.5)}" y="${n(y - 5.5)}" width="11" height="11" rx="3" fill="${COLORS.optOut}"/>`;
    case "marketing-resume":
      return `<rect x="${n(x - 5.5)}" y="${n(y - 5.5)}" width="11" height="11" rx="3" fill="${COLORS.optIn}"/>`;
    case "block":
      return `<rect x="${n(x - 5)}" y="${n(y - 5)}" width="10" height="10" fill="#334155"/>`;
    case "unblock":
      return `<rect x="${n(x - 5)}" y="${n(y - 5)}" width="10" height="10" fill="#ffffff" stroke="#334155" stroke-width="1.5"/>`;
    default: {
      const never: never = kind;
      return never;
    }
  }
}

function bandFill(
  kind: TimelineBand["kind"],
  prefix: string,
): { fill: string; stroke: string; dash: string } {
  switch (kind) {
    case "window":
      return { fill: "#bbf7d0", stroke: COLORS.window, dash: "" };
    case "fep-platform":
      return { fill: "#fcd34d", stroke: COLORS.fep, dash: "" };
    case "fep-estimated":
      return { fill: `url(#${prefix}-hatch)`, stroke: COLORS.fep, dash: "5 3" };
    case "fep-activatable":
      return { fill: "#fffbeb", stroke: COLORS.fep, dash: "2 3" };
    case "marketing-limited":
      return { fill: "#fee2e2", stroke: COLORS.limit, dash: "4 3" };
    default: {
      const never: never = kind;
      return never;
    }
  }
}

/** Approximate text width at 11 px (for label collision only). */
const textWidth = (text: string, size = 11): number => text.length * size * 0.58;

/**
 * Renders one thread's timeline as an SVG document: inbound messages and calls, the customer
 * service window `[T, T+24h)` (CSW-2), the free entry point (solid when the platform reported
 * its end, FEP-3; hatched when estimated, OPEN-1), business sends and failures, consent and
 * marketing markers, and a "now" line, with a legend and labelled axis.
 *
 * Pure and deterministic (same input, same bytes): no random ids, numbers rounded to 0.1 px,
 * text XML-escaped. Labels use `options.timeZone` (default UTC); the windows themselves are
 * absolute instants. The state keeps only the latest instant per kind, so pass
 * `options.events` to draw every message and earlier windows.
 *
 * @param state - The thread's folded state.
 * @param now - The instant of the "now" line (and of the window / FEP evaluation).
 * @param options - Size, range, title, label time zone, events, decide options.
 * @returns An SVG document (a string starting with `<svg`).
 *
 * @example
 * ```ts
 * const thread = { business: "106540352242922", customer: "5511987654321" };
 * const events = [
 *   { kind: "inbound", id: "wamid.A", type: "text", at: Date.parse("2026-11-26T09:12:00Z"), thread },
 * ] as const;
 * const state = foldEvents(emptyState(), events);
 * const svg = renderTimeline(state, new Date("2026-11-26T16:00:00Z"), { events, title: "Ana" });
 * await writeFile("ana.svg", svg);
 * ```
 */
export function renderTimeline(
  state: ThreadState,
  now: Date | number,
  options: TimelineOptions = {},
): string {
  const model = buildTimeline(state, now, options);
  const prefix = options.idPrefix ?? "cw";
  if (!/^[A-Za-z][\w-]*$/.test(prefix)) {
    throw new InvalidInputError(
      "invalid-argument",
      'options.idPrefix must start with a letter and use only letters, digits, "-" and "_"',
      "options.idPrefix",
    );
  }
  return svgOf(model, Math.max(360, Math.round(options.width ?? 880)), prefix);
}

function svgOf(model: TimelineModel, width: number, prefix: string): string {
  const { from, to, zone } = model;
  const plotW = width - PAD_L - PAD_R;
  const x = (t: Instant): number =>
    PAD_L + ((Math.min(Math.max(t, from), to) - from) / (to - from)) * plotW;
  const laneY = (lane: TimelineLane): number => TOP + model.lanes.indexOf(lane) * LANE_H;
  const lanesBottom = TOP + model.lanes.length * LANE_H;
  const out: string[] = [];
  const push = (s: string): void => {
    out.push(s);
  };

  // ---- legend layout (known before the height) -------------------------------------------
  const legend: { label: string; draw: (lx: number, ly: number) => string }[] = [];
  const bandKinds = [...new Set(model.bands.map((b) => b.kind))];
  for (const kind of Object.keys(LEGEND_BANDS) as TimelineBand["kind"][]) {
    if (!bandKinds.includes(kind) && kind !== "window") continue;
    const f = bandFill(kind, prefix);
    legend.push({
      label: LEGEND_BANDS[kind],
      draw: (lx, ly) =>
        `<rect x="${n(lx)}" y="${n(ly - 6)}" width="18" height="12" fill="${f.fill}" stroke="${f.stroke}"${f.dash === "" ? "" : ` stroke-dasharray="${f.dash}"`}/>`,
    });
  }
  const markerKinds = new Set(model.markers.map((m) => m.kind));
  for (const kind of Object.keys(LEGEND_MARKERS) as TimelineMarkerKind[]) {
    if (!markerKinds.has(kind)) continue;
    legend.push({ label: LEGEND_MARKERS[kind], draw: (lx, ly) => markerShape(kind, lx + 9, ly) });
  }
  legend.push({
    label: "now",
    draw: (lx, ly) =>
      `<line x1="${n(lx + 9)}" y1="${n(ly - 7)}" x2="${n(lx + 9)}" y2="${n(ly + 7)}" stroke="${COLORS.now}" stroke-width="2" stroke-dasharray="4 3"/>`,
  });
  const itemW = 200;
  const perRow = Math.max(1, Math.floor((width - 24) / itemW));
  const legendTop = lanesBottom + 52;
  const rows = Math.ceil(legend.length / perRow);
  const height = legendTop + rows * 20 + 12;

  const desc = describe(model);
  push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-labelledby="${prefix}-title ${prefix}-desc" font-family="system-ui, -apple-system, 'Segoe UI', Helvetica, Arial, sans-serif" font-size="12">`,
  );
  push(`<title id="${prefix}-title">${escapeXml(model.title)}</title>`);
  push(`<desc id="${prefix}-desc">${escapeXml(desc)}</desc>`);
  push(
    `<defs><pattern id="${prefix}-hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="#fef3c7"/><line x1="0" y1="0" x2="0" y2="6" stroke="${COLORS.fep}" stroke-width="2"/></pattern></defs>`,
  );
  push(`<rect class="cw-background" width="${width}" height="${height}" fill="#ffffff"/>`);
  push(
    `<text class="cw-title" x="12" y="22" font-size="15" font-weight="600" fill="${COLORS.text}">${escapeXml(model.title)}</text>`,
  );
  push(
    `<text class="cw-subtitle" x="12" y="40" fill="${COLORS.muted}">${escapeXml(`${stamp(from, zone)} → ${stamp(to, zone)} · times in ${zone.name} · now ${stamp(model.now, zone)}`)}</text>`,
  );

  // ---- lanes and grid --------------------------------------------------------------------
  model.lanes.forEach((lane, i) => {
    const y = laneY(lane);
    push(
      `<g class="cw-lane" data-lane="${lane}"><rect x="${PAD_L}" y="${y}" width="${n(plotW)}" height="${LANE_H}" fill="${i % 2 === 0 ? "#f8fafc" : "#ffffff"}"/><text x="${PAD_L - 8}" y="${y + LANE_H / 2 + 4}" text-anchor="end" fill="${COLORS.muted}">${escapeXml(LANE_NAMES[lane])}</text></g>`,
    );
  });
  const tickList = ticks(from, to, Math.max(2, Math.floor(plotW / 80)), zone);
  const daysOnly = tickList.step >= DAY_STEP;
  push('<g class="cw-axis">');
  let lastDay: number | undefined;
  for (const t of tickList.at) {
    const tx = x(t);
    push(
      `<line x1="${n(tx)}" y1="${TOP}" x2="${n(tx)}" y2="${lanesBottom + 4}" stroke="${COLORS.grid}"/>`,
    );
    if (!daysOnly) {
      push(
        `<text x="${n(tx)}" y="${lanesBottom + 18}" text-anchor="middle" fill="${COLORS.muted}">${clock(t, zone)}</text>`,
      );
    }
    const k = dayKey(t, zone);
    if (k !== lastDay) {
      push(
        `<text x="${n(tx)}" y="${lanesBottom + (daysOnly ? 18 : 32)}" text-anchor="middle" font-weight="600" fill="${COLORS.muted}">${escapeXml(day(t, zone))}</text>`,
      );
      lastDay = k;
    }
  }
  push(
    `<line x1="${PAD_L}" y1="${lanesBottom}" x2="${n(PAD_L + plotW)}" y2="${lanesBottom}" stroke="#94a3b8"/>`,
  );
  push("</g>");

  // ---- bands -----------------------------------------------------------------------------
  for (const b of model.bands) {
    const y = laneY(b.lane);
    const x1 = x(b.from);
    const x2 = Math.max(x(b.to), x1 + 1);
    const f = bandFill(b.kind, prefix);
    const label = escapeXml(b.label);
    // Label inside the band when it fits, else right of it, else left of it (right-aligned).
    const tw = textWidth(b.label);
    let lx = x1 + 4;
    let anchor = "";
    if (tw + 8 > x2 - x1) {
      if (x2 + 4 + tw <= width - PAD_R) lx = x2 + 4;
      else if (x1 - 4 - tw >= PAD_L) {
        lx = x1 - 4;
        anchor = ' text-anchor="end"';
      } else lx = Math.max(PAD_L + 2, width - PAD_R - tw);
    }
    push(
      `<g class="cw-band cw-${b.kind}" data-rule="${b.rule}" data-from="${new Date(b.from).toISOString()}" data-to="${new Date(b.to).toISOString()}"><title>${escapeXml(`${LEGEND_BANDS[b.kind]}: ${stamp(b.from, zone)} → ${stamp(b.to, zone)} ${zone.name}`)}</title><rect x="${n(x1)}" y="${y + 8}" width="${n(x2 - x1)}" height="${LANE_H - 16}" rx="3" fill="${f.fill}" stroke="${f.stroke}"${f.dash === "" ? "" : ` stroke-dasharray="${f.dash}"`}/>${b.closedByError ? `<line x1="${n(x2)}" y1="${y + 4}" x2="${n(x2)}" y2="${y + LANE_H - 4}" stroke="${COLORS.failed}" stroke-width="2.5"/>` : ""}<text x="${n(lx)}" y="${y + LANE_H / 2 + 4}"${anchor} font-size="11" fill="${COLORS.text}">${label}</text></g>`,
    );
  }

  // ---- markers ---------------------------------------------------------------------------
  const labelEnds = new Map<string, number>();
  for (const m of model.markers) {
    const mx = x(m.at);
    const my = laneY(m.lane) + LANE_H / 2;
    push(
      `<g class="cw-marker cw-${m.kind}" data-at="${new Date(m.at).toISOString()}"><title>${escapeXml(m.title)}</title>${markerShape(m.kind, mx, my)}${markerLabel(m, mx, my, labelEnds)}</g>`,
    );
  }

  // ---- now -------------------------------------------------------------------------------
  if (model.now >= from && model.now <= to) {
    const nx = x(model.now);
    const text = `now ${clock(model.now, zone)}`;
    const anchorEnd = nx + textWidth(text) > width - PAD_R;
    push(
      `<g class="cw-now" data-at="${new Date(model.now).toISOString()}"><line x1="${n(nx)}" y1="${TOP - 6}" x2="${n(nx)}" y2="${lanesBottom + 4}" stroke="${COLORS.now}" stroke-width="2" stroke-dasharray="4 3"/><text x="${n(anchorEnd ? nx - 4 : nx + 4)}" y="${TOP - 8}"${anchorEnd ? ' text-anchor="end"' : ""} font-size="11" font-weight="600" fill="${COLORS.now}">${escapeXml(text)}</text></g>`,
    );
  }

  // ---- legend ----------------------------------------------------------------------------
  push('<g class="cw-legend">');
  legend.forEach((item, i) => {
    const lx = 12 + (i % perRow) * itemW;
    const ly = legendTop + Math.floor(i / perRow) * 20;
    push(
      `${item.draw(lx, ly)}<text x="${n(lx + 24)}" y="${n(ly + 4)}" fill="${COLORS.text}">${escapeXml(item.label)}</text>`,
    );
  });
  push("</g>");
  push("</svg>");
  return `${out.join("\n")}\n`;
}

/** A short label above markers that need one (failures, consent, ad), without overlaps. */
function markerLabel(m: TimelineMarker, mx: number, my: number, ends: Map<string, number>): string {
  if (m.label === "") return "";
  const w = textWidth(m.label, 10);
  const key = m.lane;
  const end = ends.get(key) ?? Number.NEGATIVE_INFINITY;
  const left = mx - w / 2;
  // Alternate above / below when the previous label of the lane would overlap.
  const below = left < end;
  if (!below) ends.set(key, mx + w / 2 + 4);
  const y = below ? my + 17 : my - 9;
  return `<text x="${n(mx)}" y="${n(y)}" text-anchor="middle" font-size="10" fill="${COLORS.muted}">${escapeXml(m.label)}</text>`;
}

/** One sentence for `<desc>` (screen readers). */
function describe(model: TimelineModel): string {
  const { zone } = model;
  const parts: string[] = [];
  const window = [...model.bands].reverse().find((b) => b.kind === "window");
  parts.push(
    window === undefined
      ? "No customer service window in range."
      : `Latest window ${stamp(window.from, zone)} to ${stamp(window.to, zone)}${window.closedByError ? " (closed by error 131047)" : ""}.`,
  );
  const fep = model.bands.find((b) => b.lane === "fep");
  if (fep !== undefined) parts.push(`Free entry point: ${fep.label}.`);
  parts.push(`Now: ${stamp(model.now, zone)} ${zone.name}.`);
  return parts.join(" ");
}
