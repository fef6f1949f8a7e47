/**
 * The one event contract (issue 10): the single description of a {@link CareEvent}, zod-free so
 * the package root stays light.
 *
 * {@link checkEvent} validates an unknown value and, when it is an event, returns a normalised
 * copy built field by field as the domain types (so the compiler checks this description against
 * `types.ts`: a field added there without a line here does not type-check where it is required,
 * and an unknown field of the input is never copied). The service's `record` uses it at its
 * boundary, and both channel edges (WhatsApp, Messenger / Instagram) pass every event they emit
 * through it, so what an edge emits is, by construction, what `record` accepts: a bad item becomes
 * a webhook issue at the edge instead of refusing its whole batch.
 *
 * Instants (CSW-3, EVT-bounds): a `Date` or finite epoch-millisecond number that a `Date` can hold,
 * not before 2009-01-01T00:00:00Z (the WhatsApp Business Platform did not exist; a smaller value is
 * almost always Unix seconds, and the error says so). Text a store could never save (U+0000, lone
 * surrogates) is refused too: it would otherwise fail as `StoreFailureError` on every retry.
 *
 * This module is the contract's public face; the values (instants, text, the field checkers) are
 * in `event-values.ts` and the description of each event kind in `event-kinds.ts`.
 *
 * @module
 */
import { InvalidInputError } from "./errors.js";
import { check } from "./event-kinds.js";
import { instantProblem, Refusal } from "./event-values.js";
import type {
  CallEvent,
  CareEvent,
  ConsentEvent,
  IdentityEvent,
  InboundEvent,
  Instant,
  OutboundEvent,
  StatusEvent,
  TemplateCategoryEvent,
} from "./types.js";

export {
  EARLIEST_INSTANT,
  instantProblem,
  LATEST_INSTANT,
  unstorableText,
} from "./event-values.js";

/**
 * The result of {@link checkEvent}: the normalised event, or the first bad field and why.
 *
 * @example
 * ```ts
 * const r: EventCheck = checkEvent(raw, "events[0]");
 * if (!r.ok) console.log(r.field, r.message);
 * ```
 */
export type EventCheck =
  | { readonly ok: true; readonly event: CareEvent }
  | { readonly ok: false; readonly field: string; readonly message: string };

/**
 * Normalises an event instant to epoch ms, or throws {@link InvalidInputError} naming `field`.
 *
 * @example
 * ```ts
 * toEventInstant(new Date("2026-11-26T09:00:00Z"), "events[0].at"); //=> 1795683600000
 * toEventInstant(1_795_683_600, "events[0].at"); // throws: looks like Unix seconds
 * ```
 */
export function toEventInstant(value: unknown, field: string): Instant {
  const problem = instantProblem(value);
  if (problem !== undefined)
    throw new InvalidInputError("invalid-event", `${field} ${problem}`, field);
  return value instanceof Date ? value.getTime() : (value as number);
}

/**
 * Checks one event against the contract; never throws. On success `event` is a normalised copy
 * (instants in epoch ms, `thread.channel` omitted for WhatsApp, unknown fields dropped).
 *
 * @example
 * ```ts
 * checkEvent({ kind: "inbound", id: "w", type: "text", at: new Date("2026-11-26T09:00:00Z"), thread }).ok; //=> true
 * checkEvent({ kind: "inbound", id: "", type: "text", at: 0, thread }, "events[0]");
 * //=> { ok: false, field: "events[0].id", message: "must be a non-empty string" }
 * ```
 */
export function checkEvent(raw: unknown, field = "event"): EventCheck {
  try {
    return { ok: true, event: check(raw, field) };
  } catch (error) {
    if (error instanceof Refusal) return { ok: false, field: error.field, message: error.message };
    throw error;
  }
}

/**
 * Checks one event and returns its normalised copy, or throws {@link InvalidInputError}
 * (`invalid-event`) naming the first bad field.
 *
 * @example
 * ```ts
 * parseEvent({ kind: "block", value: "block", at: 1_795_683_600_000, thread }).kind; //=> "block"
 * parseEvent({ kind: "block", value: "maybe", at: 1_795_683_600_000, thread }, "events[2]"); // throws, field "events[2].value"
 * ```
 */
export function parseEvent(raw: unknown, field = "event"): CareEvent {
  const r = checkEvent(raw, field);
  if (r.ok) return r.event;
  throw new InvalidInputError("invalid-event", `${r.field} ${r.message}`, r.field);
}

/**
 * Compile-time guard that this module describes every field of every event type: adding a field
 * to an event in `types.ts` without a line in {@link checkEvent} (and here) fails to type-check.
 * Each entry names the fields `check` copies for that kind.
 */
type Covers<E> = { readonly [K in keyof Required<E>]: true };
export const CONTRACT_FIELDS: {
  readonly inbound: Covers<InboundEvent>;
  readonly call: Covers<CallEvent>;
  readonly outbound: Covers<OutboundEvent>;
  readonly status: Covers<StatusEvent>;
  readonly consent: Covers<ConsentEvent>;
  readonly "template-category": Covers<TemplateCategoryEvent>;
  readonly identity: Covers<IdentityEvent>;
} = {
  inbound: {
    kind: true,
    id: true,
    type: true,
    at: true,
    thread: true,
    subtype: true,
    referral: true,
    action: true,
  },
  call: { kind: true, id: true, direction: true, phase: true, at: true, thread: true },
  outbound: {
    kind: true,
    id: true,
    message: true,
    at: true,
    thread: true,
    type: true,
    category: true,
    echo: true,
  },
  status: {
    kind: true,
    id: true,
    status: true,
    at: true,
    thread: true,
    pricing: true,
    conversationExpiresAt: true,
    conversationId: true,
    origin: true,
    errors: true,
    message: true,
    type: true,
    retryAfter: true,
    errorSubcode: true,
    tag: true,
  },
  consent: { kind: true, action: true, scope: true, source: true, at: true, thread: true },
  "template-category": {
    kind: true,
    name: true,
    category: true,
    at: true,
    account: true,
    language: true,
    status: true,
  },
  identity: {
    kind: true,
    change: true,
    from: true,
    to: true,
    at: true,
    business: true,
    channel: true,
  },
};
