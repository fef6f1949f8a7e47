/**
 * Messenger and Instagram decisions (MSG-*, IG-*, OPEN-10, OPEN-20). Same {@link Decision} shape
 * as WhatsApp; these channels do not charge per message, so pricing is always `free` with era
 * `not-applicable`.
 *
 * The decision names the `messaging_type` / `tag` the send must carry:
 * - inside the standard (or ad-originated) window: `RESPONSE` for a reply, `UPDATE` for
 *   business-initiated content such as a template or promotion (MSG-3); never a tag;
 * - after it, only a **person** may reply, with `MESSAGE_TAG` + `HUMAN_AGENT`, until 7 days after
 *   the user's last message (MSG-4, IG-2). Automation is refused (`automation-outside-window`)
 *   with a "hand over to a person" alternative; an intent without `sender` counts as automation;
 * - templates / promotional content never go under a tag (MSG-3).
 *
 * Pure: no clock, no I/O, no zod.
 *
 * @module
 * @internal
 */
import { InvalidInputError } from "../domain/errors.js";
import type { Instant } from "../domain/types.js";
import {
  grantedUpdateTags,
  opensWindow,
  SOCIAL_ACTIONS,
  SOCIAL_WINDOWS,
  type SocialActionKind,
  type SocialChannel,
  type SocialRuleId,
  type UpdateTag,
} from "../policy/social.js";
import type { DecideContext } from "./decide.js";
import { ruleRefs } from "./decide.js";
import type {
  Alternative,
  BlockedReason,
  Decision,
  MessagingTag,
  PricingInfo,
  SessionReason,
} from "./decision.js";
import {
  blockingOptOut,
  formatDuration,
  formatInstant,
  isOn,
  maxInstant,
  type WindowEval,
} from "./evaluate.js";
import type { SocialAction, SocialOptions } from "./options.js";
import {
  type DecisionCore,
  DecisionRecord,
  type DecisionView,
  type FepView,
  type Rendered,
} from "./record.js";

const NO_FEP: FepView = { open: false, closesAt: undefined, source: "none" };

/**
 * HUMAN_AGENT reply limit after the user's last message: 7 days (MSG-4, IG-2).
 *
 * @example
 * ```ts
 * HUMAN_AGENT_MS; //=> 604_800_000
 * ```
 */
export const HUMAN_AGENT_MS: number = SOCIAL_WINDOWS.humanAgentMs;

/**
 * The Messenger / Instagram options (`options.social`). Kept as an alias of
 * {@link SocialOptions} for callers that imported it by this name.
 *
 * @example
 * ```ts
 * const social: SocialDecideOptions = { adWindow: "7d", openOn: { storyMention: true } };
 * ```
 */
export type SocialDecideOptions = SocialOptions;

const RESPONSE: MessagingTag = { messagingType: "RESPONSE" };
const UPDATE: MessagingTag = { messagingType: "UPDATE" };
const HUMAN_AGENT: MessagingTag = { messagingType: "MESSAGE_TAG", tag: "HUMAN_AGENT" };

const OPTIONAL_ACTIONS: readonly (SocialAction & SocialActionKind)[] = [
  "postback",
  "reaction",
  "referral",
  "storyMention",
  "read",
  "optin",
];
const UPDATE_TAGS: readonly string[] = [
  "CONFIRMED_EVENT_UPDATE",
  "POST_PURCHASE_UPDATE",
  "ACCOUNT_UPDATE",
];

const fail = (field: string, message: string): never => {
  throw new InvalidInputError("invalid-argument", `${field} ${message}`, field);
};

const isBound = (v: unknown): v is Date | number =>
  (typeof v === "number" && Number.isFinite(v)) ||
  (v instanceof Date && Number.isFinite(v.getTime()));

/** Validates `options.social`; throws {@link InvalidInputError} naming the field. */
function socialOptions(raw: unknown): SocialDecideOptions {
  const f = "options.social";
  if (raw === undefined) return {};
  if (typeof raw !== "object" || raw === null) return fail(f, "must be an object");
  const o = raw as Record<string, unknown>;
  if (o["adWindow"] !== undefined && o["adWindow"] !== "24h" && o["adWindow"] !== "7d") {
    fail(`${f}.adWindow`, 'must be "24h" or "7d"');
  }
  const openOn = o["openOn"];
  if (openOn !== undefined) {
    if (typeof openOn !== "object" || openOn === null) fail(`${f}.openOn`, "must be an object");
    for (const [k, v] of Object.entries(openOn as object)) {
      if (!(OPTIONAL_ACTIONS as readonly string[]).includes(k)) {
        fail(
          `${f}.openOn.${k}`,
          "is not a switchable action (postback, reaction, referral, storyMention, read, optin)",
        );
      }
      if (v !== undefined && typeof v !== "boolean") fail(`${f}.openOn.${k}`, "must be a boolean");
    }
  }
  if (o["humanAgent"] !== undefined && typeof o["humanAgent"] !== "boolean") {
    fail(`${f}.humanAgent`, "must be a boolean");
  }
  const grants = o["updateTags"];
  if (grants !== undefined) {
    if (!Array.isArray(grants)) fail(`${f}.updateTags`, "must be an array");
    for (const [i, g] of (grants as unknown[]).entries()) {
      const gf = `${f}.updateTags[${i}]`;
      if (typeof g !== "object" || g === null) fail(gf, "must be an object");
      const grant = g as Record<string, unknown>;
      if (typeof grant["tag"] !== "string" || !UPDATE_TAGS.includes(grant["tag"])) {
        fail(`${gf}.tag`, "must be CONFIRMED_EVENT_UPDATE, POST_PURCHASE_UPDATE or ACCOUNT_UPDATE");
      }
      for (const key of ["from", "until"] as const) {
        if (grant[key] !== undefined && !isBound(grant[key])) {
          fail(`${gf}.${key}`, "must be a valid Date or a finite epoch-millisecond number");
        }
      }
      const from = grant["from"] as Date | number | undefined;
      const until = grant["until"] as Date | number | undefined;
      if (from !== undefined && until !== undefined && +from >= +until) {
        fail(`${gf}.until`, "must be after from");
      }
    }
  }
  return o as SocialDecideOptions;
}

/** Everything the prose renderer needs. */
interface SocialFacts {
  readonly ctx: DecideContext;
  readonly channel: SocialChannel;
  readonly social: SocialDecideOptions;
  /** Latest window-opening action under the host's switches (T). */
  readonly t: Instant | undefined;
  /** Which action T is. */
  readonly tAction: SocialActionKind | undefined;
  /** Standard window end (T + 24 h − margin). */
  readonly standardEnd: Instant | undefined;
  /** Ad-originated window end, when an ad entry is known and longer than the standard one. */
  readonly adEnd: Instant | undefined;
  /** Latest user message (the HUMAN_AGENT anchor). */
  readonly lastMessage: Instant | undefined;
  /** HUMAN_AGENT end (last message + 7 days − margin). */
  readonly humanEnd: Instant | undefined;
  /** A person may still reply with HUMAN_AGENT at `at`. */
  readonly humanOpen: boolean;
  /** Update tags the host re-enabled for `at` (OPEN-10). */
  readonly granted: readonly UpdateTag[];
  /** Actions seen on the thread that do not open the window under the current switches. */
  readonly ignoredActions: readonly SocialActionKind[];
}

/**
 * Decides a Messenger / Instagram intent. Called by `decide` for states whose `channel` is
 * `messenger` or `instagram`.
 *
 * @example
 * ```ts
 * const state = foldEvents(emptyState(), [{
 *   kind: "inbound", id: "m_1", type: "text", action: "message", at: Date.parse("2026-11-20T09:00:00Z"),
 *   thread: { channel: "messenger", business: "104857372012345", customer: "6024153281234567" },
 * }]);
 * decide(state, { kind: "free-form", sender: "human" }, Date.parse("2026-11-22T09:00:00Z")).tag;
 * //=> { messagingType: "MESSAGE_TAG", tag: "HUMAN_AGENT" }
 * decide(state, { kind: "free-form", sender: "automation" }, Date.parse("2026-11-22T09:00:00Z")).reason;
 * //=> "automation-outside-window"
 * ```
 */
export function decideSocial(ctx: DecideContext): Decision {
  const { state, intent, at, options } = ctx;
  const channel: SocialChannel = state.channel ?? "messenger";
  const social = socialOptions(options.social);
  const margin = options.safetyMarginMs ?? 0;
  if (!Number.isFinite(margin) || margin < 0) {
    fail("options.safetyMarginMs", "must be a finite, non-negative number of milliseconds");
  }
  const behindOk = options.openWhenClockBehind !== false;
  const inbound = state.inbound;

  // T: the latest window-opening user action (MSG-1, IG-1; OPEN-20 switches, IG-4).
  let t = inbound.message;
  let tAction: SocialActionKind | undefined = t === undefined ? undefined : "message";
  const ignoredActions: SocialActionKind[] = [];
  for (const action of OPTIONAL_ACTIONS) {
    const seen = inbound[action];
    if (seen === undefined) continue;
    // OPEN-20: referrals and postbacks open by default (2026-12-06); the others when switched on.
    if (opensWindow(action, social.openOn)) {
      if (t === undefined || seen > t) {
        t = seen;
        tAction = action;
      }
    } else {
      ignoredActions.push(action);
    }
  }
  const standardEnd = t === undefined ? undefined : t + SOCIAL_WINDOWS.standardMs - margin;
  // MSG-2: an ad-originated window lasts up to 7 days when the host enables it (OPEN-20). Its
  // anchor is the ad entry, provided a window-opening action came at or after it: the entry is
  // never later than the first message after the ad tap, so the window never runs past Meta's.
  const ad = state.referral?.ad;
  let adEnd: Instant | undefined;
  if (ad !== undefined && t !== undefined && t >= ad) {
    const end = ad + SOCIAL_WINDOWS.adMs[social.adWindow ?? "24h"] - margin;
    if (standardEnd === undefined || end > standardEnd) adEnd = end;
  }
  const closesAt = maxInstant(standardEnd, adEnd);
  const open =
    t !== undefined &&
    closesAt !== undefined &&
    (at >= t ? at < closesAt : behindOk && t < closesAt);
  const inAdExtension =
    open && adEnd !== undefined && standardEnd !== undefined && at >= standardEnd;

  // MSG-4 / IG-2: HUMAN_AGENT runs 7 days from the user's last *message*.
  const lastMessage = inbound.message;
  const humanEnd =
    lastMessage === undefined ? undefined : lastMessage + SOCIAL_WINDOWS.humanAgentMs - margin;
  const humanOpen =
    social.humanAgent !== false &&
    lastMessage !== undefined &&
    humanEnd !== undefined &&
    (at >= lastMessage ? at < humanEnd : behindOk && lastMessage < humanEnd);
  const granted = grantedUpdateTags(channel, at, social.updateTags);

  const w: WindowEval = { lastInbound: t, closesAt, open, closedByError: false };
  const pricing: PricingInfo = {
    charge: "free",
    category: intent.kind === "template" ? intent.category : "service",
    type: "regular",
    era: "not-applicable",
    note: `${channel === "instagram" ? "Instagram" : "Messenger"} does not charge per message.`,
  };
  const facts: SocialFacts = {
    ctx,
    channel,
    social,
    t,
    tAction,
    standardEnd,
    adEnd,
    lastMessage,
    humanEnd,
    humanOpen,
    granted,
    ignoredActions,
  };
  const make = (
    verdict:
      | { outcome: "session"; reason: SessionReason; tag: MessagingTag }
      | { outcome: "blocked"; reason: BlockedReason },
  ): Decision => {
    const core: DecisionCore = {
      ...verdict,
      channel,
      intent,
      pricing,
      atMs: at,
      w,
      fep: NO_FEP,
    };
    return new DecisionRecord(core, facts, renderSocial) as unknown as Decision;
  };

  // Hard stops first (docs/policy.md, how the rules combine): blocks, opt-outs, marketing stops.
  if (isOn(state.blocked)) return make({ outcome: "blocked", reason: "business-blocked" });
  const scope =
    intent.kind === "template"
      ? intent.category === "unknown"
        ? "marketing"
        : intent.category
      : "all";
  if (blockingOptOut(state, scope) !== undefined) {
    return make({ outcome: "blocked", reason: "opted-out" });
  }
  if (scope === "marketing" && isOn(state.marketing)) {
    return make({ outcome: "blocked", reason: "marketing-stopped" });
  }
  if (open) {
    // MSG-3: business-initiated content (templates, promotions) goes as UPDATE inside the window;
    // a reply as RESPONSE. Never a tag inside the window (MSG-4).
    return make({
      outcome: "session",
      reason: inAdExtension ? "ad-window-open" : "window-open",
      tag: intent.kind === "template" ? UPDATE : RESPONSE,
    });
  }
  if (t === undefined) return make({ outcome: "blocked", reason: "no-inbound" });
  // MSG-3: templates and promotions never go under a tag.
  if (intent.kind === "template" || !humanOpen) {
    return make({ outcome: "blocked", reason: "window-closed" });
  }
  // MSG-4: HUMAN_AGENT for a person only; never proposed to automation or an undeclared sender.
  if (intent.sender === "human") {
    return make({ outcome: "session", reason: "human-agent", tag: HUMAN_AGENT });
  }
  return make({ outcome: "blocked", reason: "automation-outside-window" });
}

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

/** Renders explanation, alternatives, rules and notes of a Messenger / Instagram decision. */
function renderSocial(core: DecisionView, f: SocialFacts): Rendered {
  const name = f.channel === "instagram" ? "Instagram" : "Messenger";
  const { intent } = f.ctx;
  const rules: SocialRuleId[] = [f.channel === "instagram" ? "IG-1" : "MSG-1", "MSG-8"];
  const notes: string[] = [];
  const alternatives: Alternative[] = [];
  const when = f.t === undefined ? "" : formatInstant(f.t);
  const closes = core.window.closesAt === null ? "" : formatInstant(core.window.closesAt.getTime());
  const humanUntil = f.humanEnd === undefined ? undefined : new Date(f.humanEnd);
  const humanAlt = (): Alternative | undefined =>
    f.humanOpen && humanUntil !== undefined
      ? {
          action: "human-agent-tag",
          until: humanUntil,
          text: `Hand over to a person: they may answer the customer's request (not promote) with messaging_type MESSAGE_TAG and tag HUMAN_AGENT until ${formatInstant(f.humanEnd ?? 0)}.`,
        }
      : undefined;
  const wait: Alternative = {
    action: "wait-for-customer",
    text: `Wait for the customer to write again on ${name}; that reopens the 24-hour window.`,
  };
  const humanVoice = f.lastMessage !== undefined && f.humanEnd !== undefined;
  const sender = intent.sender;

  if (f.ctx.options.safetyMarginMs !== undefined) rules.push("OPEN-2");
  if (f.tAction !== undefined && f.tAction !== "message")
    rules.push(...SOCIAL_ACTIONS[f.tAction].rules);
  if (f.adEnd !== undefined || f.social.adWindow !== undefined) rules.push("MSG-2", "OPEN-20");

  let explanation: string;
  switch (core.reason) {
    case "business-blocked":
      rules.push("CONSENT-9");
      explanation = "The business has blocked this customer, so nothing may be sent.";
      break;
    case "opted-out":
      rules.push("CONSENT-4");
      explanation = "The customer opted out of this kind of message, so it must not be sent.";
      break;
    case "marketing-stopped":
      rules.push("CONSENT-5");
      explanation = "The customer stopped marketing messages, so this promotion must not be sent.";
      break;
    case "window-open":
    case "ad-window-open": {
      const remaining = formatDuration(core.window.remainingMs);
      const how =
        intent.kind === "template"
          ? "send it with messaging_type UPDATE (business-initiated content), never under a tag"
          : "send it with messaging_type RESPONSE, no tag needed";
      if (intent.kind === "template") rules.push("MSG-3");
      rules.push(f.channel === "instagram" ? "IG-2" : "MSG-4");
      explanation =
        core.reason === "ad-window-open"
          ? `The customer came from an ad and wrote at ${when}, so the ad-originated window stays open until ${closes} (${remaining} left); ${how}.`
          : `The customer last ${ACTION_WORDS[f.tAction ?? "message"]} at ${when}, so the 24-hour window is open until ${closes} (${remaining} left); ${how}.`;
      break;
    }
    case "no-inbound":
      rules.push("MSG-6", "OPEN-20");
      explanation =
        f.ignoredActions.length === 0
          ? `The customer has not written on ${name}, so nothing may be sent until they do.`
          : `The customer has not written on ${name}; ${f.ignoredActions.map((a) => ACTION_PLURAL[a]).join(", ")} seen on this thread do not open the window unless you switch them on (OPEN-20), so nothing may be sent yet.`;
      alternatives.push(wait);
      break;
    case "human-agent":
      rules.push(f.channel === "instagram" ? "IG-2" : "MSG-4", "MSG-3");
      explanation = `The 24-hour window closed at ${closes}, but a person may still reply with messaging_type MESSAGE_TAG and tag HUMAN_AGENT until ${formatInstant(f.humanEnd ?? 0)} (7 days after the customer's last message); no promotions under the tag.`;
      notes.push(
        "HUMAN_AGENT needs the Human Agent permission (App Review) and must only carry a person's own reply, never a bot's (MSG-4).",
      );
      break;
    case "automation-outside-window": {
      rules.push(f.channel === "instagram" ? "IG-2" : "MSG-4", "MSG-5", "OPEN-10");
      const who =
        sender === undefined
          ? "the intent does not say a person is sending, so it counts as automation"
          : "this is an automated send";
      explanation = `The 24-hour window closed at ${closes} and ${who}: only a person may still reply (with HUMAN_AGENT, until ${formatInstant(f.humanEnd ?? 0)}), never a bot or automation.`;
      const alt = humanAlt();
      if (alt !== undefined) alternatives.push(alt);
      alternatives.push(wait);
      break;
    }
    case "window-closed": {
      rules.push("MSG-5", "MSG-6", "OPEN-10");
      if (intent.kind === "template") {
        rules.push("MSG-3");
        explanation = `The customer last ${ACTION_WORDS[f.tAction ?? "message"]} at ${when}; the window closed at ${closes}, and templates or promotions never go under a tag, so this may not be sent until the customer writes again.`;
        const alt = humanAlt();
        if (alt !== undefined) alternatives.push(alt);
      } else if (
        f.social.humanAgent === false &&
        humanVoice &&
        f.humanEnd !== undefined &&
        f.ctx.at < f.humanEnd
      ) {
        rules.push(f.channel === "instagram" ? "IG-2" : "MSG-4");
        explanation = `The window closed at ${closes}, and HUMAN_AGENT is switched off for this app, so nothing may be sent until the customer writes again.`;
      } else {
        rules.push(f.channel === "instagram" ? "IG-2" : "MSG-4");
        explanation = `The customer last ${ACTION_WORDS[f.tAction ?? "message"]} at ${when}; the window closed at ${closes}${humanVoice ? ` and the 7-day HUMAN_AGENT period ended at ${formatInstant(f.humanEnd ?? 0)}` : " and the customer never sent a message, so HUMAN_AGENT does not apply"}, so nothing may be sent until they write again.`;
      }
      alternatives.push(wait);
      break;
    }
    default:
      explanation = `${name}: ${core.outcome} (${core.reason}).`;
  }

  // OPEN-10: re-enabled update tags are reported, never applied to templates (MSG-3, IG-3).
  if (
    core.outcome === "blocked" &&
    (core.reason === "automation-outside-window" || core.reason === "window-closed") &&
    intent.kind === "free-form" &&
    f.granted.length > 0
  ) {
    rules.push("MSG-5", "OPEN-10");
    if (f.channel === "instagram") rules.push("IG-3");
    const list = f.granted.join(", ");
    explanation += ` Your settings re-enable ${list}: a non-promotional update of exactly that kind may go with messaging_type MESSAGE_TAG and that tag.`;
    notes.push(
      `${list} re-enabled by the host (OPEN-10); Meta reportedly stopped accepting them from 2026-04-27 (MSG-5).`,
    );
  }
  if (f.channel === "instagram" && f.granted.length === 0 && f.social.updateTags !== undefined) {
    rules.push("IG-3");
  }
  if (sender === undefined && core.outcome !== "session") {
    notes.push("No sender given: treated as automation, so HUMAN_AGENT is never proposed (MSG-4).");
  }
  if (sender === "automation" && core.outcome === "session") {
    rules.push("MSG-7");
    notes.push("Automated chats must say they are automated where the law requires it (MSG-7).");
  }
  if (f.social.adWindow === "7d") {
    notes.push(
      "Ad-originated windows are taken as 7 days long because you enabled it; Meta says they *may* last up to 7 days (MSG-2, OPEN-20).",
    );
  }
  if (f.social.humanAgent === false) {
    notes.push("HUMAN_AGENT is switched off for this app (humanAgent: false).");
  }
  const t = f.t;
  if (t !== undefined && f.ctx.at < t) {
    rules.push("OPEN-2");
    notes.push(
      "Your clock is behind the provider's timestamp of the customer's last action; the window is treated as just opened (OPEN-2).",
    );
  }
  notes.push(pricingNote(f.channel));
  return { explanation, alternatives, rules: ruleRefs(rules), notes };
}

const pricingNote = (channel: SocialChannel): string =>
  `${channel === "instagram" ? "Instagram" : "Messenger"} messages are not charged per message; paid Marketing Messages (MSG-6) are outside this decision.`;
