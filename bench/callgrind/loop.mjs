// A decision loop for instruction counts under valgrind (bench/callgrind/count.sh): the open-window
// state of bench/core.bench.ts (a month of history, one inbound 2 h before `now`), options
// `{ timeZone: "America/Sao_Paulo", serviceTier: { used: 120 } }`, free-form intent.
// Env: DIST (a built dist/index.js), WHICH (decide | verdict | foldEvents | foldEvent), N (calls
// per round, 3 rounds). `foldEvents` folds the whole 121-event month from `emptyState()` per call;
// `foldEvent` folds one new inbound into the open-window state per call. UNSEALED=1 decides on a
// JSON copy of the state (not sealed: read into a checked copy on every call). HOST=1 adds the
// benchmark's two host rules (quietHours 21:00–08:00 São Paulo, marketingCooldown 72 h).
// INTENT=marketing decides a marketing template instead of a free-form reply.
const core = await import(process.env.DIST ?? new URL("../../dist/index.js", import.meta.url).href);
const { decide, verdict, emptyState, foldEvent, foldEvents, quietHours, marketingCooldown } = core;
const thread = { business: "106540352242922", customer: "5511987654321" };
const T = Date.parse("2026-11-26T09:00:00Z");
const DAY = 86_400_000;
const HOUR = 3_600_000;
let n = 0;
const ev = (e) => ({ id: `wamid.${n++}`, thread, ...e });
const history = [];
for (let d = 30; d >= 1; d--) {
  const at = T - d * DAY;
  history.push(
    ev({ kind: "inbound", type: "text", at }),
    ev({ kind: "outbound", message: "free-form", type: "text", at: at + 60_000 }),
    ev({ kind: "status", status: "delivered", at: at + 61_000 }),
    ev({ kind: "status", status: "read", at: at + 120_000 }),
  );
}
history.push(
  ev({
    kind: "consent",
    action: "opt-in",
    scope: "all",
    source: "checkout-form",
    at: T - 40 * DAY,
  }),
);
const folded = foldEvent(
  foldEvents(emptyState(), history),
  ev({ kind: "inbound", type: "text", at: T }),
);
const open = process.env.UNSEALED === "1" ? JSON.parse(JSON.stringify(folded)) : folded;
const now = T + 2 * HOUR;
const options = { timeZone: "America/Sao_Paulo", serviceTier: { used: 120 } };
if (process.env.HOST === "1") {
  options.rules = [
    quietHours({ from: "21:00", to: "08:00", timeZone: "America/Sao_Paulo" }),
    marketingCooldown({ hours: 72 }),
  ];
}
const which = process.env.WHICH ?? "decide";
const intent =
  process.env.INTENT === "marketing"
    ? { kind: "template", category: "marketing" }
    : { kind: "free-form" };
const N = Number(process.env.N ?? 1_000_000);
const late = ev({ kind: "inbound", type: "text", at: T + HOUR });
let s = 0;
for (let r = 0; r < 3; r++) {
  if (which === "foldEvents") {
    for (let i = 0; i < N; i++) s += foldEvents(emptyState(), history).outbound.length;
  } else if (which === "foldEvent") {
    for (let i = 0; i < N; i++) s += foldEvent(open, late).outbound.length;
  } else {
    const f = which === "verdict" ? verdict : decide;
    for (let i = 0; i < N; i++) s += f(open, intent, now + (i & 1023), options).outcome.length;
  }
}
if (s === 0) console.log(s);
