/**
 * The Messenger and Instagram edge: webhook parsing and the zod schemas behind it. The decision
 * itself is the core `decide` (Messenger / Instagram states carry their `channel`).
 *
 * @module
 */
export type { MessengerParseOptions } from "./parse.js";
export { isMessengerBody, messengerInstant, parseMessengerWebhook } from "./parse.js";
export * from "./schemas.js";
export type { MessengerSendFailureInput } from "./send-error.js";
export { messengerSendFailure } from "./send-error.js";
