/**
 * The coverage guard of the one event contract (`event.ts`), checked by the compiler: the contract
 * names every field of every event type, so a field added in `event-types.ts` without a line in
 * the contract fails to type-check.
 *
 * @module
 */
import type {
  CallEvent,
  ConsentEvent,
  IdentityEvent,
  InboundEvent,
  OutboundEvent,
  StatusEvent,
  TemplateCategoryEvent,
} from "./types.js";

/**
 * Compile-time guard that the contract describes every field of every event type: adding a field
 * to an event in `event-types.ts` without a line in `checkEvent` (`event.ts`) and here fails to
 * type-check. Each entry names the fields `check` copies for that kind.
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
