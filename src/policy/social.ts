/**
 * Messenger and Instagram messaging policy as dated data (MSG-*, IG-*, OPEN-10, OPEN-20): window
 * lengths, message tags with the dates they appeared or were retired, and the user actions that
 * open a window. Pure data and one pure lookup; no clock, no zod.
 *
 * @module
 */
import type { Channel, Sender } from "../domain/types.js";
import type { DecisionRuleId as RuleId } from "./rules.js";
import { HOUR_MS } from "./units.js";

/**
 * A channel with Messenger-Platform rules.
 *
 * @example
 * ```ts
 * const c: SocialChannel = "instagram";
 * ```
 */
export type SocialChannel = Exclude<Channel, "whatsapp">;

/**
 * Window lengths of Messenger and Instagram, in milliseconds. Every window is the half-open
 * interval [T, T + length) in absolute milliseconds from the provider timestamp T (MSG-1, IG-1,
 * derived from CSW-2).
 *
 * @example
 * ```ts
 * SOCIAL_WINDOWS.standardMs;   //=> 86_400_000 (24 h)
 * SOCIAL_WINDOWS.humanAgentMs; //=> 604_800_000 (7 days)
 * ```
 */
export const SOCIAL_WINDOWS = {
  /** MSG-1, IG-1: the standard messaging window after a user action. */
  standardMs: 24 * HOUR_MS,
  /** MSG-4, IG-2: a person may reply with HUMAN_AGENT until 7 days after the user's last message. */
  humanAgentMs: 7 * 24 * HOUR_MS,
  /**
   * MSG-2: an ad-originated window "may" last up to 7 days; 24 h unless the host enables the
   * 7-day rule (OPEN-20).
   */
  adMs: { "24h": 24 * HOUR_MS, "7d": 7 * 24 * HOUR_MS },
} as const;

/**
 * The non-human message tags that survived the 2020 reduction (MSG-5).
 *
 * @example
 * ```ts
 * const t: UpdateTag = "POST_PURCHASE_UPDATE";
 * ```
 */
export type UpdateTag = "CONFIRMED_EVENT_UPDATE" | "POST_PURCHASE_UPDATE" | "ACCOUNT_UPDATE";

/**
 * Every message tag care-window knows: HUMAN_AGENT and the three update tags.
 *
 * @example
 * ```ts
 * const t: SocialTag = "HUMAN_AGENT";
 * ```
 */
export type SocialTag = "HUMAN_AGENT" | UpdateTag;

/**
 * One message tag as dated data.
 *
 * `from` / `until` are calendar days (`YYYY-MM-DD`), read as 00:00 in the account's time zone
 * (OPEN-6); `until` is exclusive. An absent `from` means "before anything care-window tracks".
 *
 * @example
 * ```ts
 * const info: SocialTagInfo = SOCIAL_TAGS.HUMAN_AGENT;
 * info.senders; //=> ["human"]
 * ```
 */
export interface SocialTagInfo {
  /** Who may send under the tag. HUMAN_AGENT: people only, never bots (MSG-4). */
  readonly senders: readonly Sender[];
  /** Channels the tag exists on (IG-3: CONFIRMED_EVENT_UPDATE never on Instagram). */
  readonly channels: readonly SocialChannel[];
  /** How long after the user's last message the tag may be used, when limited. */
  readonly afterLastMessageMs?: number;
  /** First day the tag is usable, when known. */
  readonly from?: string;
  /** First day the tag is no longer usable (exclusive end), when retired. */
  readonly until?: string;
  /** How sure the dates are: `reported` ones rest on secondary sources only (OPEN-10). */
  readonly confidence: "Meta docs" | "reported";
  /** Proposed by default? Only HUMAN_AGENT is (OPEN-10). */
  readonly proposedByDefault: boolean;
  readonly rules: readonly SocialRuleId[];
}

/**
 * Message tags as dated data (MSG-4, MSG-5, IG-2, IG-3, OPEN-10).
 *
 * - HUMAN_AGENT: a person replies up to 7 days after the user's last message, both channels.
 * - CONFIRMED_EVENT_UPDATE, POST_PURCHASE_UPDATE, ACCOUNT_UPDATE: the only non-human tags since
 *   2020-03-04; reportedly unavailable (error 100) from 2026-04-27, which no Meta page confirms
 *   (OPEN-10). CONFIRMED_EVENT_UPDATE never existed on Instagram (IG-3).
 *
 * By default only HUMAN_AGENT is ever proposed; a host re-enables the others for a date range
 * with the `updateTags` option.
 *
 * @example
 * ```ts
 * SOCIAL_TAGS.ACCOUNT_UPDATE.until;              //=> "2026-04-27"
 * SOCIAL_TAGS.CONFIRMED_EVENT_UPDATE.channels;   //=> ["messenger"]
 * ```
 */
export const SOCIAL_TAGS: Readonly<Record<SocialTag, SocialTagInfo>> = {
  HUMAN_AGENT: {
    senders: ["human"],
    channels: ["messenger", "instagram"],
    afterLastMessageMs: SOCIAL_WINDOWS.humanAgentMs,
    confidence: "Meta docs",
    proposedByDefault: true,
    rules: ["MSG-4", "IG-2"],
  },
  CONFIRMED_EVENT_UPDATE: {
    senders: ["human", "automation"],
    channels: ["messenger"],
    until: "2026-04-27",
    confidence: "reported",
    proposedByDefault: false,
    rules: ["MSG-5", "IG-3", "OPEN-10"],
  },
  POST_PURCHASE_UPDATE: {
    senders: ["human", "automation"],
    channels: ["messenger", "instagram"],
    until: "2026-04-27",
    confidence: "reported",
    proposedByDefault: false,
    rules: ["MSG-5", "OPEN-10"],
  },
  ACCOUNT_UPDATE: {
    senders: ["human", "automation"],
    channels: ["messenger", "instagram"],
    until: "2026-04-27",
    confidence: "reported",
    proposedByDefault: false,
    rules: ["MSG-5", "OPEN-10"],
  },
};

/**
 * Other dated Messenger / Instagram facts.
 *
 * @example
 * ```ts
 * SOCIAL_DATES.tagsReduced; //=> "2020-03-04"
 * ```
 */
export const SOCIAL_DATES = {
  /** MSG-5: every non-human tag except the three {@link UpdateTag}s retired on this day. */
  tagsReduced: "2020-03-04",
  /** MSG-5, OPEN-10: the three update tags reportedly return error 100 from this day. */
  updateTagsRetiredReported: "2026-04-27",
  /** IG-5: Instagram API with Instagram Login works without a Facebook Page from this day. */
  instagramWithoutPage: "2024-07-23",
} as const;

/**
 * A user action on Messenger / Instagram, as it folds into the thread state.
 *
 * @example
 * ```ts
 * const a: SocialActionKind = "storyMention";
 * ```
 */
export type SocialActionKind =
  | "message"
  | "postback"
  | "reaction"
  | "referral"
  | "storyMention"
  | "read"
  | "optin";

/**
 * Whether a user action opens the standard window (MSG-1, IG-1, IG-4, OPEN-20), as of the
 * rulebook check of 2026-12-06.
 *
 * - `always`: confirmed by Meta (user messages).
 * - `default`: opens unless the host switches it off (`social.openOn: { postback: false }`).
 *   Referrals (m.me links, ads, QR codes): Meta's m.me page says a referral "will reset the
 *   24-hour standard messaging window"; postbacks: a button the user pressed (secondary sources,
 *   a deliberate user action).
 * - `option`: unconfirmed; off unless the host switches it on (`social.openOn`).
 *
 * @example
 * ```ts
 * SOCIAL_ACTIONS.message.opens;  //=> "always"
 * SOCIAL_ACTIONS.referral.opens; //=> "default"
 * SOCIAL_ACTIONS.reaction.opens; //=> "option"
 * ```
 */
export const SOCIAL_ACTIONS: Readonly<
  Record<
    SocialActionKind,
    {
      readonly opens: "always" | "default" | "option";
      readonly rules: readonly SocialRuleId[];
      /** The day the default last changed (`YYYY-MM-DD`), when it did. */
      readonly changed?: string;
    }
  >
> = {
  message: { opens: "always", rules: ["MSG-1", "IG-1"] },
  postback: { opens: "default", rules: ["OPEN-20"], changed: "2026-12-06" },
  reaction: { opens: "option", rules: ["OPEN-20"] },
  referral: { opens: "default", rules: ["OPEN-20"], changed: "2026-12-06" },
  storyMention: { opens: "option", rules: ["IG-4", "OPEN-20"] },
  read: { opens: "option", rules: ["OPEN-20"] },
  optin: { opens: "option", rules: ["OPEN-20"] },
};

/**
 * Whether `action` opens the window under the host's switches (OPEN-20): the switch when given,
 * else the action's default in {@link SOCIAL_ACTIONS}.
 *
 * @example
 * ```ts
 * opensWindow("referral", undefined);             //=> true  (default since 2026-12-06)
 * opensWindow("referral", { referral: false });   //=> false
 * opensWindow("reaction", { reaction: true });    //=> true
 * ```
 */
export function opensWindow(
  action: SocialActionKind,
  openOn: Readonly<Partial<Record<string, boolean>>> | undefined,
): boolean {
  const opens = SOCIAL_ACTIONS[action].opens;
  if (opens === "always") return true;
  const set = openOn?.[action];
  return set === undefined ? opens === "default" : set === true;
}

/**
 * A rule ID a Messenger / Instagram decision can cite.
 *
 * @example
 * ```ts
 * const id: SocialRuleId = "OPEN-10";
 * ```
 */
export type SocialRuleId = RuleId;

/**
 * A host's re-enabling of an update tag for `[from, until)` (OPEN-10). Instants are epoch ms or
 * `Date`s; an absent bound is open.
 *
 * @example
 * ```ts
 * const grant: UpdateTagGrant = { tag: "POST_PURCHASE_UPDATE", until: Date.parse("2026-12-31T00:00:00Z") };
 * ```
 */
export interface UpdateTagGrant {
  readonly tag: UpdateTag;
  readonly from?: Date | number;
  readonly until?: Date | number;
}

/** Epoch ms of a grant bound (already validated by the caller). */
const ms = (value: Date | number): number => (typeof value === "number" ? value : value.getTime());

/**
 * The update tags a host re-enabled that may be used on `channel` at `at` (OPEN-10, IG-3).
 * Never returns CONFIRMED_EVENT_UPDATE for Instagram, whatever the grant says (IG-3), and never
 * HUMAN_AGENT (that one is decided per sender, MSG-4).
 *
 * @example
 * ```ts
 * grantedUpdateTags("instagram", Date.parse("2026-06-01T00:00:00Z"), [
 *   { tag: "CONFIRMED_EVENT_UPDATE" },
 *   { tag: "ACCOUNT_UPDATE", from: Date.parse("2026-01-01T00:00:00Z") },
 * ]); //=> ["ACCOUNT_UPDATE"]
 * ```
 */
export function grantedUpdateTags(
  channel: SocialChannel,
  at: number,
  grants: readonly UpdateTagGrant[] | undefined,
): UpdateTag[] {
  const out: UpdateTag[] = [];
  if (grants === undefined) return out;
  for (const grant of grants) {
    const info = SOCIAL_TAGS[grant.tag];
    if (!info.channels.includes(channel)) continue;
    if (grant.from !== undefined && at < ms(grant.from)) continue;
    if (grant.until !== undefined && at >= ms(grant.until)) continue;
    if (!out.includes(grant.tag)) out.push(grant.tag);
  }
  return out;
}
