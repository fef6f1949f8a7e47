/**
 * Every lookup table of the WhatsApp edge (message schemas by type, handled fields, item keys,
 * template categories, call directions, Direct Send categories, the host catalog) must treat
 * Object.prototype keys — `constructor`, `__proto__`, `toString`, … — as the unknown strings they
 * are, never as table entries.
 */
import * as fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { CareEvent } from "../../src/domain/types.js";
import { normalizeEvents } from "../../src/service/validate.js";
import { classifySend, intentFromSend } from "../../src/whatsapp/classify.js";
import { parseWebhook } from "../../src/whatsapp/parse.js";
import { BIZ, WABA } from "./helpers.js";

const PROTO_KEYS = [
  "constructor",
  "toString",
  "__proto__",
  "hasOwnProperty",
  "valueOf",
  "isPrototypeOf",
  "propertyIsEnumerable",
  "toLocaleString",
  "__defineGetter__",
  "__lookupGetter__",
] as const;
const proto = fc.constantFrom(...PROTO_KEYS);
/** A prototype key, or an ordinary value, so both branches of each lookup run. */
const or = <T>(ok: fc.Arbitrary<T>) => fc.oneof(proto, ok);

/** No function, symbol or prototype object anywhere in an event; kinds and types are strings. */
function plain(value: unknown, path = "event"): string | undefined {
  if (value === null) return undefined;
  const t = typeof value;
  if (t === "function" || t === "symbol" || t === "bigint") return `${path} is a ${t}`;
  if (t !== "object") return undefined;
  const proto = Object.getPrototypeOf(value);
  if (!Array.isArray(value) && proto !== Object.prototype && proto !== null) {
    return `${path} is not a plain object`;
  }
  for (const [k, v] of Object.entries(value as object)) {
    const why = plain(v, `${path}.${k}`);
    if (why !== undefined) return why;
  }
  return undefined;
}

function check(events: readonly CareEvent[]): void {
  for (const e of events) {
    const why = plain(e);
    if (why !== undefined) expect.fail(`${why}: ${JSON.stringify(e)}`);
  }
  // What the service stores: every event must pass its validation (ingest never throws).
  expect(() => normalizeEvents(events)).not.toThrow();
}

const ts = fc.constantFrom("1763990000", 1763990000);
const metadata = { display_phone_number: "15550783881", phone_number_id: BIZ };

const message = fc.record({
  id: or(fc.constant("wamid.A")),
  from: or(fc.constant("5511987654321")),
  timestamp: ts,
  type: or(fc.constantFrom("text", "interactive", "system", "button")),
  text: fc.record({ body: or(fc.string()) }),
  interactive: fc.record({ type: proto }),
  system: fc.record({ type: or(fc.constant("user_changed_user_id")), user_id: proto }),
  referral: fc.record({ source_type: proto, source_id: proto }, { requiredKeys: [] }),
});
const status = fc.record({
  id: or(fc.constant("wamid.OUT")),
  status: or(fc.constantFrom("sent", "failed")),
  timestamp: ts,
  recipient_id: or(fc.constant("5511987654321")),
  recipient_type: or(fc.constant("group")),
  pricing: fc.record(
    { category: proto, type: proto, pricing_model: proto, billable: or(fc.boolean()) },
    { requiredKeys: [] },
  ),
  conversation: fc.record({ id: proto, origin: fc.record({ type: proto }) }, { requiredKeys: [] }),
  errors: fc.array(fc.record({ code: or(fc.constant(131047)) }), { maxLength: 2 }),
});
const call = fc.record({
  id: or(fc.constant("wacid.1")),
  event: or(fc.constant("connect")),
  direction: or(fc.constantFrom("USER_INITIATED", "BUSINESS_INITIATED")),
  timestamp: ts,
  from: or(fc.constant("5511987654321")),
  to: or(fc.constant("15550783881")),
  session: fc.record({ sdp_type: or(fc.constant("offer")) }),
});
const callStatus = fc.record({
  id: or(fc.constant("wacid.2")),
  type: or(fc.constant("call")),
  status: or(fc.constant("ACCEPTED")),
  timestamp: ts,
  recipient_id: or(fc.constant("5511987654321")),
});
const preference = fc.record({
  wa_id: or(fc.constant("5511987654321")),
  category: or(fc.constant("marketing_messages")),
  value: or(fc.constantFrom("stop", "resume")),
  timestamp: ts,
});
const template = fc.record(
  {
    message_template_name: or(fc.constant("order_update")),
    new_category: or(fc.constant("MARKETING")),
    previous_category: or(fc.constant("UTILITY")),
    message_template_category: or(fc.constant("UTILITY")),
    event: or(fc.constant("APPROVED")),
  },
  { requiredKeys: [] },
);

const FIELDS = [
  "messages",
  "calls",
  "user_preferences",
  "user_id_update",
  "smb_message_echoes",
  "template_category_update",
  "message_template_status_update",
] as const;

const change = fc.record({
  field: or(fc.constantFrom(...FIELDS)),
  extraKey: proto,
  value: fc.record({
    messages: fc.array(message, { maxLength: 2 }),
    statuses: fc.array(fc.oneof(status, callStatus), { maxLength: 2 }),
    calls: fc.array(call, { maxLength: 2 }),
    user_preferences: fc.array(preference, { maxLength: 2 }),
    contacts: fc.array(fc.record({ wa_id: proto, user_id: proto }), { maxLength: 1 }),
    template,
  }),
});

describe("lookup tables ignore Object.prototype keys (WhatsApp)", () => {
  it("fuzz: prototype keys as object, field, message / interactive / system type, status, call direction, preference, template category never throw, and every event is storable", () => {
    fc.assert(
      fc.property(
        or(fc.constant("whatsapp_business_account")),
        fc.array(change, { maxLength: 3 }),
        (object, changes) => {
          const body = JSON.parse(
            JSON.stringify({
              object,
              entry: [
                {
                  id: WABA,
                  time: 1763990000,
                  changes: changes.map(({ field, extraKey, value }) => ({
                    field,
                    value: {
                      [extraKey]: [{}],
                      messaging_product: "whatsapp",
                      metadata,
                      ...value,
                      ...value.template,
                    },
                  })),
                },
              ],
            }),
          );
          const r = parseWebhook(body);
          check(r.events);
          for (const issue of r.issues) expect(typeof issue.message).toBe("string");
        },
      ),
      { numRuns: 400 },
    );
  });

  it("a message type named after a prototype key is an unknown type with an inbound event of that type", () => {
    for (const type of PROTO_KEYS) {
      const r = parseWebhook(
        JSON.stringify({
          object: "whatsapp_business_account",
          entry: [
            {
              id: WABA,
              changes: [
                {
                  field: "messages",
                  value: {
                    metadata,
                    messages: [
                      { from: "5511987654321", id: `wamid.${type}`, timestamp: "1763990000", type },
                    ],
                  },
                },
              ],
            },
          ],
        }),
      );
      expect(r.events).toEqual([
        {
          kind: "inbound",
          id: `wamid.${type}`,
          type,
          at: 1_763_990_000_000,
          thread: { business: BIZ, customer: "5511987654321" },
        },
      ]);
      expect(r.issues.map((i) => i.code)).toEqual(["unknown-type"]);
      check(r.events);
    }
  });

  it("fuzz: classifySend with prototype keys as type, category, template name, catalog entries and recipient_type", () => {
    fc.assert(
      fc.property(
        fc.record(
          {
            to: or(fc.constant("5511987654321")),
            recipient: or(fc.constant("US.1")),
            recipient_type: proto,
            type: or(fc.constantFrom("template", "text", "interactive", "hsm")),
            category: or(fc.constantFrom("utility", "authentication")),
            status: proto,
            template: fc.record({ name: proto, language: fc.record({ code: proto }) }),
            hsm: fc.record({ element_name: proto }),
            interactive: fc.record({ type: proto }),
          },
          { requiredKeys: [] },
        ),
        proto,
        fc.constantFrom(undefined, "messages", "marketing_messages"),
        (raw, catalogKey, endpoint) => {
          const body = JSON.parse(JSON.stringify(raw)) as Record<string, unknown>;
          const catalog = JSON.parse(`{${JSON.stringify(catalogKey)}: "utility"}`);
          const c = classifySend(
            body,
            endpoint === undefined ? { catalog } : { catalog, endpoint },
          );
          const why = plain(c, "classification");
          if (why !== undefined) expect.fail(why);
          if (c.kind === "template") {
            expect(["marketing", "utility", "authentication", "unknown"]).toContain(c.category);
            // Only an own catalog entry names a category: a prototype name found only on
            // Object.prototype is unknown.
            const name = c.name;
            if (name !== undefined && name !== catalogKey && endpoint !== "marketing_messages") {
              expect(c.category).toBe("unknown");
            }
          }
          const intent = intentFromSend(c);
          if (intent !== null) expect(typeof intent.kind).toBe("string");
        },
      ),
      { numRuns: 400 },
    );
  });
});
