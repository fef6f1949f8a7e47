/**
 * `care-window/messenger`: the Messenger and Instagram edge — webhook parsing and the zod
 * schemas behind it. The decision itself is the root's `decide` (Messenger / Instagram states
 * carry their `channel`); `care-window/whatsapp`'s `parseWebhook` also routes Messenger and
 * Instagram bodies here.
 *
 * @example
 * ```ts
 * import { parseMessengerWebhook } from "care-window/messenger";
 * declare const body: unknown;
 * const { events, issues } = parseMessengerWebhook(body);
 * ```
 *
 * @module
 */
export * from "./messenger/index.js";
