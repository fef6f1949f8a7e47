/**
 * Issue 10 fuzz: mutated webhook bodies through the service's `ingest` on the memory store.
 *
 * Each body is a batch of valid messages and statuses (distinct customers); a seeded mutator
 * damages some items (hostile values: NUL, lone surrogates, empty strings, `__proto__`, deep
 * arrays, instants out of range, …), some envelopes, and some raw JSON texts. For every body:
 *
 * - `ingest` never throws anything but a typed `InvalidInputError` (`invalid-json` /
 *   `invalid-body`, for a body that is not a JSON object);
 * - every item the mutator did not touch is recorded (its thread's state holds its instant);
 * - every event `parseWebhook` emits passes the one event contract (`record` would accept it).
 *
 * `FUZZ_RUNS` sets the number of bodies: small by default in `npm test`, 100,000 in
 * `npm run fuzz`. The seed is fixed (`FUZZ_SEED` to change it) so a failure replays.
 */
import { describe, expect, it } from "vitest";
import { CareWindowError, InvalidInputError } from "../../src/domain/errors.js";
import { checkEvent } from "../../src/domain/event.js";
import { createCareWindow } from "../../src/service/createCareWindow.js";
import { createMemoryStore } from "../../src/store/memory.js";
import { parseWebhook } from "../../src/whatsapp/parse.js";

const RUNS = Number(process.env["FUZZ_RUNS"] ?? 2_000);
const SEED = Number(process.env["FUZZ_SEED"] ?? 20_261_206);
const BUSINESS = "106540352242922";
const T = Date.parse("2026-11-26T09:00:00Z");
const NOW = T + 3_600_000;

/** mulberry32: a small seeded PRNG, so every run of the suite fuzzes the same bodies. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

let deep: unknown = 1;
for (let i = 0; i < 5_000; i++) deep = [deep];
let deepObject: unknown = "x";
for (let i = 0; i < 5_000; i++) deepObject = { a: deepObject };

/** Values a hostile or broken sender might put anywhere. */
const HOSTILE: readonly unknown[] = [
  "",
  " ",
  "\u0000",
  "a\u0000b",
  "\ud800",
  "x\udc00",
  "__proto__",
  "constructor",
  "toString",
  "valueOf",
  "hasOwnProperty",
  "0",
  "-1",
  "1",
  "99999999999",
  "1763990000000",
  "1e3",
  "NaN",
  "Infinity",
  "1763990000.5",
  0,
  -1,
  1.5,
  1e20,
  -1e20,
  Number.MAX_SAFE_INTEGER,
  131047.5,
  1763990000,
  1763990000000,
  true,
  false,
  null,
  [],
  {},
  [1, 2, 3],
  { __proto__: null, x: 1 },
  deep,
  deepObject,
  "x".repeat(10_000),
  "🙂".repeat(50),
];

const MESSAGE_FIELDS = ["id", "from", "timestamp", "type", "text", "interactive", "referral"];
const STATUS_FIELDS = ["id", "status", "timestamp", "recipient_id", "errors", "pricing"];

interface Expected {
  readonly customer: string;
  readonly at: number;
  readonly kind: "inbound" | "sent";
}

function pick<T>(rnd: () => number, xs: readonly T[]): T {
  return xs[Math.floor(rnd() * xs.length)] as T;
}

/** One body of valid items, some of them damaged; returns what must be recorded. */
function mutatedBody(
  rnd: () => number,
  n: number,
): { body: unknown; expected: Expected[]; raw: boolean } {
  const items = 1 + Math.floor(rnd() * 6);
  const expected: Expected[] = [];
  const messages: Record<string, unknown>[] = [];
  const statuses: Record<string, unknown>[] = [];
  for (let i = 0; i < items; i++) {
    const ts = Math.floor(T / 1000) - Math.floor(rnd() * 86_400 * 20);
    const damaged = rnd() < 0.4;
    if (rnd() < 0.6) {
      const customer = `55${n}${i}0`;
      const item: Record<string, unknown> = {
        from: customer,
        id: `wamid.IN.${n}.${i}`,
        timestamp: String(ts),
        type: "text",
        text: { body: "oi" },
      };
      if (damaged) damage(rnd, item, MESSAGE_FIELDS);
      else expected.push({ customer, at: ts * 1000, kind: "inbound" });
      messages.push(item);
    } else {
      const customer = `55${n}${i}1`;
      const item: Record<string, unknown> = {
        id: `wamid.OUT.${n}.${i}`,
        status: "sent",
        timestamp: String(ts),
        recipient_id: customer,
        pricing: { billable: true, pricing_model: "PMP", type: "regular", category: "utility" },
      };
      if (damaged) damage(rnd, item, STATUS_FIELDS);
      else expected.push({ customer, at: ts * 1000, kind: "sent" });
      statuses.push(item);
    }
  }
  const value: Record<string, unknown> = {
    messaging_product: "whatsapp",
    metadata: { display_phone_number: "15550783881", phone_number_id: BUSINESS },
    messages,
    statuses,
  };
  const body: Record<string, unknown> = {
    object: "whatsapp_business_account",
    entry: [{ id: "102290129340398", changes: [{ field: "messages", value }] }],
  };
  // Envelope damage: extra junk entries / changes around the valid one (never replacing it).
  const roll = rnd();
  if (roll < 0.1) (body["entry"] as unknown[]).push(pick(rnd, HOSTILE));
  else if (roll < 0.2) {
    const entry = (body["entry"] as Record<string, unknown>[])[0] as Record<string, unknown>;
    (entry["changes"] as unknown[]).unshift({
      field: pick(rnd, HOSTILE),
      value: pick(rnd, HOSTILE),
    });
  } else if (roll < 0.25) value["errors"] = pick(rnd, HOSTILE);
  else if (roll < 0.3) value["contacts"] = pick(rnd, HOSTILE);
  else if (roll < 0.4) {
    // The raw text, cut or with a byte changed: often no longer JSON (a typed error), no oracle.
    let text: string;
    try {
      text = JSON.stringify(body);
    } catch {
      return { body, expected, raw: false }; // a deep value: JSON.stringify itself overflows
    }
    const at = Math.floor(rnd() * text.length);
    const cut =
      rnd() < 0.5
        ? text.slice(0, at)
        : `${text.slice(0, at)}${pick(rnd, ["}", "[", '"', "\u0000", "\\"])}${text.slice(at + 1)}`;
    return { body: cut, expected: [], raw: true };
  }
  return { body, expected, raw: false };
}

function damage(rnd: () => number, item: Record<string, unknown>, fields: readonly string[]): void {
  const times = 1 + Math.floor(rnd() * 2);
  for (let k = 0; k < times; k++) {
    const field = pick(rnd, fields);
    if (rnd() < 0.15) delete item[field];
    else item[field] = pick(rnd, HOSTILE);
  }
}

describe(`ingest fuzz: ${RUNS.toLocaleString("en-US")} mutated bodies (issue 10, CSW-3, CSW-4, ERR-1)`, () => {
  it(
    "never throws untyped, records every valid item, and emits only contract-valid events",
    async () => {
      const rnd = prng(SEED);
      const store = createMemoryStore();
      const care = createCareWindow({ store, now: () => new Date(NOW) });
      let typed = 0;
      let recorded = 0;
      let refused = 0;
      const started = performance.now();
      for (let n = 0; n < RUNS; n++) {
        const { body, expected, raw } = mutatedBody(rnd, n);
        // The edge's output is, by construction, what `record` accepts.
        try {
          for (const event of parseWebhook(body).events) {
            const r = checkEvent(event);
            if (!r.ok) expect.fail(`body ${n}: parseWebhook emitted ${r.field} ${r.message}`);
          }
        } catch (error) {
          if (!(error instanceof InvalidInputError)) throw error;
        }
        try {
          const result = await care.ingest(body);
          refused += result.issues.length;
        } catch (error) {
          if (!(error instanceof CareWindowError)) {
            expect.fail(`body ${n}: untyped ${String(error)}`);
          }
          expect(["invalid-json", "invalid-body"]).toContain((error as CareWindowError).code);
          expect(raw).toBe(true);
          typed++;
          continue;
        }
        for (const e of expected) {
          const state = await care.state({ business: BUSINESS, customer: e.customer });
          const got = e.kind === "inbound" ? state.inbound.message : state.outbound[0];
          if (got === undefined || got < e.at) {
            expect.fail(`body ${n}: valid ${e.kind} of ${e.customer} at ${e.at} was not recorded`);
          }
          recorded++;
        }
      }
      const seconds = (performance.now() - started) / 1000;
      // Printed for docs/benchmarks.md (npm run fuzz).
      console.log(
        `fuzz: ${RUNS} bodies, ${recorded} valid items recorded, ${refused} issues, ${typed} typed refusals of non-JSON bodies, 0 untyped throws, ${seconds.toFixed(1)} s`,
      );
      expect(recorded).toBeGreaterThan(RUNS / 2);
    },
    Math.max(60_000, RUNS * 20),
  ); // 100,000 bodies took about 5 minutes on a shared machine
});
