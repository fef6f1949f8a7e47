/**
 * `createCareWindow`: the host-facing service over a {@link CareWindowStore}. It ingests webhooks,
 * records events with compare-and-set (no lost update), counts the monthly service tier, and
 * answers decisions with exactly one store read.
 *
 * @module
 */
import { assertDecideOptions } from "../domain/check.js";
import { InvalidInputError } from "../domain/errors.js";
// Send-body classification is zod-free and stays on the root; the webhook parser (zod) is
// loaded by `ingest` on first use, or passed in as `options.webhooks` (issue 14). The
// collector module (option checks, skew default) is zod-free too.
import { checkEvent } from "../domain/event.js";
import type {
  CareEvent,
  IdentityEvent,
  Intent,
  Sender,
  StatusEvent,
  TemplateCatalog,
  TemplateCategory,
  TemplateCategoryEvent,
  Thread,
  ThreadEvent,
} from "../domain/types.js";
import type { EraId, PricingEra } from "../policy/eras.js";
import { isValidTimeZone, monthIn } from "../policy/time.js";
import {
  decodeState,
  followRedirects,
  type RetryOptions,
  readRoot,
  storeCall,
  updateThread,
  validateRetry,
} from "../store/cas.js";
import type { CareWindowStore, ThreadKey } from "../store/port.js";
import { classifySend, intentFromSend } from "../whatsapp/classify.js";
import {
  DEFAULT_FUTURE_SKEW_MS,
  type ParseOptions,
  type ParseResult,
  parseOptionsOf,
  type WebhookIssue,
} from "../whatsapp/collector.js";
import { assertIntent, decideChecked, normalizeIntent } from "../window/decide.js";
import type {
  BlockedDecision,
  Decision,
  SessionDecision,
  TemplateDecision,
} from "../window/decision.js";
import { resolveTimeZone } from "../window/evaluate.js";
import type { DecideOptions } from "../window/options.js";
import { emptyState, foldCheckedEvents, sealedState, type ThreadState } from "../window/state.js";
import { mapLimit } from "./concurrency.js";
import { applyIdentity, forwardMoved } from "./identity.js";
import {
  assertStorable,
  type CareEventInput,
  keyId,
  keyThread,
  normalizeEvents,
  threadKey,
} from "./validate.js";

/**
 * Host-wide decision options of the service: every {@link DecideOptions} member except the ones
 * the service computes per call (`serviceTier` from the store, `customer` from the thread).
 *
 * @example
 * ```ts
 * const policy: ServicePolicyOptions = { requireOptIn: true, timeZone: "America/Sao_Paulo" };
 * ```
 */
export type ServicePolicyOptions = Omit<DecideOptions, "serviceTier" | "customer">;

/**
 * Options of {@link createCareWindow}.
 *
 * @example
 * ```ts
 * const options: CareWindowOptions = {
 *   store: createMemoryStore(),
 *   timeZone: "America/Sao_Paulo",
 *   requireOptIn: true,
 *   catalog: { order_update: "utility" },
 *   maxAttempts: 8,
 *   concurrency: 16,
 * };
 * ```
 */
export interface CareWindowOptions extends ServicePolicyOptions {
  /** Where thread states, tier counters and the template catalog live. */
  readonly store: CareWindowStore;
  /** The clock. Default: the system clock. Pass `createClock()` from `care-window/testing` in tests. */
  readonly now?: () => Date;
  /** The pricing policy to apply: an era id to pin, or a custom era (PRICE-2). Same as `era`. */
  readonly policy?: EraId | PricingEra;
  /**
   * Template name → category the host knows (TPL-7). Categories learned from
   * `template_category_update` webhooks (stored, dated) take precedence over these.
   */
  readonly catalog?: TemplateCatalog;
  /** Compare-and-set attempts per thread write before `StoreConflictError`. Default 8. */
  readonly maxAttempts?: number;
  /** Store operations in flight at once in `record`, `ingest` and `decideMany`. Default 8. */
  readonly concurrency?: number;
  /** Backoff tuning and injectable randomness / sleep for the retry loop. */
  readonly retry?: Omit<RetryOptions, "maxAttempts">;
  /**
   * Leave deliveries inside a free entry point (`pricing.type` = `free_entry_point`) out of the
   * monthly service-tier count (OPEN-5). Default `false`: they count, which can only overstate
   * cost.
   */
  readonly excludeFepFromTier?: boolean;
  /**
   * When a customer changes phone number (`number-changed`, OPEN-15), carry the old thread's
   * windows and FEP over too. Default `false`: only restrictions (opt-outs, marketing stops,
   * limits, blocks) carry over, and the new number starts closed until it writes.
   */
  readonly carryWindowsOnNumberChange?: boolean;
  /**
   * How far past the service clock an inbound message or call may be dated (CSW-3). Later ones
   * are refused (`record`: an `InvalidInputError` naming `events[i].at`; `ingest`: an
   * `invalid-timestamp` issue), so a broken or forged timestamp never anchors a window.
   * Default one day (86,400,000 ms).
   */
  readonly maxFutureSkewMs?: number;
  /**
   * The webhook parser `ingest` uses: `{ parseWebhook }` from `care-window/whatsapp` (or
   * anything with the same `parseWebhook`). Default: `ingest` loads
   * `care-window/whatsapp`'s parser with a dynamic `import()` on its first call, so a host that
   * only records and decides never loads zod. Pass it to load the parser with your handler
   * instead (no first-call delay; bundlers without code splitting inline it either way).
   * Events from a parser the host passes are checked by the one event contract item by item
   * (a refused one is an `invalid-item` issue at `events[i]`).
   */
  readonly webhooks?: WebhookEdge;
}

/**
 * What `ingest` needs from a channel edge: `care-window/whatsapp` satisfies it (its
 * `parseWebhook` also routes Messenger and Instagram bodies).
 *
 * @example
 * ```ts
 * import { parseWebhook } from "care-window/whatsapp";
 * const edge: WebhookEdge = { parseWebhook };
 * ```
 */
export interface WebhookEdge {
  /** Turns a webhook body into events, with issues for what it could not understand. */
  parseWebhook(body: unknown, options?: ParseOptions): ParseResult;
}

/**
 * What `record` did.
 *
 * @example
 * ```ts
 * const r: RecordResult = { events: 3, threads: 1, changed: 1, deliveries: 1, templates: 0, identities: 0 };
 * ```
 */
export interface RecordResult {
  /** Events accepted. */
  readonly events: number;
  /** Distinct threads the events belong to. */
  readonly threads: number;
  /** Threads whose stored state changed (a replay changes none). */
  readonly changed: number;
  /**
   * Delivered service messages whose tier count this call changed: counted for the first time,
   * or moved to an earlier month than an earlier call reported (PRICE-5, OPEN-5).
   */
  readonly deliveries: number;
  /** Template-category events applied to the catalog (TPL-7). */
  readonly templates: number;
  /** Identity events that changed a thread (ID-6, OPEN-15). */
  readonly identities: number;
}

/**
 * What `ingest` did: the parsed events, the threads they touched, and the record counts.
 *
 * @example
 * ```ts
 * const r = await care.ingest(body);
 * if (r.issues.length > 0) log(r.issues);
 * ```
 */
export interface IngestResult {
  readonly events: readonly CareEvent[];
  /** Distinct threads the events belong to. */
  readonly threads: readonly Thread[];
  /** Parts of the body that could not be understood (the rest was still recorded). */
  readonly issues: readonly WebhookIssue[];
  /** Entries ignored as irrelevant (fields care-window does not use). */
  readonly ignored: number;
  /** The body held an App Dashboard test payload (CSW-15); its events are dropped by default. */
  readonly test: boolean;
  readonly recorded: RecordResult;
}

/**
 * Options of `ingest`: those of `parseWebhook`.
 *
 * @example
 * ```ts
 * await care.ingest(body, { dropTestPayloads: false });
 * ```
 */
export type IngestOptions = ParseOptions;

/**
 * A Cloud API send request body (`POST /{phone-number-id}/messages`), accepted by `decide` in
 * place of an intent and classified with `classifySend` (TPL-9).
 *
 * @example
 * ```ts
 * const body: SendRequestBody = { messaging_product: "whatsapp", to: "5511987654321", type: "text", text: { body: "Hi" } };
 * ```
 */
export interface SendRequestBody {
  readonly messaging_product: string;
  readonly [field: string]: unknown;
}

/**
 * Per-call options of `decide` / `decideMany`: any {@link DecideOptions} member overrides the
 * host's for this call (`serviceTier` replaces the stored count), plus the sender of a send body.
 *
 * @example
 * ```ts
 * await care.decide(thread, intent, { serviceTier: { used: 999 } });
 * ```
 */
export interface DecideCallOptions extends DecideOptions {
  /** Who sends, when `intent` is a send body (MSG-4). */
  readonly sender?: Sender;
}

/**
 * A thread and its decision.
 *
 * @example
 * ```ts
 * for (const { thread, decision } of result.template) queueTemplate(thread, decision);
 * ```
 */
export interface ThreadDecision<D extends Decision = Decision> {
  readonly thread: Thread;
  readonly decision: D;
}

/**
 * `decideMany`'s recipients partitioned by outcome, each list in input order.
 *
 * @example
 * ```ts
 * const { session, template, blocked } = await care.decideMany(threads, { kind: "template", category: "marketing" });
 * ```
 */
export interface DecideManyResult {
  readonly session: readonly ThreadDecision<SessionDecision>[];
  readonly template: readonly ThreadDecision<TemplateDecision>[];
  readonly blocked: readonly ThreadDecision<BlockedDecision>[];
}

/**
 * The service returned by {@link createCareWindow}.
 *
 * @example
 * ```ts
 * const care: CareWindow = createCareWindow({ store: createMemoryStore() });
 * ```
 */
export interface CareWindow {
  /** Parses a webhook body (`parseWebhook`) and records its events. */
  ingest(body: unknown, options?: IngestOptions): Promise<IngestResult>;
  /** Validates and records events: one compare-and-set per thread, tier counts, catalog. */
  record(events: readonly CareEventInput[]): Promise<RecordResult>;
  /** Decides one send with exactly one store read (two or more only for aliased ids). */
  decide(
    thread: Thread,
    intent: Intent | SendRequestBody,
    options?: DecideCallOptions,
  ): Promise<Decision>;
  /** Decides a campaign: recipients partitioned into session / template / blocked. */
  decideMany(
    threads: readonly Thread[],
    intent: Intent | SendRequestBody,
    options?: DecideCallOptions & { readonly concurrency?: number },
  ): Promise<DecideManyResult>;
  /** The thread's current folded state (empty when unknown), after alias redirects. */
  state(thread: Thread): Promise<ThreadState>;
  /** The template catalog: the host's `catalog` option overlaid with stored categories. */
  catalog(): Promise<TemplateCatalog>;
}

/** Status values that prove delivery: `read` / `played` imply `delivered` (counted once per wamid). */
const DELIVERED: ReadonlySet<string> = new Set(["delivered", "read", "played"]);

/**
 * Whether a status is a delivered 1:1 service message that uses up the monthly tier (PRICE-5,
 * OPEN-5): `delivered` (or `read` / `played`, which imply it) with `pricing.category` `service`,
 * or of a message known to be free-form (`message: "free-form"`, e.g. inside an FEP where the
 * category is `referral_conversion`), or with `pricing.subtype` `paid_exempt` (PRICE-24). Reactions
 * never count (PRICE-4). A status whose message kind is unknown and whose category is not
 * `service` is not counted.
 *
 * @example
 * ```ts
 * countsTowardsTier({ kind: "status", id: "w", status: "delivered", pricing: { category: "service" }, at: 0, thread });
 * //=> true
 * ```
 */
export function countsTowardsTier(
  event: StatusEvent,
  options: { readonly excludeFep?: boolean } = {},
): boolean {
  if (!DELIVERED.has(event.status)) return false;
  if (event.type === "reaction") return false;
  // OPEN-5 option: deliveries inside an FEP may be left out of the tier.
  if (options.excludeFep === true && event.pricing?.type === "free_entry_point") return false;
  // PRICE-24: a `paid_exempt` delivery (from 2026-10-12) is one of the month's service messages.
  if (event.pricing?.subtype === "paid_exempt") return true;
  return event.pricing?.category === "service" || event.message === "free-form";
}

/** Identity events with the same effect share an id: links are symmetric, number changes not. */
function identityId(event: IdentityEvent): string {
  const channel = event.channel ?? "whatsapp";
  if (event.change === "number-changed") {
    return JSON.stringify(["number", channel, event.business, event.from, event.to]);
  }
  const [a, b] = event.from < event.to ? [event.from, event.to] : [event.to, event.from];
  return JSON.stringify(["link", channel, event.business, a, b]);
}

/**
 * The one rule for `null` (issue 10): `null` is never "absent". Where an input (or an option) is
 * optional, leave it out or pass `undefined`; `null` is refused with an `InvalidInputError`
 * naming the field, like any other wrong type.
 */
function refuseNulls<T extends object>(value: T, field: string): T {
  for (const key of Object.keys(value)) {
    if ((value as Record<string, unknown>)[key] === null) {
      throw new InvalidInputError(
        "invalid-argument",
        `${field}.${key} must not be null (leave it out for the default)`,
        `${field}.${key}`,
      );
    }
  }
  return value;
}

/** A short rendering of an unknown option value for a message (never throws). */
function describeValue(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value.slice(0, 60));
  if (value === null || typeof value !== "object") return String(value);
  return Array.isArray(value) ? "(an array)" : "(an object)";
}

const TEMPLATE_CATEGORIES: ReadonlyMap<string, TemplateCategory> = new Map([
  ["marketing", "marketing"],
  ["utility", "utility"],
  ["authentication", "authentication"],
]);

/**
 * The host's `catalog` option as a Map (TPL-7), categories in any case. A bad entry is a typed
 * error naming it (`options.catalog["order_update"]`).
 */
function catalogMap(catalog: unknown): Map<string, TemplateCategory> {
  const out = new Map<string, TemplateCategory>();
  if (typeof catalog !== "object" || catalog === null || Array.isArray(catalog)) {
    throw new InvalidInputError(
      "invalid-argument",
      "options.catalog must be an object { [templateName]: category }",
      "options.catalog",
    );
  }
  for (const name of Object.keys(catalog)) {
    const raw: unknown = (catalog as Record<string, unknown>)[name];
    const category =
      typeof raw === "string" ? TEMPLATE_CATEGORIES.get(raw.toLowerCase()) : undefined;
    const field = `options.catalog[${JSON.stringify(name)}]`;
    if (category === undefined) {
      throw new InvalidInputError(
        "invalid-argument",
        `${field} must be "marketing", "utility" or "authentication" (any case)`,
        field,
      );
    }
    out.set(name, category);
  }
  return out;
}

/** Call options: absent means none; anything else is checked by `assertDecideOptions`. */
function callOptions<T extends object>(call: unknown, field = "options"): T {
  if (call === undefined) return {} as T;
  assertDecideOptions(call, field);
  return call as T;
}

/**
 * The events of a host-supplied parser checked by the one event contract and the CSW-3 future
 * bound, item by item: a refused event becomes an `invalid-item` (or `invalid-timestamp`) issue
 * at `events[i]` and the rest are kept (issue 10).
 */
function checked(parsed: ParseResult, options: ParseOptions): ParseResult {
  const now = options.now instanceof Date ? options.now.getTime() : (options.now as number);
  const latest = now + (options.maxFutureSkewMs ?? DEFAULT_FUTURE_SKEW_MS);
  const events: CareEvent[] = [];
  const issues: WebhookIssue[] = [...parsed.issues];
  parsed.events.forEach((raw, i) => {
    const r = checkEvent(raw, `events[${i}]`);
    if (!r.ok) {
      issues.push({
        path: `events[${i}]`,
        code: "invalid-item",
        message: `${r.field} ${r.message}`,
      });
    } else if ((r.event.kind === "inbound" || r.event.kind === "call") && r.event.at > latest) {
      issues.push({
        path: `events[${i}]`,
        code: "invalid-timestamp",
        message: `${r.event.kind} is more than maxFutureSkewMs after now (CSW-3)`,
      });
    } else events.push(r.event);
  });
  return { events, issues, ignored: parsed.ignored, test: parsed.test };
}

// The one place care-window reads the system clock: the service's default `now`.
const systemNow = (): Date => new Date(Date.now());

const isIntentLike = (value: unknown): boolean =>
  typeof value === "object" && value !== null && "kind" in value;

/**
 * Creates the care-window service over a store.
 *
 * - `record(events)` validates (typed errors naming the field, e.g. `events[3].at`), groups by
 *   thread and folds each group with one compare-and-set loop; a replay changes nothing.
 * - Delivered service messages are counted once per `wamid` and number, in the calendar month
 *   (in the account's `timeZone`) of the earliest status that counted it, whatever order and
 *   calls the statuses arrive in (PRICE-5, OPEN-5, OPEN-6).
 * - `decide(thread, intent)` reads the state, the month's tier count and the template's stored
 *   category in one round trip and calls the pure `decide`.
 *
 * @example
 * ```ts
 * import { createCareWindow, createMemoryStore } from "care-window";
 *
 * const care = createCareWindow({ store: createMemoryStore(), timeZone: "America/Sao_Paulo" });
 * const thread = { business: "106540352242922", customer: "5511987654321" };
 * await care.record([{ kind: "inbound", id: "wamid.A", type: "text", at: new Date(), thread }]);
 * const d = await care.decide(thread, { kind: "free-form" });
 * d.outcome; //=> "session"
 * ```
 */
export function createCareWindow(options: CareWindowOptions): CareWindow {
  if (typeof options !== "object" || options === null || Array.isArray(options)) {
    throw new InvalidInputError(
      "invalid-argument",
      "options must be an object { store, … }",
      "options",
    );
  }
  const {
    store,
    now = systemNow,
    catalog: catalogOption = {},
    maxAttempts,
    concurrency = 8,
    retry = {},
    policy,
    excludeFepFromTier = false,
    carryWindowsOnNumberChange = false,
    maxFutureSkewMs = DEFAULT_FUTURE_SKEW_MS,
    webhooks,
    ...decideOptions
  } = refuseNulls(options, "options");
  if (typeof store !== "object" || store === null) {
    throw new InvalidInputError(
      "invalid-argument",
      "options.store must be a store",
      "options.store",
    );
  }
  if (typeof now !== "function") {
    throw new InvalidInputError(
      "invalid-argument",
      "options.now must be a function returning a Date",
      "options.now",
    );
  }
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new InvalidInputError(
      "invalid-argument",
      "options.concurrency must be a positive integer",
      "options.concurrency",
    );
  }
  if (typeof maxFutureSkewMs !== "number" || !(maxFutureSkewMs >= 0)) {
    throw new InvalidInputError(
      "invalid-argument",
      "options.maxFutureSkewMs must be a non-negative number of milliseconds",
      "options.maxFutureSkewMs",
    );
  }
  for (const flag of ["excludeFepFromTier", "carryWindowsOnNumberChange"] as const) {
    if (typeof options[flag] !== "boolean" && options[flag] !== undefined) {
      throw new InvalidInputError(
        "invalid-argument",
        `options.${flag} must be a boolean`,
        `options.${flag}`,
      );
    }
  }
  validateRetry(maxAttempts === undefined ? {} : { maxAttempts }, "options.");
  if (typeof retry !== "object" || retry === null) {
    throw new InvalidInputError(
      "invalid-argument",
      "options.retry must be an object",
      "options.retry",
    );
  }
  validateRetry(retry, "options.retry.");
  if (
    webhooks !== undefined &&
    (typeof webhooks !== "object" ||
      webhooks === null ||
      typeof (webhooks as Partial<WebhookEdge>).parseWebhook !== "function")
  ) {
    throw new InvalidInputError(
      "invalid-argument",
      "options.webhooks must have a parseWebhook function (import * from care-window/whatsapp)",
      "options.webhooks",
    );
  }
  // The WhatsApp edge, loaded once on the first `ingest` unless the host passed it.
  let edge: Promise<WebhookEdge> | undefined =
    webhooks === undefined ? undefined : Promise.resolve(webhooks);
  const loadEdge = (): Promise<WebhookEdge> => {
    edge ??= import("../whatsapp/parse.js").catch((error: unknown) => {
      edge = undefined; // a failed load is retried by the next call
      throw error;
    });
    return edge;
  };
  assertDecideOptions(decideOptions);
  const timeZone = decideOptions.timeZone ?? "UTC";
  if (typeof timeZone !== "string" || !isValidTimeZone(timeZone)) {
    throw new InvalidInputError(
      "invalid-argument",
      `options.timeZone ${describeValue(timeZone)} is not an IANA time zone`,
      "options.timeZone",
    );
  }
  // TPL-7: host-supplied template names live in a Map (a template named `constructor` or
  // `__proto__` is a name, never a prototype member); categories in any case (`UTILITY`).
  const staticCatalog = catalogMap(catalogOption);
  const catalogRecord = (): Record<string, TemplateCategory> => {
    const out: Record<string, TemplateCategory> = Object.create(null);
    for (const [name, category] of staticCatalog) out[name] = category;
    return out;
  };
  const sendCatalog = catalogRecord();
  const hostOptions: DecideOptions =
    policy === undefined ? decideOptions : { ...decideOptions, era: policy };
  const retryOptions: RetryOptions = maxAttempts === undefined ? retry : { ...retry, maxAttempts };

  const clock = (): Date => {
    const d = now();
    if (!(d instanceof Date) || Number.isNaN(d.getTime())) {
      throw new InvalidInputError(
        "invalid-argument",
        "options.now() must return a valid Date",
        "options.now",
      );
    }
    return d;
  };

  async function record(input: readonly CareEventInput[]): Promise<RecordResult> {
    // All or nothing: the first bad event is a typed error naming it, and nothing is written.
    const events = normalizeEvents(input);
    // CSW-3: an inbound message or call dated too far ahead of the clock never anchors a window.
    const latest = clock().getTime() + maxFutureSkewMs;
    for (let i = 0; i < events.length; i++) {
      const e = events[i] as CareEvent;
      if ((e.kind === "inbound" || e.kind === "call") && e.at > latest) {
        throw new InvalidInputError(
          "invalid-event",
          `events[${i}].at is more than options.maxFutureSkewMs (${maxFutureSkewMs} ms) after now (CSW-3)`,
          `events[${i}].at`,
        );
      }
    }
    return recordValid(events);
  }

  /** Records events that already passed the one event contract (CSW-4: idempotent). */
  async function recordValid(events: readonly CareEvent[]): Promise<RecordResult> {
    const groups = new Map<string, { key: ThreadKey; events: ThreadEvent[]; field: string }>();
    const templates: TemplateCategoryEvent[] = [];
    const identities: IdentityEvent[] = [];
    const identityIds = new Set<string>();
    const deliveries = new Map<string, { business: string; wamid: string; at: number }>();
    events.forEach((event, i) => {
      if (event.kind === "template-category") templates.push(event);
      else if (event.kind === "identity") {
        // One link per pair and batch: a webhook repeats the same alias on every status.
        const id = identityId(event);
        if (!identityIds.has(id)) {
          identityIds.add(id);
          identities.push(event);
        }
      } else {
        const key = threadKey(event.thread);
        const id = keyId(key);
        const group = groups.get(id);
        if (group === undefined) groups.set(id, { key, events: [event], field: `events[${i}]` });
        else group.events.push(event);
        if (
          event.kind === "status" &&
          countsTowardsTier(event, { excludeFep: excludeFepFromTier })
        ) {
          // Once per (business, wamid), in the month of its earliest counted status (OPEN-5,
          // PRICE-5): delivered at 23:59:59 on Oct 31 and read at 00:00:01 on Nov 1 is one
          // October message. A `read` / `played` stands in for the delivery until the
          // `delivered` status arrives; when that comes in a later call, the store's
          // `countDelivery` moves the count to its earlier month (earliest month wins).
          const id = JSON.stringify([key.business, event.id]);
          const seen = deliveries.get(id);
          if (seen === undefined || event.at < seen.at) {
            deliveries.set(id, { business: key.business, wamid: event.id, at: event.at });
          }
        }
      }
    });

    await mapLimit(templates, concurrency, (t) =>
      storeCall("putTemplate", () =>
        store.putTemplate({ name: t.name, category: t.category, at: t.at }),
      ),
    );
    const updates = await mapLimit([...groups.values()], concurrency, async (g) => {
      const u = await updateThread(store, g.key, (s) => foldCheckedEvents(s, g.events), {
        ...retryOptions,
        field: g.field,
      });
      // OPEN-15 / issue 10: a number that changed forwards late restrictions to the new one.
      if (u.changed && u.state.movedTo !== undefined) {
        await forwardMoved(store, u.key, u.state, {
          ...retryOptions,
          carryWindows: carryWindowsOnNumberChange,
        });
      }
      return u;
    });
    const counted = await mapLimit([...deliveries.values()], concurrency, (d) =>
      storeCall("countDelivery", () =>
        store.countDelivery(d.business, monthIn(d.at, timeZone), d.wamid),
      ),
    );
    let identityChanges = 0;
    for (const event of identities) {
      const identityOptions = { ...retryOptions, carryWindows: carryWindowsOnNumberChange };
      if ((await applyIdentity(store, event, identityOptions)).changed) identityChanges++;
    }
    return {
      events: events.length,
      threads: groups.size,
      changed: updates.filter((u) => u.changed).length,
      deliveries: counted.filter(Boolean).length,
      templates: templates.length,
      identities: identityChanges,
    };
  }

  function toIntent(input: unknown, sender: Sender | undefined): Intent {
    if (isIntentLike(input)) {
      // #15 item 8: a catalog category in any case, as the pure `decide` accepts it.
      const normalized = normalizeIntent(input);
      assertIntent(normalized);
      return normalized;
    }
    if (typeof input === "object" && input !== null && "messaging_product" in input) {
      const intent = intentFromSend(classifySend(input, { catalog: sendCatalog }), sender);
      if (intent === null) {
        throw new InvalidInputError(
          "invalid-intent",
          "intent: the send body is not a message a customer receives (nothing to decide)",
          "intent",
        );
      }
      return intent;
    }
    // Let the core name the missing field (`intent.kind`).
    assertIntent(input);
    return input;
  }

  async function decideResolved(
    key: ThreadKey,
    intent: Intent,
    call: DecideOptions,
    instant?: Date,
  ): Promise<Decision> {
    // OPEN-6: the month of the tier count is the month in the zone this decision uses (a
    // per-call `timeZone` overrides the host's; an invalid one is rejected before any read).
    const zone = call.timeZone === undefined ? timeZone : resolveTimeZone(call);
    const at = instant ?? clock();
    const month = monthIn(at.getTime(), zone);
    const name = intent.kind === "template" ? intent.name : undefined;
    if (typeof name === "string") assertStorable(name, "intent.name", "invalid-intent");
    const read = await storeCall("readForDecision", () =>
      store.readForDecision(key, name === undefined ? { month } : { month, template: name }),
    );
    let row = read.thread;
    if (row?.redirect !== undefined) row = (await followRedirects(store, key, row)).row;
    // Checked here (decodeState) and handed to nobody before the decision: not checked twice.
    const state = row === undefined ? emptyState() : decodeState(row.state);
    let resolved = intent;
    if (intent.kind === "template" && name !== undefined) {
      // TPL-7: the latest known category wins over the declared one.
      const category = read.template?.category ?? staticCatalog.get(name);
      if (category !== undefined && category !== intent.category)
        resolved = { ...intent, category };
    }
    return decideChecked(state, resolved, at, {
      ...hostOptions,
      ...call,
      customer: key.customer,
      serviceTier: call.serviceTier ?? { used: read.serviceCount, month, seenOnly: true },
    });
  }

  const splitCall = (
    call: DecideCallOptions & { readonly concurrency?: number },
  ): { sender: Sender | undefined; rest: DecideOptions } => {
    const { sender, concurrency: _c, ...rest } = call;
    return { sender, rest };
  };

  return {
    record,

    async ingest(body, ingestOptions) {
      const opts = parseOptionsOf(ingestOptions);
      const parseOptions: ParseOptions = {
        ...opts,
        now: opts.now ?? clock(),
        maxFutureSkewMs: opts.maxFutureSkewMs ?? maxFutureSkewMs,
      };
      let parsed = (await loadEdge()).parseWebhook(body, parseOptions);
      // care-window's own parser emits only events that passed the one event contract (issue
      // 10); a parser the host passed is checked here, item by item, so a bad event is an issue
      // instead of a refused batch.
      if (webhooks !== undefined) parsed = checked(parsed, parseOptions);
      const threads = new Map<string, Thread>();
      for (const event of parsed.events) {
        if ("thread" in event) {
          const key = threadKey(event.thread);
          threads.set(keyId(key), keyThread(key));
        }
      }
      const recorded = await recordValid(parsed.events);
      return {
        events: parsed.events,
        threads: [...threads.values()],
        issues: parsed.issues,
        ignored: parsed.ignored,
        test: parsed.test,
        recorded,
      };
    },

    async decide(thread, intent, call) {
      const key = threadKey(thread);
      const { sender, rest } = splitCall(callOptions(call));
      return decideResolved(key, toIntent(intent, sender), rest);
    },

    async decideMany(threads, intent, given) {
      const call = callOptions<DecideCallOptions & { readonly concurrency?: number }>(given);
      if (!Array.isArray(threads)) {
        throw new InvalidInputError("invalid-argument", "threads must be an array", "threads");
      }
      const limit = call.concurrency ?? concurrency;
      if (!Number.isInteger(limit) || limit < 1) {
        throw new InvalidInputError(
          "invalid-argument",
          "options.concurrency must be a positive integer",
          "options.concurrency",
        );
      }
      const keys = threads.map((t, i) => threadKey(t, `threads[${i}]`));
      const { sender, rest } = splitCall(call);
      const resolved = toIntent(intent, sender);
      // One instant for the whole campaign, so no recipient is decided across a window or month
      // boundary that another one was not.
      const at = clock();
      const decisions = await mapLimit(keys, limit, (key) =>
        decideResolved(key, resolved, rest, at),
      );
      const session: ThreadDecision<SessionDecision>[] = [];
      const template: ThreadDecision<TemplateDecision>[] = [];
      const blocked: ThreadDecision<BlockedDecision>[] = [];
      decisions.forEach((decision, i) => {
        const thread = threads[i] as Thread;
        if (decision.outcome === "session") session.push({ thread, decision });
        else if (decision.outcome === "template") template.push({ thread, decision });
        else blocked.push({ thread, decision });
      });
      return { session, template, blocked };
    },

    async state(thread) {
      const root = await readRoot(store, threadKey(thread));
      // Sealed (a frozen copy): the host's later `decide` calls on it skip the shape check.
      return root.row === undefined
        ? emptyState()
        : sealedState(decodeState(root.row.state), "state");
    },

    async catalog() {
      const entries = await storeCall("readCatalog", () => store.readCatalog());
      // A null-prototype object: a template named `__proto__` is an entry like any other.
      const out = catalogRecord();
      for (const entry of entries) out[entry.name] = entry.category;
      return out;
    },
  };
}
