/**
 * The words of WhatsApp decisions: explanations and alternatives, one function per rule-table
 * entry (see `table.ts`). Dates and durations go through `words.ts` in the account's zone.
 *
 * @module
 * @internal
 */
import type { Intent, TemplateCategory } from "../domain/types.js";
import type { Alternative, BlockedReason, Verdict } from "./decision.js";
import { blockingOptOut } from "./evaluate.js";
import { scopeOf, TEMPLATE_ORDER, templateBlocker, type WaFacts } from "./facts.js";
import { priceCase } from "./pricing.js";
import { formatDuration, formatInstant } from "./words.js";

/** An instant in words in the decision's account zone. */
export const when = (f: { readonly ctx: { readonly timeZone: string } }, ms: number): string =>
  formatInstant(ms, f.ctx.timeZone);

/** `a` or `an` before a category name. */
const article = (word: string): string => (word === "authentication" ? "an" : "a");

function describeIntent(intent: Intent): string {
  if (intent.kind === "template") {
    return intent.category === "unknown"
      ? "this template (category unknown)"
      : `${article(intent.category)} ${intent.category} template`;
  }
  if (intent.directSend !== undefined) {
    return `${article(intent.directSend)} ${intent.directSend} Direct Send`;
  }
  return intent.type === undefined || intent.type === "text"
    ? "a free-form message"
    : `a free-form ${intent.type} message`;
}

const BLOCKER_TEXT: Readonly<Record<BlockedReason, string>> = {
  "opted-out": "opted out",
  "marketing-stopped": "stopped by the customer",
  "no-opt-in": "no recorded opt-in",
  "business-blocked": "customer blocked",
  "marketing-limited": "per-user marketing limit (131049)",
  "us-marketing-paused": "paused for US numbers",
  "category-unknown": "category unknown (US number)",
  "account-limited": "account limited (131064)",
  "account-billing": "account not billed in the required currency",
  "page-restricted": "page restricted",
  "payment-method-missing": "no payment method",
  "no-inbound": "no window",
  "window-closed": "window closed",
  "automation-outside-window": "automation outside the window",
  "host-rule": "held by your own rule",
};

const sentence = (clause: string): string => clause.charAt(0).toUpperCase() + clause.slice(1);

/** How the window stands when it is not open, as a clause. */
function closedClause(f: WaFacts, byError: boolean): string {
  const { w } = f;
  if (w.lastInbound === undefined) {
    return "no message or call from the customer that opens the window is on record for this number";
  }
  const since = when(f, w.lastInbound);
  return byError
    ? `Meta refused a free-form message with error 131047 after the customer's last message (${since}), so the window counts as closed`
    : `the customer last wrote or called at ${since} and the 24-hour window closed at ${when(f, w.closesAt ?? 0)}`;
}

/** `utility: no recorded opt-in; marketing: stopped by the customer; …` */
function blockerList(f: WaFacts): string {
  return TEMPLATE_ORDER.map((c) => {
    const by = templateBlocker(f.ctx, c, false);
    return `${c}: ${by === undefined ? "allowed" : BLOCKER_TEXT[by]}`;
  }).join("; ");
}

/** `, and no template may go (…)` for a free-form message nothing can replace. */
const nothingGoes = (f: WaFacts): string =>
  `${sentence(closedClause(f, f.w.closedByError))}, and no template may go (${blockerList(f)})`;

/** For a free-form intent outside the window, which templates may replace it. */
function which(f: WaFacts): string {
  if (!f.freeForm) return "only a template may go";
  const allowed = TEMPLATE_ORDER.filter((c) => templateBlocker(f.ctx, c, false) === undefined);
  return allowed.length === TEMPLATE_ORDER.length
    ? "only a template may go"
    : `only ${allowed.map((c) => `${article(c)} ${c}`).join(" or ")} template may go`;
}

function fepTail(f: WaFacts): string {
  const { fep, w } = f;
  return f.fepFree && fep.open && fep.closesAt !== undefined && !w.open
    ? `; templates are free until ${when(f, fep.closesAt)} (free entry point)`
    : "";
}

const chargeWord = (v: Verdict): string =>
  v.pricing.charge === "unknown" ? "price unknown" : v.pricing.charge;

/** Explanations, by reason. */
export const explainWa = {
  windowOpen: (f: WaFacts, v: Verdict): string =>
    `The customer last wrote or called at ${when(f, f.w.lastInbound ?? 0)}, so the 24-hour window is open until ${when(f, f.w.closesAt ?? 0)} (${formatDuration(v.window.remainingMs)} left) and ${describeIntent(f.ctx.intent)} may go now (${chargeWord(v)}).`,
  noInbound: (f: WaFacts): string =>
    `${sentence(closedClause(f, false))}, so ${which(f)}${fepTail(f)}.`,
  windowClosed: (f: WaFacts): string =>
    (f.w.lastInbound ?? 0) > f.ctx.at
      ? `The customer's last message is stamped ${when(f, f.w.lastInbound ?? 0)}, later than now, and the host counts a clock behind Meta's as closed (OPEN-2), so ${which(f)}${fepTail(f)}.`
      : `${sentence(closedClause(f, false))}, so ${which(f)}${fepTail(f)}.`,
  closedByError: (f: WaFacts): string =>
    `${sentence(closedClause(f, true))} and ${which(f)}${fepTail(f)}.`,
  businessBlocked: (): string =>
    "You have blocked this customer, so nothing may be sent until you unblock them.",
  optedOut(f: WaFacts): string {
    const { state, intent } = f.ctx;
    const hit = blockingOptOut(state, scopeOf(intent)) ?? blockingOptOut(state, "all");
    const scope =
      hit === undefined || hit.scope === "all" ? "all messages" : `${hit.scope} messages`;
    const on =
      hit === undefined ? "" : ` on ${when(f, hit.record.at)} (source: ${hit.record.source})`;
    if (f.freeForm && !f.w.open && hit?.scope !== "all") return `${nothingGoes(f)}.`;
    return `The customer opted out of ${scope}${on}, so ${describeIntent(intent)} must not be sent.`;
  },
  marketingStopped(f: WaFacts): string {
    if (f.freeForm) return `${nothingGoes(f)}.`;
    const on = f.ctx.state.marketing?.on;
    return `The customer stopped marketing messages from this number${on === undefined ? "" : ` at ${when(f, on)}`}, so marketing templates must not be sent until they resume; other messages are unaffected.`;
  },
  noOptIn: (f: WaFacts): string =>
    f.freeForm
      ? `${nothingGoes(f)}, so nothing may be sent until the customer writes or an opt-in is recorded.`
      : `No window is open (${closedClause(f, f.w.closedByError)}) and no opt-in covering ${describeIntent(f.ctx.intent)} is recorded, so it must not be sent.`,
  marketingLimited: (f: WaFacts): string =>
    `Meta's per-user marketing limit (error 131049) refused marketing to this customer; do not try again before ${when(f, f.ctx.state.marketingLimitedUntil ?? 0)}.`,
  usMarketingPaused: (f: WaFacts): string =>
    `Marketing templates to US numbers (+1 with a US area code) are not delivered since ${when(f, f.ctx.zone.usPauseFrom)}, so this one must not be sent.`,
  categoryUnknown(f: WaFacts): string {
    const name = templateName(f);
    return `This template's category is unknown (${name === undefined ? "no name given" : `"${name}" is in no catalog`}) and marketing templates to US numbers are not delivered since ${when(f, f.ctx.zone.usPauseFrom)}, so it is held back in case it is marketing; record its category and decide again.`;
  },
  accountLimited(f: WaFacts): string {
    const limit = f.accountLimit;
    const until =
      limit?.until === undefined
        ? "until the enforcement ends (set account.restrictionsClearedAt once Meta lifts it)"
        : `until ${when(f, limit.until)}`;
    return `Meta stopped business-initiated messages from this account (error 131064, template classification violations), so ${describeIntent(f.ctx.intent)} must not be sent ${until}; replies inside an open window are unaffected.`;
  },
  accountBilling(f: WaFacts): string {
    const rule = f.billing;
    return `From ${rule?.from ?? ""} Meta delivers no messages from accounts based in ${rule?.country ?? ""} that are not billed in ${rule?.currency ?? ""}, and this account is billed in ${f.ctx.options.account?.billingCurrency ?? "another currency"}, so nothing may be sent until its billing currency is changed.`;
  },
  paymentMissing: (f: WaFacts, v: Verdict): string => {
    const unknown = v.pricing.charge === "not-sent" && v.pricing.wouldBe?.charge === "unknown";
    return `No valid payment method is on file and ${describeIntent(f.ctx.intent)} would be charged${unknown ? " or may be (its price is unknown)" : ""}, so it must not be sent.`;
  },
};

/** Approved templates that may go instead (free until the FEP's end when one is open). */
function templates(f: WaFacts, exclude: TemplateCategory | undefined): Alternative[] {
  const { fep } = f;
  const freeUntil = f.fepFree && fep.open && fep.closesAt !== undefined ? fep.closesAt : undefined;
  const out: Alternative[] = [];
  for (const category of TEMPLATE_ORDER) {
    if (category === exclude || templateBlocker(f.ctx, category, f.w.open) !== undefined) continue;
    out.push(
      freeUntil === undefined
        ? { action: "send-template", category, text: `Send an approved ${category} template.` }
        : {
            action: "send-template",
            category,
            freeUntil: new Date(freeUntil),
            text: `Send an approved ${category} template; it is free until ${when(f, freeUntil)} (free entry point).`,
          },
    );
  }
  return out;
}

const WAIT: Alternative = {
  action: "wait-for-customer",
  text: "Wait for the customer to write or call; that reopens the 24-hour window.",
};

/** The name of the template intent, when given. */
const templateName = (f: WaFacts): string | undefined =>
  f.ctx.intent.kind === "template" ? f.ctx.intent.name : undefined;

const sameCategory = (f: WaFacts): TemplateCategory | undefined =>
  f.ctx.intent.kind === "template" ? (scopeOf(f.ctx.intent) as TemplateCategory) : undefined;

/** Alternatives, by reason. */
export const offerWa = {
  windowOpen(f: WaFacts, v: Verdict): Alternative[] {
    const { intent, at } = f.ctx;
    // A utility template's content can go free-form while the window is open, and only when a
    // service message is itself free (PRICE-4, PRICE-5). Never for authentication (TPL-4) or
    // marketing (promotional).
    const freeService = (): boolean =>
      priceCase(
        f.era,
        { category: "service", reaction: false, directSend: false },
        { windowOpen: true, fepOpen: f.fepFree, at, tier: f.tier },
      ).pricing.charge === "free";
    if (
      intent.kind === "template" &&
      intent.category === "utility" &&
      f.w.closesAt !== undefined &&
      v.pricing.charge === "charged" &&
      freeService()
    ) {
      return [
        {
          action: "send-free-form",
          until: new Date(f.w.closesAt),
          text: `While the window is open (until ${when(f, f.w.closesAt)}) a free-form reply can carry the same content as a service message instead of a charged template.`,
        },
      ];
    }
    return [];
  },
  closed(f: WaFacts): Alternative[] {
    const { intent, options } = f.ctx;
    const out = templates(f, sameCategory(f));
    if (
      options.directSendEligible === true &&
      !(intent.kind === "free-form" && intent.directSend !== undefined) &&
      templateBlocker(f.ctx, "utility", false) === undefined
    ) {
      out.push({
        action: "direct-send",
        category: "utility",
        text: 'Send the content as a utility Direct Send (a top-level "category": "utility" on the message body).',
      });
    }
    out.push(WAIT);
    return out;
  },
  noOptIn(f: WaFacts): Alternative[] {
    const scope = sameCategory(f) ?? "all";
    const out: Alternative[] = [
      {
        action: "record-opt-in",
        scope,
        text: `Record the customer's opt-in for ${scope === "all" ? "your messages" : `${scope} messages`} first.`,
      },
    ];
    if (f.ctx.intent.kind === "template") out.push(...templates(f, sameCategory(f)));
    out.push(WAIT);
    return out;
  },
  marketing(f: WaFacts, v: Verdict): Alternative[] {
    const out: Alternative[] = [];
    const until = f.ctx.state.marketingLimitedUntil;
    if (v.reason === "marketing-limited" && until !== undefined) {
      out.push({
        action: "retry-after",
        at: new Date(until),
        text: `Retry marketing no sooner than ${when(f, until)}, with growing back-off (CONSENT-7).`,
      });
    }
    if (f.w.open && f.w.closesAt !== undefined) {
      out.push({
        action: "send-free-form",
        until: new Date(f.w.closesAt),
        text: `Reply free-form while the window is open (until ${when(f, f.w.closesAt)}); service messages are unaffected.`,
      });
    }
    out.push(...templates(f, "marketing"));
    return out;
  },
  categoryUnknown(f: WaFacts): Alternative[] {
    const name = templateName(f);
    const record: Alternative = {
      action: "record-category",
      ...(name === undefined ? {} : { name }),
      text: `Record the template's category (catalog: { ${name === undefined ? "<name>" : JSON.stringify(name)}: "utility" }, or a template-category event) so it is checked as what it is (TPL-7).`,
    };
    return [record, ...templates(f, "marketing")];
  },
  accountLimited(f: WaFacts): Alternative[] {
    const out: Alternative[] = [];
    const until = f.accountLimit?.until;
    if (until !== undefined) {
      out.push({
        action: "retry-after",
        at: new Date(until),
        text: `Send business-initiated messages again from ${when(f, until)}, when the enforcement period ends (ERR-30).`,
      });
    }
    if (f.w.open && f.w.closesAt !== undefined) {
      out.push({
        action: "send-free-form",
        until: new Date(f.w.closesAt),
        text: `Reply free-form while the window is open (until ${when(f, f.w.closesAt)}); replies are unaffected.`,
      });
    } else {
      out.push(WAIT);
    }
    return out;
  },
  optedOut: (f: WaFacts): Alternative[] =>
    f.ctx.intent.kind === "template" ? templates(f, sameCategory(f)) : [],
  none: (): Alternative[] => [],
};
