/**
 * Core benchmarks (mitata) on the BUILT package (dist/index.js): decisions per second on folded
 * states, events folded per second, and a hand-written inline `now - last < 24h` check in the
 * same run so mitata prints the ratio. Run with `npm run bench` (builds first).
 */
import { existsSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { bench, do_not_optimize, run, summary } from "mitata";

type Core = typeof import("../src/index.js");
type ThreadEvent = import("../src/index.js").ThreadEvent;

const DIST = new URL("../dist/index.js", import.meta.url);
const DAY = 86_400_000;
const HOUR = 3_600_000;

/** Loads the built package; `npm run bench` runs tsdown first. */
export async function loadCore(): Promise<Core> {
  if (!existsSync(DIST)) {
    throw new Error(
      "dist/index.js is missing: run `npx tsdown` (or `npm run bench`, which builds)",
    );
  }
  return (await import(DIST.href)) as Core;
}

/**
 * The 0.1.0 decider for a side-by-side baseline, when `CARE_WINDOW_BASELINE` names a built
 * `dist/index.js` of another checkout (e.g. `git archive main | tar -x -C /tmp/base && cd
 * /tmp/base && npx tsdown`). Absent: no baseline rows.
 */
async function loadBaseline(): Promise<Core | undefined> {
  const path = process.env["CARE_WINDOW_BASELINE"];
  if (path === undefined || path === "" || !existsSync(path)) return undefined;
  return (await import(pathToFileURL(path).href)) as Core;
}

/** Registers the core benchmarks, runs them, and prints decisions/s and events/s. */
export async function runCoreBench(): Promise<void> {
  const core = await loadCore();
  const base = await loadBaseline();
  const { decide, verdict, emptyState, foldEvent, foldEvents, marketingCooldown, quietHours } =
    core;
  const thread = { business: "106540352242922", customer: "5511987654321" };
  const T = Date.parse("2026-11-26T09:00:00Z");
  let n = 0;
  const ev = (e: Record<string, unknown>): ThreadEvent =>
    ({ id: `wamid.${n++}`, thread, ...e }) as unknown as ThreadEvent;

  // A realistic history: a month of messages, replies, statuses and one marketing opt-in.
  const history: ThreadEvent[] = [];
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
  const folded = foldEvents(emptyState(), history);

  const openState = foldEvent(folded, ev({ kind: "inbound", type: "text", at: T }));
  const fepState = foldEvents(folded, [
    ev({
      kind: "inbound",
      type: "text",
      referral: { sourceType: "ad", sourceId: "1" },
      at: T - 30 * HOUR,
    }),
    ev({ kind: "outbound", message: "free-form", type: "text", at: T - 29 * HOUR }),
  ]);
  const optedOut = foldEvents(openState, [
    ev({ kind: "consent", action: "opt-out", scope: "all", source: "keyword-STOP", at: T + 1000 }),
  ]);
  const now = T + 2 * HOUR;
  const last = T;
  const freeForm = { kind: "free-form" } as const;
  const marketing = { kind: "template", category: "marketing" } as const;
  const options = { timeZone: "America/Sao_Paulo", serviceTier: { used: 120 } };

  // sanity: the states decide what their names say
  const check = (
    state: typeof folded,
    intent: typeof freeForm | typeof marketing,
    want: string,
  ) => {
    const d = decide(state, intent, now, options);
    if (`${d.outcome}/${d.reason}` !== want)
      throw new Error(`bench state: ${d.outcome}/${d.reason} ≠ ${want}`);
  };
  check(openState, freeForm, "session/window-open");
  check(fepState, freeForm, "template/window-closed");
  check(optedOut, freeForm, "blocked/opted-out");

  const hostOptions = {
    ...options,
    rules: [
      quietHours({ from: "21:00", to: "08:00", timeZone: "America/Sao_Paulo" }),
      marketingCooldown({ hours: 72 }),
    ],
  };

  let i = 0;
  summary(() => {
    bench("inline: now - last < 24h", () => {
      i = (i + 1) & 1023;
      return do_not_optimize(now + i - last < DAY);
    }).baseline(true);
    if (base !== undefined) {
      const baseDecide = base.decide;
      bench("0.1 decide (baseline): open window, free-form", () => {
        i = (i + 1) & 1023;
        return do_not_optimize(baseDecide(openState, freeForm, now + i, options).outcome);
      });
      bench("0.1 decide (baseline): closed window + FEP → template", () => {
        i = (i + 1) & 1023;
        return do_not_optimize(baseDecide(fepState, freeForm, now + i, options).outcome);
      });
    }
    bench("verdict: open window, free-form", () => {
      i = (i + 1) & 1023;
      return do_not_optimize(verdict(openState, freeForm, now + i, options).outcome);
    });
    bench("verdict: closed window + FEP, free-form → template", () => {
      i = (i + 1) & 1023;
      return do_not_optimize(verdict(fepState, freeForm, now + i, options).outcome);
    });
    bench("verdict: opted-out, free-form → blocked", () => {
      i = (i + 1) & 1023;
      return do_not_optimize(verdict(optedOut, freeForm, now + i, options).outcome);
    });
    bench("verdict: open window, marketing template", () => {
      i = (i + 1) & 1023;
      return do_not_optimize(verdict(openState, marketing, now + i, options).outcome);
    });
    bench("verdict + 2 host rules: open window, marketing", () => {
      i = (i + 1) & 1023;
      return do_not_optimize(verdict(openState, marketing, now + i, hostOptions).outcome);
    });
    bench("verdict + 2 host rules: open window, free-form", () => {
      i = (i + 1) & 1023;
      return do_not_optimize(verdict(openState, freeForm, now + i, hostOptions).outcome);
    });
  });

  summary(() => {
    bench("decide (with prose): open window, free-form", () => {
      i = (i + 1) & 1023;
      return do_not_optimize(decide(openState, freeForm, now + i, options).outcome);
    });
    bench("decide (with prose): closed window + FEP → template", () => {
      i = (i + 1) & 1023;
      return do_not_optimize(decide(fepState, freeForm, now + i, options).outcome);
    });
    bench("decide (with prose): opted-out, free-form → blocked", () => {
      i = (i + 1) & 1023;
      return do_not_optimize(decide(optedOut, freeForm, now + i, options).outcome);
    });
    bench("decide (with prose): open window, marketing template", () => {
      i = (i + 1) & 1023;
      return do_not_optimize(decide(openState, marketing, now + i, options).outcome);
    });
  });

  const newer = ev({ kind: "inbound", type: "text", at: T + HOUR });
  bench("foldEvent: one new inbound into a folded state", () =>
    do_not_optimize(foldEvent(folded, newer)),
  );
  bench(`foldEvents: ${history.length} events from empty`, () =>
    do_not_optimize(foldEvents(emptyState(), history)),
  );

  const { benchmarks } = await run();
  type Stats = { avg: number; p50: number; min: number };
  const stats = (alias: string): Stats | undefined =>
    benchmarks.find((b) => b.alias === alias)?.runs[0]?.stats as Stats | undefined;
  // The median resists a noisy machine better than the mean; both are printed.
  console.log("\nthroughput on 1 core (M per second, from the median / mean ns per iteration):");
  for (const b of benchmarks) {
    const s = b.runs[0]?.stats as Stats | undefined;
    if (s === undefined) continue;
    const div = b.alias.startsWith("foldEvents:") ? history.length : 1;
    const rate = (ns: number): string => (1e9 / (ns / div) / 1e6).toFixed(2).padStart(8);
    const unit = b.alias.startsWith("fold")
      ? "events/s"
      : b.alias.startsWith("inline")
        ? "checks/s"
        : "decisions/s";
    console.log(`  ${b.alias.padEnd(52)} ${rate(s.p50)} (median) ${rate(s.avg)} (mean) ${unit}`);
  }
  const inline = stats("inline: now - last < 24h");
  const ratio = (label: string, a: Stats | undefined, b: Stats | undefined): void => {
    if (a === undefined || b === undefined) return;
    console.log(
      `  ${label}: ${(a.p50 / b.p50).toFixed(2)}× (median), ${(a.avg / b.avg).toFixed(2)}× (mean) the time`,
    );
  };
  const open = stats("verdict: open window, free-form");
  ratio("verdict (open window) vs inline check", open, inline);
  ratio(
    "verdict (open window) vs 0.1 decide, same run",
    open,
    stats("0.1 decide (baseline): open window, free-form"),
  );
  ratio(
    "verdict (closed + FEP) vs 0.1 decide, same run",
    stats("verdict: closed window + FEP, free-form → template"),
    stats("0.1 decide (baseline): closed window + FEP → template"),
  );
  ratio(
    "verdict + 2 host rules vs verdict (open, marketing)",
    stats("verdict + 2 host rules: open window, marketing"),
    stats("verdict: open window, marketing template"),
  );
  console.log(
    `  folded state: ${JSON.stringify(openState).length} B as JSON (${history.length + 1} events)`,
  );
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await runCoreBench();
}
