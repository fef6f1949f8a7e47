import { describe, expect, it } from "vitest";
import {
  CareWindowError,
  type DecideOptions,
  decide,
  type Intent,
  InvalidInputError,
} from "../../src/index.js";
import { FREE_FORM, fold, HOUR, inbound, T25, T26 } from "./fixtures.js";

const state = fold(inbound(T26));

/** Runs `f`, expects an InvalidInputError, returns it. */
function thrown(f: () => unknown): InvalidInputError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(InvalidInputError);
    expect(e).toBeInstanceOf(CareWindowError);
    expect(e).toBeInstanceOf(Error);
    return e as InvalidInputError;
  }
  throw new Error("expected an InvalidInputError, nothing was thrown");
}

describe("issue 2 §9: bad input gets a typed error naming the field", () => {
  const badNows: [string, unknown][] = [
    ["an invalid Date", new Date("not a date")],
    ["NaN", Number.NaN],
    ["Infinity", Number.POSITIVE_INFINITY],
    ["an ISO string", "2026-11-26T09:00:00Z"],
    ["undefined", undefined],
  ];
  for (const [name, now] of badNows) {
    it(`now = ${name} → invalid-argument on "now"`, () => {
      const e = thrown(() => decide(state, FREE_FORM, now as Date));
      expect(e.code).toBe("invalid-argument");
      expect(e.field).toBe("now");
      expect(e.message).toContain("now");
    });
  }

  const badIntents: [string, unknown, string][] = [
    ["null", null, "intent"],
    ["a string", "free-form", "intent"],
    ["an unknown kind", { kind: "fax" }, "intent.kind"],
    ["a missing kind", { category: "utility" }, "intent.kind"],
    ["a bad template category", { kind: "template", category: "promotional" }, "intent.category"],
    ["a missing template category", { kind: "template" }, "intent.category"],
    ["a non-string free-form type", { kind: "free-form", type: 7 }, "intent.type"],
    [
      "a marketing Direct Send",
      { kind: "free-form", directSend: "marketing" },
      "intent.directSend",
    ],
    ["an unknown sender", { kind: "free-form", sender: "robot" }, "intent.sender"],
  ];
  for (const [name, intent, field] of badIntents) {
    it(`intent with ${name} → invalid-intent on "${field}"`, () => {
      const e = thrown(() => decide(state, intent as Intent, T26));
      expect(e.code).toBe("invalid-intent");
      expect(e.field).toBe(field);
    });
  }

  it('OPEN-6: an unknown time zone → invalid-argument on "options.timeZone"', () => {
    for (const timeZone of ["Mars/Olympus", "", "UTC+3 please"]) {
      const e = thrown(() => decide(state, FREE_FORM, T26, { timeZone }));
      expect(e.code).toBe("invalid-argument");
      expect(e.field).toBe("options.timeZone");
    }
  });

  const badTiers: [string, unknown][] = [
    ["negative", { used: -1 }],
    ["fractional", { used: 1.5 }],
    ["NaN", { used: Number.NaN }],
    ["string", { used: "12" }],
  ];
  for (const [name, serviceTier] of badTiers) {
    for (const [era, now] of [
      ["pmp-service-tier-2026", T26 + HOUR],
      ["pmp-2025", T25 + HOUR],
    ] as const) {
      it(`PRICE-5: a ${name} serviceTier.used in ${era} → invalid-argument on "options.serviceTier.used"`, () => {
        const options = { serviceTier } as unknown as DecideOptions;
        const e = thrown(() => decide(fold(inbound(now - HOUR)), FREE_FORM, now, options));
        expect(e.code).toBe("invalid-argument");
        expect(e.field).toBe("options.serviceTier.used");
      });
    }
  }

  it('PRICE-5: serviceTier: null → invalid-argument on "options.serviceTier"', () => {
    const options = { serviceTier: null } as unknown as DecideOptions;
    const e = thrown(() => decide(fold(inbound(T26)), FREE_FORM, T26 + HOUR, options));
    expect(e.code).toBe("invalid-argument");
    expect(e.field).toBe("options.serviceTier");
  });

  for (const field of ["safetyMarginMs", "fepEstimateMs"] as const) {
    for (const value of [-1, Number.NaN, Number.POSITIVE_INFINITY]) {
      it(`OPEN-1 / OPEN-2: ${field} = ${value} → invalid-argument on "options.${field}"`, () => {
        const e = thrown(() => decide(state, FREE_FORM, T26, { [field]: value }));
        expect(e.code).toBe("invalid-argument");
        expect(e.field).toBe(`options.${field}`);
      });
    }
  }

  it("valid inputs in every shape do not throw", () => {
    expect(() =>
      decide(state, { kind: "free-form", type: "poll", sender: "human" }, T26),
    ).not.toThrow();
    expect(() =>
      decide(state, { kind: "template", category: "unknown" }, new Date(T26)),
    ).not.toThrow();
    expect(() =>
      decide(state, FREE_FORM, T26, { timeZone: "UTC", serviceTier: { used: 0 } }),
    ).not.toThrow();
  });
});
