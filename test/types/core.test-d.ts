/**
 * Type tests for the public unions of the core (issue 2 "How we will know").
 */
import { describe, expectTypeOf, it } from "vitest";
import {
  type BlockedDecision,
  type BlockedReason,
  type CareEvent,
  type Channel,
  type ConsentScope,
  type DecideOptions,
  type Decision,
  decide,
  type EraId,
  type FreeFormIntent,
  type Instant,
  type Intent,
  type Outcome,
  type PricingEra,
  type Reason,
  type SessionReason,
  type TemplateCategory,
  type TemplateIntent,
  type TemplateReason,
  type Thread,
  type ThreadEvent,
  type ThreadState,
  type UncertainInbound,
} from "../../src/index.js";

declare const d: Decision;

describe("Decision: a union discriminated by outcome", () => {
  it("narrowing on outcome narrows reason", () => {
    if (d.outcome === "session") expectTypeOf(d.reason).toEqualTypeOf<SessionReason>();
    if (d.outcome === "template") expectTypeOf(d.reason).toEqualTypeOf<TemplateReason>();
    if (d.outcome === "blocked") {
      expectTypeOf(d.reason).toEqualTypeOf<BlockedReason>();
      expectTypeOf(d).toEqualTypeOf<BlockedDecision>();
    }
  });

  it("outcome and reason unions", () => {
    expectTypeOf<Outcome>().toEqualTypeOf<"session" | "template" | "blocked">();
    expectTypeOf<Decision["outcome"]>().toEqualTypeOf<Outcome>();
    expectTypeOf<Reason>().toEqualTypeOf<SessionReason | TemplateReason | BlockedReason>();
    expectTypeOf<SessionReason>().toEqualTypeOf<"window-open" | "ad-window-open" | "human-agent">();
    expectTypeOf<TemplateReason>().toEqualTypeOf<
      "no-inbound" | "window-closed" | "window-closed-by-error"
    >();
    // the minimum set of reasons is present
    expectTypeOf<
      | "window-open"
      | "no-inbound"
      | "window-closed"
      | "opted-out"
      | "marketing-stopped"
      | "no-opt-in"
    >().toExtend<Reason>();
  });

  it("the switch over outcome is exhaustive", () => {
    const label = (x: Decision): string => {
      switch (x.outcome) {
        case "session":
          return x.reason;
        case "template":
          return x.reason;
        case "blocked":
          return x.reason;
        default:
          return x satisfies never;
      }
    };
    expectTypeOf(label).returns.toEqualTypeOf<string>();
  });

  it("the decision's fields have the contract's types", () => {
    expectTypeOf(d.explanation).toEqualTypeOf<string>();
    expectTypeOf(d.window.open).toEqualTypeOf<boolean>();
    expectTypeOf(d.window.closesAt).toEqualTypeOf<Date | null>();
    expectTypeOf(d.window.remainingMs).toEqualTypeOf<number>();
    expectTypeOf(d.freeEntryPoint.closesAt).toEqualTypeOf<Date | null>();
    expectTypeOf(d.freeEntryPoint.source).toEqualTypeOf<"platform" | "estimated" | "none">();
    // #15 item 7: a blocked decision says nothing is sent (`not-sent`), in the type too.
    expectTypeOf(d.pricing.charge).toEqualTypeOf<"free" | "charged" | "unknown" | "not-sent">();
    expectTypeOf(d.pricing.type).toEqualTypeOf<
      "regular" | "free_customer_service" | "free_entry_point" | "not-sent"
    >();
    if (d.outcome === "blocked") expectTypeOf(d.pricing.charge).toEqualTypeOf<"not-sent">();
    else expectTypeOf(d.pricing.charge).toEqualTypeOf<"free" | "charged" | "unknown">();
    expectTypeOf(d.pricing.era).toEqualTypeOf<EraId | "not-applicable">();
    expectTypeOf(d.rules[0]).toEqualTypeOf<
      { readonly id: string; readonly title: string; readonly source: string } | undefined
    >();
    expectTypeOf(d.alternatives[0]?.action).toEqualTypeOf<
      | "send-template"
      | "direct-send"
      | "wait-for-customer"
      | "record-opt-in"
      | "record-category"
      | "retry-after"
      | "human-agent-tag"
      | "send-free-form"
      | undefined
    >();
  });
});

describe("Intent: free-form or template", () => {
  it("is a union discriminated by kind", () => {
    expectTypeOf<Intent>().toEqualTypeOf<FreeFormIntent | TemplateIntent>();
    expectTypeOf<Intent["kind"]>().toEqualTypeOf<"free-form" | "template">();
    expectTypeOf<TemplateIntent["category"]>().toEqualTypeOf<TemplateCategory | "unknown">();
    expectTypeOf<TemplateCategory>().toEqualTypeOf<"marketing" | "utility" | "authentication">();
    expectTypeOf<NonNullable<FreeFormIntent["directSend"]>>().toEqualTypeOf<
      "utility" | "authentication"
    >();
  });

  it("rejects bad intents at compile time", () => {
    // @ts-expect-error: unknown kind
    const fax: Intent = { kind: "fax" };
    // @ts-expect-error: a template needs a category
    const noCategory: Intent = { kind: "template" };
    // @ts-expect-error: not a category
    const promo: Intent = { kind: "template", category: "promotional" };
    // @ts-expect-error: Direct Send cannot be marketing
    const ds: Intent = { kind: "free-form", directSend: "marketing" };
    expectTypeOf([fax, noCategory, promo, ds]).toEqualTypeOf<Intent[]>();
    // open union: a future free-form type is accepted, with the known ones suggested
    expectTypeOf<{ kind: "free-form"; type: "poll" }>().toExtend<Intent>();
  });
});

describe("Thread", () => {
  it("has business, customer and an optional channel", () => {
    expectTypeOf<Thread>().toEqualTypeOf<{
      readonly channel?: Channel;
      readonly business: string;
      readonly customer: string;
    }>();
    expectTypeOf<Channel>().toEqualTypeOf<"whatsapp" | "messenger" | "instagram">();
    // @ts-expect-error: customer is required
    const t: Thread = { business: "106540352242922" };
    void t;
  });
});

describe("CareEvent discriminants", () => {
  it("kinds", () => {
    expectTypeOf<CareEvent["kind"]>().toEqualTypeOf<
      | "inbound"
      | "call"
      | "outbound"
      | "status"
      | "consent"
      | "marketing-preference"
      | "block"
      | "template-category"
      | "identity"
    >();
    expectTypeOf<ThreadEvent["kind"]>().toEqualTypeOf<
      "inbound" | "call" | "outbound" | "status" | "consent" | "marketing-preference" | "block"
    >();
  });

  it("narrowing on kind gives the member's fields", () => {
    const e = {} as CareEvent;
    if (e.kind === "consent") {
      expectTypeOf(e.scope).toEqualTypeOf<ConsentScope>();
      expectTypeOf(e.action).toEqualTypeOf<"opt-in" | "opt-out">();
      expectTypeOf(e.thread).toEqualTypeOf<Thread>();
    }
    if (e.kind === "call")
      expectTypeOf(e.direction).toEqualTypeOf<"user-initiated" | "business-initiated">();
    if (e.kind === "marketing-preference") expectTypeOf(e.value).toEqualTypeOf<"stop" | "resume">();
    if (e.kind === "template-category") {
      expectTypeOf(e).not.toHaveProperty("thread");
      expectTypeOf(e.category).toEqualTypeOf<TemplateCategory>();
    }
    if (e.kind === "status") expectTypeOf(e.errors).toEqualTypeOf<readonly number[] | undefined>();
    expectTypeOf(e.at).toEqualTypeOf<Instant>();
    expectTypeOf<Instant>().toEqualTypeOf<number>();
  });
});

describe("DecideOptions and decide()", () => {
  it("DecideOptions keys", () => {
    expectTypeOf<keyof DecideOptions>().toEqualTypeOf<
      | "requireOptIn"
      | "safetyMarginMs"
      | "openWhenClockBehind"
      | "openWindowOn"
      | "rules"
      | "fepEstimateMs"
      | "fepFromPostReferral"
      | "fepRequirePlatform"
      | "timeZone"
      | "era"
      | "serviceTier"
      | "paymentMethodOnFile"
      | "governmentExempt"
      | "directSendEligible"
      | "directSendFreeInFep"
      | "usMarketingPause"
      | "account"
      | "onboardedAt"
      | "deregistered"
      | "customer"
      | "social"
    >();
    expectTypeOf<DecideOptions["era"]>().toEqualTypeOf<EraId | PricingEra | undefined>();
    // CONSENT-8 / OPEN-18: a switch or a host resolver.
    expectTypeOf<DecideOptions["usMarketingPause"]>().toEqualTypeOf<
      boolean | ((customer: string) => boolean) | undefined
    >();
    expectTypeOf<
      keyof NonNullable<DecideOptions["openWindowOn"]>
    >().toEqualTypeOf<UncertainInbound>();
    // every option is optional
    expectTypeOf<Record<never, never>>().toExtend<DecideOptions>();
    expectTypeOf<Required<DecideOptions>>().toExtend<DecideOptions>();
  });

  it("decide(state, intent, now, options?) → Decision", () => {
    expectTypeOf(decide).parameter(0).toEqualTypeOf<ThreadState>();
    expectTypeOf(decide).parameter(1).toEqualTypeOf<Intent>();
    expectTypeOf(decide).parameter(2).toEqualTypeOf<Date | number>();
    expectTypeOf(decide).parameter(3).toEqualTypeOf<DecideOptions | undefined>();
    expectTypeOf(decide).parameters.toHaveProperty("length").toEqualTypeOf<3 | 4>();
    expectTypeOf(decide).returns.toEqualTypeOf<Decision>();
    // @ts-expect-error: `now` is required (nothing reads a clock)
    decide({} as ThreadState, { kind: "free-form" });
    // @ts-expect-error: an ISO string is not a Date
    decide({} as ThreadState, { kind: "free-form" }, "2026-11-26T09:00:00Z");
  });
});
