/**
 * The words of Messenger / Instagram decisions: explanations and alternatives, one function per
 * rule-table entry (see `table.ts`).
 *
 * @module
 * @internal
 */

import type { DecisionRuleId } from "../policy/rules.js";
import type { SocialActionKind } from "../policy/social.js";
import type { Alternative, Verdict } from "./decision.js";
import type { SocialFacts } from "./facts.js";
import { when } from "./prose-whatsapp.js";
import { formatDuration } from "./words.js";

const ACTION_WORDS: Readonly<Record<SocialActionKind, string>> = {
  message: "wrote",
  postback: "tapped a button (postback)",
  reaction: "reacted to a message",
  referral: "arrived through a link or ad (referral)",
  storyMention: "mentioned the account in a story",
  read: "read a message",
  optin: "opted in (optin)",
};

const ACTION_PLURAL: Readonly<Record<SocialActionKind, string>> = {
  message: "messages",
  postback: "postbacks",
  reaction: "reactions",
  referral: "referrals",
  storyMention: "story mentions",
  read: "reads",
  optin: "opt-ins",
};

/** The channel's name in prose. */
export const channelName = (f: SocialFacts): string =>
  f.channel === "instagram" ? "Instagram" : "Messenger";

/** MSG-4 on Messenger, IG-2 on Instagram: the HUMAN_AGENT rule of the channel. */
export const humanRule = (f: SocialFacts): DecisionRuleId =>
  f.channel === "instagram" ? "IG-2" : "MSG-4";

const last = (f: SocialFacts): string => ACTION_WORDS[f.w.anchor ?? "message"];
const at = (f: SocialFacts): string =>
  f.w.lastInbound === undefined ? "" : when(f, f.w.lastInbound);
const closes = (f: SocialFacts): string =>
  f.w.closesAt === undefined ? "" : when(f, f.w.closesAt);
const humanUntil = (f: SocialFacts): string => when(f, f.w.humanEnd ?? 0);

/** The update tags the host re-enabled, said after a refused automated send (OPEN-10). */
export const grantedTail = (f: SocialFacts): string =>
  ` Your settings re-enable ${f.granted.join(", ")}: a non-promotional update of exactly that kind may go with messaging_type MESSAGE_TAG and that tag.`;

/** Update tags Meta refused (ERR-32), said after a refused automated send. */
export const refusedTail = (f: SocialFacts): string =>
  f.refused.length === 0
    ? ""
    : ` Meta refused ${f.refused.join(", ")} with error 100 on this thread (deprecated since 2026-04-27), so ${f.refused.length === 1 ? "that tag is" : "those tags are"} never offered again.`;

/** A refused free-form send for which re-enabled update tags are reported (OPEN-10). */
export const reportsGrants = (f: SocialFacts, v: Verdict): boolean =>
  v.outcome === "blocked" &&
  (v.reason === "automation-outside-window" || v.reason === "window-closed") &&
  f.ctx.intent.kind === "free-form" &&
  f.granted.length > 0;

/** Explanations, by reason. */
export const explainSocial = {
  businessBlocked: (): string => "The business has blocked this customer, so nothing may be sent.",
  pageRestricted: (f: SocialFacts): string => {
    const since = f.pageRestricted?.since;
    return `Meta temporarily restricted this page (error 10, subcode 1893063${since === undefined ? "" : ` at ${when(f, since)}`}), so nothing may be sent from it until you clear the restriction (account.restrictionsClearedAt) once Meta lifts it.`;
  },
  optedOut: (): string => "The customer opted out of this kind of message, so it must not be sent.",
  marketingStopped: (): string =>
    "The customer stopped marketing messages, so this promotion must not be sent.",
  windowOpen(f: SocialFacts, v: Verdict): string {
    const remaining = formatDuration(v.window.remainingMs);
    const how =
      f.ctx.intent.kind === "template"
        ? "send it with messaging_type UPDATE (business-initiated content), never under a tag"
        : "send it with messaging_type RESPONSE, no tag needed";
    return v.reason === "ad-window-open"
      ? `The customer came from an ad and wrote at ${at(f)}, so the ad-originated window stays open until ${closes(f)} (${remaining} left); ${how}.`
      : `The customer last ${last(f)} at ${at(f)}, so the 24-hour window is open until ${closes(f)} (${remaining} left); ${how}.`;
  },
  noInbound: (f: SocialFacts): string =>
    f.w.ignored.length === 0
      ? `The customer has not written on ${channelName(f)}, so nothing may be sent until they do.`
      : `The customer has not written on ${channelName(f)}; ${f.w.ignored.map((a) => ACTION_PLURAL[a]).join(", ")} seen on this thread do not open the window unless you switch them on (OPEN-20), so nothing may be sent yet.`,
  humanAgent: (f: SocialFacts): string =>
    `The 24-hour window closed at ${closes(f)}, but a person may still reply with messaging_type MESSAGE_TAG and tag HUMAN_AGENT until ${humanUntil(f)} (7 days after the customer's last message); no promotions under the tag.`,
  automation(f: SocialFacts, v: Verdict): string {
    const who =
      f.ctx.intent.sender === undefined
        ? "the intent does not say a person is sending, so it counts as automation"
        : "this is an automated send";
    const text = `The 24-hour window closed at ${closes(f)} and ${who}: only a person may still reply (with HUMAN_AGENT, until ${humanUntil(f)}), never a bot or automation.${refusedTail(f)}`;
    return reportsGrants(f, v) ? text + grantedTail(f) : text;
  },
  windowClosed(f: SocialFacts, v: Verdict): string {
    const text = windowClosedText(f) + refusedTail(f);
    return reportsGrants(f, v) ? text + grantedTail(f) : text;
  },
};

/** The customer wrote, once: a person may still reply (MSG-4). */
const humanVoice = (f: SocialFacts): boolean =>
  f.w.lastMessage !== undefined && f.w.humanEnd !== undefined;

/** HUMAN_AGENT is switched off while its 7 days would still run. */
export const humanSwitchedOff = (f: SocialFacts): boolean =>
  f.social.humanAgent === false && humanVoice(f) && f.ctx.at < (f.w.humanEnd ?? 0);

function windowClosedText(f: SocialFacts): string {
  if (f.w.closedByError) {
    // ERR-31: Meta said the window was closed (code 10, "outside of allowed window").
    const human = f.ctx.intent.kind === "free-form" && f.w.humanOpen;
    return `Meta refused a message on this thread as sent outside the allowed window (error 10) after the customer last ${last(f)} at ${at(f)}, so the window counts as closed${human ? "; only a person may still reply, with HUMAN_AGENT" : ""} until the customer writes again.`;
  }
  if (f.ctx.intent.kind === "template") {
    return `The customer last ${last(f)} at ${at(f)}; the window closed at ${closes(f)}, and templates or promotions never go under a tag, so this may not be sent until the customer writes again.`;
  }
  if (humanSwitchedOff(f)) {
    return `The window closed at ${closes(f)}, and HUMAN_AGENT is switched off for this app, so nothing may be sent until the customer writes again.`;
  }
  return `The customer last ${last(f)} at ${at(f)}; the window closed at ${closes(f)}${humanVoice(f) ? ` and the 7-day HUMAN_AGENT period ended at ${humanUntil(f)}` : " and the customer never sent a message, so HUMAN_AGENT does not apply"}, so nothing may be sent until they write again.`;
}

const wait = (f: SocialFacts): Alternative => ({
  action: "wait-for-customer",
  text: `Wait for the customer to write again on ${channelName(f)}; that reopens the 24-hour window.`,
});

function humanAlt(f: SocialFacts): Alternative[] {
  const end = f.w.humanEnd;
  return f.w.humanOpen && end !== undefined
    ? [
        {
          action: "human-agent-tag",
          until: new Date(end),
          text: `Hand over to a person: they may answer the customer's request (not promote) with messaging_type MESSAGE_TAG and tag HUMAN_AGENT until ${when(f, end)}.`,
        },
      ]
    : [];
}

/** Alternatives, by reason. */
export const offerSocial = {
  wait: (f: SocialFacts): Alternative[] => [wait(f)],
  automation: (f: SocialFacts): Alternative[] => [...humanAlt(f), wait(f)],
  windowClosed: (f: SocialFacts): Alternative[] =>
    f.ctx.intent.kind === "template" ? [...humanAlt(f), wait(f)] : [wait(f)],
  none: (): Alternative[] => [],
};
