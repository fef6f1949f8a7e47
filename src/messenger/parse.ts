/**
 * `parseMessengerWebhook`: a Messenger (`object: "page"`) or Instagram (`object: "instagram"`)
 * webhook POST body in, core events and issues out — with the same guarantees as the WhatsApp
 * `parseWebhook`, whose {@link ParseResult} it returns.
 *
 * Every `entry[].messaging[]` (and `entry[].standby[]`) item is validated on its own, so a
 * malformed item becomes an issue while its valid siblings still become events. Bad content never
 * throws; only a body that is not JSON, or not a JSON object, gets an {@link InvalidInputError}.
 *
 * Keys (issue 6, IG-5):
 * - `thread.channel` is `messenger` for `object: "page"`, `instagram` for `object: "instagram"`;
 * - `thread.business` is the page id / Instagram account id (the item's `recipient.id` for user
 *   actions, `sender.id` for echoes, `entry.id` when those are missing);
 * - `thread.customer` is the PSID / IGSID (or a plugin `user_ref`).
 *
 * What becomes what:
 *
 * | item | event |
 * |---|---|
 * | `message` (text, quick reply, attachments) | `inbound`, action `message` |
 * | `message` with a `story_mention` attachment (Instagram) | `inbound`, action `story_mention` (IG-4) |
 * | `message.is_echo: true`, or sent by the business itself | `outbound` with `echo: true` (MSG-8) |
 * | `postback` | `inbound`, action `postback` |
 * | `reaction` | `inbound`, action `reaction` (id `reaction:<mid>:<action>:<at>`) |
 * | `referral` alone | `inbound`, action `referral` (id `referral:<customer>:<at>`) |
 * | `message.is_deleted`, `message_edit` | `inbound`, action `message_deleted` / `message_edit` (never opens) |
 * | `read` | `inbound`, action `read` (id `read:<customer>:<at>`; opens only when switched on, OPEN-20) |
 * | `optin` | `inbound`, action `optin` (id `optin:<customer>:<at>`; opens only when switched on, OPEN-20) |
 * | `delivery`, handover, … ; `entry[].changes[]` | counted in `ignored` |
 *
 * A `referral` with `source: "ADS"` (next to the message, inside it, or inside a postback)
 * becomes `event.referral = { sourceType: "ad", sourceId: ad_id }` (MSG-2); other referral
 * sources (m.me links, QR codes) are not ad entries and add no `referral`.
 *
 * @module
 */
import { InvalidInputError } from "../domain/errors.js";
import type {
  Channel,
  InboundEvent,
  Instant,
  OutboundEvent,
  Referral,
  Thread,
} from "../domain/types.js";
import {
  Collector,
  finish,
  isRecord,
  type ParseOptions,
  type ParseResult,
  parseOptionsOf,
  type Rec,
  show,
} from "../whatsapp/collector.js";
import { toBody } from "../whatsapp/web.js";
import {
  type Attachment,
  MessageCoreSchema,
  MessageEditSchema,
  MessageSchema,
  MessagingEnvelopeSchema,
  type MessengerMessage,
  type MessengerReferral,
  MessengerReferralSchema,
  type Participant,
  PostbackSchema,
  ReactionSchema,
} from "./schemas.js";

/**
 * Options of {@link parseMessengerWebhook}: the same as the WhatsApp `parseWebhook`.
 *
 * @example
 * ```ts
 * const options: MessengerParseOptions = { dropTestPayloads: false };
 * ```
 */
export type MessengerParseOptions = ParseOptions;

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** `object` → channel (a `Map`: `"constructor"` or `"__proto__"` is no object). */
const OBJECTS: ReadonlyMap<string, Exclude<Channel, "whatsapp">> = new Map([
  ["page", "messenger"],
  ["instagram", "instagram"],
]);

/**
 * Whether a parsed webhook body is a Messenger or Instagram one (`object: "page"` or
 * `object: "instagram"`), i.e. one {@link parseMessengerWebhook} handles. The WhatsApp
 * `parseWebhook` delegates such bodies here.
 *
 * @example
 * ```ts
 * isMessengerBody({ object: "page", entry: [] });      //=> true
 * isMessengerBody({ object: "instagram", entry: [] }); //=> true
 * isMessengerBody({ object: "whatsapp_business_account" }); //=> false
 * ```
 */
export function isMessengerBody(
  body: unknown,
): body is { readonly object: "page" | "instagram" } & Readonly<Record<string, unknown>> {
  return isRecord(body) && typeof body.object === "string" && OBJECTS.has(body.object);
}

/**
 * Plausible epoch-ms range, [1e11, 1e14): 1973-03-03 to 5138-11-16. Below it is a Unix-seconds
 * value (10 digits today) sent where milliseconds belong — read as ms it would land in January
 * 1970 — and above it a microsecond value (16 digits) that would land in year 55,800. Both are
 * rejected rather than guessed (CSW-3); this mirrors the WhatsApp bound of 1e11 seconds.
 */
const MIN_MS = 100_000_000_000;
const MAX_MS = 100_000_000_000_000;
const MS_RE = /^\d{12,14}(?:\.\d{1,6})?$/;

/**
 * Converts a Messenger Platform timestamp (epoch **milliseconds**, number or digit string) to an
 * {@link Instant}; `undefined` for anything that is not a finite ms value in [1e11, 1e14)
 * (1973 – 5138). A 10-digit seconds value such as `1527459824` is rejected, not read as
 * January 1970; a 16-digit microsecond value is rejected too (CSW-3: such an item opens nothing
 * and is reported as `invalid-timestamp`).
 *
 * @example
 * ```ts
 * messengerInstant(1795683600000);   //=> 1795683600000
 * messengerInstant("1795683600000"); //=> 1795683600000
 * messengerInstant("soon");          //=> undefined
 * messengerInstant(1527459824);      //=> undefined (Unix seconds, not milliseconds)
 * ```
 */
export function messengerInstant(value: unknown): Instant | undefined {
  let ms: number;
  if (typeof value === "number") ms = value;
  else if (typeof value === "string" && MS_RE.test(value)) ms = Number(value);
  else return undefined;
  if (!Number.isFinite(ms) || ms < MIN_MS || ms >= MAX_MS) return undefined;
  return Math.round(ms);
}

/** The App Dashboard "Test" button sends entries with id "0" (treated like WhatsApp's, CSW-15). */
const TEST_ENTRY_ID = "0";

/** Items that carry nothing for the window: counted as ignored. */
const IGNORED_KEYS: readonly string[] = [
  "delivery",
  "account_linking",
  "pass_thread_control",
  "take_thread_control",
  "request_thread_control",
  "app_roles",
  "policy_enforcement",
  "game_play",
  "checkout_update",
  "payment",
  "response_feedback",
];

/**
 * Parses a Messenger (`object: "page"`) or Instagram (`object: "instagram"`) webhook POST body
 * into core events.
 *
 * `body` is the parsed JSON, the raw string, or the raw bytes (`Uint8Array` / `ArrayBuffer`).
 * Verify the `X-Hub-Signature-256` header over the raw bytes first (`verifySignature` works the
 * same for these apps), then parse.
 *
 * - never throws on bad content: malformed or unknown items become issues with their JSON path
 *   (`entry[0].messaging[2].timestamp`), and their valid siblings still become events;
 * - throws {@link InvalidInputError} `invalid-json` for a string / bytes body that is not JSON,
 *   and `invalid-body` for a body that is not a JSON object;
 * - every `at` is the provider's millisecond timestamp (CSW-3, MSG-1), never the receipt time;
 * - echoes of the page's own messages become `outbound` events with `echo: true`, which never
 *   open or extend a window (MSG-8);
 * - identical events inside one body are emitted once.
 *
 * @example
 * ```ts
 * const { events, issues } = parseMessengerWebhook({
 *   object: "page",
 *   entry: [{ id: "104857372012345", time: 1795683600500, messaging: [{
 *     sender: { id: "6024153281234567" }, recipient: { id: "104857372012345" },
 *     timestamp: 1795683600000, message: { mid: "m_1", text: "Is the blue one in stock?" },
 *   }] }],
 * });
 * events[0]; //=> { kind: "inbound", action: "message", type: "text", at: 1795683600000, thread: { channel: "messenger", … } }
 * ```
 */
export function parseMessengerWebhook(body: unknown, options?: MessengerParseOptions): ParseResult {
  const opts = parseOptionsOf(options);
  const root = toBody(body);
  const out = new Collector(opts);
  const channel = typeof root.object === "string" ? OBJECTS.get(root.object) : undefined;
  if (channel === undefined) {
    out.issue(
      "object",
      "unsupported-object",
      `object must be "page" or "instagram", got ${show(root.object)}`,
    );
    return finish(out);
  }
  const entries = root.entry;
  if (!Array.isArray(entries)) {
    out.issue("entry", "invalid-envelope", "entry must be an array");
    return finish(out);
  }
  for (let i = 0; i < entries.length; i++) {
    const entry: unknown = entries[i];
    const ePath = `entry[${i}]`;
    if (!isRecord(entry)) {
      out.issue(ePath, "invalid-envelope", "entry item must be an object");
      continue;
    }
    const entryId = typeof entry.id === "string" && entry.id !== "" ? entry.id : undefined;
    const test = entryId === TEST_ENTRY_ID;
    // CSW-15: the entry itself marks the body as a test, even when none of its items becomes an
    // event (Meta's Dashboard sample carries a seconds timestamp, rejected below).
    if (test) out.test = true;
    let found = false;
    for (const key of ["messaging", "standby"] as const) {
      const items = entry[key];
      if (items === undefined) continue;
      found = true;
      if (!Array.isArray(items)) {
        out.issue(`${ePath}.${key}`, "invalid-envelope", `${key} must be an array`);
        continue;
      }
      for (let j = 0; j < items.length; j++) {
        const itemPath = `${ePath}.${key}[${j}]`;
        out.where = itemPath;
        item(out, items[j], itemPath, channel, entryId, test);
      }
    }
    // Instagram comments, mentions and other `changes[]` fields carry nothing for the window.
    const changes = entry.changes;
    if (Array.isArray(changes)) {
      found = true;
      out.ignored += changes.length;
    } else if (changes !== undefined) {
      out.issue(`${ePath}.changes`, "invalid-envelope", "changes must be an array");
      found = true;
    }
    if (!found) {
      out.issue(ePath, "invalid-envelope", "entry has neither messaging, standby nor changes");
    }
  }
  return finish(out);
}

/** A participant's id (or plugin `user_ref`). */
const idOf = (p: Participant | undefined): string | undefined => p?.id ?? p?.user_ref;

/**
 * Attachment types renamed to the core's inbound types. A `Map`, so an attachment `type` of
 * `"constructor"` or `"toString"` is passed through as that string, never a prototype function.
 */
const ATTACHMENT_TYPES: ReadonlyMap<string, string> = new Map([
  ["image", "image"],
  ["video", "video"],
  ["audio", "audio"],
  ["file", "document"],
  ["location", "location"],
  ["sticker", "sticker"],
]);

/** One `messaging[]` / `standby[]` item. */
function item(
  out: Collector,
  raw: unknown,
  path: string,
  channel: Exclude<Channel, "whatsapp">,
  entryId: string | undefined,
  test: boolean,
): void {
  if (!isRecord(raw)) {
    out.issue(path, "invalid-item", "messaging item must be an object");
    return;
  }
  const kind =
    raw.message !== undefined
      ? "message"
      : raw.postback !== undefined
        ? "postback"
        : raw.reaction !== undefined
          ? "reaction"
          : raw.message_edit !== undefined
            ? "message_edit"
            : raw.referral !== undefined
              ? "referral"
              : raw.read !== undefined
                ? "read"
                : raw.optin !== undefined
                  ? "optin"
                  : undefined;
  if (kind === undefined) {
    if (IGNORED_KEYS.some((k) => raw[k] !== undefined)) {
      out.ignored++;
    } else {
      const keys = Object.keys(raw).filter(
        (k) => k !== "sender" && k !== "recipient" && k !== "timestamp",
      );
      if (keys.length === 0) {
        out.issue(path, "invalid-item", "messaging item has no event (message, postback, …)");
      } else {
        out.ignored++; // a future event kind: passes through like an unknown WhatsApp field
      }
    }
    return;
  }
  const env = MessagingEnvelopeSchema.safeParse(raw);
  if (!env.success) {
    out.zodIssues(path, "invalid-item", env.error.issues);
    return;
  }
  const at = messengerInstant(env.data.timestamp);
  if (at === undefined) {
    out.issue(
      `${path}.timestamp`,
      "invalid-timestamp",
      `timestamp is not epoch milliseconds in [1e11, 1e14) (CSW-3): ${show(env.data.timestamp)}`,
    );
    return;
  }
  const sender = idOf(env.data.sender);
  const recipient = idOf(env.data.recipient);

  if (kind === "message") {
    message(out, raw, path, { channel, entryId, test, at, sender, recipient });
    return;
  }
  // MSG-8: anything the business itself did never opens a window.
  if (sender !== undefined && sender === entryId) {
    out.ignored++;
    return;
  }
  // A checkbox-plugin opt-in names the user only by `optin.user_ref` (no sender).
  const optinRef =
    kind === "optin" && sender === undefined && isRecord(raw.optin)
      ? raw.optin.user_ref
      : undefined;
  const customer = typeof optinRef === "string" && optinRef !== "" ? optinRef : sender;
  const ids = userThread(out, path, channel, entryId, customer, recipient);
  if (ids === undefined) return;
  const thread = ids;
  const base = { kind: "inbound" as const, at, thread };
  switch (kind) {
    case "postback": {
      const postback = raw.postback;
      if (!isRecord(postback)) {
        out.issue(`${path}.postback`, "invalid-item", "postback must be an object");
        return;
      }
      // The tap itself is the user's action (MSG-1): a malformed `payload`, `title` or
      // `referral` is an invalid-content issue, never a lost postback.
      const r = PostbackSchema.safeParse(postback);
      let mid: string | undefined;
      let inPostback: Referral | undefined;
      if (r.success) {
        mid = r.data.mid;
        inPostback = adReferral(r.data.referral);
      } else {
        out.zodIssues(`${path}.postback`, "invalid-content", r.error.issues);
        mid = typeof postback.mid === "string" ? postback.mid : undefined;
        inPostback = silentReferral(postback.referral);
      }
      const event: Mutable<InboundEvent> = {
        ...base,
        id: mid || `postback:${thread.customer}:${at}`, // an empty mid is no id
        type: "postback",
        action: "postback",
      };
      const ref = inPostback ?? referralAt(out, raw.referral, `${path}.referral`);
      if (ref !== undefined) event.referral = ref;
      out.emit(event, test, event.id);
      return;
    }
    case "reaction": {
      const r = ReactionSchema.safeParse(raw.reaction);
      if (!r.success) {
        out.zodIssues(`${path}.reaction`, "invalid-item", r.error.issues);
        return;
      }
      const action = r.data.action ?? "react";
      const event: Mutable<InboundEvent> = {
        ...base,
        // The reaction's `mid` is the reacted-to message: never reuse it as this event's id.
        id: `reaction:${r.data.mid || thread.customer}:${action}:${at}`,
        type: "reaction",
        subtype: action,
        action: "reaction",
      };
      out.emit(event, test, event.id);
      return;
    }
    case "message_edit": {
      const r = MessageEditSchema.safeParse(raw.message_edit);
      if (!r.success) {
        out.zodIssues(`${path}.message_edit`, "invalid-item", r.error.issues);
        return;
      }
      const edit = {
        ...base,
        id: `edit:${r.data.mid}:${at}`,
        type: "edit",
        action: "message_edit",
      } as const;
      out.emit(edit, test, edit.id);
      return;
    }
    case "read":
    case "optin": {
      // OPEN-20: reads and opt-ins become events so a host can switch them on; by default they
      // open nothing (the decision ignores them).
      if (!isRecord(raw[kind])) {
        out.issue(`${path}.${kind}`, "invalid-item", `${kind} must be an object`);
        return;
      }
      const event: InboundEvent = {
        ...base,
        id: `${kind}:${thread.customer}:${at}`,
        type: kind,
        action: kind,
      };
      out.emit(event, test, event.id);
      return;
    }
    default: {
      // A referral on its own (an existing thread re-entered from a link or an ad).
      const r = MessengerReferralSchema.safeParse(raw.referral);
      if (!r.success) {
        out.zodIssues(`${path}.referral`, "invalid-item", r.error.issues);
        return;
      }
      const event: Mutable<InboundEvent> = {
        ...base,
        id: `referral:${thread.customer}:${at}`,
        type: "referral",
        action: "referral",
      };
      const ref = adReferral(r.data);
      if (ref !== undefined) event.referral = ref;
      out.emit(event, test, event.id);
    }
  }
}

interface ItemContext {
  readonly channel: Exclude<Channel, "whatsapp">;
  readonly entryId: string | undefined;
  readonly test: boolean;
  readonly at: Instant;
  readonly sender: string | undefined;
  readonly recipient: string | undefined;
}

/** The thread of a user action: business = recipient (or entry), customer = sender. */
function userThread(
  out: Collector,
  path: string,
  channel: Exclude<Channel, "whatsapp">,
  entryId: string | undefined,
  sender: string | undefined,
  recipient: string | undefined,
): Thread | undefined {
  if (sender === undefined) {
    out.issue(`${path}.sender`, "missing-customer", "sender.id (PSID / IGSID) is missing");
    return undefined;
  }
  const business = recipient ?? entryId;
  if (business === undefined) {
    out.issue(
      `${path}.recipient`,
      "missing-business",
      "neither recipient.id nor entry.id is given",
    );
    return undefined;
  }
  return { channel, business, customer: sender };
}

function message(out: Collector, raw: Rec, path: string, ctx: ItemContext): void {
  const mPath = `${path}.message`;
  const core = MessageCoreSchema.safeParse(raw.message);
  if (!core.success) {
    // No id, or an is_echo that is not a boolean: the direction is unknown, so nothing is
    // emitted rather than risk opening a window with the page's own message (MSG-8).
    out.zodIssues(mPath, "invalid-item", core.error.issues);
    return;
  }
  const full = MessageSchema.safeParse(raw.message);
  let msg: MessengerMessage | undefined;
  if (full.success) msg = full.data;
  else out.zodIssues(mPath, "invalid-content", full.error.issues);

  const { channel, entryId, at, sender, recipient, test } = ctx;
  const echo = core.data.is_echo === true || (sender !== undefined && sender === entryId);
  if (echo) {
    // MSG-8: the page's own message (sent from the inbox, the app or another app).
    const customer = recipient;
    if (customer === undefined) {
      out.issue(`${path}.recipient`, "missing-customer", "echo has no recipient.id");
      return;
    }
    const business = sender ?? entryId;
    if (business === undefined) {
      out.issue(`${path}.sender`, "missing-business", "echo has neither sender.id nor entry.id");
      return;
    }
    const event: OutboundEvent = {
      kind: "outbound",
      id: core.data.mid,
      message: "free-form",
      type: msg === undefined ? "unknown" : contentType(msg),
      echo: true,
      at,
      thread: { channel, business, customer },
    };
    out.emit(event, test, event.id);
    return;
  }
  const thread = userThread(out, path, channel, entryId, sender, recipient);
  if (thread === undefined) return;
  const storyMention = msg?.attachments?.some((a) => a.type === "story_mention") === true;
  const event: Mutable<InboundEvent> = {
    kind: "inbound",
    id: core.data.mid,
    type: msg === undefined ? "unknown" : storyMention ? "story_mention" : contentType(msg),
    action: storyMention ? "story_mention" : "message",
    at,
    thread,
  };
  if (msg?.is_deleted === true) {
    // The user unsent a message: not a new message, and never the original's id.
    event.id = `deleted:${core.data.mid}:${at}`;
    event.type = "revoke";
    event.action = "message_deleted";
  } else if (msg?.quick_reply !== undefined) {
    event.subtype = "quick_reply";
  }
  const inMessage =
    msg === undefined ? silentReferral((raw.message as Rec).referral) : adReferral(msg.referral);
  const ref = inMessage ?? referralAt(out, raw.referral, `${path}.referral`);
  if (ref !== undefined) event.referral = ref;
  out.emit(event, test, event.id);
}

/** The core inbound type of a message's content. */
function contentType(msg: MessengerMessage): string {
  if (msg.is_unsupported === true) return "unsupported";
  if (msg.sticker_id !== undefined) return "sticker";
  const first: Attachment | undefined = msg.attachments?.[0];
  if (first !== undefined) return ATTACHMENT_TYPES.get(first.type) ?? (first.type || "unknown");
  if (msg.text !== undefined) return "text";
  return "unknown";
}

/** A messaging-level `referral` next to a message or postback, validated on its own. */
function referralAt(out: Collector, raw: unknown, path: string): Referral | undefined {
  if (raw === undefined) return undefined;
  const r = MessengerReferralSchema.safeParse(raw);
  if (!r.success) {
    out.zodIssues(path, "invalid-content", r.error.issues);
    return undefined;
  }
  return adReferral(r.data);
}

/** The referral inside a message whose content failed (its issues are already reported). */
function silentReferral(raw: unknown): Referral | undefined {
  const r = MessengerReferralSchema.safeParse(raw);
  return r.success ? adReferral(r.data) : undefined;
}

/** MSG-2: only a Click-to-Messenger / Click-to-Direct ad referral is an ad entry. */
function adReferral(ref: MessengerReferral | undefined): Referral | undefined {
  if (ref === undefined) return undefined;
  const isAd = ref.source === undefined ? ref.ad_id !== undefined : ref.source === "ADS";
  if (!isAd) return undefined;
  const out: Mutable<Referral> = { sourceType: "ad" };
  if (ref.ad_id !== undefined) out.sourceId = String(ref.ad_id);
  const headline = ref.ads_context_data?.ad_title;
  if (headline !== undefined) out.headline = headline;
  return out;
}
