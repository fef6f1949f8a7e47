/**
 * Identity changes on stored threads (ID-6, ID-7, OPEN-15), built on the port's thread rows.
 *
 * - **Alias** (`alias`, `user-id-changed`): the two ids are one person. Their threads are unioned:
 *   the row of the lexicographically greater root id gets `redirect` → the smaller root id (a
 *   compare-and-set, so concurrent writers of the old row retry and follow the redirect), then the
 *   redirected row's state is merged into the surviving row with `mergeStates`. Redirects only
 *   ever point to a smaller id, so chains cannot loop. Replaying the event re-merges every row on
 *   the way, which repairs a crash between the two writes and otherwise changes nothing.
 * - **Number changed** (`number-changed`): a different number of the same person. Only the
 *   restrictions of the old thread (`restrictionsOnly`: opt-outs, marketing stops, limits, blocks)
 *   are merged into the new thread; windows and FEPs do not carry over (OPEN-15).
 *
 * @module
 */
import type { IdentityEvent } from "../domain/types.js";
import {
  type CasStep,
  casLoop,
  decodeState,
  type RetryOptions,
  readRoot,
  storeCall,
  updateThread,
} from "../store/cas.js";
import type { CareWindowStore, ThreadKey } from "../store/port.js";
import type { ThreadState } from "../window/state.js";
import { emptyState, mergeStates, restrictionsOnly } from "../window/state.js";

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
  retry: RetryOptions & { readonly field?: string } = {},
): Promise<{ readonly changed: boolean }> {
  const channel = event.channel ?? "whatsapp";
  const from: ThreadKey = { channel, business: event.business, customer: event.from };
  const to: ThreadKey = { channel, business: event.business, customer: event.to };
  if (event.from === event.to) return { changed: false };
  if (event.change === "number-changed") {
    const old = await readRoot(store, from);
    const carried =
      old.row === undefined ? emptyState() : restrictionsOnly(decodeState(old.row.state));
    const result = await updateThread(store, to, (s) => mergeStates(s, carried), retry);
    return { changed: result.changed };
  }
  return link(store, from, to, retry);
}

async function link(
  store: CareWindowStore,
  a: ThreadKey,
  b: ThreadKey,
  retry: RetryOptions & { readonly field?: string },
): Promise<{ readonly changed: boolean }> {
  const { value } = await casLoop<{ changed: boolean }>(
    async (): Promise<CasStep<{ changed: boolean }>> => {
      const ra = await readRoot(store, a);
      const rb = await readRoot(store, b);
      if (ra.key.customer === rb.key.customer) {
        // Already one thread: re-merge every frozen alias row on the way (repairs a crash
        // between the redirect write and the merge; otherwise changes nothing).
        let merged = emptyState();
        for (const hop of [...ra.via, ...rb.via])
          merged = mergeStates(merged, decodeState(hop.row.state));
        const r = await updateThread(store, ra.key, (s) => mergeStates(s, merged), retry);
        return { done: true, value: { changed: r.changed } };
      }
      const [keep, drop] = ra.key.customer < rb.key.customer ? [ra, rb] : [rb, ra];
      const dropState: ThreadState =
        drop.row === undefined ? emptyState() : decodeState(drop.row.state);
      const ok = await storeCall("writeThread", () =>
        store.writeThread(
          drop.key,
          { state: dropState, redirect: keep.key.customer },
          drop.row?.version ?? 0,
        ),
      );
      if (!ok) return { done: false };
      let carried = dropState;
      for (const hop of [...ra.via, ...rb.via])
        carried = mergeStates(carried, decodeState(hop.row.state));
      await updateThread(store, keep.key, (s) => mergeStates(s, carried), retry);
      return { done: true, value: { changed: true } };
    },
    retry,
  );
  return value;
}
