/**
 * The shape of the compact per-thread state: {@link ThreadState}, its parts, its bounds and
 * {@link emptyState}. The fold and the shape check live in `state.ts`, the join in
 * `state-merge.ts` and the fold of each event kind in `state-event.ts`.
 *
 * @module
 */

import type { Channel, ConsentScope, Instant } from "../domain/types.js";

/**
 * Inbound classes the state keeps one latest provider timestamp for.
 *
 * - `message`: CSW-7 user messages (Messenger/Instagram: a user message, MSG-1).
 * - `call`: a user call, or a business call the user accepted (CSW-5).
 * - `reaction`, `system`, `welcome` (`request_welcome`), `unsupported` (also legacy `unknown`),
 *   `edit`, `revoke`, `callPermission` (`interactive.call_permission_reply`), `other` (any
 *   future type): OPEN-3, off by default.
 * - `postback`, `referral`: Messenger / Instagram actions that open the window by default;
 *   `storyMention`, `read`, `optin`: off by default (OPEN-20, switchable either way).
 *
 * @example
 * ```ts
 * const c: InboundClass = "reaction";
 * ```
 */
export type InboundClass =
  | "message"
  | "call"
  | "reaction"
  | "system"
  | "welcome"
  | "unsupported"
  | "edit"
  | "revoke"
  | "callPermission"
  | "other"
  | "postback"
  | "storyMention"
  | "referral"
  | "read"
  | "optin";

/**
 * The latest consent record of one scope: opt-in or opt-out, when, and from which source
 * (CONSENT-1 … CONSENT-4). Only the latest record per scope matters: an opt-out is lifted only by
 * a later opt-in of its scope (or of `all`), so an older record can never change a decision. On a
 * tie the opt-out wins (conservative). Sources are kept to {@link CONSENT_SOURCE_MAX} characters.
 *
 * @example
 * ```ts
 * const r: ConsentRecord = { at: 1_795_683_600_000, action: "opt-in", source: "checkout-form" };
 * ```
 */
export interface ConsentRecord {
  readonly at: Instant;
  readonly action: "opt-in" | "opt-out";
  readonly source: string;
}

/** The longest consent source kept in the state (the event's own source is not limited). */
export const CONSENT_SOURCE_MAX = 32;

/**
 * Two competing toggles (stop/resume, block/unblock): the later instant wins, a tie goes to the
 * restrictive side.
 *
 * @example
 * ```ts
 * const t: Toggle = { on: 1_795_683_600_000 };
 * ```
 */
export interface Toggle {
  /** Latest instant of the restrictive value (stop, block). */
  readonly on?: Instant;
  /** Latest instant of the lifting value (resume, unblock). */
  readonly off?: Instant;
}

/**
 * The compact, JSON-safe state of one thread, folded from its events.
 *
 * Treat it as opaque data: read it through {@link decide} and the helpers, store it as JSON.
 * `v` is the schema version; {@link migrateState} upgrades older stored shapes. The states the
 * fold returns are sealed (deeply frozen and remembered), so decisions skip their shape check;
 * build a new state rather than writing to one.
 *
 * @example
 * ```ts
 * const state = foldEvents(emptyState(), events);
 * JSON.stringify(state).length; // small, whatever the history length
 * ```
 */
export interface ThreadState {
  readonly v: 1;
  /** Absent for WhatsApp. */
  readonly channel?: Exclude<Channel, "whatsapp">;
  /** Latest provider timestamp per inbound class (CSW-3, CSW-4). */
  readonly inbound: Readonly<Partial<Record<InboundClass, Instant>>>;
  /** Latest inbound carrying an ad / post referral (FEP-1, FEP-6, OPEN-4; MSG-2). */
  readonly referral?: { readonly ad?: Instant; readonly post?: Instant };
  /** The most recent business sends, newest first, at most {@link OUTBOUND_KEPT} (FEP-2). */
  readonly outbound: readonly Instant[];
  /** Latest 131047 / 470 / 63016 failure of a free-form send (CSW-12, ERR-3, ERR-4). */
  readonly reengagementFailedAt?: Instant;
  /** Latest platform FEP end (`conversation.expiration_timestamp`, FEP-3, FEP-7). */
  readonly fepEndsAt?: Instant;
  /** Latest status proving a delivery inside an FEP (`pricing.type` = `free_entry_point`, FEP-7). */
  readonly fepSeenAt?: Instant;
  /** Host-recorded consent per scope (CONSENT-1 … CONSENT-4). */
  readonly consent: Readonly<Partial<Record<ConsentScope, ConsentRecord>>>;
  /** Marketing stop / resume (CONSENT-5, CONSENT-6). */
  readonly marketing?: Toggle;
  /** Business block / unblock (CONSENT-9, ERR-15). */
  readonly blocked?: Toggle;
  /** Per-user marketing limit (131049): no marketing before this instant (CONSENT-7, ERR-6). */
  readonly marketingLimitedUntil?: Instant;
  /** The latest failure seen on this thread, for explanations (ERR-*). */
  readonly lastError?: { readonly code: number; readonly at: Instant };
  /**
   * Customer ids this number changed to (`number-changed`, OPEN-15), sorted, at most
   * {@link MOVED_KEPT}: restrictions recorded here after the change still reach them (issue 10).
   */
  readonly movedTo?: readonly string[];
  /** What earlier numbers of this customer carried over (OPEN-15; {@link CarriedOver}). */
  readonly carried?: CarriedOver;
  /** Latest marketing template sent (host rules such as `marketingCooldown`). */
  readonly lastMarketingAt?: Instant;
  /**
   * The earliest business send of each of the {@link FIRST_SENDS_KEPT} most recent UTC days
   * with a send, newest first: the activating reply of a free entry point is found here even
   * after many later sends, whatever order the events arrive in (FEP-2, OPEN-1).
   */
  readonly firstSends?: readonly Instant[];
  /**
   * 131064 (ERR-30): the latest failure (`at`) and the latest enforcement end the host or platform
   * gave (`until`). A failure later than every known end has no known end.
   */
  readonly accountLimited?: { readonly at: Instant; readonly until?: Instant };
  /** Messenger 10 / 1893063 (ERR-33): the latest "page temporarily restricted" failure. */
  readonly pageRestrictedAt?: Instant;
  /**
   * Messenger / Instagram code 100 on an update tag (ERR-32, MSG-5): the latest refusal per tag.
   * Only the three update tags are kept (bounded).
   */
  readonly tagRefusedAt?: Readonly<Partial<Record<RefusableTag, Instant>>>;
}

/**
 * The restrictive side of a toggle is in force: a stop or block no later resume or unblock
 * lifted (a tie is restrictive; CONSENT-5, CONSENT-9).
 *
 * @example
 * ```ts
 * isOn({ on: 5, off: 3 }); //=> true
 * ```
 */
export const isOn = (toggle: Toggle | undefined): boolean =>
  toggle?.on !== undefined && (toggle.off === undefined || toggle.on >= toggle.off);

/**
 * Whether `record` is an opt-out in force (CONSENT-4): an opt-out that no later opt-in of
 * everything (`all`, the same map's `all` record) lifted. For the `all` scope pass its record
 * twice.
 *
 * @example
 * ```ts
 * optOutHolds({ at: 5, action: "opt-out", source: "f" }, undefined); //=> true
 * ```
 */
export const optOutHolds = (
  record: ConsentRecord | undefined,
  all: ConsentRecord | undefined,
): record is ConsentRecord =>
  record?.action === "opt-out" && !(all?.action === "opt-in" && all.at > record.at);

/**
 * What a number change carried here (OPEN-15): the earlier number's consent records and toggles,
 * and what it carried itself one level down. Decisions read what is in force there as
 * restrictions only.
 *
 * @example
 * ```ts
 * const carried: CarriedOver = { consent: {}, marketing: { on: 1_795_683_600_000 } };
 * ```
 */
export interface CarriedOver {
  readonly consent: Readonly<Partial<Record<ConsentScope, ConsentRecord>>>;
  readonly marketing?: Toggle;
  readonly blocked?: Toggle;
  readonly carried?: CarriedOver;
}

/** How many levels of {@link CarriedOver} a state keeps; a longer chain joins its oldest levels. */
export const CARRIED_DEPTH = 4;

/**
 * The message tags whose refusals the state keeps (ERR-32, MSG-5).
 *
 * @example
 * ```ts
 * const t: RefusableTag = "ACCOUNT_UPDATE";
 * ```
 */
export type RefusableTag = "CONFIRMED_EVENT_UPDATE" | "POST_PURCHASE_UPDATE" | "ACCOUNT_UPDATE";

/** The {@link RefusableTag}s, in the order a merge writes them. */
export const REFUSABLE_TAGS: readonly RefusableTag[] = [
  "CONFIRMED_EVENT_UPDATE",
  "POST_PURCHASE_UPDATE",
  "ACCOUNT_UPDATE",
];

/** How many days of first sends the state keeps: an FEP lasts at most 7 days, plus its entry day. */
export const FIRST_SENDS_KEPT = 9;

/** How many new-number ids a state keeps (a union that keeps the smallest ids: still a join). */
export const MOVED_KEPT = 8;

/** How many recent business-send instants the state keeps. */
export const OUTBOUND_KEPT = 4;

/**
 * A new, empty thread state.
 *
 * @example
 * ```ts
 * emptyState(); //=> { v: 1, inbound: {}, outbound: [], consent: {} }
 * ```
 */
export function emptyState(): ThreadState {
  return { v: 1, inbound: {}, outbound: [], consent: {} };
}
