/**
 * The {@link Verdict}: a decision without its prose, for hot paths.
 *
 * @module
 */
import type { Channel, Intent } from "../domain/types.js";
import type {
  BlockedReason,
  FreeEntryPointInfo,
  MessagingTag,
  PricingInfo,
  SessionReason,
  TemplateReason,
  UnsentPricing,
} from "./decision.js";

/**
 * The window, in epoch milliseconds, as a {@link Verdict} carries it.
 *
 * @example
 * ```ts
 * const w: WindowAt = { open: true, closesAt: 1764234000000, remainingMs: 3_600_000, lastInboundAt: 1764147600000 };
 * ```
 */
export interface WindowAt {
  readonly open: boolean;
  readonly closesAt: number | null;
  readonly remainingMs: number;
  readonly lastInboundAt: number | null;
}

/**
 * The free entry point, in epoch milliseconds, as a {@link Verdict} carries it.
 *
 * @example
 * ```ts
 * const f: FreeEntryPointAt = { open: false, closesAt: null, source: "none" };
 * ```
 */
export interface FreeEntryPointAt {
  readonly open: boolean;
  readonly closesAt: number | null;
  readonly source: FreeEntryPointInfo["source"];
}

interface VerdictBase {
  readonly channel: Channel;
  readonly intent: Intent;
  /** The instant decided for, epoch ms. */
  readonly at: number;
  readonly window: WindowAt;
  readonly freeEntryPoint: FreeEntryPointAt;
  /** The rule-table entries that decided, in table order: reasons, then host rule ids. */
  readonly fired: readonly string[];
  readonly tag?: MessagingTag;
}

/**
 * A decision without its prose, for hot paths (campaign partitioning): plain data with instants
 * as epoch milliseconds. {@link verdict} returns it; {@link decide} returns the full
 * {@link Decision} with the same outcome, reason and pricing.
 *
 * @example
 * ```ts
 * const v = verdict(state, { kind: "free-form" }, now);
 * if (v.outcome === "session") queueReply(v.window.closesAt);
 * ```
 */
export type Verdict =
  | (VerdictBase & {
      readonly outcome: "session";
      readonly reason: SessionReason;
      readonly pricing: PricingInfo;
    })
  | (VerdictBase & {
      readonly outcome: "template";
      readonly reason: TemplateReason;
      readonly pricing: PricingInfo;
    })
  | (VerdictBase & {
      readonly outcome: "blocked";
      readonly reason: BlockedReason;
      readonly pricing: UnsentPricing;
    });
