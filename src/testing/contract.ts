/**
 * The storage adapter contract suite: the same checks for every {@link CareWindowStore}, usable
 * from vitest, node:test, jest or mocha. It registers tests with the `describe` / `it` you pass
 * and asserts with plain thrown `Error`s, so it depends on no test framework.
 *
 * @module
 */
import { InvalidInputError } from "../domain/errors.js";
import type { ThreadEvent } from "../domain/types.js";
import { casLoop, decodeState, updateThread } from "../store/cas.js";
import { StoredStateError } from "../store/errors.js";
import { jsonEqual } from "../store/json.js";
import type { CareWindowStore, ThreadKey } from "../store/port.js";
import { emptyState, foldEvent, foldEvents, type ThreadState } from "../window/state.js";

/**
 * Options of {@link runStoreContract}.
 *
 * @example
 * ```ts
 * import { describe, it } from "vitest";
 * const options: StoreContractOptions = { name: "memory", create: () => createMemoryStore(), describe, it };
 * ```
 */
export interface StoreContractOptions<S extends CareWindowStore = CareWindowStore> {
  /** Shown in the suite title. */
  readonly name: string;
  /** A fresh, empty store for one test (called once per test). */
  readonly create: () => S | Promise<S>;
  /** Disposes a store made by `create` (called after each test, pass or fail). */
  readonly cleanup?: (store: S) => void | Promise<void>;
  /** Your framework's `describe` (vitest, node:test, jest, mocha). */
  readonly describe: (name: string, fn: () => void) => unknown;
  /** Your framework's `it` / `test`; tests are async functions. */
  readonly it: (name: string, fn: () => Promise<void>) => unknown;
  /** Parallel writers in the concurrency tests. Default 8. */
  readonly writers?: number;
  /** Events per writer in the concurrency tests. Default 40. */
  readonly eventsPerWriter?: number;
}

const BUSINESS = "106540352242922";

/**
 * A deterministic pseudo-random generator (mulberry32) for reproducible test data.
 *
 * @example
 * ```ts
 * const rnd = seededRandom(42);
 * rnd(); // the same sequence on every run
 * ```
 */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/**
 * Varied, valid thread events for stress and contract tests: every thread-event kind, random
 * provider timestamps, on `customers` customers of one business.
 *
 * @example
 * ```ts
 * const events = generateEvents({ seed: 1, count: 500, customers: ["5511987654321"] });
 * ```
 */
export function generateEvents(options: {
  readonly seed: number;
  readonly count: number;
  readonly customers: readonly string[];
  readonly business?: string;
  readonly start?: number;
}): ThreadEvent[] {
  const rnd = seededRandom(options.seed);
  const start = options.start ?? Date.parse("2026-11-01T00:00:00Z");
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rnd() * items.length)] as T;
  const out: ThreadEvent[] = [];
  for (let i = 0; i < options.count; i++) {
    const thread = { business: options.business ?? BUSINESS, customer: pick(options.customers) };
    const at = start + Math.floor(rnd() * 30 * 86_400_000);
    const id = `wamid.${options.seed}.${i}`;
    const roll = rnd();
    if (roll < 0.35) {
      const type = pick(["text", "image", "reaction", "interactive", "button", "system"]);
      const referral = rnd() < 0.1 ? { referral: { sourceType: pick(["ad", "post"]) } } : {};
      out.push({
        kind: "inbound",
        id,
        type,
        ...(type === "interactive" ? { subtype: "button_reply" } : {}),
        ...referral,
        at,
        thread,
      });
    } else if (roll < 0.5) {
      out.push({ kind: "outbound", id, message: pick(["free-form", "template"]), at, thread });
    } else if (roll < 0.7) {
      const failed = rnd() < 0.3;
      out.push({
        kind: "status",
        id,
        status: failed ? "failed" : pick(["sent", "delivered", "read"]),
        ...(failed ? { errors: [pick([131047, 131049, 131050, 130403, 131026])] } : {}),
        ...(rnd() < 0.2
          ? { pricing: { type: "free_entry_point" }, conversationExpiresAt: at + 259_200_000 }
          : {}),
        at,
        thread,
      });
    } else if (roll < 0.85) {
      out.push({
        kind: "consent",
        action: pick(["opt-in", "opt-out"]),
        scope: pick(["all", "marketing", "utility", "authentication"]),
        source: pick(["form", "keyword", "agent"]),
        at,
        thread,
      });
    } else if (roll < 0.95) {
      out.push({ kind: "marketing-preference", value: pick(["stop", "resume"]), at, thread });
    } else {
      out.push({ kind: "block", value: pick(["block", "unblock"]), at, thread });
    }
  }
  return out;
}

function fail(message: string, values?: { actual: unknown; expected: unknown }): never {
  const detail =
    values === undefined
      ? ""
      : `\n  actual:   ${JSON.stringify(values.actual)}\n  expected: ${JSON.stringify(values.expected)}`;
  throw new Error(`store contract: ${message}${detail}`);
}

function equal(actual: unknown, expected: unknown, message: string): void {
  if (!jsonEqual(actual, expected)) fail(message, { actual, expected });
}

function ok(condition: boolean, message: string): void {
  if (!condition) fail(message);
}

const key = (customer: string, over: Partial<ThreadKey> = {}): ThreadKey => ({
  channel: "whatsapp",
  business: BUSINESS,
  customer,
  ...over,
});

const withOutbound = (n: number): ThreadState => ({ ...emptyState(), outbound: [n] });

const fast = { maxAttempts: 10_000, baseDelayMs: 1, maxDelayMs: 8 } as const;

/** A state exercising every field of the schema. */
function richState(): ThreadState {
  return foldEvents(emptyState(), [
    ...generateEvents({ seed: 7, count: 200, customers: ["c"] }),
    {
      kind: "consent",
      action: "opt-in",
      scope: "utility",
      source: "formulário ✓ 🚀",
      at: 1_795_683_600_123,
      thread: { business: BUSINESS, customer: "c" },
    },
  ]);
}

/**
 * Registers the adapter contract suite. Run it on your adapter; when it passes, the adapter is
 * safe for concurrent writers, idempotent webhooks and the template catalog.
 *
 * @example
 * ```ts
 * // vitest
 * import { describe, it } from "vitest";
 * import { runStoreContract } from "care-window/testing";
 * runStoreContract({ name: "my-db", create: () => createMyStore(), describe, it });
 *
 * // node:test
 * import { describe, it } from "node:test";
 * runStoreContract({ name: "my-db", create: () => createMyStore(), describe, it });
 * ```
 */
export function runStoreContract<S extends CareWindowStore>(
  options: StoreContractOptions<S>,
): void {
  const { describe, it, create, cleanup } = options;
  const writers = options.writers ?? 8;
  const perWriter = options.eventsPerWriter ?? 40;

  const test = (name: string, body: (store: S) => Promise<void>): void => {
    it(name, async () => {
      const store = await create();
      try {
        await body(store);
      } finally {
        await cleanup?.(store);
      }
    });
  };

  describe(`care-window store contract: ${options.name}`, () => {
    test("reading an unknown thread returns undefined", async (store) => {
      equal(await store.readThread(key("unknown")), undefined, "readThread of an unknown thread");
    });

    test("readForDecision of an unknown thread: no thread, count 0, no template", async (store) => {
      const read = await store.readForDecision(key("unknown"), {
        month: "2026-11",
        template: "nope",
      });
      equal(read.thread, undefined, "thread");
      equal(read.serviceCount, 0, "serviceCount");
      equal(read.template, undefined, "template");
      equal(await store.serviceCount(BUSINESS, "2026-11"), 0, "serviceCount()");
      equal(await store.readCatalog(), [], "empty catalog");
    });

    test("CAS: an insert at version 0 succeeds once; a second insert at 0 fails", async (store) => {
      const s1 = { ...emptyState(), outbound: [1] };
      const s2 = { ...emptyState(), outbound: [2] };
      ok((await store.writeThread(key("a"), { state: s1 }, 0)) === true, "first insert wins");
      ok((await store.writeThread(key("a"), { state: s2 }, 0)) === false, "second insert loses");
      equal(await store.readThread(key("a")), { state: s1, version: 1 }, "row after inserts");
    });

    test("CAS: a write at a stale or future version fails and changes nothing", async (store) => {
      const s1 = { ...emptyState(), outbound: [1] };
      const s2 = { ...emptyState(), outbound: [2] };
      const s3 = { ...emptyState(), outbound: [3] };
      ok(await store.writeThread(key("a"), { state: s1 }, 0), "insert");
      ok(await store.writeThread(key("a"), { state: s2 }, 1), "update at the current version");
      ok(!(await store.writeThread(key("a"), { state: s3 }, 1)), "stale version refused");
      ok(!(await store.writeThread(key("a"), { state: s3 }, 5)), "future version refused");
      ok(!(await store.writeThread(key("b"), { state: s3 }, 1)), "update of an absent row refused");
      equal(await store.readThread(key("a")), { state: s2, version: 2 }, "row");
      equal(await store.readThread(key("b")), undefined, "absent row stays absent");
    });

    test("versions grow by exactly one per successful write", async (store) => {
      let version = 0;
      for (let i = 0; i < 12; i++) {
        ok(await store.writeThread(key("v"), { state: withOutbound(i) }, version), `write ${i}`);
        const row = await store.readThread(key("v"));
        equal(row?.version, version + 1, `version after write ${i}`);
        version = row?.version ?? 0;
      }
    });

    test("channel, business and customer are each part of the thread key", async (store) => {
      const s = (n: number): ThreadState => ({ ...emptyState(), outbound: [n] });
      const keys = [
        key("x"),
        key("x", { channel: "messenger" }),
        key("x", { business: "other" }),
        key("y"),
      ];
      for (const [i, k] of keys.entries())
        ok(await store.writeThread(k, { state: s(i) }, 0), `insert ${i}`);
      for (const [i, k] of keys.entries()) {
        equal(await store.readThread(k), { state: s(i), version: 1 }, `row ${i}`);
      }
    });

    test("states round-trip through JSON unchanged (all fields, unicode, large instants)", async (store) => {
      const state = richState();
      ok(await store.writeThread(key("json"), { state }, 0), "insert");
      const row = await store.readThread(key("json"));
      equal(row?.state, JSON.parse(JSON.stringify(state)), "state after round trip");
      equal(decodeState(row?.state), state, "decoded state");
      const read = await store.readForDecision(key("json"), { month: "2026-11" });
      equal(read.thread, row, "readForDecision returns the same row as readThread");
    });

    test("callers cannot mutate stored data through passed or returned objects", async (store) => {
      const state = { v: 1, inbound: { message: 5 }, outbound: [1], consent: {} };
      ok(await store.writeThread(key("m"), { state }, 0), "insert");
      state.inbound.message = 99;
      state.outbound.push(2);
      const first = await store.readThread(key("m"));
      if (first === undefined) fail("the row was not written");
      (first.state as unknown as { inbound: { message: number } }).inbound.message = 42;
      equal(
        (await store.readThread(key("m")))?.state,
        { v: 1, inbound: { message: 5 }, outbound: [1], consent: {} },
        "stored state",
      );
    });

    test("ID-6: a redirect is stored, returned, and can be written with the state", async (store) => {
      const state = { ...emptyState(), outbound: [3] };
      ok(await store.writeThread(key("alias"), { state, redirect: "canonical" }, 0), "insert");
      equal(
        await store.readThread(key("alias")),
        { state, redirect: "canonical", version: 1 },
        "row with redirect",
      );
      const read = await store.readForDecision(key("alias"), { month: "2026-11" });
      equal(read.thread, { state, redirect: "canonical", version: 1 }, "decision read");
    });

    test("readForDecision: row, the month's count and the template in one call", async (store) => {
      const state = { ...emptyState(), outbound: [9] };
      ok(await store.writeThread(key("d"), { state }, 0), "insert");
      await store.countDelivery(BUSINESS, "2026-11", "wamid.1");
      await store.countDelivery(BUSINESS, "2026-11", "wamid.2");
      await store.countDelivery(BUSINESS, "2026-10", "wamid.3");
      await store.countDelivery("other", "2026-11", "wamid.4");
      await store.putTemplate({ name: "order_update", category: "marketing", at: 10 });
      const read = await store.readForDecision(key("d"), {
        month: "2026-11",
        template: "order_update",
      });
      equal(read.thread, { state, version: 1 }, "thread");
      equal(read.serviceCount, 2, "count of this business and month only");
      equal(read.template, { name: "order_update", category: "marketing", at: 10 }, "template");
      const noTemplate = await store.readForDecision(key("d"), { month: "2026-10" });
      equal(noTemplate.serviceCount, 1, "other month");
      equal(noTemplate.template, undefined, "no template asked");
    });

    test("OPEN-5: countDelivery counts each wamid once per business", async (store) => {
      equal(await store.countDelivery(BUSINESS, "2026-11", "wamid.A"), true, "first count");
      equal(await store.countDelivery(BUSINESS, "2026-11", "wamid.A"), false, "replay");
      equal(await store.countDelivery(BUSINESS, "2026-11", "wamid.B"), true, "another wamid");
      equal(await store.countDelivery("other", "2026-11", "wamid.A"), true, "another business");
      equal(await store.serviceCount(BUSINESS, "2026-11"), 2, "count");
      equal(await store.serviceCount("other", "2026-11"), 1, "the other business's count");
    });

    test("OPEN-5: a month that is not YYYY-MM is an InvalidInputError naming it (months compare as strings)", async (store) => {
      /** What a port call rejected or threw with (sync or async adapters alike). */
      const failure = (call: () => unknown): Promise<unknown> =>
        Promise.resolve()
          .then(call)
          .then(
            () => undefined,
            (error: unknown) => error,
          );
      for (const month of [
        "2026-9",
        "2026-13",
        "2026-00",
        "",
        "2026-11-01",
        "2026/11",
        202611,
        10n,
      ]) {
        const m = month as string;
        const shown = typeof month === "string" ? JSON.stringify(month) : String(month);
        const counted = await failure(() => store.countDelivery(BUSINESS, m, "wamid.X"));
        ok(counted instanceof InvalidInputError, `countDelivery(${shown}): InvalidInputError`);
        equal((counted as InvalidInputError).field, "month", `countDelivery(${shown}): field`);
        const read = await failure(() => store.serviceCount(BUSINESS, m));
        ok(read instanceof InvalidInputError, `serviceCount(${shown}): InvalidInputError`);
        const decision = await failure(() => store.readForDecision(key("month"), { month: m }));
        ok(decision instanceof InvalidInputError, `readForDecision(${shown}): InvalidInputError`);
        equal(
          (decision as InvalidInputError).field,
          "query.month",
          `readForDecision(${shown}): field`,
        );
      }
      equal(
        await store.countDelivery(BUSINESS, "2026-11", "wamid.X"),
        true,
        "a valid month counts",
      );
      equal(await store.serviceCount(BUSINESS, "2026-11"), 1, "only the valid call counted");
    });

    test("OPEN-5: a wamid counts once, in the earliest month any call reported (read Nov 1 before delivered Oct 31)", async (store) => {
      equal(await store.countDelivery(BUSINESS, "2026-11", "wamid.M"), true, "first count (Nov)");
      equal(await store.serviceCount(BUSINESS, "2026-11"), 1, "November before the move");
      equal(await store.countDelivery(BUSINESS, "2026-10", "wamid.M"), true, "earlier month moves");
      equal(await store.countDelivery(BUSINESS, "2026-11", "wamid.M"), false, "later month again");
      equal(await store.countDelivery(BUSINESS, "2026-10", "wamid.M"), false, "same month again");
      equal(await store.serviceCount(BUSINESS, "2026-10"), 1, "October's count");
      equal(await store.serviceCount(BUSINESS, "2026-11"), 0, "November's count");
      const read = await store.readForDecision(key("any"), { month: "2026-11" });
      equal(read.serviceCount, 0, "readForDecision's count of November");
      const october = await store.readForDecision(key("any"), { month: "2026-10" });
      equal(october.serviceCount, 1, "readForDecision's count of October");
    });

    test("OPEN-5: a later month after an earlier one changes nothing (delivered Oct 31, read Nov 1)", async (store) => {
      equal(await store.countDelivery(BUSINESS, "2026-10", "wamid.L"), true, "first count (Oct)");
      equal(await store.countDelivery(BUSINESS, "2026-11", "wamid.L"), false, "next month");
      equal(await store.countDelivery(BUSINESS, "2026-12", "wamid.L"), false, "month after");
      equal(await store.serviceCount(BUSINESS, "2026-10"), 1, "October's count");
      equal(await store.serviceCount(BUSINESS, "2026-11"), 0, "November's count");
      equal(await store.serviceCount(BUSINESS, "2026-12"), 0, "December's count");
    });

    test("OPEN-5: moves to earlier months keep every month's count right (other wamids, businesses)", async (store) => {
      for (const w of ["n1", "n2", "n3"]) await store.countDelivery(BUSINESS, "2026-11", w);
      await store.countDelivery(BUSINESS, "2026-12", "d1");
      await store.countDelivery(BUSINESS, "2026-10", "o1");
      await store.countDelivery("other", "2026-11", "n1");
      // n1: November → October; d1: December → November → September (a chain of moves).
      equal(await store.countDelivery(BUSINESS, "2026-10", "n1"), true, "n1 moves to October");
      equal(await store.countDelivery(BUSINESS, "2026-11", "d1"), true, "d1 moves to November");
      equal(await store.countDelivery(BUSINESS, "2026-09", "d1"), true, "d1 moves to September");
      equal(await store.countDelivery(BUSINESS, "2026-10", "d1"), false, "d1 stays in September");
      const counts: number[] = [];
      for (const m of ["2026-09", "2026-10", "2026-11", "2026-12"]) {
        counts.push(await store.serviceCount(BUSINESS, m));
      }
      equal(counts, [1, 2, 2, 0], "Sep, Oct, Nov, Dec counts");
      equal(await store.serviceCount("other", "2026-11"), 1, "the other business is untouched");
      equal(await store.serviceCount("other", "2026-10"), 0, "the other business's October");
    });

    test("OPEN-5: every order and repetition of the same calls ends with the same counts", async (store) => {
      const months = ["2026-12", "2026-11", "2026-10"];
      const orders = [
        [0, 1, 2],
        [0, 2, 1],
        [1, 0, 2],
        [1, 2, 0],
        [2, 0, 1],
        [2, 1, 0],
        [0, 0, 1, 1, 2, 2],
        [2, 1, 0, 2, 1, 0],
      ];
      for (const [i, order] of orders.entries()) {
        for (const m of order) await store.countDelivery(BUSINESS, months[m] as string, `p.${i}`);
      }
      equal(await store.serviceCount(BUSINESS, "2026-10"), orders.length, "all in October");
      equal(await store.serviceCount(BUSINESS, "2026-11"), 0, "none in November");
      equal(await store.serviceCount(BUSINESS, "2026-12"), 0, "none in December");
    });

    test("OPEN-5: concurrent counts of one wamid in different months count it once, in the earliest", async (store) => {
      const months = ["2026-11", "2026-12", "2026-10"];
      const results = await Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          store.countDelivery(BUSINESS, months[i % 3] as string, "wamid.race"),
        ),
      );
      ok(results.some(Boolean), "some call counted");
      equal(await store.serviceCount(BUSINESS, "2026-10"), 1, "one count in October");
      equal(await store.serviceCount(BUSINESS, "2026-11"), 0, "none in November");
      equal(await store.serviceCount(BUSINESS, "2026-12"), 0, "none in December");
    });

    test("OPEN-5: concurrent calls for many wamids with two months end in the earliest month", async (store) => {
      const rnd = seededRandom(10);
      await store.countDelivery(BUSINESS, "2026-11", "stays.1");
      await store.countDelivery(BUSINESS, "2026-10", "stays.2");
      const calls: (readonly [string, string])[] = [];
      for (let i = 0; i < 24; i++) {
        for (let r = 0; r < 3; r++) {
          calls.push(["2026-11", `two.${i}`], ["2026-10", `two.${i}`]);
        }
      }
      // A seeded shuffle, so the later month comes first for some wamids and last for others.
      for (let i = calls.length - 1; i > 0; i--) {
        const j = Math.floor(rnd() * (i + 1));
        [calls[i], calls[j]] = [
          calls[j] as (typeof calls)[number],
          calls[i] as (typeof calls)[number],
        ];
      }
      await Promise.all(calls.map(([m, w]) => store.countDelivery(BUSINESS, m, w)));
      equal(await store.serviceCount(BUSINESS, "2026-10"), 25, "October: 24 moved or counted + 1");
      equal(await store.serviceCount(BUSINESS, "2026-11"), 1, "November: only the one that stays");
      for (let i = 0; i < 24; i++) {
        equal(
          await store.countDelivery(BUSINESS, "2026-10", `two.${i}`),
          false,
          `two.${i} settled`,
        );
      }
    });

    test("OPEN-5: concurrent counts of the same wamids count each once", async (store) => {
      const wamids = Array.from({ length: 20 }, (_, i) => `wamid.${i}`);
      const calls = wamids.flatMap((w) =>
        Array.from({ length: 5 }, () => store.countDelivery(BUSINESS, "2026-11", w)),
      );
      const results = await Promise.all(calls);
      equal(results.filter(Boolean).length, 20, "calls that counted");
      equal(await store.serviceCount(BUSINESS, "2026-11"), 20, "count");
    });

    test("TPL-7: the catalog keeps the latest category, older-then-newer", async (store) => {
      await store.putTemplate({ name: "t", category: "utility", at: 100 });
      await store.putTemplate({ name: "t", category: "marketing", at: 200 });
      equal(await store.readCatalog(), [{ name: "t", category: "marketing", at: 200 }], "catalog");
    });

    test("TPL-7: the catalog keeps the latest category, newer-then-older", async (store) => {
      await store.putTemplate({ name: "t", category: "marketing", at: 200 });
      await store.putTemplate({ name: "t", category: "utility", at: 100 });
      await store.putTemplate({ name: "u", category: "authentication", at: 50 });
      const catalog = [...(await store.readCatalog())].sort((a, b) => (a.name < b.name ? -1 : 1));
      equal(
        catalog,
        [
          { name: "t", category: "marketing", at: 200 },
          { name: "u", category: "authentication", at: 50 },
        ],
        "catalog",
      );
    });

    test("TPL-7: equal instants resolve to the greater category whatever the order", async (store) => {
      await store.putTemplate({ name: "a", category: "utility", at: 100 });
      await store.putTemplate({ name: "a", category: "marketing", at: 100 });
      await store.putTemplate({ name: "b", category: "marketing", at: 100 });
      await store.putTemplate({ name: "b", category: "utility", at: 100 });
      const catalog = [...(await store.readCatalog())].sort((a, b) => (a.name < b.name ? -1 : 1));
      equal(
        catalog.map((e) => e.category),
        ["utility", "utility"],
        "tie-break by category code-unit order",
      );
    });

    test("CSW-4: older-then-newer and newer-then-older event writes end in the same state", async (store) => {
      const events = generateEvents({ seed: 3, count: 60, customers: ["o"] }).sort(
        (a, b) => a.at - b.at,
      );
      const forward = key("forward");
      const backward = key("backward");
      for (const e of events) await updateThread(store, forward, (s) => foldEvent(s, e), fast);
      for (const e of [...events].reverse()) {
        await updateThread(store, backward, (s) => foldEvent(s, e), fast);
      }
      const expected = foldEvents(emptyState(), events);
      equal(decodeState((await store.readThread(forward))?.state), expected, "older then newer");
      equal(decodeState((await store.readThread(backward))?.state), expected, "newer then older");
    });

    test("CSW-4: replaying the same events changes nothing, not even the version", async (store) => {
      const events = generateEvents({ seed: 4, count: 30, customers: ["r"] });
      const first = await updateThread(store, key("r"), (s) => foldEvents(s, events), fast);
      const again = await updateThread(store, key("r"), (s) => foldEvents(s, events), fast);
      ok(first.changed && !again.changed, "the replay wrote nothing");
      equal((await store.readThread(key("r")))?.version, 1, "version after replay");
    });

    test("concurrent inserts at version 0: exactly one wins", async (store) => {
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          store.writeThread(key("race"), { state: withOutbound(i) }, 0),
        ),
      );
      equal(results.filter(Boolean).length, 1, "winners");
      equal((await store.readThread(key("race")))?.version, 1, "version");
    });

    test(`concurrent writers: ${writers} parallel CAS loops on one thread equal the sequential fold`, async (store) => {
      const k = key("hot");
      const batches = Array.from({ length: writers }, (_, w) =>
        generateEvents({ seed: 100 + w, count: perWriter, customers: ["hot"] }),
      );
      const results = await Promise.all(
        batches.map(async (events) => {
          let changed = 0;
          for (const e of events) {
            if ((await updateThread(store, k, (s) => foldEvent(s, e), fast)).changed) changed++;
          }
          return changed;
        }),
      );
      const row = await store.readThread(k);
      equal(decodeState(row?.state), foldEvents(emptyState(), batches.flat()), "final state");
      equal(
        row?.version,
        results.reduce((a, b) => a + b, 0),
        "one version per successful write (no lost update)",
      );
    });

    test(`concurrent writers: ${writers} parallel CAS loops on many threads equal the per-thread fold`, async (store) => {
      const customers = ["m0", "m1", "m2", "m3", "m4"];
      const batches = Array.from({ length: writers }, (_, w) =>
        generateEvents({ seed: 200 + w, count: perWriter, customers }),
      );
      await Promise.all(
        batches.map(async (events) => {
          for (const e of events) {
            await updateThread(store, key(e.thread.customer), (s) => foldEvent(s, e), fast);
          }
        }),
      );
      for (const c of customers) {
        const expected = foldEvents(
          emptyState(),
          batches.flat().filter((e) => e.thread.customer === c),
        );
        equal(decodeState((await store.readThread(key(c)))?.state), expected, `thread ${c}`);
      }
    });

    test("the retry loop gives up with StoreConflictError when every write loses", async (store) => {
      // A writer that always races: another write lands between its read and its write.
      let attempts = 0;
      let error: unknown;
      try {
        await casLoop(
          async () => {
            attempts++;
            const row = await store.readThread(key("busy"));
            const v = row?.version ?? 0;
            ok(
              await store.writeThread(key("busy"), { state: emptyState() }, v),
              "interloper write",
            );
            const won = await store.writeThread(key("busy"), { state: emptyState() }, v);
            return won ? { done: true, value: v } : { done: false };
          },
          { maxAttempts: 3, sleep: async () => {} },
        );
      } catch (e) {
        error = e;
      }
      ok(
        (error as { code?: string } | undefined)?.code === "store-conflict",
        "store-conflict error",
      );
      equal(attempts, 3, "attempts");
    });

    test("a stored state with an unknown schema version is a typed error on read", async (store) => {
      ok(await store.writeThread(key("future"), { state: { v: 99 } }, 0), "insert");
      let error: unknown;
      try {
        await updateThread(store, key("future"), (s) => s, fast);
      } catch (e) {
        error = e;
      }
      ok(error instanceof StoredStateError, "StoredStateError");
      equal((error as StoredStateError).field, "state.v", "field");
      equal((await store.readThread(key("future")))?.state, { v: 99 }, "row untouched");
    });
  });
}
