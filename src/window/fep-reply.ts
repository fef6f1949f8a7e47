/**
 * The activating reply of a free entry point, read from the folded state (FEP-2, OPEN-1).
 *
 * An FEP starts at the business's first reply inside the entry message's 24-hour window, and the
 * estimated end runs from that reply (OPEN-1, confirmed 2026-12-06). The state keeps the earliest
 * send of each recent UTC day ({@link ThreadState.firstSends}) next to the newest sends
 * ({@link ThreadState.outbound}); both are joins, so the answer is the same for every order of
 * the same events. When the kept sends cannot prove which send came first after the entry, the
 * answer says so and the caller anchors on the entry itself, which is never later than the reply
 * (conservative: the estimate can only end early).
 *
 * Pure; no clock, no I/O.
 *
 * @module
 * @internal
 */
import type { Instant } from "../domain/types.js";
import { DAY_MS, FIRST_SENDS_KEPT, OUTBOUND_KEPT, type ThreadState } from "./state.js";

/**
 * The first business send in `[entry, entry + 24 h)`: `at`, and whether the kept sends prove it
 * is the first (`exact`). `undefined` when no send in that window is known.
 *
 * @example
 * ```ts
 * activatingReply(state, entry); //=> { at: 1_795_684_000_000, exact: true }
 * ```
 */
export function activatingReply(
  state: ThreadState,
  entry: Instant,
): { readonly at: Instant; readonly exact: boolean } | undefined {
  const deadline = entry + DAY_MS;
  const firsts = state.firstSends ?? [];
  let at: Instant | undefined;
  const consider = (t: Instant): void => {
    if (t >= entry && t < deadline && (at === undefined || t < at)) at = t;
  };
  for (const t of firsts) consider(t);
  for (const t of state.outbound) consider(t);
  if (at === undefined) return undefined;

  const day = Math.floor(entry / DAY_MS);
  const sameDay = firsts.find((t) => Math.floor(t / DAY_MS) === day);
  // The day's first send is at or after the entry: every send that day is, so it is the first.
  if (sameDay !== undefined && sameDay >= entry) return { at, exact: true };
  const oldestKeptDay =
    firsts.length < FIRST_SENDS_KEPT
      ? Number.NEGATIVE_INFINITY
      : Math.floor((firsts[firsts.length - 1] as Instant) / DAY_MS);
  // No send at all on the entry's day (and that day is still covered): the next day's first is.
  if (sameDay === undefined && day >= oldestKeptDay) return { at, exact: true };
  // Otherwise the newest sends must reach back to the entry to rule out an earlier reply.
  const out = state.outbound;
  const covered = out.length < OUTBOUND_KEPT || (out[out.length - 1] as Instant) <= entry;
  return { at, exact: covered };
}
