/**
 * Known limits of OPEN-15's `carried` (docs/storage.md, "Limits"), found by a hostile review of
 * 5d10c61 on 2026-12-07. Rule: "permissions are never granted on the strength of a link alone":
 * a lift recorded on one earlier number should not lift a restriction in force on another. These
 * cases still break it, so they are `it.fails` (counted as expected failures, never as passes):
 * whoever fixes one sees its test fail and turns it into an `it`.
 * - Fan-in: two old numbers moving to one new number share a level, joined field by field.
 * - A chain of more than 4 changes: the oldest levels are joined at the depth cap.
 * - More than 8 new numbers from one old number: `movedTo` keeps the 8 smallest ids, so the rest
 *   get only what the old number had when they were added (order-dependent).
 * Consent is last-writer-wins per scope, so a join of two numbers' records cannot keep one's
 * opt-out once the other's later opt-in is joined; keeping sources apart would need a member
 * keyed per old number.
 */
import { describe, expect, it } from "vitest";
import type { CareEvent, Thread } from "../../src/domain/types.js";
import { createCareWindow } from "../../src/service/createCareWindow.js";
import { createMemoryStore } from "../../src/store/memory.js";

const BUS = "106540352242922";
const th = (customer: string): Thread => ({ business: BUS, customer });
const T = Date.parse("2026-12-01T00:00:00Z");
const H = 3_600_000;
const NOW = T + 10 * H;
const N = Array.from({ length: 10 }, (_, i) => `55119000000${10 + i}`);
const [A, B, C] = [N[0] as string, N[1] as string, N[2] as string];
const moved = (from: string, to: string, at = T): CareEvent => ({
  kind: "identity",
  change: "number-changed",
  business: BUS,
  from,
  to,
  at,
});
const care = () =>
  createCareWindow({ store: createMemoryStore(), now: () => new Date(NOW), requireOptIn: false });

type Case = [string, CareEvent, CareEvent, "marketing" | "utility", string];
const cases = (restricted: string, lifter: string): Case[] => [
  [
    "marketing stop vs a later resume",
    { kind: "marketing-preference", value: "stop", at: T + H, thread: th(restricted) },
    { kind: "marketing-preference", value: "resume", at: T + 2 * H, thread: th(lifter) },
    "marketing",
    "marketing-stopped",
  ],
  [
    "utility opt-out vs a later opt-in of all",
    {
      kind: "consent",
      action: "opt-out",
      scope: "utility",
      source: "f",
      at: T + H,
      thread: th(restricted),
    },
    {
      kind: "consent",
      action: "opt-in",
      scope: "all",
      source: "f",
      at: T + 2 * H,
      thread: th(lifter),
    },
    "utility",
    "opted-out",
  ],
  [
    "block vs a later unblock",
    { kind: "block", value: "block", at: T + H, thread: th(restricted) },
    { kind: "block", value: "unblock", at: T + 2 * H, thread: th(lifter) },
    "utility",
    "business-blocked",
  ],
];

describe("fan-in: A→C and B→C, B restricted, A's later lift", () => {
  for (const [name, restriction, lift, category, reason] of cases(B, A)) {
    it.fails(`${name}: C stays restricted like B`, async () => {
      const c = care();
      await c.record([restriction, lift, moved(A, C), moved(B, C)]);
      expect((await c.decide(th(B), { kind: "template", category })).reason).toBe(reason); // holds
      // fails: "no-inbound" — both old numbers sit on level 1 of C's `carried` and are joined,
      // so A's resume / opt-in / unblock (later) overrides B's restriction.
      expect((await c.decide(th(C), { kind: "template", category })).reason).toBe(reason);
    });
  }
});

describe("a chain of 5 changes N0→…→N5: N1 restricted, N0's later lift", () => {
  for (const [name, restriction, lift, category, reason] of cases(N[1] as string, A)) {
    it.fails(`${name}: every later number stays restricted like N1`, async () => {
      const c = care();
      const events = [restriction, lift];
      for (let i = 0; i < 5; i++) events.push(moved(N[i] as string, N[i + 1] as string, T + i));
      await c.record(events);
      const seen = [];
      for (let i = 1; i <= 5; i++) {
        seen.push((await c.decide(th(N[i] as string), { kind: "template", category })).reason);
      }
      // fails: N5 is free — N1 sits on level 4 (CARRIED_DEPTH) of N5, N0 is joined into it and
      // its later lift overrides N1's restriction. (N0→…→N4, 4 changes, holds.)
      expect(seen).toEqual([reason, reason, reason, reason, reason]);
    });
  }
});

describe("movedTo keeps 8 ids (pre-existing since d97b67a)", () => {
  it.fails("the 9th new number of X gets X's stop whether the stop comes before or after", async () => {
    const targets = N.slice(1); // 9 new numbers
    const moves = targets.map((to, i) => moved(A, to, T + i));
    const stop: CareEvent = {
      kind: "marketing-preference",
      value: "stop",
      at: T + H,
      thread: th(A),
    };
    const reasons = [];
    for (const batches of [
      [[stop], moves],
      [moves, [stop]],
    ]) {
      const c = care();
      for (const b of batches) await c.record(b);
      const last = targets[8] as string;
      reasons.push((await c.decide(th(last), { kind: "template", category: "marketing" })).reason);
    }
    // fails: ["marketing-stopped", "no-inbound"] — the largest id was dropped from movedTo.
    expect(reasons).toEqual(["marketing-stopped", "marketing-stopped"]);
  });
});
