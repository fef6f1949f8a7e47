/**
 * Review findings on the WhatsApp edge: side fields that must not drop an item, millisecond
 * timestamps, calls keyed to the business's own number, quadratic deduplication, BSUID changes
 * without the old id, undated template notices.
 */
import { describe, expect, it } from "vitest";
import type { CareEvent, IdentityEvent, StatusEvent } from "../../src/domain/types.js";
import { parseWebhook } from "../../src/whatsapp/parse.js";
import { toInstant } from "../../src/whatsapp/time.js";
import { BIZ, s, th, WABA } from "./helpers.js";

const META = { display_phone_number: "15550783881", phone_number_id: BIZ };
const USER = "5511987654321";

/** A one-change body. */
function wrap(field: string, value: Record<string, unknown>, entry: Record<string, unknown> = {}) {
  return {
    object: "whatsapp_business_account",
    entry: [{ id: WABA, ...entry, changes: [{ field, value }] }],
  };
}
const messages = (items: unknown[], extra: Record<string, unknown> = {}) =>
  wrap("messages", { messaging_product: "whatsapp", metadata: META, ...extra, messages: items });
const statuses = (items: unknown[]) =>
  wrap("messages", { messaging_product: "whatsapp", metadata: META, statuses: items });
const text = (extra: Record<string, unknown>) => ({
  from: USER,
  id: "wamid.A",
  timestamp: "1763990000",
  type: "text",
  text: { body: "oi" },
  ...extra,
});
const inbound = (id: string, type = "text") => ({
  kind: "inbound" as const,
  id,
  type,
  at: s(1763990000),
  thread: th(USER),
});
const pathsOf = (r: ReturnType<typeof parseWebhook>) => r.issues.map((i) => [i.path, i.code]);
const M0 = "entry[0].changes[0].value.messages[0]";
const S0 = "entry[0].changes[0].value.statuses[0]";

describe("payloads §4.1 / §12.9: a malformed side field never drops an inbound message (CSW-1)", () => {
  it("FEP-6 / payloads §4.15: a referral without source_type keeps the message, without referral, plus an invalid-content issue", () => {
    const r = parseWebhook(
      messages([
        text({ referral: { source_url: "https://fb.me/x", source_id: "1", headline: "h" } }),
      ]),
    );
    expect(r.events).toEqual([inbound("wamid.A")]);
    expect(pathsOf(r)).toEqual([[`${M0}.referral.source_type`, "invalid-content"]]);
  });

  it("payloads §4.1: a context whose id is a number keeps the message (invalid-content)", () => {
    const r = parseWebhook(messages([text({ context: { from: "15550783881", id: 12345 } })]));
    expect(r.events).toEqual([inbound("wamid.A")]);
    expect(pathsOf(r)).toEqual([[`${M0}.context.id`, "invalid-content"]]);
  });

  it("payloads §4.14: an errors[] entry without code keeps the unsupported message (invalid-content)", () => {
    const r = parseWebhook(
      messages([
        {
          from: USER,
          id: "wamid.C",
          timestamp: "1763990000",
          type: "unsupported",
          errors: [{ title: "Message type unknown" }],
        },
      ]),
    );
    expect(r.events).toEqual([inbound("wamid.C", "unsupported")]);
    expect(pathsOf(r)).toEqual([[`${M0}.errors[0].code`, "invalid-content"]]);
  });

  it("payloads §4.1: a malformed identity or from_logical_id keeps the message", () => {
    const r = parseWebhook(
      messages([
        text({ identity: "not-an-object" }),
        text({ id: "wamid.B", from_logical_id: 42, from_parent_user_id: 7 }),
      ]),
    );
    expect(r.events).toEqual([inbound("wamid.A"), inbound("wamid.B")]);
    expect(r.issues.map((i) => i.code)).toEqual([
      "invalid-content",
      "invalid-content",
      "invalid-content",
    ]);
    expect(r.issues.map((i) => i.path.replace(/^.*messages\[\d\]\./, ""))).toEqual([
      "identity",
      "from_parent_user_id",
      "from_logical_id",
    ]);
  });

  it("FEP-6 / payloads §4.15: a valid referral next to a malformed content object is kept, and the content issue is reported once", () => {
    const referral = { source_type: "ad", source_id: "120226305854810726", ctwa_clid: "Aff" };
    const r = parseWebhook(messages([text({ text: { body: 5 }, referral })]));
    expect(r.events).toEqual([
      {
        ...inbound("wamid.A"),
        referral: { sourceType: "ad", sourceId: "120226305854810726", ctwaClid: "Aff" },
      },
    ]);
    expect(pathsOf(r)).toEqual([[`${M0}.text.body`, "invalid-content"]]);
  });

  it("payloads §4.1: the essentials still decide — a numeric id or a missing timestamp is an invalid-item, no event", () => {
    const r = parseWebhook(
      messages([text({ id: 7, referral: { headline: "x" } }), text({ timestamp: undefined })]),
    );
    expect(r.events).toEqual([]);
    expect(pathsOf(r)).toEqual([
      [`${M0}.id`, "invalid-item"],
      ["entry[0].changes[0].value.messages[1].timestamp", "invalid-item"],
    ]);
  });
});

describe("payloads §5: a status needs only id, status and timestamp", () => {
  const sent = {
    id: "wamid.L",
    status: "sent",
    timestamp: "1751142888",
    recipient_id: "16505551234",
  };
  const status = (extra: Partial<StatusEvent> = {}): StatusEvent => ({
    kind: "status",
    id: "wamid.L",
    status: "sent",
    at: s(1751142888),
    thread: th("16505551234"),
    ...extra,
  });

  it("payloads §5: the undocumented recipient_logical_id is accepted whatever its type", () => {
    for (const value of [12345, "abc", null, { a: 1 }]) {
      const r = parseWebhook(statuses([{ ...sent, recipient_logical_id: value }]));
      expect(r.events).toEqual([status()]);
      expect(r.issues).toEqual([]);
    }
  });

  it("PRICE-17 / payloads §5: pricing.billable that is not a boolean is an issue; the status keeps the rest of its pricing", () => {
    const r = parseWebhook(
      statuses([
        {
          ...sent,
          pricing: {
            billable: "false",
            pricing_model: "PMP",
            type: "regular",
            category: "marketing",
          },
          conversation: {
            id: "c1",
            expiration_timestamp: "1751229288",
            origin: { type: "marketing" },
          },
        },
      ]),
    );
    expect(r.events).toEqual([
      status({
        pricing: { model: "PMP", type: "regular", category: "marketing" },
        conversationId: "c1",
        origin: "marketing",
        conversationExpiresAt: s(1751229288),
      }),
    ]);
    expect(pathsOf(r)).toEqual([[`${S0}.pricing.billable`, "invalid-content"]]);
  });

  it("ERR-1 / ERR-3 / payloads §5: an errors[] entry without code is an issue; the failed status keeps every valid code, 131047 included", () => {
    const r = parseWebhook(
      statuses([
        {
          ...sent,
          status: "failed",
          errors: [
            { title: "no code" },
            { code: 131047, title: "Re-engagement message" },
            { code: "131050" },
          ],
        },
      ]),
    );
    expect(r.events).toEqual([status({ status: "failed", errors: [131047, 131050] })]);
    expect(pathsOf(r)).toEqual([[`${S0}.errors[0].code`, "invalid-content"]]);
  });

  it("payloads §5: a malformed recipient field is reported and ignored; the other recipient id still keys the status", () => {
    const r = parseWebhook(
      statuses([{ ...sent, recipient_id: 16505551234, recipient_user_id: "US.1" }]),
    );
    expect(r.events).toEqual([status({ thread: th("US.1") })]);
    expect(pathsOf(r)).toEqual([[`${S0}.recipient_id`, "invalid-content"]]);
  });

  it("payloads §5: without id, status or timestamp a status is still an invalid-item", () => {
    const r = parseWebhook(statuses([{ ...sent, status: undefined, pricing: { billable: "x" } }]));
    expect(r.events).toEqual([]);
    expect(pathsOf(r)).toEqual([[`${S0}.status`, "invalid-item"]]);
  });
});

describe("CSW-3 / payloads §12.3: millisecond timestamps are not seconds", () => {
  it("CSW-3: toInstant rejects 12+ integer digits (>= 1e11 s, year 5138) instead of reading year 57,868", () => {
    expect(toInstant("1763990000000")).toBeUndefined();
    expect(toInstant(1_763_990_000_000)).toBeUndefined();
    expect(toInstant("1763990000000000")).toBeUndefined();
    expect(toInstant(1e11)).toBeUndefined();
    expect(toInstant("100000000000")).toBeUndefined();
    // The largest accepted value, and ordinary seconds, still convert.
    expect(toInstant("99999999999")).toBe(99_999_999_999_000);
    expect(toInstant(99_999_999_999.5)).toBe(99_999_999_999_500);
    expect(toInstant("1763990000")).toBe(1_763_990_000_000);
  });

  it("CSW-3: a message with a millisecond timestamp is an invalid-timestamp issue and opens nothing", () => {
    const r = parseWebhook(messages([text({ timestamp: "1763990000000" })]));
    expect(r.events).toEqual([]);
    expect(pathsOf(r)).toEqual([[`${M0}.timestamp`, "invalid-timestamp"]]);
    expect(r.issues[0]!.message).toMatch(/milliseconds/);
  });
});

describe("payloads §7: a call is never keyed to the business's own number", () => {
  const contacts = [{ profile: { name: "Ana" }, wa_id: USER, user_id: "BR.1" }];
  const connect = (extra: Record<string, unknown>) => ({
    id: "wacid.1",
    event: "connect",
    direction: "USER_INITIATED",
    timestamp: "1763990000",
    session: { sdp_type: "offer", sdp: "v=0" },
    ...extra,
  });
  const calls = (
    metadata: Record<string, unknown>,
    call: unknown,
    extra: Record<string, unknown> = {},
  ) =>
    parseWebhook(
      wrap("calls", { messaging_product: "whatsapp", metadata, contacts, ...extra, calls: [call] }),
    );
  const CB = "436666719526789";
  const callEvent = (customer = USER, business = CB) => ({
    kind: "call" as const,
    id: "wacid.1",
    direction: "user-initiated" as const,
    phase: "connect",
    at: s(1763990000),
    thread: th(customer, business),
  });
  const aliasEvent = (from: string, business = CB): IdentityEvent => ({
    kind: "identity",
    change: "alias",
    from,
    to: "BR.1",
    at: s(1763990000),
    business,
  });
  const aliases = (events: CareEvent[]) =>
    events.filter((e): e is IdentityEvent => e.kind === "identity").map((e) => e.from);

  it("payloads §7 (Meta's example): the business in from, display given exactly → the user from to", () => {
    const r = calls(
      { display_phone_number: "13175551399", phone_number_id: CB },
      connect({ from: "13175551399", to: USER }),
    );
    expect(r.events).toEqual([callEvent(), aliasEvent(USER)]);
  });

  it("payloads §7: the display number formatted with + and spaces is compared by digits", () => {
    const r = calls(
      { display_phone_number: "+1 317-555-1399", phone_number_id: CB },
      connect({ from: "13175551399", to: USER }),
    );
    expect(r.events).toEqual([callEvent(), aliasEvent(USER)]);
  });

  it("payloads §7: no display number — the side contacts[] names is the user", () => {
    const r = calls({ phone_number_id: CB }, connect({ from: "13175551399", to: USER }));
    expect(r.events).toEqual([callEvent(), aliasEvent(USER)]);
  });

  it("payloads §7: no display number and no contacts — the other side's number is learned from another value of the same body", () => {
    const body = {
      object: "whatsapp_business_account",
      entry: [
        {
          id: WABA,
          changes: [
            {
              field: "messages",
              value: {
                metadata: { display_phone_number: "13175551399", phone_number_id: CB },
                statuses: [
                  { id: "wamid.X", status: "read", timestamp: "1763990000", recipient_id: USER },
                ],
              },
            },
            {
              field: "calls",
              value: {
                metadata: { phone_number_id: CB },
                calls: [connect({ from: "13175551399", to: USER })],
              },
            },
          ],
        },
      ],
    };
    const r = parseWebhook(body);
    expect(r.events.filter((e) => e.kind === "call")).toEqual([callEvent()]);
  });

  it("payloads §7 / ID-6: a Brazilian display number without the ninth digit is still the business; no alias for the number swapped away", () => {
    const r = calls(
      { display_phone_number: "553188887777", phone_number_id: "9" },
      connect({ from: "5531988887777", to: USER, from_user_id: "BR.1" }),
    );
    expect(r.events).toEqual([aliasEvent(USER, "9"), callEvent(USER, "9")]);
    expect(aliases(r.events)).not.toContain("5531988887777");
  });

  it("payloads §7: a business-initiated call with the business in to is keyed to the user in from", () => {
    const r = calls(
      { display_phone_number: "13175551399", phone_number_id: CB },
      connect({
        direction: "BUSINESS_INITIATED",
        from: USER,
        to: "+1 (317) 555-1399",
        session: { sdp_type: "answer" },
      }),
    );
    expect(r.events).toEqual([
      { ...callEvent(), direction: "business-initiated", phase: "answer" },
      aliasEvent(USER),
    ]);
  });

  it("payloads §7: the user's number is kept when it is on the direction's side", () => {
    const r = calls(
      { display_phone_number: "13175551399", phone_number_id: CB },
      connect({ from: USER, from_user_id: "BR.1", to: "13175551399" }),
    );
    expect(r.events).toEqual([aliasEvent(USER), callEvent()]);
  });
});

describe("payloads §12.1 / CSW-4: deduplication is linear", () => {
  it("CSW-4: 16,000 same-id statuses in a ~3 MB body come out once each (distinct instants), duplicates dropped, one alias at the earliest instant", () => {
    const n = 16_000;
    const items = [];
    for (let i = 0; i < n; i++) {
      items.push({
        id: "wamid.HBgNNTUxMTk4NzY1NDMyMRUCABEYEjBBQUE1QUE0RkE3MjcxMUQ3NwA=",
        status: i % 2 === 0 ? "delivered" : "read",
        timestamp: String(1763990000 + n - i), // the earliest comes last
        recipient_id: USER,
        recipient_user_id: "BR.1502576394655843",
        biz_opaque_callback_data: `order-${i}-${"x".repeat(40)}`,
        pricing: { billable: true, pricing_model: "PMP", type: "regular", category: "utility" },
      });
    }
    // Every 10th status delivered twice (at-least-once delivery).
    for (let i = 0; i < n; i += 10) items.push(items[i]!);
    const body = JSON.stringify(statuses(items));
    expect(body.length).toBeGreaterThan(3_000_000);
    const r = parseWebhook(body);
    expect(r.issues).toEqual([]);
    const out = r.events.filter((e): e is StatusEvent => e.kind === "status");
    expect(out).toHaveLength(n);
    expect(new Set(out.map((e) => e.at)).size).toBe(n);
    const links = r.events.filter((e): e is IdentityEvent => e.kind === "identity");
    expect(links).toEqual([
      {
        kind: "identity",
        change: "alias",
        from: USER,
        to: "BR.1502576394655843",
        at: s(1763990001),
        business: BIZ,
      },
    ]);
  });
});

describe("ID-7 / payloads §4.10: user_changed_user_id", () => {
  it("ID-7: with from but no old BSUID, the number is linked to the new user id (alias) and nothing is reported", () => {
    const r = parseWebhook(
      messages([
        {
          from: "16505551234",
          id: "wamid.S2",
          timestamp: "1763990000",
          type: "system",
          system: { body: "User changed", user_id: "US.NEW", type: "user_changed_user_id" },
        },
      ]),
    );
    expect(r.events).toEqual([
      {
        kind: "identity",
        change: "alias",
        from: "16505551234",
        to: "US.NEW",
        at: s(1763990000),
        business: BIZ,
      },
      { ...inbound("wamid.S2", "system"), thread: th("16505551234") },
    ]);
    expect(r.issues).toEqual([]);
  });

  it("ID-7: with from and the old BSUID, both the change and the alias to the new user id are emitted", () => {
    const r = parseWebhook(
      messages([
        {
          from: "16505551234",
          from_user_id: "US.OLD",
          id: "wamid.S3",
          timestamp: "1763990000",
          type: "system",
          system: { user_id: "US.NEW", type: "user_changed_user_id" },
        },
      ]),
    );
    const ids = r.events.filter((e): e is IdentityEvent => e.kind === "identity");
    expect(ids.map((e) => [e.change, e.from, e.to])).toEqual([
      ["alias", "16505551234", "US.OLD"],
      ["user-id-changed", "US.OLD", "US.NEW"],
      ["alias", "16505551234", "US.NEW"],
    ]);
  });

  it("ID-7: with neither from nor an old user id it is still an invalid-content issue", () => {
    const r = parseWebhook(
      messages([
        {
          id: "wamid.S4",
          timestamp: "1763990000",
          type: "system",
          system: { user_id: "US.NEW", type: "user_changed_user_id" },
        },
      ]),
    );
    expect(r.events).toEqual([]);
    expect(pathsOf(r)).toEqual([[`${M0}.system`, "invalid-content"]]);
  });
});

describe("TPL-7 / payloads §8.2: template_category_update without entry.time", () => {
  const update = {
    message_template_id: 1,
    message_template_name: "order_update",
    message_template_language: "en_US",
    previous_category: "UTILITY",
    new_category: "MARKETING",
  };
  const event = (at: number) => ({
    kind: "template-category",
    name: "order_update",
    category: "marketing",
    at,
    account: WABA,
    language: "en_US",
  });

  it("TPL-7: falls back to a timestamp the value carries (category_update_timestamp, then timestamp)", () => {
    const a = parseWebhook(
      wrap("template_category_update", { ...update, category_update_timestamp: 1763990000 }),
    );
    expect(a.events).toEqual([event(s(1763990000))]);
    expect(a.issues).toEqual([]);
    const b = parseWebhook(
      wrap("template_category_update", { ...update, timestamp: "1763990100" }),
    );
    expect(b.events).toEqual([event(s(1763990100))]);
  });

  it("TPL-7: entry.time wins over a value timestamp", () => {
    const r = parseWebhook(
      wrap("template_category_update", { ...update, timestamp: 1 }, { time: 1763990000 }),
    );
    expect(r.events).toEqual([event(s(1763990000))]);
  });

  it("TPL-7: with no instant anywhere the change stays an invalid-timestamp issue at entry.time", () => {
    const r = parseWebhook(wrap("template_category_update", update));
    expect(r.events).toEqual([]);
    expect(pathsOf(r)).toEqual([["entry[0].time", "invalid-timestamp"]]);
  });
});
