/**
 * Scenario builders: write the story under test ("Ana writes at 09:00, the shop replies, the
 * survey fails with 131047") and get both the Meta-shaped webhook POST bodies and the core's
 * events, with deterministic ids, names, numbers and BSUIDs.
 *
 * - Every webhook-backed step (`writes`, `arrivesFromAd`, `calls`, statuses, `stopsMarketing`,
 *   Business-app echoes, template category changes) has a `body` that `parseWebhook` reads with
 *   no issue, and `events` equal to what it yields, **except** the identity `alias` events the
 *   parser adds whenever a payload links a `wa_id` and a BSUID (ID-6); drop them with
 *   {@link withoutAliases} to compare.
 * - Host-recorded steps (`replies`, `sendsTemplate`, `recordsOptIn`, `recordsOptOut`, `blocks`)
 *   have no webhook: `body` is `undefined`, and `events` go to `care.record`.
 * - Meta timestamps are whole Unix seconds, so webhook-backed events are floored to the second;
 *   host-recorded events keep the millisecond you gave.
 *
 * Nothing here imports zod or reads the clock.
 *
 * @module
 */
import { InvalidInputError } from "../domain/errors.js";
import type {
  CareEvent,
  ConsentScope,
  FreeFormType,
  InboundEvent,
  InboundType,
  Instant,
  OutboundKind,
  StatusEvent,
  StatusPricing,
  TemplateCategory,
  Thread,
  ThreadEvent,
} from "../domain/types.js";
import { signBody } from "../whatsapp/signature.js";
import { emptyState, foldEvents, type ThreadState } from "../window/state.js";

// ---------------------------------------------------------------------------------------------
// Public types
// ---------------------------------------------------------------------------------------------

/**
 * An instant as a `Date`, an ISO 8601 string or epoch milliseconds.
 *
 * @example
 * ```ts
 * const at: TimeInput = "2026-11-26T09:00:00Z";
 * ```
 */
export type TimeInput = Date | string | number;

/**
 * One `entry[].changes[]` item of a built webhook body.
 *
 * @example
 * ```ts
 * const change: WebhookPayloadChange = { field: "messages", value: { messaging_product: "whatsapp" } };
 * ```
 */
export interface WebhookPayloadChange {
  readonly field: string;
  readonly value: Readonly<Record<string, unknown>>;
}

/**
 * One `entry[]` item of a built webhook body: the WABA id, `time` on template fields.
 *
 * @example
 * ```ts
 * const entry: WebhookPayloadEntry = { id: "102290129340398", changes: [] };
 * ```
 */
export interface WebhookPayloadEntry {
  readonly id: string;
  readonly time?: number;
  readonly changes: readonly WebhookPayloadChange[];
}

/**
 * A complete WhatsApp Cloud API webhook POST body (Meta's webhook reference), as JSON-ready data.
 *
 * @example
 * ```ts
 * const body: WebhookPayload = { object: "whatsapp_business_account", entry: [] };
 * ```
 */
export interface WebhookPayload {
  readonly object: "whatsapp_business_account";
  readonly entry: readonly WebhookPayloadEntry[];
}

/**
 * One thing that happened in a scenario: its webhook body (none for host-recorded events) and
 * the core events it stands for.
 *
 * @example
 * ```ts
 * const step: Step = ana.writes("2026-11-26T09:00:00Z", "Oi!");
 * parseWebhook(step.body); // events: step.events (plus identity aliases)
 * ```
 */
export interface Step {
  /** The webhook POST body Meta would send; `undefined` for host-recorded events. */
  readonly body: WebhookPayload | undefined;
  /** The core events of this step (identity `alias` events excluded, see the module docs). */
  readonly events: readonly CareEvent[];
}

/**
 * A step that carries a message id (`wamid.…`): inbound messages and business sends.
 *
 * @example
 * ```ts
 * const msg: MessageStep = ana.writes("2026-11-26T09:00:00Z", "Oi!");
 * msg.id; //=> "wamid.1"
 * ```
 */
export interface MessageStep extends Step {
  readonly id: string;
}

/**
 * Content of an inbound message for {@link Customer.writes}. Every field is optional; the
 * defaults make a valid message of `type`.
 *
 * @example
 * ```ts
 * ana.writes(at, { type: "interactive", subtype: "list_reply" });
 * ana.writes(at, { type: "reaction", replyTo: survey, emoji: "👍" });
 * ```
 */
export interface WriteOptions {
  /** Message type (Meta's webhook reference). Default `text`. */
  readonly type?: InboundType;
  /** Text body, media caption, button text or edited text. */
  readonly text?: string;
  /** `interactive.type`: `button_reply` (default), `list_reply`, `nfm_reply`, `call_permission_reply`, … */
  readonly subtype?: string;
  /** Reaction emoji; `""` removes a reaction (Meta's webhook reference). Default `👍`. */
  readonly emoji?: string;
  /**
   * The business message this one answers (`context`), reacts to (`reaction.message_id`) or
   * edits / revokes (`original_message_id`). Default for reactions: the latest business send to
   * this customer.
   */
  readonly replyTo?: string | { readonly id: string };
  /** An explicit message id instead of the next `wamid.<n>`. */
  readonly id?: string;
}

/**
 * Options of {@link Customer.arrivesFromAd} (Click-to-WhatsApp referral, FEP-6).
 *
 * @example
 * ```ts
 * ana.arrivesFromAd(at, { adId: "120226305854810726", text: "Is it still available?" });
 * ```
 */
export interface AdArrivalOptions {
  /** `referral.source_id`. Default `120226305854810726`. */
  readonly adId?: string;
  /** `ad` (default) or the legacy `post` (only `ad` starts an FEP by default, OPEN-4). */
  readonly sourceType?: "ad" | "post";
  /** Click id; `null` omits it, as on WhatsApp Status placements. Default derived from the id. */
  readonly ctwaClid?: string | null;
  readonly headline?: string;
  /** The customer's first message. Default `Hi! I saw your ad.` */
  readonly text?: string;
  readonly id?: string;
}

/**
 * The `pricing` of a built status, in the core's names (kept verbatim in the event).
 *
 * @example
 * ```ts
 * const p: PricingInput = { model: "PMP", type: "free_customer_service", category: "service" };
 * ```
 */
export type PricingInput = StatusPricing;

/**
 * Options of the status builders on a {@link SentMessage}.
 *
 * @example
 * ```ts
 * reply.sent(at, { freeEntryPoint: { expiresAt: "2026-11-29T09:00:00Z" } });
 * reply.delivered(at, { pricing: null }); // no pricing object
 * ```
 */
export interface StatusOptions {
  /**
   * The `pricing` object. Default: `service` / `free_customer_service` for free-form messages,
   * the template's category / `regular` for templates (`pricing_model` `PMP` from 2025-07-01,
   * `CBP` before, without `type`). `null` omits it.
   */
  readonly pricing?: PricingInput | null;
  /**
   * The message went inside a free entry point (FEP-3, FEP-7): `pricing` becomes
   * `free_entry_point` / `referral_conversion` and a `conversation` with origin
   * `referral_conversion` is added, with `expiration_timestamp` when `expiresAt` is given.
   */
  readonly freeEntryPoint?: { readonly expiresAt?: TimeInput; readonly conversationId?: string };
}

/**
 * Options of {@link Scenario.replies}.
 *
 * @example
 * ```ts
 * shop.replies(ana, at, { type: "image" });
 * shop.replies(ana, at, { fromBusinessApp: true }); // a Coexistence echo (CSW-14)
 * ```
 */
export interface ReplyOptions {
  /** Free-form type. Default `text`. */
  readonly type?: FreeFormType;
  readonly text?: string;
  /**
   * Typed in the WhatsApp Business app (Coexistence): the step gets an `smb_message_echoes` body
   * and an `echo: true` event, which never touches the window (CSW-6, CSW-14).
   */
  readonly fromBusinessApp?: boolean;
  readonly id?: string;
}

/**
 * Options of {@link Scenario.sendsTemplate}.
 *
 * @example
 * ```ts
 * shop.sendsTemplate(ana, at, { name: "csat_survey", category: "utility" });
 * ```
 */
export interface TemplateSendOptions {
  /** For the story's readability: the core's `outbound` event does not carry template names. */
  readonly name?: string;
  readonly category: TemplateCategory;
  readonly id?: string;
}

/**
 * Options of {@link Scenario.recordsOptIn} / {@link Scenario.recordsOptOut} (CONSENT-1 … 4).
 *
 * @example
 * ```ts
 * shop.recordsOptIn(ana, at, { scope: "marketing", source: "checkout-form" });
 * ```
 */
export interface ConsentOptions {
  /** Default `all`. */
  readonly scope?: ConsentScope;
  /** Default `testing-kit`. */
  readonly source?: string;
}

/**
 * Options of {@link Scenario.customer}.
 *
 * @example
 * ```ts
 * shop.customer("5511987654321", { name: "Ana", userId: "BR.1502576394655843" });
 * shop.customer("16505551234", { hidePhone: true }); // a username holder: BSUID only (ID-5)
 * ```
 */
export interface CustomerOptions {
  /** Profile name. Default from a fixed list (Ana, Bruno, Carla, …). */
  readonly name?: string;
  /** BSUID (`CC.digits`). Default derived from the number; `null` for pre-2026 payloads. */
  readonly userId?: string | null;
  /** The phone number is not shared: payloads carry only the BSUID, which keys the thread. */
  readonly hidePhone?: boolean;
  /** `profile.username` (2026). */
  readonly username?: string;
}

/**
 * A customer of a {@link Scenario}: their identifiers, thread, and what they do.
 *
 * @example
 * ```ts
 * const ana = shop.customer("5511987654321");
 * ana.writes("2026-11-26T09:00:00Z", "Where is my order?");
 * ana.thread; //=> { business: "106540352242922", customer: "5511987654321" }
 * ```
 */
export interface Customer {
  /** `wa_id` (the phone number, digits only). */
  readonly waId: string;
  /** BSUID, or `undefined` when built with `userId: null`. */
  readonly userId: string | undefined;
  readonly name: string;
  /** The thread every event of this customer is keyed on (`wa_id`, or the BSUID with `hidePhone`). */
  readonly thread: Thread;
  /** This customer's events so far, in story order. */
  readonly events: readonly CareEvent[];
  /** This customer's events folded into a thread state, for the pure `decide`. */
  state(): ThreadState;
  /** The customer sends a message (CSW-1, CSW-7). A string is a text body. */
  writes(at: TimeInput, content?: string | WriteOptions): MessageStep;
  /** The customer's first message after tapping a Click-to-WhatsApp ad (FEP-1, FEP-6). */
  arrivesFromAd(at: TimeInput, options?: AdArrivalOptions): MessageStep;
  /** The customer calls the business (`connect`, `USER_INITIATED`, CSW-5). */
  calls(at: TimeInput): MessageStep;
  /** The customer stops marketing from this number (`user_preferences`, CONSENT-5). */
  stopsMarketing(at: TimeInput): Step;
  /** The customer resumes marketing (`user_preferences`, CONSENT-5). */
  resumesMarketing(at: TimeInput): Step;
}

/**
 * A business send (host-recorded `outbound` event) and the delivery statuses Meta sends for it.
 *
 * @example
 * ```ts
 * const survey = shop.sendsTemplate(ana, at, { name: "csat", category: "utility" });
 * survey.delivered(later);
 * survey.fails(later, 131049);
 * ```
 */
export interface SentMessage extends MessageStep {
  readonly customer: Customer;
  readonly message: OutboundKind;
  /** A `sent` status. */
  sent(at: TimeInput, options?: StatusOptions): Step;
  /** A `delivered` status. */
  delivered(at: TimeInput, options?: StatusOptions): Step;
  /** A `read` status. */
  read(at: TimeInput, options?: StatusOptions): Step;
  /**
   * A `failed` status with one or more error codes (ERR-*): 131047 closes the window (CSW-12),
   * 131050 records a marketing stop (CONSENT-6), 131049 limits marketing for 24 h (CONSENT-7),
   * 130403 a business block (CONSENT-9).
   */
  fails(at: TimeInput, code: number | readonly number[]): Step;
}

/**
 * Something that ingests webhook bodies and records events: a `CareWindow` service.
 *
 * @example
 * ```ts
 * const sink: CareSink = createCareWindow({ store: createMemoryStore() });
 * ```
 */
export interface CareSink {
  /** Parses and records one webhook body (the service's `ingest`). */
  ingest(body: unknown): Promise<unknown>;
  /** Records host events with no webhook, such as opt-ins (the service's `record`). */
  record(events: readonly CareEvent[]): Promise<unknown>;
}

/**
 * Options of {@link scenario}: the business number the story happens on.
 *
 * @example
 * ```ts
 * const options: ScenarioOptions = { business: "106540352242922", displayPhoneNumber: "15550783881" };
 * ```
 */
export interface ScenarioOptions {
  /** `phone_number_id`, the thread's business (ID-1). Default `106540352242922`. */
  readonly business?: string;
  /** `display_phone_number`. Default `15550783881`. */
  readonly displayPhoneNumber?: string;
  /** The WABA id (`entry[].id`). Default `102290129340398`. */
  readonly account?: string;
  /** Prefix of generated message ids. Default `wamid.` (ids `wamid.1`, `wamid.2`, …). */
  readonly idPrefix?: string;
}

/**
 * A story on one business number: its customers, the business's sends, consent records and
 * template changes, accumulated in order.
 *
 * @example
 * ```ts
 * const shop = scenario();
 * const ana = shop.customer("5511987654321");
 * ana.writes("2026-11-26T09:00:00Z", "Oi!");
 * shop.replies(ana, "2026-11-26T09:05:00Z").delivered("2026-11-26T09:05:02Z");
 * await care.ingest(shop.body());        // every webhook in one POST
 * await care.record(shop.hostEvents);    // the sends and opt-ins (no webhook)
 * ```
 */
export interface Scenario {
  readonly business: string;
  readonly displayPhoneNumber: string;
  readonly account: string;
  /** Every step so far, in story order. */
  readonly steps: readonly Step[];
  /** Every event so far, in story order (webhook-backed and host-recorded). */
  readonly events: readonly CareEvent[];
  /** The events of the steps that have no webhook: record them with `care.record`. */
  readonly hostEvents: readonly CareEvent[];
  /** A customer; the same `waId` returns the same customer. */
  customer(waId: string, options?: CustomerOptions): Customer;
  /** Several customers with default options, as a tuple: `const [ana, bia] = shop.customers(a, b)`. */
  customers<const T extends readonly string[]>(...waIds: T): { readonly [K in keyof T]: Customer };
  /** The business replies free-form (host-recorded; `fromBusinessApp` makes it an echo webhook). */
  replies(customer: Customer, at: TimeInput, options?: ReplyOptions): SentMessage;
  /** The business sends a template of a category (host-recorded). */
  sendsTemplate(customer: Customer, at: TimeInput, options: TemplateSendOptions): SentMessage;
  /** The business calls the customer; `accepted` (default) opens the window (CSW-5). */
  calls(
    customer: Customer,
    at: TimeInput,
    options?: { readonly outcome?: "accepted" | "rejected" | "ringing" },
  ): MessageStep;
  /** The host records an opt-in (CONSENT-1, CONSENT-2). No webhook. */
  recordsOptIn(customer: Customer, at: TimeInput, options?: ConsentOptions): Step;
  /** The host records an opt-out (CONSENT-4). No webhook. */
  recordsOptOut(customer: Customer, at: TimeInput, options?: ConsentOptions): Step;
  /** The business blocks the customer (CONSENT-9). No webhook. */
  blocks(customer: Customer, at: TimeInput): Step;
  /** The business unblocks the customer. No webhook. */
  unblocks(customer: Customer, at: TimeInput): Step;
  /** Meta completes a template recategorisation (`template_category_update`, TPL-7). */
  templateCategoryChanges(
    at: TimeInput,
    options: {
      readonly name: string;
      readonly to: TemplateCategory;
      readonly from?: TemplateCategory;
      readonly language?: string;
    },
  ): Step;
  /** One POST body holding the given steps' webhooks (default: all), one entry per step. */
  body(...steps: readonly Step[]): WebhookPayload;
  /** One webhook body per webhook-backed step, in order. */
  bodies(): WebhookPayload[];
  /** The webhook bodies as newline-delimited JSON (one POST per line), for replay tools. */
  ndjson(...steps: readonly Step[]): string;
  /** Ingests every webhook in one POST, then records the host-recorded events. */
  ingestInto(care: CareSink): Promise<void>;
}

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

const PMP_FROM: Instant = Date.parse("2025-07-01T00:00:00Z");
const NAMES = ["Ana", "Bruno", "Carla", "Davi", "Elena", "Felipe", "Gabi", "Hugo", "Iris", "João"];
/** Calling-code prefixes → ISO 3166 alpha-2, for default BSUIDs (longest prefix first). */
const COUNTRIES: readonly (readonly [string, string])[] = [
  ["351", "PT"],
  ["234", "NG"],
  ["55", "BR"],
  ["52", "MX"],
  ["54", "AR"],
  ["56", "CL"],
  ["57", "CO"],
  ["51", "PE"],
  ["44", "GB"],
  ["49", "DE"],
  ["33", "FR"],
  ["34", "ES"],
  ["39", "IT"],
  ["31", "NL"],
  ["91", "IN"],
  ["62", "ID"],
  ["27", "ZA"],
  ["20", "EG"],
  ["90", "TR"],
  ["81", "JP"],
  ["82", "KR"],
  ["61", "AU"],
  ["1", "US"],
  ["7", "RU"],
];

/** Titles Meta sends with the codes tests use most (ERR-*); others get a generic title. */
const ERROR_TITLES: Readonly<Record<number, string>> = {
  131047: "Re-engagement message",
  131049: "This message was not delivered to maintain healthy ecosystem engagement.",
  131050:
    "Unable to deliver the message. This recipient has chosen to stop receiving marketing messages on WhatsApp from your business.",
  131026: "Message undeliverable",
  131056: "(Business Account, Consumer Account) pair rate limit hit",
  130429: "Rate limit hit",
  131048: "Spam rate limit hit",
  130472: "User's number is part of an experiment",
  130403: "Recipient blocked by the business",
  131042: "Business eligibility payment issue",
};

function toMs(value: TimeInput, field: string): Instant {
  const ms =
    value instanceof Date ? value.getTime() : typeof value === "string" ? Date.parse(value) : value;
  if (typeof ms !== "number" || !Number.isFinite(ms) || Number.isNaN(new Date(ms).getTime())) {
    throw new InvalidInputError(
      "invalid-argument",
      `${field} must be a valid Date, ISO 8601 string or epoch-ms number, got ${String(value)}`,
      field,
    );
  }
  return ms;
}

/** Whole Unix seconds, as Meta sends them. */
const seconds = (ms: Instant): number => Math.floor(ms / 1000);

/** FNV-1a, 32 bits. */
function fnv(text: string, seed: number): number {
  let h = seed >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** A deterministic BSUID for a number: `CC.` + 19 digits (Meta's webhook reference). */
function defaultUserId(waId: string): string {
  const cc = COUNTRIES.find(([prefix]) => waId.startsWith(prefix))?.[1] ?? "ZZ";
  const digits = `${fnv(waId, 0x811c9dc5)}${fnv(waId, 0x2166136)}`.padEnd(19, "7").slice(0, 19);
  return `${cc}.1${digits}`;
}

function assertDigits(value: unknown, field: string): asserts value is string {
  if (typeof value !== "string" || !/^\d{5,20}$/.test(value)) {
    throw new InvalidInputError(
      "invalid-argument",
      `${field} must be a phone number of digits only (no "+"), got ${JSON.stringify(value)}`,
      field,
    );
  }
}

function nonEmpty(value: unknown, field: string): string {
  if (typeof value !== "string" || value === "") {
    throw new InvalidInputError("invalid-argument", `${field} must be a non-empty string`, field);
  }
  return value;
}

const idOf = (ref: string | { readonly id: string }): string =>
  typeof ref === "string" ? ref : ref.id;

// ---------------------------------------------------------------------------------------------
// Implementation
// ---------------------------------------------------------------------------------------------

class CustomerImpl implements Customer {
  readonly waId: string;
  readonly userId: string | undefined;
  readonly name: string;
  readonly username: string | undefined;
  readonly hidePhone: boolean;
  readonly thread: Thread;
  readonly #shop: ScenarioImpl;

  constructor(shop: ScenarioImpl, waId: string, name: string, options: CustomerOptions) {
    this.#shop = shop;
    this.waId = waId;
    this.name = name;
    this.userId = options.userId === null ? undefined : (options.userId ?? defaultUserId(waId));
    this.hidePhone = options.hidePhone === true;
    if (this.hidePhone && this.userId === undefined) {
      throw new InvalidInputError(
        "invalid-argument",
        "options.hidePhone needs a BSUID: do not combine it with userId: null",
        "options.hidePhone",
      );
    }
    this.username = options.username;
    this.thread = {
      business: shop.business,
      customer: this.hidePhone ? (this.userId as string) : waId,
    };
  }

  get events(): readonly CareEvent[] {
    return this.#shop.events.filter(
      (e) =>
        "thread" in e &&
        e.thread.business === this.thread.business &&
        e.thread.customer === this.thread.customer,
    );
  }

  state(): ThreadState {
    return foldEvents(emptyState(), this.events as readonly ThreadEvent[]);
  }

  /** `contacts[]` entry of this customer. */
  contact(): Record<string, unknown> {
    const profile: Record<string, string> = { name: this.name };
    if (this.username !== undefined) profile.username = this.username;
    const out: Record<string, unknown> = { profile };
    if (!this.hidePhone) out.wa_id = this.waId;
    if (this.userId !== undefined) out.user_id = this.userId;
    return out;
  }

  /** `from` / `from_user_id` of an item this customer sends. */
  sender(): Record<string, string> {
    const out: Record<string, string> = {};
    if (!this.hidePhone) out.from = this.waId;
    if (this.userId !== undefined) out.from_user_id = this.userId;
    return out;
  }

  writes(at: TimeInput, content?: string | WriteOptions): MessageStep {
    const options: WriteOptions = typeof content === "string" ? { text: content } : (content ?? {});
    return this.#shop.inbound(this, at, options, undefined);
  }

  arrivesFromAd(at: TimeInput, options: AdArrivalOptions = {}): MessageStep {
    const adId = options.adId ?? "120226305854810726";
    const referral: Record<string, unknown> = {
      source_url: `https://fb.me/${adId.slice(-8)}`,
      source_id: adId,
      source_type: options.sourceType ?? "ad",
      headline: options.headline ?? "Chat with us",
      body: "Now on WhatsApp",
      media_type: "image",
      image_url: `https://scontent.xx.fbcdn.net/${adId}.jpg`,
    };
    const clid = options.ctwaClid === undefined ? `Aff-${adId.slice(-6)}CW` : options.ctwaClid;
    if (clid !== null) referral.ctwa_clid = clid;
    const write: WriteOptions = {
      text: options.text ?? "Hi! I saw your ad.",
      ...(options.id === undefined ? {} : { id: options.id }),
    };
    return this.#shop.inbound(this, at, write, referral);
  }

  calls(at: TimeInput): MessageStep {
    return this.#shop.userCall(this, at);
  }

  stopsMarketing(at: TimeInput): Step {
    return this.#shop.preference(this, at, "stop");
  }

  resumesMarketing(at: TimeInput): Step {
    return this.#shop.preference(this, at, "resume");
  }
}

class SentMessageImpl implements SentMessage {
  readonly id: string;
  readonly body: WebhookPayload | undefined;
  readonly events: readonly CareEvent[];
  readonly customer: Customer;
  readonly message: OutboundKind;
  readonly category: TemplateCategory | undefined;
  readonly #shop: ScenarioImpl;

  constructor(
    shop: ScenarioImpl,
    customer: CustomerImpl,
    step: { id: string; body: WebhookPayload | undefined; events: readonly CareEvent[] },
    message: OutboundKind,
    category: TemplateCategory | undefined,
  ) {
    this.#shop = shop;
    this.id = step.id;
    this.body = step.body;
    this.events = step.events;
    this.customer = customer;
    this.message = message;
    this.category = category;
  }

  sent(at: TimeInput, options: StatusOptions = {}): Step {
    return this.#shop.status(this, at, "sent", options, []);
  }

  delivered(at: TimeInput, options: StatusOptions = {}): Step {
    return this.#shop.status(this, at, "delivered", options, []);
  }

  read(at: TimeInput, options: StatusOptions = {}): Step {
    return this.#shop.status(this, at, "read", options, []);
  }

  fails(at: TimeInput, code: number | readonly number[]): Step {
    const codes = typeof code === "number" ? [code] : [...code];
    if (codes.length === 0 || !codes.every((c) => Number.isInteger(c) && c >= 0)) {
      throw new InvalidInputError(
        "invalid-argument",
        "code must be a non-negative integer error code or a non-empty list of them (ERR-1)",
        "code",
      );
    }
    return this.#shop.status(this, at, "failed", {}, codes);
  }
}

class ScenarioImpl implements Scenario {
  readonly business: string;
  readonly displayPhoneNumber: string;
  readonly account: string;
  readonly #idPrefix: string;
  readonly #steps: Step[] = [];
  readonly #customers = new Map<string, CustomerImpl>();
  /** Latest business send per thread customer, the default reaction target. */
  readonly #lastSend = new Map<string, string>();
  #counter = 0;

  constructor(options: ScenarioOptions) {
    this.business = nonEmpty(options.business ?? "106540352242922", "options.business");
    this.displayPhoneNumber = options.displayPhoneNumber ?? "15550783881";
    assertDigits(this.displayPhoneNumber, "options.displayPhoneNumber");
    this.account = nonEmpty(options.account ?? "102290129340398", "options.account");
    this.#idPrefix = options.idPrefix ?? "wamid.";
  }

  get steps(): readonly Step[] {
    return [...this.#steps];
  }

  get events(): readonly CareEvent[] {
    return this.#steps.flatMap((s) => s.events);
  }

  get hostEvents(): readonly CareEvent[] {
    return this.#steps.filter((s) => s.body === undefined).flatMap((s) => s.events);
  }

  #next(): number {
    this.#counter += 1;
    return this.#counter;
  }

  #wamid(given: string | undefined): string {
    return given === undefined ? `${this.#idPrefix}${this.#next()}` : nonEmpty(given, "id");
  }

  #push<S extends Step>(step: S): S {
    this.#steps.push(step);
    return step;
  }

  #own(customer: Customer): CustomerImpl {
    const own = customer instanceof CustomerImpl ? this.#customers.get(customer.waId) : undefined;
    if (own === undefined || own !== customer) {
      throw new InvalidInputError(
        "invalid-argument",
        "customer must come from this scenario's customer()",
        "customer",
      );
    }
    return own;
  }

  /** A body with one entry holding one change. */
  #envelope(field: string, value: Record<string, unknown>, time?: number): WebhookPayload {
    const entry: WebhookPayloadEntry =
      time === undefined
        ? { id: this.account, changes: [{ field, value }] }
        : { id: this.account, time, changes: [{ field, value }] };
    return { object: "whatsapp_business_account", entry: [entry] };
  }

  #value(extra: Record<string, unknown>): Record<string, unknown> {
    return {
      messaging_product: "whatsapp",
      metadata: {
        display_phone_number: this.displayPhoneNumber,
        phone_number_id: this.business,
      },
      ...extra,
    };
  }

  customer(waId: string, options: CustomerOptions = {}): Customer {
    assertDigits(waId, "waId");
    const existing = this.#customers.get(waId);
    if (existing !== undefined) return existing;
    const name = options.name ?? NAMES[this.#customers.size % NAMES.length] ?? "Customer";
    const customer = new CustomerImpl(this, waId, name, options);
    this.#customers.set(waId, customer);
    return customer;
  }

  customers<const T extends readonly string[]>(...waIds: T): { readonly [K in keyof T]: Customer } {
    return waIds.map((waId, i) => {
      assertDigits(waId, `waIds[${i}]`);
      return this.customer(waId);
    }) as unknown as { readonly [K in keyof T]: Customer };
  }

  inbound(
    customer: CustomerImpl,
    atInput: TimeInput,
    options: WriteOptions,
    referral: Record<string, unknown> | undefined,
  ): MessageStep {
    const ms = toMs(atInput, "at");
    const id = this.#wamid(options.id);
    const type = options.type ?? "text";
    nonEmpty(type, "type");
    const n = this.#counter;
    const replyTo =
      options.replyTo === undefined ? undefined : nonEmpty(idOf(options.replyTo), "replyTo");
    const target = replyTo ?? this.#lastSend.get(customer.thread.customer) ?? `${this.#idPrefix}0`;
    const text = options.text;
    const message: Record<string, unknown> = {
      ...customer.sender(),
      id,
      timestamp: String(seconds(ms)),
      type,
    };
    if (replyTo !== undefined && type !== "reaction") {
      message.context = { from: this.displayPhoneNumber, id: replyTo };
    }
    const mediaId = String(1_003_383_421_387_000 + n);
    let subtype: string | undefined;
    switch (type) {
      case "text":
        message.text = { body: text ?? "Hi!" };
        break;
      case "image":
      case "video":
      case "sticker":
      case "audio":
      case "document": {
        const mime: Record<string, string> = {
          image: "image/jpeg",
          video: "video/mp4",
          sticker: "image/webp",
          audio: "audio/ogg; codecs=opus",
          document: "application/pdf",
        };
        const media: Record<string, unknown> = {
          id: mediaId,
          mime_type: mime[type],
          sha256: `sha-${mediaId}`,
        };
        if (text !== undefined && type !== "sticker" && type !== "audio") media.caption = text;
        if (type === "document") media.filename = "document.pdf";
        if (type === "audio") media.voice = true;
        message[type] = media;
        break;
      }
      case "location":
        message.location = { latitude: -23.5614, longitude: -46.6559, name: text ?? "Loja Centro" };
        break;
      case "contacts":
        message.contacts = [
          {
            name: { formatted_name: text ?? "Bruno Lima", first_name: "Bruno" },
            phones: [{ phone: "+14125550829", wa_id: "14125550829", type: "CELL" }],
          },
        ];
        break;
      case "interactive": {
        subtype = options.subtype ?? "button_reply";
        const interactive: Record<string, unknown> = { type: subtype };
        if (subtype === "button_reply")
          interactive.button_reply = { id: "yes", title: text ?? "Yes" };
        else if (subtype === "list_reply")
          interactive.list_reply = { id: "opt-1", title: text ?? "Option 1" };
        else if (subtype === "nfm_reply") {
          interactive.nfm_reply = {
            name: "flow",
            body: text ?? "Sent",
            response_json: '{"flow_token":"t"}',
          };
        } else if (subtype === "call_permission_reply") {
          interactive.call_permission_reply = {
            response: "accept",
            response_source: "user_action",
          };
        }
        message.interactive = interactive;
        break;
      }
      case "button":
        message.button = { payload: text ?? "YES", text: text ?? "Yes" };
        break;
      case "reaction":
        message.reaction =
          options.emoji === ""
            ? { message_id: target }
            : { message_id: target, emoji: options.emoji ?? "👍" };
        break;
      case "order":
        message.order = {
          catalog_id: "194836987003835",
          text: text ?? "Love these!",
          product_items: [
            { product_retailer_id: "sku-1", quantity: 2, item_price: 30, currency: "BRL" },
          ],
        };
        break;
      case "system":
        message.system = {
          type: "customer_identity_changed",
          body: text ?? "Security code changed.",
        };
        break;
      case "unsupported":
        message.unsupported = { type: "poll_update" };
        message.errors = [
          {
            code: 131051,
            title: "Message type unknown",
            message: "Message type unknown",
            error_data: { details: "Message type is currently not supported." },
          },
        ];
        break;
      case "unknown":
        message.errors = [
          {
            code: 131051,
            title: "Unsupported message type",
            details: "Message type is not currently supported",
          },
        ];
        break;
      case "edit":
        message.edit = {
          original_message_id: target,
          message: { type: "text", text: { body: text ?? "Hi! (edited)" } },
        };
        break;
      case "revoke":
        message.revoke = { original_message_id: target };
        break;
      default:
        break; // request_welcome has no content; future types are passed through as they are
    }
    if (referral !== undefined) message.referral = referral;
    const event: { -readonly [K in keyof InboundEvent]: InboundEvent[K] } = {
      kind: "inbound",
      id,
      type,
      at: seconds(ms) * 1000,
      thread: customer.thread,
    };
    if (subtype !== undefined) event.subtype = subtype;
    if (referral !== undefined) {
      const r: { -readonly [K in keyof NonNullable<InboundEvent["referral"]>]: string } = {
        sourceType: referral.source_type as string,
        sourceId: referral.source_id as string,
        sourceUrl: referral.source_url as string,
        headline: referral.headline as string,
      };
      if (typeof referral.ctwa_clid === "string") r.ctwaClid = referral.ctwa_clid;
      event.referral = r;
    }
    const body = this.#envelope(
      "messages",
      this.#value({ contacts: [customer.contact()], messages: [message] }),
    );
    return this.#push({ id, body, events: [event] });
  }

  userCall(customer: CustomerImpl, atInput: TimeInput): MessageStep {
    const ms = toMs(atInput, "at");
    const id = `wacid.${this.#next()}`;
    const call: Record<string, unknown> = { id };
    if (!customer.hidePhone) call.from = customer.waId;
    if (customer.userId !== undefined) call.from_user_id = customer.userId;
    Object.assign(call, {
      to: this.displayPhoneNumber,
      event: "connect",
      direction: "USER_INITIATED",
      timestamp: String(seconds(ms)),
      session: { sdp_type: "offer", sdp: "v=0\r\n" },
    });
    const body = this.#envelope(
      "calls",
      this.#value({ contacts: [customer.contact()], calls: [call] }),
    );
    const events: CareEvent[] = [
      {
        kind: "call",
        id,
        direction: "user-initiated",
        phase: "connect",
        at: seconds(ms) * 1000,
        thread: customer.thread,
      },
    ];
    return this.#push({ id, body, events });
  }

  calls(
    customer: Customer,
    atInput: TimeInput,
    options: { readonly outcome?: "accepted" | "rejected" | "ringing" } = {},
  ): MessageStep {
    const c = this.#own(customer);
    const ms = toMs(atInput, "at");
    const outcome = options.outcome ?? "accepted";
    if (outcome !== "accepted" && outcome !== "rejected" && outcome !== "ringing") {
      throw new InvalidInputError(
        "invalid-argument",
        'options.outcome must be "accepted", "rejected" or "ringing"',
        "options.outcome",
      );
    }
    const id = `wacid.${this.#next()}`;
    const status: Record<string, unknown> = {
      id,
      type: "call",
      status: outcome.toUpperCase(),
      timestamp: String(seconds(ms)),
    };
    if (!c.hidePhone) status.recipient_id = c.waId;
    if (c.userId !== undefined) status.recipient_user_id = c.userId;
    const body = this.#envelope(
      "calls",
      this.#value({ contacts: [c.contact()], statuses: [status] }),
    );
    const events: CareEvent[] = [
      {
        kind: "call",
        id,
        direction: "business-initiated",
        phase: outcome,
        at: seconds(ms) * 1000,
        thread: c.thread,
      },
    ];
    return this.#push({ id, body, events });
  }

  preference(customer: CustomerImpl, atInput: TimeInput, value: "stop" | "resume"): Step {
    const ms = toMs(atInput, "at");
    const item: Record<string, unknown> = {};
    if (!customer.hidePhone) item.wa_id = customer.waId;
    if (customer.userId !== undefined) item.user_id = customer.userId;
    Object.assign(item, {
      detail:
        value === "stop"
          ? "User requested to stop marketing messages"
          : "User requested to resume marketing messages",
      category: "marketing_messages",
      value,
      timestamp: seconds(ms),
    });
    const body = this.#envelope(
      "user_preferences",
      this.#value({ contacts: [customer.contact()], user_preferences: [item] }),
    );
    return this.#push({
      body,
      events: [
        { kind: "marketing-preference", value, at: seconds(ms) * 1000, thread: customer.thread },
      ],
    });
  }

  replies(customer: Customer, atInput: TimeInput, options: ReplyOptions = {}): SentMessage {
    const c = this.#own(customer);
    const ms = toMs(atInput, "at");
    const id = this.#wamid(options.id);
    const type = nonEmpty(options.type ?? "text", "options.type");
    this.#lastSend.set(c.thread.customer, id);
    if (options.fromBusinessApp === true) {
      // CSW-14: a Coexistence echo, delivered through smb_message_echoes.
      const item: Record<string, unknown> = { from: this.displayPhoneNumber };
      if (!c.hidePhone) item.to = c.waId;
      if (c.userId !== undefined) item.to_user_id = c.userId;
      Object.assign(item, { id, timestamp: seconds(ms), type });
      if (type === "text") item.text = { body: options.text ?? "Thanks, on it!" };
      const body = this.#envelope("smb_message_echoes", this.#value({ message_echoes: [item] }));
      const events: CareEvent[] = [
        {
          kind: "outbound",
          id,
          message: "free-form",
          type,
          echo: true,
          at: seconds(ms) * 1000,
          thread: c.thread,
        },
      ];
      return this.#push(new SentMessageImpl(this, c, { id, body, events }, "free-form", undefined));
    }
    const events: CareEvent[] = [
      { kind: "outbound", id, message: "free-form", type, at: ms, thread: c.thread },
    ];
    return this.#push(
      new SentMessageImpl(this, c, { id, body: undefined, events }, "free-form", undefined),
    );
  }

  sendsTemplate(customer: Customer, atInput: TimeInput, options: TemplateSendOptions): SentMessage {
    const c = this.#own(customer);
    const ms = toMs(atInput, "at");
    const category = options?.category;
    if (category !== "marketing" && category !== "utility" && category !== "authentication") {
      throw new InvalidInputError(
        "invalid-argument",
        'options.category must be "marketing", "utility" or "authentication"',
        "options.category",
      );
    }
    const id = this.#wamid(options.id);
    this.#lastSend.set(c.thread.customer, id);
    const events: CareEvent[] = [
      { kind: "outbound", id, message: "template", category, at: ms, thread: c.thread },
    ];
    return this.#push(
      new SentMessageImpl(this, c, { id, body: undefined, events }, "template", category),
    );
  }

  status(
    sent: SentMessageImpl,
    atInput: TimeInput,
    status: "sent" | "delivered" | "read" | "failed",
    options: StatusOptions,
    codes: readonly number[],
  ): Step {
    const c = this.#own(sent.customer);
    const ms = toMs(atInput, "at");
    const at = seconds(ms) * 1000;
    const failed = status === "failed";
    const item: Record<string, unknown> = {
      id: sent.id,
      status,
      timestamp: String(seconds(ms)),
    };
    // Meta's webhook reference: recipient_user_id is missing on failed statuses of sends to a phone.
    if (!c.hidePhone) item.recipient_id = c.waId;
    if (c.userId !== undefined && !(failed && !c.hidePhone)) item.recipient_user_id = c.userId;
    const event: { -readonly [K in keyof StatusEvent]: StatusEvent[K] } = {
      kind: "status",
      id: sent.id,
      status,
      at,
      thread: c.thread,
    };
    if (!failed) {
      const pmp = at >= PMP_FROM;
      const fep = options.freeEntryPoint;
      if (fep !== undefined) {
        const conversationId = fep.conversationId ?? `conv-${sent.id.replace(/\W/g, "")}`;
        const conversation: Record<string, unknown> = {
          id: conversationId,
          origin: { type: "referral_conversion" },
        };
        event.conversationId = conversationId;
        event.origin = "referral_conversion";
        if (fep.expiresAt !== undefined) {
          const end = seconds(toMs(fep.expiresAt, "options.freeEntryPoint.expiresAt"));
          conversation.expiration_timestamp = String(end);
          event.conversationExpiresAt = end * 1000;
        }
        item.conversation = conversation;
      }
      const pricing: PricingInput | null =
        options.pricing !== undefined
          ? options.pricing
          : fep !== undefined
            ? pmp
              ? { model: "PMP", type: "free_entry_point", category: "referral_conversion" }
              : { model: "CBP", category: "referral_conversion" }
            : sent.message === "template"
              ? pmp
                ? { model: "PMP", type: "regular", category: sent.category ?? "marketing" }
                : { model: "CBP", category: sent.category ?? "marketing" }
              : pmp
                ? { model: "PMP", type: "free_customer_service", category: "service" }
                : { model: "CBP", category: "service" };
      if (pricing !== null) {
        const raw: Record<string, unknown> = {};
        const mapped: { -readonly [K in keyof StatusPricing]: StatusPricing[K] } = {};
        if (pricing.billable !== undefined) {
          raw.billable = pricing.billable;
          mapped.billable = pricing.billable;
        }
        if (pricing.model !== undefined) {
          raw.pricing_model = pricing.model;
          mapped.model = pricing.model;
        }
        if (pricing.type !== undefined) {
          raw.type = pricing.type;
          mapped.type = pricing.type;
        }
        if (pricing.category !== undefined) {
          raw.category = pricing.category;
          mapped.category = pricing.category;
        }
        item.pricing = raw;
        event.pricing = mapped;
      }
    } else {
      item.errors = codes.map((code) => {
        const title = ERROR_TITLES[code] ?? `Error ${code}`;
        return {
          code,
          title,
          message: title,
          error_data: { details: title },
          href: "/documentation/business-messaging/whatsapp/support/error-codes",
        };
      });
      event.errors = [...codes];
    }
    // Status webhooks carry contacts for sent / delivered / read, never for failed (§3).
    const value = failed
      ? this.#value({ statuses: [item] })
      : this.#value({ contacts: [c.contact()], statuses: [item] });
    return this.#push({ body: this.#envelope("messages", value), events: [event] });
  }

  #consent(
    customer: Customer,
    atInput: TimeInput,
    action: "opt-in" | "opt-out",
    options: ConsentOptions,
  ): Step {
    const c = this.#own(customer);
    const at = toMs(atInput, "at");
    const scope = options.scope ?? "all";
    if (!["all", "marketing", "utility", "authentication"].includes(scope)) {
      throw new InvalidInputError(
        "invalid-argument",
        'options.scope must be "all", "marketing", "utility" or "authentication"',
        "options.scope",
      );
    }
    const source = nonEmpty(options.source ?? "testing-kit", "options.source");
    return this.#push({
      body: undefined,
      events: [{ kind: "consent", action, scope, source, at, thread: c.thread }],
    });
  }

  recordsOptIn(customer: Customer, at: TimeInput, options: ConsentOptions = {}): Step {
    return this.#consent(customer, at, "opt-in", options);
  }

  recordsOptOut(customer: Customer, at: TimeInput, options: ConsentOptions = {}): Step {
    return this.#consent(customer, at, "opt-out", options);
  }

  blocks(customer: Customer, atInput: TimeInput): Step {
    const c = this.#own(customer);
    const at = toMs(atInput, "at");
    return this.#push({
      body: undefined,
      events: [{ kind: "block", value: "block", at, thread: c.thread }],
    });
  }

  unblocks(customer: Customer, atInput: TimeInput): Step {
    const c = this.#own(customer);
    const at = toMs(atInput, "at");
    return this.#push({
      body: undefined,
      events: [{ kind: "block", value: "unblock", at, thread: c.thread }],
    });
  }

  templateCategoryChanges(
    atInput: TimeInput,
    options: {
      readonly name: string;
      readonly to: TemplateCategory;
      readonly from?: TemplateCategory;
      readonly language?: string;
    },
  ): Step {
    const ms = toMs(atInput, "at");
    const name = nonEmpty(options?.name, "options.name");
    const to = options.to;
    if (to !== "marketing" && to !== "utility" && to !== "authentication") {
      throw new InvalidInputError(
        "invalid-argument",
        'options.to must be "marketing", "utility" or "authentication"',
        "options.to",
      );
    }
    const from = options.from ?? (to === "marketing" ? "utility" : "marketing");
    const language = options.language ?? "en_US";
    const value = {
      message_template_id: 1_689_556_908_129_000 + this.#next(),
      message_template_name: name,
      message_template_language: language,
      previous_category: from.toUpperCase(),
      new_category: to.toUpperCase(),
    };
    const time = seconds(ms);
    return this.#push({
      body: this.#envelope("template_category_update", value, time),
      events: [
        {
          kind: "template-category",
          name,
          category: to,
          at: time * 1000,
          account: this.account,
          language,
        },
      ],
    });
  }

  #webhookSteps(steps: readonly Step[]): Step[] {
    return (steps.length === 0 ? this.#steps : steps).filter((s) => s.body !== undefined);
  }

  body(...steps: readonly Step[]): WebhookPayload {
    return {
      object: "whatsapp_business_account",
      entry: this.#webhookSteps(steps).flatMap((s) => s.body?.entry ?? []),
    };
  }

  bodies(): WebhookPayload[] {
    return this.#webhookSteps([]).map((s) => s.body as WebhookPayload);
  }

  ndjson(...steps: readonly Step[]): string {
    return this.#webhookSteps(steps)
      .map((s) => `${JSON.stringify(s.body)}\n`)
      .join("");
  }

  async ingestInto(care: CareSink): Promise<void> {
    if (this.#webhookSteps([]).length > 0) await care.ingest(this.body());
    const host = this.hostEvents;
    if (host.length > 0) await care.record(host);
  }
}

// ---------------------------------------------------------------------------------------------
// Entry points
// ---------------------------------------------------------------------------------------------

/**
 * Starts a story on one business number. Ids (`wamid.1`, `wacid.2`, …), names, display number,
 * WABA id and BSUIDs are deterministic: the same story builds the same bodies every run.
 *
 * @example
 * ```ts
 * import { scenario } from "care-window/testing";
 *
 * const shop = scenario({ business: "106540352242922" });
 * const ana = shop.customer("5511987654321");
 * ana.writes("2026-11-26T09:00:00Z", "Where is my order?");
 * const survey = shop.sendsTemplate(ana, "2026-11-27T10:00:00Z", { name: "csat", category: "utility" });
 * survey.fails("2026-11-27T10:00:03Z", 131049);
 * shop.events; // inbound, outbound, status — ready for care.record
 * shop.body(); // the webhooks of the same story, in one POST
 * ```
 */
export function scenario(options: ScenarioOptions = {}): Scenario {
  return new ScenarioImpl(options);
}

/**
 * The events without the identity `alias` events that `parseWebhook` adds whenever a payload
 * links a `wa_id` and a BSUID (ID-6): what a builder step's `events` hold.
 *
 * @example
 * ```ts
 * const step = ana.writes(at, "Oi!");
 * withoutAliases(parseWebhook(step.body).events); // deep-equals step.events
 * ```
 */
export function withoutAliases(events: readonly CareEvent[]): CareEvent[] {
  return events.filter((e) => !(e.kind === "identity" && e.change === "alias"));
}

/**
 * The raw body and headers of a signed webhook POST: `X-Hub-Signature-256` is the HMAC-SHA256
 * of the exact body bytes with your App Secret, as Meta computes it (Meta's webhook reference).
 *
 * @example
 * ```ts
 * const { rawBody, headers } = await signedRequest(shop.body(), "app-secret");
 * const res = await app.request("/webhook", { method: "POST", body: rawBody, headers });
 * ```
 */
export async function signedRequest(
  body: WebhookPayload | string,
  appSecret: string,
): Promise<{
  readonly rawBody: string;
  readonly headers: { readonly "content-type": string; readonly "x-hub-signature-256": string };
}> {
  const rawBody = typeof body === "string" ? body : JSON.stringify(body);
  const signature = await signBody(rawBody, appSecret);
  return {
    rawBody,
    headers: { "content-type": "application/json", "x-hub-signature-256": signature },
  };
}
