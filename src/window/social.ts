/**
 * Messenger and Instagram decisions (MSG-*, IG-*, OPEN-10, OPEN-20). Same Decision shape as
 * WhatsApp; these channels do not charge per message.
 *
 * @module
 * @internal
 */
import type { Instant } from "../domain/types.js";
import type { RuleId } from "../policy/rules.js";
import type { DecideContext } from "./decide.js";
import { ruleRefs, toWindowInfo } from "./decide.js";
import type { Alternative, Decision, MessagingTag, PricingInfo } from "./decision.js";
import {
  blockingOptOut,
  formatDuration,
  formatInstant,
  maxInstant,
  type WindowEval,
} from "./evaluate.js";
import { type DecisionCore, DecisionRecord, type Rendered } from "./record.js";
import { DAY_MS } from "./state.js";

/** HUMAN_AGENT reply limit after the user's last message (MSG-4, IG-2). */
export const HUMAN_AGENT_MS = 7 * DAY_MS;

const RESPONSE: MessagingTag = { messagingType: "RESPONSE" };
const HUMAN_AGENT: MessagingTag = { messagingType: "MESSAGE_TAG", tag: "HUMAN_AGENT" };

/**
 * Decides a Messenger / Instagram intent. Called by {@link decide} for non-WhatsApp states.
 *
 * @internal
 */
export function decideSocial(ctx: DecideContext): Decision {
  const { state, intent, at, options } = ctx;
  const rules: RuleId[] = [];
  const add = (...ids: RuleId[]) => {
    rules.push(...ids);
    return { add };
  };
  const channel = state.channel ?? "messenger";
  const ig = channel === "instagram";
  const social = options.social ?? {};
  const openOn = social.openOn ?? {};
  add(ig ? "IG-1" : "MSG-1", "MSG-8");

  // T: the latest window-opening user action (MSG-1, OPEN-20; IG-4 for story mentions).
  let t = state.inbound.message;
  if (openOn.postback === true) t = maxInstant(t, state.inbound.postback);
  if (openOn.reaction === true) t = maxInstant(t, state.inbound.reaction);
  if (openOn.referral === true) t = maxInstant(t, state.inbound.referral);
  if (openOn.storyMention === true) t = maxInstant(t, state.inbound.storyMention);
  if (openOn.postback || openOn.reaction || openOn.referral || openOn.storyMention) add("OPEN-20");

  let closesAt: Instant | undefined = t === undefined ? undefined : t + DAY_MS;
  let adWindow = false;
  const ad = state.referral?.ad;
  if (social.adWindow === "7d" && ad !== undefined) {
    // MSG-2: an ad-originated window may last up to 7 days from that message (host-enabled).
    const adEnd = ad + HUMAN_AGENT_MS;
    if (closesAt === undefined || adEnd > closesAt) {
      adWindow = at >= ad && at < adEnd && (t === undefined || at >= t + DAY_MS);
      closesAt = adEnd;
      t = maxInstant(t, ad);
    }
    add("MSG-2", "OPEN-20");
  }
  const open = t !== undefined && closesAt !== undefined && (at >= t ? at < closesAt : true);
  const w: WindowEval = { lastInbound: t, closesAt, open, closedByError: false };
  const lastMessage = state.inbound.message;
  const humanUntil = lastMessage === undefined ? undefined : lastMessage + HUMAN_AGENT_MS;
  const human = intent.sender === "human";
  const category = intent.kind === "template" ? intent.category : "service";
  const pricing: PricingInfo = {
    charge: "free",
    category,
    type: "regular",
    era: "not-applicable",
    note: `${ig ? "Instagram" : "Messenger"} does not charge per message.`,
  };
  const base = {
    channel,
    intent,
    at: new Date(at),
    window: toWindowInfo(w, at),
    freeEntryPoint: { open: false, closesAt: null, source: "none" as const },
    pricing,
  };
  const notes: string[] = [];
  if (social.adWindow === "7d")
    notes.push(
      "Ad-originated windows are taken as 7 days long because the host enabled it (MSG-2, OPEN-20).",
    );
  const done = (
    d:
      | {
          outcome: "session";
          reason: "window-open" | "ad-window-open" | "human-agent";
          tag: MessagingTag;
        }
      | {
          outcome: "blocked";
          reason: "opted-out" | "no-inbound" | "window-closed" | "automation-outside-window";
        },
    explanation: string,
    alternatives: Alternative[] = [],
  ): Decision => {
    const prose: Rendered = { explanation, alternatives, rules: ruleRefs(rules), notes };
    const core: DecisionCore = { ...base, ...d };
    return new DecisionRecord(core, prose, renderFixed) as unknown as Decision;
  };

  if (
    blockingOptOut(
      state,
      intent.kind === "template" && intent.category !== "unknown" ? intent.category : "all",
    ) !== undefined
  ) {
    add("CONSENT-4");
    return done(
      { outcome: "blocked", reason: "opted-out" },
      "The customer opted out, so this message must not be sent.",
    );
  }
  if (open) {
    const remaining = formatDuration((closesAt ?? at) - Math.max(at, t ?? at));
    return done(
      { outcome: "session", reason: adWindow ? "ad-window-open" : "window-open", tag: RESPONSE },
      adWindow
        ? `The customer came from an ad, so the window stays open until ${formatInstant(closesAt ?? 0)} (${remaining} left); send as a normal response.`
        : `The customer last wrote at ${formatInstant(t ?? 0)}, so the 24-hour window is open until ${formatInstant(closesAt ?? 0)} (${remaining} left); send as a normal response, no tag needed.`,
    );
  }
  if (t === undefined) {
    add("MSG-6");
    return done(
      { outcome: "blocked", reason: "no-inbound" },
      `The customer has not written on ${ig ? "Instagram" : "Messenger"}, so nothing may be sent until they do.`,
    );
  }
  const withinHumanWindow = humanUntil !== undefined && at < humanUntil;
  add(ig ? "IG-2" : "MSG-4", "MSG-5");
  if (withinHumanWindow && intent.kind === "free-form") {
    if (human) {
      return done(
        { outcome: "session", reason: "human-agent", tag: HUMAN_AGENT },
        `The 24-hour window closed, but a person may still reply with the HUMAN_AGENT tag until ${formatInstant(humanUntil)} (7 days after the customer's last message).`,
      );
    }
    return done(
      { outcome: "blocked", reason: "automation-outside-window" },
      `The 24-hour window closed at ${formatInstant(closesAt ?? 0)}; only a person may still reply (with HUMAN_AGENT, until ${formatInstant(humanUntil)}), never a bot or automation.`,
      [
        {
          action: "human-agent-tag",
          until: new Date(humanUntil),
          text: `Hand over to a person: they may reply with the HUMAN_AGENT tag until ${formatInstant(humanUntil)}.`,
        },
      ],
    );
  }
  if (intent.kind === "template") add("MSG-3", "MSG-6");
  return done(
    { outcome: "blocked", reason: "window-closed" },
    `The customer last wrote at ${formatInstant(t)}; the window closed at ${formatInstant(closesAt ?? t)}${withinHumanWindow ? " and templates or promotions may not go under the HUMAN_AGENT tag" : " and the 7-day HUMAN_AGENT period is over"}, so nothing may be sent until they write again.`,
    [
      {
        action: "wait-for-customer",
        text: "Wait for the customer to write again; that reopens the 24-hour window.",
      },
    ],
  );
}

/** Messenger / Instagram prose is rendered eagerly (these decisions are not a hot path). */
const renderFixed = (_core: DecisionCore, prose: Rendered): Rendered => prose;
