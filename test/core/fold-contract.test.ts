/**
 * Issue 10: the pure fold accepts exactly what the one event contract (`checkEvent`) and so
 * `record` accept. Before, `foldEvents` stored any `at` (1e20, NaN, "x"), after which every
 * `decide(…).explanation` on that state threw a RangeError for good.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkEvent } from "../../src/domain/event.js";
import {
  createMemoryStore,
  decide,
  emptyState,
  foldEvent,
  foldEvents,
  InvalidInputError,
  mergeStates,
  type ThreadEvent,
} from "../../src/index.js";
import { formatInstant } from "../../src/window/words.js";

const thread = { business: "106540352242922", customer: "5511987654321" };
const T = Date.parse("2026-11-26T09:00:00Z");
const ok = { kind: "inbound", id: "wamid.ok", type: "text", at: T, thread };

function refusal(f: () => unknown): InvalidInputError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(InvalidInputError);
    return e as InvalidInputError;
  }
  throw new Error("expected an InvalidInputError, nothing was thrown");
}

describe("issue 10, CSW-3: foldEvent / foldEvents check every event (its provider timestamp included) against the one contract", () => {
  const bad: [string, unknown, string][] = [
    ["at = 1e20 (past what a Date holds)", { ...ok, at: 1e20 }, ".at"],
    ["at = NaN", { ...ok, at: Number.NaN }, ".at"],
    ["at = a string", { ...ok, at: "x" }, ".at"],
    ["at in Unix seconds (1970)", { ...ok, at: Math.floor(T / 1000) }, ".at"],
    ["an empty id", { ...ok, id: "" }, ".id"],
    ["null", null, ""],
    ["a number", 7, ""],
    ["no thread", { ...ok, thread: undefined }, ".thread"],
  ];
  for (const [name, event, suffix] of bad) {
    it(`foldEvent refuses ${name}, naming the field`, () => {
      const e = refusal(() => foldEvent(emptyState(), event as ThreadEvent));
      expect(e.field).toBe(`event${suffix}`);
    });
    it(`foldEvents refuses ${name} at its index`, () => {
      const e = refusal(() => foldEvents(emptyState(), [ok, event] as ThreadEvent[]));
      expect(e.field).toBe(`events[1]${suffix}`);
    });
  }

  it("events without a thread (template categories, identity changes) are refused by kind", () => {
    const category = {
      kind: "template-category",
      name: "order_update",
      category: "utility",
      at: T,
    };
    expect(checkEvent(category).ok).toBe(true);
    const e = refusal(() => foldEvents(emptyState(), [category] as unknown as ThreadEvent[]));
    expect(e.field).toBe("events[0].kind");
  });

  it("a Date `at` is normalised to epoch ms, as record does", () => {
    const s = foldEvent(emptyState(), { ...ok, at: new Date(T) } as unknown as ThreadEvent);
    expect(s).toEqual(foldEvent(emptyState(), ok as ThreadEvent));
  });

  it("a state folded from accepted events always explains itself (no RangeError)", () => {
    fc.assert(
      fc.property(fc.anything(), (at) => {
        let state = emptyState();
        try {
          state = foldEvent(state, { ...ok, at } as ThreadEvent);
        } catch (e) {
          expect(e).toBeInstanceOf(InvalidInputError);
        }
        const d = decide(state, { kind: "free-form" }, T + 1000);
        expect(typeof d.explanation).toBe("string");
      }),
      { numRuns: 500 },
    );
  });
});

describe("issue 10: createMemoryStore refuses bad options with a typed error", () => {
  for (const [name, options, field] of [
    ["null", null, "options"],
    ["a string", "fast", "options"],
    ["fault: 7", { fault: 7 }, "options.fault"],
  ] as const) {
    it(`${name} → InvalidInputError on "${field}"`, () => {
      const e = refusal(() => createMemoryStore(options as never));
      expect(e.field).toBe(field);
    });
  }
});

describe("issue 10, CSW-3: decide refuses a malformed state (an instant no Date holds) with a typed error naming the member", () => {
  const good = foldEvent(emptyState(), ok as ThreadEvent);
  const bad: [string, unknown, string][] = [
    [
      "inbound.message: 'x' (was decided `session`)",
      { ...good, inbound: { message: "x" } },
      "state.inbound.message",
    ],
    ["inbound.message: 1e20", { ...good, inbound: { message: 1e20 } }, "state.inbound.message"],
    ["inbound: null", { ...good, inbound: null }, "state.inbound"],
    ["consent: null", { ...good, consent: null }, "state.consent"],
    ["outbound: 'nope'", { ...good, outbound: "nope" }, "state.outbound"],
    ["no v", { inbound: {}, outbound: [], consent: {} }, "state.v"],
    [
      "a consent record without action",
      { ...good, consent: { all: { at: T } } },
      "state.consent.all",
    ],
    ["marketing.on: 'z'", { ...good, marketing: { on: "z" } }, "state.marketing.on"],
    ["movedTo: [7]", { ...good, movedTo: [7] }, "state.movedTo"],
    ["firstSends: [NaN]", { ...good, firstSends: [Number.NaN] }, "state.firstSends"],
    ["null", null, "state"],
  ];
  for (const [name, state, field] of bad) {
    it(`${name} → invalid-state on "${field}"`, () => {
      for (const intent of [{ kind: "free-form" }, { kind: "template", category: "marketing" }]) {
        const e = refusal(() => decide(state as never, intent as never, T + 1000));
        expect(e.code).toBe("invalid-state");
        expect(e.field).toBe(field);
      }
    });
  }

  it("a good state, folded or hand-written, decides as before", () => {
    const hand = JSON.parse(JSON.stringify(good));
    expect(decide(hand, { kind: "free-form" }, T + 1000)).toEqual(
      decide(good, { kind: "free-form" }, T + 1000),
    );
  });
});

describe("hostile review: no check is skipped for a state seen before, and the fold checks states too", () => {
  it("a folded state cannot be mutated after a decide (it is frozen); a changed copy is checked", () => {
    const s = foldEvent(emptyState(), ok as ThreadEvent) as { consent: unknown };
    const before = decide(s as never, { kind: "free-form" }, T + 1000);
    expect(() => {
      s.consent = null;
    }).toThrow(TypeError); // the host's own assignment, refused by the engine (strict mode)
    expect(decide(s as never, { kind: "free-form" }, T + 1000)).toEqual(before);
    const changed = { ...s, consent: null };
    const e = refusal(() => decide(changed as never, { kind: "free-form" }, T + 1000));
    expect(e.field).toBe("state.consent");
  });

  it("foldEvent / foldEvents / mergeStates refuse a malformed state naming the member", () => {
    expect(refusal(() => foldEvent({} as never, ok as ThreadEvent)).field).toBe("state.v");
    const noInbound = { ...emptyState(), inbound: null };
    expect(refusal(() => foldEvents(noInbound as never, [ok as ThreadEvent])).field).toBe(
      "state.inbound",
    );
    expect(refusal(() => mergeStates(emptyState(), {} as never)).field).toBe("b.v");
    expect(refusal(() => mergeStates({ v: 1 } as never, emptyState())).field).toBe("a.inbound");
  });

  it("an instant past year 9999 is written with its full year, never garbled", () => {
    expect(formatInstant(8.64e15)).toBe("275760-09-13 00:00 UTC");
    expect(formatInstant(Date.parse("2026-11-21T10:00:00Z"))).toBe("2026-11-21 10:00 UTC");
  });
});
