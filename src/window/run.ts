/**
 * Runs the rule table: the first entry whose predicate holds decides, on the thread's channel;
 * then the price of the lane, the entries that read it, and the host's rules.
 *
 * @module
 * @internal
 */

import { InvalidInputError } from "../domain/errors.js";
import { POLICY_DATES } from "../policy/eras.js";
import type { DecisionRuleId } from "../policy/rules.js";
import { startOfDayIn } from "../policy/time.js";
import type {
  MessagingTag,
  PricingCategory,
  PricingInfo,
  Reason,
  UnsentPricing,
  Verdict,
} from "./decision.js";
import {
  type DecideContext,
  type Facts,
  type SocialFacts,
  socialFacts,
  type WaFacts,
  whatsappFacts,
} from "./facts.js";
import type { HostRule, HostRuleInput } from "./host.js";
import { type PricedCase, priceCase } from "./pricing.js";
import { type Entry, type HostFired, type Lane, ORDER, TABLE } from "./table.js";
import type { WindowEval } from "./window.js";

/** What a run of the table produced: the verdict and what rendering it needs. */
export interface RunResult {
  readonly verdict: Verdict;
  readonly facts: Facts;
  readonly host: HostFired | undefined;
  /** Rules the price's charge case cites (PRICE-5, PRICE-8, PRICE-23, …). */
  readonly priceRules: readonly DecisionRuleId[];
}

type Lanes<F> = readonly (readonly [Reason, Lane<F>])[];

function lanes<F>(pick: (e: Entry) => Lane<F> | null, phase: "meta" | "price"): Lanes<F> {
  const out: (readonly [Reason, Lane<F>])[] = [];
  for (const reason of ORDER) {
    const entry: Entry = TABLE[reason];
    if (entry.phase !== phase) continue;
    const lane = pick(entry);
    if (lane !== null) out.push([reason, lane]);
  }
  return out;
}

const WA_META = lanes<WaFacts>((e) => (e.phase === "host" ? null : e.whatsapp), "meta");
const WA_PRICE = lanes<WaFacts>((e) => (e.phase === "host" ? null : e.whatsapp), "price");
const SOCIAL_META = lanes<SocialFacts>((e) => (e.phase === "host" ? null : e.social), "meta");

/** `fired` of a verdict decided by one entry, shared (they are read-only). */
const FIRED = new Map<Reason, readonly Reason[]>(ORDER.map((r) => [r, Object.freeze([r])]));

function first<F>(
  table: Lanes<F>,
  f: F,
  price: PricingInfo | undefined,
): readonly [Reason, Lane<F>] | undefined {
  for (const row of table) if (row[1].when(f, price)) return row;
  return undefined;
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

/** What a host rule's `check` gave, read defensively (it is host code). */
type CheckResult =
  | { readonly kind: "go" }
  | { readonly kind: "hold"; readonly hold: HostFired["hold"] }
  | { readonly kind: "threw"; readonly error: unknown }
  | { readonly kind: "bad"; readonly what: string };

const GO: CheckResult = { kind: "go" };

/** A thrown value's message, for an error text; never throws itself. */
function messageOf(error: unknown): string {
  try {
    return error instanceof Error ? String(error.message) : String(error);
  } catch {
    return "(a value that cannot be printed)";
  }
}

/**
 * Runs one host rule's `check` and reads its answer inside one guard: `undefined` / `null` let
 * the send go; a plain object holds it (a string `explanation` and a finite `until` are kept,
 * anything else falls back); anything else (a promise from an `async` check, `false`, a string)
 * is a bug in the rule, not a hold.
 */
function runCheck(rule: HostRule, input: HostRuleInput, title: string): CheckResult {
  try {
    const hold: unknown = rule.check(input);
    if (hold === undefined || hold === null) return GO;
    if (typeof hold !== "object") return { kind: "bad", what: `returned ${typeof hold}` };
    if (typeof (hold as { then?: unknown }).then === "function") {
      return { kind: "bad", what: "returned a promise (check must be synchronous)" };
    }
    const { explanation, until } = hold as { explanation?: unknown; until?: unknown };
    const text = typeof explanation === "string" ? explanation : `Held back by ${title}.`;
    return {
      kind: "hold",
      hold:
        typeof until === "number" && Number.isFinite(until)
          ? { explanation: text, until }
          : { explanation: text },
    };
  } catch (error) {
    return { kind: "threw", error };
  }
}

/**
 * Runs one host rule. A rule that throws, or answers with something that is neither
 * `undefined` nor a hold, is a bad option: an {@link InvalidInputError} naming
 * `options.rules[i]` (a thrown error becomes its `cause`).
 */
function checkHostRule(
  rule: HostRule,
  index: number,
  input: HostRuleInput,
): HostFired["hold"] | undefined {
  const r = runCheck(rule, input, rule.title);
  if (r.kind === "go") return undefined;
  if (r.kind === "hold") return r.hold;
  const field = `options.rules[${index}]`;
  if (r.kind === "bad") {
    throw new InvalidInputError(
      "invalid-argument",
      `${field} (${rule.id}) check() ${r.what}: return undefined or { explanation, until? }`,
      field,
    );
  }
  throw new InvalidInputError(
    "invalid-argument",
    `${field} (${rule.id}) threw from check(): ${messageOf(r.error)}`,
    field,
    r.error,
  );
}

/** The first host rule that holds the send back, if any (they run only on allowed sends). */
function hostHold(
  ctx: DecideContext,
  outcome: "session" | "template",
  window: Verdict["window"],
  channel: Verdict["channel"],
): HostFired | undefined {
  for (let i = 0; i < ctx.hostRules.length; i++) {
    const rule = ctx.hostRules[i] as HostRule;
    const hold = checkHostRule(rule, i, {
      state: ctx.state,
      intent: ctx.intent,
      channel,
      at: ctx.at,
      outcome,
      window,
      timeZone: ctx.timeZone,
    });
    if (hold !== undefined) return { rule, hold };
  }
  return undefined;
}

interface Parts {
  readonly reason: Reason;
  readonly outcome: Verdict["outcome"];
  readonly pricing: PricingInfo | UnsentPricing;
  readonly host: HostFired | undefined;
  readonly tag: MessagingTag | undefined;
}

function verdictOf(
  ctx: DecideContext,
  f: Facts,
  p: Parts,
  fep: Verdict["freeEntryPoint"],
): Verdict {
  const window = windowAt(f.w, ctx.at);
  const fired =
    p.host === undefined ? (FIRED.get(p.reason) ?? [p.reason]) : [p.reason, p.host.rule.id];
  const v = {
    outcome: p.outcome,
    reason: p.reason,
    channel: f.channel,
    intent: ctx.intent,
    at: ctx.at,
    window,
    freeEntryPoint: fep,
    pricing: p.pricing,
    fired,
  };
  // The table pairs each reason with its outcome; the union is checked by the type tests.
  return (p.tag === undefined ? v : { ...v, tag: p.tag }) as Verdict;
}

/** Holds an allowed send back when a host rule says so (reason `host-rule`). */
function withHost(
  ctx: DecideContext,
  f: Facts,
  allowed: Parts,
  category: PricingCategory,
  era: UnsentPricing["era"],
): Parts {
  if (ctx.hostRules.length === 0 || allowed.outcome === "blocked") return allowed;
  const host = hostHold(ctx, allowed.outcome, windowAt(f.w, ctx.at), f.channel);
  if (host === undefined) return allowed;
  return {
    reason: "host-rule",
    outcome: "blocked",
    pricing: unsent(category, era),
    host,
    tag: undefined,
  };
}

/** The price of an allowed lane (PRICE-*; `template` lanes price outside the window). */
function priceLane(
  ctx: DecideContext,
  f: WaFacts,
  category: PricingCategory,
  outcome: "session" | "template",
): PricedCase {
  const { intent, options } = ctx;
  return priceCase(
    f.era,
    {
      category,
      reaction: intent.kind === "free-form" && intent.type === "reaction",
      directSend: intent.kind === "free-form" && intent.directSend !== undefined,
    },
    {
      windowOpen: f.w.open && outcome !== "template",
      fepOpen: f.fepFree,
      at: ctx.at,
      tier: f.tier,
      governmentExempt: options.governmentExempt,
      // Only computed for exempt senders: it is a calendar lookup (PRICE-8, OPEN-6).
      governmentExemptUntil:
        options.governmentExempt === true
          ? startOfDayIn(POLICY_DATES.governmentExemptUntil, ctx.timeZone)
          : undefined,
      directSendFreeInFep: options.directSendFreeInFep,
      timeZone: ctx.timeZone,
    },
  );
}

/** No free entry point, shared by the verdicts that have none (frozen: they are read-only). */
const NO_FEP: Verdict["freeEntryPoint"] = Object.freeze({
  open: false,
  closesAt: null,
  source: "none",
});

function runWhatsApp(ctx: DecideContext): RunResult {
  const f = whatsappFacts(ctx);
  const { intent } = ctx;
  const row = first(WA_META, f, undefined) ?? WA_META[WA_META.length - 1]!;
  const reason = row[0];
  const lane = row[1];
  const directSend = intent.kind === "free-form" ? intent.directSend : undefined;
  const category: PricingCategory =
    intent.kind === "template"
      ? intent.category
      : f.freeForm && lane.outcome === "template"
        ? (f.replacement ?? "utility")
        : (directSend ?? "service");
  const fep: Verdict["freeEntryPoint"] =
    !f.fep.open && f.fep.closesAt === undefined && f.fep.source === "none"
      ? NO_FEP
      : { open: f.fep.open, closesAt: f.fep.closesAt ?? null, source: f.fep.source };
  let parts: Parts;
  let priceRules: readonly DecisionRuleId[] = [];
  if (lane.outcome === "blocked") {
    parts = {
      reason,
      outcome: "blocked",
      pricing: unsent(category, f.era.id),
      host: undefined,
      tag: undefined,
    };
  } else {
    const priced = priceLane(ctx, f, category, lane.outcome);
    priceRules = priced.rules;
    const stop = first(WA_PRICE, f, priced.pricing);
    parts =
      stop === undefined
        ? withHost(
            ctx,
            f,
            {
              reason,
              outcome: lane.outcome,
              pricing: priced.pricing,
              host: undefined,
              tag: undefined,
            },
            category,
            f.era.id,
          )
        : {
            reason: stop[0],
            outcome: "blocked",
            pricing: unsent(category, f.era.id, priced.pricing),
            host: undefined,
            tag: undefined,
          };
  }
  return { verdict: verdictOf(ctx, f, parts, fep), facts: f, host: parts.host, priceRules };
}

function runSocial(ctx: DecideContext): RunResult {
  const f = socialFacts(ctx);
  const row = first(SOCIAL_META, f, undefined) ?? SOCIAL_META[SOCIAL_META.length - 1]!;
  const reason = row[0];
  const lane = row[1];
  const category: PricingCategory =
    ctx.intent.kind === "template" ? ctx.intent.category : "service";
  const name = f.channel === "instagram" ? "Instagram" : "Messenger";
  const allowed: Parts =
    lane.outcome === "blocked"
      ? {
          reason,
          outcome: "blocked",
          pricing: unsent(category, "not-applicable"),
          host: undefined,
          tag: undefined,
        }
      : {
          reason,
          outcome: lane.outcome,
          pricing: {
            charge: "free",
            category,
            type: "regular",
            era: "not-applicable",
            note: `${name} does not charge per message.`,
          },
          host: undefined,
          tag: lane.tag?.(f),
        };
  const parts = withHost(ctx, f, allowed, category, "not-applicable");
  return { verdict: verdictOf(ctx, f, parts, NO_FEP), facts: f, host: parts.host, priceRules: [] };
}

/** Runs the table for the thread's channel. */
export const run = (ctx: DecideContext): RunResult =>
  ctx.state.channel === undefined ? runWhatsApp(ctx) : runSocial(ctx);
