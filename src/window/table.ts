/**
 * THE rule table: every reason a decision can give, once, in evaluation order. Each entry says
 * when it applies on each channel (a predicate over the evaluated facts), what it decides
 * (outcome; `phase` says whether it needs the price), which rules it cites, how it explains
 * itself and what it offers instead. `decide` runs it; `rules`, `explanation`, `alternatives`
 * and `notes` are rendered from the entries that fired and nothing else. Entries that describe a
 * stretch of time also label the timeline's band for it (`band`, words in `bands.ts`).
 *
 * Adding a {@link Reason} without an entry (or an entry without a reason) does not compile:
 * the table `satisfies Record<Reason, Entry>`.
 *
 * @module
 * @internal
 */
import type { DecisionRuleId } from "../policy/rules.js";
import { type BandLabel, BAND_WORDS as bw } from "./bands.js";
import type {
  Alternative,
  MessagingTag,
  Outcome,
  PricingInfo,
  Reason,
  Verdict,
} from "./decision.js";
import type { SocialFacts, WaFacts, WaSignal } from "./facts.js";
import type { HostHold, HostRule } from "./host.js";
import { explainSocial as es, humanRule, offerSocial as os } from "./prose-social.js";
import { explainWa as ew, offerWa as ow, when } from "./prose-whatsapp.js";

/** A host rule that fired, with its hold. */
export interface HostFired {
  readonly rule: HostRule;
  readonly hold: HostHold;
}

/** How an entry is cited, explained and what it offers, on one channel. */
export interface Render<F> {
  readonly cite: (f: F, v: Verdict) => readonly DecisionRuleId[];
  readonly explain: (f: F, v: Verdict, host: HostFired | undefined) => string;
  readonly offer: (f: F, v: Verdict, host: HostFired | undefined) => Alternative[];
}

/**
 * When a lane applies: `holds`, a signal of the WhatsApp facts ({@link WaSignal}, tested as a
 * bit; WhatsApp lanes only), and/or `when`, a predicate over the facts (and the lane's price,
 * for entries of phase `price`). A lane with both applies when the signal is on and the
 * predicate holds.
 */
export type Test<F> = F extends { readonly signals: number }
  ?
      | { readonly holds: WaSignal; readonly when?: Predicate<F> }
      | { readonly holds?: undefined; readonly when: Predicate<F> }
  : { readonly holds?: undefined; readonly when: Predicate<F> };

/** A lane's predicate over the facts and, for entries of phase `price`, the lane's price. */
export type Predicate<F> = (f: F, price: PricingInfo | undefined) => boolean;

/** An entry's part on one channel: when it applies, what it decides, and its words. */
export type Lane<F> = Render<F> &
  Test<F> & {
    readonly outcome: Outcome;
    /** Messenger / Instagram: the `messaging_type` / `tag` the send must carry (MSG-3, MSG-4). */
    readonly tag?: (f: F) => MessagingTag;
    /** The label of the timeline band this entry describes (window, limit): `BAND_WORDS[id]`. */
    readonly band?: BandLabel;
  };

/**
 * One entry of the table. `meta`: Meta's rules before pricing; `price`: Meta's rules that read
 * the price (blocked, with the would-be price kept, OPEN-8); `host`: the host's own rules, run
 * by `decide` after Meta allowed the send. `null`: the reason does not exist on that channel.
 */
export type Entry =
  | {
      readonly phase: "meta" | "price";
      readonly whatsapp: Lane<WaFacts> | null;
      readonly social: Lane<SocialFacts> | null;
    }
  | {
      readonly phase: "host";
      readonly whatsapp: Render<WaFacts>;
      readonly social: Render<SocialFacts>;
    };

const cites =
  (...ids: DecisionRuleId[]) =>
  (): readonly DecisionRuleId[] =>
    ids;

const RESPONSE: MessagingTag = { messagingType: "RESPONSE" };
const UPDATE: MessagingTag = { messagingType: "UPDATE" };
const HUMAN_AGENT: MessagingTag = { messagingType: "MESSAGE_TAG", tag: "HUMAN_AGENT" };
/** MSG-3: business-initiated content goes as UPDATE inside the window, a reply as RESPONSE. */
const inWindowTag = (f: SocialFacts): MessagingTag =>
  f.ctx.intent.kind === "template" ? UPDATE : RESPONSE;

/** The host rule's words, the same on every channel. */
const HOST_RENDER: Render<WaFacts> & Render<SocialFacts> = {
  cite: cites(),
  explain: (_f, _v, h) =>
    `${h?.hold.explanation ?? "Held back by your own rule."} (your rule ${h?.rule.id ?? "?"}; Meta would allow it)`,
  offer: (f, _v, h) => {
    const until = h?.hold.until;
    return until === undefined
      ? []
      : [
          {
            action: "retry-after",
            at: new Date(until),
            text: `Try again from ${when(f, until)}, when your rule ${h?.rule.id ?? ""} no longer holds it.`,
          },
        ];
  },
};

/** The table, in evaluation order (object key order). */
export const TABLE = {
  "business-blocked": {
    phase: "meta",
    whatsapp: {
      outcome: "blocked",
      holds: "business-blocked",
      cite: cites("CONSENT-9"),
      explain: ew.businessBlocked,
      offer: ow.none,
    },
    social: {
      outcome: "blocked",
      when: (f) => f.businessBlocked,
      cite: cites("CONSENT-9"),
      explain: es.businessBlocked,
      offer: os.none,
    },
  },
  "account-billing": {
    // PRICE-25: from 2027-01-01 an India-based account not billed in INR delivers nothing.
    phase: "meta",
    whatsapp: {
      outcome: "blocked",
      holds: "billing-stop",
      cite: cites("PRICE-25"),
      explain: ew.accountBilling,
      offer: ow.none,
    },
    social: null,
  },
  "page-restricted": {
    // ERR-33: 10 / 1893063, the page may not send until the host clears it.
    phase: "meta",
    whatsapp: null,
    social: {
      outcome: "blocked",
      when: (f) => f.pageRestricted !== undefined,
      cite: cites("ERR-33"),
      explain: es.pageRestricted,
      offer: os.none,
    },
  },
  "account-limited": {
    // ERR-30: 131064 stops business-initiated sends; replies inside an open window still go.
    phase: "meta",
    whatsapp: {
      outcome: "blocked",
      holds: "account-limited",
      cite: cites("ERR-30"),
      explain: ew.accountLimited,
      offer: ow.accountLimited,
    },
    social: null,
  },
  "opted-out": {
    phase: "meta",
    whatsapp: {
      outcome: "blocked",
      holds: "opted-out",
      cite: cites("CONSENT-4"),
      explain: ew.optedOut,
      offer: ow.optedOut,
    },
    social: {
      outcome: "blocked",
      when: (f) => f.optedOut,
      cite: cites("CONSENT-4"),
      explain: es.optedOut,
      offer: os.none,
    },
  },
  "marketing-stopped": {
    phase: "meta",
    whatsapp: {
      outcome: "blocked",
      holds: "marketing-stopped",
      cite: (f) =>
        f.ctx.state.lastError?.code === 131050 ? ["CONSENT-5", "CONSENT-6"] : ["CONSENT-5"],
      explain: ew.marketingStopped,
      offer: ow.marketing,
    },
    social: {
      outcome: "blocked",
      when: (f) => f.marketingStopped,
      cite: cites("CONSENT-5"),
      explain: es.marketingStopped,
      offer: os.none,
    },
  },
  "marketing-limited": {
    phase: "meta",
    whatsapp: {
      outcome: "blocked",
      holds: "marketing-limited",
      cite: cites("CONSENT-7"),
      explain: ew.marketingLimited,
      offer: ow.marketing,
      band: bw["marketing-limited"],
    },
    social: null,
  },
  "us-marketing-paused": {
    phase: "meta",
    whatsapp: {
      outcome: "blocked",
      holds: "us-marketing-paused",
      cite: cites("CONSENT-8", "OPEN-18"),
      explain: ew.usMarketingPaused,
      offer: ow.marketing,
    },
    social: null,
  },
  "category-unknown": {
    // CONSENT-8 / TPL-7: an uncatalogued template to a US number may be marketing.
    phase: "meta",
    whatsapp: {
      outcome: "blocked",
      holds: "category-unknown",
      cite: cites("CONSENT-8", "OPEN-18", "TPL-7", "OPEN-14"),
      explain: ew.categoryUnknown,
      offer: ow.categoryUnknown,
    },
    social: null,
  },
  "no-opt-in": {
    phase: "meta",
    whatsapp: {
      outcome: "blocked",
      holds: "no-opt-in",
      cite: cites("CSW-11", "CONSENT-2", "OPEN-17"),
      explain: ew.noOptIn,
      offer: ow.noOptIn,
    },
    social: null,
  },
  "window-open": {
    phase: "meta",
    whatsapp: {
      outcome: "session",
      holds: "window-open",
      cite: cites("CSW-10", "CONSENT-3"),
      explain: ew.windowOpen,
      offer: ow.windowOpen,
      band: bw["window-open"],
    },
    social: {
      outcome: "session",
      when: (f) => f.w.open && !f.inAdExtension,
      tag: inWindowTag,
      cite: (f) => (f.ctx.intent.kind === "template" ? ["MSG-3", humanRule(f)] : [humanRule(f)]),
      explain: es.windowOpen,
      offer: os.none,
      band: bw["window-open"],
    },
  },
  "ad-window-open": {
    phase: "meta",
    whatsapp: null,
    social: {
      outcome: "session",
      when: (f) => f.w.open && f.inAdExtension,
      tag: inWindowTag,
      cite: (f) => (f.ctx.intent.kind === "template" ? ["MSG-3", humanRule(f)] : [humanRule(f)]),
      explain: es.windowOpen,
      offer: os.none,
    },
  },
  "no-inbound": {
    phase: "meta",
    whatsapp: {
      outcome: "template",
      holds: "no-inbound",
      cite: cites("CSW-11"),
      explain: ew.noInbound,
      offer: ow.closed,
    },
    social: {
      outcome: "blocked",
      when: (f) => f.w.lastInbound === undefined,
      cite: cites("MSG-6", "OPEN-20"),
      explain: es.noInbound,
      offer: os.wait,
    },
  },
  "window-closed-by-error": {
    phase: "meta",
    whatsapp: {
      outcome: "template",
      holds: "window-closed-by-error",
      cite: cites("CSW-11", "CSW-12"),
      explain: ew.closedByError,
      offer: ow.closed,
      band: bw["window-closed-by-error"],
    },
    social: null,
  },
  "window-closed": {
    phase: "meta",
    whatsapp: {
      outcome: "template",
      holds: "window-closed",
      cite: cites("CSW-11"),
      explain: ew.windowClosed,
      offer: ow.closed,
      band: bw["window-closed"],
    },
    social: {
      // MSG-3: templates and promotions never go under a tag.
      outcome: "blocked",
      when: (f) => f.ctx.intent.kind === "template" || !f.w.humanOpen,
      cite: (f) =>
        f.ctx.intent.kind === "template"
          ? ["MSG-5", "MSG-6", "OPEN-10", "MSG-3"]
          : ["MSG-5", "MSG-6", "OPEN-10", humanRule(f)],
      explain: es.windowClosed,
      offer: os.windowClosed,
      band: bw["window-closed"],
    },
  },
  "human-agent": {
    phase: "meta",
    whatsapp: null,
    social: {
      // MSG-4: HUMAN_AGENT for a person only; never proposed to automation or an undeclared sender.
      outcome: "session",
      when: (f) => f.ctx.intent.sender === "human",
      tag: () => HUMAN_AGENT,
      cite: (f) => [humanRule(f), "MSG-3"],
      explain: es.humanAgent,
      offer: os.none,
    },
  },
  "automation-outside-window": {
    phase: "meta",
    whatsapp: null,
    social: {
      outcome: "blocked",
      when: () => true,
      cite: (f) => [humanRule(f), "MSG-5", "OPEN-10"],
      explain: es.automation,
      offer: os.automation,
    },
  },
  "payment-method-missing": {
    phase: "price",
    whatsapp: {
      // OPEN-8 / PRICE-7: without a payment method, charged messages are blocked. An unknown
      // charge may be a charge (e.g. a service message with no tier count): conservative.
      outcome: "blocked",
      holds: "no-payment-method",
      when: (_f, price) => price !== undefined && price.charge !== "free",
      cite: cites("PRICE-7", "OPEN-8"),
      explain: ew.paymentMissing,
      offer: ow.none,
    },
    social: null,
  },
  "host-rule": { phase: "host", whatsapp: HOST_RENDER, social: HOST_RENDER },
} satisfies Record<Reason, Entry>;

/** Reasons in evaluation order. */
export const ORDER = Object.keys(TABLE) as readonly Reason[];

/** The entry of a reason. */
export const entryOf = (reason: Reason): Entry => TABLE[reason];
