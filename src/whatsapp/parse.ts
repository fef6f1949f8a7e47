/**
 * `parseWebhook`: a WhatsApp Cloud API webhook POST body in, core events and issues out.
 *
 * Every `messages[]`, `statuses[]`, `calls[]`, `user_preferences[]`, … item is validated on its
 * own (one `safeParse` each), so a malformed item becomes an issue while its valid siblings still
 * become events (payloads.md §12.9). Bad content never throws; only a body that is not JSON, or
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
  CareEvent,
  IdentityEvent,
  InboundEvent,
  Instant,
  KnownOr,
  OutboundEvent,
  Referral,
  StatusEvent,
  StatusPricing,
  TemplateCategory,
  TemplateCategoryEvent,
  Thread,
} from "../domain/types.js";
import { isMessengerBody, parseMessengerWebhook } from "../messenger/parse.js";
import type {
  Call,
  CallStatus,
  MessageBase,
  Status,
  WebhookReferral,
  WhatsAppError,
} from "./schemas.js";
import {
  CallSchema,
  CallStatusSchema,
  ContactSchema,
  MessageBaseSchema,
  MessageEchoSchema,
  MessageTemplateStatusUpdateSchema,
  MetadataSchema,
  messageSchemaFor,
  ReferralSchema,
  StatusSchema,
  TemplateCategoryUpdateSchema,
  UserIdUpdateSchema,
  UserPreferenceSchema,
  WhatsAppErrorSchema,
} from "./schemas.js";
import { toInstant } from "./time.js";
import { toBody } from "./web.js";

/**
 * Stable codes of {@link WebhookIssue}.
 *
 * | code | meaning | effect |
 * |---|---|---|
 * | `unsupported-object` | `object` is not `whatsapp_business_account` | nothing parsed |
 * | `invalid-envelope` | `entry` / `changes` / `value` malformed at that level | that level skipped |
 * | `invalid-item` | an item fails its schema | no event for it |
 * | `invalid-content` | a known message type with a malformed content object | event kept, content ignored |
 * | `invalid-timestamp` | unparseable timestamp (CSW-3) | no event for it (or the field omitted) |
 * | `missing-metadata` | no `metadata.phone_number_id` (ID-1) | items of that value skipped |
 * | `missing-customer` | no `wa_id`, BSUID or group id | no event for it |
 * | `unknown-type` | inbound message type this version does not know | inbound event with the raw type |
 * | `unknown-value` | unknown preference, call direction or template category | no event for it |
 * | `platform-error` | a `value.errors[]` entry (system, app or account error, ERR-2) | none |
 *
 * @example
 * ```ts
 * const code: WebhookIssueCode = "invalid-timestamp";
 * ```
 */
export type WebhookIssueCode = KnownOr<
  | "unsupported-object"
  | "invalid-envelope"
  | "invalid-item"
  | "invalid-content"
  | "invalid-timestamp"
  | "missing-metadata"
  | "missing-customer"
  | "unknown-type"
  | "unknown-value"
  | "platform-error"
>;

/**
 * Something in the body that did not become (or fully become) an event.
 *
 * @example
 * ```ts
 * const issue: WebhookIssue = {
 *   path: "entry[0].changes[0].value.messages[2].timestamp",
 *   code: "invalid-timestamp",
 *   message: "timestamp is not Unix seconds",
 * };
 * ```
 */
export interface WebhookIssue {
  /** JSON path from the body root, e.g. `entry[0].changes[1].value.messages[2].timestamp`. */
  readonly path: string;
  readonly code: WebhookIssueCode;
  readonly message: string;
  /** For `platform-error`: the numeric error code (ERR-1). */
  readonly errorCode?: number;
}

/**
 * Options of {@link parseWebhook}.
 *
 * @example
 * ```ts
 * parseWebhook(body, { dropTestPayloads: false });
 * ```
 */
export interface ParseOptions {
  /**
   * Drop the events of App Dashboard test payloads (CSW-15). Default `true`; `result.test`
   * reports them either way.
   */
  readonly dropTestPayloads?: boolean;
}

/**
 * What {@link parseWebhook} returns.
 *
 * @example
 * ```ts
 * const { events, issues, ignored, test } = parseWebhook(rawBody);
 * ```
 */
export interface ParseResult {
  /** Core events, in body order, without duplicates. */
  readonly events: CareEvent[];
  /** Everything that was malformed or unknown, with its JSON path. */
  readonly issues: WebhookIssue[];
  /** Changes of fields that carry nothing for the library (`account_update`, `history`, …). */
  readonly ignored: number;
  /** `true` when any part of the body is an App Dashboard test payload (CSW-15). */
  readonly test: boolean;
}

/** The Dashboard test payload markers (payloads.md §12.8, CSW-15). */
const TEST_ENTRY_ID = "0";
const TEST_PHONE_NUMBER_ID = "123456123";
/** Test items use ids without `wamid.` and 2017 timestamps: anything before 2018 with such an id. */
const TEST_BEFORE: Instant = 1_514_764_800_000; // 2018-01-01T00:00:00Z

const TEMPLATE_CATEGORIES: ReadonlySet<string> = new Set([
  "marketing",
  "utility",
  "authentication",
]);

type Rec = Record<string, unknown>;

const isRecord = (value: unknown): value is Rec =>
  typeof value === "object" && value !== null && !Array.isArray(value);

const IDENT_RE = /^[A-Za-z_$][\w$]*$/;

/** Appends a zod issue path to a JSON path string. */
function joinPath(base: string, path: readonly PropertyKey[]): string {
  let out = base;
  for (const key of path) {
    if (typeof key === "number") out += `[${key}]`;
    else if (typeof key === "string" && IDENT_RE.test(key)) out += `.${key}`;
    else out += `[${JSON.stringify(String(key))}]`;
  }
  return out;
}

/** Error code as a number (ERR-1), or undefined. */
function errorCode(code: number | string): number | undefined {
  if (typeof code === "number") return Number.isFinite(code) ? code : undefined;
  return /^\d{1,12}$/.test(code) ? Number(code) : undefined;
}

const MAX_ISSUES_PER_ITEM = 5;

/** Everything one value handler needs: its business, its links, the collectors. */
interface ValueContext {
  readonly path: string;
  readonly business: string;
  readonly display: string | undefined;
  readonly test: boolean;
  /** BSUID → wa_id from `contacts[]`. */
  readonly waByUser: Map<string, string>;
  /** Aliases from `contacts[]`, emitted once the value's earliest item instant is known. */
  readonly contactAliases: [string, string][];
  /** The only contact when there is exactly one (calls name the customer through it). */
  single: { wa?: string; user?: string } | undefined;
  minAt: Instant | undefined;
}

class Collector {
  readonly events: CareEvent[] = [];
  readonly issues: WebhookIssue[] = [];
  ignored = 0;
  test = false;
  /**
   * Deduplication index, keyed by a short, already-flat string from the payload (the item id,
   * or the BSUID of an alias, given by the caller) so that hashing stays cheap; collisions
   * compare full keys.
   */
  private readonly seen = new Map<string, number | number[]>();
  private readonly drop: boolean;

  constructor(dropTest: boolean) {
    this.drop = dropTest;
  }

  issue(path: string, code: WebhookIssueCode, message: string, errorCode?: number): void {
    this.issues.push(
      errorCode === undefined ? { path, code, message } : { path, code, message, errorCode },
    );
  }

  zodIssues(
    base: string,
    code: WebhookIssueCode,
    issues: readonly { path: readonly PropertyKey[]; message: string }[],
  ): void {
    const n = Math.min(issues.length, MAX_ISSUES_PER_ITEM);
    for (let i = 0; i < n; i++) {
      const issue = issues[i]!;
      this.issue(joinPath(base, issue.path), code, issue.message);
    }
  }

  /** Adds an event unless an identical one is already there (payloads.md §12.1, CSW-4). */
  emit(event: CareEvent, test: boolean, bucket: string, alias = false): void {
    if (test) {
      this.test = true;
      if (this.drop) return;
    }
    const found = this.seen.get(bucket);
    if (found === undefined) {
      this.seen.set(bucket, this.events.length);
      this.events.push(event);
      return;
    }
    // Same bucket: compare full keys. An alias is the same link whatever its instant: keep the
    // earliest.
    const key = eventKey(event, alias);
    const indexes = typeof found === "number" ? [found] : found;
    for (const index of indexes) {
      const other = this.events[index]!;
      if (eventKey(other, alias) !== key) continue;
      if (alias && event.at < other.at) this.events[index] = event;
      return;
    }
    indexes.push(this.events.length);
    if (typeof found === "number") this.seen.set(bucket, indexes);
    this.events.push(event);
  }
}

const SEP = "\u0000";

/**
 * Identity of an event for in-body deduplication (payloads.md §12.1): the fields that make two
 * deliveries the same update (cheaper than serialising the whole event).
 */
function eventKey(e: CareEvent, alias = false): string {
  const t = "thread" in e ? `${e.thread.business}${SEP}${e.thread.customer}${SEP}` : "";
  switch (e.kind) {
    case "inbound":
      return `i${SEP}${t}${e.id}${SEP}${e.at}${SEP}${e.type}${SEP}${e.subtype ?? ""}`;
    case "status":
      return `s${SEP}${t}${e.id}${SEP}${e.status}${SEP}${e.at}`;
    case "call":
      return `c${SEP}${t}${e.id}${SEP}${e.direction}${SEP}${e.phase}${SEP}${e.at}`;
    case "outbound":
      return `o${SEP}${t}${e.id}${SEP}${e.at}${SEP}${e.message}${SEP}${e.type ?? ""}`;
    case "marketing-preference":
      return `m${SEP}${t}${e.value}${SEP}${e.at}`;
    case "identity":
      if (alias) return `a${SEP}${e.business}${SEP}${e.from}${SEP}${e.to}`;
      return `d${SEP}${e.business}${SEP}${e.change}${SEP}${e.from}${SEP}${e.to}${SEP}${e.at}`;
    case "template-category":
      return `t${SEP}${e.account ?? ""}${SEP}${e.name}${SEP}${e.language ?? ""}${SEP}${e.category}${SEP}${e.status ?? ""}${SEP}${e.at}`;
    default:
      return JSON.stringify(e); // kinds this parser does not produce
  }
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
 * - identical events inside one body are emitted once (payloads.md §12.1);
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
export function parseWebhook(body: unknown, options: ParseOptions = {}): ParseResult {
  const root = toBody(body);
  // Messenger (`object: "page"`) and Instagram (`object: "instagram"`) bodies share one handler.
  if (isMessengerBody(root)) return parseMessengerWebhook(root, options);
  const out = new Collector(options.dropTestPayloads ?? true);
  if (root.object !== "whatsapp_business_account") {
    out.issue(
      "object",
      "unsupported-object",
      `object must be "whatsapp_business_account", got ${JSON.stringify(root.object) ?? "nothing"}`,
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
        out.ignored++; // any other field passes through (payloads.md §2)
        continue;
      }
      const value = change.value;
      const vPath = `${cPath}.value`;
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

function finish(out: Collector): ParseResult {
  return { events: out.events, issues: out.issues, ignored: out.ignored, test: out.test };
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

/** The item arrays each phone-number field carries. */
const ITEM_KEYS: Readonly<Record<string, readonly string[]>> = {
  messages: ["messages", "statuses"],
  calls: ["calls", "statuses"],
  user_preferences: ["user_preferences"],
  user_id_update: ["user_id_update"],
  smb_message_echoes: ["message_echoes"],
};

/** Fields whose value carries `metadata` and per-item arrays. */
function phoneValue(
  out: Collector,
  field: string,
  value: Rec,
  vPath: string,
  entry: Rec,
  entryTest: boolean,
): void {
  // value.errors first: they never need the business (ERR-2, payloads.md §6).
  const errors = value.errors;
  if (errors !== undefined) valueErrors(out, errors, `${vPath}.errors`);

  const keys = ITEM_KEYS[field]!;
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
    display: meta.data.display_phone_number,
    test: entryTest || business === TEST_PHONE_NUMBER_ID,
    waByUser: new Map(),
    contactAliases: [],
    single: undefined,
    minAt: undefined,
  };
  contacts(out, value.contacts, ctx);

  switch (field) {
    case "messages":
      forEach(value.messages, `${vPath}.messages`, (item, path) => message(out, item, path, ctx));
      forEach(value.statuses, `${vPath}.statuses`, (item, path) =>
        isRecord(item) && item.type === "call"
          ? callStatus(out, item, path, ctx)
          : status(out, item, path, ctx),
      );
      break;
    case "calls":
      forEach(value.calls, `${vPath}.calls`, (item, path) => call(out, item, path, ctx));
      forEach(value.statuses, `${vPath}.statuses`, (item, path) =>
        callStatus(out, item, path, ctx),
      );
      break;
    case "user_preferences":
      forEach(value.user_preferences, `${vPath}.user_preferences`, (item, path) =>
        preference(out, item, path, ctx),
      );
      break;
    case "user_id_update":
      forEach(value.user_id_update, `${vPath}.user_id_update`, (item, path) =>
        userIdUpdate(out, item, path, ctx),
      );
      break;
    case "smb_message_echoes":
      forEach(value.message_echoes, `${vPath}.message_echoes`, (item, path) =>
        echo(out, item, path, ctx),
      );
      break;
  }

  // Aliases from contacts[] (ID-6) take the value's earliest item instant, or entry.time.
  if (ctx.contactAliases.length > 0) {
    const at = ctx.minAt ?? toInstant(entry.time);
    if (at !== undefined) {
      for (const [wa, user] of ctx.contactAliases) alias(out, ctx, wa, user, at, ctx.test);
    }
  }
}

function forEach(items: unknown, path: string, fn: (item: unknown, path: string) => void): void {
  if (!Array.isArray(items)) return;
  for (let k = 0; k < items.length; k++) fn(items[k], `${path}[${k}]`);
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
    out.issue(path, "invalid-timestamp", `not a Unix-seconds timestamp: ${JSON.stringify(raw)}`);
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
  let msg: MessageBase;
  let degraded = false;
  const r = (schema ?? MessageBaseSchema).safeParse(raw);
  if (r.success) {
    msg = r.data;
  } else {
    const base = known ? MessageBaseSchema.safeParse(raw) : r;
    if (!base.success) {
      out.zodIssues(path, "invalid-item", base.error.issues);
      return;
    }
    // The window-relevant fields are valid; only the content object is not (a user did write).
    out.zodIssues(path, "invalid-content", r.error.issues);
    msg = base.data;
    degraded = true;
  }
  const at = instantAt(out, msg.timestamp, `${path}.timestamp`);
  if (at === undefined) return;
  seen(ctx, at);
  const test = ctx.test || isTestItem(msg.id, at);

  if (!known) {
    out.issue(`${path}.type`, "unknown-type", `unknown message type ${JSON.stringify(msg.type)}`);
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
  const referral = degraded ? referralOf(raw.referral, `${path}.referral`, out) : msg.referral;
  if (referral !== undefined) event.referral = toReferral(referral);
  out.emit(event, test, msg.id);
}

function referralOf(raw: unknown, path: string, out: Collector): WebhookReferral | undefined {
  if (raw === undefined) return undefined;
  const r = ReferralSchema.safeParse(raw);
  if (r.success) return r.data;
  out.zodIssues(path, "invalid-content", r.error.issues);
  return undefined;
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
  msg: MessageBase,
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
    if (from && to && from !== to) {
      out.emit(
        { kind: "identity", change: "user-id-changed", from, to, at, business: ctx.business },
        test,
        to,
      );
    } else {
      out.issue(
        `${path}.system`,
        "invalid-content",
        `${kind} without both the old and the new user id`,
      );
    }
  }
}

// ---------------------------------------------------------------------------------------------
// statuses[]
// ---------------------------------------------------------------------------------------------

function status(out: Collector, raw: unknown, path: string, ctx: ValueContext): void {
  const r = StatusSchema.safeParse(raw);
  if (!r.success) {
    out.zodIssues(path, "invalid-item", r.error.issues);
    return;
  }
  const s: Status = r.data;
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

// ---------------------------------------------------------------------------------------------
// calls[] and call statuses (CSW-5, payloads.md §7)
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
  // Decide caller and callee from `direction`, not from `from` (payloads.md §7).
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
    out.issue(
      `${path}.direction`,
      "unknown-value",
      `unknown call direction ${JSON.stringify(c.direction)}`,
    );
    return;
  }
  const user = direction === "user-initiated";
  let phone = user ? c.from : c.to;
  // Meta's own example puts the business number on the user's side: take the other side then.
  if (phone !== undefined && phone === ctx.display) phone = user ? c.to : c.from;
  const bsuid = user ? c.from_user_id : c.to_user_id;
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
      `unknown preference category ${JSON.stringify(p.category)}`,
    );
    return;
  }
  const value = p.value.toLowerCase();
  if (value !== "stop" && value !== "resume") {
    out.issue(
      `${path}.value`,
      "unknown-value",
      `unknown preference value ${JSON.stringify(p.value)}`,
    );
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
  out.issue(path, "unknown-value", `unknown template category ${JSON.stringify(raw)}`);
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
  const at = instantAt(out, entry.time, `${ePath}.time`);
  if (at === undefined) return;
  const event: { -readonly [K in keyof TemplateCategoryEvent]: TemplateCategoryEvent[K] } = {
    kind: "template-category",
    name: u.message_template_name,
    category,
    at,
  };
  if (typeof entry.id === "string") event.account = entry.id;
  if (u.message_template_language !== undefined) event.language = u.message_template_language;
  out.emit(event, test, event.name);
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
  const at = instantAt(out, entry.time, `${ePath}.time`);
  if (at === undefined) return;
  const event: { -readonly [K in keyof TemplateCategoryEvent]: TemplateCategoryEvent[K] } = {
    kind: "template-category",
    name: u.message_template_name,
    category,
    status: u.event,
    at,
  };
  if (typeof entry.id === "string") event.account = entry.id;
  if (u.message_template_language !== undefined) event.language = u.message_template_language;
  out.emit(event, test, event.name);
}
