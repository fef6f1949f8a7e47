import { describe, expect, it } from "vitest";
import { CareWindowError, InvalidInputError } from "../../src/domain/errors.js";
import type { CareEvent, ThreadEvent } from "../../src/domain/types.js";
import { parseWebhook } from "../../src/whatsapp/parse.js";
import { toInstant } from "../../src/whatsapp/time.js";
import { DAY_MS, emptyState, foldEvents } from "../../src/window/state.js";
import { BIZ, firstValue, fixture, fixtureJson, s, th, WABA } from "./helpers.js";

const parse = (name: string, options?: Parameters<typeof parseWebhook>[1]) =>
  parseWebhook(fixture(name), options);

const inbound = (id: string, type: string, at: number, customer = "16505551234") => ({
  kind: "inbound" as const,
  id,
  type,
  at: s(at),
  thread: th(customer),
});

describe("parseWebhook input handling", () => {
  const body = fixture("text-bsuid");

  it("accepts a string, bytes (Uint8Array, ArrayBuffer) and parsed JSON alike", () => {
    const fromString = parseWebhook(body);
    const bytes = new TextEncoder().encode(body);
    expect(parseWebhook(bytes)).toEqual(fromString);
    expect(parseWebhook(bytes.buffer)).toEqual(fromString);
    expect(parseWebhook(Buffer.from(body))).toEqual(fromString);
    expect(parseWebhook(JSON.parse(body))).toEqual(fromString);
    expect(fromString.events).toHaveLength(2);
  });

  it("throws InvalidInputError invalid-json for a non-JSON string or non-UTF-8 bytes", () => {
    expect(() => parseWebhook("{not json")).toThrow(InvalidInputError);
    try {
      parseWebhook("{not json");
    } catch (e) {
      expect(e).toBeInstanceOf(CareWindowError);
      expect((e as InvalidInputError).code).toBe("invalid-json");
      expect((e as InvalidInputError).field).toBe("body");
    }
    try {
      parseWebhook(new Uint8Array([0x7b, 0xff, 0x7d]));
      expect.unreachable();
    } catch (e) {
      expect((e as InvalidInputError).code).toBe("invalid-json");
    }
  });

  it.each([
    ["null", "null"],
    ["an array", "[]"],
    ["a number", "42"],
    ["a string", '"hello"'],
  ])("throws invalid-body for a JSON body that is %s", (_label, text) => {
    try {
      parseWebhook(text);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(InvalidInputError);
      expect((e as InvalidInputError).code).toBe("invalid-body");
    }
    expect(() => parseWebhook(JSON.parse(text))).toThrow(InvalidInputError);
  });

  it("reports a foreign object and parses nothing", () => {
    const r = parseWebhook({ object: "user", entry: [{ id: "1", changes: [] }] });
    expect(r.events).toEqual([]);
    expect(r.issues).toEqual([
      { path: "object", code: "unsupported-object", message: expect.stringContaining("user") },
    ]);
  });

  it("MSG-1: hands Messenger and Instagram bodies to the Messenger parser (one handler for all)", () => {
    const body = {
      object: "page",
      entry: [
        {
          id: "104857372012345",
          time: 1795683600500,
          messaging: [
            {
              sender: { id: "6024153281234567" },
              recipient: { id: "104857372012345" },
              timestamp: 1795683600000,
              message: { mid: "m_1", text: "hi" },
            },
          ],
        },
      ],
    };
    const r = parseWebhook(body);
    expect(r.issues).toEqual([]);
    expect(r.events).toHaveLength(1);
    expect(r.events[0]).toMatchObject({
      kind: "inbound",
      at: 1795683600000,
      thread: { channel: "messenger", business: "104857372012345", customer: "6024153281234567" },
    });
  });

  it("reports envelope damage at the level it happens and keeps the rest", () => {
    const good = fixtureJson("text-bsuid");
    const entry = (good.entry as unknown[])[0];
    const r = parseWebhook({
      object: "whatsapp_business_account",
      entry: [
        5,
        { id: "1" },
        { id: "1", changes: [null, { field: 7 }, { field: "messages", value: [] }] },
        entry,
      ],
    });
    expect(r.issues.map((i) => [i.path, i.code])).toEqual([
      ["entry[0]", "invalid-envelope"],
      ["entry[1].changes", "invalid-envelope"],
      ["entry[2].changes[0]", "invalid-envelope"],
      ["entry[2].changes[1]", "invalid-envelope"],
      ["entry[2].changes[2].value", "invalid-envelope"],
    ]);
    expect(r.events).toHaveLength(2);
    expect(parseWebhook({ object: "whatsapp_business_account" }).issues[0]?.path).toBe("entry");
  });
});

describe("toInstant (CSW-3)", () => {
  it("CSW-3: converts string and number Unix seconds to epoch ms", () => {
    expect(toInstant("1749416383")).toBe(1_749_416_383_000);
    expect(toInstant(1_763_990_000)).toBe(1_763_990_000_000);
    expect(toInstant("1749416383.25")).toBe(1_749_416_383_250);
    expect(toInstant(0)).toBe(0);
  });

  it.each([
    ["yesterday"],
    [""],
    [" 1 "],
    ["1e9"],
    ["-5"],
    [-5],
    [Number.NaN],
    [Number.POSITIVE_INFINITY],
    [9e12],
    [null],
    [{}],
    [true],
  ])("CSW-3: rejects %j", (value) => {
    expect(toInstant(value)).toBeUndefined();
  });
});

describe("messages: every inbound type (CSW-7, OPEN-3)", () => {
  it("text with contacts and BSUID: inbound keyed by wa_id plus an alias (ID-5, ID-6)", () => {
    const r = parse("text-bsuid");
    expect(r.issues).toEqual([]);
    expect(r.events).toEqual([
      {
        kind: "identity",
        change: "alias",
        from: "5511987654321",
        to: "BR.1502576394655843",
        at: s(1763990000),
        business: BIZ,
      },
      inbound("wamid.X", "text", 1763990000, "5511987654321"),
    ]);
  });

  it("media: image, audio, video, document, sticker", () => {
    const r = parse("media");
    expect(r.issues).toEqual([]);
    expect(r.events).toEqual([
      inbound("wamid.IMG", "image", 1749416383),
      inbound("wamid.AUD", "audio", 1749416384),
      inbound("wamid.VID", "video", 1749416385),
      inbound("wamid.DOC", "document", 1749416386),
      inbound("wamid.STK", "sticker", 1749416387),
    ]);
  });

  it("location (number and string coordinates) and shared contacts (origin on message or card)", () => {
    const r = parse("location-contacts");
    expect(r.issues).toEqual([]);
    expect(r.events).toEqual([
      inbound("wamid.LOC", "location", 1749416383),
      inbound("wamid.LOC2", "location", 1749416384),
      inbound("wamid.CON", "contacts", 1749416385),
      inbound("wamid.CON2", "contacts", 1749416386),
    ]);
  });

  it("CSW-7 / ERR-28: interactive subtypes kept; a content-less interactive has no subtype and the 131000 value error is an issue", () => {
    const r = parse("interactive");
    expect(r.events).toEqual([
      { ...inbound("wamid.I1", "interactive", 1749416383), subtype: "list_reply" },
      { ...inbound("wamid.I2", "interactive", 1749416384), subtype: "button_reply" },
      { ...inbound("wamid.I3", "interactive", 1749416385), subtype: "nfm_reply" },
      { ...inbound("wamid.I4", "interactive", 1749416386), subtype: "call_permission_reply" },
      inbound("wamid.I5", "interactive", 1749416387),
    ]);
    expect(r.issues).toEqual([
      {
        path: "entry[0].changes[0].value.errors[0]",
        code: "platform-error",
        message: "131000 Something went wrong: Unsupported webhook payload",
        errorCode: 131000,
      },
    ]);
  });

  it("button, reaction, reaction removal (missing and empty emoji), order with string numbers", () => {
    const r = parse("button-reaction-order");
    expect(r.issues).toEqual([]);
    expect(r.events).toEqual([
      inbound("wamid.BTN", "button", 1749416383),
      inbound("wamid.R1", "reaction", 1749419544),
      inbound("wamid.R2", "reaction", 1749419545),
      inbound("wamid.R3", "reaction", 1749419546),
      inbound("wamid.ORD", "order", 1749419547),
    ]);
  });

  it("ID-7: system number and user-id changes, current and legacy, without contacts", () => {
    const r = parse("system");
    expect(r.issues).toEqual([]);
    expect(r.events).toEqual([
      {
        kind: "identity",
        change: "number-changed",
        from: "16505551234",
        to: "12195555358",
        at: s(1750269342),
        business: BIZ,
      },
      inbound("wamid.S", "system", 1750269342),
      {
        kind: "identity",
        change: "user-id-changed",
        from: "US.OLD",
        to: "US.NEW",
        at: s(1763990000),
        business: BIZ,
      },
      inbound("wamid.S2", "system", 1763990000, "US.OLD"),
      {
        kind: "identity",
        change: "number-changed",
        from: "16505550000",
        to: "16505559999",
        at: s(1650269342),
        business: BIZ,
      },
      inbound("wamid.S3", "system", 1650269342, "16505550000"),
      inbound("wamid.S4", "system", 1650269343),
    ]);
  });

  it("ID-7: a user_changed_user_id with neither from nor from_user_id still emits the change when previous_user_id is given", () => {
    const body = fixtureJson("system");
    const value = firstValue(body);
    value.messages = [
      {
        id: "wamid.S9",
        timestamp: "1763990000",
        type: "system",
        system: { type: "user_changed_user_id", user_id: "US.NEW", previous_user_id: "US.PREV" },
      },
    ];
    const r = parseWebhook(body);
    expect(r.events).toEqual([
      {
        kind: "identity",
        change: "user-id-changed",
        from: "US.PREV",
        to: "US.NEW",
        at: s(1763990000),
        business: BIZ,
      },
    ]);
    expect(r.issues).toEqual([]);
  });

  it("OPEN-3: request_welcome, unsupported, legacy unknown, edit, revoke; an unknown type is an inbound event plus an unknown-type issue", () => {
    const r = parse("welcome-unsupported-edit");
    expect(r.events).toEqual([
      inbound("wamid.W", "request_welcome", 1763990000),
      inbound("wamid.U", "unsupported", 1750090702),
      inbound("wamid.U2", "unknown", 1650090702),
      inbound("wamid.P", "poll_update", 1763990001),
      inbound("wamid.E", "edit", 1763990002),
      inbound("wamid.V", "revoke", 1763990003),
    ]);
    expect(r.issues).toEqual([
      {
        path: "entry[0].changes[0].value.messages[3].type",
        code: "unknown-type",
        message: 'unknown message type "poll_update"',
      },
    ]);
  });

  it("CSW-9 / FEP-6: group messages key the group; referrals (ad, ad without ctwa_clid, post) map to Referral", () => {
    const r = parse("group-referral");
    expect(r.issues).toEqual([]);
    const ana = "5511987654321";
    expect(r.events).toEqual([
      {
        kind: "identity",
        change: "alias",
        from: ana,
        to: "BR.1",
        at: s(1763990000),
        business: BIZ,
      },
      inbound("wamid.G1", "text", 1763990000, "120363025246125486"),
      {
        ...inbound("wamid.AD", "text", 1763990010, ana),
        referral: {
          sourceType: "ad",
          sourceId: "120226305854810726",
          sourceUrl: "https://fb.me/abc123",
          ctwaClid: "Aff-n8ZT",
          headline: "Chat with us",
        },
      },
      {
        ...inbound("wamid.AD2", "image", 1763990020, ana),
        referral: { sourceType: "ad", sourceId: "999", sourceUrl: "https://fb.me/status" },
      },
      {
        ...inbound("wamid.POST", "text", 1763990030, ana),
        referral: { sourceType: "post", sourceId: "1", sourceUrl: "https://fb.com/p/1" },
      },
      {
        kind: "status",
        id: "wamid.GOUT",
        status: "delivered",
        at: s(1763990040),
        thread: th("120363025246125486"),
        pricing: {
          model: "PMP",
          type: "free_group_customer_service",
          category: "group_service",
          billable: false,
        },
      },
    ]);
  });

  it("ID-5: a BSUID-only user is keyed by BSUID; a wa_id found in contacts wins over the BSUID", () => {
    const r = parse("bsuid-only");
    expect(r.issues).toEqual([]);
    expect(r.events).toEqual([
      inbound("wamid.B1", "text", 1782000000, "US.13491208655302741918"),
      inbound("wamid.B2", "text", 1782000001, "5511900000000"),
      {
        kind: "identity",
        change: "alias",
        from: "5511900000000",
        to: "BR.77",
        at: s(1782000001),
        business: BIZ,
      },
    ]);
  });

  it("a known type with a malformed content object keeps the inbound event and reports invalid-content", () => {
    const r = parseWebhook({
      object: "whatsapp_business_account",
      entry: [
        {
          id: WABA,
          changes: [
            {
              field: "messages",
              value: {
                metadata: { phone_number_id: BIZ },
                messages: [
                  {
                    from: "1",
                    id: "wamid.T",
                    timestamp: "1763990000",
                    type: "text",
                    text: 5,
                    referral: { source_type: "ad", source_id: "9" },
                  },
                ],
              },
            },
          ],
        },
      ],
    });
    expect(r.events).toEqual([
      {
        ...inbound("wamid.T", "text", 1763990000, "1"),
        referral: { sourceType: "ad", sourceId: "9" },
      },
    ]);
    expect(r.issues).toEqual([
      {
        path: "entry[0].changes[0].value.messages[0].text",
        code: "invalid-content",
        message: expect.any(String),
      },
    ]);
  });

  it("reports an item with no sender as missing-customer and no metadata as missing-metadata (ID-1)", () => {
    const r = parseWebhook({
      object: "whatsapp_business_account",
      entry: [
        {
          id: WABA,
          changes: [
            {
              field: "messages",
              value: {
                metadata: { phone_number_id: BIZ },
                messages: [
                  { id: "wamid.N", timestamp: "1763990000", type: "text", text: { body: "x" } },
                ],
              },
            },
            {
              field: "messages",
              value: {
                metadata: { display_phone_number: "15550783881" },
                messages: [
                  {
                    from: "1",
                    id: "wamid.M",
                    timestamp: "1763990000",
                    type: "text",
                    text: { body: "x" },
                  },
                ],
              },
            },
          ],
        },
      ],
    });
    expect(r.events).toEqual([]);
    expect(r.issues.map((i) => [i.path, i.code])).toEqual([
      ["entry[0].changes[0].value.messages[0]", "missing-customer"],
      ["entry[0].changes[1].value.metadata", "missing-metadata"],
    ]);
  });
});

describe("statuses (CSW-13, FEP-7, ERR-*)", () => {
  it("PRICE-17 / FEP-7: PMP pricing, conversation expiry on sent, error codes as numbers (ERR-1)", () => {
    const r = parse("statuses-pmp");
    expect(r.issues).toEqual([]);
    const t = th("16505551234");
    const fepPricing = {
      model: "PMP",
      type: "free_entry_point",
      category: "referral_conversion",
      billable: false,
    };
    expect(r.events).toEqual([
      {
        kind: "status",
        id: "wamid.OUT",
        status: "sent",
        at: s(1750030073),
        thread: t,
        pricing: fepPricing,
        conversationId: "8f842dbba350821654c9dfed31f5635c",
        origin: "referral_conversion",
        conversationExpiresAt: s(1750116480),
      },
      {
        kind: "status",
        id: "wamid.OUT",
        status: "delivered",
        at: s(1750030075),
        thread: t,
        pricing: fepPricing,
        conversationId: "8f842dbba350821654c9dfed31f5635c",
        origin: "referral_conversion",
      },
      { kind: "status", id: "wamid.OUT", status: "read", at: s(1750030080), thread: t },
      { kind: "status", id: "wamid.VOICE", status: "played", at: s(1750030090), thread: t },
      {
        kind: "status",
        id: "wamid.OUT2",
        status: "failed",
        at: s(1751142888),
        thread: t,
        errors: [131047],
      },
      {
        kind: "status",
        id: "wamid.OUT3",
        status: "failed",
        at: s(1751142889),
        thread: t,
        errors: [131050],
      },
      {
        kind: "status",
        id: "wamid.OUT4",
        status: "failed",
        at: s(1751142890),
        thread: t,
        errors: [131049],
      },
      {
        kind: "status",
        id: "wamid.OUT5",
        status: "sent",
        at: s(1751142891),
        thread: t,
        pricing: {
          model: "PMP",
          type: "regular",
          category: "authentication-international",
          billable: true,
        },
      },
      {
        kind: "status",
        id: "wamid.OUT6",
        status: "sent",
        at: s(1751142892),
        thread: t,
        pricing: {
          model: "PMP",
          type: "free_customer_service",
          category: "service",
          billable: false,
        },
      },
      { kind: "status", id: "wamid.OUT7", status: "deleted", at: s(1751142893), thread: t },
    ]);
  });

  it("ERR-3 / ERR-6 / ERR-7 / CSW-12: failed statuses fold into window closure, marketing stop and marketing limit", () => {
    const events = parse("statuses-pmp").events as ThreadEvent[];
    const state = foldEvents(emptyState(), events);
    expect(state.reengagementFailedAt).toBe(s(1751142888));
    expect(state.marketing).toEqual({ on: s(1751142889) });
    expect(state.marketingLimitedUntil).toBe(s(1751142890) + DAY_MS);
    expect(state.fepEndsAt).toBe(s(1750116480));
  });

  it("PRICE-17: CBP (v17-era) statuses carry conversation on sent and delivered, expiry only on sent", () => {
    const r = parse("statuses-cbp-v17");
    expect(r.issues).toEqual([]);
    const t = th("16505551234");
    expect(r.events).toEqual([
      {
        kind: "status",
        id: "wamid.CBP1",
        status: "sent",
        at: s(1700000000),
        thread: t,
        pricing: { model: "CBP", category: "service", billable: true },
        conversationId: "c0ffee",
        origin: "service",
        conversationExpiresAt: s(1700086400),
      },
      {
        kind: "status",
        id: "wamid.CBP1",
        status: "delivered",
        at: s(1700000002),
        thread: t,
        pricing: { model: "CBP", category: "service", billable: true },
        conversationId: "c0ffee",
        origin: "service",
      },
      {
        kind: "status",
        id: "wamid.CBP2",
        status: "sent",
        at: s(1700000100),
        thread: t,
        pricing: { model: "CBP", category: "referral_conversion", billable: false },
        conversationId: "fep1",
        origin: "referral_conversion",
        conversationExpiresAt: s(1700259300),
      },
    ]);
  });

  it("FEP-7 / ID-9: v24+ statuses without conversation, BSUID recipients, both parent-field names", () => {
    const r = parse("statuses-v24-bsuid");
    expect(r.issues).toEqual([]);
    const phone = th("16505551234");
    const bsuid = th("US.13491208655302741918");
    const marketing = { model: "PMP", type: "regular", category: "marketing", billable: true };
    expect(r.events).toEqual([
      {
        kind: "identity",
        change: "alias",
        from: "16505551234",
        to: "US.999",
        at: s(1763990000),
        business: BIZ,
      },
      {
        kind: "status",
        id: "wamid.V24A",
        status: "sent",
        at: s(1763990000),
        thread: phone,
        pricing: marketing,
      },
      {
        kind: "status",
        id: "wamid.V24A",
        status: "delivered",
        at: s(1763990005),
        thread: phone,
        pricing: marketing,
      },
      {
        kind: "status",
        id: "wamid.V24B",
        status: "sent",
        at: s(1763990100),
        thread: bsuid,
        pricing: { model: "PMP", type: "free_entry_point", category: "referral_conversion" },
        conversationId: "fepwin",
        origin: "referral_conversion",
        conversationExpiresAt: s(1764594900),
      },
      { kind: "status", id: "wamid.V24C", status: "read", at: s(1763990200), thread: bsuid },
      {
        kind: "status",
        id: "wamid.V24D",
        status: "failed",
        at: s(1763990300),
        thread: phone,
        errors: [131026],
      },
    ]);
  });

  it("ERR-1: a non-numeric error code is an issue and not a code", () => {
    const body = fixtureJson("statuses-pmp");
    firstValue(body).statuses = [
      {
        id: "wamid.Q",
        status: "failed",
        timestamp: "1763990000",
        recipient_id: "1",
        errors: [{ code: "x" }, { code: "131047" }],
      },
    ];
    const r = parseWebhook(body);
    expect(r.events).toEqual([
      {
        kind: "status",
        id: "wamid.Q",
        status: "failed",
        at: 1_763_990_000_000,
        thread: th("1"),
        errors: [131047],
      },
    ]);
    expect(r.issues).toEqual([
      {
        path: "entry[0].changes[0].value.statuses[0].errors[0].code",
        code: "invalid-content",
        message: expect.any(String),
      },
    ]);
  });
});

describe("tricky real-world cases (payloads.md §12)", () => {
  it("CSW-4: duplicates inside one body are emitted once; reordered items keep their own timestamps", () => {
    const r = parse("duplicates-reordering");
    expect(r.issues).toEqual([]);
    const t = th("16505551234");
    expect(r.events).toEqual([
      inbound("wamid.LATE", "text", 1750030100),
      inbound("wamid.EARLY", "text", 1750030000),
      { kind: "status", id: "wamid.OUT", status: "read", at: s(1750030080), thread: t },
      { kind: "status", id: "wamid.OUT", status: "delivered", at: s(1750030075), thread: t },
      { kind: "status", id: "wamid.OUT", status: "sent", at: s(1750030073), thread: t },
    ]);
  });

  it("CSW-3: string and number timestamps; unparseable ones are issues with their path and no event", () => {
    const r = parse("timestamps");
    expect(r.events).toEqual([
      inbound("wamid.STR", "text", 1749416383),
      inbound("wamid.NUM", "text", 1749416384),
      {
        kind: "status",
        id: "wamid.S1",
        status: "sent",
        at: s(1749416390),
        thread: th("16505551234"),
        conversationId: "c",
        origin: "service",
      },
    ]);
    expect(r.issues.map((i) => [i.path, i.code])).toEqual([
      ["entry[0].changes[0].value.messages[2].timestamp", "invalid-timestamp"],
      ["entry[0].changes[0].value.messages[3].timestamp", "invalid-timestamp"],
      ["entry[0].changes[0].value.messages[4].timestamp", "invalid-timestamp"],
      [
        "entry[0].changes[0].value.statuses[0].conversation.expiration_timestamp",
        "invalid-timestamp",
      ],
    ]);
  });

  it("CSW-15: a Dashboard test payload sets test and is dropped by default", () => {
    const dropped = parse("test-webhook");
    expect(dropped).toEqual({ events: [], issues: [], ignored: 0, test: true });
    const kept = parse("test-webhook", { dropTestPayloads: false });
    expect(kept.test).toBe(true);
    expect(kept.events).toEqual([
      {
        kind: "inbound",
        id: "ABGGFlA5Fpa",
        type: "text",
        at: s(1504902988),
        thread: th("16315551181", "123456123"),
      },
    ]);
  });

  it("CSW-15: a test item (id without wamid., 2017 timestamp) on a real entry is dropped, its real siblings kept", () => {
    const body = fixtureJson("text-bsuid");
    const value = firstValue(body);
    value.messages!.push({
      from: "16315551181",
      id: "ABGGFlA5Fpa",
      timestamp: "1504902988",
      type: "text",
      text: { body: "t" },
    });
    const r = parseWebhook(body);
    expect(r.test).toBe(true);
    expect(r.events.map((e) => ("id" in e ? e.id : e.kind))).toEqual(["identity", "wamid.X"]);
    expect(parse("text-bsuid").test).toBe(false);
  });

  it("batches: several entries and changes mixing messages and statuses; other fields counted as ignored", () => {
    const r = parse("batch-mixed");
    expect(r.issues).toEqual([]);
    expect(r.ignored).toBe(3);
    const other = "222222222222222";
    expect(r.events).toEqual([
      inbound("wamid.M1", "text", 1763990000),
      {
        kind: "status",
        id: "wamid.O1",
        status: "delivered",
        at: s(1763990001),
        thread: th("16505551234"),
      },
      {
        ...inbound("wamid.M2", "text", 1763990002, "5521999990000"),
        thread: th("5521999990000", other),
      },
      {
        kind: "status",
        id: "wamid.O2",
        status: "read",
        at: s(1763990003),
        thread: th("5521999990000", other),
      },
    ]);
  });

  it("ERR-10 / ERR-2: value-level errors are platform-error issues and nothing else", () => {
    const r = parse("value-errors");
    expect(r.events).toEqual([]);
    expect(r.issues).toEqual([
      {
        path: "entry[0].changes[0].value.errors[0]",
        code: "platform-error",
        message: "130429 Rate limit hit: Cloud API message throughput has been reached.",
        errorCode: 130429,
      },
    ]);
  });
});

describe("calls (CSW-5)", () => {
  it("CSW-5: user connect/terminate, business connect with SDP answer, business call statuses", () => {
    const r = parse("calls");
    const CB = "436666719526789";
    const ana = th("5511987654321", CB);
    expect(r.events).toEqual([
      {
        kind: "identity",
        change: "alias",
        from: "5511987654321",
        to: "BR.1",
        at: s(1671644824),
        business: CB,
      },
      {
        kind: "call",
        id: "wacid.IN1",
        direction: "user-initiated",
        phase: "connect",
        at: s(1671644824),
        thread: ana,
      },
      {
        kind: "call",
        id: "wacid.IN1",
        direction: "user-initiated",
        phase: "terminate",
        at: s(1749197480),
        thread: ana,
      },
      // Meta's own example puts the business number in `from`: the user is taken from `to`.
      {
        kind: "call",
        id: "wacid.META",
        direction: "user-initiated",
        phase: "connect",
        at: s(1671644900),
        thread: ana,
      },
      {
        kind: "call",
        id: "wacid.OUT1",
        direction: "business-initiated",
        phase: "answer",
        at: s(1671645000),
        thread: ana,
      },
      {
        kind: "call",
        id: "wacid.OUT1",
        direction: "business-initiated",
        phase: "ringing",
        at: s(1671644990),
        thread: ana,
      },
      {
        kind: "call",
        id: "wacid.OUT1",
        direction: "business-initiated",
        phase: "accepted",
        at: s(1671644999),
        thread: ana,
      },
      {
        kind: "call",
        id: "wacid.OUT2",
        direction: "business-initiated",
        phase: "rejected",
        at: s(1671645100),
        thread: th("BR.2", CB),
      },
    ]);
    expect(r.issues).toEqual([
      {
        path: "entry[0].changes[1].value.errors[0]",
        code: "platform-error",
        message: "138006 Call terminated",
        errorCode: 138006,
      },
    ]);
  });

  it("CSW-5: folded, the user call and the accepted business call open the window; ringing and rejected do not", () => {
    const events = parse("calls").events.filter((e): e is ThreadEvent => "thread" in e);
    const ana = events.filter((e) => e.thread.customer === "5511987654321");
    // terminate (later) does not count; the business call's SDP answer is the latest anchor.
    expect(foldEvents(emptyState(), ana).inbound.call).toBe(s(1671645000));
    const accepted = ana.filter((e) => e.kind === "call" && e.phase === "accepted");
    expect(accepted).toHaveLength(1);
    expect(foldEvents(emptyState(), accepted).inbound.call).toBe(s(1671644999));
    const ringing = ana.filter((e) => e.kind === "call" && e.phase === "ringing");
    expect(foldEvents(emptyState(), ringing).inbound.call).toBeUndefined();
    const br2 = events.filter((e) => e.thread.customer === "BR.2");
    expect(foldEvents(emptyState(), br2).inbound.call).toBeUndefined();
  });

  it("an unknown call direction is an unknown-value issue, no event", () => {
    const r = parseWebhook({
      object: "whatsapp_business_account",
      entry: [
        {
          id: WABA,
          changes: [
            {
              field: "calls",
              value: {
                metadata: { phone_number_id: "1" },
                calls: [
                  {
                    id: "wacid.X",
                    event: "connect",
                    direction: "SIDEWAYS",
                    timestamp: "1",
                    from: "2",
                  },
                ],
              },
            },
          ],
        },
      ],
    });
    expect(r.events).toEqual([]);
    expect(r.issues.map((i) => [i.path, i.code])).toEqual([
      ["entry[0].changes[0].value.calls[0].direction", "unknown-value"],
    ]);
  });
});

describe("user_preferences, user_id_update, templates, echoes", () => {
  it("CONSENT-5: marketing stop and resume; unknown values and categories are issues", () => {
    const r = parse("user-preferences");
    expect(r.events).toEqual([
      {
        kind: "identity",
        change: "alias",
        from: "5511987654321",
        to: "BR.1502576394655843",
        at: s(1763990000),
        business: BIZ,
      },
      {
        kind: "marketing-preference",
        value: "stop",
        at: s(1763990000),
        thread: th("5511987654321"),
      },
      { kind: "marketing-preference", value: "resume", at: s(1763990100), thread: th("BR.9") },
    ]);
    expect(r.issues.map((i) => [i.path, i.code])).toEqual([
      ["entry[0].changes[0].value.user_preferences[2].value", "unknown-value"],
      ["entry[0].changes[0].value.user_preferences[3].category", "unknown-value"],
    ]);
  });

  it("ID-7: user_id_update emits the change and the wa_id ↔ new BSUID alias", () => {
    const r = parse("user-id-update");
    expect(r.issues).toEqual([]);
    expect(r.events).toEqual([
      {
        kind: "identity",
        change: "user-id-changed",
        from: "BR.111",
        to: "BR.222",
        at: s(1763990000),
        business: BIZ,
      },
      {
        kind: "identity",
        change: "alias",
        from: "5511987654321",
        to: "BR.222",
        at: s(1763990000),
        business: BIZ,
      },
    ]);
  });

  it("TPL-7 / TPL-8: status updates with a category and completed category changes feed the catalog; impending notices and category-less updates are ignored", () => {
    const r = parse("template-updates");
    expect(r.ignored).toBe(2);
    expect(r.events).toEqual([
      {
        kind: "template-category",
        name: "order_confirmation",
        category: "utility",
        status: "APPROVED",
        language: "en-US",
        account: WABA,
        at: s(1751247548),
      },
      {
        kind: "template-category",
        name: "order_confirmation",
        category: "marketing",
        language: "en-US",
        account: WABA,
        at: s(1751400000),
      },
    ]);
    expect(r.issues).toEqual([
      {
        path: "entry[4].changes[0].value.new_category",
        code: "unknown-value",
        message: 'unknown template category "SERVICE"',
      },
    ]);
  });

  it("CSW-6 / CSW-14: smb_message_echoes become outbound echo events that never open a window", () => {
    const r = parse("echoes");
    expect(r.issues).toEqual([]);
    expect(r.events).toEqual([
      {
        kind: "identity",
        change: "alias",
        from: "5511987654321",
        to: "BR.1",
        at: s(1763990000),
        business: BIZ,
      },
      {
        kind: "outbound",
        id: "wamid.ECHO1",
        message: "free-form",
        type: "text",
        echo: true,
        at: s(1763990000),
        thread: th("5511987654321"),
      },
      {
        kind: "outbound",
        id: "wamid.ECHO2",
        message: "template",
        echo: true,
        at: s(1763990050),
        thread: th("BR.2"),
      },
      {
        kind: "outbound",
        id: "wamid.ECHO3",
        message: "free-form",
        type: "revoke",
        echo: true,
        at: s(1763990100),
        thread: th("5511987654321"),
      },
    ]);
    const threadEvents = r.events.filter((e): e is ThreadEvent => "thread" in e);
    const state = foldEvents(emptyState(), threadEvents);
    expect(state.inbound).toEqual({});
    expect(state.outbound).toEqual([]);
  });
});

describe("every event is well-formed", () => {
  it("every at is a finite integer and thread events have a non-empty business and customer", async () => {
    const { FIXTURES } = await import("./helpers.js");
    for (const name of FIXTURES) {
      const { events } = parse(name, { dropTestPayloads: false });
      for (const e of events as CareEvent[]) {
        expect(Number.isSafeInteger(e.at), `${name} ${JSON.stringify(e)}`).toBe(true);
        if ("thread" in e) {
          expect(e.thread.business.length).toBeGreaterThan(0);
          expect(e.thread.customer.length).toBeGreaterThan(0);
        }
      }
    }
  });
});
