/**
 * The rules a decision can cite (the deciders import only these, which keeps `decide` small).
 * {@link RULES} in `catalog.ts` adds every other rule the code and the documentation cite, and
 * docs/policy.md is generated from it. Rule IDs are stable.
 *
 * @module
 */
import {
  ERRORS,
  FROGGY,
  IG,
  M,
  MSG_POLICY,
  NON_TEMPLATE,
  OPEN,
  OPT_IN,
  PRICING,
  SEND,
  STATUS,
  TAGS,
} from "./sources.js";

/**
 * A rule of the rulebook as data.
 *
 * @example
 * ```ts
 * RULES["CSW-2"].title; //=> "Boundary: the half-open interval [T, T+24h) in absolute milliseconds"
 * ```
 */
export interface RuleInfo {
  readonly title: string;
  readonly source: string;
  readonly confidence: "Meta docs" | "secondary" | "uncertain" | "derived" | "default";
}

/**
 * The rules a decision can cite, keyed by rule ID (a subset of {@link RULES}).
 *
 * @example
 * ```ts
 * DECISION_RULES["CSW-2"].source; //=> "https://developers.facebook.com/…/send-messages"
 * ```
 */
export const DECISION_RULES = {
  "CSW-1": {
    title: "A user message opens or restarts the 24-hour window",
    source: SEND,
    confidence: "Meta docs",
  },
  "CSW-2": {
    title: "Boundary: the half-open interval [T, T+24h) in absolute milliseconds",
    source: SEND,
    confidence: "Meta docs",
  },
  "CSW-10": {
    title: "Inside an open window any message may go",
    source: SEND,
    confidence: "Meta docs",
  },
  "CSW-11": {
    title: "Outside the window only templates may go",
    source: SEND,
    confidence: "Meta docs",
  },
  "CSW-12": {
    title: "A 131047 failure closes the window",
    source: ERRORS,
    confidence: "Meta docs",
  },
  "CSW-14": {
    title: "Coexistence numbers: only inbound after onboarding opens a Cloud API window",
    source: `${M}/embedded-signup/onboarding-business-app-users/`,
    confidence: "Meta docs",
  },
  "FEP-2": {
    title: "Activation: the business replies while that message's window is open",
    source: PRICING,
    confidence: "Meta docs",
  },
  "FEP-3": {
    title: "Duration: take it from the platform, never hard-code it",
    source: PRICING,
    confidence: "Meta docs",
  },
  "FEP-4": {
    title: "Everything delivered inside an open FEP is free",
    source: NON_TEMPLATE,
    confidence: "Meta docs",
  },
  "FEP-5": {
    title: "An FEP never allows free-form messages after the CSW closes",
    source: PRICING,
    confidence: "Meta docs",
  },
  "FEP-7": {
    title: "Status webhooks are the authoritative FEP evidence",
    source: STATUS,
    confidence: "Meta docs",
  },
  "PRICE-1": { title: "Six pricing eras", source: PRICING, confidence: "Meta docs" },
  "PRICE-2": {
    title: "The era is the one in force at delivery",
    source: PRICING,
    confidence: "Meta docs",
  },
  "PRICE-4": {
    title: "Charge table for the per-message eras",
    source: NON_TEMPLATE,
    confidence: "Meta docs",
  },
  "PRICE-5": {
    title: "The monthly free service tier (from 2026-10-01)",
    source: PRICING,
    confidence: "Meta docs",
  },
  "PRICE-7": { title: "No payment method on file", source: PRICING, confidence: "Meta docs" },
  "PRICE-8": {
    title: "Government and non-profit exemption",
    source: PRICING,
    confidence: "Meta docs",
  },
  "PRICE-23": {
    title: "What is certain before per-message pricing",
    source: "https://docs.edna.io/kb/whatsapp-conversations",
    confidence: "secondary",
  },
  "TPL-7": {
    title: "Route, price, consent and suppress by the latest category",
    source: `${M}/marketing-messages/route-template-messages/`,
    confidence: "Meta docs",
  },
  "CONSENT-2": {
    title: "Business-initiated sends need a recorded opt-in",
    source: OPT_IN,
    confidence: "derived",
  },
  "CONSENT-3": {
    title: "Replies in a user-opened window need no opt-in record",
    source: SEND,
    confidence: "Meta docs",
  },
  "CONSENT-4": {
    title: "The business honours opt-outs, and each opt-out blocks its scope",
    source: OPT_IN,
    confidence: "Meta docs",
  },
  "CONSENT-5": {
    title: "Marketing stop and resume (user_preferences)",
    source: `${M}/webhooks/reference/user_preferences`,
    confidence: "Meta docs",
  },
  "CONSENT-6": {
    title: "Error 131050 implies a marketing stop",
    source: ERRORS,
    confidence: "Meta docs",
  },
  "CONSENT-7": {
    title: "Per-user marketing limits (131049)",
    source: ERRORS,
    confidence: "Meta docs",
  },
  "CONSENT-8": {
    title: "Marketing templates to US numbers (+1 and a US area code) are paused",
    source: "https://github.com/coreyhaines31/marketingskills",
    confidence: "secondary",
  },
  "CONSENT-9": {
    title: "The business blocks a user (Block Users API)",
    source: `${M}/block-users/`,
    confidence: "Meta docs",
  },
  "DIRECT-2": {
    title: "Direct Send eligibility is declared by the host",
    source: `${M}/direct-send/`,
    confidence: "secondary",
  },
  "DIRECT-3": {
    title: "Direct Send is the third way outside the window",
    source: `${M}/direct-send/`,
    confidence: "Meta docs",
  },
  "DIRECT-6": {
    title: "Direct Send is charged at the category's rate",
    source: `${M}/direct-send/`,
    confidence: "Meta docs",
  },
  "OPEN-1": {
    title: "Estimated FEP length: 72 h from the activating reply until the platform says",
    source: `${OPEN}1`,
    confidence: "default",
  },
  "OPEN-2": {
    title: "Window end exclusive; optional safety margin",
    source: `${OPEN}2`,
    confidence: "default",
  },
  "OPEN-3": {
    title: "Uncertain inbound types do not open the window by default",
    source: `${OPEN}3`,
    confidence: "default",
  },
  "OPEN-4": {
    title: "Only ad referrals start an estimated FEP by default",
    source: `${OPEN}4`,
    confidence: "default",
  },
  "OPEN-5": {
    title: "Service tier usage is an input; counted from delivered statuses",
    source: `${OPEN}5`,
    confidence: "default",
  },
  "OPEN-6": {
    title: "Account time zone for era boundaries and monthly resets (UTC if not given)",
    source: `${OPEN}6`,
    confidence: "default",
  },
  "OPEN-7": {
    title: "Direct Send inside an FEP is charged by default",
    source: `${OPEN}7`,
    confidence: "default",
  },
  "OPEN-8": {
    title: "Without a payment method, charged messages are blocked",
    source: `${OPEN}8`,
    confidence: "default",
  },
  "OPEN-10": {
    title: "The update tags are taken as gone from 2026-04-27; only HUMAN_AGENT is proposed",
    source: `${OPEN}10`,
    confidence: "default",
  },
  "OPEN-14": {
    title: "Unknown categories are treated as charged",
    source: `${OPEN}14`,
    confidence: "default",
  },
  "OPEN-17": { title: "requireOptIn is on by default", source: `${OPEN}17`, confidence: "default" },
  "OPEN-18": {
    title:
      "The US marketing pause covers US area codes only (a dated list); Canada and the Caribbean are not covered",
    source: `${OPEN}18`,
    confidence: "default",
  },
  "OPEN-19": {
    title: "Inbound before onboarding does not qualify when the host gives the instant",
    source: `${OPEN}19`,
    confidence: "default",
  },
  "OPEN-20": {
    title:
      "Messenger/Instagram: messages, referrals and postbacks open the window by default; reactions, reads, opt-ins and story mentions when switched on; ad windows 24 h",
    source: `${OPEN}20`,
    confidence: "default",
  },
  "PRICE-25": {
    title: "India: accounts not billed in INR stop delivering from 2027-01-01",
    source: FROGGY,
    confidence: "secondary",
  },
  "ERR-30": {
    title: "131064: business-initiated sends from the account stop until the enforcement ends",
    source: FROGGY,
    confidence: "secondary",
  },
  "ERR-31": {
    title: "Messenger/Instagram 10 'outside of allowed window' closes the thread's window",
    source: "https://github.com/fazer-ai/chatwoot/pull/674",
    confidence: "secondary",
  },
  "ERR-32": {
    title: "Messenger/Instagram 100 on an update tag from 2026-04-27: never offer that tag again",
    source: "https://github.com/chatwoot/chatwoot/issues/14674",
    confidence: "secondary",
  },
  "ERR-33": {
    title: "Messenger 10 / 1893063: the page is restricted until the host clears it",
    source: FROGGY,
    confidence: "secondary",
  },
  "MSG-1": {
    title: "Messenger: the user starts; a 24-hour standard messaging window follows",
    source: MSG_POLICY,
    confidence: "Meta docs",
  },
  "MSG-2": {
    title: "Ad-originated windows may last up to 7 days",
    source: MSG_POLICY,
    confidence: "Meta docs",
  },
  "MSG-3": {
    title: "Promotional content only inside the window, never under a tag",
    source: MSG_POLICY,
    confidence: "Meta docs",
  },
  "MSG-4": {
    title: "HUMAN_AGENT: a person may reply for 7 days",
    source: TAGS,
    confidence: "Meta docs",
  },
  "MSG-5": {
    title: "Other message tags: reduced in 2020, reportedly removed in 2026",
    source: TAGS,
    confidence: "uncertain",
  },
  "MSG-6": {
    title: "Other lanes after the window closes are host capabilities",
    source: MSG_POLICY,
    confidence: "secondary",
  },
  "MSG-7": {
    title: "Automated chats must say they are automated where the law requires it",
    source: MSG_POLICY,
    confidence: "Meta docs",
  },
  "MSG-8": {
    title: "The page's own messages never open or extend a window",
    source: MSG_POLICY,
    confidence: "derived",
  },
  "IG-1": {
    title: "Instagram: reply within 24 hours of the user's message",
    source: IG,
    confidence: "Meta docs",
  },
  "IG-2": { title: "HUMAN_AGENT works on Instagram too", source: IG, confidence: "Meta docs" },
  "IG-3": {
    title: "CONFIRMED_EVENT_UPDATE never existed on Instagram",
    source: TAGS,
    confidence: "Meta docs",
  },
  "IG-4": {
    title: "Story mentions are reported to open the window",
    source: "https://github.com/chatwoot/chatwoot/issues/12635",
    confidence: "uncertain",
  },
} as const satisfies Record<string, RuleInfo>;

/**
 * A rule ID that decisions can cite.
 *
 * @example
 * ```ts
 * const id: DecisionRuleId = "CSW-12";
 * ```
 */
export type DecisionRuleId = keyof typeof DECISION_RULES;
