/**
 * Runs the rule table: the first entry whose predicate holds decides, on the thread's channel;
 * then the price of the lane, the entries that read it, and the host's rules.
 *
 * @module
 * @internal
 */

import { POLICY_DATES } from "../policy/eras.js";
import type { DecisionRuleId } from "../policy/rules.js";
import { startOfDayIn } from "../policy/time.js";
import { chargeOf, type Slot } from "./charge-slots.js";
import type {
  MessagingTag,
  Outcome,
  PricingCategory,
  PricingInfo,
  Reason,
  UnsentPricing,
  Verdict,
} from "./decision.js";
import {
  type DecideContext,
  type Facts,
  SIGNAL,
  type SocialFacts,
  socialFacts,
  type WaFacts,
  whatsappFacts,
} from "./facts.js";
import { hostHold } from "./host-run.js";
import { pricingOf } from "./pricing.js";
import { type Entry, type HostFired, type Lane, ORDER, type Predicate, TABLE } from "./table.js";
import type { WindowEval } from "./window.js";

/** What a run of the table produced: the verdict and what rendering it needs. */
export interface RunResult {
  readonly verdict: Verdict;
  readonly facts: Facts;
  readonly host: HostFired | undefined;
  /** Rules the price's charge case cites (PRICE-5, PRICE-8, PRICE-23, …). */
  readonly priceRules: readonly DecisionRuleId[];
}

/**
 * One channel's entries of one phase, in table order, as parallel arrays: the runner reads
 * plain arrays (one shape) instead of lane objects of many shapes.
 */
export interface Lanes<F> {
  readonly reasons: readonly Reason[];
  readonly lanes: readonly Lane<F>[];
  /** The {@link SIGNAL} bit of the lane's `holds`, `0` when it names none. */
  readonly bit: readonly number[];
  /** The lane's `when`, `null` when it has none (its signal alone decides). */
  readonly when: readonly (Predicate<F> | null)[];
  readonly outcome: readonly Outcome[];
  /** `fired` of a verdict decided by the entry alone, shared (frozen: verdicts are read-only). */
  readonly fired: readonly (readonly Reason[])[];
  /**
   * When every lane decides by its signal alone and the signals' bits rise in table order: the
   * lane of each bit number, so the first lane that applies is the lowest bit of `signals &
   * mask` (no loop). `null` otherwise (the runner loops).
   */
  readonly byBit: readonly number[] | null;
  /** The bits the lanes name. */
  readonly mask: number;
}

/** {@link Lanes.byBit} of lanes with these bits and predicates. */
function bitIndex(bit: readonly number[], when: readonly unknown[]): number[] | null {
  const byBit: number[] = [];
  let last = 0;
  for (let i = 0; i < bit.length; i++) {
    const b = bit[i] as number;
    if (b === 0 || when[i] !== null || b <= last) return null;
    byBit[31 - Math.clz32(b)] = i;
    last = b;
  }
  return byBit;
}

function lanes<F>(pick: (e: Entry) => Lane<F> | null, phase: "meta" | "price"): Lanes<F> {
  const t = {
    reasons: [] as Reason[],
    lanes: [] as Lane<F>[],
    bit: [] as number[],
    when: [] as (Predicate<F> | null)[],
    outcome: [] as Outcome[],
    fired: [] as (readonly Reason[])[],
  };
  for (const reason of ORDER) {
    const entry: Entry = TABLE[reason];
    if (entry.phase !== phase) continue;
    const lane = pick(entry);
    if (lane === null) continue;
    t.reasons.push(reason);
    t.lanes.push(lane);
    t.bit.push(lane.holds === undefined ? 0 : SIGNAL[lane.holds]);
    t.when.push(lane.when ?? null);
    t.outcome.push(lane.outcome);
    t.fired.push(Object.freeze([reason]));
  }
  return { ...t, byBit: bitIndex(t.bit, t.when), mask: t.bit.reduce((m, b) => m | b, 0) };
}

/** @internal exported for tests (test/window/signals.test.ts). */
export const WA_META = lanes<WaFacts>((e) => (e.phase === "host" ? null : e.whatsapp), "meta");
const WA_PRICE = lanes<WaFacts>((e) => (e.phase === "host" ? null : e.whatsapp), "price");
const SOCIAL_META = lanes<SocialFacts>((e) => (e.phase === "host" ? null : e.social), "meta");

/**
 * The index of the first lane that applies, or -1: its signal is among `signals` (the WhatsApp
 * facts' {@link WaFacts.signals}; `0` on other channels, whose lanes name none) and its
 * predicate, if any, holds.
 */
export function first<F>(
  table: Lanes<F>,
  signals: number,
  f: F,
  price: PricingInfo | undefined,
): number {
  const byBit = table.byBit;
  if (byBit !== null) {
    const hit = signals & table.mask;
    return hit === 0 ? -1 : (byBit[31 - Math.clz32(hit & -hit)] as number);
  }
  const { bit, when } = table;
  for (let i = 0; i < bit.length; i++) {
    const b = bit[i] as number;
    if (b !== 0 && (signals & b) === 0) continue;
    const test = when[i] as Predicate<F> | null;
    if (test === null || test(f, price)) return i;
  }
  return -1;
}

/** The index of the first meta lane that applies; the last one (the catch-all) otherwise. */
function firstMeta<F>(table: Lanes<F>, signals: number, f: F): number {
  const i = first(table, signals, f, undefined);
  return i < 0 ? table.bit.length - 1 : i;
}

const windowAt = (w: WindowEval, at: number) => ({
  open: w.open,
  closesAt: w.closesAt ?? null,
  remainingMs:
    w.open && w.closesAt !== undefined ? w.closesAt - Math.max(at, w.lastInbound ?? at) : 0,
  lastInboundAt: w.lastInbound ?? null,
});

const unsent = (
  category: PricingCategory,
  era: UnsentPricing["era"],
  wouldBe?: PricingInfo,
): UnsentPricing =>
  wouldBe === undefined
    ? {
        charge: "not-sent",
        category,
        type: "not-sent",
        era,
        note: "Nothing is sent, so nothing is charged.",
      }
    : {
        charge: "not-sent",
        category,
        type: "not-sent",
        era,
        note: "Nothing is sent, so nothing is charged.",
        wouldBe,
      };

/** What decided, for {@link resultOf}: one positional call, no intermediate objects. */
function resultOf(
  ctx: DecideContext,
  f: Facts,
  reason: Reason,
  outcome: Verdict["outcome"],
  pricing: PricingInfo | UnsentPricing,
  host: HostFired | undefined,
  fired: readonly string[],
  priceRules: readonly DecisionRuleId[],
  fep: Verdict["freeEntryPoint"],
  tag: MessagingTag | undefined,
): RunResult {
  const at = ctx.at;
  const window = windowAt(f.w, at);
  const v = {
    outcome,
    reason,
    channel: f.channel,
    intent: ctx.intent,
    at,
    window,
    freeEntryPoint: fep,
    pricing,
    fired,
  };
  // The table pairs each reason with its outcome; the union is checked by the type tests.
  const verdict = (tag === undefined ? v : { ...v, tag }) as Verdict;
  return { verdict, facts: f, host, priceRules };
}

/**
 * The first host rule that holds an allowed send back (reason `host-rule`), if any; `fired` then
 * names the entry and the rule.
 */
function hostResult(
  ctx: DecideContext,
  f: Facts,
  outcome: "session" | "template",
  category: PricingCategory,
  era: UnsentPricing["era"],
  priceRules: readonly DecisionRuleId[],
  fep: Verdict["freeEntryPoint"],
): RunResult | undefined {
  // The rules get a window of their own, so host code cannot change the verdict's (freezing one
  // shared object cost more than this copy: Object.freeze is a runtime call).
  const host = hostHold(ctx, outcome, windowAt(f.w, ctx.at), f.channel);
  if (host === undefined) return undefined;
  const fired = ["host-rule", host.rule.id];
  return resultOf(
    ctx,
    f,
    "host-rule",
    "blocked",
    unsent(category, era),
    host,
    fired,
    priceRules,
    fep,
    undefined,
  );
}

/** The charge case of an allowed lane (PRICE-*; `template` lanes price outside the window). */
function priceLane(
  ctx: DecideContext,
  f: WaFacts,
  category: PricingCategory,
  outcome: "session" | "template",
): Slot {
  const { intent, options } = ctx;
  const freeForm = intent.kind === "free-form";
  return chargeOf(
    f.era,
    category,
    freeForm && intent.type === "reaction",
    freeForm && intent.directSend !== undefined,
    f.w.open && outcome !== "template",
    f.fepFree,
    ctx.at,
    f.tier,
    options.governmentExempt,
    // Only computed for exempt senders: it is a calendar lookup (PRICE-8, OPEN-6).
    options.governmentExempt === true
      ? startOfDayIn(POLICY_DATES.governmentExemptUntil, ctx.timeZone)
      : undefined,
    options.directSendFreeInFep === true,
  );
}

/** No free entry point, shared by the verdicts that have none (frozen: they are read-only). */
const NO_FEP: Verdict["freeEntryPoint"] = Object.freeze({
  open: false,
  closesAt: null,
  source: "none",
});

/** No cited price rules, shared (frozen, like every shared part of a verdict). */
const NO_RULES: readonly DecisionRuleId[] = Object.freeze([]);

/** The category a WhatsApp lane sends (a free-form message outside the window: its template). */
function categoryOf(f: WaFacts, intent: DecideContext["intent"], outcome: string): PricingCategory {
  if (intent.kind === "template") return intent.category;
  if (f.freeForm && outcome === "template") return f.replacement ?? "utility";
  return intent.directSend ?? "service";
}

function runWhatsApp(ctx: DecideContext): RunResult {
  const f = whatsappFacts(ctx);
  const i = firstMeta(WA_META, f.signals, f);
  const reason = WA_META.reasons[i] as Reason;
  const outcome = WA_META.outcome[i] as Outcome;
  const category = categoryOf(f, ctx.intent, outcome);
  const fe = f.fep;
  const fep: Verdict["freeEntryPoint"] =
    !fe.open && fe.closesAt === undefined && fe.source === "none"
      ? NO_FEP
      : { open: fe.open, closesAt: fe.closesAt ?? null, source: fe.source };
  const era = f.era.id;
  if (outcome === "blocked") {
    return blockedBy(ctx, f, reason, category, era, WA_META.fired[i] as readonly Reason[], fep);
  }
  const slot = priceLane(ctx, f, category, outcome);
  const pricing = pricingOf(slot, f.era, category, f.tier, ctx.timeZone);
  const priceRules = slot.c.rules;
  const stop = first(WA_PRICE, f.signals, f, pricing);
  if (stop >= 0) {
    const blocked = unsent(category, era, pricing);
    const fired = WA_PRICE.fired[stop] as readonly Reason[];
    const r = WA_PRICE.reasons[stop] as Reason;
    return resultOf(ctx, f, r, "blocked", blocked, undefined, fired, priceRules, fep, undefined);
  }
  const fired = WA_META.fired[i] as readonly Reason[];
  return allowed(
    ctx,
    f,
    reason,
    outcome,
    pricing,
    category,
    era,
    fired,
    priceRules,
    fep,
    undefined,
  );
}

/** An allowed send's verdict, unless one of the host's rules holds it back (`host-rule`). */
function allowed(
  ctx: DecideContext,
  f: Facts,
  reason: Reason,
  outcome: "session" | "template",
  pricing: PricingInfo,
  category: PricingCategory,
  era: UnsentPricing["era"],
  fired: readonly Reason[],
  priceRules: readonly DecisionRuleId[],
  fep: Verdict["freeEntryPoint"],
  tag: MessagingTag | undefined,
): RunResult {
  if (ctx.hostRules.length > 0) {
    const held = hostResult(ctx, f, outcome, category, era, priceRules, fep);
    if (held !== undefined) return held;
  }
  return resultOf(ctx, f, reason, outcome, pricing, undefined, fired, priceRules, fep, tag);
}

/** A verdict blocked by a lane that needs no price (nothing is sent, so nothing is charged). */
function blockedBy(
  ctx: DecideContext,
  f: Facts,
  reason: Reason,
  category: PricingCategory,
  era: UnsentPricing["era"],
  fired: readonly Reason[],
  fep: Verdict["freeEntryPoint"],
): RunResult {
  const pricing = unsent(category, era);
  return resultOf(ctx, f, reason, "blocked", pricing, undefined, fired, NO_RULES, fep, undefined);
}

function runSocial(ctx: DecideContext): RunResult {
  const f = socialFacts(ctx);
  const i = firstMeta(SOCIAL_META, 0, f);
  const reason = SOCIAL_META.reasons[i] as Reason;
  const lane = SOCIAL_META.lanes[i] as Lane<SocialFacts>;
  const outcome = lane.outcome;
  const category: PricingCategory =
    ctx.intent.kind === "template" ? ctx.intent.category : "service";
  const era = "not-applicable";
  if (outcome === "blocked") {
    const fired = SOCIAL_META.fired[i] as readonly Reason[];
    return blockedBy(ctx, f, reason, category, era, fired, NO_FEP);
  }
  const name = f.channel === "instagram" ? "Instagram" : "Messenger";
  const pricing: PricingInfo = {
    charge: "free",
    category,
    type: "regular",
    era,
    note: `${name} does not charge per message.`,
  };
  const tag = lane.tag?.(f);
  const fired = SOCIAL_META.fired[i] as readonly Reason[];
  return allowed(ctx, f, reason, outcome, pricing, category, era, fired, NO_RULES, NO_FEP, tag);
}

/** Runs the table for the thread's channel. */
export const run = (ctx: DecideContext): RunResult =>
  ctx.state.channel === undefined ? runWhatsApp(ctx) : runSocial(ctx);
