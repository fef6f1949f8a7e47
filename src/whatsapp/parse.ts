/**
 * `parseWebhook`: a WhatsApp Cloud API webhook POST body in, core events and issues out.
 *
 * Every `messages[]`, `statuses[]`, `calls[]`, `user_preferences[]`, … item is validated on its
 * own (one `safeParse` each), so a malformed item becomes an issue while its valid siblings still
 * become events (Meta's webhook reference). Inside an item only the essentials are required (a message's
 * id, timestamp, type and sender; a status's id, status and timestamp): a malformed side field
 * is an `invalid-content` issue and the event is kept without it. Bad content never throws; only a body that is not JSON, or
 * not a JSON object, gets an {@link InvalidInputError}.
 *
 * Keys (ID-1, ID-5, ID-6, CSW-9):
 * - `thread.business` is `value.metadata.phone_number_id`, never the display number;
 * - `thread.customer` is the user's `wa_id` when the payload gives one (on the item, or through
 *   `contacts[]` by BSUID), otherwise the BSUID; for group messages it is the `group_id`;
 * - whenever a payload links a `wa_id` and a BSUID, an `identity` event with
 *   `change: "alias"` (`from` = `wa_id`, `to` = BSUID) lets the service merge both threads.
 *
 * @module
 */
import { InvalidInputError } from "../domain/errors.js";
import type {
  CallEvent,
  IdentityEvent,
  InboundEvent,
  Instant,
  OutboundEvent,
  Referral,
  StatusEvent,
  StatusPricing,
  TemplateCategory,
  TemplateCategoryEvent,
  Thread,
} from "../domain/types.js";
import { isMessengerBody, parseMessengerWebhook } from "../messenger/parse.js";
import {
  Collector,
  finish,
  isRecord,
  type ParseOptions,
  type ParseResult,
  parseOptionsOf,
  type Rec,
  show,
} from "./collector.js";
import type {
  Call,
  CallStatus,
  Conversation,
  MessageEssentials,
  Pricing,
  Status,
  StatusEssentials,
  WebhookReferral,
  WhatsAppError,
} from "./schemas.js";
import {
  CallSchema,
  CallStatusSchema,
  ContactSchema,
  MessageBaseSchema,
  MessageEchoSchema,
  MessageEssentialsSchema,
  MessageTemplateStatusUpdateSchema,
  MetadataSchema,
  messageSchemaFor,
  ReferralSchema,
  StatusEssentialsSchema,
  StatusSchema,
  TemplateCategoryUpdateSchema,
  UserIdUpdateSchema,
  UserPreferenceSchema,
  WhatsAppErrorSchema,
} from "./schemas.js";
import { toInstant } from "./time.js";
import { toBody } from "./web.js";

export type { ParseOptions, ParseResult, WebhookIssue, WebhookIssueCode } from "./collector.js";

/** The Dashboard test payload markers (Meta's webhook reference, CSW-15). */
const TEST_ENTRY_ID = "0";
const TEST_PHONE_NUMBER_ID = "123456123";
/** Test items use ids without `wamid.` and 2017 timestamps: anything before 2018 with such an id. */
const TEST_BEFORE: Instant = 1_514_764_800_000; // 2018-01-01T00:00:00Z

const TEMPLATE_CATEGORIES: ReadonlySet<string> = new Set([
  "marketing",
  "utility",
  "authentication",
]);

/** Error code as a number (ERR-1), or undefined. */
function errorCode(code: number | string): number | undefined {
  if (typeof code === "number") return Number.isFinite(code) ? code : undefined;
  return /^\d{1,12}$/.test(code) ? Number(code) : undefined;
}

/** Everything one value handler needs: its business, its links, the collectors. */
interface ValueContext {
  readonly path: string;
  readonly business: string;
  /** The business's display number (from this value, or another value of the body). */
  readonly display: string | undefined;
  /** The `wa_id`s `contacts[]` names (compared by {@link phoneKey}, only when a call needs it). */
  readonly contactPhones: string[];
  readonly test: boolean;
  /** BSUID → wa_id from `contacts[]`. */
  readonly waByUser: Map<string, string>;
  /** Aliases from `contacts[]`, emitted once the value's earliest item instant is known. */
  readonly contactAliases: [string, string][];
  /** The only contact when there is exactly one (calls name the customer through it). */
  single: { wa?: string; user?: string } | undefined;
  minAt: Instant | undefined;
}

/**
 * Parses a WhatsApp Cloud API webhook POST body into core events.
 *
 * `body` is the parsed JSON, the raw string, or the raw bytes (`Uint8Array` / `ArrayBuffer`).
 * Verify the signature over the raw bytes first ({@link verifySignature}), then parse.
 *
 * - never throws on bad content: malformed or unknown items become {@link WebhookIssue}s with
 *   their JSON path, and their valid siblings still become events;
 * - throws {@link InvalidInputError} `invalid-json` for a string / bytes body that is not JSON,
 *   and `invalid-body` for a body that is not a JSON object;
 * - every `at` is the provider's timestamp in epoch ms (CSW-3), never the receipt time;
 * - identical events inside one body are emitted once (Meta's webhook reference);
 * - App Dashboard test payloads set `test: true` and, by default, emit nothing (CSW-15);
 * - Messenger and Instagram bodies (`object: "page"` / `"instagram"`) are handed to
 *   {@link parseMessengerWebhook}, so one webhook handler serves every channel.
 *
 * @example
 * ```ts
 * const { events, issues } = parseWebhook(rawBody);
 * for (const issue of issues) log.warn(issue.path, issue.code, issue.message);
 * await care.record(events);
 * ```
 */
export function parseWebhook(body: unknown, options?: ParseOptions): ParseResult {
  const opts = parseOptionsOf(options);
  const root = toBody(body);
  // Messenger (`object: "page"`) and Instagram (`object: "instagram"`) bodies share one handler.
  if (isMessengerBody(root)) return parseMessengerWebhook(root, opts);
  const out = new Collector(opts);
  if (root.object !== "whatsapp_business_account") {
    out.issue(
      "object",
      "unsupported-object",
      `object must be "whatsapp_business_account", got ${show(root.object)}`,
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
    const changes = entry.changes;
    if (!Array.isArray(changes)) {
      out.issue(`${ePath}.changes`, "invalid-envelope", "changes must be an array");
      continue;
    }
    const entryTest = entry.id === TEST_ENTRY_ID;
    for (let j = 0; j < changes.length; j++) {
      const change: unknown = changes[j];
      const cPath = `${ePath}.changes[${j}]`;
      if (!isRecord(change) || typeof change.field !== "string") {
        out.issue(cPath, "invalid-envelope", "change must be an object with a string field");
        continue;
      }
      const field = change.field;
      if (!HANDLED_FIELDS.has(field)) {
        out.ignored++; // any other field passes through (Meta's webhook reference)
        continue;
      }
      const value = change.value;
      const vPath = `${cPath}.value`;
      out.where = vPath;
      if (!isRecord(value)) {
        out.issue(vPath, "invalid-envelope", `value of field ${field} must be an object`);
        continue;
      }
      switch (field) {
        case "template_category_update":
          templateCategoryUpdate(out, value, vPath, entry, ePath, entryTest);
          break;
        case "message_template_status_update":
          templateStatusUpdate(out, value, vPath, entry, ePath, entryTest);
          break;
        default:
          phoneValue(out, field, value, vPath, entry, entryTest);
      }
    }
  }
  return finish(out);
}

const HANDLED_FIELDS: ReadonlySet<string> = new Set([
  "messages",
  "calls",
  "user_preferences",
  "user_id_update",
  "smb_message_echoes",
  "template_category_update",
  "message_template_status_update",
]);

/** The item arrays each phone-number field carries (a `Map`: `"constructor"` is no field). */
const ITEM_KEYS: ReadonlyMap<string, readonly string[]> = new Map([
  ["messages", ["messages", "statuses"]],
  ["calls", ["calls", "statuses"]],
  ["user_preferences", ["user_preferences"]],
  ["user_id_update", ["user_id_update"]],
  ["smb_message_echoes", ["message_echoes"]],
]);

/** Fields whose value carries `metadata` and per-item arrays. */
function phoneValue(
  out: Collector,
  field: string,
  value: Rec,
  vPath: string,
  entry: Rec,
  entryTest: boolean,
): void {
  // value.errors first: they never need the business (ERR-2, Meta's webhook reference).
  const errors = value.errors;
  if (errors !== undefined) valueErrors(out, errors, `${vPath}.errors`);

  const keys = ITEM_KEYS.get(field) ?? [];
  let hasItems = false;
  for (const key of keys) {
    const items = value[key];
    if (items === undefined) continue;
    if (!Array.isArray(items)) {
      out.issue(`${vPath}.${key}`, "invalid-envelope", `${key} must be an array`);
      continue;
    }
    if (items.length > 0) hasItems = true;
  }
  if (!hasItems) return;

  const meta = MetadataSchema.safeParse(value.metadata);
  if (!meta.success) {
    out.issue(
      `${vPath}.metadata`,
      "missing-metadata",
      "metadata.phone_number_id is missing: the items of this change have no business (ID-1)",
    );
    return;
  }
  const business = meta.data.phone_number_id;
  const ctx: ValueContext = {
    path: vPath,
    business,
    display: displayOf(out, business, meta.data.display_phone_number),
    contactPhones: [],
    test: entryTest || business === TEST_PHONE_NUMBER_ID,
    waByUser: new Map(),
    contactAliases: [],
    single: undefined,
    minAt: undefined,
  };
  out.where = `${vPath}.contacts`;
  contacts(out, value.contacts, ctx);

  switch (field) {
    case "messages":
      forEach(out, value.messages, `${vPath}.messages`, (item, path) =>
        message(out, item, path, ctx),
      );
      forEach(out, value.statuses, `${vPath}.statuses`, (item, path) =>
        isRecord(item) && item.type === "call"
          ? callStatus(out, item, path, ctx)
          : status(out, item, path, ctx),
      );
      break;
    case "calls":
      forEach(out, value.calls, `${vPath}.calls`, (item, path) => call(out, item, path, ctx));
      forEach(out, value.statuses, `${vPath}.statuses`, (item, path) =>
        callStatus(out, item, path, ctx),
      );
      break;
    case "user_preferences":
      forEach(out, value.user_preferences, `${vPath}.user_preferences`, (item, path) =>
        preference(out, item, path, ctx),
      );
      break;
    case "user_id_update":
      forEach(out, value.user_id_update, `${vPath}.user_id_update`, (item, path) =>
        userIdUpdate(out, item, path, ctx),
      );
      break;
    case "smb_message_echoes":
      forEach(out, value.message_echoes, `${vPath}.message_echoes`, (item, path) =>
        echo(out, item, path, ctx),
      );
      break;
  }

  // Aliases from contacts[] (ID-6) take the value's earliest item instant, or entry.time.
  if (ctx.contactAliases.length > 0) {
    const at = ctx.minAt ?? toInstant(entry.time);
    if (at !== undefined) {
      out.where = `${vPath}.contacts`;
      for (const [wa, user] of ctx.contactAliases) alias(out, ctx, wa, user, at, ctx.test);
    }
  }
}

function forEach(
  out: Collector,
  items: unknown,
  path: string,
  fn: (item: unknown, path: string) => void,
): void {
  if (!Array.isArray(items)) return;
  for (let k = 0; k < items.length; k++) {
    const itemPath = `${path}[${k}]`;
    out.where = itemPath;
    fn(items[k], itemPath);
  }
}

function valueErrors(out: Collector, errors: unknown, path: string): void {
  if (!Array.isArray(errors)) {
    out.issue(path, "invalid-envelope", "errors must be an array");
    return;
  }
  for (let k = 0; k < errors.length; k++) {
    const r = WhatsAppErrorSchema.safeParse(errors[k]);
    const p = `${path}[${k}]`;
    if (!r.success) {
      out.issue(p, "platform-error", "malformed platform error");
      continue;
    }
    const code = errorCode(r.data.code);
    out.issue(p, "platform-error", describeError(r.data), code);
  }
}

function describeError(error: WhatsAppError): string {
  const details = error.error_data?.details ?? error.details;
  const title = error.title ?? error.message ?? "error";
  return `${String(error.code)} ${title}${details === undefined ? "" : `: ${details}`}`;
}

function contacts(out: Collector, list: unknown, ctx: ValueContext): void {
  if (list === undefined) return;
  const path = `${ctx.path}.contacts`;
  if (!Array.isArray(list)) {
    out.issue(path, "invalid-envelope", "contacts must be an array");
    return;
  }
  let valid = 0;
  let last: { wa?: string; user?: string } = {};
  for (let k = 0; k < list.length; k++) {
    const r = ContactSchema.safeParse(list[k]);
    if (!r.success) {
      out.zodIssues(`${path}[${k}]`, "invalid-item", r.error.issues);
      continue;
    }
    valid++;
    const { wa_id: wa, user_id: user } = r.data;
    if (wa) ctx.contactPhones.push(wa);
    last = {};
    if (wa) last.wa = wa;
    if (user) last.user = user;
    if (wa && user) {
      ctx.waByUser.set(user, wa);
      ctx.contactAliases.push([wa, user]);
    }
  }
  if (valid === 1) ctx.single = last;
}

/** A provider instant, or an issue at `path` (CSW-3). */
function instantAt(out: Collector, raw: unknown, path: string): Instant | undefined {
  const at = toInstant(raw);
  if (at === undefined) {
    const n = typeof raw === "number" ? raw : typeof raw === "string" ? Number(raw) : Number.NaN;
    const hint = n >= 1e11 && n < 1e17 ? " (milliseconds or microseconds, not seconds?)" : "";
    out.issue(path, "invalid-timestamp", `not a Unix-seconds timestamp: ${show(raw)}${hint}`);
  }
  return at;
}

function seen(ctx: ValueContext, at: Instant): void {
  if (ctx.minAt === undefined || at < ctx.minAt) ctx.minAt = at;
}

/** Dashboard test item: an id without `wamid.` and a pre-2018 timestamp (CSW-15). */
const isTestItem = (id: string, at: Instant): boolean =>
  at < TEST_BEFORE && !id.startsWith("wamid.");

/** wa_id when known (on the item or through contacts), else the BSUID (ID-5, ID-6). */
function customerOf(ctx: ValueContext, phone: string | undefined, user: string | undefined) {
  if (phone) return phone;
  if (user) return ctx.waByUser.get(user) ?? user;
  return undefined;
}

function alias(
  out: Collector,
  ctx: ValueContext,
  wa: string | undefined,
  user: string | undefined,
  at: Instant,
  test: boolean,
): void {
  if (!wa || !user || wa === user) return;
  const event: IdentityEvent = {
    kind: "identity",
    change: "alias",
    from: wa,
    to: user,
    at,
    business: ctx.business,
  };
  out.emit(event, test, user, true);
}

function thread(ctx: ValueContext, customer: string): Thread {
  return { business: ctx.business, customer };
}

// ---------------------------------------------------------------------------------------------
// messages[]
// ---------------------------------------------------------------------------------------------

function message(out: Collector, raw: unknown, path: string, ctx: ValueContext): void {
  if (!isRecord(raw)) {
    out.issue(path, "invalid-item", "message must be an object");
    return;
  }
  const type = raw.type;
  const schema = typeof type === "string" ? messageSchemaFor(type) : undefined;
  const known = schema !== undefined;
  let msg: MessageEssentials;
  let referral: WebhookReferral | undefined;
  // One parse on the happy path: the full schema of the type (or the base for an unknown type).
  const r = (schema ?? MessageBaseSchema).safeParse(raw);
  if (r.success) {
    msg = r.data;
    referral = r.data.referral;
  } else {
    // Only the essentials decide whether the user wrote (Meta's webhook reference): a malformed side
    // field (`referral`, `context`, `errors`, `identity`, `from_logical_id`, the content object)
    // is an `invalid-content` issue, never a lost inbound message (CSW-1).
    const base = MessageEssentialsSchema.safeParse(raw);
    if (!base.success) {
      out.zodIssues(path, "invalid-item", base.error.issues);
      return;
    }
    out.zodIssues(path, "invalid-content", r.error.issues);
    msg = base.data;
    // The referral on its own: kept when valid (FEP-6), dropped (already reported) when not.
    referral = validReferral(raw.referral);
  }
  const at = instantAt(out, msg.timestamp, `${path}.timestamp`);
  if (at === undefined) return;
  seen(ctx, at);
  const test = ctx.test || isTestItem(msg.id, at);

  if (!known) {
    out.issue(`${path}.type`, "unknown-type", `unknown message type ${show(msg.type)}`);
  }
  // CSW-9: a group message belongs to the group's thread.
  const customer = msg.group_id || customerOf(ctx, msg.from, msg.from_user_id);

  alias(out, ctx, msg.from, msg.from_user_id, at, test);
  if (msg.type === "system") systemIdentity(out, raw, msg, path, ctx, at, test);

  if (!customer) {
    if (msg.type !== "system") {
      out.issue(path, "missing-customer", "message has neither from, from_user_id nor group_id");
    }
    return;
  }
  const event: {
    -readonly [K in keyof InboundEvent]: InboundEvent[K];
  } = { kind: "inbound", id: msg.id, type: msg.type, at, thread: thread(ctx, customer) };
  if (msg.type === "interactive") {
    const interactive = raw.interactive;
    if (isRecord(interactive) && typeof interactive.type === "string") {
      event.subtype = interactive.type;
    }
  }
  if (referral !== undefined) event.referral = toReferral(referral);
  out.emit(event, test, msg.id);
}

/** A referral that passes its schema, else `undefined` (its issues are reported by the caller). */
function validReferral(raw: unknown): WebhookReferral | undefined {
  if (raw === undefined) return undefined;
  const r = ReferralSchema.safeParse(raw);
  return r.success ? r.data : undefined;
}

function toReferral(ref: WebhookReferral): Referral {
  const out: { -readonly [K in keyof Referral]: Referral[K] } = { sourceType: ref.source_type };
  if (ref.source_id !== undefined) out.sourceId = ref.source_id;
  if (ref.source_url !== undefined) out.sourceUrl = ref.source_url;
  if (ref.ctwa_clid !== undefined) out.ctwaClid = ref.ctwa_clid;
  if (ref.headline !== undefined) out.headline = ref.headline;
  return out;
}

/** ID-7: number and user-id changes announced by `system` messages. */
function systemIdentity(
  out: Collector,
  raw: Rec,
  msg: MessageEssentials,
  path: string,
  ctx: ValueContext,
  at: Instant,
  test: boolean,
): void {
  const system = raw.system;
  if (!isRecord(system)) return;
  const kind = system.type;
  const str = (v: unknown): string | undefined =>
    typeof v === "string" && v !== "" ? v : undefined;
  if (kind === "user_changed_number" || kind === "customer_changed_number") {
    const from = msg.from;
    const to = str(system.wa_id) ?? str(system.new_wa_id);
    if (from && to && from !== to) {
      out.emit(
        { kind: "identity", change: "number-changed", from, to, at, business: ctx.business },
        test,
        to,
      );
    } else {
      out.issue(
        `${path}.system`,
        "invalid-content",
        `${kind} without both the old and the new number`,
      );
    }
  } else if (kind === "user_changed_user_id") {
    const from = str(system.previous_user_id) ?? msg.from_user_id;
    const to = str(system.user_id);
    let linked = false;
    if (from && to && from !== to) {
      out.emit(
        { kind: "identity", change: "user-id-changed", from, to, at, business: ctx.business },
        test,
        to,
      );
      linked = true;
    }
    // ID-6 / ID-7: the phone number (when given) now belongs to the new BSUID, even when the
    // old BSUID is not named.
    if (msg.from && to && msg.from !== to) {
      alias(out, ctx, msg.from, to, at, test);
      linked = true;
    }
    if (!linked) {
      out.issue(
        `${path}.system`,
        "invalid-content",
        `${kind} without the new user id, or without both the old user id and the number`,
      );
    }
  }
}

// ---------------------------------------------------------------------------------------------
// statuses[]
// ---------------------------------------------------------------------------------------------

function status(out: Collector, raw: unknown, path: string, ctx: ValueContext): void {
  const r = StatusSchema.safeParse(raw);
  let s: Status;
  if (r.success) {
    s = r.data;
  } else {
    // Only id, status and timestamp are required (Meta's webhook reference): a malformed side field
    // (`pricing.billable` not a boolean, an `errors[]` entry without `code`, …) is reported and
    // left out, and the status — with every valid error code, 131047 above all — is kept.
    const base = StatusEssentialsSchema.safeParse(raw);
    if (!base.success) {
      out.zodIssues(path, "invalid-item", base.error.issues);
      return;
    }
    out.zodIssues(path, "invalid-content", r.error.issues);
    s = salvageStatus(raw as Rec, base.data);
  }
  const at = instantAt(out, s.timestamp, `${path}.timestamp`);
  if (at === undefined) return;
  seen(ctx, at);
  const test = ctx.test || isTestItem(s.id, at);
  const group = s.recipient_type === "group";
  // CSW-9 / ID-10: a group status belongs to the group (recipient_id is the group id).
  const customer = group ? s.recipient_id : customerOf(ctx, s.recipient_id, s.recipient_user_id);
  if (group) alias(out, ctx, s.recipient_participant_id, s.recipient_participant_user_id, at, test);
  else alias(out, ctx, s.recipient_id, s.recipient_user_id, at, test);
  if (!customer) {
    out.issue(path, "missing-customer", "status has neither recipient_id nor recipient_user_id");
    return;
  }
  const event: { -readonly [K in keyof StatusEvent]: StatusEvent[K] } = {
    kind: "status",
    id: s.id,
    status: s.status,
    at,
    thread: thread(ctx, customer),
  };
  const p = s.pricing;
  if (p !== undefined) {
    const pricing: { -readonly [K in keyof StatusPricing]: StatusPricing[K] } = {};
    if (p.pricing_model !== undefined) pricing.model = p.pricing_model;
    if (p.type !== undefined) pricing.type = p.type;
    if (p.category !== undefined) pricing.category = p.category;
    if (p.billable !== undefined) pricing.billable = p.billable;
    if (p.subtype !== undefined) pricing.subtype = p.subtype; // PRICE-24
    event.pricing = pricing;
  }
  const c = s.conversation;
  if (c !== undefined) {
    if (c.id !== undefined) event.conversationId = c.id;
    if (c.origin?.type !== undefined) event.origin = c.origin.type;
    if (c.expiration_timestamp !== undefined) {
      const end = instantAt(
        out,
        c.expiration_timestamp,
        `${path}.conversation.expiration_timestamp`,
      );
      if (end !== undefined) event.conversationExpiresAt = end;
    }
  }
  if (s.errors !== undefined && s.errors.length > 0) {
    const codes: number[] = [];
    for (let k = 0; k < s.errors.length; k++) {
      const code = errorCode(s.errors[k]!.code);
      if (code === undefined) {
        out.issue(
          `${path}.errors[${k}].code`,
          "invalid-content",
          "error code is not a number (ERR-1)",
        );
      } else {
        codes.push(code);
      }
    }
    if (codes.length > 0) event.errors = codes;
  }
  out.emit(event, test, s.id);
}

/** The string-valued fields of a status the parser reads. */
const STATUS_STRING_FIELDS = [
  "recipient_id",
  "recipient_user_id",
  "recipient_type",
  "recipient_participant_id",
  "recipient_participant_user_id",
] as const;

/**
 * The valid parts of a status whose full schema failed (the failures are already reported):
 * each field is kept only when it has its documented type.
 */
function salvageStatus(raw: Rec, base: StatusEssentials): Status {
  const s: { -readonly [K in keyof Status]: Status[K] } = {
    id: base.id,
    status: base.status,
    timestamp: base.timestamp,
  };
  for (const key of STATUS_STRING_FIELDS) {
    const value = raw[key];
    if (typeof value === "string") s[key] = value;
  }
  const c = raw.conversation;
  if (isRecord(c)) {
    const conversation: { -readonly [K in keyof Conversation]: Conversation[K] } = {};
    if (typeof c.id === "string") conversation.id = c.id;
    const end = c.expiration_timestamp;
    if (typeof end === "string" || typeof end === "number") conversation.expiration_timestamp = end;
    if (isRecord(c.origin) && typeof c.origin.type === "string") {
      conversation.origin = { type: c.origin.type };
    }
    s.conversation = conversation;
  }
  const p = raw.pricing;
  if (isRecord(p)) {
    const pricing: { -readonly [K in keyof Pricing]: Pricing[K] } = {};
    if (typeof p.billable === "boolean") pricing.billable = p.billable;
    if (typeof p.pricing_model === "string") pricing.pricing_model = p.pricing_model;
    if (typeof p.type === "string") pricing.type = p.type;
    if (typeof p.category === "string") pricing.category = p.category;
    if (typeof p.subtype === "string") pricing.subtype = p.subtype;
    s.pricing = pricing;
  }
  const errors = raw.errors;
  if (Array.isArray(errors)) {
    const kept: WhatsAppError[] = [];
    for (const e of errors) {
      if (isRecord(e) && (typeof e.code === "number" || typeof e.code === "string")) {
        kept.push({ code: e.code });
      }
    }
    s.errors = kept;
  }
  return s;
}

// ---------------------------------------------------------------------------------------------
// calls[] and call statuses (CSW-5, Meta's webhook reference)
// ---------------------------------------------------------------------------------------------

function call(out: Collector, raw: unknown, path: string, ctx: ValueContext): void {
  const r = CallSchema.safeParse(raw);
  if (!r.success) {
    out.zodIssues(path, "invalid-item", r.error.issues);
    return;
  }
  const c: Call = r.data;
  const at = instantAt(out, c.timestamp, `${path}.timestamp`);
  if (at === undefined) return;
  seen(ctx, at);
  const test = ctx.test || isTestItem(c.id, at);
  const sdp = c.session?.sdp_type?.toLowerCase();
  const dir = c.direction?.toUpperCase();
  // Decide caller and callee from `direction`, not from `from` (Meta's webhook reference).
  const direction: CallEvent["direction"] | undefined =
    dir === "USER_INITIATED"
      ? "user-initiated"
      : dir === "BUSINESS_INITIATED"
        ? "business-initiated"
        : dir === undefined && sdp === "offer"
          ? "user-initiated"
          : dir === undefined && sdp === "answer"
            ? "business-initiated"
            : undefined;
  if (direction === undefined) {
    out.issue(`${path}.direction`, "unknown-value", `unknown call direction ${show(c.direction)}`);
    return;
  }
  const user = direction === "user-initiated";
  // The user's side by direction; Meta's own user-initiated example still puts the business
  // number in `from` (Meta's webhook reference), so the phone is checked against the business and contacts.
  const nominal = user ? c.from : c.to;
  const other = user ? c.to : c.from;
  const ownBsuid = user ? c.from_user_id : c.to_user_id;
  const phone = callUserPhone(ctx, nominal, other, ownBsuid);
  // Businesses have no BSUID: when the sides were swapped, the other side's BSUID is the user's.
  const bsuid =
    ownBsuid ??
    (phone !== undefined && phone === other ? (user ? c.to_user_id : c.from_user_id) : undefined);
  // Only the phone kept is linked to the BSUID: a number swapped away gets no alias.
  alias(out, ctx, phone, bsuid, at, test);
  const customer = customerOf(ctx, phone, bsuid) ?? ctx.single?.wa ?? ctx.single?.user;
  if (!customer) {
    out.issue(path, "missing-customer", "call names no user (from/to, *_user_id or contacts)");
    return;
  }
  const event = c.event.toLowerCase();
  // CSW-5: a business call picked up arrives as `connect` with an SDP answer.
  const phase = event === "connect" && !user && sdp === "answer" ? "answer" : event;
  out.emit(
    { kind: "call", id: c.id, direction, phase, at, thread: thread(ctx, customer) },
    test,
    c.id,
  );
}

/**
 * The user's phone number of a call (Meta's webhook reference, ID-1): never the business's own number,
 * compared by digits (a display number may be formatted, `+1 317-555-1399`) and tolerating a
 * Brazilian number with or without its ninth digit. `nominal` is the side `direction` names,
 * `other` the opposite side:
 *
 * - `nominal` is the business (its display number or phone_number_id) → `other`, unless that
 *   is the business too;
 * - otherwise the side that `contacts[]` (or the BSUID's contact) names as a user wins;
 * - otherwise `nominal`; `other` is taken only when a contact names it.
 */
function callUserPhone(
  ctx: ValueContext,
  nominal: string | undefined,
  other: string | undefined,
  bsuid: string | undefined,
): string | undefined {
  const linked = bsuid === undefined ? undefined : ctx.waByUser.get(bsuid);
  const named = (phone: string): boolean => {
    const key = phoneKey(phone);
    if (linked !== undefined && phoneKey(linked) === key) return true;
    return ctx.contactPhones.some((wa) => phoneKey(wa) === key);
  };
  const okNominal = nominal !== undefined && nominal !== "" && !isBusinessPhone(ctx, nominal);
  const okOther = other !== undefined && other !== "" && !isBusinessPhone(ctx, other);
  if (okNominal && named(nominal)) return nominal;
  if (okOther && named(other)) return other;
  if (okNominal) return nominal;
  // The direction's side is the business's own number: the user is on the other side.
  if (nominal !== undefined && nominal !== "" && okOther) return other;
  return undefined;
}

/** Digits only, with a Brazilian mobile number's ninth digit restored (`55 AA 9NNNN NNNN`). */
function phoneKey(phone: string): string {
  const d = phone.replace(/\D+/g, "");
  // Brazil added a leading 9 to mobile numbers; WhatsApp ids and display numbers of older
  // accounts may lack it: 55 + 2-digit area code + 8 digits starting 6–9.
  if (d.length === 12 && d.startsWith("55") && d.charCodeAt(4) >= 54 /* "6" */) {
    return `${d.slice(0, 4)}9${d.slice(4)}`;
  }
  return d;
}

/** Whether a number is the business's own: its display number or its phone_number_id. */
function isBusinessPhone(ctx: ValueContext, phone: string): boolean {
  const key = phoneKey(phone);
  if (key === "") return false;
  if (ctx.display !== undefined && key === phoneKey(ctx.display)) return true;
  return key === phoneKey(ctx.business);
}

/** The display number of `business`, remembered for the body's other values. */
function displayOf(
  out: Collector,
  business: string,
  display: string | undefined,
): string | undefined {
  if (display !== undefined && display !== "") {
    out.displays.set(business, display);
    return display;
  }
  return out.displays.get(business);
}

function callStatus(out: Collector, raw: unknown, path: string, ctx: ValueContext): void {
  const r = CallStatusSchema.safeParse(raw);
  if (!r.success) {
    out.zodIssues(path, "invalid-item", r.error.issues);
    return;
  }
  const s: CallStatus = r.data;
  const at = instantAt(out, s.timestamp, `${path}.timestamp`);
  if (at === undefined) return;
  seen(ctx, at);
  const test = ctx.test || isTestItem(s.id, at);
  alias(out, ctx, s.recipient_id, s.recipient_user_id, at, test);
  const customer = customerOf(ctx, s.recipient_id, s.recipient_user_id);
  if (!customer) {
    out.issue(
      path,
      "missing-customer",
      "call status has neither recipient_id nor recipient_user_id",
    );
    return;
  }
  // CSW-5: ACCEPTED → phase "accepted" opens the window; RINGING / REJECTED do not.
  out.emit(
    {
      kind: "call",
      id: s.id,
      direction: "business-initiated",
      phase: s.status.toLowerCase(),
      at,
      thread: thread(ctx, customer),
    },
    test,
    s.id,
  );
}

// ---------------------------------------------------------------------------------------------
// user_preferences, user_id_update, smb_message_echoes
// ---------------------------------------------------------------------------------------------

function preference(out: Collector, raw: unknown, path: string, ctx: ValueContext): void {
  const r = UserPreferenceSchema.safeParse(raw);
  if (!r.success) {
    out.zodIssues(path, "invalid-item", r.error.issues);
    return;
  }
  const p = r.data;
  const at = instantAt(out, p.timestamp, `${path}.timestamp`);
  if (at === undefined) return;
  seen(ctx, at);
  alias(out, ctx, p.wa_id, p.user_id, at, ctx.test);
  // CONSENT-5: only marketing stop / resume are known; anything else is kept as an issue.
  if (p.category !== "marketing_messages") {
    out.issue(
      `${path}.category`,
      "unknown-value",
      `unknown preference category ${show(p.category)}`,
    );
    return;
  }
  const value = p.value.toLowerCase();
  if (value !== "stop" && value !== "resume") {
    out.issue(`${path}.value`, "unknown-value", `unknown preference value ${show(p.value)}`);
    return;
  }
  const customer = customerOf(ctx, p.wa_id, p.user_id);
  if (!customer) {
    out.issue(path, "missing-customer", "preference has neither wa_id nor user_id");
    return;
  }
  out.emit(
    { kind: "marketing-preference", value, at, thread: thread(ctx, customer) },
    ctx.test,
    customer,
  );
}

function userIdUpdate(out: Collector, raw: unknown, path: string, ctx: ValueContext): void {
  const r = UserIdUpdateSchema.safeParse(raw);
  if (!r.success) {
    out.zodIssues(path, "invalid-item", r.error.issues);
    return;
  }
  const u = r.data;
  const at = instantAt(out, u.timestamp, `${path}.timestamp`);
  if (at === undefined) return;
  seen(ctx, at);
  const { previous, current } = u.user_id;
  if (previous !== current) {
    out.emit(
      {
        kind: "identity",
        change: "user-id-changed",
        from: previous,
        to: current,
        at,
        business: ctx.business,
      },
      ctx.test,
      current,
    );
  }
  alias(out, ctx, u.wa_id, current, at, ctx.test);
}

function echo(out: Collector, raw: unknown, path: string, ctx: ValueContext): void {
  const r = MessageEchoSchema.safeParse(raw);
  if (!r.success) {
    out.zodIssues(path, "invalid-item", r.error.issues);
    return;
  }
  const e = r.data;
  const at = instantAt(out, e.timestamp, `${path}.timestamp`);
  if (at === undefined) return;
  seen(ctx, at);
  const test = ctx.test || isTestItem(e.id, at);
  alias(out, ctx, e.to, e.to_user_id, at, test);
  const customer = customerOf(ctx, e.to, e.to_user_id);
  if (!customer) {
    out.issue(path, "missing-customer", "echo has neither to nor to_user_id");
    return;
  }
  // CSW-6 / CSW-14: Business-app messages never open or extend the window.
  const event: OutboundEvent =
    e.type === "template"
      ? {
          kind: "outbound",
          id: e.id,
          message: "template",
          echo: true,
          at,
          thread: thread(ctx, customer),
        }
      : {
          kind: "outbound",
          id: e.id,
          message: "free-form",
          type: e.type,
          echo: true,
          at,
          thread: thread(ctx, customer),
        };
  out.emit(event, test, e.id);
}

// ---------------------------------------------------------------------------------------------
// Template fields (TPL-7, TPL-8): not thread-scoped, `at` from entry.time
// ---------------------------------------------------------------------------------------------

function templateCategory(out: Collector, raw: string, path: string): TemplateCategory | undefined {
  const category = raw.toLowerCase();
  if (TEMPLATE_CATEGORIES.has(category)) return category as TemplateCategory;
  out.issue(path, "unknown-value", `unknown template category ${show(raw)}`);
  return undefined;
}

/** Value keys that may carry a template notice's instant when `entry.time` is missing. */
const TEMPLATE_TIME_KEYS = ["category_update_timestamp", "timestamp"] as const;

/**
 * The instant of a template notice (TPL-7, TPL-8): `entry.time`; when that is missing, a
 * timestamp the value carries (`category_update_timestamp`, `timestamp`). Meta's webhook reference
 * documents no timestamp in the value, so a notice with neither stays an `invalid-timestamp`
 * issue at `entry[i].time` (no event: an undated category change cannot be ordered).
 */
function templateInstant(
  out: Collector,
  entry: Rec,
  ePath: string,
  value: Rec,
  vPath: string,
): Instant | undefined {
  if (entry.time !== undefined) return instantAt(out, entry.time, `${ePath}.time`);
  for (const key of TEMPLATE_TIME_KEYS) {
    if (value[key] !== undefined) return instantAt(out, value[key], `${vPath}.${key}`);
  }
  out.issue(
    `${ePath}.time`,
    "invalid-timestamp",
    "entry.time is missing and the value carries no timestamp: the template change is undated",
  );
  return undefined;
}

function templateCategoryUpdate(
  out: Collector,
  value: Rec,
  vPath: string,
  entry: Rec,
  ePath: string,
  test: boolean,
): void {
  const r = TemplateCategoryUpdateSchema.safeParse(value);
  if (!r.success) {
    out.zodIssues(vPath, "invalid-item", r.error.issues);
    return;
  }
  const u = r.data;
  // TPL-7: the new category applies from the *completed* notice. An impending notice carries
  // `correct_category` and no `previous_category`: nothing has changed yet.
  if (u.correct_category !== undefined && u.previous_category === undefined) {
    out.ignored++;
    return;
  }
  if (!u.message_template_name) {
    out.issue(`${vPath}.message_template_name`, "invalid-item", "template name is missing");
    return;
  }
  const category = templateCategory(out, u.new_category, `${vPath}.new_category`);
  if (category === undefined) return;
  emitTemplateCategory(
    out,
    { value, vPath, entry, ePath, test },
    {
      name: u.message_template_name,
      category,
      language: u.message_template_language,
    },
  );
}

/**
 * Emits the catalog event (TPL-7) of a template category or status update, dated by the entry
 * (or the value's own timestamp).
 */
function emitTemplateCategory(
  out: Collector,
  where: { value: Rec; vPath: string; entry: Rec; ePath: string; test: boolean },
  t: { name: string; category: TemplateCategory; language?: string | undefined; status?: string },
): void {
  const at = templateInstant(out, where.entry, where.ePath, where.value, where.vPath);
  if (at === undefined) return;
  const event: { -readonly [K in keyof TemplateCategoryEvent]: TemplateCategoryEvent[K] } = {
    kind: "template-category",
    name: t.name,
    category: t.category,
    at,
  };
  if (t.status !== undefined) event.status = t.status;
  if (typeof where.entry.id === "string") event.account = where.entry.id;
  if (t.language !== undefined) event.language = t.language;
  out.emit(event, where.test, event.name);
}

function templateStatusUpdate(
  out: Collector,
  value: Rec,
  vPath: string,
  entry: Rec,
  ePath: string,
  test: boolean,
): void {
  const r = MessageTemplateStatusUpdateSchema.safeParse(value);
  if (!r.success) {
    out.zodIssues(vPath, "invalid-item", r.error.issues);
    return;
  }
  const u = r.data;
  // Older payloads carry no category: nothing to learn for the catalog.
  if (u.message_template_category === undefined) {
    out.ignored++;
    return;
  }
  const category = templateCategory(
    out,
    u.message_template_category,
    `${vPath}.message_template_category`,
  );
  if (category === undefined) return;
  emitTemplateCategory(
    out,
    { value, vPath, entry, ePath, test },
    {
      name: u.message_template_name,
      category,
      language: u.message_template_language,
      status: u.event,
    },
  );
}
