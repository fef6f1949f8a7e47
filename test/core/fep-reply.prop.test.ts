/**
 * OPEN-1 (confirmed 2026-12-06): the FEP estimate runs from the activating reply. The folded
 * state keeps the earliest send of each recent UTC day (one instant per day, at most
 * FIRST_SENDS_KEPT), so the reply is found whatever order the events arrive in.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { ThreadEvent } from "../../src/domain/types.js";
import { decide } from "../../src/window/decide.js";
import { emptyState, FIRST_SENDS_KEPT, foldEvents, mergeStates } from "../../src/window/state.js";
import { adEntry, DAY, HOUR, MINUTE, outbound, PROP_RUNS, status, UTILITY } from "./fixtures.js";

const RUNS = { numRuns: PROP_RUNS } as const;
const ESTIMATE = 72 * HOUR;
/** 2026-11-20 00:00 UTC, in the service-tier era (72 h estimate). */
const BASE = Date.parse("2026-11-20T00:00:00Z");

/** An instant on a 30-minute grid over three days, with ±1 ms jitter (ties are common). */
const instant = fc
  .tuple(fc.integer({ min: 0, max: 3 * 48 }), fc.constantFrom(0, 0, 1, -1))
  .map(([k, j]) => BASE + k * 30 * MINUTE + j);

/** A business send: a host-recorded outbound event or a `sent` status. */
const send = fc
  .tuple(instant, fc.boolean())
  .map(
    ([at, viaStatus]): ThreadEvent => (viaStatus ? status(at, { status: "sent" }) : outbound(at)),
  );

const history = fc.record({
  entries: fc.array(
    instant.map((at) => adEntry(at)),
    { minLength: 1, maxLength: 2 },
  ),
  sends: fc.array(send, { maxLength: 16 }),
});

/** Each event once, a permutation, with some events delivered twice and split in batches. */
const reordered = history.chain(({ entries, sends }) => {
  const all = [...entries, ...sends];
  return fc.tuple(
    fc.constant({ entries, sends, all }),
    fc.shuffledSubarray(all, { minLength: all.length, maxLength: all.length }),
    fc.subarray(all),
    fc.integer({ min: 0, max: all.length }),
  );
});

const closesAt = (events: readonly ThreadEvent[], now: number): Date | null =>
  decide(foldEvents(emptyState(), events), UTILITY, now, { requireOptIn: false }).freeEntryPoint
    .closesAt;

describe("OPEN-1: the estimate runs from the activating reply (fast-check)", () => {
  it("OPEN-1: any permutation, duplication and re-batching gives the same state and the same FEP end", () => {
    fc.assert(
      fc.property(reordered, ([{ all }, shuffled, dupes, cut]) => {
        const base = foldEvents(emptyState(), all);
        const mixed = [...shuffled, ...dupes];
        const batched = foldEvents(foldEvents(emptyState(), mixed.slice(0, cut)), mixed.slice(cut));
        expect(foldEvents(emptyState(), mixed)).toStrictEqual(base);
        expect(batched).toStrictEqual(base);
        expect((base.firstSends ?? []).length).toBeLessThanOrEqual(FIRST_SENDS_KEPT);
        const now = BASE + 2 * DAY;
        expect(closesAt(mixed, now)).toEqual(closesAt(all, now));
      }),
      RUNS,
    );
  });

  it("OPEN-1: the estimate starts at the first reply, or at the entry when the kept sends cannot prove which reply came first — never later than the reply", () => {
    fc.assert(
      fc.property(history, ({ entries, sends }) => {
        const entry = Math.max(...entries.map((e) => e.at));
        const replies = sends.map((s) => s.at).filter((t) => t >= entry && t < entry + DAY);
        const events = [...entries, ...sends];
        const end = closesAt(events, entry);
        if (replies.length === 0) {
          expect(end).toBeNull();
          return;
        }
        const reply = Math.min(...replies);
        // Exact whenever no send precedes the entry on its UTC day, or there are few sends.
        const day = Math.floor(entry / DAY);
        const earlierSameDay = sends.some((s) => Math.floor(s.at / DAY) === day && s.at < entry);
        const exact = !earlierSameDay || sends.length <= 4;
        // Otherwise the reply may be out of sight: no FEP (priced as charged) is conservative too.
        if (end === null) {
          expect(exact).toBe(false);
          return;
        }
        const start = end.getTime() - ESTIMATE;
        expect([reply, entry]).toContain(start);
        if (exact) expect(start).toBe(reply);
      }),
      RUNS,
    );
  });
});

describe("OPEN-1: examples", () => {
  const E = Date.parse("2026-11-26T09:00:00Z");

  it("OPEN-1: a reply 5 h after the entry, then a busy day of sends: the FEP ends 72 h after the reply", () => {
    const later = Array.from({ length: 12 }, (_, i) => outbound(E + 6 * HOUR + i * 20 * MINUTE));
    const events = [...later.reverse(), outbound(E + 5 * HOUR), adEntry(E)]; // newest first
    // One hour after 0.1.0's end (entry + 72 h), four hours before the true one.
    const d = decide(foldEvents(emptyState(), events), UTILITY, E + 3 * DAY + HOUR, {
      requireOptIn: false,
    });
    expect(d.freeEntryPoint).toEqual({
      open: true,
      closesAt: new Date(E + 5 * HOUR + ESTIMATE),
      source: "estimated",
    });
    expect(d.pricing.charge).toBe("free"); // 0.1.0 ended it at E + 72 h and said "charged"
  });

  it("OPEN-1: a send earlier the same day and more than four later sends: anchored on the entry (conservative)", () => {
    const events = [
      outbound(E - 2 * HOUR),
      adEntry(E),
      ...Array.from({ length: 5 }, (_, i) => outbound(E + (i + 1) * HOUR)),
    ];
    const end = closesAt(events, E + 6 * HOUR);
    expect(end).toEqual(new Date(E + ESTIMATE));
  });
});

describe("OPEN-1: the per-day first sends are a join (fast-check)", () => {
  const days = fc.array(instant, { maxLength: 30 });
  const stored = days.map((ts) => ({ ...emptyState(), firstSends: ts })); // possibly malformed

  it("OPEN-1: merging any stored lists (well-formed or not) is commutative and idempotent, and folding one send equals merging it", () => {
    fc.assert(
      fc.property(stored, stored, instant, (a, b, t) => {
        expect(mergeStates(a, b).firstSends).toStrictEqual(mergeStates(b, a).firstSends);
        const ab = mergeStates(a, b);
        expect(mergeStates(ab, ab)).toStrictEqual(ab);
        const one = foldEvents(ab, [outbound(t)]);
        expect(one.firstSends).toStrictEqual(
          mergeStates(ab, { ...emptyState(), firstSends: [t] }).firstSends,
        );
        expect((one.firstSends ?? []).length).toBeLessThanOrEqual(FIRST_SENDS_KEPT);
      }),
      RUNS,
    );
  });
});
