/**
 * zod 4 schemas of the Messenger Platform webhooks for Messenger (`object: "page"`) and
 * Instagram (`object: "instagram"`): `entry[].messaging[]` (and `entry[].standby[]`) items.
 *
 * Every object schema is **loose**: unknown keys are kept, because Meta adds fields without
 * notice. Timestamps are epoch **milliseconds** (unlike WhatsApp's Unix seconds), as numbers or,
 * from some relays, digit strings. {@link parseMessengerWebhook} validates one item at a time, so a
 * malformed item never drops its valid siblings.
 *
 * Built with `zod/mini` (issue 14 item 3): compose them with its functions (`z.extend(Schema, …)`,
 * `z.optional(Schema)`), not chained methods. Objects use zod's compiled object parser and
 * issues read in zod's English locale, as on classic zod (see `zod-mini.ts`).
 *
 * @module
 */
import * as z from "zod/mini";
import { ensureEnglishIssues, looseObject } from "../whatsapp/zod-mini.js";

// zod/mini loads no locale: keep classic zod's English issue messages (see zod-mini.ts).
ensureEnglishIssues();

/**
 * A Messenger Platform timestamp: epoch milliseconds, a number (a digit string is tolerated).
 *
 * @example
 * ```ts
 * MessengerTimestampSchema.parse(1795683600000); // ok
 * ```
 */
export const MessengerTimestampSchema = z.union([z.number(), z.string()]);

/**
 * `sender` / `recipient`: a PSID, IGSID, page id or Instagram account id; Messenger plugins may
 * send a `user_ref` instead of an `id`.
 *
 * @example
 * ```ts
 * ParticipantSchema.parse({ id: "6024153281234567" });
 * ```
 */
export const ParticipantSchema = looseObject({
  id: z.optional(z.string().check(z.minLength(1))),
  user_ref: z.optional(z.string().check(z.minLength(1))),
});
/**
 * Inferred type of {@link ParticipantSchema}.
 *
 * @example
 * ```ts
 * const p: Participant = { id: "6024153281234567" };
 * ```
 */
export type Participant = z.infer<typeof ParticipantSchema>;

/**
 * A `referral` object: on `messaging_referrals` items, inside `postback` (new threads), inside
 * `message` (Instagram Click-to-Direct) or next to `message`. `source: "ADS"` with `ad_id` marks
 * a Click-to-Messenger / Click-to-Direct ad (MSG-2).
 *
 * @example
 * ```ts
 * MessengerReferralSchema.parse({ source: "ADS", type: "OPEN_THREAD", ad_id: "120210000000000" });
 * ```
 */
export const MessengerReferralSchema = looseObject({
  source: z.optional(z.string()),
  type: z.optional(z.string()),
  ref: z.optional(z.string()),
  ad_id: z.optional(z.union([z.string(), z.number()])),
  referer_uri: z.optional(z.string()),
  ads_context_data: z.optional(looseObject({ ad_title: z.optional(z.string()) })),
});
/**
 * Inferred type of {@link MessengerReferralSchema}.
 *
 * @example
 * ```ts
 * const r: MessengerReferral = { source: "SHORTLINK", ref: "spring" };
 * ```
 */
export type MessengerReferral = z.infer<typeof MessengerReferralSchema>;

/**
 * One `message.attachments[]` entry: `image`, `video`, `audio`, `file`, `location`, `fallback`,
 * `template`, and on Instagram `story_mention`, `share`, `ig_reel`, … (open set).
 *
 * @example
 * ```ts
 * AttachmentSchema.parse({ type: "story_mention", payload: { url: "https://lookaside.fbsbx.com/x" } });
 * ```
 */
export const AttachmentSchema = looseObject({ type: z.string(), payload: z.unknown() });
/**
 * Inferred type of {@link AttachmentSchema}.
 *
 * @example
 * ```ts
 * const a: Attachment = { type: "image", payload: { url: "https://example.com/a.jpg" } };
 * ```
 */
export type Attachment = z.infer<typeof AttachmentSchema>;

/**
 * The window-relevant core of a `message`: its id and whether it is the page's own echo
 * (MSG-8). A message whose content is malformed but whose core is valid still counts as written.
 *
 * @example
 * ```ts
 * MessageCoreSchema.parse({ mid: "m_AbC", is_echo: true });
 * ```
 */
export const MessageCoreSchema = looseObject({
  mid: z.string().check(z.minLength(1)),
  is_echo: z.optional(z.boolean()),
});

/**
 * A full `message` object: text, quick reply, attachments, reply-to (Instagram story replies),
 * referral, echo markers, Instagram deletion and unsupported markers.
 *
 * @example
 * ```ts
 * MessageSchema.parse({ mid: "m_AbC", text: "Hi", quick_reply: { payload: "SIZE_M" } });
 * ```
 */
export const MessageSchema = z.extend(MessageCoreSchema, {
  text: z.optional(z.string()),
  app_id: z.optional(z.union([z.number(), z.string()])),
  metadata: z.optional(z.string()),
  quick_reply: z.optional(looseObject({ payload: z.optional(z.string()) })),
  attachments: z.optional(z.array(AttachmentSchema)),
  reply_to: z.optional(
    looseObject({
      mid: z.optional(z.string()),
      story: z.optional(looseObject({ id: z.optional(z.string()), url: z.optional(z.string()) })),
    }),
  ),
  referral: z.optional(MessengerReferralSchema),
  sticker_id: z.optional(z.union([z.number(), z.string()])),
  is_deleted: z.optional(z.boolean()),
  is_unsupported: z.optional(z.boolean()),
});
/**
 * Inferred type of {@link MessageSchema}.
 *
 * @example
 * ```ts
 * const m: MessengerMessage = { mid: "m_AbC", text: "Hi" };
 * ```
 */
export type MessengerMessage = z.infer<typeof MessageSchema>;

/**
 * A `postback` (button tap, Get Started, persistent menu). `mid` is absent on older payloads;
 * `referral` is present when a new thread started from an ad or link.
 *
 * @example
 * ```ts
 * PostbackSchema.parse({ mid: "m_Pb1", title: "Get Started", payload: "GET_STARTED" });
 * ```
 */
export const PostbackSchema = looseObject({
  mid: z.optional(z.string()),
  title: z.optional(z.string()),
  payload: z.optional(z.string()),
  referral: z.optional(MessengerReferralSchema),
});
/**
 * Inferred type of {@link PostbackSchema}.
 *
 * @example
 * ```ts
 * const p: MessengerPostback = { payload: "GET_STARTED" };
 * ```
 */
export type MessengerPostback = z.infer<typeof PostbackSchema>;

/**
 * A `reaction` to a message: `mid` is the **reacted-to** message, `action` is `react` or
 * `unreact`.
 *
 * @example
 * ```ts
 * ReactionSchema.parse({ mid: "m_AbC", action: "react", reaction: "love", emoji: "❤️" });
 * ```
 */
export const ReactionSchema = looseObject({
  mid: z.optional(z.string()),
  action: z.optional(z.string()),
  reaction: z.optional(z.string()),
  emoji: z.optional(z.string()),
});
/**
 * Inferred type of {@link ReactionSchema}.
 *
 * @example
 * ```ts
 * const r: MessengerReaction = { mid: "m_AbC", action: "unreact" };
 * ```
 */
export type MessengerReaction = z.infer<typeof ReactionSchema>;

/**
 * A `message_edit` item (the user edited a message): it never opens a window by default.
 *
 * @example
 * ```ts
 * MessageEditSchema.parse({ mid: "m_AbC", text: "Hi!", num_edit: 1 });
 * ```
 */
export const MessageEditSchema = looseObject({
  mid: z.string().check(z.minLength(1)),
  text: z.optional(z.string()),
  num_edit: z.optional(z.number()),
});

/**
 * The envelope of one `messaging[]` / `standby[]` item: who, to whom, when.
 *
 * @example
 * ```ts
 * MessagingEnvelopeSchema.parse({ sender: { id: "6024153281234567" }, recipient: { id: "104857372012345" }, timestamp: 1795683600000 });
 * ```
 */
export const MessagingEnvelopeSchema = looseObject({
  sender: z.optional(ParticipantSchema),
  recipient: z.optional(ParticipantSchema),
  timestamp: MessengerTimestampSchema,
});
/**
 * Inferred type of {@link MessagingEnvelopeSchema}.
 *
 * @example
 * ```ts
 * const e: MessagingEnvelope = { sender: { id: "1" }, recipient: { id: "2" }, timestamp: 1795683600000 };
 * ```
 */
export type MessagingEnvelope = z.infer<typeof MessagingEnvelopeSchema>;
