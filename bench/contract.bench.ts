/**
 * Issue 10 budget check, side by side in one process: this tree against a baseline checkout
 * (`BASELINE=/path/to/other/checkout`, e.g. a worktree of `main`), alternating A/B rounds so
 * both see the same machine load.
 *
 * - ingest end to end on the memory store, 1 writer (one inbound message per webhook): budget
 *   within 10 % of the baseline;
 * - `parseWebhook` of the same bodies;
 * - pure `decide` (free-form and template) on a folded state: must not regress.
 *
 * Run: `BASELINE=/work/main npx tsx bench/contract.bench.ts` (without `BASELINE` it measures this
 * tree only; `ROUNDS=n` rounds, `ONLY=decide` one case).
 */
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";

type Src = {
  createCareWindow: typeof import("../src/service/createCareWindow.js").createCareWindow;
  createMemoryStore: typeof import("../src/store/memory.js").createMemoryStore;
  parseWebhook: typeof import("../src/whatsapp/parse.js").parseWebhook;
  decide: typeof import("../src/window/decide.js").decide;
  emptyState: typeof import("../src/window/state.js").emptyState;
  foldEvents: typeof import("../src/window/state.js").foldEvents;
};

async function load(root: string): Promise<Src> {
  const at = (p: string) => pathToFileURL(resolve(root, p)).href;
  const svc = await import(at("src/service/createCareWindow.ts"));
  const mem = await import(at("src/store/memory.ts"));
  const parse = await import(at("src/whatsapp/parse.ts"));
  const dec = await import(at("src/window/decide.ts"));
  const st = await import(at("src/window/state.ts"));
  return {
    createCareWindow: svc.createCareWindow,
    createMemoryStore: mem.createMemoryStore,
    parseWebhook: parse.parseWebhook,
    decide: dec.decide,
    emptyState: st.emptyState,
    foldEvents: st.foldEvents,
  };
}

const T = Date.parse("2026-11-26T09:00:00Z");
const BUSINESS = "106540352242922";
const DAY = 86_400_000;

function body(n: number): unknown {
  const customer = `55${String(n % 5000).padStart(11, "0")}`;
  return {
    object: "whatsapp_business_account",
    entry: [
      {
        id: "102290129340398",
        changes: [
          {
            field: "messages",
            value: {
              messaging_product: "whatsapp",
              metadata: { display_phone_number: "15550783881", phone_number_id: BUSINESS },
              contacts: [{ profile: { name: "Ana" }, wa_id: customer }],
              messages: [
                {
                  from: customer,
                  id: `wamid.${n}`,
                  timestamp: String(T / 1000 + (n % 80_000)),
                  type: "text",
                  text: { body: "oi" },
                },
              ],
            },
          },
        ],
      },
    ],
  };
}

async function ingestPerSecond(src: Src, count: number, offset: number): Promise<number> {
  const care = src.createCareWindow({
    store: src.createMemoryStore(),
    now: () => new Date(T + DAY),
  });
  const bodies = Array.from({ length: count }, (_, i) => body(offset + i));
  const start = performance.now();
  for (const b of bodies) await care.ingest(b);
  return count / ((performance.now() - start) / 1000);
}

function parsePerSecond(src: Src, count: number): number {
  const bodies = Array.from({ length: count }, (_, i) => body(i));
  const start = performance.now();
  let n = 0;
  for (const b of bodies) n += src.parseWebhook(b).events.length;
  if (n !== count) throw new Error("parse bench: lost events");
  return count / ((performance.now() - start) / 1000);
}

function decidePerSecond(src: Src, count: number): number {
  const thread = { business: BUSINESS, customer: "5511987654321" };
  const events = [];
  for (let d = 30; d >= 0; d--) {
    const at = T - d * DAY;
    events.push(
      { kind: "inbound", id: `i${d}`, type: "text", at, thread },
      { kind: "status", id: `o${d}`, status: "delivered", at: at + 61_000, thread },
    );
  }
  const state = src.foldEvents(src.emptyState(), events as never);
  const intents = [{ kind: "free-form" }, { kind: "template", category: "marketing" }] as const;
  const options = { timeZone: "America/Sao_Paulo", requireOptIn: true };
  const start = performance.now();
  let sink = 0;
  for (let i = 0; i < count; i++) {
    const d = src.decide(state, intents[i & 1]!, T + (i & 1023), options);
    sink += d.outcome.length;
  }
  if (sink === 0) throw new Error("decide bench: no decisions");
  return count / ((performance.now() - start) / 1000);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const fmt = (n: number) => Math.round(n).toLocaleString("en-US");

const here = await load(resolve(import.meta.dirname, ".."));
const baselineRoot = process.env["BASELINE"];
const base = baselineRoot === undefined ? undefined : await load(baselineRoot);
const ROUNDS = Number(process.env["ROUNDS"] ?? 5);

const results: Record<string, { here: number[]; base: number[] }> = {
  "ingest webhooks/s (memory, 1 writer)": { here: [], base: [] },
  "parseWebhook bodies/s": { here: [], base: [] },
  "decide/s (folded state)": { here: [], base: [] },
};
const runs: [string, (s: Src, round: number) => Promise<number> | number][] = [
  ["ingest webhooks/s (memory, 1 writer)", (s, r) => ingestPerSecond(s, 10_000, r * 10_000)],
  ["parseWebhook bodies/s", (s) => parsePerSecond(s, 20_000)],
  ["decide/s (folded state)", (s) => decidePerSecond(s, 300_000)],
];
const only = process.env["ONLY"]; // a substring of a case name, to run that case alone
for (let round = 0; round < ROUNDS + 1; round++) {
  for (const [name, fn] of runs) {
    if (only !== undefined && !name.includes(only)) continue;
    // Alternate which side goes first; round 0 is a warm-up and is not counted.
    const order: [string, Src | undefined][] =
      round % 2 === 0
        ? [
            ["here", here],
            ["base", base],
          ]
        : [
            ["base", base],
            ["here", here],
          ];
    for (const [side, src] of order) {
      if (src === undefined) continue;
      const v = await fn(src, round);
      if (round > 0) results[name]![side as "here" | "base"].push(v);
    }
  }
}
console.log(
  `node ${process.version}; ${ROUNDS} rounds, medians; baseline: ${baselineRoot ?? "none"}`,
);
for (const [name, r] of Object.entries(results)) {
  if (r.here.length === 0) continue;
  const h = median(r.here);
  if (r.base.length === 0) console.log(`${name}: ${fmt(h)}`);
  else {
    const b = median(r.base);
    console.log(`${name}: this ${fmt(h)} vs baseline ${fmt(b)} (ratio ${(h / b).toFixed(3)})`);
  }
}
