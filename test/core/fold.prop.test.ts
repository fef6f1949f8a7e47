/**
 * The folding laws (issue 2 §2): the state is a join-semilattice, so folding is idempotent,
 * order-insensitive and mergeable, and its size does not grow with history.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  emptyState,
  foldEvent,
  foldEvents,
  mergeStates,
  type ThreadEvent,
  type ThreadState,
} from "../../src/index.js";
import {
  CONSENT_SOURCE_MAX,
  carriedOver,
  eventState,
  withCarried,
} from "../../src/window/state.js";
import { BASE, SOURCES, SPAN, threadEvent } from "./arbitraries.js";
import { consent, DAY, fold, HOUR, inbound, PROP_RUNS, status } from "./fixtures.js";

const RUNS = { numRuns: PROP_RUNS } as const;
const anyEvent = threadEvent({ channels: true });
const events = (max = 30) => fc.array(anyEvent, { maxLength: max });
const folded = events().map((es) => foldEvents(emptyState(), es));
/** A state that may carry what an earlier number carried over (OPEN-15), as the service writes. */
const carrying = (base: fc.Arbitrary<ThreadState>): fc.Arbitrary<ThreadState> =>
  fc
    .tuple(folded, fc.option(base, { nil: undefined }))
    .map(([s, old]) => (old === undefined ? s : mergeStates(s, carriedOver(old))));
// Two levels: a number that changed twice (A → B → C).
const state = carrying(carrying(folded));

/** Events with a permutation of them and some re-deliveries. */
const withReplays = events(40).chain((es) =>
  fc.tuple(
    fc.constant(es),
    fc.shuffledSubarray(es, { minLength: es.length, maxLength: es.length }),
    fc.subarray(es),
  ),
);

describe("CSW-4 / issue 2 §2: folding laws (fast-check, 1,000 runs each)", () => {
  it("mergeStates is commutative", () => {
    fc.assert(
      fc.property(state, state, (a, b) => {
        expect(mergeStates(a, b)).toStrictEqual(mergeStates(b, a));
      }),
      RUNS,
    );
  });

  it("OPEN-15: what a number change carries only grows with the old state (monotone), so forwarding it early or late gives the same new state", () => {
    fc.assert(
      fc.property(state, state, state, (old, late, target) => {
        const whole = mergeStates(old, late);
        // Forwarded at the change (old) and again after the late events (whole) ...
        const twice = mergeStates(mergeStates(target, carriedOver(old)), carriedOver(whole));
        // ... equals forwarding once, after everything arrived.
        expect(twice).toStrictEqual(mergeStates(target, carriedOver(whole)));
      }),
      RUNS,
    );
  });

  it("OPEN-15: carried restrictions never grant: the view only adds opt-outs, stops and blocks", () => {
    fc.assert(
      fc.property(state, state, (own, old) => {
        const moved = mergeStates(own, carriedOver(old));
        const view = withCarried(moved);
        const { carried: _carried, ...base } = moved;
        expect(view.inbound).toStrictEqual(moved.inbound);
        expect(view.outbound).toStrictEqual(moved.outbound);
        for (const scope of ["all", "marketing", "utility", "authentication"] as const) {
          const r = view.consent[scope];
          // Every record the view reads is the thread's own or a carried opt-out.
          if (r !== undefined && r !== base.consent[scope]) expect(r.action).toBe("opt-out");
        }
        if (view.marketing?.off !== undefined) expect(view.marketing.off).toBe(base.marketing?.off);
        if (view.blocked?.off !== undefined) expect(view.blocked.off).toBe(base.blocked?.off);
      }),
      RUNS,
    );
  });

  it("mergeStates is associative", () => {
    fc.assert(
      fc.property(state, state, state, (a, b, c) => {
        expect(mergeStates(mergeStates(a, b), c)).toStrictEqual(mergeStates(a, mergeStates(b, c)));
      }),
      RUNS,
    );
  });

  it("mergeStates is idempotent, with emptyState() as identity", () => {
    fc.assert(
      fc.property(state, (a) => {
        expect(mergeStates(a, a)).toStrictEqual(a);
        expect(mergeStates(emptyState(), a)).toStrictEqual(a);
        expect(mergeStates(a, emptyState())).toStrictEqual(a);
      }),
      RUNS,
    );
  });

  it("folding a concatenation is merging the folds (replicas converge)", () => {
    fc.assert(
      fc.property(events(), events(), (xs, ys) => {
        const whole = foldEvents(emptyState(), [...xs, ...ys]);
        const parts = mergeStates(foldEvents(emptyState(), xs), foldEvents(emptyState(), ys));
        expect(whole).toStrictEqual(parts);
      }),
      RUNS,
    );
  });

  it("foldEvents of any permutation gives the same state", () => {
    fc.assert(
      fc.property(withReplays, ([es, shuffled]) => {
        expect(foldEvents(emptyState(), shuffled)).toStrictEqual(foldEvents(emptyState(), es));
      }),
      RUNS,
    );
  });

  it("re-delivered events (duplicates) change nothing", () => {
    fc.assert(
      fc.property(withReplays, ([es, shuffled, replays]) => {
        const once = foldEvents(emptyState(), es);
        expect(foldEvents(once, replays)).toStrictEqual(once);
        expect(foldEvents(emptyState(), [...replays, ...shuffled, ...replays])).toStrictEqual(once);
      }),
      RUNS,
    );
  });

  it("foldEvent is the join with the event's own state, and never loses information", () => {
    fc.assert(
      fc.property(state, anyEvent, (s, e) => {
        const next = foldEvent(s, e);
        expect(next).toStrictEqual(mergeStates(s, eventState(e)));
        // monotone: joining the old state again changes nothing
        expect(mergeStates(next, s)).toStrictEqual(next);
      }),
      RUNS,
    );
  });

  it("folding does not mutate its inputs", () => {
    fc.assert(
      fc.property(state, events(10), (s, es) => {
        const before = JSON.stringify(s);
        foldEvents(s, es);
        expect(JSON.stringify(s)).toBe(before);
      }),
      { numRuns: 200 },
    );
  });
});

describe("issue 2 §2: the state's size does not grow with history", () => {
  /** The largest state the schema allows for instants in the generators' range: every field
   * present, every inbound class, four consent scopes with both records and 64-char sources. */
  function saturated(): ThreadState {
    const last = BASE + SPAN + 1;
    const long = "x".repeat(CONSENT_SOURCE_MAX);
    const es: ThreadEvent[] = [];
    const types = [
      "text",
      "reaction",
      "system",
      "request_welcome",
      "unsupported",
      "edit",
      "revoke",
      "poll_update",
    ];
    for (const type of types) es.push(inbound(last, { type }));
    es.push(inbound(last, { type: "interactive", subtype: "call_permission_reply" }));
    for (const action of ["postback", "story_mention", "referral", "read", "optin"] as const)
      es.push(inbound(last, { action }));
    es.push(
      inbound(last, { referral: { sourceType: "ad" } }),
      inbound(last, { referral: { sourceType: "post" } }),
    );
    es.push({
      kind: "call",
      id: "c",
      direction: "user-initiated",
      phase: "connect",
      at: last,
      thread: inbound(0).thread,
    });
    for (let i = 0; i < 8; i++)
      es.push(
        status(last - i, {
          status: "sent",
          pricing: { type: "free_entry_point" },
          conversationExpiresAt: last + 3 * DAY,
        }),
      );
    // OPEN-1: one first send per day for FIRST_SENDS_KEPT (9) days and more.
    for (let i = 0; i < 12; i++) es.push(status(last - i * DAY - 1, { status: "sent" }));
    es.push(
      status(last, {
        status: "failed",
        errors: [131047, 131049, 131050, 130403, 131064],
        retryAfter: last + 2 * DAY,
      }),
      status(last + 1, { status: "failed", errors: [131064] }),
    );
    // ERR-31 … ERR-33 on a Messenger thread: every tag refused, the page restricted.
    const page = { channel: "messenger" as const, business: "p", customer: "c" };
    for (const tag of ["CONFIRMED_EVENT_UPDATE", "POST_PURCHASE_UPDATE", "ACCOUNT_UPDATE"]) {
      es.push(status(last, { status: "failed", errors: [100, 10], tag, thread: page }));
    }
    es.push(status(last, { status: "failed", errors: [10], errorSubcode: 1893063, thread: page }));
    for (const scope of ["all", "marketing", "utility", "authentication"] as const) {
      es.push(consent(last, "opt-in", scope, long), consent(last, "opt-out", scope, long));
    }
    es.push(
      { kind: "marketing-preference", value: "stop", at: last, thread: inbound(0).thread },
      { kind: "marketing-preference", value: "resume", at: last, thread: inbound(0).thread },
      { kind: "block", value: "block", at: last, thread: inbound(0).thread },
      { kind: "block", value: "unblock", at: last, thread: inbound(0).thread },
    );
    return fold(...es);
  }
  const BOUND = JSON.stringify(saturated()).length;
  const size = (s: ThreadState) => JSON.stringify(s).length;

  it(`JSON size ≤ the saturated state's (${BOUND} B) for histories of up to 400 events`, () => {
    fc.assert(
      fc.property(fc.array(anyEvent, { minLength: 50, maxLength: 400 }), (es) => {
        expect(size(foldEvents(emptyState(), es))).toBeLessThanOrEqual(BOUND);
      }),
      RUNS,
    );
  });

  it("a 10,000-event history is no larger than its last 100 events' worth of fields", () => {
    const es = fc.sample(threadEvent(), { numRuns: 10_000, seed: 42 });
    const s = foldEvents(emptyState(), es);
    expect(size(s)).toBeLessThanOrEqual(BOUND);
    expect(s.outbound.length).toBeLessThanOrEqual(4);
  });

  it("consent sources are capped at CONSENT_SOURCE_MAX (32) characters", () => {
    const s = fold(consent(BASE, "opt-in", "all", "y".repeat(500)));
    expect(s.consent.all?.source).toHaveLength(32);
  });

  it("a plain WhatsApp thread (user messages, calls, sends, non-failed statuses, a marketing opt-in and opt-out) stays ≤ 512 B", () => {
    const plain = fc.array(
      fc.oneof(
        threadEvent().filter(
          (e) =>
            e.kind === "inbound" &&
            ["text", "image", "button"].includes(e.type) &&
            e.action === undefined,
        ),
        threadEvent().filter(
          (e) =>
            e.kind === "outbound" ||
            e.kind === "call" ||
            (e.kind === "status" && e.status !== "failed"),
        ),
        fc.constantFrom(...SOURCES).map((src) => consent(BASE + HOUR, "opt-in", "marketing", src)),
        fc
          .constantFrom(...SOURCES)
          .map((src) => consent(BASE + 2 * HOUR, "opt-out", "marketing", src)),
      ),
      { minLength: 20, maxLength: 300 },
    );
    fc.assert(
      fc.property(plain, (es) => {
        expect(size(foldEvents(emptyState(), es))).toBeLessThanOrEqual(512);
      }),
      RUNS,
    );
  });

  // KNOWN GAP, reported to the lead: issue 2 asks for ≤ 512 B "whatever the history length".
  // Histories that touch every inbound class and all four consent scopes fold to more than that
  // (measured maximum in docs/benchmarks.md). `it.fails` keeps the real assertion running: it turns
  // red the day the state meets the target, so this marker cannot silently outlive the gap.
  it.fails("issue 2 target: JSON ≤ 512 B whatever the history (NOT MET for rich histories)", () => {
    fc.assert(
      fc.property(fc.array(anyEvent, { minLength: 50, maxLength: 400 }), (es) => {
        expect(size(foldEvents(emptyState(), es))).toBeLessThanOrEqual(512);
      }),
      { numRuns: PROP_RUNS, seed: 7 },
    );
  });
});
