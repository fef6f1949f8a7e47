/**
 * The drawing-independent timeline of one thread: lanes, bands (windows, free entry points,
 * limits) and markers (inbound, sends, consent), computed from a {@link ThreadState} and,
 * optionally, the thread's full event list. Both renderers (SVG and text) draw this model.
 *
 * Pure: no clock, no I/O, no zod. The window and FEP bands come from the same evaluation
 * {@link decide} uses (CSW-2, CSW-12, FEP-2, FEP-3, OPEN-1), so the picture never disagrees with
 * a decision made with the same options. Band labels are not written here: each band names the
 * rule-table entry that describes it (`rule`) and is labelled by that entry's `band` words
 * (`window/bands.ts`, the functions the table's entries declare).
 *
 * @module
 * @internal
 */
import { InvalidInputError } from "../domain/errors.js";
import type { CareEvent, Instant, Thread, ThreadEvent } from "../domain/types.js";
import { HOUR_MS } from "../policy/units.js";
import {
  type BandRule,
  bandLabel,
  WINDOW_BAND_RULES,
  type WindowBandState,
} from "../window/bands.js";
import { checkDecideOptions } from "../window/decide.js";
import { eraIn, evaluateFep, fepEstimate, toInstant } from "../window/evaluate.js";
import type { DecideOptions } from "../window/options.js";
import {
  type CarriedOver,
  checkedState,
  DAY_MS,
  eventState,
  type ThreadState,
} from "../window/state.js";
import { evaluateWindow, windowEnd } from "../window/window.js";
import { stamp, type Zone, zoneOf } from "./format.js";

/**
 * The rows of a timeline picture, top to bottom.
 *
 * - `customer`: inbound messages, calls, ad entries.
 * - `window`: the customer service window(s) `[T, T+24h)` (CSW-2).
 * - `fep`: the free entry point (FEP-2 … FEP-5), platform-confirmed or estimated (OPEN-1).
 * - `business`: outbound sends and failed sends.
 * - `consent`: opt-ins, opt-outs, marketing stop / resume, blocks, marketing limits.
 *
 * @example
 * ```ts
 * const lane: TimelineLane = "fep";
 * ```
 */
export type TimelineLane = "customer" | "window" | "fep" | "business" | "consent";

/**
 * What a point on the timeline stands for.
 *
 * @example
 * ```ts
 * const kind: TimelineMarkerKind = "opt-in";
 * ```
 */
export type TimelineMarkerKind =
  | "message"
  | "call"
  | "inbound-other"
  | "ad"
  | "outbound"
  | "failed"
  | "opt-in"
  | "opt-out"
  | "marketing-stop"
  | "marketing-resume"
  | "block"
  | "unblock";

/**
 * What a stretch of time on the timeline stands for.
 *
 * - `window`: an open customer service window; `fep-platform` / `fep-estimated`: a free entry
 *   point whose end the platform reported (FEP-3) or that is estimated (OPEN-1);
 * - `fep-activatable`: a reply before its end would open a free entry point (FEP-2);
 * - `marketing-limited`: no marketing before its end (131049, CONSENT-7).
 *
 * @example
 * ```ts
 * const kind: TimelineBandKind = "fep-estimated";
 * ```
 */
export type TimelineBandKind =
  | "window"
  | "fep-platform"
  | "fep-estimated"
  | "fep-activatable"
  | "marketing-limited";

/** A point on a lane. */
export interface TimelineMarker {
  readonly lane: TimelineLane;
  readonly kind: TimelineMarkerKind;
  readonly at: Instant;
  /** A few characters drawn next to the marker (`131047`, `marketing`), or `""`. */
  readonly label: string;
  /** A full sentence (SVG tooltip). */
  readonly title: string;
}

/**
 * The rule-table entry a band comes from (its label is that entry's `band` rendering): a
 * `Reason` (`window-open`, `window-closed`, `window-closed-by-error`, `marketing-limited`) or a
 * context entry (`fep-platform`, `fep-estimated`, `fep-activatable`; `closed-by-error` on
 * Messenger / Instagram, ERR-31).
 */
export type TimelineBandRule = BandRule;

/** A stretch of time on a lane, `[from, to)`. */
export interface TimelineBand {
  readonly lane: TimelineLane;
  readonly kind: TimelineBandKind;
  readonly from: Instant;
  readonly to: Instant;
  /** The entry the band comes from, as a decision's `fired` names it. */
  readonly rule: TimelineBandRule;
  /** The entry's `band` rendering of this band, in the display zone. */
  readonly label: string;
  /** A 131047 failure ended this window early (CSW-12). */
  readonly closedByError: boolean;
}

/**
 * Options shared by {@link renderTimeline} and {@link renderTimelineText}.
 *
 * @example
 * ```ts
 * const options: TimelineBaseOptions = {
 *   title: "Ana (5511987654321)",
 *   from: new Date("2026-11-26T06:00:00Z"),
 *   to: new Date("2026-11-28T12:00:00Z"),
 *   timeZone: "America/Sao_Paulo",
 *   events,
 * };
 * ```
 */
export interface TimelineBaseOptions {
  /** Heading of the picture. Default `"Thread timeline"`, or the thread when `thread` is given. */
  readonly title?: string;
  /**
   * Start of the drawn range. Default: the earliest instant on the timeline − 2 h.
   */
  readonly from?: Date | number;
  /** End of the drawn range. Default: the latest of `now` and every band end, + 2 h. */
  readonly to?: Date | number;
  /** IANA time zone of the labels (OPEN-6). Default `"UTC"`. Windows stay absolute (CSW-2). */
  readonly timeZone?: string;
  /**
   * The thread's events, to draw **every** inbound message, send and consent change. The state
   * keeps only the latest instant per kind, so without `events` only those latest ones appear
   * (and only the latest window). Events of other threads are skipped when `thread` is given.
   */
  readonly events?: readonly CareEvent[];
  /** Only `events` of this thread are drawn (channel defaults to WhatsApp). */
  readonly thread?: Thread;
  /** The {@link DecideOptions} your decisions use, so the bands match them (OPEN-1 … OPEN-4). */
  readonly decide?: DecideOptions;
}

/** The computed timeline. */
export interface TimelineModel {
  readonly from: Instant;
  readonly to: Instant;
  readonly now: Instant;
  readonly zone: Zone;
  readonly title: string;
  readonly lanes: readonly TimelineLane[];
  readonly bands: readonly TimelineBand[];
  readonly markers: readonly TimelineMarker[];
}

/** Lanes, in drawing order. */
export const LANES: readonly TimelineLane[] = ["customer", "window", "fep", "business", "consent"];

/** Human lane names. */
export const LANE_NAMES: Readonly<Record<TimelineLane, string>> = {
  customer: "customer",
  window: "window",
  fep: "free entry",
  business: "business",
  consent: "consent",
};

const SENT: ReadonlySet<string> = new Set(["sent", "delivered", "read", "played"]);
const HOUR = HOUR_MS;

const sameThread = (a: Thread, b: Thread): boolean =>
  a.business === b.business &&
  a.customer === b.customer &&
  (a.channel ?? "whatsapp") === (b.channel ?? "whatsapp");

/** Which inbound classes open the window under `options` (CSW-7, OPEN-3, OPEN-20). */
function qualifies(cls: string, options: DecideOptions): boolean {
  if (cls === "message" || cls === "call") return true;
  const open = options.openWindowOn as Readonly<Record<string, boolean | undefined>> | undefined;
  const social = options.social?.openOn as
    | Readonly<Record<string, boolean | undefined>>
    | undefined;
  return open?.[cls] === true || social?.[cls] === true;
}

function inboundKind(cls: string): TimelineMarkerKind {
  return cls === "message" ? "message" : cls === "call" ? "call" : "inbound-other";
}

const CLASS_NAMES: Readonly<Record<string, string>> = {
  message: "message",
  call: "call",
  callPermission: "call permission reply",
  welcome: "request_welcome",
  storyMention: "story mention",
};

/** Builds the timeline model. Throws {@link InvalidInputError} for an invalid `now` or option. */
export function buildTimeline(
  given: ThreadState,
  now: Date | number,
  options: TimelineBaseOptions = {},
): TimelineModel {
  // Checked like decide's (a typed error naming the member, never a TypeError further on).
  const state = checkedState(given, "state");
  const at = toInstant(now, "now");
  const zone = zoneOf(options.timeZone);
  // `null` is refused like in decide (only an absent `decide` means "no options").
  const opts = options.decide === undefined ? {} : options.decide;
  // The same checks as decide's, naming `options.decide` (a bad option is a typed error).
  const { zone: accountZone } = checkDecideOptions(opts, "options.decide");
  const markers = new Map<string, TimelineMarker>();
  const add = (m: TimelineMarker): void => {
    const key = `${m.lane}|${m.kind}|${m.at}`;
    if (!markers.has(key)) markers.set(key, m);
  };
  const ts = (t: Instant): string => `${stamp(t, zone)} ${zone.name}`;

  const events: ThreadEvent[] = [];
  for (const [i, e] of (options.events ?? []).entries()) {
    if (typeof e !== "object" || e === null || !("thread" in e)) continue;
    if (typeof e.at !== "number" || !Number.isFinite(e.at)) {
      throw new InvalidInputError(
        "invalid-event",
        `options.events[${i}].at must be a finite epoch-millisecond number`,
        `options.events[${i}].at`,
      );
    }
    if (options.thread === undefined || sameThread(options.thread, e.thread)) events.push(e);
  }

  // ---- customer lane -------------------------------------------------------------------
  const qualifying: Instant[] = [];
  const inboundMarker = (cls: string, t: Instant): void => {
    const name = CLASS_NAMES[cls] ?? cls;
    const opens = qualifies(cls, opts);
    add({
      lane: "customer",
      kind: inboundKind(cls),
      at: t,
      label: "",
      title: `${ts(t)}: customer ${cls === "call" ? "called" : `sent a ${name}`}${opens ? " (opens the 24-hour window)" : " (does not open the window by default, OPEN-3)"}`,
    });
    if (opens) qualifying.push(t);
  };
  for (const [cls, t] of Object.entries(state.inbound)) {
    if (t !== undefined) inboundMarker(cls, t);
  }
  const adMarker = (t: Instant, source: string): void =>
    add({
      lane: "customer",
      kind: "ad",
      at: t,
      label: source,
      title: `${ts(t)}: the customer arrived from a ${source === "ad" ? "Click-to-WhatsApp ad" : `${source} referral`} (FEP-6)`,
    });
  if (state.referral?.ad !== undefined) adMarker(state.referral.ad, "ad");
  if (state.referral?.post !== undefined) adMarker(state.referral.post, "post");

  // ---- business lane -------------------------------------------------------------------
  const sends: Instant[] = [...state.outbound];
  const failures: Instant[] = [];
  if (state.reengagementFailedAt !== undefined) failures.push(state.reengagementFailedAt);
  for (const t of state.outbound) {
    add({ lane: "business", kind: "outbound", at: t, label: "", title: `${ts(t)}: business send` });
  }
  const failed = (t: Instant, codes: readonly number[]): void =>
    add({
      lane: "business",
      kind: "failed",
      at: t,
      label: codes.join(","),
      title: `${ts(t)}: a send failed with ${codes.join(", ")}`,
    });
  if (state.lastError !== undefined) failed(state.lastError.at, [state.lastError.code]);
  if (
    state.reengagementFailedAt !== undefined &&
    state.reengagementFailedAt !== state.lastError?.at
  ) {
    failed(state.reengagementFailedAt, [131047]);
  }

  // ---- consent lane --------------------------------------------------------------------
  // What an earlier number carried over (OPEN-15) is drawn too, and said to be from there.
  const levels: [string, CarriedOver | ThreadState][] = [["", state]];
  for (let c = state.carried; c !== undefined; c = c.carried) {
    levels.push([" on an earlier number (OPEN-15)", c]);
  }
  for (const [where, { consent }] of levels) {
    for (const [scope, record] of Object.entries(consent)) {
      if (record !== undefined)
        consentMarker(record.action, scope, record.at, record.source, where);
    }
  }
  function consentMarker(
    kind: "opt-in" | "opt-out",
    scope: string,
    t: Instant,
    source: string,
    where = "",
  ) {
    add({
      lane: "consent",
      kind,
      at: t,
      label: scope,
      title: `${ts(t)}: ${kind} for ${scope === "all" ? "all messages" : `${scope} messages`} recorded${where} (source: ${source})`,
    });
  }
  const toggle = (
    t: Instant | undefined,
    kind: "marketing-stop" | "marketing-resume" | "block" | "unblock",
    where = "",
  ): void => {
    if (t === undefined) return;
    const text = {
      "marketing-stop": ["stop", "the customer stopped marketing messages (CONSENT-5)"],
      "marketing-resume": ["resume", "the customer resumed marketing messages (CONSENT-5)"],
      block: ["block", "the business blocked the customer (CONSENT-9)"],
      unblock: ["unblock", "the business unblocked the customer"],
    }[kind];
    add({
      lane: "consent",
      kind,
      at: t,
      label: text[0] ?? "",
      title: `${ts(t)}: ${text[1]}${where}`,
    });
  };
  for (const [where, { marketing, blocked }] of levels) {
    toggle(marketing?.on, "marketing-stop", where);
    toggle(marketing?.off, "marketing-resume", where);
    toggle(blocked?.on, "block", where);
    toggle(blocked?.off, "unblock", where);
  }

  // ---- every event, when given -----------------------------------------------------------
  const firstStatus = new Map<string, Instant>();
  for (const e of events) {
    switch (e.kind) {
      case "inbound":
      case "call": {
        for (const [cls, t] of Object.entries(eventState(e).inbound)) {
          if (t !== undefined) inboundMarker(cls, t);
        }
        if (e.kind === "inbound" && e.referral !== undefined) adMarker(e.at, e.referral.sourceType);
        break;
      }
      case "outbound":
        if (e.echo !== true) {
          sends.push(e.at);
          add({
            lane: "business",
            kind: "outbound",
            at: e.at,
            label: "",
            title: `${ts(e.at)}: business sent a ${e.message === "template" ? `${e.category ?? ""} template`.trim() : e.message === "direct-send" ? "Direct Send" : "free-form message"}`,
          });
        }
        break;
      case "status":
        if (SENT.has(e.status)) {
          const prev = firstStatus.get(e.id);
          if (prev === undefined || e.at < prev) firstStatus.set(e.id, e.at);
        } else if (e.status === "failed" && e.errors !== undefined && e.errors.length > 0) {
          failed(e.at, e.errors);
          // CSW-12: the fold decides what closes a window (one list of 131047-like codes).
          const closes = eventState(e).reengagementFailedAt;
          if (closes !== undefined) failures.push(closes);
        }
        break;
      case "consent":
        consentMarker(e.action, e.scope, e.at, e.source);
        break;
      case "marketing-preference":
        toggle(e.at, e.value === "stop" ? "marketing-stop" : "marketing-resume");
        break;
      case "block":
        toggle(e.at, e.value === "block" ? "block" : "unblock");
        break;
      default: {
        const never: never = e;
        return never;
      }
    }
  }
  for (const t of firstStatus.values()) {
    sends.push(t);
    add({ lane: "business", kind: "outbound", at: t, label: "", title: `${ts(t)}: business send` });
  }

  // ---- bands -----------------------------------------------------------------------------
  const bands: TimelineBand[] = [];
  /** Labels a band with the entry that describes it (nothing is worded here). */
  const labelled = (rule: BandRule, b: Omit<TimelineBand, "rule" | "label">): TimelineBand => ({
    ...b,
    rule,
    label: bandLabel(rule, { from: b.from, to: b.to, now: at, timeZone: zone.name }),
  });
  const windowRules = WINDOW_BAND_RULES[state.channel === undefined ? "whatsapp" : "social"];
  const onboardedAt =
    opts.onboardedAt === undefined
      ? undefined
      : toInstant(opts.onboardedAt, "options.decide.onboardedAt");
  const margin = opts.safetyMarginMs ?? 0;
  const qs = [...new Set(qualifying)]
    .filter((t) => onboardedAt === undefined || t >= onboardedAt)
    .sort((a, b) => a - b);

  // The latest window, from the one evaluator decide reads.
  let last: { from: Instant; to: Instant; byError: boolean } | undefined;
  const w = evaluateWindow(state, at, opts, onboardedAt);
  if (w.lastInbound !== undefined && w.closesAt !== undefined) {
    last = { from: w.lastInbound, to: w.closesAt, byError: w.closedByError };
  }
  // Earlier windows, from the events (CSW-1: each qualifying inbound restarts 24 h; CSW-12).
  const windows: { from: Instant; to: Instant; byError: boolean }[] = [];
  for (let i = 0; i < qs.length; i++) {
    const q = qs[i] as Instant;
    if (last !== undefined && q >= last.from) break;
    const next = qs[i + 1] ?? Number.POSITIVE_INFINITY;
    // The earliest failure of this window's own span (CSW-12), then the one window rule.
    const byAge = windowEnd(q, margin, undefined).closesAt;
    let failedAt: Instant | undefined;
    for (const f of failures) {
      if (f >= q && f < next && f < byAge && (failedAt === undefined || f < failedAt)) failedAt = f;
    }
    const { closesAt: end, closedByError: byError } = windowEnd(q, margin, failedAt);
    windows.push({ from: q, to: Math.min(end, last?.from ?? end, next), byError });
  }
  if (last !== undefined) windows.push(last);
  const merged: { from: Instant; to: Instant; byError: boolean }[] = [];
  for (const w of windows) {
    if (w.to <= w.from && !w.byError) continue;
    const prev = merged[merged.length - 1];
    if (prev !== undefined && w.from <= prev.to && !prev.byError) {
      merged[merged.length - 1] = {
        from: prev.from,
        to: Math.max(prev.to, w.to),
        byError: w.byError,
      };
    } else {
      merged.push({ ...w });
    }
  }
  for (const w of merged) {
    // CSW-12 first; a window that starts after now is one the customer opens (labelled "opens").
    const stands: WindowBandState = w.byError ? "closed-by-error" : at < w.to ? "open" : "closed";
    bands.push(
      labelled(windowRules[stands], {
        lane: "window",
        kind: "window",
        from: w.from,
        to: w.to,
        closedByError: w.byError,
      }),
    );
  }

  // Free entry point (WhatsApp only; FEP-2 … FEP-5, OPEN-1, OPEN-4).
  if (state.channel === undefined) {
    const era = eraIn(at, accountZone, opts.era, "options.decide");
    const fep = evaluateFep(state, at, opts, era);
    const entry =
      opts.fepFromPostReferral === true
        ? Math.max(
            state.referral?.ad ?? Number.NEGATIVE_INFINITY,
            state.referral?.post ?? Number.NEGATIVE_INFINITY,
          )
        : (state.referral?.ad ?? Number.NEGATIVE_INFINITY);
    const sorted = [...new Set(sends)].sort((a, b) => a - b);
    if (fep.source !== "none" && fep.closesAt !== undefined) {
      const end = fep.closesAt;
      const lower = Number.isFinite(entry) ? entry : end - 8 * DAY_MS;
      const reply = sorted.find((t) => t >= lower && t < end);
      const start =
        reply ??
        state.fepSeenAt ??
        (Number.isFinite(entry) ? entry : end - (opts.fepEstimateMs ?? fepEstimate(end)));
      const platform = fep.source === "platform";
      bands.push(
        labelled(platform ? "fep-platform" : "fep-estimated", {
          lane: "fep",
          kind: platform ? "fep-platform" : "fep-estimated",
          from: Math.min(start, end),
          to: end,
          closedByError: false,
        }),
      );
    } else if (fep.activatableUntil !== undefined && Number.isFinite(entry)) {
      bands.push(
        labelled("fep-activatable", {
          lane: "fep",
          kind: "fep-activatable",
          from: entry,
          to: fep.activatableUntil,
          closedByError: false,
        }),
      );
    }
  }

  // Marketing limit (131049, CONSENT-7).
  const limit = state.marketingLimitedUntil;
  if (limit !== undefined) {
    const start =
      state.lastError?.code === 131049 && state.lastError.at < limit
        ? state.lastError.at
        : limit - DAY_MS;
    bands.push(
      labelled("marketing-limited", {
        lane: "consent",
        kind: "marketing-limited",
        from: start,
        to: limit,
        closedByError: false,
      }),
    );
  }

  // ---- range -----------------------------------------------------------------------------
  const all = [...markers.values()];
  let lo = at;
  let hi = at;
  for (const m of all) {
    lo = Math.min(lo, m.at);
    hi = Math.max(hi, m.at);
  }
  for (const b of bands) {
    lo = Math.min(lo, b.from);
    hi = Math.max(hi, b.to);
  }
  const from = options.from === undefined ? lo - 2 * HOUR : toInstant(options.from, "options.from");
  const to = options.to === undefined ? hi + 2 * HOUR : toInstant(options.to, "options.to");
  if (!(from < to)) {
    throw new InvalidInputError(
      "invalid-argument",
      "options.from must be earlier than options.to",
      "options.from",
    );
  }

  const title =
    options.title ??
    (options.thread === undefined
      ? "Thread timeline"
      : `${options.thread.customer} · ${options.thread.channel ?? "whatsapp"} ${options.thread.business}`);
  return {
    from,
    to,
    now: at,
    zone,
    title,
    lanes: LANES,
    bands: bands
      .filter((b) => b.to > from && b.from < to)
      .sort((a, b) => a.from - b.from || a.kind.localeCompare(b.kind)),
    markers: all
      .filter((m) => m.at >= from && m.at <= to)
      .sort(
        (a, b) =>
          LANES.indexOf(a.lane) - LANES.indexOf(b.lane) ||
          a.at - b.at ||
          a.kind.localeCompare(b.kind),
      ),
  };
}
