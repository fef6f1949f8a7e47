/**
 * fast-check arbitraries for the core properties: thread events of every kind, with instants on a
 * coarse grid so that ties (the hard case for a join) are common.
 */
import fc from "fast-check";
import type {
  CallEvent,
  Channel,
  ConsentEvent,
  DecideOptions,
  Intent,
  OutboundEvent,
  StatusEvent,
  Thread,
  ThreadEvent,
} from "../../src/index.js";
import { ERAS } from "../../src/index.js";
import { HOUR, MINUTE, THREAD } from "./fixtures.js";

/** 2026-11-20 00:00 UTC. Instants fall on a 15-minute grid over ~4 days, with ±1 ms jitter. */
export const BASE = Date.parse("2026-11-20T00:00:00Z");
export const SPAN = 4 * 24 * HOUR;

export const instant = (base = BASE): fc.Arbitrary<number> =>
  fc
    .tuple(fc.integer({ min: 0, max: SPAN / (15 * MINUTE) }), fc.constantFrom(0, 0, 0, 1, -1))
    .map(([k, j]) => base + k * 15 * MINUTE + j);

/** Realistic, short consent sources. */
export const SOURCES = [
  "checkout-form",
  "keyword-STOP",
  "keyword-START",
  "agent:maria",
  "ivr",
  "web-signup",
  "import-2026-03",
  "sms",
] as const;

const INBOUND_TYPES = [
  "text",
  "image",
  "audio",
  "video",
  "document",
  "sticker",
  "location",
  "contacts",
  "interactive",
  "button",
  "reaction",
  "order",
  "system",
  "request_welcome",
  "unsupported",
  "unknown",
  "edit",
  "revoke",
  "poll_update",
] as const;

const threadArb = (channels: boolean): fc.Arbitrary<Thread> =>
  channels
    ? fc
        .constantFrom<Channel | undefined>(
          undefined,
          undefined,
          undefined,
          "whatsapp",
          "messenger",
          "instagram",
        )
        .map((channel) => (channel === undefined ? THREAD : { ...THREAD, channel }))
    : fc.constantFrom<Thread>(THREAD, { ...THREAD, channel: "whatsapp" });

const wamid = fc.integer({ min: 0, max: 30 }).map((n) => `wamid.${n}`);

/** Any thread event. `channels` mixes in Messenger / Instagram threads (for the merge laws). */
export function threadEvent(
  options: { channels?: boolean; base?: number } = {},
): fc.Arbitrary<ThreadEvent> {
  const thread = threadArb(options.channels === true);
  const at = instant(options.base);
  const inbound = fc.record(
    {
      kind: fc.constant("inbound" as const),
      id: wamid,
      type: fc.constantFrom(...INBOUND_TYPES),
      subtype: fc.constantFrom(
        "button_reply",
        "list_reply",
        "nfm_reply",
        "call_permission_reply",
        "flow_reply",
      ),
      referral: fc.record({
        sourceType: fc.constantFrom("ad", "post"),
        sourceId: fc.constant("1202"),
      }),
      action: fc.constantFrom(
        "message",
        "postback",
        "reaction",
        "referral",
        "story_mention",
        "read",
        "optin",
      ),
      at,
      thread,
    },
    { requiredKeys: ["kind", "id", "type", "at", "thread"] },
  );
  const call: fc.Arbitrary<CallEvent> = fc.record({
    kind: fc.constant("call" as const),
    id: wamid,
    direction: fc.constantFrom("user-initiated", "business-initiated"),
    phase: fc.constantFrom("connect", "accepted", "answer", "ringing", "rejected", "terminate"),
    at,
    thread,
  });
  const outbound: fc.Arbitrary<OutboundEvent> = fc.record(
    {
      kind: fc.constant("outbound" as const),
      id: wamid,
      message: fc.constantFrom("free-form", "template", "direct-send"),
      type: fc.constantFrom("text", "image", "reaction"),
      category: fc.constantFrom("marketing", "utility", "authentication"),
      echo: fc.boolean(),
      at,
      thread,
    },
    { requiredKeys: ["kind", "id", "message", "at", "thread"] },
  );
  const status: fc.Arbitrary<StatusEvent> = fc.record(
    {
      kind: fc.constant("status" as const),
      id: wamid,
      status: fc.constantFrom("sent", "delivered", "read", "played", "failed", "deleted"),
      pricing: fc.record(
        {
          model: fc.constantFrom("PMP", "CBP"),
          type: fc.constantFrom("regular", "free_customer_service", "free_entry_point"),
          category: fc.constantFrom("service", "utility", "marketing", "referral_conversion"),
          billable: fc.boolean(),
          subtype: fc.constantFrom("paid_exempt", "other"), // PRICE-24
        },
        { requiredKeys: [] },
      ),
      conversationExpiresAt: instant(options.base).map((t) => t + 3 * 24 * HOUR),
      origin: fc.constantFrom("referral_conversion", "service", "marketing"),
      errors: fc.array(
        // ERR-30 … ERR-33: 131064, Messenger 10 (with or without 1893063) and 100 on a tag.
        fc.constantFrom(
          131047,
          470,
          63016,
          131050,
          131049,
          130403,
          131026,
          131056,
          130429,
          131064,
          10,
          100,
        ),
        { minLength: 1, maxLength: 3 },
      ),
      message: fc.constantFrom("free-form", "template", "direct-send"),
      type: fc.constantFrom("text", "reaction"),
      retryAfter: instant(options.base).map((t) => t + 2 * 24 * HOUR),
      errorSubcode: fc.constantFrom(1893063, 2018278),
      tag: fc.constantFrom("ACCOUNT_UPDATE", "POST_PURCHASE_UPDATE", "HUMAN_AGENT", "constructor"),
      at,
      thread,
    },
    { requiredKeys: ["kind", "id", "status", "at", "thread"] },
  );
  const consent: fc.Arbitrary<ConsentEvent> = fc.record({
    kind: fc.constant("consent" as const),
    action: fc.constantFrom("opt-in", "opt-out"),
    scope: fc.constantFrom("all", "marketing", "utility", "authentication"),
    source: fc.constantFrom(...SOURCES),
    at,
    thread,
  });
  const marketing = fc.record({
    kind: fc.constant("marketing-preference" as const),
    value: fc.constantFrom("stop", "resume"),
    at,
    thread,
  });
  const block = fc.record({
    kind: fc.constant("block" as const),
    value: fc.constantFrom("block", "unblock"),
    at,
    thread,
  });
  return fc.oneof(
    { arbitrary: inbound, weight: 6 },
    { arbitrary: call, weight: 2 },
    { arbitrary: outbound, weight: 3 },
    { arbitrary: status, weight: 4 },
    { arbitrary: consent, weight: 3 },
    { arbitrary: marketing, weight: 1 },
    { arbitrary: block, weight: 1 },
  ) as fc.Arbitrary<ThreadEvent>;
}

/** Every valid intent shape. */
export const intent: fc.Arbitrary<Intent> = fc.oneof(
  fc.record(
    {
      kind: fc.constant("free-form" as const),
      type: fc.constantFrom("text", "image", "reaction", "interactive", "poll"),
      sender: fc.constantFrom("human", "automation"),
      directSend: fc.constantFrom("utility", "authentication"),
    },
    { requiredKeys: ["kind"] },
  ),
  fc.record(
    {
      kind: fc.constant("template" as const),
      category: fc.constantFrom("marketing", "utility", "authentication", "unknown"),
      name: fc.constantFrom("order_update", "summer_sale"),
      sender: fc.constantFrom("human", "automation"),
    },
    { requiredKeys: ["kind", "category"] },
  ),
);

export const TIME_ZONES = [
  "UTC",
  "America/Sao_Paulo",
  "Europe/Berlin",
  "America/New_York",
  "Asia/Tokyo",
  "Asia/Kolkata",
] as const;

/** Every valid option, each present or absent. */
export const decideOptions: fc.Arbitrary<DecideOptions> = fc.record(
  {
    requireOptIn: fc.boolean(),
    safetyMarginMs: fc.integer({ min: 0, max: 2 * HOUR }),
    openWhenClockBehind: fc.boolean(),
    openWindowOn: fc.record(
      {
        reaction: fc.boolean(),
        system: fc.boolean(),
        welcome: fc.boolean(),
        unsupported: fc.boolean(),
        edit: fc.boolean(),
        revoke: fc.boolean(),
        callPermission: fc.boolean(),
        other: fc.boolean(),
      },
      { requiredKeys: [] },
    ),
    fepEstimateMs: fc.integer({ min: 0, max: 7 * 24 * HOUR }),
    fepFromPostReferral: fc.boolean(),
    fepRequirePlatform: fc.boolean(),
    timeZone: fc.constantFrom(...TIME_ZONES),
    era: fc.constantFrom(...ERAS.map((e) => e.id)),
    serviceTier: fc.record(
      { used: fc.nat({ max: 3000 }), month: fc.constant("2026-11") },
      { requiredKeys: ["used"] },
    ),
    paymentMethodOnFile: fc.boolean(),
    governmentExempt: fc.boolean(),
    directSendEligible: fc.boolean(),
    directSendFreeInFep: fc.boolean(),
    usMarketingPause: fc.boolean(),
    onboardedAt: instant(),
    customer: fc.constantFrom("5511987654321", "15551234567", "US.1502576394655843"),
  },
  { requiredKeys: [] },
);
