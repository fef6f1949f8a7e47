import { describe, expect, it } from "vitest";
import { InvalidInputError } from "../../src/domain/errors.js";
import type { InboundEvent, OutboundEvent } from "../../src/domain/types.js";
import {
  isMessengerBody,
  messengerInstant,
  parseMessengerWebhook,
} from "../../src/messenger/index.js";
import { decide } from "../../src/window/decide.js";
import {
  DAY,
  FIXTURES,
  fixture,
  fixtureJson,
  fold,
  IG_ACCOUNT,
  IGSID,
  PAGE,
  PSID,
  threadEvents,
} from "./helpers.js";

const T0 = 1_795_683_600_000; // the fixtures' first timestamp, 2026-11-26 09:00 UTC
const messenger = (customer = PSID) => ({ channel: "messenger", business: PAGE, customer });
const instagram = (customer = IGSID) => ({ channel: "instagram", business: IG_ACCOUNT, customer });

describe("parseMessengerWebhook input handling", () => {
  it("accepts a string, bytes (Uint8Array, ArrayBuffer) and parsed JSON alike", () => {
    const text = fixture("messenger-message");
    const bytes = new TextEncoder().encode(text);
    const a = parseMessengerWebhook(text);
    expect(parseMessengerWebhook(bytes)).toEqual(a);
    expect(parseMessengerWebhook(bytes.buffer)).toEqual(a);
    expect(parseMessengerWebhook(JSON.parse(text))).toEqual(a);
    expect(a.events).toHaveLength(4);
  });

  it("throws InvalidInputError invalid-json / invalid-body for non-JSON and non-objects only", () => {
    const cases: [unknown, string][] = [
      ["{nope", "invalid-json"],
      [new Uint8Array([0xff, 0xfe]), "invalid-json"],
      ["[]", "invalid-body"],
      [null, "invalid-body"],
      [42, "invalid-body"],
      ['"page"', "invalid-body"],
    ];
    for (const [body, code] of cases) {
      let error: unknown;
      try {
        parseMessengerWebhook(body);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(InvalidInputError);
      expect((error as InvalidInputError).code).toBe(code);
      expect((error as InvalidInputError).field).toBe("body");
    }
  });

  it("reports a WhatsApp body as unsupported-object and parses nothing", () => {
    const r = parseMessengerWebhook({ object: "whatsapp_business_account", entry: [] });
    expect(r.events).toEqual([]);
    expect(r.issues).toEqual([
      expect.objectContaining({ path: "object", code: "unsupported-object" }),
    ]);
    expect(parseMessengerWebhook({ object: "toString", entry: [] }).issues[0]?.code).toBe(
      "unsupported-object",
    );
  });

  it("isMessengerBody recognises page and instagram bodies only", () => {
    expect(isMessengerBody(fixtureJson("messenger-message"))).toBe(true);
    expect(isMessengerBody(fixtureJson("instagram-message"))).toBe(true);
    expect(isMessengerBody({ object: "whatsapp_business_account" })).toBe(false);
    expect(isMessengerBody({ object: "constructor" })).toBe(false);
    expect(isMessengerBody("page")).toBe(false);
    expect(isMessengerBody(null)).toBe(false);
    expect(isMessengerBody([{ object: "page" }])).toBe(false);
  });

  it("reports envelope damage at its level and keeps the rest", () => {
    const good = (fixtureJson("messenger-message").entry as unknown[])[0];
    const r = parseMessengerWebhook({
      object: "page",
      entry: [7, { id: PAGE, messaging: "x" }, { id: PAGE }, good],
    });
    expect(r.issues.map((i) => [i.path, i.code])).toEqual([
      ["entry[0]", "invalid-envelope"],
      ["entry[1].messaging", "invalid-envelope"],
      ["entry[2]", "invalid-envelope"],
    ]);
    expect(r.events).toHaveLength(4);
    expect(parseMessengerWebhook({ object: "page" }).issues[0]?.path).toBe("entry");
  });
});

describe("CSW-3 / MSG-1: millisecond timestamps", () => {
  it("messengerInstant reads epoch ms numbers and digit strings; rejects the rest", () => {
    expect(messengerInstant(T0)).toBe(T0);
    expect(messengerInstant(String(T0))).toBe(T0);
    expect(messengerInstant(T0 + 0.4)).toBe(T0);
    for (const bad of [
      -1,
      Number.NaN,
      Number.POSITIVE_INFINITY,
      9e15,
      "soon",
      "",
      "1e12",
      null,
      {},
    ]) {
      expect(messengerInstant(bad)).toBeUndefined();
    }
  });
});

describe("Messenger fixtures (object: page)", () => {
  it("MSG-1: messages — text, quick reply, image, file — are inbound message actions", () => {
    const r = parseMessengerWebhook(fixture("messenger-message"));
    expect(r.issues).toEqual([]);
    expect(r.events).toEqual([
      {
        kind: "inbound",
        id: "m_text_1",
        type: "text",
        action: "message",
        at: T0,
        thread: messenger(),
      },
      {
        kind: "inbound",
        id: "m_qr_1",
        type: "text",
        subtype: "quick_reply",
        action: "message",
        at: T0 + 60_000,
        thread: messenger(),
      },
      {
        kind: "inbound",
        id: "m_img_1",
        type: "image",
        action: "message",
        at: T0 + 120_000,
        thread: messenger(),
      },
      {
        kind: "inbound",
        id: "m_file_1",
        type: "document",
        action: "message",
        at: T0 + 180_000,
        thread: messenger(),
      },
    ]);
  });

  it("OPEN-20 / MSG-2: postbacks (with an ad referral from Get Started, and without mid)", () => {
    const r = parseMessengerWebhook(fixture("messenger-postback"));
    expect(r.issues).toEqual([]);
    expect(r.events).toEqual([
      {
        kind: "inbound",
        id: "m_pb_1",
        type: "postback",
        action: "postback",
        at: T0,
        thread: messenger(),
        referral: { sourceType: "ad", sourceId: "120210987654321", headline: "Spring sale" },
      },
      {
        kind: "inbound",
        id: `postback:${PSID}:${T0 + 100_000}`,
        type: "postback",
        action: "postback",
        at: T0 + 100_000,
        thread: messenger(),
      },
    ]);
  });

  it("OPEN-20: reactions and unreactions get their own ids, never the reacted message's mid", () => {
    const r = parseMessengerWebhook(fixture("messenger-reaction"));
    expect(r.issues).toEqual([]);
    const events = r.events as InboundEvent[];
    expect(events.map((e) => [e.id, e.subtype, e.action, e.at])).toEqual([
      [`reaction:m_page_reply_1:react:${T0 + 200_000}`, "react", "reaction", T0 + 200_000],
      [`reaction:m_page_reply_1:unreact:${T0 + 300_000}`, "unreact", "reaction", T0 + 300_000],
    ]);
  });

  it("MSG-2: referrals — a bare ad referral, a shortlink (no ad), and an ad next to a first message", () => {
    const r = parseMessengerWebhook(fixture("messenger-referral-ad"));
    expect(r.issues).toEqual([]);
    expect(r.events).toEqual([
      {
        kind: "inbound",
        id: `referral:${PSID}:${T0}`,
        type: "referral",
        action: "referral",
        at: T0,
        thread: messenger(),
        referral: { sourceType: "ad", sourceId: "120210987654321", headline: "Winter coats" },
      },
      {
        kind: "inbound",
        id: "m_after_ad_1",
        type: "text",
        action: "message",
        at: T0 + 30_000,
        thread: messenger(),
      },
      {
        kind: "inbound",
        id: `referral:7030000000000001:${T0 + 40_000}`,
        type: "referral",
        action: "referral",
        at: T0 + 40_000,
        thread: messenger("7030000000000001"),
      },
      {
        kind: "inbound",
        id: "m_ctm_new_1",
        type: "text",
        action: "message",
        at: T0 + 50_000,
        thread: messenger("7030000000000002"),
        referral: { sourceType: "ad", sourceId: "120210987654322" },
      },
    ]);
  });

  it("MSG-8 / OPEN-20: echoes become outbound echo events; a read becomes an event that opens nothing by default; delivery is ignored", () => {
    const r = parseMessengerWebhook(fixture("messenger-echo"));
    expect(r.issues).toEqual([]);
    expect(r.ignored).toBe(1);
    expect(r.events).toEqual([
      {
        kind: "outbound",
        id: "m_echo_1",
        message: "free-form",
        type: "text",
        echo: true,
        at: T0 + 100_000,
        thread: messenger(),
      },
      {
        kind: "outbound",
        id: "m_echo_2",
        message: "free-form",
        type: "template",
        echo: true,
        at: T0 + 110_000,
        thread: messenger(),
      },
      {
        kind: "inbound",
        id: "read:6024153281234567:1795683720000",
        type: "read",
        action: "read",
        at: T0 + 120_000,
        thread: messenger(),
      },
    ]);
    // MSG-8: folded, they open nothing.
    const state = fold(threadEvents(r.events));
    expect(state.channel).toBe("messenger");
    expect(decide(state, { kind: "free-form", sender: "human" }, T0 + 120_000).reason).toBe(
      "no-inbound",
    );
    // OPEN-20: switched on, the read opens the 24-hour window.
    const on = { social: { openOn: { read: true } } };
    expect(decide(state, { kind: "free-form" }, T0 + 130_000, on).reason).toBe("window-open");
  });

  it("OPEN-20: an optin becomes an inbound event (a checkbox plugin's user_ref names the customer)", () => {
    const r = parseMessengerWebhook({
      object: "page",
      entry: [
        {
          id: "104857372012345",
          time: T0,
          messaging: [
            {
              sender: { id: "6024153281234567" },
              recipient: { id: "104857372012345" },
              timestamp: T0,
              optin: { type: "notification_messages", payload: "deals" },
            },
            {
              recipient: { id: "104857372012345" },
              timestamp: T0 + 1,
              optin: { ref: "checkout", user_ref: "uref-1" },
            },
            {
              sender: { id: "6024153281234567" },
              recipient: { id: "104857372012345" },
              timestamp: T0 + 2,
              optin: "yes",
            },
          ],
        },
      ],
    });
    expect(
      r.events.map((e) => [(e as InboundEvent).action, (e as InboundEvent).thread.customer]),
    ).toEqual([
      ["optin", "6024153281234567"],
      ["optin", "uref-1"],
    ]);
    expect(r.issues.map((i) => [i.path, i.code])).toEqual([
      ["entry[0].messaging[2].optin", "invalid-item"],
    ]);
    const state = fold(threadEvents(r.events.slice(0, 1)));
    expect(decide(state, { kind: "free-form" }, T0 + 10).reason).toBe("no-inbound");
  });

  it("standby items count like messaging ones; broken siblings are issues with paths; duplicates once", () => {
    const r = parseMessengerWebhook(fixture("messenger-standby-mixed"));
    // messaging[] items first, then standby[] ones.
    expect(r.events.map((e) => (e as InboundEvent).id)).toEqual([
      "m_bad_content",
      "m_ok_after_bad",
      "m_standby_1",
    ]);
    expect((r.events[0] as InboundEvent).type).toBe("unknown");
    expect(r.issues.map((i) => [i.path, i.code])).toEqual([
      ["entry[0].messaging[0].timestamp", "invalid-timestamp"],
      ["entry[0].messaging[1].message.is_echo", "invalid-item"],
      ["entry[0].messaging[2].sender", "missing-customer"],
      ["entry[0].messaging[3].message.attachments", "invalid-content"],
    ]);
    expect(r.ignored).toBe(1); // the changes[] item
  });

  it("MSG-8: a message or reaction whose sender is the page itself never becomes a user action", () => {
    const r = parseMessengerWebhook({
      object: "page",
      entry: [
        {
          id: PAGE,
          messaging: [
            {
              sender: { id: PAGE },
              recipient: { id: PSID },
              timestamp: T0,
              message: { mid: "m_x", text: "hi" },
            },
            {
              sender: { id: PAGE },
              recipient: { id: PSID },
              timestamp: T0,
              reaction: { mid: "m_y", action: "react" },
            },
            {
              sender: { id: PAGE },
              recipient: { id: PSID },
              timestamp: T0,
              postback: { payload: "P" },
            },
          ],
        },
      ],
    });
    expect(r.events).toEqual([
      {
        kind: "outbound",
        id: "m_x",
        message: "free-form",
        type: "text",
        echo: true,
        at: T0,
        thread: messenger(),
      },
    ]);
    expect(r.ignored).toBe(2);
  });

  it("message edits and deletions never reuse the original id and never open a window", () => {
    const r = parseMessengerWebhook({
      object: "instagram",
      entry: [
        {
          id: IG_ACCOUNT,
          messaging: [
            {
              sender: { id: IGSID },
              recipient: { id: IG_ACCOUNT },
              timestamp: T0,
              message: { mid: "m_1", is_deleted: true },
            },
            {
              sender: { id: IGSID },
              recipient: { id: IG_ACCOUNT },
              timestamp: T0 + 1,
              message_edit: { mid: "m_2", text: "x", num_edit: 1 },
            },
          ],
        },
      ],
    });
    expect(r.issues).toEqual([]);
    expect((r.events as InboundEvent[]).map((e) => [e.id, e.type, e.action])).toEqual([
      [`deleted:m_1:${T0}`, "revoke", "message_deleted"],
      [`edit:m_2:${T0 + 1}`, "edit", "message_edit"],
    ]);
    const state = fold(threadEvents(r.events));
    expect(decide(state, { kind: "free-form", sender: "human" }, T0 + 2).reason).toBe("no-inbound");
  });

  it("items with no event are issues; unknown future item kinds are ignored", () => {
    const r = parseMessengerWebhook({
      object: "page",
      entry: [
        {
          id: PAGE,
          messaging: [
            { sender: { id: PSID }, recipient: { id: PAGE }, timestamp: T0 },
            { sender: { id: PSID }, recipient: { id: PAGE }, timestamp: T0, hologram: { x: 1 } },
            "nope",
            { recipient: { id: PAGE }, timestamp: T0, message: { text: "no mid" } },
            { sender: { id: PSID }, timestamp: T0, message: { mid: "m_no_recipient", text: "ok" } },
          ],
        },
      ],
    });
    expect(r.issues.map((i) => [i.path, i.code])).toEqual([
      ["entry[0].messaging[0]", "invalid-item"],
      ["entry[0].messaging[2]", "invalid-item"],
      ["entry[0].messaging[3].message.mid", "invalid-item"],
    ]);
    expect(r.ignored).toBe(1);
    // entry.id stands in for a missing recipient.
    expect(r.events).toEqual([
      {
        kind: "inbound",
        id: "m_no_recipient",
        type: "text",
        action: "message",
        at: T0,
        thread: messenger(),
      },
    ]);
  });

  it("CSW-15: an App Dashboard test entry (id 0) sets test and is dropped by default", () => {
    const body = {
      object: "page",
      entry: [
        {
          id: "0",
          time: 1527459824,
          messaging: [
            {
              sender: { id: "12334" },
              recipient: { id: "23245" },
              timestamp: "1527459824",
              message: { mid: "test_message_id", text: "test_message" },
            },
          ],
        },
      ],
    };
    const dropped = parseMessengerWebhook(body);
    expect(dropped.test).toBe(true);
    expect(dropped.events).toEqual([]);
    // The Dashboard sample carries Unix *seconds*: never read as ms (January 1970, CSW-3). The
    // entry still marks the body as a test.
    const asIs = parseMessengerWebhook(body, { dropTestPayloads: false });
    expect(asIs.test).toBe(true);
    expect(asIs.events).toEqual([]);
    expect(asIs.issues.map((i) => [i.path, i.code])).toEqual([
      ["entry[0].messaging[0].timestamp", "invalid-timestamp"],
    ]);
    const item = body.entry[0]!.messaging[0]!;
    const withMs = {
      ...body,
      entry: [{ ...body.entry[0]!, messaging: [{ ...item, timestamp: "1527459824000" }] }],
    };
    const kept = parseMessengerWebhook(withMs, { dropTestPayloads: false });
    expect(kept.events).toHaveLength(1);
    expect(kept.events[0]!.at).toBe(1_527_459_824_000);
  });
});

describe("Instagram fixtures (object: instagram)", () => {
  it("IG-1: text, story reply, reel share, ad message (Click-to-Direct) and an echo", () => {
    const r = parseMessengerWebhook(fixture("instagram-message"));
    expect(r.issues).toEqual([]);
    expect(r.events).toEqual([
      {
        kind: "inbound",
        id: "aWdfZAG1faXRlbToxOklHTWVzc2FnZAUlEOjE3ODQx",
        type: "text",
        action: "message",
        at: T0,
        thread: instagram(),
      },
      {
        kind: "inbound",
        id: "aWdfZAG1faXRlbToxOklHTWVzc2FnZAUlEOjE3ODQy",
        type: "text",
        action: "message",
        at: T0 + 20_000,
        thread: instagram(),
      },
      {
        kind: "inbound",
        id: "aWdfZAG1faXRlbToxOklHTWVzc2FnZAUlEOjE3ODQz",
        type: "ig_reel",
        action: "message",
        at: T0 + 40_000,
        thread: instagram(),
      },
      {
        kind: "inbound",
        id: "aWdfZAG1faXRlbToxOklHTWVzc2FnZAUlEOjE3ODQ0",
        type: "text",
        action: "message",
        at: T0 + 60_000,
        thread: instagram("1254459154682920"),
        referral: { sourceType: "ad", sourceId: "120210987654399" },
      },
      {
        kind: "outbound",
        id: "aWdfZAG1faXRlbToxOklHTWVzc2FnZAUlEOjE3ODQ1",
        message: "free-form",
        type: "text",
        echo: true,
        at: T0 + 80_000,
        thread: instagram(),
      },
    ]);
  });

  it("IG-4 / OPEN-20: a story mention is its own action, off by default", () => {
    const r = parseMessengerWebhook(fixture("instagram-story-mention"));
    expect(r.issues).toEqual([]);
    expect(r.events).toEqual([
      {
        kind: "inbound",
        id: "aWdfZAG1faXRlbToxOklHTWVzc2FnZAUlEOjE3ODUw",
        type: "story_mention",
        action: "story_mention",
        at: T0,
        thread: instagram(),
      },
    ]);
    const state = fold(threadEvents(r.events));
    expect(state.channel).toBe("instagram");
    const intent = { kind: "free-form", sender: "automation" } as const;
    expect(decide(state, intent, T0 + 1000).reason).toBe("no-inbound");
    expect(
      decide(state, intent, T0 + 1000, { social: { openOn: { storyMention: true } } }).reason,
    ).toBe("window-open");
  });

  it("OPEN-20: an Instagram reaction by the user; one by the account itself is ignored (MSG-8)", () => {
    const r = parseMessengerWebhook(fixture("instagram-reaction"));
    expect(r.issues).toEqual([]);
    expect(r.ignored).toBe(1);
    expect(r.events).toEqual([
      {
        kind: "inbound",
        id: `reaction:aWdfZAG1faXRlbToxOklHTWVzc2FnZAUlEOjE3ODQ1:react:${T0 + 200_000}`,
        type: "reaction",
        subtype: "react",
        action: "reaction",
        at: T0 + 200_000,
        thread: instagram(),
      },
    ]);
  });
});

describe("end to end: parse, fold, decide", () => {
  it("MSG-2: a Click-to-Messenger first message gives a 7-day window only with adWindow 7d", () => {
    const r = parseMessengerWebhook(fixture("messenger-referral-ad"));
    const customer = threadEvents(r.events).filter((e) => e.thread.customer === "7030000000000002");
    const state = fold(customer);
    const bot = { kind: "free-form", sender: "automation" } as const;
    const at = T0 + 50_000 + 3 * DAY;
    expect(decide(state, bot, at).reason).toBe("automation-outside-window");
    expect(decide(state, bot, at, { social: { adWindow: "7d" } }).reason).toBe("ad-window-open");
  });

  it("every fixture parses without throwing; every event has a finite integer at and non-empty ids", () => {
    for (const name of FIXTURES) {
      const r = parseMessengerWebhook(fixture(name));
      for (const e of r.events) {
        expect(Number.isInteger(e.at), name).toBe(true);
        const t = (e as InboundEvent | OutboundEvent).thread;
        expect(t.business.length).toBeGreaterThan(0);
        expect(t.customer.length).toBeGreaterThan(0);
        expect(["messenger", "instagram"]).toContain(t.channel);
      }
    }
  });
});
