/**
 * `createCareWindow`: the host-facing service over a {@link CareWindowStore}. It ingests webhooks,
 * records events with compare-and-set (no lost update), counts the monthly service tier, and
 * answers decisions with exactly one store read.
 *
 * @module
 */
import { InvalidInputError } from "../domain/errors.js";
import type {
  CareEvent,
  IdentityEvent,
  Intent,
  Sender,
  StatusEvent,
  TemplateCatalog,
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
import {
  classifySend,
  intentFromSend,
  type ParseOptions,
  parseWebhook,
  type WebhookIssue,
} from "../whatsapp/index.js";
import { assertIntent, decide as decidePure } from "../window/decide.js";
import type {
  BlockedDecision,
  Decision,
  SessionDecision,
  TemplateDecision,
} from "../window/decision.js";
import { resolveTimeZone } from "../window/evaluate.js";
import type { DecideOptions } from "../window/options.js";
import { emptyState, foldEvents, type ThreadState } from "../window/state.js";
import { mapLimit } from "./concurrency.js";
import { applyIdentity } from "./identity.js";
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
  /** Delivered service messages counted for the first time (PRICE-5, OPEN-5). */
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
 *   (in the account's `timeZone`) of the first status that counted it (PRICE-5, OPEN-5, OPEN-6).
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
  const {
    store,
    now = systemNow,
    catalog: staticCatalog = {},
    maxAttempts,
    concurrency = 8,
    retry = {},
    policy,
    excludeFepFromTier = false,
    carryWindowsOnNumberChange = false,
    ...decideOptions
  } = options;
  if (typeof store !== "object" || store === null) {
    throw new InvalidInputError(
      "invalid-argument",
      "options.store must be a store",
      "options.store",
    );
  }
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new InvalidInputError(
      "invalid-argument",
      "options.concurrency must be a positive integer",
      "options.concurrency",
    );
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
  const timeZone = decideOptions.timeZone ?? "UTC";
  if (!isValidTimeZone(timeZone)) {
    throw new InvalidInputError(
      "invalid-argument",
      `options.timeZone "${timeZone}" is not an IANA time zone`,
      "options.timeZone",
    );
  }
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
    const events = normalizeEvents(input);
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
          // Once per (business, wamid), in the month of its earliest counted status (OPEN-5):
          // delivered at 23:59:59 on Oct 31 and read at 00:00:01 on Nov 1 is one October message.
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
    const updates = await mapLimit([...groups.values()], concurrency, (g) =>
      updateThread(store, g.key, (s) => foldEvents(s, g.events), {
        ...retryOptions,
        field: g.field,
      }),
    );
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
      assertIntent(input);
      return input;
    }
    if (typeof input === "object" && input !== null && "messaging_product" in input) {
      const intent = intentFromSend(classifySend(input, { catalog: staticCatalog }), sender);
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
    const state = row === undefined ? emptyState() : decodeState(row.state);
    let resolved = intent;
    if (intent.kind === "template" && name !== undefined) {
      // TPL-7: the latest known category wins over the declared one.
      // Own keys only (a template named `constructor` is no prototype lookup, #10 item 5);
      // Meta's upper-case spelling (`"UTILITY"`) is turned into ours by the core (#15 item 8).
      const category =
        read.template?.category ??
        (Object.hasOwn(staticCatalog, name) ? staticCatalog[name] : undefined);
      if (category !== undefined && category !== intent.category)
        resolved = { ...intent, category };
    }
    return decidePure(state, resolved, at, {
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

    async ingest(body, ingestOptions = {}) {
      const parsed = parseWebhook(body, ingestOptions);
      const threads = new Map<string, Thread>();
      for (const event of parsed.events) {
        if ("thread" in event) {
          const key = threadKey(event.thread);
          threads.set(keyId(key), keyThread(key));
        }
      }
      const recorded = await record(parsed.events);
      return {
        events: parsed.events,
        threads: [...threads.values()],
        issues: parsed.issues,
        ignored: parsed.ignored,
        test: parsed.test,
        recorded,
      };
    },

    async decide(thread, intent, call = {}) {
      const key = threadKey(thread);
      const { sender, rest } = splitCall(call);
      return decideResolved(key, toIntent(intent, sender), rest);
    },

    async decideMany(threads, intent, call = {}) {
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
      return root.row === undefined ? emptyState() : decodeState(root.row.state);
    },

    async catalog() {
      const entries = await storeCall("readCatalog", () => store.readCatalog());
      const out: Record<string, TemplateCatalog[string]> = { ...staticCatalog };
      for (const entry of entries) out[entry.name] = entry.category;
      return out;
    },
  };
}
