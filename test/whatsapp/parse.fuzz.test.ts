import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { InvalidInputError } from "../../src/domain/errors.js";
import type { CareEvent } from "../../src/domain/types.js";
import { parseWebhook } from "../../src/whatsapp/parse.js";
import { toInstant } from "../../src/whatsapp/time.js";
import { FIXTURES, fixture } from "./helpers.js";

const RUNS = 10_000;
/**
 * Every property runs all its runs (no time budget: a timed unit test fails on a loaded machine
 * and says nothing about speed; parse speed is measured in bench/). Generous test timeouts below.
 */
const params = { numRuns: RUNS };

/** Runs parseWebhook; returns the result, or the error if it is the one allowed typed error. */
function safeParse(body: unknown): ReturnType<typeof parseWebhook> | InvalidInputError {
  try {
    return parseWebhook(body, { dropTestPayloads: false });
  } catch (e) {
    if (
      e instanceof InvalidInputError &&
      (e.code === "invalid-json" || e.code === "invalid-body")
    ) {
      return e;
    }
    throw e;
  }
}

const isValidInstant = (at: unknown): boolean =>
  typeof at === "number" && Number.isFinite(at) && !Number.isNaN(new Date(at).getTime());

function assertWellFormed(events: readonly CareEvent[]): void {
  for (const e of events) {
    if (!isValidInstant(e.at)) throw new Error(`invalid at in ${JSON.stringify(e)}`);
    if (e.kind === "status" && e.conversationExpiresAt !== undefined) {
      if (!isValidInstant(e.conversationExpiresAt))
        throw new Error("invalid conversationExpiresAt");
    }
    if ("thread" in e && (typeof e.thread.customer !== "string" || e.thread.customer === "")) {
      throw new Error(`empty customer in ${JSON.stringify(e)}`);
    }
  }
}

// --- Arbitraries -------------------------------------------------------------------------------

const FIELDS = [
  "messages",
  "calls",
  "user_preferences",
  "user_id_update",
  "smb_message_echoes",
  "template_category_update",
  "message_template_status_update",
  "account_update",
  "__proto__",
  "constructor",
] as const;

/** Mostly `good`, sometimes `bad`: keeps the generator on the event-producing paths. */
const mostly = <T, U>(good: fc.Arbitrary<T>, bad: fc.Arbitrary<U>) =>
  fc.oneof({ arbitrary: good, weight: 6 }, { arbitrary: bad, weight: 1 });

const timestamp = fc.oneof(
  { arbitrary: fc.integer({ min: 0, max: 2_000_000_000 }).map(String), weight: 3 },
  { arbitrary: fc.integer({ min: -5, max: 2_000_000_000 }), weight: 2 },
  fc.double(),
  fc.string({ maxLength: 4 }),
  fc.constantFrom(
    "1e400",
    "9".repeat(30),
    "1749416383.5",
    " 1",
    "0x10",
    null,
    1e300,
    Number.MAX_VALUE,
    8.64e12,
    "8640000000000.5",
  ),
);

const word = fc.oneof(
  fc.string({ maxLength: 4 }),
  fc.constantFrom(
    "wamid.A",
    "ABGGFlA5Fpa",
    "1",
    "0",
    "123456123",
    "BR.1",
    "text",
    "image",
    "interactive",
    "reaction",
    "system",
    "unsupported",
    "poll_update",
    "sent",
    "failed",
    "ACCEPTED",
    "RINGING",
    "call",
    "group",
    "connect",
    "terminate",
    "answer",
    "offer",
    "USER_INITIATED",
    "BUSINESS_INITIATED",
    "marketing_messages",
    "stop",
    "resume",
    "MARKETING",
    "UTILITY",
    "user_changed_number",
    "user_changed_user_id",
    "template",
    "__proto__",
    "constructor",
    "toString",
    "hasOwnProperty",
  ),
);

const leaf = fc.oneof(word, timestamp, fc.boolean(), fc.constant(null));

const KEYS = [
  "id",
  "timestamp",
  "type",
  "from",
  "from_user_id",
  "group_id",
  "status",
  "recipient_id",
  "recipient_user_id",
  "event",
  "direction",
  "to",
  "category",
  "value",
  "wa_id",
  "user_id",
  "code",
  "__proto__",
  "constructor",
] as const;

const { node: anyNode } = fc.letrec<{ node: unknown }>((tie) => ({
  node: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    leaf,
    fc.dictionary(fc.constantFrom(...KEYS), tie("node"), { maxKeys: 5 }),
    fc.array(tie("node"), { maxLength: 3 }),
  ),
}));

/** Items that are nearly valid: the right keys with plausible or broken values. */
const item = fc.oneof(
  { arbitrary: anyNode, weight: 1 },
  {
    arbitrary: fc.record(
      {
        id: word,
        timestamp,
        type: word,
        from: word,
        from_user_id: word,
        group_id: word,
        text: fc.oneof(fc.record({ body: word }), leaf),
        interactive: fc.oneof(fc.record({ type: word }), leaf),
        referral: fc.oneof(
          fc.record({ source_type: word, source_id: word }, { requiredKeys: [] }),
          leaf,
        ),
        system: fc.record(
          { type: word, wa_id: word, new_wa_id: word, user_id: word, previous_user_id: word },
          { requiredKeys: [] },
        ),
        status: word,
        recipient_id: word,
        recipient_user_id: word,
        recipient_type: word,
        pricing: fc.oneof(
          fc.record(
            { pricing_model: word, type: word, category: word, billable: fc.boolean() },
            { requiredKeys: [] },
          ),
          leaf,
        ),
        conversation: fc.record(
          { id: word, expiration_timestamp: timestamp, origin: fc.record({ type: word }) },
          { requiredKeys: [] },
        ),
        errors: fc.array(
          fc.record(
            { code: fc.oneof(fc.integer(), word, fc.double()), title: word },
            { requiredKeys: [] },
          ),
          {
            maxLength: 2,
          },
        ),
        event: word,
        direction: word,
        session: fc.record({ sdp_type: word }),
        to: word,
        to_user_id: word,
        category: word,
        value: word,
        wa_id: word,
        user_id: fc.oneof(word, fc.record({ previous: word, current: word }, { requiredKeys: [] })),
      },
      { requiredKeys: [] },
    ),
    weight: 4,
  },
);

const value = fc.record(
  {
    metadata: mostly(
      fc.constantFrom(
        { phone_number_id: "106540352242922", display_phone_number: "15550783881" },
        { phone_number_id: "123456123" },
      ),
      anyNode,
    ),
    contacts: mostly(fc.array(item, { maxLength: 3 }), leaf),
    messages: mostly(fc.array(item, { maxLength: 4 }), leaf),
    statuses: fc.array(item, { maxLength: 4 }),
    calls: fc.array(item, { maxLength: 3 }),
    user_preferences: fc.array(item, { maxLength: 3 }),
    user_id_update: fc.array(item, { maxLength: 2 }),
    message_echoes: fc.array(item, { maxLength: 2 }),
    errors: fc.oneof(fc.array(item, { maxLength: 2 }), leaf),
    new_category: word,
    previous_category: word,
    correct_category: word,
    message_template_name: word,
    message_template_category: word,
    event: word,
  },
  { requiredKeys: [] },
);

const envelope = fc.record(
  {
    object: mostly(fc.constant("whatsapp_business_account"), leaf),
    entry: mostly(
      fc.array(
        mostly(
          fc.record(
            {
              id: word,
              time: timestamp,
              changes: mostly(
                fc.array(mostly(fc.record({ field: fc.constantFrom(...FIELDS), value }), anyNode), {
                  maxLength: 3,
                }),
                leaf,
              ),
            },
            { requiredKeys: ["changes"] },
          ),
          anyNode,
        ),
        { maxLength: 3 },
      ),
      leaf,
    ),
  },
  { requiredKeys: ["object", "entry"] },
);

// --- Properties --------------------------------------------------------------------------------

describe("parseWebhook fuzzing (≥ 10,000 runs per property)", { timeout: 300_000 }, () => {
  it("never throws on any JSON value except the typed invalid-body error for non-objects", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (json) => {
        const out = safeParse(json);
        const isObject = typeof json === "object" && json !== null && !Array.isArray(json);
        // A string is the raw body text, so it may also be invalid JSON.
        if (out instanceof InvalidInputError) {
          return !isObject && (out.code === "invalid-body" || typeof json === "string");
        }
        assertWellFormed(out.events);
        return isObject;
      }),
      params,
    );
  });

  it("never throws on any string or bytes except the typed invalid-json / invalid-body errors", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.jsonValue().map((v) => JSON.stringify(v)),
          fc.uint8Array({ maxLength: 64 }),
        ),
        (raw) => {
          const out = safeParse(raw);
          if (!(out instanceof InvalidInputError)) assertWellFormed(out.events);
        },
      ),
      params,
    );
  });

  it("CSW-3: never throws and never returns an event with an invalid instant on webhook-shaped bodies", () => {
    let withEvents = 0;
    fc.assert(
      fc.property(envelope, (body) => {
        const out = parseWebhook(body, { dropTestPayloads: false });
        if (out.events.length > 0) withEvents++;
        assertWellFormed(out.events);
        for (const issue of out.issues) {
          if (typeof issue.path !== "string" || typeof issue.code !== "string") return false;
        }
        return true;
      }),
      params,
    );
    // The generator must reach the event-producing paths, not only the rejections.
    expect(withEvents).toBeGreaterThan(RUNS / 100);
  });

  it("payloads.md §12.9: random invalid items inserted beside valid ones never drop a valid item's events", () => {
    const originals = FIXTURES.map((name) => JSON.parse(fixture(name)) as unknown);
    const expected = originals.map((body) => parseWebhook(body, { dropTestPayloads: false }));
    const expectedEvents = expected.map((r) => JSON.stringify(r.events));
    const badTimestamp = fc.oneof(
      fc.constantFrom("yesterday", "", "-1", "1e9", null, -1, Number.NaN, true),
      fc.string({ maxLength: 6 }).filter((t) => toInstant(t) === undefined),
    );
    // Items that are invalid for every item schema: non-objects, a non-string id, or a broken
    // timestamp on an otherwise complete item.
    const invalid = fc.oneof(
      fc.constantFrom(null, 0, "x", true, [] as unknown[]),
      fc.record({
        id: fc.integer(),
        timestamp: fc.constant("1763990000"),
        type: fc.constant("text"),
      }),
      badTimestamp.map((timestamp) => ({
        id: "wamid.BAD",
        timestamp,
        type: "text",
        text: { body: "x" },
        from: "1",
        status: "sent",
        recipient_id: "1",
        event: "connect",
        direction: "USER_INITIATED",
        category: "marketing_messages",
        value: "stop",
        wa_id: "1",
        user_id: { previous: "A", current: "B" },
      })),
    );
    const invalidContact = fc.constantFrom(
      null,
      1,
      "c",
      { wa_id: 5 },
      { user_id: [] },
      { profile: "x" },
    );
    const ARRAYS = [
      "messages",
      "statuses",
      "calls",
      "user_preferences",
      "user_id_update",
      "message_echoes",
      "contacts",
    ];
    fc.assert(
      fc.property(
        fc.nat({ max: originals.length - 1 }),
        fc.array(fc.tuple(fc.nat(), fc.nat(), invalid, invalidContact), {
          minLength: 1,
          maxLength: 6,
        }),
        (index, insertions) => {
          const body = structuredClone(originals[index]) as {
            entry: { changes: { value: Record<string, unknown> }[] }[];
          };
          const arrays: unknown[][] = [];
          const isContacts: boolean[] = [];
          for (const entry of body.entry) {
            for (const change of entry.changes) {
              for (const key of ARRAYS) {
                const a = change.value[key];
                if (Array.isArray(a)) {
                  arrays.push(a);
                  isContacts.push(key === "contacts");
                }
              }
            }
          }
          if (arrays.length === 0) return true;
          for (const [which, position, bad, badContact] of insertions) {
            const k = which % arrays.length;
            const target = arrays[k]!;
            target.splice(position % (target.length + 1), 0, isContacts[k] ? badContact : bad);
          }
          const out = parseWebhook(body, { dropTestPayloads: false });
          if (JSON.stringify(out.events) !== expectedEvents[index]) {
            expect(out.events).toEqual(expected[index]!.events);
          }
          expect(out.issues.length).toBeGreaterThanOrEqual(
            expected[index]!.issues.length + insertions.length,
          );
          return true;
        },
      ),
      params,
    );
  });

  it("__proto__ / constructor keys change nothing and pollute nothing", () => {
    const originals = FIXTURES.map((name) => JSON.parse(fixture(name)) as unknown);
    const expected = originals.map((body) => parseWebhook(body, { dropTestPayloads: false }));
    const expectedJson = expected.map((r) => JSON.stringify(r));
    const poison = fc.oneof(
      fc.jsonValue({ maxDepth: 2 }),
      fc.constant({
        type: "text",
        from: "EVIL",
        group_id: "EVIL",
        referral: { source_type: "ad" },
        interactive: { type: "evil" },
        pricing: { pricing_model: "EVIL" },
        errors: [{ code: 131047 }],
        entry: [],
        metadata: { phone_number_id: "EVIL" },
      }),
    );
    /** Serialises `v` with `__proto__` and `constructor` keys injected into every object. */
    function inject(v: unknown, p: string, c: string): string {
      if (Array.isArray(v)) return `[${v.map((x) => inject(x, p, c)).join(",")}]`;
      if (typeof v === "object" && v !== null) {
        const members = Object.entries(v).map(
          ([k, x]) => `${JSON.stringify(k)}:${inject(x, p, c)}`,
        );
        return `{"__proto__":${p},"constructor":${c}${members.length ? "," : ""}${members.join(",")}}`;
      }
      return JSON.stringify(v);
    }
    fc.assert(
      fc.property(fc.nat({ max: originals.length - 1 }), poison, poison, (index, p, c) => {
        const text = inject(originals[index], JSON.stringify(p), JSON.stringify(c));
        const fromText = parseWebhook(text, { dropTestPayloads: false });
        const fromJson = parseWebhook(JSON.parse(text), { dropTestPayloads: false });
        // Events, issues, ignored and test are identical (JSON comparison: order-sensitive, fast).
        if (JSON.stringify(fromText) !== expectedJson[index])
          expect(fromText).toEqual(expected[index]);
        if (JSON.stringify(fromJson) !== expectedJson[index])
          expect(fromJson).toEqual(expected[index]);
        for (const e of fromText.events) {
          expect(Object.getPrototypeOf(e)).toBe(Object.prototype);
          if ("thread" in e) expect(Object.getPrototypeOf(e.thread)).toBe(Object.prototype);
        }
        expect(({} as Record<string, unknown>).type).toBeUndefined();
        expect(({} as Record<string, unknown>).from).toBeUndefined();
        return true;
      }),
      params,
    );
  });

  it("field / type values named like Object.prototype members are not handlers or schemas", () => {
    const r = parseWebhook({
      object: "whatsapp_business_account",
      entry: [
        {
          id: "1",
          changes: [
            { field: "constructor", value: {} },
            { field: "toString", value: {} },
            { field: "__proto__", value: {} },
            {
              field: "messages",
              value: {
                metadata: { phone_number_id: "1" },
                messages: [
                  { id: "wamid.C", timestamp: "1763990000", type: "constructor", from: "2" },
                  { id: "wamid.D", timestamp: "1763990000", type: "hasOwnProperty", from: "2" },
                ],
              },
            },
          ],
        },
      ],
    });
    expect(r.ignored).toBe(3);
    expect(r.events.map((e) => (e.kind === "inbound" ? e.type : e.kind))).toEqual([
      "constructor",
      "hasOwnProperty",
    ]);
    expect(r.issues.map((i) => i.code)).toEqual(["unknown-type", "unknown-type"]);
  });
});

describe("payloads.md §1.3: a 3 MB body with 1,000 updates", () => {
  it("parses every update", () => {
    const padding = "x".repeat(2_900);
    const entries = [];
    let n = 0;
    for (let e = 0; e < 10; e++) {
      const changes = [];
      for (let c = 0; c < 10; c++) {
        const messages = [];
        const statuses = [];
        for (let m = 0; m < 5; m++) {
          n++;
          messages.push({
            from: `55119${String(n).padStart(8, "0")}`,
            id: `wamid.M${n}`,
            timestamp: String(1_763_990_000 + n),
            type: "text",
            text: { body: padding },
          });
          n++;
          statuses.push({
            id: `wamid.S${n}`,
            status: "delivered",
            timestamp: String(1_763_990_000 + n),
            recipient_id: `55119${String(n).padStart(8, "0")}`,
            biz_opaque_callback_data: padding,
          });
        }
        changes.push({
          field: "messages",
          value: {
            messaging_product: "whatsapp",
            metadata: { phone_number_id: `10654035224292${e}` },
            messages,
            statuses,
          },
        });
      }
      entries.push({ id: "102290129340398", changes });
    }
    const text = JSON.stringify({ object: "whatsapp_business_account", entry: entries });
    expect(text.length).toBeGreaterThan(3_000_000);
    const bytes = new TextEncoder().encode(text);
    const started = performance.now();
    const r = parseWebhook(bytes);
    const elapsed = performance.now() - started;
    expect(r.issues).toEqual([]);
    expect(r.events).toHaveLength(1_000);
    expect(r.events.filter((e) => e.kind === "inbound")).toHaveLength(500);
    expect(r.events.filter((e) => e.kind === "status")).toHaveLength(500);
    expect(elapsed).toBeLessThan(2_000);
  });
});
