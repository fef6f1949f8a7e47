// Run by test/testing-kit/assert.test.ts as `node --import tsx --test assert.node.ts`:
// the kit's assertions inside node:test, with no vitest in the process.
import { strict as assert } from "node:assert";
import { test } from "node:test";
import {
  assertSession,
  assertTemplate,
  CareWindowAssertionError,
  expectDecision,
  scenario,
} from "../../../src/testing.js";
import { decide } from "../../../src/window/decide.js";

const T = Date.parse("2026-11-26T09:00:00Z");
const DAY = 86_400_000;

const shop = scenario();
const ana = shop.customer("5511987654321");
shop.recordsOptIn(ana, T - DAY, { source: "signup" });
ana.writes(T, "Oi");

test("CSW-2: session just before T+24h", () => {
  assertSession(decide(ana.state(), { kind: "free-form" }, T + DAY - 1), "window-open", ana);
});

test("CSW-2: template at exactly T+24h", () => {
  const d = decide(ana.state(), { kind: "free-form" }, T + DAY);
  assertTemplate(d, "window-closed", ana);
  expectDecision(d, { windowOpen: false, closesAt: "2026-11-27T09:00:00Z" }, ana);
});

test("a failure is a CareWindowAssertionError with actual / expected", () => {
  const d = decide(ana.state(), { kind: "free-form" }, T + DAY);
  assert.throws(
    () => assertSession(d),
    (e: unknown) =>
      e instanceof CareWindowAssertionError &&
      (e.actual as { outcome: string }).outcome === "template" &&
      (e.expected as { outcome: string }).outcome === "session",
  );
});
