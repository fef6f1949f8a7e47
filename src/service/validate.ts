/**
 * Validation and normalisation of the service's public inputs: threads and events. Bad input
 * gets an {@link InvalidInputError} naming the field (`events[3].at`, `thread.customer`, …).
 * Events are checked by the one event contract, `domain/event.ts` (issue 10).
 * Strings a store could never save (U+0000, lone surrogates) are bad input too: rejected here,
 * they would otherwise fail as `StoreFailureError` on every retry.
 *
 * @module
 */
import { InvalidInputError } from "../domain/errors.js";
import { parseEvent, unstorableText } from "../domain/event.js";
import type { CareEvent, Channel, Instant, StatusEvent, Thread } from "../domain/types.js";
import type { ThreadKey } from "../store/port.js";

/**
 * A {@link CareEvent} as accepted by `record`: instants may be `Date`s or epoch-ms numbers; they
 * are normalised to epoch ms.
 *
 * @example
 * ```ts
 * const e: CareEventInput = {
 *   kind: "inbound", id: "wamid.A", type: "text", at: new Date("2026-11-26T09:00:00Z"),
 *   thread: { business: "106540352242922", customer: "5511987654321" },
 * };
 * ```
 */
export type CareEventInput = DatedEvent<CareEvent>;

/**
 * Distributes over the event union, widening instants to `Instant | Date`.
 *
 * @example
 * ```ts
 * type In = DatedEvent<InboundEvent>; // InboundEvent with `at: Instant | Date`
 * ```
 */
export type DatedEvent<E> = E extends CareEvent
  ? Omit<E, "at" | "conversationExpiresAt" | "retryAfter"> & {
      readonly at: Instant | Date;
    } & (E extends StatusEvent
        ? {
            readonly conversationExpiresAt?: Instant | Date;
            readonly retryAfter?: Instant | Date;
          }
        : unknown)
  : never;

const CHANNELS: ReadonlySet<string> = new Set(["whatsapp", "messenger", "instagram"]);

const fail = (
  field: string,
  message: string,
  code: "invalid-event" | "invalid-argument",
): never => {
  throw new InvalidInputError(code, `${field} ${message}`, field);
};

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export { unstorableText };

/**
 * Throws an {@link InvalidInputError} naming `field` when `text` cannot be stored
 * ({@link unstorableText}).
 *
 * @example
 * ```ts
 * assertStorable("order_update", "intent.name", "invalid-intent"); // ok
 * assertStorable("a\u0000", "intent.name", "invalid-intent"); // throws, field "intent.name"
 * ```
 */
export function assertStorable(
  text: string,
  field: string,
  code: "invalid-event" | "invalid-argument" | "invalid-intent",
): void {
  const problem = unstorableText(text);
  if (problem !== undefined) throw new InvalidInputError(code, `${field} ${problem}`, field);
}

/**
 * Validates a thread and returns its storage key (channel defaults to `"whatsapp"`).
 *
 * @example
 * ```ts
 * threadKey({ business: "1065", customer: "5511" }); //=> { channel: "whatsapp", business: "1065", customer: "5511" }
 * threadKey({ business: "", customer: "5511" }); // throws, field "thread.business"
 * ```
 */
export function threadKey(
  thread: unknown,
  field = "thread",
  code: "invalid-event" | "invalid-argument" = "invalid-argument",
): ThreadKey {
  if (!isObject(thread)) return fail(field, "must be an object { business, customer }", code);
  const { business, customer, channel } = thread;
  if (typeof business !== "string" || business.length === 0) {
    return fail(`${field}.business`, "must be a non-empty string", code);
  }
  if (typeof customer !== "string" || customer.length === 0) {
    return fail(`${field}.customer`, "must be a non-empty string", code);
  }
  assertStorable(business, `${field}.business`, code);
  assertStorable(customer, `${field}.customer`, code);
  if (channel !== undefined && (typeof channel !== "string" || !CHANNELS.has(channel))) {
    return fail(`${field}.channel`, 'must be "whatsapp", "messenger" or "instagram"', code);
  }
  return { channel: (channel ?? "whatsapp") as Channel, business, customer };
}

/**
 * The canonical {@link Thread} of a key (channel omitted for WhatsApp).
 *
 * @example
 * ```ts
 * keyThread({ channel: "whatsapp", business: "1065", customer: "5511" }); //=> { business: "1065", customer: "5511" }
 * ```
 */
export function keyThread(key: ThreadKey): Thread {
  return key.channel === "whatsapp"
    ? { business: key.business, customer: key.customer }
    : { channel: key.channel, business: key.business, customer: key.customer };
}

/**
 * A string identity of a thread key, for grouping.
 *
 * @example
 * ```ts
 * keyId({ channel: "whatsapp", business: "1065", customer: "5511" }); //=> '["whatsapp","1065","5511"]'
 * ```
 */
export function keyId(key: ThreadKey): string {
  return JSON.stringify([key.channel, key.business, key.customer]);
}

/**
 * Validates events at the public boundary and returns normalised copies (`at` and the other
 * instants as epoch ms, `thread.channel` omitted for WhatsApp). Throws
 * {@link InvalidInputError} naming the first bad field, e.g. `events[3].at`.
 *
 * @example
 * ```ts
 * normalizeEvents([{ kind: "inbound", id: "w", type: "text", at: new Date(0), thread }])[0].at; //=> 0
 * normalizeEvents([{ kind: "inbound", id: "w", type: "text", at: "yesterday", thread }]); // throws, field "events[0].at"
 * ```
 */
export function normalizeEvents(events: unknown, field = "events"): CareEvent[] {
  if (!Array.isArray(events)) {
    return fail(field, "must be an array of events", "invalid-argument");
  }
  return events.map((raw, i) => parseEvent(raw, `${field}[${i}]`));
}
