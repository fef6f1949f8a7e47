/**
 * The timeline's `options.decide` goes through the same checks as `decide`'s options, and errors
 * name it (`options.decide.…`): a bad option is a typed error, never a TypeError from deep inside
 * the window evaluator (issue 10's standard), and never silently accepted where `decide` refuses
 * it (CSW-2: a negative safety margin would stretch the window the picture draws).
 */
import { describe, expect, it } from "vitest";
import { InvalidInputError } from "../../src/domain/errors.js";
import type { ThreadEvent } from "../../src/domain/types.js";
import { renderTimeline } from "../../src/timeline/svg.js";
import { renderTimelineText } from "../../src/timeline/text.js";
import { decide } from "../../src/window/decide.js";
import { emptyState, foldEvents } from "../../src/window/state.js";

const thread = { business: "106540352242922", customer: "5511987654321" };
const T = Date.parse("2026-11-26T09:00:00Z");
const state = foldEvents(emptyState(), [
  { kind: "inbound", id: "wamid.A", type: "text", at: T, thread } as ThreadEvent,
]);
const now = T + 3_600_000;

/** The error `f` throws (or `undefined`). */
function thrown(f: () => unknown): unknown {
  try {
    f();
  } catch (error) {
    return error;
  }
  return undefined;
}

const CASES: readonly (readonly [string, unknown, string])[] = [
  ["a non-string time zone", { timeZone: 5 }, "options.decide.timeZone"],
  ["an unknown time zone", { timeZone: "Mars/Olympus" }, "options.decide.timeZone"],
  ["a negative safety margin (CSW-2)", { safetyMarginMs: -1 }, "options.decide.safetyMarginMs"],
  ["a negative FEP estimate (OPEN-1)", { fepEstimateMs: -5 }, "options.decide.fepEstimateMs"],
  ["an unknown era (PRICE-1)", { era: "nope" }, "options.decide.era"],
  [
    "a deregistered period that is not instants (OPEN-19)",
    { deregistered: [{ from: "x", until: 1 }] },
    "options.decide.deregistered[0].from",
  ],
  ["host rules that are not an array", { rules: "HOST-1" }, "options.decide.rules"],
  ["options that are not an object", 7, "options.decide"],
  ["null options (only an absent decide means none)", null, "options.decide"],
];

describe("timeline options.decide: decide's checks, named options.decide", () => {
  for (const [what, decideOptions, field] of CASES) {
    it(`${what} is an InvalidInputError naming ${field}, in the SVG and the text renderer`, () => {
      for (const render of [renderTimeline, renderTimelineText]) {
        const error = thrown(() => render(state, now, { decide: decideOptions } as never));
        expect(error).toBeInstanceOf(InvalidInputError);
        expect((error as InvalidInputError).field).toBe(field);
      }
    });
  }

  it("decide refuses the same options (the two agree on what is valid)", () => {
    for (const [, decideOptions] of CASES) {
      const error = thrown(() => decide(state, { kind: "free-form" }, now, decideOptions as never));
      expect(error).toBeInstanceOf(InvalidInputError);
    }
  });

  it("valid options still draw (CSW-2: the window closes at T + 24 h − margin)", () => {
    const text = renderTimelineText(state, now, {
      decide: { timeZone: "America/Sao_Paulo", safetyMarginMs: 60_000 },
    });
    expect(text).toContain("08:59");
  });
});
