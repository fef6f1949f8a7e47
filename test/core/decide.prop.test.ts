/**
 * Decision properties: invariant under reordering and re-delivery of events, total on valid
 * input, and the window agrees with a brute-force oracle of CSW-2 / CSW-5 / CSW-7 / CSW-12.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type DecideOptions,
  decide,
  emptyState,
  foldEvents,
  type Intent,
  type ThreadEvent,
} from "../../src/index.js";
import { eraAt } from "../../src/window/evaluate.js";
import { BASE, decideOptions, instant, intent, SPAN, threadEvent } from "./arbitraries.js";
import { DAY, PROP_RUNS, plain } from "./fixtures.js";

const RUNS = { numRuns: PROP_RUNS } as const;
const waEvents = fc.array(threadEvent(), { maxLength: 40 });
const now = fc.oneof(
  instant(),
  instant().map((t) => t + 2 * DAY),
  fc.integer({ min: BASE - DAY, max: BASE + SPAN + 2 * DAY }),
);

const SESSION = ["window-open", "ad-window-open", "human-agent"];
const TEMPLATE = ["no-inbound", "window-closed", "window-closed-by-error"];
const BLOCKED = [
  "opted-out",
  "marketing-stopped",
  "no-opt-in",
  "business-blocked",
  "marketing-limited",
  "us-marketing-paused",
  "category-unknown",
  "account-limited",
  "account-billing",
  "page-restricted",
  "payment-method-missing",
  "no-inbound",
  "window-closed",
  "automation-outside-window",
];

describe("decisions are invariant under reordering and duplication of events (1,000 runs)", () => {
  it("decide(fold(permutation ∪ replays)).toJSON() equals decide(fold(events)).toJSON()", () => {
    const input = waEvents.chain((es) =>
      fc.tuple(
        fc.constant(es),
        fc.shuffledSubarray(es, { minLength: es.length, maxLength: es.length }),
        fc.subarray(es),
        intent,
        now,
        decideOptions,
      ),
    );
    fc.assert(
      fc.property(input, ([es, shuffled, replays, i, at, options]) => {
        const a = plain(decide(foldEvents(emptyState(), es), i, at, options));
        const b = plain(
          decide(foldEvents(emptyState(), [...replays, ...shuffled, ...replays]), i, at, options),
        );
        expect(b).toStrictEqual(a);
      }),
      RUNS,
    );
  });
});

describe("decide is total on valid input and its parts agree (1,000 runs)", () => {
  it("never throws, renders, serialises, and keeps outcome, reason, window and era consistent", () => {
    fc.assert(
      fc.property(waEvents, intent, now, decideOptions, (es, i, at, options) => {
        const d = decide(foldEvents(emptyState(), es), i, at, options);
        // outcome ↔ reason
        const reasons =
          d.outcome === "session" ? SESSION : d.outcome === "template" ? TEMPLATE : BLOCKED;
        expect(reasons).toContain(d.reason);
        // CSW-10 / CSW-11 / FEP-5: a session needs an open window; a template means it is closed
        if (d.outcome === "session") expect(d.window.open).toBe(true);
        if (d.outcome === "template") expect(d.window.open).toBe(false);
        // window arithmetic
        expect(d.window.remainingMs).toBeGreaterThanOrEqual(0);
        expect(d.window.remainingMs).toBeLessThanOrEqual(DAY);
        if (!d.window.open) expect(d.window.remainingMs).toBe(0);
        if (d.window.closesAt !== null && d.window.lastInboundAt !== null) {
          expect(d.window.closesAt.getTime()).toBeLessThanOrEqual(
            d.window.lastInboundAt.getTime() + DAY,
          );
        }
        // PRICE-1 / PRICE-2: the era in force at `now` unless pinned
        const expected = options.era ?? eraAt(at, options.timeZone ?? "UTC").id;
        expect(d.pricing.era).toBe(expected);
        // FEP-4: free inside an FEP is reported as such; nothing is free and "regular" except PRICE-8
        if (d.pricing.type === "free_entry_point") expect(d.pricing.charge).toBe("free");
        // OPEN-8
        if (options.paymentMethodOnFile === false && d.outcome !== "blocked") {
          expect(d.pricing.charge).toBe("free");
        }
        // prose renders and serialises
        expect(d.explanation.length).toBeGreaterThan(10);
        expect(Array.isArray(d.alternatives)).toBe(true);
        expect(d.rules.length).toBeGreaterThan(0);
        const json = JSON.parse(JSON.stringify(d));
        expect(json.explanation).toBe(d.explanation);
        expect(json.outcome).toBe(d.outcome);
      }),
      RUNS,
    );
  });
});

/** CSW-5 / CSW-7, written independently of the implementation. */
function qualifies(e: ThreadEvent, options: DecideOptions): boolean {
  if (e.kind === "call") {
    return e.direction === "user-initiated"
      ? e.phase === "connect"
      : e.phase === "accepted" || e.phase === "answer";
  }
  if (e.kind !== "inbound") return false;
  const reactionOn = options.openWindowOn?.reaction === true;
  // Messenger / Instagram actions (OPEN-20) share the WhatsApp classes: message, reaction.
  if (e.action !== undefined)
    return e.action === "message" || (e.action === "reaction" && reactionOn);
  const user = [
    "text",
    "image",
    "audio",
    "video",
    "document",
    "sticker",
    "location",
    "contacts",
    "button",
    "order",
  ];
  if (user.includes(e.type)) return true;
  if (e.type === "interactive") {
    return (
      e.subtype !== undefined && ["button_reply", "list_reply", "nfm_reply"].includes(e.subtype)
    );
  }
  return e.type === "reaction" && reactionOn;
}

/** T, and whether a 131047-family failure of a free-form send at or after T closed it (CSW-12). */
function oracle(es: readonly ThreadEvent[], options: DecideOptions) {
  let t: number | undefined;
  for (const e of es) if (qualifies(e, options) && (t === undefined || e.at > t)) t = e.at;
  const closedByError =
    t !== undefined &&
    es.some(
      (e) =>
        e.kind === "status" &&
        e.status === "failed" &&
        e.message !== "template" &&
        (e.errors ?? []).some((c) => c === 131047 || c === 470 || c === 63016) &&
        e.at >= (t as number),
    );
  return { t, closedByError };
}

describe("CSW-2: window.open ⇔ T ≤ now < T+24h, against a brute-force oracle (1,000 runs)", () => {
  const probe = fc.record({
    events: waEvents,
    pick: fc.constantFrom("T-1", "T", "T+24h-1", "T+24h", "T+24h+1", "any"),
    any: now,
    reaction: fc.boolean(),
  });
  const at = (t: number | undefined, pick: string, any: number): number => {
    if (t === undefined || pick === "any") return any;
    const d: Record<string, number> = {
      "T-1": -1,
      T: 0,
      "T+24h-1": DAY - 1,
      "T+24h": DAY,
      "T+24h+1": DAY + 1,
    };
    return t + (d[pick] as number);
  };

  it("CSW-2 / OPEN-2 (openWhenClockBehind: false): open exactly on [T, T+24h) unless CSW-12 closed it", () => {
    fc.assert(
      fc.property(probe, ({ events, pick, any, reaction }) => {
        const options: DecideOptions = { openWhenClockBehind: false, openWindowOn: { reaction } };
        const { t, closedByError } = oracle(events, options);
        const n = at(t, pick, any);
        const d = decide(foldEvents(emptyState(), events), { kind: "free-form" }, n, options);
        const want = t !== undefined && !closedByError && t <= n && n < t + DAY;
        expect(d.window.open).toBe(want);
        expect(d.window.lastInboundAt?.getTime()).toBe(t);
        if (d.window.open) expect(d.window.remainingMs).toBe((t as number) + DAY - n);
      }),
      RUNS,
    );
  });

  it("CSW-2 / OPEN-2 (default): a `now` before T counts as open", () => {
    fc.assert(
      fc.property(probe, ({ events, pick, any }) => {
        const { t, closedByError } = oracle(events, {});
        const n = at(t, pick, any);
        const d = decide(foldEvents(emptyState(), events), { kind: "free-form" } as Intent, n);
        const want = t !== undefined && !closedByError && n < t + DAY;
        expect(d.window.open).toBe(want);
        if (want) expect(d.window.closesAt?.getTime()).toBe((t as number) + DAY);
      }),
      RUNS,
    );
  });
});
