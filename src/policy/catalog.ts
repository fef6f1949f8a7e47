/**
 * The rule catalogue: every rule ID that a decision, a code comment or a documentation page
 * cites, with a title and one public source each. Rule IDs are stable. docs/policy.md is
 * generated from this object and gives each rule an anchor (`#csw-2`, `#open-17`).
 *
 * @module
 */
import { DECISION_RULES, type RuleInfo } from "./rules.js";
import {
  BSUID,
  DIRECT,
  ERRORS,
  FROGGY,
  IG,
  M,
  MSG_API,
  NON_TEMPLATE,
  OPEN,
  OPT_IN,
  PRICING,
  ROUTE,
  SEND,
  STATUS,
} from "./sources.js";

/**
 * Rules cited by code comments and documentation but not by decisions.
 *
 * @example
 * ```ts
 * REFERENCE_RULES["ID-1"].confidence; //=> "Meta docs"
 * ```
 */
export const REFERENCE_RULES = {
  "CSW-3": {
    title: "Anchor on the provider's timestamp, never on receipt time",
    source: `${M}/webhooks/overview`,
    confidence: "uncertain",
  },
  "CSW-4": {
    title: "The latest qualifying event sets T; a redelivered event changes nothing",
    source: `${M}/webhooks/overview`,
    confidence: "derived",
  },
  "CSW-5": {
    title: "Calls open or restart the window",
    source: `${M}/calling/pricing`,
    confidence: "Meta docs",
  },
  "CSW-6": {
    title: "Nothing the business does opens or extends the window",
    source: SEND,
    confidence: "Meta docs",
  },
  "CSW-7": { title: "Inbound message types that qualify", source: SEND, confidence: "secondary" },
  "CSW-8": {
    title: "A window belongs to one (business number, customer) pair",
    source: ERRORS,
    confidence: "Meta docs",
  },
  "CSW-9": {
    title: "A group chat has a single window for the whole group",
    source: `${M}/groups/pricing`,
    confidence: "Meta docs",
  },
  "CSW-13": {
    title: "A sent, delivered or read status proves the window was open but never moves T",
    source: STATUS,
    confidence: "derived",
  },
  "CSW-15": {
    title: "App Dashboard test webhooks are parsed but never open a real window",
    source: BSUID,
    confidence: "secondary",
  },
  "FEP-1": {
    title: "Entry: a Click-to-WhatsApp ad message sent from the mobile app",
    source: PRICING,
    confidence: "Meta docs",
  },
  "FEP-6": {
    title: "An inbound ad referral marks a candidate entry, not proof of one",
    source: `${M}/webhooks/reference/messages/text/`,
    confidence: "Meta docs",
  },
  "FEP-9": {
    title: "Before per-message pricing, conversations from ads were free",
    source: "https://docs.edna.io/kb/whatsapp-conversations",
    confidence: "secondary",
  },
  "PRICE-3": {
    title: "Since 2025-07-01: charged per delivered message, by category and market",
    source: PRICING,
    confidence: "Meta docs",
  },
  "PRICE-6": {
    title: "A charged service message costs the market's utility rate",
    source: NON_TEMPLATE,
    confidence: "Meta docs",
  },
  "PRICE-14": {
    title: "Marketing Messages API sends report the category marketing_lite",
    source: ROUTE,
    confidence: "secondary",
  },
  "PRICE-17": {
    title: "The pricing object on statuses: billable, pricing_model, type, category",
    source: STATUS,
    confidence: "Meta docs",
  },
  "PRICE-20": {
    title: "Known pricing.category values; any other is kept as is",
    source: STATUS,
    confidence: "Meta docs",
  },
  "PRICE-24": {
    title: "pricing.subtype paid_exempt (from 2026-10-12) counts as a delivered service message",
    source: PRICING,
    confidence: "secondary",
  },
  "PRICE-22": {
    title: "Rates are dated data that change on announced dates",
    source: PRICING,
    confidence: "Meta docs",
  },
  "TPL-1": {
    title: "Three template categories: marketing, utility, authentication",
    source: PRICING,
    confidence: "Meta docs",
  },
  "TPL-4": {
    title: "Only authentication templates carry one-time passcodes",
    source: BSUID,
    confidence: "secondary",
  },
  "TPL-8": {
    title: "A template can go only while approved; quality can pause or disable it",
    source: `${M}/webhooks/reference/message_template_status_update`,
    confidence: "Meta docs",
  },
  "TPL-9": {
    title: "How an outbound request body is classified: status, template or free-form",
    source: MSG_API,
    confidence: "Meta docs",
  },
  "TPL-10": {
    title: "Interactive messages are free-form; the same buttons in a template are not",
    source: MSG_API,
    confidence: "Meta docs",
  },
  "TPL-11": {
    title: "After Marketing Messages API onboarding, route marketing by the latest category",
    source: ROUTE,
    confidence: "Meta docs",
  },
  "CONSENT-1": {
    title: "Opt-in comes before any business-initiated message",
    source: OPT_IN,
    confidence: "Meta docs",
  },
  "ID-1": {
    title: "Key the business by phone_number_id, never by the display number",
    source: `${M}/webhooks/reference/messages`,
    confidence: "Meta docs",
  },
  "ID-3": {
    title: "Compare numbers by their digits; resolve national quirks only through aliases",
    source: "https://github.com/david-lev/pywa/issues/155",
    confidence: "secondary",
  },
  "ID-4": {
    title: "The BSUID (user_id) is a business-scoped user identifier",
    source: BSUID,
    confidence: "Meta docs",
  },
  "ID-5": {
    title: "A webhook may carry no phone number, only the BSUID",
    source: BSUID,
    confidence: "Meta docs",
  },
  "ID-6": {
    title: "A phone number and a BSUID of one customer are aliases whose states merge",
    source: BSUID,
    confidence: "derived",
  },
  "ID-7": {
    title: "Number and BSUID changes arrive as system messages and user_id_update",
    source: BSUID,
    confidence: "Meta docs",
  },
  "ID-8": {
    title: "A send may address a BSUID, except authentication and capped-price marketing",
    source: BSUID,
    confidence: "Meta docs",
  },
  "ID-9": {
    title: "Which identifiers a status webhook carries",
    source: BSUID,
    confidence: "Meta docs",
  },
  "ID-10": {
    title: "Group threads are keyed by group_id",
    source: `${M}/webhooks/reference/messages/group`,
    confidence: "Meta docs",
  },
  "ERR-1": {
    title: "Branch on the numeric error code, never on its title or message",
    source: ERRORS,
    confidence: "Meta docs",
  },
  "ERR-2": {
    title:
      "Errors come synchronously, in failed statuses, in value.errors and on unsupported messages",
    source: ERRORS,
    confidence: "Meta docs",
  },
  "ERR-3": {
    title: "131047: the customer last wrote more than 24 hours ago",
    source: ERRORS,
    confidence: "Meta docs",
  },
  "ERR-4": {
    title: "470 (On-Premises) and Twilio 63016 mean the same as 131047",
    source: "https://www.twilio.com/docs/api/errors/63016",
    confidence: "secondary",
  },
  "ERR-6": {
    title: "131049: per-user marketing limit or US marketing pause; not an opt-out",
    source: ERRORS,
    confidence: "Meta docs",
  },
  "ERR-7": {
    title: "131050: the customer stopped marketing from this number",
    source: `${M}/webhooks/reference/user_preferences`,
    confidence: "Meta docs",
  },
  "ERR-12": {
    title: "131042: payment or eligibility problem, an account-level stop for charged messages",
    source: FROGGY,
    confidence: "secondary",
  },
  "ERR-15": {
    title: "130403: the business has blocked this customer",
    source: `${M}/block-users/`,
    confidence: "uncertain",
  },
  "ERR-18": {
    title: "131062: this message cannot be sent to a BSUID; resend to the phone number if known",
    source: FROGGY,
    confidence: "secondary",
  },
  "ERR-28": {
    title: "131000 next to a message without content: report it, treat the message as unsupported",
    source: "https://github.com/david-lev/pywa",
    confidence: "secondary",
  },
  "DIRECT-1": {
    title: "Direct Send: a free-form body with a top-level utility or authentication category",
    source: DIRECT,
    confidence: "Meta docs",
  },
  "DIRECT-4": {
    title: "Direct Send carries text, buttons and media headers, with an optional time-to-live",
    source: DIRECT,
    confidence: "secondary",
  },
  "DIRECT-5": {
    title: "Authentication content never goes to a BSUID, by Direct Send or by template",
    source: DIRECT,
    confidence: "Meta docs",
  },
  "OPEN-13": {
    title: "Historical prices and dates rest on single sources: unknown rather than guessed",
    source: `${OPEN}13`,
    confidence: "default",
  },
  "OPEN-15": {
    title: "After a number change, restrictions carry over; windows do not",
    source: `${OPEN}15`,
    confidence: "default",
  },
  "OPEN-16": {
    title: "With only a BSUID known, the pricing market is not guessed",
    source: `${OPEN}16`,
    confidence: "default",
  },
  "IG-5": {
    title: "Instagram threads are keyed by the Instagram account; no Page needed since 2024-07-23",
    source: IG,
    confidence: "Meta docs",
  },
} as const satisfies Record<string, RuleInfo>;

/**
 * Every rule of the catalogue, keyed by rule ID: the ones decisions cite and the ones the code
 * and the documentation cite.
 *
 * @example
 * ```ts
 * Object.keys(RULES).includes("FEP-5"); //=> true
 * RULES["ID-1"].title; //=> "Key the business by phone_number_id, never by the display number"
 * ```
 */
export const RULES: Readonly<Record<RuleId, RuleInfo>> = { ...DECISION_RULES, ...REFERENCE_RULES };

/**
 * A rule ID of the catalogue.
 *
 * @example
 * ```ts
 * const id: RuleId = "CSW-12";
 * ```
 */
export type RuleId = keyof typeof DECISION_RULES | keyof typeof REFERENCE_RULES;
