/**
 * Context entries of the rule table: rules that do not decide but take part in a decision
 * (the window's definition, options in force, the FEP, pricing) and the caveats they add. Like
 * the deciding entries, each is a predicate over the facts with its citations and note; the
 * ones that hold are listed in the decision's `fired`. The free entry point's entries (and the
 * social window's error closure) also label the timeline band they describe (`band`).
 *
 * @module
 * @internal
 */
import type { DecisionRuleId } from "../policy/rules.js";
import { SOCIAL_ACTIONS, SOCIAL_DATES } from "../policy/social.js";
import { monthIn, startOfDayIn } from "../policy/time.js";
import { type BandLabel, BAND_WORDS as bw } from "./bands.js";
import type { Verdict } from "./decision.js";
import type { SocialFacts, WaFacts } from "./facts.js";
import { channelName, reportsGrants } from "./prose-social.js";
import { when } from "./prose-whatsapp.js";

/** A context entry on one channel. */
export interface ContextEntry<F> {
  readonly id: string;
  readonly when: (f: F, v: Verdict) => boolean;
  readonly cite: (f: F, v: Verdict) => readonly DecisionRuleId[];
  readonly note?: (f: F, v: Verdict) => string;
  /** The label of the timeline band this entry describes: `BAND_WORDS[id]`. */
  readonly band?: BandLabel;
}

const cites =
  (...ids: DecisionRuleId[]) =>
  (): readonly DecisionRuleId[] =>
    ids;
const always = (): boolean => true;
const directSend = (f: WaFacts): boolean =>
  f.ctx.intent.kind === "free-form" && f.ctx.intent.directSend !== undefined;
const unknownCategory = (f: WaFacts): boolean =>
  f.ctx.intent.kind === "template" && f.ctx.intent.category === "unknown";

/** A service-tier count was given for another month, so it was not used (OPEN-5). */
const staleTier = (f: WaFacts): boolean =>
  f.era.serviceTier !== null &&
  f.ctx.options.serviceTier?.month !== undefined &&
  f.ctx.options.serviceTier.month !== monthIn(f.ctx.at, f.ctx.timeZone);

/** WhatsApp entries cited before the deciding one. */
export const WA_BEFORE: readonly ContextEntry<WaFacts>[] = [
  { id: "window-rule", when: always, cite: cites("CSW-1", "CSW-2") },
  { id: "onboarded", when: (f) => f.onboarded, cite: cites("CSW-14", "OPEN-19") },
  {
    id: "deregistered",
    when: (f) => f.ctx.options.deregistered !== undefined,
    cite: cites("OPEN-19"),
  },
  {
    id: "closed-by-error",
    when: (f, v) => f.w.closedByError && v.reason !== "window-closed-by-error",
    cite: cites("CSW-12"),
  },
  {
    id: "open-window-on",
    when: (f) => f.ctx.options.openWindowOn !== undefined,
    cite: cites("OPEN-3"),
  },
  {
    id: "safety-margin",
    when: (f) => f.ctx.options.safetyMarginMs !== undefined,
    cite: cites("OPEN-2"),
  },
];

/** WhatsApp entries cited after the deciding one. */
export const WA_AFTER: readonly ContextEntry<WaFacts>[] = [
  {
    id: "unknown-category",
    when: unknownCategory,
    cite: cites("TPL-7", "OPEN-14"),
    note: () =>
      "The template's category is unknown, so it is checked as marketing and priced as charged (TPL-7, OPEN-14).",
  },
  { id: "direct-send", when: directSend, cite: cites("DIRECT-3", "DIRECT-6") },
  {
    id: "direct-send-ineligible",
    when: (f) => directSend(f) && f.ctx.options.directSendEligible !== true,
    cite: cites("DIRECT-2"),
    note: () =>
      "This account is not declared eligible for Direct Send; without eligibility Meta answers error 100, so send an approved template instead (DIRECT-2).",
  },
  {
    id: "fep",
    when: (f) => f.fep.source !== "none" || f.fep.activatableUntil !== undefined,
    cite: cites("FEP-2", "FEP-4"),
  },
  {
    id: "fep-estimated",
    when: (f) => f.fep.source === "estimated",
    cite: cites("OPEN-1"),
    note: () =>
      "The free entry point's end is estimated (OPEN-1); a sent status carrying conversation.expiration_timestamp replaces the estimate.",
    band: bw["fep-estimated"],
  },
  {
    id: "fep-options",
    when: (f) =>
      f.ctx.options.fepFromPostReferral === true || f.ctx.options.fepRequirePlatform === true,
    cite: cites("OPEN-4"),
  },
  {
    id: "direct-send-in-fep",
    when: (f) => directSend(f) && f.fep.open,
    cite: cites("OPEN-7"),
  },
  {
    id: "fep-platform",
    when: (f) => f.fep.source === "platform",
    cite: cites("FEP-3", "FEP-7"),
    band: bw["fep-platform"],
  },
  { id: "fep-outside-window", when: (f) => f.fep.open && !f.w.open, cite: cites("FEP-5") },
  {
    id: "fep-activatable",
    when: (f) => f.fep.activatableUntil !== undefined && f.w.open,
    cite: cites(),
    note: (f) =>
      `A reply before ${when(f, f.fep.activatableUntil ?? 0)} opens a free entry point: that reply and everything delivered in it are free (FEP-2, FEP-4).`,
    band: bw["fep-activatable"],
  },
  { id: "pricing", when: always, cite: cites("PRICE-1", "PRICE-2", "PRICE-4") },
  {
    id: "tier-seen-only",
    when: (f, v) =>
      v.pricing.charge !== "not-sent" &&
      v.pricing.tier !== undefined &&
      f.ctx.options.serviceTier?.seenOnly === true,
    cite: cites(),
    note: (_f, v) => {
      const tier = v.pricing.charge === "not-sent" ? undefined : v.pricing.tier;
      return `The service-tier count (${tier?.used ?? 0} in ${tier?.month ?? ""}) covers only the delivered service messages this store has seen (OPEN-5).`;
    },
  },
  {
    id: "tier-stale",
    when: staleTier,
    cite: cites(),
    note: (f) =>
      `The service-tier count given was for ${f.ctx.options.serviceTier?.month ?? "another month"}, not ${monthIn(f.ctx.at, f.ctx.timeZone)}, so it was not used (PRICE-5, OPEN-5).`,
  },
  {
    id: "billing-error",
    when: (f) => f.ctx.state.lastError?.code === 131042,
    cite: cites(),
    note: (f) =>
      `Meta refused a message on this thread with 131042 (payment or eligibility problem) at ${when(f, f.ctx.state.lastError?.at ?? 0)}; until billing is fixed, pass paymentMethodOnFile: false (OPEN-8, ERR-12).`,
  },
  {
    id: "time-zone-default",
    when: (f) => f.ctx.options.timeZone === undefined,
    cite: cites("OPEN-6"),
    note: () =>
      "No account time zone was given, so era boundaries and monthly resets use UTC (OPEN-6).",
  },
];

/** Messenger / Instagram entries cited before the deciding one. */
export const SOCIAL_BEFORE: readonly ContextEntry<SocialFacts>[] = [
  {
    id: "window-rule",
    when: always,
    cite: (f) => [f.channel === "instagram" ? "IG-1" : "MSG-1", "MSG-8"],
  },
  {
    id: "safety-margin",
    when: (f) => f.ctx.options.safetyMarginMs !== undefined,
    cite: cites("OPEN-2"),
  },
  {
    id: "anchor-action",
    when: (f) => f.w.anchor !== undefined && f.w.anchor !== "message",
    cite: (f) => SOCIAL_ACTIONS[f.w.anchor ?? "message"].rules,
  },
  {
    id: "ad-window",
    when: (f) => f.w.adEnd !== undefined || f.social.adWindow !== undefined,
    cite: cites("MSG-2", "OPEN-20"),
  },
  {
    // ERR-31: a code 10 "outside of allowed window" closed the window, as 131047 does.
    id: "closed-by-error",
    when: (f) => f.w.closedByError,
    cite: cites("ERR-31", "CSW-12"),
    band: bw["closed-by-error"],
  },
];

/** Messenger / Instagram entries cited after the deciding one. */
export const SOCIAL_AFTER: readonly ContextEntry<SocialFacts>[] = [
  {
    id: "human-agent-permission",
    when: (_f, v) => v.reason === "human-agent",
    cite: cites(),
    note: () =>
      "HUMAN_AGENT needs the Human Agent permission (App Review) and must only carry a person's own reply, never a bot's (MSG-4).",
  },
  {
    id: "update-tags-granted",
    when: reportsGrants,
    cite: (f) => (f.channel === "instagram" ? ["MSG-5", "OPEN-10", "IG-3"] : ["MSG-5", "OPEN-10"]),
    note: (f) =>
      `${f.granted.join(", ")} re-enabled by the host (OPEN-10); Meta reportedly stopped accepting them from ${when(f, startOfDayIn(SOCIAL_DATES.updateTagsRetiredReported, "UTC"))} (MSG-5).`,
  },
  {
    // ERR-32: tags Meta refused with code 100 from 2026-04-27 are never offered again.
    id: "update-tags-refused",
    when: (f, v) => f.refused.length > 0 && v.outcome === "blocked",
    cite: cites("ERR-32", "MSG-5"),
  },
  {
    id: "instagram-update-tags",
    when: (f) =>
      f.channel === "instagram" && f.granted.length === 0 && f.social.updateTags !== undefined,
    cite: cites("IG-3"),
  },
  {
    id: "no-sender",
    when: (f, v) => f.ctx.intent.sender === undefined && v.outcome !== "session",
    cite: cites(),
    note: () => "No sender given: treated as automation, so HUMAN_AGENT is never proposed (MSG-4).",
  },
  {
    id: "automation-disclosure",
    when: (f, v) => f.ctx.intent.sender === "automation" && v.outcome === "session",
    cite: cites("MSG-7"),
    note: () => "Automated chats must say they are automated where the law requires it (MSG-7).",
  },
  {
    id: "ad-window-7d",
    when: (f) => f.social.adWindow === "7d",
    cite: cites(),
    note: () =>
      "Ad-originated windows are taken as 7 days long because you enabled it; Meta says they *may* last up to 7 days (MSG-2, OPEN-20).",
  },
  {
    id: "human-agent-off",
    when: (f) => f.social.humanAgent === false,
    cite: cites(),
    note: () => "HUMAN_AGENT is switched off for this app (humanAgent: false).",
  },
  {
    id: "clock-behind",
    when: (f) => f.w.lastInbound !== undefined && f.ctx.at < f.w.lastInbound,
    cite: cites("OPEN-2"),
    note: () =>
      "Your clock is behind the provider's timestamp of the customer's last action; the window is treated as just opened (OPEN-2).",
  },
  {
    id: "pricing",
    when: always,
    cite: cites(),
    note: (f) =>
      `${channelName(f)} messages are not charged per message; paid Marketing Messages (MSG-6) are outside this decision.`,
  },
];
