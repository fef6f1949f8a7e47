/**
 * Regressions a hostile review of d523900 found (OPEN-15 `carried`, 2026-12-07); every test here
 * failed when written (the loops, the carried `movedTo` and the timeline also at d9f6f95).
 */
import { describe, expect, it } from "vitest";
import type { CareEvent, Thread } from "../../src/domain/types.js";
import { createCareWindow } from "../../src/service/createCareWindow.js";
import { createMemoryStore } from "../../src/store/memory.js";
import type { CareWindowStore } from "../../src/store/port.js";
import { renderTimeline, renderTimelineText } from "../../src/timeline.js";

const BUS = "106540352242922";
const th = (customer: string): Thread => ({ business: BUS, customer });
const T = Date.parse("2026-12-01T00:00:00Z");
const NOW = T + 10 * 3_600_000;
const A = "5511911111111";
const B = "5511922222222";
const C = "5511933333333";
const U = "BR.1502576394655843";
const moved = (from: string, to: string, at = T): CareEvent => ({
  kind: "identity",
  change: "number-changed",
  business: BUS,
  from,
  to,
  at,
});
const alias = (from: string, to: string, at = T): CareEvent => ({
  kind: "identity",
  change: "alias",
  business: BUS,
  from,
  to,
  at,
});

/** A memory store that throws after `max` calls (an endless loop fails instead of hanging). */
function boundedStore(max = 5_000): CareWindowStore {
  const inner = createMemoryStore();
  let calls = 0;
  return new Proxy(inner, {
    get(target, key, receiver) {
      const v = Reflect.get(target, key, receiver);
      if (typeof v !== "function") return v;
      return (...args: unknown[]) => {
        if (++calls > max) throw new Error(`store called more than ${max} times: endless loop`);
        return v.apply(target, args);
      };
    },
  }) as CareWindowStore;
}

describe("OPEN-15 chain A→B→C", () => {
  // B's own restriction is a restriction of the person: it must carry to C. A lift that reached
  // the OLD number A (carried into B, where it rightly lifts nothing of B's) must not lift it at C.
  const cases: [string, CareEvent, CareEvent, "marketing" | "utility", string][] = [
    [
      "B's marketing stop vs A's later resume",
      { kind: "marketing-preference", value: "stop", at: T + 3_600_000, thread: th(B) },
      { kind: "marketing-preference", value: "resume", at: T + 7_200_000, thread: th(A) },
      "marketing",
      "marketing-stopped",
    ],
    [
      "B's marketing opt-out vs A's later opt-in of all",
      {
        kind: "consent",
        action: "opt-out",
        scope: "marketing",
        source: "f",
        at: T + 3_600_000,
        thread: th(B),
      },
      {
        kind: "consent",
        action: "opt-in",
        scope: "all",
        source: "f",
        at: T + 7_200_000,
        thread: th(A),
      },
      "marketing",
      "opted-out",
    ],
    [
      "B's block vs A's later unblock",
      { kind: "block", value: "block", at: T + 3_600_000, thread: th(B) },
      { kind: "block", value: "unblock", at: T + 7_200_000, thread: th(A) },
      "utility",
      "business-blocked",
    ],
  ];
  for (const [name, restriction, lift, category, reason] of cases) {
    it(`${name}: C stays restricted like B`, async () => {
      const care = createCareWindow({
        store: createMemoryStore(),
        now: () => new Date(NOW),
        requireOptIn: false,
      });
      await care.record([restriction, lift, moved(A, B), moved(B, C, T + 60_000)]);
      const atB = await care.decide(th(B), { kind: "template", category });
      const atC = await care.decide(th(C), { kind: "template", category });
      expect(atB.reason).toBe(reason); // holds
      expect(atC.reason).toBe(reason); // fails: C is free ("no-inbound" → template)
    });
  }
});

describe("alias + number change loops", () => {
  it("a BSUID aliased to the old and the new number: a later event completes", async () => {
    const care = createCareWindow({ store: boundedStore(), now: () => new Date(NOW) });
    await care.record([alias(A, U)]);
    await care.record([moved(A, B, T + 1_000)]);
    await care.record([alias(B, U, T + 2_000)]);
    // Hangs forever with the plain memory store (forwardMoved recurses A → B ⇒ A → …, and
    // starves the event loop); with the bounded store it throws instead.
    await expect(
      care.record([{ kind: "marketing-preference", value: "stop", at: T + 3_000, thread: th(B) }]),
    ).resolves.toBeDefined();
  });

  it("number-changed to an id aliased to the old number completes", async () => {
    const care = createCareWindow({ store: boundedStore(), now: () => new Date(NOW) });
    await care.record([alias(A, U)]);
    await expect(care.record([moved(A, U, T + 1)])).resolves.toBeDefined();
  });
});

describe("carryWindowsOnNumberChange carries movedTo", () => {
  const run = async (batches: CareEvent[][]) => {
    const care = createCareWindow({
      store: createMemoryStore(),
      now: () => new Date(NOW),
      carryWindowsOnNumberChange: true,
    });
    for (const b of batches) await care.record(b);
    return care;
  };
  it("a replayed number change does not give the new number a movedTo of itself", async () => {
    const care = await run([[moved(C, A)], [moved(C, A)]]);
    expect((await care.state(th(A))).movedTo).toBeUndefined();
  });
  it("C→B, A's block, C→A: B is not blocked by A in any order", async () => {
    const block: CareEvent = { kind: "block", value: "block", at: T, thread: th(A) };
    const one = await run([[moved(C, B), block, moved(C, A)]]);
    const two = await run([[moved(C, A), moved(C, B), block]]);
    const utility = { kind: "template", category: "utility" } as const;
    const d1 = await one.decide(th(B), utility);
    const d2 = await two.decide(th(B), utility);
    expect(d1.reason).toBe(d2.reason); // "business-blocked" vs "no-inbound"
  });
});

describe("a cycle of changes gives the same states in any order", () => {
  it("X→Y, Y→X and Y's opt-in, in two orders", async () => {
    const optY: CareEvent = {
      kind: "consent",
      action: "opt-in",
      scope: "all",
      source: "f",
      at: T,
      thread: th(B),
    };
    const states = async (events: CareEvent[]) => {
      const care = createCareWindow({ store: createMemoryStore(), now: () => new Date(NOW) });
      await care.record(events);
      return [await care.state(th(A)), await care.state(th(B))];
    };
    expect(await states([moved(B, A), optY, moved(A, B)])).toEqual(
      await states([moved(A, B), moved(B, A), optY]),
    );
  });
});

describe("the timeline on extreme instants (pre-existing, now also carried)", () => {
  const state = {
    v: 1 as const,
    inbound: { message: T },
    outbound: [],
    consent: {},
    carried: { consent: {}, blocked: { on: 8.64e15 } },
  };
  it("renderTimeline gives a drawing or a typed error, not a RangeError", () => {
    let error: unknown;
    try {
      renderTimeline(state, NOW);
    } catch (e) {
      error = e;
    }
    expect(error).not.toBeInstanceOf(RangeError);
  });
  it("renderTimelineText likewise", () => {
    let error: unknown;
    try {
      renderTimelineText(state, NOW);
    } catch (e) {
      error = e;
    }
    expect(error).not.toBeInstanceOf(RangeError);
  });
});

describe("carriedOver keeps what is in force (pure core)", () => {
  it("a stop in force on B is in force on what B carries to C", async () => {
    const { carriedOver, withCarried, mergeStates, emptyState } = await import(
      "../../src/window/state.js"
    );
    // B: its own stop at T+1 h; a resume that reached the old number A at T+2 h, carried.
    const b = mergeStates(emptyState(), {
      v: 1,
      inbound: {},
      outbound: [],
      consent: {},
      marketing: { on: T + 3_600_000 },
      carried: { consent: {}, marketing: { off: T + 7_200_000 } },
    });
    expect(withCarried(b).marketing).toEqual({ on: T + 3_600_000 }); // holds: B is stopped
    const c = mergeStates(emptyState(), carriedOver(b));
    expect(withCarried(c).marketing?.on).toBe(T + 3_600_000); // fails: undefined (C is free)
  });
});
