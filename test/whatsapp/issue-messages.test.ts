/**
 * Issue 14 item 3 (wire schemas on zod/mini): the issues `parseWebhook` reports for malformed
 * items, pinned to the exact path, code and message they had on classic zod (0.2.0 merge,
 * ef50bb2). Moving the schemas to another zod API must leave every row unchanged: a different
 * message or path is a regression in the edge, not a row to edit.
 */
import { describe, expect, it } from "vitest";
import { MessageSchema } from "../../src/messenger/schemas.js";
import { parseWebhook } from "../../src/whatsapp/parse.js";
import {
  MessageTemplateStatusUpdateSchema,
  messageSchemaFor,
  StatusSchema,
  WebhookBodySchema,
} from "../../src/whatsapp/schemas.js";

const BIZ = "106540352242922";
const META = { display_phone_number: "15550783881", phone_number_id: BIZ };
const USER = "5511987654321";
const wrap = (field: string, value: Record<string, unknown>) => ({
  object: "whatsapp_business_account",
  entry: [{ id: "102290129340398", changes: [{ field, value }] }],
});
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
const st = (extra: Record<string, unknown>) => ({
  id: "wamid.OUT",
  status: "delivered",
  timestamp: "1763990000",
  recipient_id: USER,
  ...extra,
});

type Row = [path: string, code: string, message: string];
/** "@" stands for `entry[0].changes[0].value`. */
const at = (path: string) => path.replace("@", "entry[0].changes[0].value");

const CASES: [name: string, body: unknown, issues: Row[]][] = [
  [
    "referral without source_type",
    messages([text({ referral: { source_url: "https://fb.me/x" } })]),
    [
      [
        "@.messages[0].referral.source_type",
        "invalid-content",
        "Invalid input: expected string, received undefined",
      ],
    ],
  ],
  [
    "context id a number",
    messages([text({ context: { id: 12345 } })]),
    [
      [
        "@.messages[0].context.id",
        "invalid-content",
        "Invalid input: expected string, received number",
      ],
    ],
  ],
  [
    "errors[] entry without code",
    messages([
      {
        from: USER,
        id: "wamid.C",
        timestamp: "1763990000",
        type: "unsupported",
        errors: [{ title: "x" }],
      },
    ]),
    [["@.messages[0].errors[0].code", "invalid-content", "Invalid input"]],
  ],
  [
    "empty message id",
    messages([text({ id: "" })]),
    [["@.messages[0].id", "invalid-item", "Too small: expected string to have >=1 characters"]],
  ],
  [
    "timestamp a boolean",
    messages([text({ timestamp: true })]),
    [["@.messages[0].timestamp", "invalid-item", "Invalid input"]],
  ],
  [
    "type a number",
    messages([text({ type: 7 })]),
    [["@.messages[0].type", "invalid-item", "Invalid input: expected string, received number"]],
  ],
  [
    "text content a string",
    messages([text({ text: "oi" })]),
    [["@.messages[0].text", "invalid-content", "Invalid input: expected object, received string"]],
  ],
  [
    "text body missing",
    messages([text({ text: {} })]),
    [
      [
        "@.messages[0].text.body",
        "invalid-content",
        "Invalid input: expected string, received undefined",
      ],
    ],
  ],
  [
    "location latitude null",
    messages([
      {
        from: USER,
        id: "wamid.L",
        timestamp: "1763990000",
        type: "location",
        location: { latitude: null, longitude: 1 },
      },
    ]),
    [["@.messages[0].location.latitude", "invalid-content", "Invalid input"]],
  ],
  [
    "interactive button_reply without id",
    messages([
      {
        from: USER,
        id: "wamid.I",
        timestamp: "1763990000",
        type: "interactive",
        interactive: { type: "button_reply", button_reply: { title: "Yes" } },
      },
    ]),
    [
      [
        "@.messages[0].interactive.button_reply.id",
        "invalid-content",
        "Invalid input: expected string, received undefined",
      ],
    ],
  ],
  [
    "call_permission_reply expiration an object",
    messages([
      {
        from: USER,
        id: "wamid.I",
        timestamp: "1763990000",
        type: "interactive",
        interactive: {
          type: "call_permission_reply",
          call_permission_reply: { response: "accept", expiration_timestamp: {} },
        },
      },
    ]),
    [
      [
        "@.messages[0].interactive.call_permission_reply.expiration_timestamp",
        "invalid-content",
        "Invalid input",
      ],
    ],
  ],
  [
    "contacts message, contacts not an array",
    messages([
      {
        from: USER,
        id: "wamid.K",
        timestamp: "1763990000",
        type: "contacts",
        contacts: { name: {} },
      },
    ]),
    [
      [
        "@.messages[0].contacts",
        "invalid-content",
        "Invalid input: expected array, received object",
      ],
    ],
  ],
  [
    "order quantity a boolean",
    messages([
      {
        from: USER,
        id: "wamid.O",
        timestamp: "1763990000",
        type: "order",
        order: { product_items: [{ quantity: true }] },
      },
    ]),
    [["@.messages[0].order.product_items[0].quantity", "invalid-content", "Invalid input"]],
  ],
  [
    "edit without original id",
    messages([
      { from: USER, id: "wamid.E", timestamp: "1763990000", type: "edit", edit: { message: [] } },
    ]),
    [
      [
        "@.messages[0].edit.original_message_id",
        "invalid-content",
        "Invalid input: expected string, received undefined",
      ],
      [
        "@.messages[0].edit.message",
        "invalid-content",
        "Invalid input: expected object, received array",
      ],
    ],
  ],
  [
    "many bad fields (five issues at most)",
    messages([
      text({
        from: 1,
        from_user_id: 2,
        group_id: 3,
        context: 4,
        referral: 5,
        errors: 6,
        identity: 7,
        text: 8,
      }),
    ]),
    [
      ["@.messages[0].from", "invalid-item", "Invalid input: expected string, received number"],
      [
        "@.messages[0].from_user_id",
        "invalid-item",
        "Invalid input: expected string, received number",
      ],
      ["@.messages[0].group_id", "invalid-item", "Invalid input: expected string, received number"],
    ],
  ],
  [
    "essentials: id and timestamp missing",
    messages([{ type: "text", from: USER }]),
    [
      ["@.messages[0].id", "invalid-item", "Invalid input: expected string, received undefined"],
      ["@.messages[0].timestamp", "invalid-item", "Invalid input"],
    ],
  ],
  [
    "message not an object",
    messages(["wamid.X", null]),
    [
      ["@.messages[0]", "invalid-item", "message must be an object"],
      ["@.messages[1]", "invalid-item", "message must be an object"],
    ],
  ],
  [
    "contacts[] entry bad",
    messages([text({})], { contacts: [{ profile: "Ana", wa_id: 5511 }, 3] }),
    [
      ["@.contacts[0].profile", "invalid-item", "Invalid input: expected object, received string"],
      ["@.contacts[0].wa_id", "invalid-item", "Invalid input: expected string, received number"],
      ["@.contacts[1]", "invalid-item", "Invalid input: expected object, received number"],
    ],
  ],
  [
    "metadata without phone_number_id",
    wrap("messages", { metadata: { display_phone_number: 1 }, messages: [text({})] }),
    [
      [
        "@.metadata",
        "missing-metadata",
        "metadata.phone_number_id is missing: the items of this change have no business (ID-1)",
      ],
    ],
  ],
  [
    "metadata phone_number_id empty",
    wrap("messages", { metadata: { phone_number_id: "" }, messages: [text({})] }),
    [
      [
        "@.metadata",
        "missing-metadata",
        "metadata.phone_number_id is missing: the items of this change have no business (ID-1)",
      ],
    ],
  ],
  [
    "value errors[] bad",
    wrap("messages", { metadata: META, errors: [{ code: null }] }),
    [["@.errors[0]", "platform-error", "malformed platform error"]],
  ],
  [
    "status id empty, status missing",
    statuses([st({ id: "", status: undefined })]),
    [
      ["@.statuses[0].id", "invalid-item", "Too small: expected string to have >=1 characters"],
      [
        "@.statuses[0].status",
        "invalid-item",
        "Invalid input: expected string, received undefined",
      ],
    ],
  ],
  [
    "status pricing billable a string",
    statuses([st({ pricing: { billable: "yes", pricing_model: 1 } })]),
    [
      [
        "@.statuses[0].pricing.billable",
        "invalid-content",
        "Invalid input: expected boolean, received string",
      ],
      [
        "@.statuses[0].pricing.pricing_model",
        "invalid-content",
        "Invalid input: expected string, received number",
      ],
    ],
  ],
  [
    "status errors without code",
    statuses([st({ status: "failed", errors: [{ title: "no code" }, { code: false }] })]),
    [
      ["@.statuses[0].errors[0].code", "invalid-content", "Invalid input"],
      ["@.statuses[0].errors[1].code", "invalid-content", "Invalid input"],
    ],
  ],
  [
    "status conversation origin a string",
    statuses([st({ conversation: { id: 1, origin: "service", expiration_timestamp: [] } })]),
    [
      [
        "@.statuses[0].conversation.id",
        "invalid-content",
        "Invalid input: expected string, received number",
      ],
      ["@.statuses[0].conversation.expiration_timestamp", "invalid-content", "Invalid input"],
      [
        "@.statuses[0].conversation.origin",
        "invalid-content",
        "Invalid input: expected object, received string",
      ],
    ],
  ],
  [
    "call event missing, session bad",
    wrap("calls", {
      metadata: META,
      calls: [
        {
          id: "wacid.1",
          timestamp: "1763990000",
          from: USER,
          session: { sdp_type: 1 },
          duration: {},
        },
      ],
    }),
    [
      ["@.calls[0].event", "invalid-item", "Invalid input: expected string, received undefined"],
      [
        "@.calls[0].session.sdp_type",
        "invalid-item",
        "Invalid input: expected string, received number",
      ],
      ["@.calls[0].duration", "invalid-item", "Invalid input"],
    ],
  ],
  [
    "call id empty",
    wrap("calls", {
      metadata: META,
      calls: [{ id: "", event: "connect", timestamp: "1763990000", from: USER }],
    }),
    [["@.calls[0].id", "invalid-item", "Too small: expected string to have >=1 characters"]],
  ],
  [
    "call status bad",
    wrap("calls", {
      metadata: META,
      statuses: [{ id: "wacid.2", type: 3, timestamp: "1763990000", recipient_id: USER }],
    }),
    [
      ["@.statuses[0].type", "invalid-item", "Invalid input: expected string, received number"],
      [
        "@.statuses[0].status",
        "invalid-item",
        "Invalid input: expected string, received undefined",
      ],
    ],
  ],
  [
    "user_preferences item bad",
    wrap("user_preferences", {
      metadata: META,
      user_preferences: [{ wa_id: USER, value: "stop", timestamp: {} }],
    }),
    [
      [
        "@.user_preferences[0].category",
        "invalid-item",
        "Invalid input: expected string, received undefined",
      ],
      ["@.user_preferences[0].timestamp", "invalid-item", "Invalid input"],
    ],
  ],
  [
    "user_id_update current empty",
    wrap("user_id_update", {
      metadata: META,
      user_id_update: [
        { wa_id: USER, user_id: { previous: "BR.1", current: "" }, timestamp: "1763990000" },
      ],
    }),
    [
      [
        "@.user_id_update[0].user_id.current",
        "invalid-item",
        "Too small: expected string to have >=1 characters",
      ],
    ],
  ],
  [
    "user_id_update user_id missing",
    wrap("user_id_update", {
      metadata: META,
      user_id_update: [{ wa_id: USER, timestamp: "1763990000" }],
    }),
    [
      [
        "@.user_id_update[0].user_id",
        "invalid-item",
        "Invalid input: expected object, received undefined",
      ],
    ],
  ],
  [
    "message echo id empty, type missing",
    wrap("smb_message_echoes", {
      metadata: META,
      message_echoes: [{ id: "", timestamp: 1763990000, to: USER }],
    }),
    [
      [
        "@.message_echoes[0].id",
        "invalid-item",
        "Too small: expected string to have >=1 characters",
      ],
      [
        "@.message_echoes[0].type",
        "invalid-item",
        "Invalid input: expected string, received undefined",
      ],
    ],
  ],
  [
    "template category update without new_category",
    wrap("template_category_update", {
      message_template_name: "order_update",
      previous_category: 1,
    }),
    [
      ["@.previous_category", "invalid-item", "Invalid input: expected string, received number"],
      ["@.new_category", "invalid-item", "Invalid input: expected string, received undefined"],
    ],
  ],
  [
    "template status update reason a number, name empty",
    wrap("message_template_status_update", {
      event: "APPROVED",
      message_template_name: "",
      reason: 5,
    }),
    [
      [
        "@.message_template_name",
        "invalid-item",
        "Too small: expected string to have >=1 characters",
      ],
      ["@.reason", "invalid-item", "Invalid input: expected string, received number"],
    ],
  ],
  [
    "template status update reason null is fine",
    wrap("message_template_status_update", {
      event: "APPROVED",
      message_template_name: "x",
      reason: null,
      message_template_id: true,
    }),
    [["@.message_template_id", "invalid-item", "Invalid input"]],
  ],
];

describe("parseWebhook: every schema issue keeps its path, code and English message", () => {
  it.each(CASES)("%s", (_name, body, expected) => {
    const got = parseWebhook(body).issues.map((i) => [i.path, i.code, i.message]);
    expect(got).toEqual(expected.map(([p, c, m]) => [at(p), c, m]));
  });
});

describe("the exported schemas, used directly by a host, report the same English issues", () => {
  const issuesOf = (r: {
    success: boolean;
    error?: { issues: readonly { path: PropertyKey[]; code: string; message: string }[] };
  }) => (r.success ? "ok" : r.error?.issues.map((i) => [i.path, i.code, i.message]));

  it("WebhookBodySchema: a literal, a nested type and an object", () => {
    const r = WebhookBodySchema.safeParse({
      object: "page",
      entry: [{ id: 1, changes: [{ field: "messages", value: [] }] }],
    });
    expect(issuesOf(r)).toEqual([
      [["object"], "invalid_value", 'Invalid input: expected "whatsapp_business_account"'],
      [["entry", 0, "id"], "invalid_type", "Invalid input: expected string, received number"],
      [
        ["entry", 0, "changes", 0, "value"],
        "invalid_type",
        "Invalid input: expected object, received array",
      ],
    ]);
  });

  it("messageSchemaFor('text'): the literal type and the content", () => {
    const r = messageSchemaFor("text")?.safeParse({
      id: "wamid.A",
      timestamp: "1",
      type: "image",
      text: {},
    });
    expect(r && issuesOf(r)).toEqual([
      [["type"], "invalid_value", 'Invalid input: expected "text"'],
      [["text", "body"], "invalid_type", "Invalid input: expected string, received undefined"],
    ]);
  });

  it("nullable and loose: `reason: null` and unknown keys are accepted and kept", () => {
    const t = { event: "APPROVED", message_template_name: "x", reason: null };
    expect(MessageTemplateStatusUpdateSchema.safeParse(t)).toEqual({ success: true, data: t });
    const s = { id: "w", status: "sent", timestamp: 1, extra: 1 };
    expect(StatusSchema.safeParse(s)).toEqual({ success: true, data: s });
  });

  it("Messenger MessageSchema: an attachment without payload", () => {
    const r = MessageSchema.safeParse({ mid: "m", attachments: [{ type: 1 }] });
    expect(issuesOf(r)).toEqual([
      [
        ["attachments", 0, "type"],
        "invalid_type",
        "Invalid input: expected string, received number",
      ],
      [
        ["attachments", 0, "payload"],
        "invalid_type",
        "Invalid input: expected nonoptional, received undefined",
      ],
    ]);
  });
});
