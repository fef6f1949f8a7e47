/**
 * OPEN-15: what a number change carries, level by level (one per earlier number, at most
 * CARRIED_DEPTH), and how a decision reads it. The service-level order properties are in
 * test/service/order.prop.test.ts; the join laws with carried states in fold.prop.test.ts.
 */
import { describe, expect, it } from "vitest";
import { InvalidInputError } from "../../src/domain/errors.js";
import { decide, emptyState, foldEvents, mergeStates } from "../../src/index.js";
import {
  CARRIED_DEPTH,
  type CarriedOver,
  carriedOver,
  type ThreadState,
  withCarried,
} from "../../src/window/state.js";

const T = Date.parse("2026-12-01T00:00:00Z");
const H = 3_600_000;
const th = { business: "106540352242922", customer: "5511911111111" };
const stop = (at: number) =>
  ({ kind: "marketing-preference", value: "stop", at, thread: th }) as const;
const resume = (at: number) =>
  ({ kind: "marketing-preference", value: "resume", at, thread: th }) as const;
const marketing = { kind: "template", category: "marketing" } as const;

/** The state of the last of `n` numbers, each moved to the next, the first with `first`'s events. */
function chain(first: ThreadState, n: number): ThreadState {
  let s = first;
  for (let i = 1; i < n; i++) s = mergeStates(emptyState(), carriedOver(s));
  return s;
}

const depth = (c: CarriedOver | undefined): number => (c === undefined ? 0 : 1 + depth(c.carried));

describe("OPEN-15: carried levels", () => {
  it("one level per earlier number, at most CARRIED_DEPTH; the oldest levels are joined, their restrictions kept", () => {
    const first = foldEvents(emptyState(), [stop(T)]);
    for (let n = 2; n <= CARRIED_DEPTH + 4; n++) {
      const last = chain(first, n);
      expect(depth(last.carried)).toBe(Math.min(n - 1, CARRIED_DEPTH));
      expect(decide(last, marketing, T + H).reason).toBe("marketing-stopped");
    }
  });

  it("a lift on the first number lifts its own stop on every later number", () => {
    const first = foldEvents(emptyState(), [stop(T), resume(T + H)]);
    for (let n = 2; n <= CARRIED_DEPTH + 2; n++) {
      expect(decide(chain(first, n), marketing, T + 2 * H).reason).not.toBe("marketing-stopped");
    }
  });

  it("a lift on an older number never lifts a later number's own stop, however long the chain after it", () => {
    // The second number stops at T+1h; a resume reaches the first number at T+2h.
    const first = foldEvents(emptyState(), [resume(T + 2 * H)]);
    const second = foldEvents(chain(first, 2), [stop(T + H)]);
    expect(decide(second, marketing, T + 3 * H).reason).toBe("marketing-stopped");
    for (let n = 2; n <= CARRIED_DEPTH; n++) {
      expect(decide(chain(second, n), marketing, T + 3 * H).reason).toBe("marketing-stopped");
    }
    // The documented limit (docs/storage.md): past CARRIED_DEPTH levels the oldest are joined,
    // and there the older number's later resume lifts the stop.
    const past = chain(second, CARRIED_DEPTH + 1);
    expect(decide(past, marketing, T + 3 * H).reason).not.toBe("marketing-stopped");
  });

  it("the view keeps the thread's own members and never the carried ones", () => {
    const moved = mergeStates(
      foldEvents(emptyState(), [resume(T + H)]),
      carriedOver(foldEvents(emptyState(), [stop(T)])),
    );
    const view = withCarried(moved);
    expect(view.carried).toBeUndefined();
    expect(view.marketing).toEqual({ on: T, off: T + H }); // its own later resume lifts it
    expect(Object.isFrozen(view)).toBe(true);
    expect(withCarried(moved)).toBe(view); // built once per sealed state
  });

  it("a state nesting more than CARRIED_DEPTH levels is refused, naming the level", () => {
    let carried: unknown = { consent: {} };
    for (let i = 0; i < CARRIED_DEPTH; i++) carried = { consent: {}, carried };
    const state = { ...emptyState(), carried } as unknown as ThreadState;
    const field = `state${".carried".repeat(CARRIED_DEPTH + 1)}`;
    expect(() => decide(state, marketing, T)).toThrow(InvalidInputError);
    try {
      decide(state, marketing, T);
    } catch (e) {
      expect((e as InvalidInputError).field).toBe(field);
    }
    expect(() => foldEvents(state, [])).toThrow(InvalidInputError);
  });

  it("a hostile nesting 100,000 levels deep is a typed error, not a stack overflow", () => {
    let carried: unknown = { consent: {} };
    for (let i = 0; i < 100_000; i++) carried = { consent: {}, carried };
    const state = { ...emptyState(), carried } as unknown as ThreadState;
    expect(() => decide(state, marketing, T)).toThrow(InvalidInputError);
    expect(() => foldEvents(state, [])).toThrow(InvalidInputError);
    expect(() => mergeStates(state, emptyState())).toThrow(InvalidInputError);
  });
});
