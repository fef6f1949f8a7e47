/**
 * `messengerSendFailure`: a failed Messenger / Instagram Send API response in, the `failed`
 * status event the fold understands out (ERR-31, ERR-32, ERR-33). Messenger reports these errors
 * only synchronously, in the response to the send, so the host turns the response into an event
 * and records it.
 *
 * @module
 */
import { InvalidInputError } from "../domain/errors.js";
import type { Instant, StatusEvent, Thread } from "../domain/types.js";

/**
 * What {@link messengerSendFailure} needs.
 *
 * @example
 * ```ts
 * const input: MessengerSendFailureInput = {
 *   thread: { channel: "messenger", business: "104857372012345", customer: "6024153281234567" },
 *   at: Date.parse("2026-11-27T10:00:00Z"),
 *   response: { error: { code: 10, error_subcode: 2018278, message: "(#10) This message is sent outside of allowed window." } },
 * };
 * ```
 */
export interface MessengerSendFailureInput {
  /** A Messenger or Instagram thread. */
  readonly thread: Thread;
  /** When the send failed (epoch ms or `Date`). */
  readonly at: Instant | Date;
  /** The parsed JSON body of the Send API's error response: `{ error: { code, error_subcode } }`. */
  readonly response: unknown;
  /** The message tag the send carried, if any (ERR-32). */
  readonly tag?: string;
  /** The event id; default `send-failure:<customer>:<at>`. */
  readonly id?: string;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/** An integer code given as a number or a digit string (ERR-1: codes, never titles). */
function code(value: unknown): number | undefined {
  const n = typeof value === "string" && /^\d{1,9}$/.test(value) ? Number(value) : value;
  return typeof n === "number" && Number.isSafeInteger(n) ? n : undefined;
}

/**
 * Turns a failed Messenger / Instagram Send API response into a `failed` {@link StatusEvent}:
 * - code 10 with subcode 1893063: the page is temporarily restricted; every send from it is
 *   blocked until the host clears it (ERR-33, `account.restrictionsClearedAt`);
 * - any other code 10 ("outside of allowed window"): the thread's window closes, as 131047 does
 *   on WhatsApp (ERR-31);
 * - code 100 on an update tag (from 2026-04-27): that tag is never offered again (ERR-32).
 *
 * Returns `undefined` when the body carries no numeric `error.code` (not an error response).
 * Throws {@link InvalidInputError} for a thread that is not Messenger / Instagram or a bad `at`.
 *
 * @example
 * ```ts
 * const event = messengerSendFailure({
 *   thread: { channel: "messenger", business: "104857372012345", customer: "6024153281234567" },
 *   at: Date.parse("2026-11-27T10:00:00Z"),
 *   response: { error: { code: 10, error_subcode: 1893063 } },
 * });
 * event?.errors;       //=> [10]
 * event?.errorSubcode; //=> 1893063
 * await care.record(event ? [event] : []);
 * ```
 */
export function messengerSendFailure(input: MessengerSendFailureInput): StatusEvent | undefined {
  if (!isObject(input)) throw new InvalidInputError("invalid-argument", "input must be an object");
  const { thread, tag, id } = input;
  if (!isObject(thread) || (thread.channel !== "messenger" && thread.channel !== "instagram")) {
    throw new InvalidInputError(
      "invalid-argument",
      'thread.channel must be "messenger" or "instagram"',
      "thread.channel",
    );
  }
  const at = input.at instanceof Date ? input.at.getTime() : input.at;
  if (typeof at !== "number" || !Number.isFinite(at)) {
    throw new InvalidInputError(
      "invalid-argument",
      "at must be a valid Date or a finite epoch-millisecond number",
      "at",
    );
  }
  if (tag !== undefined && typeof tag !== "string") {
    throw new InvalidInputError("invalid-argument", "tag must be a string", "tag");
  }
  const error = isObject(input.response) ? input.response["error"] : undefined;
  const main = isObject(error) ? code(error["code"]) : undefined;
  if (main === undefined || !isObject(error)) return undefined;
  const subcode = code(error["error_subcode"]);
  const event: { -readonly [K in keyof StatusEvent]: StatusEvent[K] } = {
    kind: "status",
    id: typeof id === "string" && id !== "" ? id : `send-failure:${thread.customer}:${at}`,
    status: "failed",
    errors: [main],
    at,
    thread,
  };
  if (subcode !== undefined) event.errorSubcode = subcode;
  if (tag !== undefined) event.tag = tag;
  return event;
}
