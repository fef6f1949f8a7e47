// Run by test/testing-kit/assert.test.ts, which expects THIS FILE TO FAIL: it checks that
// node:test prints the kit's explanation and timeline for a failing assertion.
import { test } from "node:test";
import { assertSession, scenario } from "../../../src/testing.js";
import { decide } from "../../../src/window/decide.js";

const T = Date.parse("2026-11-26T09:00:00Z");
const shop = scenario();
const ana = shop.customer("5511987654321");
shop.recordsOptIn(ana, T - 86_400_000, { source: "signup" });
ana.writes(T, "Oi");

test("deliberately failing: a session 25 h after the last message", () => {
  assertSession(decide(ana.state(), { kind: "free-form" }, T + 25 * 3_600_000), "window-open", ana);
});
