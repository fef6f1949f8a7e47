/**
 * Identity changes on stored threads (ID-6, ID-7, OPEN-15), built on the port's thread rows.
 *
 * - **Alias** (`alias`, `user-id-changed`): the two ids are one person. Their threads are unioned:
 *   first the state of the lexicographically greater root id is merged into the smaller root id's
 *   row with `mergeStates` (an idempotent join), then the greater root's row gets `redirect` → the
 *   smaller id, with a compare-and-set at the version that was merged (a writer that changed the
 *   row meanwhile makes the link go round again). A crash between the two writes leaves the data
 *   in both rows (duplicated, never missing) and the replayed event completes the link. Redirects
 *   only ever point to a smaller id, so chains cannot loop. A link that already exists costs one
 *   read.
 * - **Number changed** (`number-changed`): a different number of the same person. Only the
 *   restrictions of the old thread (`carriedOver`: its consent records and stop / block toggles
 *   under `carried`, read as restrictions only, and its limits) are merged into the new thread;
 *   windows and FEPs do not carry over (OPEN-15).
 *
 * @module
 */
import type { IdentityEvent } from "../domain/types.js";
import {
  type CasStep,
  casLoop,
  decodeState,
  followRedirects,
  type RetryOptions,
  readRoot,
  storeCall,
  updateThread,
} from "../store/cas.js";
import type { CareWindowStore, ThreadKey } from "../store/port.js";
import type { ThreadState } from "../window/state.js";
import { carriedOver, emptyState, mergeStates } from "../window/state.js";

/**
 * Applies one identity event to the store. Idempotent; safe under concurrent writers.
 *
 * @example
 * ```ts
 * await applyIdentity(store, { kind: "identity", change: "alias", business: "1065",
 *   from: "5511987654321", to: "BR.1502576394655843", at: 1_795_683_600_000 });
 * ```
 */
export async function applyIdentity(
  store: CareWindowStore,
  event: IdentityEvent,
  retry: RetryOptions & { readonly field?: string; readonly carryWindows?: boolean } = {},
): Promise<{ readonly changed: boolean }> {
  const channel = event.channel ?? "whatsapp";
  const from: ThreadKey = { channel, business: event.business, customer: event.from };
  const to: ThreadKey = { channel, business: event.business, customer: event.to };
  if (event.from === event.to) return { changed: false };
  if (event.change === "number-changed") {
    const old = await readRoot(store, from);
    const oldState = old.row === undefined ? emptyState() : decodeState(old.row.state);
    // OPEN-15: restrictions only, unless the host opted to carry windows over too (never the
    // old number's own `movedTo`: its changes are its own).
    const carried = retry.carryWindows === true ? withoutMoved(oldState) : carriedOver(oldState);
    const result = await updateThread(store, to, (s) => mergeStates(s, carried), retry);
    // Issue 10: mark the old number, so restrictions that arrive after the change (Meta delivers
    // out of order) are forwarded to the new one by `forwardMoved`.
    const marked = await updateThread(
      store,
      from,
      (s) => mergeStates(s, { ...emptyState(), movedTo: [event.to] }),
      retry,
    );
    if (result.changed || marked.changed) {
      // A restriction may have reached the old number between the read above and the mark.
      await forwardMoved(store, marked.key, marked.state, retry);
    }
    // What the new number now carries goes on to any number it moved to itself (a chain).
    if (result.changed) await forwardMoved(store, result.key, result.state, retry);
    return { changed: result.changed || marked.changed };
  }
  return link(store, from, to, retry);
}

/**
 * Forwards what a changed number carries (OPEN-15: its restrictions, or everything with
 * `carryWindows`) to every number it moved to, and on down a chain of changes while the
 * targets change. Joins only, so running it again, or in any order with the change itself,
 * gives the same states.
 *
 * @example
 * ```ts
 * await forwardMoved(store, oldKey, oldState); // no-op unless oldState.movedTo is set
 * ```
 */
export async function forwardMoved(
  store: CareWindowStore,
  key: ThreadKey,
  state: ThreadState,
  retry: RetryOptions & { readonly field?: string; readonly carryWindows?: boolean } = {},
  budget: { left: number } = { left: FORWARDS_MAX },
): Promise<void> {
  if (state.movedTo === undefined) return;
  const carried = retry.carryWindows === true ? withoutMoved(state) : carriedOver(state);
  for (const customer of state.movedTo) {
    const r = await updateThread(
      store,
      { ...key, customer },
      (s) => mergeStates(s, carried),
      retry,
    );
    // On down the chain while something changes. A cycle of changes (X → Y → X), or an id that an
    // alias made part of this very thread, settles on the same states in any order: the least
    // fixed point of joins over bounded states (`CARRIED_DEPTH`). A target that did not change
    // has forwarded what it holds already.
    if (r.changed && --budget.left > 0) await forwardMoved(store, r.key, r.state, retry, budget);
  }
}

/**
 * How many forwards one call may make: far more than a cycle of changes needs to settle (each
 * round nests what is carried one level deeper, at most `CARRIED_DEPTH`), and a bound on
 * whatever else.
 */
const FORWARDS_MAX = 256;

/** `state` without the numbers it moved to (what `carryWindowsOnNumberChange` carries). */
function withoutMoved(state: ThreadState): ThreadState {
  const { movedTo: _moved, ...rest } = state;
  return rest as ThreadState;
}

async function link(
  store: CareWindowStore,
  a: ThreadKey,
  b: ThreadKey,
  retry: RetryOptions & { readonly field?: string; readonly carryWindows?: boolean },
): Promise<{ readonly changed: boolean }> {
  const [small, big] = a.customer < b.customer ? [a, b] : [b, a];
  // Fast path, one read: the greater id already redirects to the smaller one. A redirect is only
  // ever written after its row's state was merged into the target, so nothing is left to do.
  const bigRow = await storeCall("readThread", () => store.readThread(big));
  if (bigRow?.redirect === small.customer) return { changed: false };
  const { value } = await casLoop<{ changed: boolean }>(
    async (attempt): Promise<CasStep<{ changed: boolean }>> => {
      const rb =
        attempt === 1 ? await followRedirects(store, big, bigRow) : await readRoot(store, big);
      const rs = await readRoot(store, small);
      // Alias rows passed through: their states are frozen and already in their roots; merging
      // them again changes nothing, but repairs links that care-window 0.1.0 interrupted between
      // its redirect and its merge.
      let frozen = emptyState();
      for (const hop of [...rs.via, ...rb.via])
        frozen = mergeStates(frozen, decodeState(hop.row.state));
      if (rs.key.customer === rb.key.customer) {
        const r = await updateThread(store, rs.key, (s) => mergeStates(s, frozen), retry);
        return { done: true, value: { changed: r.changed } };
      }
      const [keep, drop] = rs.key.customer < rb.key.customer ? [rs, rb] : [rb, rs];
      const dropState: ThreadState =
        drop.row === undefined ? emptyState() : decodeState(drop.row.state);
      const carried = mergeStates(dropState, frozen);
      // 1. Merge the dropped row's state into the kept row (an idempotent join). A crash after
      //    this step leaves the data in both rows: duplicated, never missing.
      const merged = await updateThread(store, keep.key, (s) => mergeStates(s, carried), retry);
      // Issue 10 / OPEN-15: a linked id's restrictions reach any number the person moved to.
      if (merged.changed) await forwardMoved(store, merged.key, merged.state, retry);
      // 2. Redirect the dropped row, compare-and-set at the version whose state was merged. If a
      //    writer changed it meanwhile, go round again and merge its new state too.
      const ok = await storeCall("writeThread", () =>
        store.writeThread(
          drop.key,
          { state: drop.row?.state ?? emptyState(), redirect: merged.key.customer },
          drop.row?.version ?? 0,
        ),
      );
      return ok ? { done: true, value: { changed: true } } : { done: false };
    },
    retry,
  );
  return value;
}
