/**
 * The entry of `verdict` / `decide` (the checks before the rule table runs) has fast paths: the
 * options object that passed last keeps what was resolved from it, and a valid intent as the host
 * wrote it is checked inline. These tests pin that they answer exactly as the full checks do:
 * the same verdict, or the same error (class, code, field, message).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CareWindowError } from "../../src/domain/errors.js";
import { renderTimeline } from "../../src/timeline.js";
import {
  assertIntent,
  checkDecideOptions,
  decide,
  normalizeIntent,
  verdict,
} from "../../src/window/decide.js";
import type { HostRule } from "../../src/window/host.js";
import type { DecideOptions } from "../../src/window/options.js";
import { emptyState, foldEvent, type ThreadState } from "../../src/window/state.js";
import { PROP_RUNS } from "../core/fixtures.js";

const T = Date.parse("2026-11-26T09:00:00Z");
const thread = { business: "106540352242922", customer: "5511987654321" };
const open: ThreadState = foldEvent(emptyState(), {
  kind: "inbound",
  id: "wamid.in",
  type: "text",
  at: T,
  thread,
});
const now = T + 2 * 3_600_000;

/** What a call gives: its value, or its error's class, code, field and message. */
function outcome(f: () => unknown): unknown {
  try {
    return { value: f() };
  } catch (e) {
    if (!(e instanceof CareWindowError)) throw e;
    const { code, message } = e;
    return { error: e.constructor.name, code, message, field: (e as { field?: string }).field };
  }
}

const rule = (id: string): HostRule => ({ id, title: "t", check: () => undefined });

describe("an options object changed after it passed answers as a fresh copy of it", () => {
  // The members read on every call: changing them on a checked object is seen at once.
  const changes: readonly [string, (o: Record<string, unknown>) => void][] = [
    ["safetyMarginMs -1", (o) => (o.safetyMarginMs = -1)],
    ["safetyMarginMs 600000", (o) => (o.safetyMarginMs = 600_000)],
    ["fepEstimateMs NaN", (o) => (o.fepEstimateMs = Number.NaN)],
    ["fepEstimateMs 1 h", (o) => (o.fepEstimateMs = 3_600_000)],
    ["timeZone Asia/Kolkata", (o) => (o.timeZone = "Asia/Kolkata")],
    ["timeZone Mars/Base", (o) => (o.timeZone = "Mars/Base")],
    ["timeZone removed", (o) => delete o.timeZone],
    ["rules added", (o) => (o.rules = [rule("HOST-a")])],
    ["rules with a rulebook id", (o) => (o.rules = [rule("CSW-2")])],
    ["rules not an array", (o) => (o.rules = "none")],
  ];
  for (const [name, change] of changes) {
    it(name, () => {
      const options: Record<string, unknown> = {
        timeZone: "America/Sao_Paulo",
        serviceTier: { used: 120 },
      };
      verdict(open, { kind: "free-form" }, now, options as DecideOptions);
      change(options);
      // The zone resolved from it is the fresh copy's too.
      expect(outcome(() => checkDecideOptions(options as DecideOptions, "options"))).toEqual(
        outcome(() => checkDecideOptions({ ...options } as DecideOptions, "options")),
      );
      for (const f of [verdict, decide]) {
        // Twice: the first call may remember what the second then reuses.
        for (let i = 0; i < 2; i++) {
          expect(
            outcome(() => f(open, { kind: "free-form" }, now, options as DecideOptions)),
          ).toEqual(
            outcome(() => f(open, { kind: "free-form" }, now, { ...options } as DecideOptions)),
          );
        }
      }
    });
  }

  it("a rule in a checked list changed to a rulebook id, or replaced by a bad one", () => {
    const rules: HostRule[] = [rule("HOST-a")];
    const options = { rules } as DecideOptions;
    verdict(open, { kind: "free-form" }, now, options);
    (rules[0] as { id: string }).id = "CSW-2";
    const copy = { rules: [{ ...rules[0] }] } as DecideOptions;
    expect(outcome(() => verdict(open, { kind: "free-form" }, now, options))).toEqual(
      outcome(() => verdict(open, { kind: "free-form" }, now, copy)),
    );
    rules[0] = { id: "HOST-b" } as HostRule;
    expect(outcome(() => verdict(open, { kind: "free-form" }, now, options))).toMatchObject({
      error: "InvalidInputError",
      field: "options.rules[0]",
    });
  });

  it("another object checked in between: a changed shape is checked again (issue 10)", () => {
    const options: Record<string, unknown> = { timeZone: "UTC" };
    verdict(open, { kind: "free-form" }, now, options as DecideOptions);
    verdict(open, { kind: "free-form" }, now, {});
    options.requireOptIn = "yes";
    expect(
      outcome(() => verdict(open, { kind: "free-form" }, now, options as DecideOptions)),
    ).toEqual(
      outcome(() => verdict(open, { kind: "free-form" }, now, { ...options } as DecideOptions)),
    );
  });

  it("the timeline names options.decide for the same object decide checked", () => {
    const options: Record<string, unknown> = { timeZone: "UTC" };
    verdict(open, { kind: "free-form" }, now, options as DecideOptions);
    options.safetyMarginMs = -1;
    expect(
      outcome(() => renderTimeline(open, now, { decide: options as DecideOptions })),
    ).toMatchObject({ error: "InvalidInputError", field: "options.decide.safetyMarginMs" });
  });
});

describe("an intent answers as normalizeIntent + assertIntent would", () => {
  const of = (...values: unknown[]) => fc.constantFrom<unknown>(...values);
  const intentLike = fc.oneof(
    of(undefined, null, "free-form", 5),
    fc.record(
      {
        kind: of("free-form", "template", "fax", null),
        type: of("text", "image", 5, null),
        directSend: of("utility", "authentication", "marketing", "UTILITY", null),
        category: of(
          "marketing",
          "MARKETING",
          "Utility",
          "utility",
          "authentication",
          "unknown",
          "bogus",
          5,
        ),
        sender: of("human", "automation", "robot", null),
      },
      { requiredKeys: [] },
    ),
  );

  it("the same verdict, or the same error", () => {
    fc.assert(
      fc.property(intentLike, (x) => {
        const reference = outcome(() => {
          const resolved = normalizeIntent(x);
          assertIntent(resolved);
          return verdict(open, resolved, now);
        });
        expect(outcome(() => verdict(open, x as never, now))).toEqual(reference);
      }),
      { numRuns: PROP_RUNS },
    );
  });
});

describe("an options member changed in place after the object passed (hostile review, 2026-12-06 late)", () => {
  const marketing = { kind: "template", category: "marketing" } as const;
  // Members set to a value of the wrong type after the object passed. The object is not checked
  // again (the identity shortcut), so a change may go unseen; but where the table trips over it
  // (`customer`: a TypeError from inside before), the error is the typed one the
  // full check gives, naming the member. Never an untyped error.
  const BAD: [string, unknown, boolean][] = [
    ["customer", 5, true],
    ["deregistered", [{ from: "x", until: 1 }], false],
    ["openWindowOn", 7, false],
    ["era", 42, false],
  ];

  for (const [member, value, trips] of BAD) {
    for (const [name, f] of [
      ["verdict", verdict],
      ["decide", decide],
    ] as const) {
      it(`${name}: options.${member} = ${JSON.stringify(value)} gives the typed error a fresh object gives`, () => {
        const options: Record<string, unknown> = { customer: "15551234567" };
        f(open, marketing, T + 3_600_000, options as DecideOptions);
        options[member] = value;
        const fresh = caught(() =>
          f(open, marketing, T + 3_600_000, { ...options } as DecideOptions),
        );
        const changed = caught(() => f(open, marketing, T + 3_600_000, options as DecideOptions));
        expect(fresh).toBeInstanceOf(CareWindowError);
        if (changed !== undefined) expect(changed).toBeInstanceOf(CareWindowError);
        if (trips) {
          expect(changed).toBeInstanceOf(CareWindowError);
          expect((changed as CareWindowError).field).toBe((fresh as CareWindowError).field);
          expect((changed as CareWindowError).cause).toBeDefined();
        }
      });
    }
  }
});

function caught(f: () => unknown): unknown {
  try {
    f();
  } catch (error) {
    return error;
  }
  return undefined;
}
