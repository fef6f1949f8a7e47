/**
 * Shared builders for the core tests: one WhatsApp thread, events with provider timestamps in
 * epoch milliseconds, and a few instants in each pricing era.
 */
import {
  type BlockEvent,
  type CallEvent,
  type ConsentEvent,
  type ConsentScope,
  type DecideOptions,
  type Decision,
  decide,
  emptyState,
  foldEvents,
  type InboundEvent,
  type Intent,
  type MarketingPreferenceEvent,
  type OutboundEvent,
  type StatusEvent,
  type Thread,
  type ThreadEvent,
  type ThreadState,
} from "../../src/index.js";

export const THREAD: Thread = { business: "106540352242922", customer: "5511987654321" };

/**
 * fast-check runs per property: 1,000 by default. The TZ re-runs in child processes
 * (tz.test.ts) lower it through CARE_WINDOW_PROP_RUNS to keep the suite's runtime reasonable.
 */
export const PROP_RUNS = Number(process.env["CARE_WINDOW_PROP_RUNS"] ?? 1000);

export const SECOND = 1_000;
export const MINUTE = 60_000;
export const HOUR = 3_600_000;
export const DAY = 86_400_000;

/** 2026-11-26 09:00 UTC: the `pmp-service-tier-2026` era. */
export const T26 = Date.parse("2026-11-26T09:00:00Z");
/** 2025-11-26 09:00 UTC: the `pmp-2025` era. */
export const T25 = Date.parse("2025-11-26T09:00:00Z");

let seq = 0;
const nextId = (prefix: string): string => `wamid.${prefix}${(seq++).toString(36)}`;

export const inbound = (at: number, extra: Partial<InboundEvent> = {}): InboundEvent => ({
  kind: "inbound",
  id: nextId("IN"),
  type: "text",
  at,
  thread: THREAD,
  ...extra,
});

export const adEntry = (at: number, sourceType: "ad" | "post" = "ad"): InboundEvent =>
  inbound(at, { referral: { sourceType, sourceId: "120226305854810726", ctwaClid: "ARA1" } });

export const call = (
  at: number,
  direction: CallEvent["direction"],
  phase: CallEvent["phase"],
): CallEvent => ({ kind: "call", id: nextId("CALL"), direction, phase, at, thread: THREAD });

export const outbound = (at: number, extra: Partial<OutboundEvent> = {}): OutboundEvent => ({
  kind: "outbound",
  id: nextId("OUT"),
  message: "free-form",
  type: "text",
  at,
  thread: THREAD,
  ...extra,
});

export const status = (at: number, extra: Partial<StatusEvent> = {}): StatusEvent => ({
  kind: "status",
  id: nextId("OUT"),
  status: "delivered",
  at,
  thread: THREAD,
  ...extra,
});

export const failed = (at: number, code: number, extra: Partial<StatusEvent> = {}): StatusEvent =>
  status(at, { status: "failed", errors: [code], message: "free-form", ...extra });

export const consent = (
  at: number,
  action: ConsentEvent["action"],
  scope: ConsentScope,
  source = "checkout-form",
): ConsentEvent => ({ kind: "consent", action, scope, source, at, thread: THREAD });

export const marketingPref = (
  at: number,
  value: MarketingPreferenceEvent["value"],
): MarketingPreferenceEvent => ({ kind: "marketing-preference", value, at, thread: THREAD });

export const block = (at: number, value: BlockEvent["value"]): BlockEvent => ({
  kind: "block",
  value,
  at,
  thread: THREAD,
});

export const fold = (...events: ThreadEvent[]): ThreadState => foldEvents(emptyState(), events);

export const FREE_FORM: Intent = { kind: "free-form" };
export const MARKETING: Intent = { kind: "template", category: "marketing" };
export const UTILITY: Intent = { kind: "template", category: "utility" };
export const AUTHENTICATION: Intent = { kind: "template", category: "authentication" };
export const REACTION: Intent = { kind: "free-form", type: "reaction" };
export const DIRECT_UTILITY: Intent = { kind: "free-form", directSend: "utility" };

/** `decide` on a state folded from `events`. */
export const decideOn = (
  events: readonly ThreadEvent[],
  intent: Intent,
  now: number | Date,
  options?: DecideOptions,
): Decision => decide(fold(...events), intent, now, options);

/**
 * The decision through `structuredClone`: decisions are plain data (0.2.0), so the clone must keep
 * every field (a class instance, a getter or a function would be lost or throw here).
 */
export function plain(d: Decision): Decision {
  if (Object.getPrototypeOf(d) !== Object.prototype) throw new Error("a Decision must be plain");
  return structuredClone(d);
}

/** The IDs of the rules a decision cites. */
export const ruleIds = (d: Decision): string[] => d.rules.map((r) => r.id);
