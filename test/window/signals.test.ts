/**
 * The WhatsApp lanes of the rule table name the fact they hold on (`holds`, a `WaSignal`); the
 * facts set one bit per signal. These tests pin what each bit means, on random threads, so a
 * signal cannot drift from the fact it names (CONSENT-2 … 9, PRICE-25, ERR-30, CSW-2, CSW-11,
 * CSW-12, OPEN-8).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type DecideOptions,
  emptyState,
  foldEvents,
  type Intent,
  type ThreadEvent,
  verdict,
} from "../../src/index.js";
import { resolveZone } from "../../src/window/evaluate.js";
import { type DecideContext, SIGNAL, type WaFacts, whatsappFacts } from "../../src/window/facts.js";
import { type Lane, ORDER, TABLE } from "../../src/window/table.js";
import { BASE, decideOptions, intent, SPAN, threadEvent } from "../core/arbitraries.js";
import {
  block,
  consent,
  DAY,
  FREE_FORM,
  failed,
  HOUR,
  inbound,
  MARKETING,
  marketingPref,
  PROP_RUNS,
  T26 as T,
  UTILITY,
} from "../core/fixtures.js";

const CONSENT = [
  "opted-out",
  "marketing-stopped",
  "marketing-limited",
  "us-marketing-paused",
  "category-unknown",
  "no-opt-in",
] as const;
const CLOSED = ["no-inbound", "window-closed-by-error", "window-closed"] as const;

/** What each signal means, read from the facts (the definitions the bits must agree with). */
const MEANING: Record<keyof typeof SIGNAL, (f: WaFacts) => boolean> = {
  "business-blocked": (f) => f.businessBlocked,
  "billing-stop": (f) => f.billing !== undefined,
  "account-limited": (f) => f.accountLimit !== undefined && f.businessInitiated,
  "opted-out": (f) => f.blocker === "opted-out",
  "marketing-stopped": (f) => f.blocker === "marketing-stopped",
  "marketing-limited": (f) => f.blocker === "marketing-limited",
  "us-marketing-paused": (f) => f.blocker === "us-marketing-paused",
  "category-unknown": (f) => f.blocker === "category-unknown",
  "no-opt-in": (f) => f.blocker === "no-opt-in",
  "window-open": (f) => f.w.open,
  "no-inbound": (f) => !f.w.open && f.closed === "no-inbound",
  "window-closed-by-error": (f) => !f.w.open && f.closed === "window-closed-by-error",
  "window-closed": (f) => !f.w.open && f.closed === "window-closed",
  "no-payment-method": (f) => f.ctx.options.paymentMethodOnFile === false,
};

/** The facts of a WhatsApp decision, built the way `decide` builds them. */
function factsOf(events: ThreadEvent[], i: Intent, at: number, options: DecideOptions): WaFacts {
  const zone = resolveZone(options);
  const ctx: DecideContext = {
    state: foldEvents(emptyState(), events),
    intent: i,
    at,
    options,
    timeZone: zone.name,
    zone,
    hostRules: [],
  };
  return whatsappFacts(ctx);
}

/** The signals that are on, by name. */
const on = (f: WaFacts): string[] =>
  Object.entries(SIGNAL).flatMap(([name, bit]) => ((f.signals & bit) !== 0 ? [name] : []));

/** Every bit agrees with the fact it names. */
function agrees(f: WaFacts): void {
  for (const [signal, holds] of Object.entries(MEANING)) {
    const bit = SIGNAL[signal as keyof typeof SIGNAL];
    expect((f.signals & bit) !== 0, signal).toBe(holds(f));
  }
}

const limited = failed(T + HOUR, 131064, { message: "template", retryAfter: T + 3 * DAY });
const JAN_2027 = Date.parse("2027-01-02T09:00:00Z");
const INDIA_USD: DecideOptions = { account: { country: "IN", billingCurrency: "USD" } };

/** Scenarios for the signals random threads seldom reach, with the signals each must set. */
const SCENARIOS: [string, () => WaFacts, string[]][] = [
  [
    "CSW-2: a reply in the window",
    () => factsOf([inbound(T)], FREE_FORM, T + HOUR, {}),
    ["window-open"],
  ],
  [
    "CONSENT-9: the business blocked the customer",
    () => factsOf([inbound(T), block(T, "block")], FREE_FORM, T + HOUR, {}),
    ["business-blocked", "window-open"],
  ],
  [
    "PRICE-25: an India account billed in USD from 2027",
    () => factsOf([inbound(JAN_2027)], FREE_FORM, JAN_2027 + HOUR, INDIA_USD),
    ["billing-stop", "window-open"],
  ],
  [
    "ERR-30: a template under 131064",
    () => factsOf([inbound(T), limited], UTILITY, T + 2 * HOUR, {}),
    ["account-limited", "window-open"],
  ],
  [
    "ERR-30: a reply in the window under 131064 still goes",
    () => factsOf([inbound(T), limited], FREE_FORM, T + 2 * HOUR, {}),
    ["window-open"],
  ],
  [
    "CONSENT-4: an opt-out",
    () =>
      factsOf(
        [inbound(T), consent(T - HOUR, "opt-out", "marketing", "keyword-STOP")],
        MARKETING,
        T + HOUR,
        {},
      ),
    ["opted-out", "window-open"],
  ],
  [
    "CONSENT-5: marketing stopped",
    () => factsOf([inbound(T), marketingPref(T - HOUR, "stop")], MARKETING, T + HOUR, {}),
    ["marketing-stopped", "window-open"],
  ],
  [
    "CONSENT-7: marketing limited",
    () =>
      factsOf(
        [inbound(T), failed(T + HOUR, 131049, { message: "template" })],
        MARKETING,
        T + 2 * HOUR,
        {},
      ),
    ["marketing-limited", "window-open"],
  ],
  [
    "CONSENT-8: the US marketing pause",
    () => factsOf([inbound(T)], MARKETING, T + HOUR, { customer: "+12125551234" }),
    ["us-marketing-paused", "window-open"],
  ],
  [
    "TPL-7: an uncatalogued template to a US number",
    () =>
      factsOf([inbound(T)], { kind: "template", category: "unknown" }, T + HOUR, {
        customer: "+12125551234",
      }),
    ["category-unknown", "window-open"],
  ],
  [
    "CONSENT-2: no opt-in outside the window",
    () => factsOf([inbound(T)], UTILITY, T + 2 * DAY, {}),
    ["no-opt-in", "window-closed"],
  ],
  [
    "CSW-11: never written",
    () => factsOf([consent(T - DAY, "opt-in", "all")], FREE_FORM, T, {}),
    ["no-inbound"],
  ],
  [
    "CSW-12: closed by 131047",
    () =>
      factsOf(
        [inbound(T), failed(T + HOUR, 131047), consent(T, "opt-in", "all")],
        FREE_FORM,
        T + 2 * HOUR,
        {},
      ),
    ["window-closed-by-error"],
  ],
  [
    "OPEN-8: no payment method",
    () => factsOf([inbound(T)], MARKETING, T + HOUR, { paymentMethodOnFile: false }),
    ["window-open", "no-payment-method"],
  ],
];

describe("the rule table's WhatsApp lanes and the signals they name", () => {
  for (const [name, make, expected] of SCENARIOS) {
    it(`${name}: the signals ${expected.join(", ")}`, () => {
      const f = make();
      expect(on(f).sort()).toEqual([...expected].sort());
      agrees(f);
    });
  }

  it("every signal has its own bit", () => {
    const bits = Object.values(SIGNAL);
    expect(new Set(bits).size).toBe(bits.length);
    for (const b of bits) expect(b & (b - 1)).toBe(0); // one bit each
  });

  it("CONSENT-2 … CONSENT-8: each consent lane holds on its own reason; the window lanes on theirs", () => {
    for (const reason of [...CONSENT, ...CLOSED, "window-open"] as const) {
      const lane: Lane<WaFacts> | null = TABLE[reason].whatsapp;
      expect(lane?.holds, reason).toBe(reason);
      expect(lane?.when, reason).toBeUndefined();
    }
  });

  it("OPEN-8 / PRICE-7: the payment lane needs the signal and a charged price", () => {
    const lane: Lane<WaFacts> | null = TABLE["payment-method-missing"].whatsapp;
    expect(lane?.holds).toBe("no-payment-method");
    const f = {} as WaFacts;
    expect(lane?.when?.(f, undefined)).toBe(false);
    const price = { charge: "free", category: "service", type: "regular", era: "x", note: "" };
    expect(lane?.when?.(f, price as never)).toBe(false);
    expect(lane?.when?.(f, { ...price, charge: "charged" } as never)).toBe(true);
    expect(lane?.when?.(f, { ...price, charge: "unknown" } as never)).toBe(true);
  });

  it("every WhatsApp lane of a Meta phase names a signal", () => {
    for (const reason of ORDER) {
      const entry = TABLE[reason];
      if (entry.phase === "host" || entry.whatsapp === null) continue;
      expect(entry.whatsapp.holds, reason).toBeDefined();
    }
  });

  it(`each bit is set exactly when the fact it names holds (${PROP_RUNS} random threads)`, () => {
    const now = fc.integer({ min: BASE - DAY, max: BASE + SPAN + 2 * DAY });
    fc.assert(
      fc.property(
        fc.array(threadEvent(), { maxLength: 30 }),
        intent,
        now,
        decideOptions,
        fc.constantFrom(undefined, true, false),
        (events, i, at, options, paymentMethodOnFile) => {
          const o =
            paymentMethodOnFile === undefined ? options : { ...options, paymentMethodOnFile };
          agrees(factsOf(events, i, at, o));
        },
      ),
      { numRuns: PROP_RUNS },
    );
  });
});

describe("hostile review, 2026-12-06 late: options are read in the order they were", () => {
  it("OPEN-8: the count is read before paymentMethodOnFile (a count getter that changes it counts)", () => {
    const options: { paymentMethodOnFile?: boolean; serviceTier: { readonly used: number } } = {
      serviceTier: {
        get used() {
          options.paymentMethodOnFile = false;
          return 2000;
        },
      },
    };
    const state = foldEvents(emptyState(), [inbound(T - HOUR)]);
    const v = verdict(state, FREE_FORM, T, options);
    expect([v.outcome, v.reason]).toEqual(["blocked", "payment-method-missing"]);
  });
});

describe("the first WhatsApp lane by its lowest signal bit (no loop)", () => {
  it("answers as the loop over the lanes for every set of signals", async () => {
    const { first, WA_META } = await import("../../src/window/run.js");
    // The shortcut applies: every meta lane decides by its signal alone, bits in table order.
    expect(WA_META.byBit).not.toBeNull();
    const looped = { ...WA_META, byBit: null };
    const facts = {} as WaFacts;
    const all = Object.values(SIGNAL).reduce((m, b) => m | b, 0);
    let differ = 0;
    let some = 0;
    for (let signals = 0; signals <= all; signals++) {
      if ((signals & ~all) !== 0) continue;
      const fast = first(WA_META, signals, facts, undefined);
      if (fast !== first(looped, signals, facts, undefined)) differ++;
      if (fast >= 0) some++;
    }
    expect(differ).toBe(0);
    expect(some).toBeGreaterThan(8000);
  });
});
