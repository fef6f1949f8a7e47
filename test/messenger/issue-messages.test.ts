/**
 * Issue 14 item 3 (wire schemas on zod/mini): the issues `parseMessengerWebhook` reports for
 * malformed items, pinned to the exact path, code and message they had on classic zod (0.2.0
 * merge, ef50bb2). A different message or path after a schema change is a regression in the
 * edge, not a row to edit.
 */
import { describe, expect, it } from "vitest";
import { parseMessengerWebhook } from "../../src/messenger/parse.js";

const PAGE = "104857372012345";
const PSID = "6024153281234567";
const T0 = 1_795_683_600_000;
const page = (items: unknown[], object = "page") => ({
  object,
  entry: [{ id: PAGE, time: T0 + 500, messaging: items }],
});
const env = (extra: Record<string, unknown>) => ({
  sender: { id: PSID },
  recipient: { id: PAGE },
  timestamp: T0,
  ...extra,
});

type Row = [path: string, code: string, message: string];
/** "@" stands for `entry[0].messaging`. */
const at = (path: string) => path.replace("@", "entry[0].messaging");

const CASES: [name: string, body: unknown, issues: Row[]][] = [
  [
    "timestamp missing",
    page([{ sender: { id: PSID }, recipient: { id: PAGE }, message: { mid: "m_1", text: "hi" } }]),
    [["@[0].timestamp", "invalid-item", "Invalid input"]],
  ],
  [
    "sender id empty, recipient user_ref a number",
    page([env({ sender: { id: "" }, recipient: { user_ref: 5 }, message: { mid: "m_1" } })]),
    [
      ["@[0].sender.id", "invalid-item", "Too small: expected string to have >=1 characters"],
      [
        "@[0].recipient.user_ref",
        "invalid-item",
        "Invalid input: expected string, received number",
      ],
    ],
  ],
  [
    "timestamp an object",
    page([env({ timestamp: {}, message: { mid: "m_1" } })]),
    [["@[0].timestamp", "invalid-item", "Invalid input"]],
  ],
  [
    "message mid missing",
    page([env({ message: { text: "hi" } })]),
    [["@[0].message.mid", "invalid-item", "Invalid input: expected string, received undefined"]],
  ],
  [
    "message mid empty, is_echo a string",
    page([env({ message: { mid: "", is_echo: "yes" } })]),
    [
      ["@[0].message.mid", "invalid-item", "Too small: expected string to have >=1 characters"],
      ["@[0].message.is_echo", "invalid-item", "Invalid input: expected boolean, received string"],
    ],
  ],
  [
    "message text a number, attachments not an array",
    page([env({ message: { mid: "m_1", text: 5, attachments: {} } })]),
    [
      ["@[0].message.text", "invalid-content", "Invalid input: expected string, received number"],
      [
        "@[0].message.attachments",
        "invalid-content",
        "Invalid input: expected array, received object",
      ],
    ],
  ],
  [
    "attachment without type",
    page([env({ message: { mid: "m_1", attachments: [{ payload: {} }, 3] } })]),
    [
      [
        "@[0].message.attachments[0].type",
        "invalid-content",
        "Invalid input: expected string, received undefined",
      ],
      [
        "@[0].message.attachments[1]",
        "invalid-content",
        "Invalid input: expected object, received number",
      ],
    ],
  ],
  [
    "quick_reply payload a number, sticker_id a boolean",
    page([
      env({
        message: {
          mid: "m_1",
          quick_reply: { payload: 1 },
          sticker_id: true,
          reply_to: { story: { url: 1 } },
        },
      }),
    ]),
    [
      [
        "@[0].message.quick_reply.payload",
        "invalid-content",
        "Invalid input: expected string, received number",
      ],
      [
        "@[0].message.reply_to.story.url",
        "invalid-content",
        "Invalid input: expected string, received number",
      ],
      ["@[0].message.sticker_id", "invalid-content", "Invalid input"],
    ],
  ],
  [
    "message referral bad",
    page([env({ message: { mid: "m_1", referral: { source: 1, ad_id: {} } } })], "instagram"),
    [
      [
        "@[0].message.referral.source",
        "invalid-content",
        "Invalid input: expected string, received number",
      ],
      ["@[0].message.referral.ad_id", "invalid-content", "Invalid input"],
    ],
  ],
  [
    "postback title a number",
    page([env({ postback: { title: 1, payload: "GET_STARTED", referral: { ref: 2 } } })]),
    [
      ["@[0].postback.title", "invalid-content", "Invalid input: expected string, received number"],
      [
        "@[0].postback.referral.ref",
        "invalid-content",
        "Invalid input: expected string, received number",
      ],
    ],
  ],
  [
    "reaction mid a number",
    page([env({ reaction: { mid: 5, action: "react" } })]),
    [["@[0].reaction.mid", "invalid-item", "Invalid input: expected string, received number"]],
  ],
  [
    "message_edit mid empty, num_edit a string",
    page([env({ message_edit: { mid: "", num_edit: "1" } })], "instagram"),
    [
      [
        "@[0].message_edit.mid",
        "invalid-item",
        "Too small: expected string to have >=1 characters",
      ],
      [
        "@[0].message_edit.num_edit",
        "invalid-item",
        "Invalid input: expected number, received string",
      ],
    ],
  ],
  [
    "referral item bad",
    page([env({ referral: { source: 3, type: [], ads_context_data: { ad_title: 1 } } })]),
    [
      ["@[0].referral.source", "invalid-item", "Invalid input: expected string, received number"],
      ["@[0].referral.type", "invalid-item", "Invalid input: expected string, received array"],
      [
        "@[0].referral.ads_context_data.ad_title",
        "invalid-item",
        "Invalid input: expected string, received number",
      ],
    ],
  ],
];

describe("parseMessengerWebhook: every schema issue keeps its path, code and English message", () => {
  it.each(CASES)("%s", (_name, body, expected) => {
    const got = parseMessengerWebhook(body).issues.map((i) => [i.path, i.code, i.message]);
    expect(got).toEqual(expected.map(([p, c, m]) => [at(p), c, m]));
  });
});
