/**
 * Public source addresses shared by the rule catalogue's modules.
 *
 * @module
 * @internal
 */
export const M = "https://developers.facebook.com/documentation/business-messaging/whatsapp";
export const SEND = `${M}/messages/send-messages`;
export const PRICING = `${M}/pricing`;
export const NON_TEMPLATE = `${M}/pricing/non-template-messages`;
export const ERRORS = `${M}/support/error-codes`;
export const STATUS = `${M}/webhooks/reference/messages/status`;
export const OPT_IN =
  "https://developers.secure.facebook.com/docs/whatsapp/overview/getting-opt-in";
export const MSG_POLICY =
  "https://developers.facebook.com/documentation/business-messaging/messenger-platform/policy/";
export const TAGS =
  "https://developers.facebook.com/docs/messenger-platform/send-messages/message-tags/";
export const IG = "https://developers.facebook.com/docs/instagram-messaging/overview";
export const MSG_API = `${M}/reference/whatsapp-business-phone-number/message-api`;
export const BSUID = `${M}/business-scoped-user-ids`;
export const DIRECT = `${M}/direct-send/`;
export const ROUTE = `${M}/marketing-messages/route-template-messages/`;
export const FROGGY = "https://github.com/froggy1014/meta-cloud-api";
/** care-window's own defaults (OPEN-*) are documented on the generated policy page. */
export const OPEN = "https://github.com/care-window/care-window/blob/main/docs/policy.md#open-";
