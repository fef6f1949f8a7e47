/**
 * `renderTimelineText`: one thread's windows as a few lines of text for terminals and logs.
 *
 * @module
 */
import type { Instant } from "../domain/types.js";
import type { ThreadState } from "../window/state.js";
import { clock, DAY_STEP, day, dayKey, stamp, ticks } from "./format.js";
import {
  buildTimeline,
  LANE_NAMES,
  type TimelineBand,
  type TimelineBaseOptions,
  type TimelineMarkerKind,
} from "./model.js";

/**
 * Options of {@link renderTimelineText}.
 *
 * @example
 * ```ts
 * const options: TimelineTextOptions = { width: 100, charset: "ascii" };
 * ```
 */
export interface TimelineTextOptions extends TimelineBaseOptions {
  /** Total width in characters, lane names included (minimum 40). Default 80. */
  readonly width?: number;
  /** `"unicode"` (default: ● ■ █ ▓ …) or `"ascii"` for terminals and logs without it. */
  readonly charset?: "unicode" | "ascii";
}

interface Glyphs {
  readonly empty: string;
  readonly now: string;
  readonly tick: string;
  readonly markers: Readonly<Record<TimelineMarkerKind, string>>;
  readonly bands: Readonly<Record<TimelineBand["kind"], string>>;
}

const UNICODE: Glyphs = {
  empty: "·",
  now: "│",
  tick: "┬",
  markers: {
    message: "●",
    call: "◆",
    "inbound-other": "○",
    ad: "◎",
    outbound: "■",
    failed: "✕",
    "opt-in": "▲",
    "opt-out": "▼",
    "marketing-stop": "⊘",
    "marketing-resume": "⊕",
    block: "⛔",
    unblock: "□",
  },
  bands: {
    window: "█",
    "fep-platform": "▓",
    "fep-estimated": "▒",
    "fep-activatable": "░",
    "marketing-limited": "░",
  },
};

const ASCII: Glyphs = {
  empty: ".",
  now: "|",
  tick: "+",
  markers: {
    message: "o",
    call: "C",
    "inbound-other": "?",
    ad: "A",
    outbound: "s",
    failed: "X",
    "opt-in": "^",
    "opt-out": "v",
    "marketing-stop": "S",
    "marketing-resume": "R",
    block: "B",
    unblock: "U",
  },
  bands: {
    window: "#",
    "fep-platform": "=",
    "fep-estimated": "~",
    "fep-activatable": "-",
    "marketing-limited": "-",
  },
};

const MARKER_NAMES: Readonly<Record<TimelineMarkerKind, string>> = {
  message: "message",
  call: "call",
  "inbound-other": "other inbound",
  ad: "ad entry",
  outbound: "send",
  failed: "failed send",
  "opt-in": "opt-in",
  "opt-out": "opt-out",
  "marketing-stop": "marketing stop",
  "marketing-resume": "marketing resume",
  block: "block",
  unblock: "unblock",
};

const BAND_NAMES: Readonly<Record<TimelineBand["kind"], string>> = {
  window: "window",
  "fep-platform": "free entry (platform)",
  "fep-estimated": "free entry (estimated)",
  "fep-activatable": "reply-by",
  "marketing-limited": "marketing limited",
};

/** Drawing order when markers share a column: higher wins. */
const PRIORITY: Readonly<Record<TimelineMarkerKind, number>> = {
  "inbound-other": 0,
  message: 1,
  call: 2,
  ad: 3,
  outbound: 0,
  failed: 1,
  "opt-in": 0,
  "marketing-resume": 1,
  unblock: 2,
  "opt-out": 3,
  "marketing-stop": 4,
  block: 5,
};

// The ⛔ glyph is wide in most terminals; keep columns aligned with a narrow one.
const NARROW_BLOCK = "■";

/**
 * Renders one thread's timeline as text: one strip per lane (customer, window, free entry,
 * business, consent) with a "now" bar, an axis in `options.timeZone` (default UTC), a legend of
 * the symbols used, and one line per window / free entry point / limit with exact instants.
 *
 * Deterministic; `charset: "ascii"` for logs. Pass `options.events` to draw every message
 * (the state keeps only the latest instant per kind).
 *
 * @param state - The thread's folded state.
 * @param now - The instant of the "now" bar (and of the window / FEP evaluation).
 * @param options - Width in characters, range, title, label time zone, events, charset.
 * @returns Lines of text joined with `\n`, ending with a newline.
 *
 * @example
 * ```ts
 * console.log(renderTimelineText(state, new Date("2026-11-26T16:00:00Z"), { events, width: 90 }));
 * // customer  ······●·············●······│··········
 * // window    ······██████████████████████│██████···
 * ```
 */
export function renderTimelineText(
  state: ThreadState,
  now: Date | number,
  options: TimelineTextOptions = {},
): string {
  const model = buildTimeline(state, now, options);
  const g = options.charset === "ascii" ? ASCII : UNICODE;
  const width = Math.max(40, Math.round(options.width ?? 80));
  const gutter = 11;
  const cols = width - gutter;
  const { from, to, zone } = model;
  const col = (t: Instant): number =>
    Math.min(cols - 1, Math.max(0, Math.floor(((t - from) / (to - from)) * cols)));
  const nowIn = model.now >= from && model.now <= to;
  const lines: string[] = [];
  lines.push(model.title);
  lines.push(`${stamp(from, zone)} → ${stamp(to, zone)} ${zone.name}`);

  const markerGlyph = (kind: TimelineMarkerKind): string => {
    const glyph = g.markers[kind];
    return glyph === "⛔" ? NARROW_BLOCK : glyph;
  };
  for (const lane of model.lanes) {
    const row: string[] = new Array<string>(cols).fill(g.empty);
    for (const b of model.bands) {
      if (b.lane !== lane) continue;
      const a = col(b.from);
      // [from, to): the last column is the one holding the instant just before `to`.
      const z = b.to > to ? cols - 1 : Math.max(a, col(b.to - 1));
      for (let i = a; i <= z; i++) row[i] = g.bands[b.kind];
    }
    if (nowIn) row[col(model.now)] = g.now;
    // Markers in one column: the most telling one is drawn last (on top).
    const laneMarkers = model.markers
      .filter((m) => m.lane === lane)
      .sort((a, b) => PRIORITY[a.kind] - PRIORITY[b.kind]);
    for (const m of laneMarkers) row[col(m.at)] = markerGlyph(m.kind);
    lines.push(`${LANE_NAMES[lane].padEnd(gutter - 1)} ${row.join("")}`);
  }

  // Axis: tick marks, time labels, and the date where it changes.
  const tickList = ticks(from, to, Math.max(2, Math.floor(cols / 12)), zone);
  const daysOnly = tickList.step >= DAY_STEP;
  const tickRow: string[] = new Array<string>(cols).fill(" ");
  const timeRow: string[] = new Array<string>(cols).fill(" ");
  const dateRow: string[] = new Array<string>(cols).fill(" ");
  let timeEnd = -1;
  let dateEnd = -1;
  let lastDay: number | undefined;
  for (const t of tickList.at) {
    const c = col(t);
    tickRow[c] = g.tick;
    const label = clock(t, zone);
    if (!daysOnly && c > timeEnd && c + label.length <= cols) {
      for (let i = 0; i < label.length; i++) timeRow[c + i] = label[i] as string;
      timeEnd = c + label.length;
    }
    const k = dayKey(t, zone);
    if (k !== lastDay) {
      const d = day(t, zone);
      if (c > dateEnd && c + d.length <= cols) {
        for (let i = 0; i < d.length; i++) dateRow[c + i] = d[i] as string;
        dateEnd = c + d.length;
        lastDay = k;
      }
    }
  }
  const pad = " ".repeat(gutter);
  lines.push(`${pad}${tickRow.join("")}`.trimEnd());
  if (!daysOnly) lines.push(`${pad}${timeRow.join("")}`.trimEnd());
  const dates = `${pad}${dateRow.join("")}`.trimEnd();
  if (dates.trim() !== "") lines.push(dates);

  // Legend: only what is drawn.
  const legend: string[] = [];
  const bandKinds = new Set(model.bands.map((b) => b.kind));
  for (const kind of Object.keys(BAND_NAMES) as TimelineBand["kind"][]) {
    if (bandKinds.has(kind)) legend.push(`${g.bands[kind]} ${BAND_NAMES[kind]}`);
  }
  const kinds = new Set(model.markers.map((m) => m.kind));
  for (const kind of Object.keys(MARKER_NAMES) as TimelineMarkerKind[]) {
    if (kinds.has(kind)) legend.push(`${markerGlyph(kind)} ${MARKER_NAMES[kind]}`);
  }
  if (nowIn) legend.push(`${g.now} now`);
  let line = "";
  for (const item of legend) {
    if (line !== "" && line.length + 2 + item.length > width) {
      lines.push(line);
      line = "";
    }
    line = line === "" ? item : `${line}  ${item}`;
  }
  if (line !== "") lines.push(line);

  // Exact instants.
  for (const b of model.bands) {
    lines.push(
      `${BAND_NAMES[b.kind].padEnd(22)} ${stamp(b.from, zone)} → ${stamp(b.to, zone)}  ${b.label}`,
    );
  }
  lines.push(`${"now".padEnd(22)} ${stamp(model.now, zone)} ${zone.name}`);
  return `${lines.join("\n")}\n`;
}
