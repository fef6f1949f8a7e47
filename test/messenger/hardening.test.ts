/**
 * Review findings on the Messenger / Instagram edge: malformed postback parts, the millisecond
 * bound, prototype keys in lookup tables.
 */
import * as fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { InboundEvent } from "../../src/domain/types.js";
import { messengerInstant, parseMessengerWebhook } from "../../src/messenger/index.js";
import { normalizeEvents } from "../../src/service/validate.js";
import { PAGE, PSID } from "./helpers.js";

const T0 = 1_795_683_600_000;
const thread = { channel: "messenger" as const, business: PAGE, customer: PSID };

const page = (items: unknown[], object = "page") => ({
  object,
  entry: [{ id: PAGE, time: T0 + 500, messaging: items }],
});
const envelope = (extra: Record<string, unknown>) => ({
  sender: { id: PSID },
  recipient: { id: PAGE },
  timestamp: T0,
  ...extra,
});
const pathsOf = (r: ReturnType<typeof parseMessengerWebhook>) =>
  r.issues.map((i) => [i.path, i.code]);

/** Keys that live on Object.prototype: a plain-object lookup table would "find" them. */
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

describe("MSG-1: a malformed postback part never drops the postback (payloads: Messenger postback)", () => {
  const postback = (pb: Record<string, unknown>) =>
    parseMessengerWebhook(
      page([envelope({ postback: { mid: "m_pb", title: "Get Started", ...pb } })]),
    );
  const event: InboundEvent = {
    kind: "inbound",
    id: "m_pb",
    type: "postback",
    action: "postback",
    at: T0,
    thread,
  };

  it("MSG-1 / MSG-2: a postback.referral with a malformed ads_context_data keeps the postback, without referral, plus an invalid-content issue", () => {
    const r = postback({
      payload: "GET_STARTED",
      referral: {
        source: "ADS",
        type: "OPEN_THREAD",
        ad_id: "123",
        ads_context_data: { ad_title: 42 },
      },
    });
    expect(r.events).toEqual([event]);
    expect(pathsOf(r)).toEqual([
      ["entry[0].messaging[0].postback.referral.ads_context_data.ad_title", "invalid-content"],
    ]);
  });

  it("MSG-1: an object payload keeps the postback (invalid-content); a valid referral next to it is kept", () => {
    const r = postback({ payload: { a: 1 }, referral: { source: "ADS", ad_id: 123 } });
    expect(r.events).toEqual([{ ...event, referral: { sourceType: "ad", sourceId: "123" } }]);
    expect(pathsOf(r)).toEqual([["entry[0].messaging[0].postback.payload", "invalid-content"]]);
  });

  it("MSG-1: a non-string mid falls back to a generated id; a postback that is not an object is an invalid-item", () => {
    const r = postback({ mid: 7, payload: "P" });
    expect(r.events).toEqual([{ ...event, id: `postback:${PSID}:${T0}` }]);
    const bad = parseMessengerWebhook(page([envelope({ postback: "tap" })]));
    expect(bad.events).toEqual([]);
    expect(pathsOf(bad)).toEqual([["entry[0].messaging[0].postback", "invalid-item"]]);
  });
});

describe("CSW-3 / MSG-1: Messenger timestamps are epoch milliseconds in [1e11, 1e14)", () => {
  it("CSW-3: a 10-digit seconds value is rejected, not read as January 1970", () => {
    expect(messengerInstant(1_795_683_600)).toBeUndefined();
    expect(messengerInstant("1795683600")).toBeUndefined();
    expect(messengerInstant(99_999_999_999)).toBeUndefined();
    expect(messengerInstant(100_000_000_000)).toBe(100_000_000_000);
    const r = parseMessengerWebhook(
      page([envelope({ timestamp: 1_795_683_600, message: { mid: "m_1", text: "hi" } })]),
    );
    expect(r.events).toEqual([]);
    expect(pathsOf(r)).toEqual([["entry[0].messaging[0].timestamp", "invalid-timestamp"]]);
  });

  it("CSW-3: a 16-digit microsecond value is rejected, not read as year 55,800", () => {
    expect(messengerInstant(1_795_683_600_000_000)).toBeUndefined();
    expect(messengerInstant("1795683600000000")).toBeUndefined();
    expect(messengerInstant(1e14)).toBeUndefined();
    expect(messengerInstant(99_999_999_999_999)).toBe(99_999_999_999_999);
  });
});

describe("lookup tables ignore Object.prototype keys (Messenger / Instagram)", () => {
  it("an attachment type 'constructor' / 'toString' / … stays that string, and every event is storable", () => {
    for (const type of PROTO_KEYS) {
      const r = parseMessengerWebhook(
        page([envelope({ message: { mid: `m_${type}`, attachments: [{ type, payload: {} }] } })]),
      );
      expect(r.events).toEqual([
        { kind: "inbound", id: `m_${type}`, type, action: "message", at: T0, thread },
      ]);
      expect(() => normalizeEvents(r.events)).not.toThrow();
    }
  });

  it("an empty attachment type becomes 'unknown', never an empty type", () => {
    const r = parseMessengerWebhook(
      page([envelope({ message: { mid: "m_e", attachments: [{ type: "", payload: {} }] } })]),
    );
    expect(r.events.map((e) => (e as InboundEvent).type)).toEqual(["unknown"]);
  });

  it("fuzz: prototype keys in object, attachment type, reaction action and item keys never throw and every event is storable", () => {
    const proto = fc.constantFrom(...PROTO_KEYS);
    const item = fc.record(
      {
        sender: fc.record({ id: fc.oneof(fc.constant(PSID), proto) }),
        recipient: fc.record({ id: fc.constant(PAGE) }),
        timestamp: fc.constant(T0),
        message: fc.record(
          {
            mid: fc.oneof(fc.constant("m_1"), proto),
            text: fc.oneof(fc.string(), proto),
            attachments: fc.array(fc.record({ type: proto, payload: fc.constant({}) }), {
              maxLength: 2,
            }),
            quick_reply: fc.record({ payload: proto }),
            referral: fc.record({ source: proto, ad_id: proto, type: proto }, { requiredKeys: [] }),
          },
          { requiredKeys: ["mid"] },
        ),
        postback: fc.record({ mid: proto, payload: proto, title: proto }, { requiredKeys: [] }),
        reaction: fc.record({ mid: proto, action: proto, reaction: proto }, { requiredKeys: [] }),
      },
      { requiredKeys: ["sender", "recipient", "timestamp"] },
    );
    fc.assert(
      fc.property(
        fc.oneof(fc.constantFrom("page", "instagram"), proto),
        fc.array(item, { maxLength: 4 }),
        proto,
        (object, items, key) => {
          const body = page(
            items.map((i) => JSON.parse(JSON.stringify({ ...i, [key]: {} }))),
            object,
          );
          const r = parseMessengerWebhook(body);
          for (const e of r.events) {
            expect(typeof (e as InboundEvent).type).toBe("string");
            expect(typeof (e as InboundEvent).id).toBe("string");
          }
          expect(() => normalizeEvents(r.events)).not.toThrow();
        },
      ),
      { numRuns: 300 },
    );
  });
});
