/**
 * `decide(state, intent, now, options?)`: session, template or blocked — why, until when, at
 * what price. Pure: no clock, no I/O, no zod.
 *
 * @module
 */
import { assertDecideOptions } from "../domain/check.js";
import { InvalidInputError } from "../domain/errors.js";
import type { ConsentScope, Instant, Intent, TemplateCategory } from "../domain/types.js";
import { POLICY_DATES, type PricingEra } from "../policy/eras.js";
import { DECISION_RULES as RULES, type DecisionRuleId as RuleId } from "../policy/rules.js";
import { monthIn, startOfDayIn } from "../policy/time.js";
import type {
  Alternative,
  BlockedReason,
  Decision,
  Outcome,
  PricingCategory,
  Reason,
  RuleRef,
  ServiceTierInfo,
  TemplateReason,
} from "./decision.js";
import {
  blockingOptOut,
  coveringOptIn,
  eraAt,
  evaluateFep,
  evaluateWindow,
  type FepEval,
  formatDuration,
  formatInstant,
  isNanpCustomer,
  isOn,
  resolveTimeZone,
  toInstant,
  type WindowEval,
} from "./evaluate.js";
import type { DecideOptions } from "./options.js";
import { priceMessage } from "./pricing.js";
import { type DecisionCore, DecisionRecord, type DecisionView, type Rendered } from "./record.js";
import { decideSocial } from "./social.js";
import type { ThreadState } from "./state.js";

const TEMPLATE_ORDER: readonly TemplateCategory[] = ["utility", "authentication", "marketing"];

/**
 * Validated inputs shared by the WhatsApp and the Messenger / Instagram deciders.
 *
 * @internal
 */
export interface DecideContext {
  readonly state: ThreadState;
  readonly intent: Intent;
  readonly at: Instant;
  readonly options: DecideOptions;
  readonly timeZone: string;
}

/**
 * Validates an intent at the public boundary; throws {@link InvalidInputError} naming the field.
 *
 * @example
 * ```ts
 * assertIntent({ kind: "template", category: "utility" }); // ok
 * assertIntent({ kind: "fax" }); // throws InvalidInputError, field "intent.kind"
 * ```
 */
export function assertIntent(intent: unknown, field = "intent"): asserts intent is Intent {
  if (typeof intent !== "object" || intent === null) {
    throw new InvalidInputError("invalid-intent", `${field} must be an object`, field);
  }
  const i = intent as Record<string, unknown>;
  const kind = i["kind"];
  if (kind === "free-form") {
    if (i["type"] !== undefined && typeof i["type"] !== "string") {
      throw new InvalidInputError(
        "invalid-intent",
        `${field}.type must be a string`,
        `${field}.type`,
      );
    }
    const ds = i["directSend"];
    if (ds !== undefined && ds !== "utility" && ds !== "authentication") {
      throw new InvalidInputError(
        "invalid-intent",
        `${field}.directSend must be "utility" or "authentication"`,
        `${field}.directSend`,
      );
    }
  } else if (kind === "template") {
    const c = i["category"];
    if (c !== "marketing" && c !== "utility" && c !== "authentication" && c !== "unknown") {
      throw new InvalidInputError(
        "invalid-intent",
        `${field}.category must be "marketing", "utility", "authentication" or "unknown"`,
        `${field}.category`,
      );
    }
  } else {
    throw new InvalidInputError(
      "invalid-intent",
      `${field}.kind must be "free-form" or "template", got ${JSON.stringify(kind) ?? "undefined"}`,
      `${field}.kind`,
    );
  }
  const sender = i["sender"];
  if (sender !== undefined && sender !== "human" && sender !== "automation") {
    throw new InvalidInputError(
      "invalid-intent",
      `${field}.sender must be "human" or "automation"`,
      `${field}.sender`,
    );
  }
}

/**
 * Rule references, deduplicated, with titles and sources.
 *
 * @internal
 */
export function ruleRefs(ids: readonly RuleId[]): RuleRef[] {
  const out: RuleRef[] = [];
  const seen = new Set<RuleId>();
  for (const id of ids) {
    if (seen.has(id)) continue;
    seen.add(id);
    out.push({ id, title: RULES[id].title, source: RULES[id].source });
  }
  return out;
}

/**
 * Decides whether `intent` may go on the thread whose folded state is `state`, at `now`.
 *
 * Expected outcomes are values: a closed window, a missing opt-in or a marketing stop come back
 * as a {@link Decision}, never as an exception. Only invalid input throws
 * ({@link InvalidInputError}, naming the field). `explanation`, `alternatives`, `rules` and
 * `notes` are rendered on first read; `JSON.stringify(decision)` includes them.
 *
 * @param state - The thread's folded state ({@link foldEvents}).
 * @param intent - What the business wants to send.
 * @param now - The instant to decide for (your clock's reading; nothing here reads one).
 * @param options - Host settings; every uncertain rule is an option with a conservative default.
 * @returns The decision: outcome, reason, explanation, window, FEP, pricing, alternatives, rules.
 *
 * @example
 * ```ts
 * const thread = { business: "106540352242922", customer: "5511987654321" };
 * const state = foldEvents(emptyState(), [
 *   { kind: "inbound", id: "wamid.A", type: "text", at: Date.parse("2026-11-26T09:00:00Z"), thread },
 * ]);
 * const d = decide(state, { kind: "free-form" }, new Date("2026-11-26T15:00:00Z"));
 * d.outcome;         //=> "session"
 * d.window.closesAt; //=> 2026-11-27T09:00:00.000Z
 * decide(state, { kind: "free-form" }, new Date("2026-11-27T09:00:00Z")).reason; //=> "window-closed"
 * ```
 */
export function decide(
  state: ThreadState,
  intent: Intent,
  now: Date | number,
  options: DecideOptions = {},
): Decision {
  assertIntent(intent);
  assertDecideOptions(options); // issue 10: a bad option is a typed error naming it
  const ctx: DecideContext = {
    state,
    intent,
    at: toInstant(now, "now"),
    options,
    timeZone: resolveTimeZone(options),
  };
  // A negative margin or estimate would stretch the window or the FEP (CSW-2, OPEN-1, OPEN-2).
  assertDuration(options.safetyMarginMs, "options.safetyMarginMs");
  assertDuration(options.fepEstimateMs, "options.fepEstimateMs");
  return state.channel === undefined ? decideWhatsApp(ctx) : decideSocial(ctx);
}

/** An optional duration option: absent, or a finite number of milliseconds ≥ 0. */
function assertDuration(value: number | undefined, field: string): void {
  if (value === undefined || (typeof value === "number" && Number.isFinite(value) && value >= 0)) {
    return;
  }
  throw new InvalidInputError(
    "invalid-argument",
    `${field} must be a finite, non-negative number of milliseconds`,
    field,
  );
}

/** Everything the WhatsApp prose renderer needs. */
interface Facts {
  readonly ctx: DecideContext;
  readonly era: PricingEra;
  readonly w: WindowEval;
  readonly fep: FepEval;
  readonly onboarded: boolean;
  /** The FEP counts for pricing (OPEN-4 `fepRequirePlatform` honoured), as `pricing` used it. */
  readonly fepFree: boolean;
  /** The service tier the caller gave was for another month and was ignored (OPEN-5). */
  readonly staleTier: boolean;
  /** The month's service tier, when given for this month. */
  readonly tier: ServiceTierInfo | undefined;
}

/** What stops a template of `category` at `at`, consent-wise (hard stops first), if anything. */
function templateBlocker(
  ctx: DecideContext,
  category: TemplateCategory,
  windowOpen: boolean,
): BlockedReason | undefined {
  const { state, options, at } = ctx;
  // CONSENT-4: an opt-out blocks its scope.
  if (blockingOptOut(state, category) !== undefined) return "opted-out";
  if (category === "marketing") {
    // CONSENT-5 / CONSENT-6.
    if (isOn(state.marketing)) return "marketing-stopped";
    // CONSENT-7 / ERR-6.
    if (state.marketingLimitedUntil !== undefined && at < state.marketingLimitedUntil) {
      return "marketing-limited";
    }
    // CONSENT-8 / OPEN-18.
    if (
      options.usMarketingPause !== false &&
      isNanpCustomer(options.customer) &&
      // 00:00 in the account's time zone, like every Meta date (OPEN-6; PRICE-8 the same).
      at >= startOfDayIn(POLICY_DATES.usMarketingPause, ctx.timeZone)
    ) {
      return "us-marketing-paused";
    }
  }
  // CONSENT-3: a reply inside a user-opened window needs no record; CONSENT-2 / OPEN-17 otherwise.
  if (
    !windowOpen &&
    options.requireOptIn !== false &&
    coveringOptIn(state, category) === undefined
  ) {
    return "no-opt-in";
  }
  return undefined;
}

function tierInfo(ctx: DecideContext, era: PricingEra): ServiceTierInfo | undefined {
  const given = ctx.options.serviceTier;
  if (given === undefined) return undefined;
  // Validated in every era: bad input is an error whatever `now` is.
  if (typeof given !== "object" || given === null) {
    throw new InvalidInputError(
      "invalid-argument",
      "options.serviceTier must be an object { used, month? }",
      "options.serviceTier",
    );
  }
  if (!Number.isInteger(given.used) || given.used < 0) {
    throw new InvalidInputError(
      "invalid-argument",
      "options.serviceTier.used must be a non-negative integer",
      "options.serviceTier.used",
    );
  }
  if (era.serviceTier === null) return undefined;
  const month = monthIn(ctx.at, ctx.timeZone);
  // A count for another month says nothing about this one (PRICE-5 resets monthly).
  if (given.month !== undefined && given.month !== month) return undefined;
  return { used: given.used, limit: era.serviceTier, month };
}

function decideWhatsApp(ctx: DecideContext): Decision {
  const { state, intent, at, options } = ctx;
  const era = eraAt(at, ctx.timeZone, options.era);
  const onboardedAt =
    options.onboardedAt === undefined
      ? undefined
      : toInstant(options.onboardedAt, "options.onboardedAt");
  const w = evaluateWindow(state, at, options, onboardedAt);
  const fep = evaluateFep(state, at, options, era);
  const windowOpen = w.open;
  const directSend = intent.kind === "free-form" ? intent.directSend : undefined;
  const freeForm = intent.kind === "free-form" && directSend === undefined;
  // TPL-7 / OPEN-14: an uncatalogued template is consented as marketing and priced as charged.
  const consentCategory: TemplateCategory | undefined =
    intent.kind === "template"
      ? intent.category === "unknown"
        ? "marketing"
        : intent.category
      : directSend;
  const closedReason: TemplateReason =
    w.lastInbound === undefined
      ? "no-inbound"
      : w.closedByError
        ? "window-closed-by-error"
        : "window-closed";

  let outcome: Outcome;
  let reason: Reason;
  let priceAs: PricingCategory =
    intent.kind === "template" ? intent.category : (directSend ?? "service");
  if (isOn(state.blocked)) {
    // CONSENT-9 / ERR-15.
    outcome = "blocked";
    reason = "business-blocked";
  } else if (freeForm) {
    if (blockingOptOut(state, "all") !== undefined) {
      outcome = "blocked";
      reason = "opted-out"; // CONSENT-4: an opt-out of everything blocks replies too.
    } else if (windowOpen) {
      outcome = "session"; // CSW-10
      reason = "window-open";
    } else {
      // CSW-11: only templates (or Direct Send) may go; price the first one that may.
      let first: TemplateCategory | undefined;
      for (const c of TEMPLATE_ORDER) {
        if (templateBlocker(ctx, c, false) === undefined) {
          first = c;
          break;
        }
      }
      priceAs = first ?? "utility";
      if (first === undefined) {
        // No template may go either: the reason is what stops the usual replacement, a utility
        // template (the explanation lists every category's blocker).
        outcome = "blocked";
        reason = templateBlocker(ctx, "utility", false) ?? "no-opt-in";
      } else {
        outcome = "template";
        reason = closedReason;
      }
    }
  } else {
    const blocker = templateBlocker(ctx, consentCategory as TemplateCategory, windowOpen);
    if (blocker !== undefined) {
      outcome = "blocked";
      reason = blocker;
    } else if (windowOpen) {
      outcome = "session";
      reason = "window-open";
    } else {
      outcome = "template"; // CSW-11 / DIRECT-3
      reason = closedReason;
    }
  }

  const fepForPricing =
    options.fepRequirePlatform === true
      ? fep.open && fep.confirmed
      : fep.open || (windowOpen && fep.activatableUntil !== undefined);
  const tier = tierInfo(ctx, era);
  const pricing = priceMessage(
    era,
    {
      category: priceAs,
      reaction: intent.kind === "free-form" && intent.type === "reaction",
      directSend: directSend !== undefined,
    },
    {
      windowOpen: windowOpen && outcome !== "template",
      fepOpen: fepForPricing,
      at,
      tier,
      governmentExempt: options.governmentExempt,
      // Only computed for exempt senders: it is a calendar lookup (PRICE-8, OPEN-6).
      governmentExemptUntil:
        options.governmentExempt === true
          ? startOfDayIn(POLICY_DATES.governmentExemptUntil, ctx.timeZone)
          : undefined,
      directSendFreeInFep: options.directSendFreeInFep,
    },
  );
  // OPEN-8 / PRICE-7: without a payment method, charged messages are blocked.
  // An unknown charge may be a charge (e.g. a service message with no tier count): conservative.
  if (outcome !== "blocked" && options.paymentMethodOnFile === false && pricing.charge !== "free") {
    outcome = "blocked";
    reason = "payment-method-missing";
  }
  const core: DecisionCore = {
    outcome,
    reason,
    channel: "whatsapp",
    intent,
    pricing,
    atMs: at,
    w,
    fep,
  };
  const facts: Facts = {
    ctx,
    era,
    w,
    fep,
    onboarded: onboardedAt !== undefined,
    fepFree: fepForPricing,
    tier,
    staleTier:
      era.serviceTier !== null &&
      options.serviceTier?.month !== undefined &&
      options.serviceTier.month !== monthIn(at, ctx.timeZone),
  };
  return new DecisionRecord(core, facts, renderWhatsApp) as unknown as Decision;
}

/** Renders explanation, alternatives, rules and notes of a WhatsApp decision. */
function renderWhatsApp(core: DecisionView, facts: Facts): Rendered {
  return {
    explanation: explain(core, facts),
    alternatives: alternativesFor(core, facts),
    rules: ruleRefs(rulesFor(core, facts)),
    notes: notesFor(core, facts),
  };
}

function rulesFor(core: DecisionView, facts: Facts): RuleId[] {
  const { ctx, w, fep } = facts;
  const ids: RuleId[] = ["CSW-1", "CSW-2"];
  if (facts.onboarded) ids.push("CSW-14", "OPEN-19");
  if (ctx.options.deregistered !== undefined) ids.push("OPEN-19");
  if (w.closedByError && core.reason !== "window-closed-by-error") ids.push("CSW-12");
  if (ctx.options.openWindowOn !== undefined) ids.push("OPEN-3");
  if (ctx.options.safetyMarginMs !== undefined) ids.push("OPEN-2");
  switch (core.reason) {
    case "window-open":
      ids.push("CSW-10", "CONSENT-3");
      break;
    case "no-inbound":
    case "window-closed":
      ids.push("CSW-11");
      break;
    case "window-closed-by-error":
      ids.push("CSW-11", "CSW-12");
      break;
    case "opted-out":
      ids.push("CONSENT-4");
      break;
    case "marketing-stopped":
      ids.push("CONSENT-5");
      if (ctx.state.lastError?.code === 131050) ids.push("CONSENT-6");
      break;
    case "no-opt-in":
      ids.push("CSW-11", "CONSENT-2", "OPEN-17");
      break;
    case "marketing-limited":
      ids.push("CONSENT-7");
      break;
    case "us-marketing-paused":
      ids.push("CONSENT-8", "OPEN-18");
      break;
    case "business-blocked":
      ids.push("CONSENT-9");
      break;
    case "payment-method-missing":
      ids.push("PRICE-7", "OPEN-8");
      break;
    default:
      break;
  }
  if (core.intent.kind === "template" && core.intent.category === "unknown")
    ids.push("TPL-7", "OPEN-14");
  if (core.intent.kind === "free-form" && core.intent.directSend !== undefined) {
    ids.push("DIRECT-3", "DIRECT-6");
    if (ctx.options.directSendEligible !== true) ids.push("DIRECT-2");
  }
  if (fep.source !== "none" || fep.activatableUntil !== undefined) ids.push("FEP-2", "FEP-4");
  if (fep.source === "estimated") ids.push("OPEN-1");
  if (ctx.options.fepFromPostReferral === true || ctx.options.fepRequirePlatform === true) {
    ids.push("OPEN-4");
  }
  if (core.intent.kind === "free-form" && core.intent.directSend !== undefined && fep.open) {
    ids.push("OPEN-7");
  }
  if (fep.source === "platform") ids.push("FEP-3", "FEP-7");
  if (fep.open && !w.open) ids.push("FEP-5");
  ids.push("PRICE-1", "PRICE-2", "PRICE-4");
  if (core.pricing.tier !== undefined || core.pricing.note.includes("PRICE-5"))
    ids.push("PRICE-5", "OPEN-5");
  if (core.pricing.charge === "unknown" && facts.era.model === "conversation") ids.push("PRICE-23");
  if (core.pricing.note.includes("PRICE-8")) ids.push("PRICE-8");
  if (ctx.options.timeZone === undefined) ids.push("OPEN-6");
  return ids;
}

function notesFor(core: DecisionView, facts: Facts): string[] {
  const { ctx, w, fep } = facts;
  const notes: string[] = [];
  if (ctx.options.timeZone === undefined) {
    notes.push(
      "No account time zone was given, so era boundaries and monthly resets use UTC (OPEN-6).",
    );
  }
  if (core.intent.kind === "template" && core.intent.category === "unknown") {
    notes.push(
      "The template's category is unknown, so it is checked as marketing and priced as charged (TPL-7, OPEN-14).",
    );
  }
  const tier = core.pricing.tier;
  if (tier !== undefined && ctx.options.serviceTier?.seenOnly === true) {
    notes.push(
      `The service-tier count (${tier.used} in ${tier.month}) covers only the delivered service messages this store has seen (OPEN-5).`,
    );
  }
  if (fep.source === "estimated") {
    notes.push(
      "The free entry point's end is estimated (OPEN-1); a sent status carrying conversation.expiration_timestamp replaces the estimate.",
    );
  }
  if (fep.activatableUntil !== undefined && w.open) {
    notes.push(
      `A reply before ${formatInstant(fep.activatableUntil, ctx.timeZone)} opens a free entry point: that reply and everything delivered in it are free (FEP-2, FEP-4).`,
    );
  }
  if (facts.staleTier) {
    notes.push(
      `The service-tier count given was for ${ctx.options.serviceTier?.month ?? "another month"}, not ${monthIn(ctx.at, ctx.timeZone)}, so it was not used (PRICE-5, OPEN-5).`,
    );
  }
  const lastError = ctx.state.lastError;
  if (lastError?.code === 131042) {
    notes.push(
      `Meta refused a message on this thread with 131042 (payment or eligibility problem) at ${formatInstant(lastError.at, ctx.timeZone)}; until billing is fixed, pass paymentMethodOnFile: false (OPEN-8, ERR-12).`,
    );
  }
  if (
    core.intent.kind === "free-form" &&
    core.intent.directSend !== undefined &&
    ctx.options.directSendEligible !== true
  ) {
    notes.push(
      "This account is not declared eligible for Direct Send; without eligibility Meta answers error 100, so send an approved template instead (DIRECT-2).",
    );
  }
  return notes;
}

function alternativesFor(core: DecisionView, facts: Facts): Alternative[] {
  const { ctx, w, fep } = facts;
  const { intent, options } = ctx;
  const out: Alternative[] = [];
  const freeUntil =
    facts.fepFree && fep.open && fep.closesAt !== undefined ? new Date(fep.closesAt) : undefined;
  const addTemplates = (exclude: TemplateCategory | undefined): void => {
    for (const category of TEMPLATE_ORDER) {
      if (category === exclude || templateBlocker(ctx, category, w.open) !== undefined) continue;
      out.push(
        freeUntil === undefined
          ? { action: "send-template", category, text: `Send an approved ${category} template.` }
          : {
              action: "send-template",
              category,
              freeUntil,
              text: `Send an approved ${category} template; it is free until ${formatInstant(freeUntil.getTime(), ctx.timeZone)} (free entry point).`,
            },
      );
    }
  };
  const waitForCustomer = (): void => {
    out.push({
      action: "wait-for-customer",
      text: "Wait for the customer to write or call; that reopens the 24-hour window.",
    });
  };
  const sameCategory =
    intent.kind === "template"
      ? intent.category === "unknown"
        ? "marketing"
        : intent.category
      : undefined;
  switch (core.reason) {
    case "window-open":
      // A utility template's content can go free-form while the window is open, and only when a
      // service message is itself free (PRICE-4, PRICE-5). Never for authentication: only its
      // templates may carry one-time passcodes (TPL-4); never for marketing (promotional).
      if (
        intent.kind === "template" &&
        intent.category === "utility" &&
        w.closesAt !== undefined &&
        core.pricing.charge === "charged" &&
        priceMessage(
          facts.era,
          { category: "service", reaction: false, directSend: false },
          { windowOpen: true, fepOpen: facts.fepFree, at: ctx.at, tier: facts.tier },
        ).charge === "free"
      ) {
        out.push({
          action: "send-free-form",
          until: new Date(w.closesAt),
          text: `While the window is open (until ${formatInstant(w.closesAt, ctx.timeZone)}) a free-form reply can carry the same content as a service message instead of a charged template.`,
        });
      }
      break;
    case "no-inbound":
    case "window-closed":
    case "window-closed-by-error":
      addTemplates(sameCategory);
      if (
        options.directSendEligible === true &&
        !(intent.kind === "free-form" && intent.directSend !== undefined) &&
        templateBlocker(ctx, "utility", false) === undefined
      ) {
        out.push({
          action: "direct-send",
          category: "utility",
          text: 'Send the content as a utility Direct Send (a top-level "category": "utility" on the message body).',
        });
      }
      waitForCustomer();
      break;
    case "no-opt-in": {
      const scope = sameCategory ?? "all";
      out.push({
        action: "record-opt-in",
        scope,
        text: `Record the customer's opt-in for ${scope === "all" ? "your messages" : `${scope} messages`} first.`,
      });
      if (intent.kind === "template") addTemplates(sameCategory);
      waitForCustomer();
      break;
    }
    case "marketing-stopped":
    case "us-marketing-paused":
    case "marketing-limited":
      if (core.reason === "marketing-limited" && ctx.state.marketingLimitedUntil !== undefined) {
        const until = ctx.state.marketingLimitedUntil;
        out.push({
          action: "retry-after",
          at: new Date(until),
          text: `Retry marketing no sooner than ${formatInstant(until, ctx.timeZone)}, with growing back-off (CONSENT-7).`,
        });
      }
      if (w.open && w.closesAt !== undefined) {
        out.push({
          action: "send-free-form",
          until: new Date(w.closesAt),
          text: `Reply free-form while the window is open (until ${formatInstant(w.closesAt, ctx.timeZone)}); service messages are unaffected.`,
        });
      }
      addTemplates("marketing");
      break;
    case "opted-out":
      if (intent.kind === "template") addTemplates(sameCategory);
      break;
    default:
      break;
  }
  return out;
}

/** `a` or `an` before a category name. */
const article = (word: string): string => (word === "authentication" ? "an" : "a");

function describeIntent(intent: Intent): string {
  if (intent.kind === "template") {
    return intent.category === "unknown"
      ? "this template (category unknown)"
      : `${article(intent.category)} ${intent.category} template`;
  }
  if (intent.directSend !== undefined) {
    return `${article(intent.directSend)} ${intent.directSend} Direct Send`;
  }
  return intent.type === undefined || intent.type === "text"
    ? "a free-form message"
    : `a free-form ${intent.type} message`;
}

/** The consent scope an intent is checked under (TPL-7 / OPEN-14: unknown → marketing). */
function consentScopeOf(intent: Intent): ConsentScope {
  if (intent.kind === "template")
    return intent.category === "unknown" ? "marketing" : intent.category;
  return intent.directSend ?? "all";
}

const BLOCKER_TEXT: Readonly<Record<BlockedReason, string>> = {
  "opted-out": "opted out",
  "marketing-stopped": "stopped by the customer",
  "no-opt-in": "no recorded opt-in",
  "business-blocked": "customer blocked",
  "marketing-limited": "per-user marketing limit (131049)",
  "us-marketing-paused": "paused for +1 numbers",
  "payment-method-missing": "no payment method",
  "no-inbound": "no window",
  "window-closed": "window closed",
  "automation-outside-window": "automation outside the window",
};

/** How the window stands when it is not open, as a clause. */
function closedClause(w: WindowEval, byError: boolean, tz: string): string {
  if (w.lastInbound === undefined) {
    return "no message or call from the customer that opens the window is on record for this number";
  }
  const since = formatInstant(w.lastInbound, tz);
  return byError
    ? `Meta refused a free-form message with error 131047 after the customer's last message (${since}), so the window counts as closed`
    : `the customer last wrote or called at ${since} and the 24-hour window closed at ${formatInstant(w.closesAt ?? 0, tz)}`;
}

const sentence = (clause: string): string => clause.charAt(0).toUpperCase() + clause.slice(1);

function explain(core: DecisionView, facts: Facts): string {
  const { ctx, w, fep } = facts;
  const { intent, state } = ctx;
  const what = describeIntent(intent);
  const charge = core.pricing.charge === "unknown" ? "price unknown" : core.pricing.charge;
  const since = w.lastInbound === undefined ? "" : formatInstant(w.lastInbound, ctx.timeZone);
  const free = facts.fepFree && fep.open && fep.closesAt !== undefined && !w.open;
  const fepTail = free
    ? `; templates are free until ${formatInstant(fep.closesAt ?? 0, ctx.timeZone)} (free entry point)`
    : "";
  // For a free-form intent outside the window, say which templates may replace it.
  const which = (): string => {
    if (intent.kind !== "free-form" || intent.directSend !== undefined)
      return "only a template may go";
    const allowed = TEMPLATE_ORDER.filter((c) => templateBlocker(ctx, c, false) === undefined);
    return allowed.length === TEMPLATE_ORDER.length
      ? "only a template may go"
      : `only ${allowed.map((c) => `${article(c)} ${c}`).join(" or ")} template may go`;
  };
  switch (core.reason) {
    case "window-open":
      return `The customer last wrote or called at ${since}, so the 24-hour window is open until ${formatInstant(w.closesAt ?? 0, ctx.timeZone)} (${formatDuration(core.window.remainingMs)} left) and ${what} may go now (${charge}).`;
    case "no-inbound":
      return `${sentence(closedClause(w, false, ctx.timeZone))}, so ${which()}${fepTail}.`;
    case "window-closed":
      return (w.lastInbound ?? 0) > ctx.at
        ? `The customer's last message is stamped ${since}, later than now, and the host counts a clock behind Meta's as closed (OPEN-2), so ${which()}${fepTail}.`
        : `${sentence(closedClause(w, false, ctx.timeZone))}, so ${which()}${fepTail}.`;
    case "window-closed-by-error":
      return `${sentence(closedClause(w, true, ctx.timeZone))} and ${which()}${fepTail}.`;
    case "business-blocked":
      return "You have blocked this customer, so nothing may be sent until you unblock them.";
    case "opted-out": {
      const hit = blockingOptOut(state, consentScopeOf(intent)) ?? blockingOptOut(state, "all");
      const scope =
        hit === undefined || hit.scope === "all" ? "all messages" : `${hit.scope} messages`;
      const when =
        hit === undefined
          ? ""
          : ` on ${formatInstant(hit.record.at, ctx.timeZone)} (source: ${hit.record.source})`;
      if (
        intent.kind === "free-form" &&
        intent.directSend === undefined &&
        w.open === false &&
        hit?.scope !== "all"
      ) {
        return `${sentence(closedClause(w, w.closedByError, ctx.timeZone))}, and no template may go (${blockerList(ctx)}).`;
      }
      return `The customer opted out of ${scope}${when}, so ${what} must not be sent.`;
    }
    case "marketing-stopped":
      if (intent.kind === "free-form" && intent.directSend === undefined) {
        return `${sentence(closedClause(w, w.closedByError, ctx.timeZone))}, and no template may go (${blockerList(ctx)}).`;
      }
      return `The customer stopped marketing messages from this number${state.marketing?.on === undefined ? "" : ` at ${formatInstant(state.marketing.on, ctx.timeZone)}`}, so marketing templates must not be sent until they resume; other messages are unaffected.`;
    case "no-opt-in":
      return intent.kind === "free-form" && intent.directSend === undefined
        ? `${sentence(closedClause(w, w.closedByError, ctx.timeZone))}, and no template may go (${blockerList(ctx)}), so nothing may be sent until the customer writes or an opt-in is recorded.`
        : `No window is open (${closedClause(w, w.closedByError, ctx.timeZone)}) and no opt-in covering ${what} is recorded, so it must not be sent.`;
    case "marketing-limited":
      return `Meta's per-user marketing limit (error 131049) refused marketing to this customer; do not try again before ${formatInstant(state.marketingLimitedUntil ?? 0, ctx.timeZone)}.`;
    case "us-marketing-paused":
      return "Marketing templates to +1 (US) numbers are not delivered since 2025-04-01, so this one must not be sent.";
    case "payment-method-missing":
      return `No valid payment method is on file and ${what} would be charged${core.pricing.charge === "unknown" ? " or may be (its price is unknown)" : ""}, so it must not be sent.`;
    default:
      return `${core.outcome}: ${core.reason}.`;
  }
}

/** `utility: no recorded opt-in; marketing: stopped by the customer; …` */
function blockerList(ctx: DecideContext): string {
  return TEMPLATE_ORDER.map((c) => {
    const by = templateBlocker(ctx, c, false);
    return `${c}: ${by === undefined ? "allowed" : BLOCKER_TEXT[by]}`;
  }).join("; ");
}
