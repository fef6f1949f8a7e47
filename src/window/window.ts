/**
 * The one window evaluator: "open? until when? closed by what?" for a thread on any channel
 * (CSW-1, CSW-2, CSW-12, CSW-14, OPEN-2, OPEN-3, OPEN-19; MSG-1, MSG-2, MSG-4, IG-1, IG-2,
 * OPEN-20). {@link decide} and the timeline both read it, so a picture never disagrees with a
 * decision. Window arithmetic is epoch milliseconds: open iff `T <= now < T + 86_400_000`
 * (minus the host's safety margin), never calendar days.
 *
 * @module
 * @internal
 */
import { InvalidInputError } from "../domain/errors.js";
import type { Instant } from "../domain/types.js";
import { opensWindow, SOCIAL_WINDOWS, type SocialActionKind } from "../policy/social.js";
import { maxInstant, toInstant } from "./evaluate.js";
import type { DecideOptions, SocialOptions, UncertainInbound } from "./options.js";
import { DAY_MS, type ThreadState } from "./state.js";

const UNCERTAIN: readonly UncertainInbound[] = [
  "reaction",
  "system",
  "welcome",
  "unsupported",
  "edit",
  "revoke",
  "callPermission",
  "other",
];

/**
 * Messenger / Instagram actions besides messages, each switchable (OPEN-20): referrals and
 * postbacks open by default since 2026-12-06, the others only when switched on.
 */
export const OPTIONAL_ACTIONS: readonly Exclude<SocialActionKind, "message">[] = [
  "postback",
  "reaction",
  "referral",
  "storyMention",
  "read",
  "optin",
];

/**
 * Whether `[t, end)` holds `at`; a host clock behind the provider's (`at < t`) counts as open
 * unless the host says otherwise (OPEN-2).
 */
export const openAt = (t: Instant, end: Instant, at: Instant, behindOk: boolean): boolean =>
  at >= t ? at < end : behindOk && t < end;

/**
 * The end of the window that an inbound at `t` opens (CSW-2), and whether a re-engagement
 * failure at or after `t` (131047, CSW-12) ended it first.
 */
export function windowEnd(
  t: Instant,
  marginMs: number,
  failedAt: Instant | undefined,
): { readonly closesAt: Instant; readonly closedByError: boolean } {
  return { closesAt: closesAtOf(t, marginMs, failedAt), closedByError: closedByError(t, failedAt) };
}

/**
 * A re-engagement failure at or after `t` ended the window that `t` opened (131047, CSW-12; on
 * Messenger / Instagram code 10, ERR-31).
 */
const closedByError = (t: Instant, failedAt: Instant | undefined): boolean =>
  failedAt !== undefined && failedAt >= t;

/** `end`, the window's end by age, or the failure that closed it earlier (CSW-12, ERR-31). */
const endBefore = (end: Instant, t: Instant, failedAt: Instant | undefined): Instant =>
  closedByError(t, failedAt) && (failedAt as Instant) < end ? (failedAt as Instant) : end;

/** {@link windowEnd}'s `closesAt`, without an object (the decision's hot path). */
const closesAtOf = (t: Instant, marginMs: number, failedAt: Instant | undefined): Instant =>
  endBefore(t + DAY_MS - marginMs, t, failedAt);

/**
 * T: the provider timestamp of the latest qualifying inbound event (CSW-1, CSW-5, CSW-7,
 * OPEN-3), ignoring inbound from before Cloud API onboarding (CSW-14) or from a deregistered
 * period (OPEN-19).
 */
export function lastQualifyingInbound(
  state: ThreadState,
  options: DecideOptions,
  onboardedAt: Instant | undefined,
): Instant | undefined {
  const inbound = state.inbound;
  let t = maxInstant(inbound.message, inbound.call);
  const extra = options.openWindowOn;
  if (extra !== undefined) {
    for (const key of UNCERTAIN) if (extra[key] === true) t = maxInstant(t, inbound[key]);
  }
  if (t === undefined) return undefined;
  // Every class timestamp is ≤ t, so if t predates onboarding nothing qualifies.
  if (onboardedAt !== undefined && t < onboardedAt) return undefined;
  const periods = options.deregistered;
  return periods === undefined || !deregisteredAt(periods, t) ? t : undefined;
}

/**
 * Whether `t` falls in one of the host's deregistered periods (OPEN-19). A list changed in place
 * after its options passed gives the errors the options check gives (a missing period is named
 * as one, not by its `from`).
 */
function deregisteredAt(periods: NonNullable<DecideOptions["deregistered"]>, t: Instant): boolean {
  for (let i = 0; i < periods.length; i++) {
    const p: unknown = periods[i];
    if (typeof p !== "object" || p === null || Array.isArray(p)) {
      const field = `options.deregistered[${i}]`;
      throw new InvalidInputError("invalid-argument", `${field} must be { from, until }`, field);
    }
    const from = toInstant((p as { from?: unknown }).from, `options.deregistered[${i}].from`);
    const until = toInstant((p as { until?: unknown }).until, `options.deregistered[${i}].until`);
    if (t >= from && t < until) return true;
  }
  return false;
}

/**
 * The window of a thread at an instant, on any channel.
 *
 * `closedBy`: `none` while open (or never opened), `age` when 24 h (or the ad window) ran out,
 * `error` when a 131047 closed it early (CSW-12, WhatsApp only).
 */
export interface WindowEval {
  readonly lastInbound: Instant | undefined;
  readonly closesAt: Instant | undefined;
  readonly open: boolean;
  /** A 131047 after the latest inbound closed it (CSW-12). */
  readonly closedByError: boolean;
  /** The action that set T (Messenger / Instagram; `message` on WhatsApp). */
  readonly anchor: SocialActionKind | undefined;
  /** The ad-originated window's end when it runs past the standard one (MSG-2). */
  readonly adEnd: Instant | undefined;
  /** The standard window's end (T + 24 h − margin). */
  readonly standardEnd: Instant | undefined;
  /** The user's latest message (the HUMAN_AGENT anchor, MSG-4). */
  readonly lastMessage: Instant | undefined;
  /** HUMAN_AGENT end: last message + 7 days − margin (MSG-4, IG-2). */
  readonly humanEnd: Instant | undefined;
  /** A person may still reply with HUMAN_AGENT. */
  readonly humanOpen: boolean;
  /** Actions seen on the thread that do not open the window under the host's switches. */
  readonly ignored: readonly SocialActionKind[];
}

const NO_ACTIONS: readonly SocialActionKind[] = [];

const NONE: WindowEval = {
  lastInbound: undefined,
  closesAt: undefined,
  open: false,
  closedByError: false,
  anchor: undefined,
  adEnd: undefined,
  standardEnd: undefined,
  lastMessage: undefined,
  humanEnd: undefined,
  humanOpen: false,
  ignored: NO_ACTIONS,
};

/**
 * Evaluates the window of `state` at `at` (dispatching on the state's channel).
 *
 * @example
 * ```ts
 * evaluateWindow(state, Date.parse("2026-11-26T15:00:00Z"), {}).open; //=> true
 * ```
 */
export function evaluateWindow(
  state: ThreadState,
  at: Instant,
  options: DecideOptions,
  onboardedAt?: Instant,
  social?: SocialOptions,
): WindowEval {
  return state.channel === undefined
    ? whatsappWindow(state, at, options, onboardedAt)
    : socialWindow(state, at, options, social ?? options.social ?? {});
}

/**
 * {@link evaluateWindow} of a WhatsApp thread (the decision calls it directly: its facts are
 * WhatsApp's).
 *
 * @internal
 */
export function whatsappWindow(
  state: ThreadState,
  at: Instant,
  options: DecideOptions,
  onboardedAt: Instant | undefined,
): WindowEval {
  const t = lastQualifyingInbound(state, options, onboardedAt);
  if (t === undefined) return NONE;
  const margin = options.safetyMarginMs ?? 0;
  const failedAt = state.reengagementFailedAt;
  const closesAt = closesAtOf(t, margin, failedAt);
  const byError = closedByError(t, failedAt);
  const open = !byError && openAt(t, closesAt, at, options.openWhenClockBehind !== false);
  return {
    lastInbound: t,
    closesAt,
    open,
    closedByError: byError,
    anchor: "message",
    adEnd: undefined,
    standardEnd: closesAt,
    lastMessage: undefined,
    humanEnd: undefined,
    humanOpen: false,
    ignored: NO_ACTIONS,
  };
}

/**
 * {@link evaluateWindow} of a Messenger / Instagram thread.
 *
 * @internal
 */
export function socialWindow(
  state: ThreadState,
  at: Instant,
  options: DecideOptions,
  social: SocialOptions,
): WindowEval {
  const margin = options.safetyMarginMs ?? 0;
  const behindOk = options.openWhenClockBehind !== false;
  const inbound = state.inbound;
  // T: the latest window-opening user action (MSG-1, IG-1; OPEN-20 switches, IG-4).
  let t = inbound.message;
  let anchor: SocialActionKind | undefined = t === undefined ? undefined : "message";
  const ignored: SocialActionKind[] = [];
  for (const action of OPTIONAL_ACTIONS) {
    const seen = inbound[action];
    if (seen === undefined) continue;
    if (!opensWindow(action, social.openOn)) ignored.push(action);
    else if (t === undefined || seen > t) {
      t = seen;
      anchor = action;
    }
  }
  const standardEnd = t === undefined ? undefined : t + SOCIAL_WINDOWS.standardMs - margin;
  const adEnd = adWindowEnd(state.referral?.ad, t, standardEnd, social, margin);
  // ERR-31: a code 10 "outside of allowed window" at or after T closes the window like 131047.
  const failed = state.reengagementFailedAt;
  const byError = t !== undefined && closedByError(t, failed);
  const end = maxInstant(standardEnd, adEnd);
  const closesAt = t === undefined || end === undefined ? end : endBefore(end, t, failed);
  const open =
    !byError && t !== undefined && closesAt !== undefined && openAt(t, closesAt, at, behindOk);
  // MSG-4 / IG-2: HUMAN_AGENT runs 7 days from the user's last *message*.
  const lastMessage = inbound.message;
  const humanEnd =
    lastMessage === undefined ? undefined : lastMessage + SOCIAL_WINDOWS.humanAgentMs - margin;
  const humanOpen =
    social.humanAgent !== false &&
    lastMessage !== undefined &&
    humanEnd !== undefined &&
    openAt(lastMessage, humanEnd, at, behindOk);
  return {
    lastInbound: t,
    closesAt,
    open,
    closedByError: byError,
    anchor,
    adEnd,
    standardEnd,
    lastMessage,
    humanEnd,
    humanOpen,
    ignored,
  };
}

/**
 * MSG-2: an ad-originated window lasts up to 7 days when the host enables it (OPEN-20); its
 * anchor is the ad entry, provided a window-opening action came at or after it. Its end, when it
 * runs past the standard window's, or `undefined`.
 */
function adWindowEnd(
  ad: Instant | undefined,
  t: Instant | undefined,
  standardEnd: Instant | undefined,
  social: SocialOptions,
  margin: number,
): Instant | undefined {
  if (ad !== undefined && t !== undefined && t >= ad) {
    const end = ad + SOCIAL_WINDOWS.adMs[social.adWindow ?? "24h"] - margin;
    if (standardEnd === undefined || end > standardEnd) return end;
  }
  return undefined;
}
