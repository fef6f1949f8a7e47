/**
 * Sealed states (0.2.0): every state the fold hands out is deeply frozen and skips the shape
 * check in `decide` / `verdict` / the fold; every other state is read once, by name, into a
 * fresh copy that is checked on every call. These tests pin what makes skipping the check safe:
 * a sealed state cannot change, it never holds an object of the host's (a getter, a later
 * mutation, an extra member cannot reach it), and the copy loses nothing the decision reads.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { InvalidInputError } from "../../src/domain/errors.js";
import type { ThreadEvent } from "../../src/domain/types.js";
import { createCareWindow } from "../../src/service/createCareWindow.js";
import { createMemoryStore } from "../../src/store/memory.js";
import { renderTimeline, renderTimelineText } from "../../src/timeline.js";
import { decide, verdict } from "../../src/window/decide.js";
import {
  emptyState,
  foldEvent,
  foldEvents,
  isSealed,
  mergeStates,
  type ThreadState,
} from "../../src/window/state.js";
import { decideOptions, intent, threadEvent } from "./arbitraries.js";
import { PROP_RUNS } from "./fixtures.js";

const T = Date.parse("2026-11-26T09:00:00Z");
const thread = { business: "106540352242922", customer: "5511987654321" };
const inbound = { kind: "inbound", id: "wamid.in", type: "text", at: T, thread } as ThreadEvent;
const optIn = {
  kind: "consent",
  id: "c1",
  action: "opt-in",
  scope: "all",
  source: "form",
  at: T - 1000,
  thread,
} as ThreadEvent;

/** Every object reachable from `x` (a state is a tree of at most three levels). */
function objects(x: unknown, out: object[] = []): object[] {
  if (typeof x !== "object" || x === null) return out;
  out.push(x);
  for (const k of Object.keys(x)) objects((x as Record<string, unknown>)[k], out);
  return out;
}

/** Frozen all the way down, and only data members (no accessor can answer differently later). */
function expectDeeplyFrozenData(state: ThreadState): void {
  expect(isSealed(state)).toBe(true);
  for (const o of objects(state)) {
    expect(Object.isFrozen(o)).toBe(true);
    for (const d of Object.values(Object.getOwnPropertyDescriptors(o))) {
      expect("value" in d).toBe(true);
    }
  }
}

const refusal = (f: () => unknown): InvalidInputError => {
  try {
    f();
  } catch (e) {
    if (e instanceof InvalidInputError) return e;
    throw e;
  }
  throw new Error("expected an InvalidInputError");
};

describe("what the fold returns is sealed", () => {
  it("emptyState, foldEvent, foldEvents, mergeStates", () => {
    const a = foldEvent(emptyState(), inbound);
    const b = foldEvents(emptyState(), [optIn, inbound]);
    for (const s of [emptyState(), a, b, mergeStates(a, b), foldEvents(b, [])]) {
      expectDeeplyFrozenData(s);
    }
  });

  it("the service's state(thread)", async () => {
    const care = createCareWindow({ store: createMemoryStore(), now: () => new Date(T + 1000) });
    expectDeeplyFrozenData(await care.state(thread));
    await care.record([optIn, inbound]);
    const s = await care.state(thread);
    expectDeeplyFrozenData(s);
    expect(s.inbound.message).toBe(T);
  });

  it("a copy (spread, JSON, structuredClone) is not sealed, and decides the same", () => {
    const s = foldEvents(emptyState(), [optIn, inbound]);
    const copies = [{ ...s }, JSON.parse(JSON.stringify(s)), structuredClone(s)];
    for (const c of copies) {
      expect(isSealed(c)).toBe(false);
      expect(decide(c, { kind: "free-form" }, T + 1000)).toEqual(
        decide(s, { kind: "free-form" }, T + 1000),
      );
    }
  });
});

describe("a host's state never becomes part of a sealed one", () => {
  it("folding a hand-written state copies it: changing the original later changes nothing", () => {
    const consent = { all: { at: T - 5000, action: "opt-in", source: "form" } };
    const hand = { v: 1, inbound: { message: T - 9000 }, outbound: [], consent } as ThreadState;
    const folded = foldEvents(hand, []);
    expectDeeplyFrozenData(folded);
    expect(folded).not.toBe(hand);
    expect(folded.consent.all).not.toBe(consent.all);
    consent.all.action = "opt-out";
    (hand.inbound as Record<string, number>)["message"] = 1;
    expect(folded.consent.all?.action).toBe("opt-in");
    expect(folded.inbound.message).toBe(T - 9000);
    expect(Object.isFrozen(consent)).toBe(false); // the host's objects are not frozen
  });

  it("a state with every member: each is copied and frozen", () => {
    const full = {
      v: 1,
      channel: "messenger",
      inbound: { message: T },
      referral: { ad: T },
      outbound: [T, T - 1],
      reengagementFailedAt: T,
      fepEndsAt: T,
      fepSeenAt: T,
      consent: { all: { at: T, action: "opt-in", source: "form" } },
      marketing: { on: T },
      blocked: { off: T },
      marketingLimitedUntil: T,
      lastError: { code: 131047, at: T },
      movedTo: ["5511900000000"],
      carried: {
        consent: { marketing: { at: T, action: "opt-out", source: "form" } },
        marketing: { on: T, off: T + 1 },
        blocked: { on: T },
      },
      lastMarketingAt: T,
      firstSends: [T],
      accountLimited: { at: T, until: T + 1 },
      pageRestrictedAt: T,
      tagRefusedAt: { ACCOUNT_UPDATE: T },
    } satisfies Required<ThreadState>;
    const folded = foldEvents(full, []);
    expect(folded).toEqual(full);
    expectDeeplyFrozenData(folded);
    for (const o of objects(full)) expect(objects(folded)).not.toContain(o);
  });

  it("members a state does not have are left behind, whatever they hold", () => {
    const hand = {
      ...JSON.parse(JSON.stringify(emptyState())),
      extra: new Uint8Array(4),
      constructor: { x: 1 },
    };
    const folded = foldEvent(hand, inbound);
    expectDeeplyFrozenData(folded);
    expect(Object.keys(folded)).not.toContain("extra");
    expect(Object.hasOwn(folded, "constructor")).toBe(false);
  });

  it("scope names a state does not have (__proto__, constructor, foo) are left behind", () => {
    const consent = JSON.parse(
      '{"__proto__": {"at": 1, "action": "opt-in", "source": "x", "all": {"at": 5, "action": "opt-out", "source": "y"}}, "constructor": {"at": 2, "action": "opt-out", "source": "z"}, "foo": {"at": 3, "action": "opt-out", "source": "w"}}',
    );
    const hand = { v: 1, inbound: { message: T }, outbound: [], consent } as ThreadState;
    const ab = mergeStates(hand, emptyState());
    const ba = mergeStates(emptyState(), hand);
    expect(ab).toEqual(ba);
    expect(JSON.stringify(ab)).toBe(JSON.stringify(ba));
    expect(Object.keys(ab.consent)).toEqual([]);
    expect(Object.getPrototypeOf(ab.consent)).toBe(Object.prototype);
    expectDeeplyFrozenData(ab);
    const own = Object.getOwnPropertyDescriptor(consent, "__proto__")?.value;
    expect(Object.isFrozen(own)).toBe(false); // the host's objects stay theirs
    const ff = { kind: "free-form" } as const;
    expect(decide(ab, ff, T + 1000)).toEqual(decide(JSON.parse(JSON.stringify(ab)), ff, T + 1000));
    expect(decide(ab, ff, T + 1000).reason).toBe("window-open");
  });

  it("a restriction the decision reads by name survives the copy (hostile review, night)", () => {
    const ff = { kind: "free-form" } as const;
    const mk = { kind: "template", category: "marketing" } as const;
    const hidden = { v: 1, inbound: { message: T }, outbound: [], consent: {} };
    Object.defineProperty(hidden, "blocked", { value: { on: T - 1 }, enumerable: false });
    class Row {
      v = 1;
      inbound = { message: T };
      outbound = [];
      consent = {};
      get marketing() {
        return { on: T - 1 };
      }
    }
    const inherited = {
      v: 1,
      inbound: { message: T },
      outbound: [],
      consent: Object.create({ all: { at: T - 1, action: "opt-out", source: "x" } }),
    };
    const cases = [
      [hidden, ff, "business-blocked"],
      [new Row(), mk, "marketing-stopped"],
      [inherited, ff, "opted-out"],
    ] as const;
    for (const [state, i, reason] of cases) {
      const s = state as unknown as ThreadState;
      expect(decide(s, i, T + 1000).reason).toBe(reason);
      expect(decide(foldEvents(s, []), i, T + 1000).reason).toBe(reason);
      expect(decide(mergeStates(s, emptyState()), i, T + 1000).reason).toBe(reason);
    }
  });

  it("no field, symbol or object of the host's reaches a sealed state", () => {
    const host = { n: 1 };
    const sym = Symbol("x");
    const hand = {
      v: 1,
      inbound: { message: T, [sym]: host },
      referral: { ad: T, host },
      outbound: [],
      consent: { all: { at: 1, action: "opt-in", source: "x", host }, [sym]: host },
      lastError: { code: 131047, at: T, host },
    };
    const s = foldEvents(hand as unknown as ThreadState, []);
    expectDeeplyFrozenData(s);
    expect(objects(s)).not.toContain(host);
    expect(JSON.stringify(s)).not.toContain("host");
    expect(Object.getOwnPropertySymbols(s.inbound)).toEqual([]);
    expect(Object.getOwnPropertySymbols(s.consent)).toEqual([]);
  });

  it("a state merged with itself is its own fold", () => {
    const o = {
      v: 1,
      inbound: {},
      outbound: [1, 5, 5, 3, 2, 9].map((x) => T - x),
      consent: {},
      movedTo: ["b", "a", "a"],
    };
    const h = o as unknown as ThreadState;
    expect(mergeStates(h, h)).toEqual(foldEvents(h, []));
  });

  it("a getter that turns bad after the check: a typed error or a good sealed state", () => {
    fc.assert(
      fc.property(fc.nat({ max: 6 }), fc.constantFrom("inbound", "consent", "outbound"), (k, m) => {
        let reads = 0;
        const good = { inbound: { message: T }, consent: {}, outbound: [T - 1] } as const;
        const bad = { inbound: { message: "x" }, consent: { all: 5 }, outbound: ["y"] } as const;
        const hand = { v: 1, inbound: good.inbound, outbound: good.outbound, consent: {} };
        Object.defineProperty(hand, m, {
          enumerable: true,
          get: () => (reads++ < k ? good[m] : bad[m]),
        });
        let folded: ThreadState;
        try {
          folded = foldEvents(hand as unknown as ThreadState, [inbound]);
        } catch (e) {
          expect(e).toBeInstanceOf(InvalidInputError);
          return;
        }
        expectDeeplyFrozenData(folded);
        for (const i of [
          { kind: "free-form" },
          { kind: "template", category: "marketing" },
        ] as const) {
          expect(() => decide(folded, i, T + 1000, { timeZone: "Asia/Kolkata" })).not.toThrow();
        }
      }),
      { numRuns: PROP_RUNS },
    );
  });

  it("decide, verdict and the timeline read a checked copy: a getter cannot turn bad midway", () => {
    for (let k = 0; k < 4; k++) {
      let n = 0;
      const e = { v: 1, outbound: [], consent: {} };
      Object.defineProperty(e, "inbound", {
        enumerable: true,
        get: () => (n++ < k ? { message: T } : null),
      });
      for (const f of [
        () => decide(e as never, { kind: "free-form" }, T + 1000),
        () => verdict(e as never, { kind: "free-form" }, T + 1000),
        () => renderTimelineText(e as never, T + 1000),
      ]) {
        try {
          f();
        } catch (err) {
          expect(err).toBeInstanceOf(InvalidInputError);
        }
      }
    }
    const px = new Proxy(
      Object.preventExtensions({ v: 1, inbound: {}, outbound: [], consent: {} }),
      {
        ownKeys: () => ["v", "inbound", "outbound", "consent", "x"],
      },
    );
    expectDeeplyFrozenData(mergeStates(px as never, emptyState()));
  });

  it("the timeline refuses what is not a state with a typed error", () => {
    expect(refusal(() => renderTimelineText(null as never, T)).field).toBe("state");
    expect(refusal(() => renderTimelineText({} as never, T)).field).toBe("state.v");
    expect(refusal(() => renderTimeline({ v: 1 } as never, T)).field).toBe("state.inbound");
  });

  it("a malformed state is refused naming the member, sealed or not on the way", () => {
    expect(refusal(() => foldEvents({ v: 1, inbound: {}, outbound: [] } as never, [])).field).toBe(
      "state.consent",
    );
    expect(refusal(() => mergeStates(emptyState(), { v: 2 } as never)).field).toBe("b.v");
  });
});

describe("sealing changes no decision", () => {
  it("decide and verdict on a sealed state equal those on its checked JSON copy", () => {
    fc.assert(
      fc.property(
        fc.array(threadEvent({ channels: true }), { maxLength: 12 }),
        intent,
        decideOptions,
        fc.integer({ min: 0, max: 5 * 86_400_000 }),
        (events, i, options, dt) => {
          const sealed = foldEvents(emptyState(), events);
          const copy = JSON.parse(JSON.stringify(sealed)) as ThreadState;
          const at = Date.parse("2026-11-20T00:00:00Z") + dt;
          expect(isSealed(copy)).toBe(false);
          expect(verdict(sealed, i, at, options)).toEqual(verdict(copy, i, at, options));
          expect(decide(sealed, i, at, options)).toEqual(decide(copy, i, at, options));
        },
      ),
      { numRuns: PROP_RUNS },
    );
  });
});
