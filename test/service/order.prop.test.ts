/**
 * Issue 10, order independence through the service (fast-check): a history with a month boundary
 * in the account time zone, two number changes in a row (sometimes a cycle back, a second old
 * number, the BSUID linked to the new number too), a BSUID alias, FEP statuses, 131047 failures,
 * and opt-outs, stops and blocks with their lifts on every number gives the same states and the
 * same decisions for every permutation, duplication and re-batching of its events.
 * (Until 2026-12-07 the history had no lifts and no opt-outs; with them a lift that reached the
 * old number after the change did not reach the new one: OPEN-15's `carried`.)
 *
 * The service-tier month of a delivered message whose `read` and `delivered` statuses straddle a
 * month boundary and arrive in different calls has its own property: tier-month.prop.test.ts.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { CareEvent, Intent, Thread } from "../../src/domain/types.js";
import { createCareWindow } from "../../src/service/createCareWindow.js";
import { createMemoryStore } from "../../src/store/memory.js";
import { BUSINESS } from "./fixtures.js";

const RUNS = Number(process.env["PROP_RUNS"] ?? 150);
const ZONE = "America/Sao_Paulo";
// 2026-12-01T00:00 in São Paulo (UTC-3) is 03:00Z: events fall on both sides of the boundary.
const BOUNDARY = Date.parse("2026-12-01T03:00:00Z");
const NOW = BOUNDARY + 2 * 3_600_000;
const A = "5511911111111"; // the old number
const B = "5511922222222"; // the new number
const C = "5511933333333"; // B's own new number (a chain of changes)
const U = "BR.1502576394655843"; // A's BSUID
const th = (customer: string): Thread => ({ business: BUSINESS, customer });

const at = fc.integer({ min: BOUNDARY - 30 * 3_600_000, max: BOUNDARY + 3_600_000 });
const who = fc.constantFrom(A, B, C, U);

const event: fc.Arbitrary<CareEvent> = fc.oneof(
  fc.record({ c: who, at, n: fc.integer({ min: 0, max: 3 }) }).map(
    ({ c, at, n }): CareEvent => ({
      kind: "inbound",
      id: `wamid.in.${n}`,
      type: "text",
      at,
      thread: th(c),
    }),
  ),
  fc.record({ c: who, at, ad: fc.boolean() }).map(
    ({ c, at, ad }): CareEvent => ({
      kind: "inbound",
      id: `wamid.ad.${at}`,
      type: "text",
      at,
      thread: th(c),
      ...(ad ? { referral: { sourceType: "ad", sourceId: "1" } } : {}),
    }),
  ),
  // FEP statuses (FEP-7) and 131047 failures (CSW-12, ERR-3).
  fc.record({ c: who, at, s: fc.constantFrom("sent", "delivered", "read") }).map(
    ({ c, at, s }): CareEvent => ({
      kind: "status",
      id: `wamid.fep.${c}`,
      status: s,
      at,
      thread: th(c),
      pricing: { type: "free_entry_point", category: "referral_conversion" },
      conversationExpiresAt: at + 72 * 3_600_000,
    }),
  ),
  fc.record({ c: who, at }).map(
    ({ c, at }): CareEvent => ({
      kind: "status",
      id: `wamid.f.${at}`,
      status: "failed",
      errors: [131047],
      at,
      thread: th(c),
    }),
  ),
  // Restrictions and their lifts on every number (CONSENT-4, CONSENT-5, CONSENT-9, OPEN-15): a
  // lift on the old number after the change must reach the new one whatever the order.
  fc.record({ c: who, at }).map(
    ({ c, at }): CareEvent => ({
      kind: "marketing-preference",
      value: "stop",
      at,
      thread: th(c),
    }),
  ),
  fc
    .record({ c: who, at })
    .map(({ c, at }): CareEvent => ({ kind: "block", value: "block", at, thread: th(c) })),
  fc.record({ c: who, at }).map(
    ({ c, at }): CareEvent => ({
      kind: "marketing-preference",
      value: "resume",
      at,
      thread: th(c),
    }),
  ),
  fc
    .record({ c: who, at })
    .map(({ c, at }): CareEvent => ({ kind: "block", value: "unblock", at, thread: th(c) })),
  fc.record({ c: who, at, scope: fc.constantFrom("all", "marketing") }).map(
    ({ c, at, scope }): CareEvent => ({
      kind: "consent",
      action: "opt-out",
      scope: scope as "all" | "marketing",
      source: "form",
      at,
      thread: th(c),
    }),
  ),
  fc.record({ c: who, at, scope: fc.constantFrom("all", "marketing") }).map(
    ({ c, at, scope }): CareEvent => ({
      kind: "consent",
      action: "opt-in",
      scope: scope as "all" | "marketing",
      source: "form",
      at,
      thread: th(c),
    }),
  ),
);

const identities: CareEvent[] = [
  {
    kind: "identity",
    change: "alias",
    business: BUSINESS,
    from: A,
    to: U,
    at: BOUNDARY - 3_600_000,
  },
  { kind: "identity", change: "number-changed", business: BUSINESS, from: A, to: B, at: BOUNDARY },
  {
    kind: "identity",
    change: "number-changed",
    business: BUSINESS,
    from: B,
    to: C,
    at: BOUNDARY + 60_000,
  },
];

const change = (from: string, to: string, at: number): CareEvent => ({
  kind: "identity",
  change: "number-changed",
  business: BUSINESS,
  from,
  to,
  at,
});
/**
 * Identity changes a history may add (the review of 2026-12-07): the BSUID also linked to the new
 * number (it looped for ever), a change back to the first number (a cycle) and a second old
 * number moving to the same new one.
 */
const extraIdentities: CareEvent[] = [
  { kind: "identity", change: "alias", business: BUSINESS, from: B, to: U, at: BOUNDARY },
  change(C, A, BOUNDARY + 120_000),
  change(C, B, BOUNDARY + 180_000),
];

const intents: Intent[] = [
  { kind: "free-form" },
  { kind: "template", category: "marketing" },
  { kind: "template", category: "utility" },
];

async function outcome(batches: readonly (readonly CareEvent[])[]): Promise<unknown> {
  const care = createCareWindow({
    store: createMemoryStore(),
    now: () => new Date(NOW),
    timeZone: ZONE,
  });
  for (const batch of batches) await care.record(batch);
  const out: unknown[] = [];
  for (const c of [A, B, C, U]) {
    out.push(await care.state(th(c)));
    for (const intent of intents) {
      const d = await care.decide(th(c), intent, { serviceTier: { used: 0 } });
      out.push([d.outcome, d.reason, d.window, d.freeEntryPoint]);
    }
  }
  return out;
}

/** Splits `events` into batches at the given cut points. */
function rebatch(events: readonly CareEvent[], cuts: readonly number[]): CareEvent[][] {
  const points = [...new Set(cuts.map((c) => c % (events.length + 1)))].sort((x, y) => x - y);
  const out: CareEvent[][] = [];
  let from = 0;
  for (const p of [...points, events.length]) {
    if (p > from) out.push(events.slice(from, p));
    from = Math.max(from, p);
  }
  return out;
}

describe("issue 10: order independence through the service (OPEN-15, ID-6, FEP-7, CSW-12, OPEN-6)", () => {
  it(`identical states and decisions for every permutation, duplication and re-batching (${RUNS} runs)`, async () => {
    const history = fc
      .tuple(fc.array(event, { minLength: 1, maxLength: 14 }), fc.subarray(extraIdentities))
      .map(([es, extra]) => [...es, ...identities, ...extra]);
    await fc.assert(
      fc.asyncProperty(
        history.chain((es) =>
          fc.tuple(
            fc.constant(es),
            fc.shuffledSubarray(es, { minLength: es.length, maxLength: es.length }),
            fc.subarray(es),
            fc.array(fc.nat(), { maxLength: 5 }),
          ),
        ),
        async ([events, shuffled, replays, cuts]) => {
          const reference = await outcome([events]);
          const variant = await outcome(rebatch([...shuffled, ...replays], cuts));
          expect(variant).toEqual(reference);
        },
      ),
      { numRuns: RUNS },
    );
  }, 120_000);
});
