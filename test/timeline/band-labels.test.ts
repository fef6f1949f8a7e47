/**
 * Issue 12 item 1: the timeline's band labels are rendered from the rule table. Each band names
 * the entry it comes from (`band.rule`, a Reason or a context entry id, as a decision's `fired`
 * names it) and its label is that entry's `band` rendering — no label is worded in the timeline.
 */
import { TZDate } from "@date-fns/tz";
import { format } from "date-fns/format";
import fc from "fast-check";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { Intent, ThreadEvent } from "../../src/domain/types.js";
import type { Reason } from "../../src/index.js";
import {
  buildTimeline,
  type TimelineBand,
  type TimelineBandRule,
  type TimelineModel,
} from "../../src/timeline/model.js";
import { renderTimeline } from "../../src/timeline/svg.js";
import { renderTimelineText } from "../../src/timeline/text.js";
import { BAND_WORDS, type BandLabel, type BandRule } from "../../src/window/bands.js";
import { SOCIAL_AFTER, SOCIAL_BEFORE, WA_AFTER, WA_BEFORE } from "../../src/window/context.js";
import { decide } from "../../src/window/decide.js";
import { emptyState, foldEvents, type ThreadState } from "../../src/window/state.js";
import { TABLE } from "../../src/window/table.js";
import { formatInstantShort } from "../../src/window/words.js";
import { GOLDEN_CASES, type GoldenCase } from "./fixtures.js";
import { byClass, parseXml, textOf } from "./xml.js";

const at = (iso: string): number => Date.parse(iso);
const wa = { business: "106540352242922", customer: "5511987654321" };
const page = { channel: "messenger" as const, business: "104857372012345", customer: "602415" };

/** Extra threads beyond the goldens: a platform FEP, Messenger windows, a window after now. */
const platformFep: ThreadEvent[] = [
  {
    kind: "inbound",
    id: "w1",
    type: "text",
    at: at("2026-11-26T10:00:00Z"),
    thread: wa,
    referral: { sourceType: "ad" },
  },
  {
    kind: "status",
    id: "w2",
    status: "sent",
    at: at("2026-11-26T10:05:00Z"),
    thread: wa,
    pricing: { type: "free_entry_point" },
    conversationExpiresAt: at("2026-12-03T10:05:00Z"),
  },
];
const pageMessage = (iso: string, id: string): ThreadEvent => ({
  kind: "inbound",
  id,
  type: "text",
  action: "message",
  at: at(iso),
  thread: page,
});
const socialClosed: ThreadEvent[] = [
  pageMessage("2026-11-24T09:00:00Z", "m1"),
  pageMessage("2026-11-26T09:00:00Z", "m2"),
  {
    kind: "status",
    id: "m3",
    status: "failed",
    errors: [10],
    at: at("2026-11-26T11:00:00Z"),
    thread: page,
  },
];
const socialOpen: ThreadEvent[] = [pageMessage("2026-11-26T09:00:00Z", "m4")];
const later: ThreadEvent[] = [
  { kind: "inbound", id: "l1", type: "text", at: at("2026-11-24T09:00:00Z"), thread: wa },
  { kind: "inbound", id: "l2", type: "text", at: at("2026-11-27T09:00:00Z"), thread: wa },
];
const fold = (events: readonly ThreadEvent[]): ThreadState => foldEvents(emptyState(), events);

const CASES: readonly GoldenCase[] = [
  ...GOLDEN_CASES,
  {
    name: "fep-platform",
    state: fold(platformFep),
    now: at("2026-11-27T12:00:00Z"),
    options: { events: platformFep, timeZone: "Asia/Kolkata" },
  },
  {
    name: "messenger-closed-by-error",
    state: fold(socialClosed),
    now: at("2026-11-26T14:00:00Z"),
    options: { events: socialClosed, thread: page },
  },
  {
    name: "messenger-open",
    state: fold(socialOpen),
    now: at("2026-11-26T14:00:00Z"),
    options: { events: socialOpen, thread: page, timeZone: "Europe/Berlin" },
  },
  {
    // The state's clock is "behind": the 27 Nov message is after now, so its window opens later.
    name: "window-after-now",
    state: fold(later),
    now: at("2026-11-25T12:00:00Z"),
    options: { events: later },
  },
];

const modelOf = (c: GoldenCase): TimelineModel => buildTimeline(c.state, c.now, c.options);
const isSocial = (c: GoldenCase): boolean => c.state.channel !== undefined;

/**
 * The entry a band names, looked up in the table and context lists on their own (not through
 * the timeline's sources): the lane of a Reason on the thread's channel, or the context entry
 * with that id.
 */
function entryNamed(rule: TimelineBandRule, social: boolean): { readonly band?: BandLabel } {
  if (Object.hasOwn(TABLE, rule)) {
    const entry = TABLE[rule as Reason];
    // The 131049 limit is a WhatsApp error; the only lane that describes it is WhatsApp's.
    const lane = (social && rule !== "marketing-limited" ? entry.social : entry.whatsapp) as {
      readonly band?: BandLabel;
    } | null;
    if (lane === null) throw new Error(`${rule} has no lane`);
    return lane;
  }
  const list = social ? [...SOCIAL_BEFORE, ...SOCIAL_AFTER] : [...WA_BEFORE, ...WA_AFTER];
  const found = list.find((c) => c.id === rule);
  if (found === undefined) throw new Error(`no context entry ${rule}`);
  return found;
}

const spanOf = (m: TimelineModel, b: TimelineBand) => ({
  from: b.from,
  to: b.to,
  now: m.now,
  timeZone: m.zone.name,
});

const WINDOW_REASONS: readonly Reason[] = [
  "window-open",
  "window-closed",
  "window-closed-by-error",
];

/** Which entries may describe a band of each kind. */
const RULES_OF_KIND: Readonly<Record<TimelineBand["kind"], readonly BandRule[]>> = {
  window: ["window-open", "window-closed", "window-closed-by-error", "closed-by-error"],
  "fep-platform": ["fep-platform"],
  "fep-estimated": ["fep-estimated"],
  "fep-activatable": ["fep-activatable"],
  "marketing-limited": ["marketing-limited"],
};

describe("timeline band labels come from the rule table (issue 12 item 1)", () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it("every band's label is its entry's `band` rendering, and the entry fits the band's kind", () => {
    const seen = new Set<TimelineBandRule>();
    for (const c of CASES) {
      const m = modelOf(c);
      expect(m.bands.length, c.name).toBeGreaterThan(0);
      for (const b of m.bands) {
        seen.add(b.rule);
        expect(RULES_OF_KIND[b.kind], `${c.name}: ${b.kind}`).toContain(b.rule);
        const entry = entryNamed(b.rule, isSocial(c));
        expect(entry.band, `${c.name}: ${b.rule} declares a band`).toBeTypeOf("function");
        expect(b.label, `${c.name}: ${b.rule}`).toBe(entry.band?.(spanOf(m, b)));
        // CSW-12 bands are exactly the ones an error closed.
        expect(b.closedByError, c.name).toBe(
          b.rule === "window-closed-by-error" || b.rule === "closed-by-error",
        );
      }
    }
    // Every entry that can describe a band was exercised (the test is not vacuous).
    expect([...seen].sort()).toEqual(
      [
        "window-open",
        "window-closed",
        "window-closed-by-error",
        "closed-by-error",
        "marketing-limited",
        "fep-platform",
        "fep-estimated",
        "fep-activatable",
      ].sort(),
    );
  });

  it("the latest window band and the FEP band at now agree with the decision at now", () => {
    let byReason = 0;
    let fepChecked = 0;
    for (const c of CASES) {
      const m = modelOf(c);
      const intent: Intent = isSocial(c)
        ? { kind: "template", category: "utility" }
        : { kind: "free-form" };
      // Opt-ins are not asked for, so a closed window decides the reason where nothing earlier
      // in the table (a block, an opt-out) does (CSW-11, CSW-12).
      const d = decide(c.state, intent, c.now, { ...c.options.decide, requireOptIn: false });
      const latest = m.bands.filter((b) => b.kind === "window").at(-1);
      if (latest !== undefined && latest.from <= c.now) {
        expect(d.window.closesAt?.getTime(), c.name).toBe(latest.to);
        expect(d.window.open, c.name).toBe(latest.rule === "window-open");
        if (WINDOW_REASONS.includes(d.reason) && latest.rule === "closed-by-error") {
          // Messenger / Instagram: a closed window, closed by the ERR-31 context entry.
          expect(d.reason, c.name).toBe("window-closed");
          expect(d.fired, c.name).toContain("closed-by-error");
          byReason++;
        } else if (WINDOW_REASONS.includes(d.reason)) {
          expect(d.reason, c.name).toBe(latest.rule);
          byReason++;
        } else if (latest.closedByError) {
          // Another entry decided; the CSW-12 / ERR-31 context entry still fired.
          expect(d.fired, c.name).toContain("closed-by-error");
        }
      }
      for (const b of m.bands.filter((x) => x.lane === "fep" && x.from <= c.now && c.now < x.to)) {
        expect(d.fired, `${c.name}: ${b.rule}`).toContain(b.rule);
        fepChecked++;
      }
    }
    expect(byReason).toBeGreaterThanOrEqual(4);
    expect(fepChecked).toBeGreaterThanOrEqual(3);
  });

  it("a window that starts after now is worded by window-open (`opens …`)", () => {
    const c = CASES.find((x) => x.name === "window-after-now");
    const m = modelOf(c!);
    const future = m.bands.filter((b) => b.kind === "window" && b.from > m.now);
    expect(future).toHaveLength(1);
    expect(future[0]?.rule).toBe("window-open");
    expect(future[0]?.label).toBe(`opens ${formatInstantShort(future[0]!.from)}`);
  });

  it("each entry's `band` is the words of its own id, and every band rule has such an entry", () => {
    const declared = new Map<BandRule, string[]>();
    const check = (id: string, where: string, band: BandLabel | undefined): void => {
      if (band === undefined) return;
      expect(Object.hasOwn(BAND_WORDS, id), `${where} declares a band`).toBe(true);
      expect(band, where).toBe(BAND_WORDS[id as BandRule]);
      declared.set(id as BandRule, [...(declared.get(id as BandRule) ?? []), where]);
    };
    for (const [reason, entry] of Object.entries(TABLE)) {
      for (const channel of ["whatsapp", "social"] as const) {
        const lane = entry[channel] as { readonly band?: BandLabel } | null;
        check(reason, `${reason} (${channel})`, lane?.band);
      }
    }
    for (const [name, list] of Object.entries({
      WA_BEFORE,
      WA_AFTER,
      SOCIAL_BEFORE,
      SOCIAL_AFTER,
    })) {
      for (const c of list) check(c.id, `${c.id} (${name})`, c.band);
    }
    expect([...declared.keys()].sort()).toEqual(Object.keys(BAND_WORDS).sort());
  });

  it("changing only an entry's band words changes the picture (SVG and text)", () => {
    const c = GOLDEN_CASES.find((x) => x.name === "fep-activatable")!;
    const before = renderTimeline(c.state, c.now, c.options);
    const windowLabel = vi
      .spyOn(BAND_WORDS, "window-open")
      .mockImplementation((s) => `W-OPEN ${s.to - s.from}`);
    const fepLabel = vi
      .spyOn(BAND_WORDS, "fep-activatable")
      .mockImplementation((s) => `FEP-2 by ${s.to}`);
    const m = modelOf(c);
    const window = m.bands.find((b) => b.kind === "window")!;
    const fep = m.bands.find((b) => b.kind === "fep-activatable")!;
    expect(window.label).toBe(`W-OPEN ${window.to - window.from}`);
    expect(fep.label).toBe(`FEP-2 by ${fep.to}`);
    expect(windowLabel).toHaveBeenCalledWith({
      from: window.from,
      to: window.to,
      now: c.now,
      timeZone: "UTC",
    });
    const root = parseXml(renderTimeline(c.state, c.now, c.options));
    expect(textOf(byClass(root, "cw-window")[0]!)).toContain("W-OPEN 86400000");
    expect(textOf(byClass(root, "cw-fep-activatable")[0]!)).toContain(`FEP-2 by ${fep.to}`);
    expect(renderTimelineText(c.state, c.now, {})).toContain("W-OPEN 86400000");
    expect(fepLabel).toHaveBeenCalled();
    vi.restoreAllMocks();
    expect(renderTimeline(c.state, c.now, c.options)).toBe(before);
  });

  it("the SVG names each band's entry (data-rule) and draws its label", () => {
    for (const c of CASES) {
      const m = modelOf(c);
      const root = parseXml(renderTimeline(c.state, c.now, c.options));
      const drawn = byClass(root, "cw-band");
      expect(
        drawn.map((g) => [
          g.attrs["data-rule"],
          textOf(g.children.find((e) => e.name === "text")!),
        ]),
        c.name,
      ).toEqual(m.bands.map((b) => [b.rule, b.label]));
    }
  });

  it("labels stay short enough for a band (≤ 40 characters) in any zone", () => {
    for (const c of CASES) {
      for (const timeZone of ["UTC", "America/Sao_Paulo", "Asia/Kathmandu"]) {
        const m = buildTimeline(c.state, c.now, { ...c.options, timeZone });
        for (const b of m.bands) expect(b.label.length, b.label).toBeLessThanOrEqual(40);
      }
    }
  });
});

describe("formatInstantShort (window/words.ts): the band labels' instants (OPEN-6)", () => {
  it("writes `d MMM HH:mm` on the zone's wall clock, as date-fns formats it", () => {
    const zones = ["UTC", "America/Sao_Paulo", "Asia/Kolkata", "Asia/Kathmandu", "Europe/Berlin"];
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2040, 0, 1) }),
        fc.constantFrom(...zones),
        (ms, zone) => {
          expect(formatInstantShort(ms, zone)).toBe(format(new TZDate(ms, zone), "d MMM HH:mm"));
        },
      ),
      { numRuns: 300 },
    );
    expect(formatInstantShort(at("2026-11-26T20:00:00Z"), "Asia/Kolkata")).toBe("27 Nov 01:30");
    expect(formatInstantShort(at("2026-11-26T20:00:00Z"))).toBe("26 Nov 20:00");
  });

  it("falls back to UTC for a zone the runtime does not know", () => {
    expect(formatInstantShort(at("2026-11-26T20:00:00Z"), "Mars/Olympus")).toBe("26 Nov 20:00");
    expect(formatInstantShort(Number.NaN)).toBe("an instant outside the calendar");
    expect(formatInstantShort(1e20, "Asia/Kolkata")).toBe("an instant outside the calendar");
  });
});
