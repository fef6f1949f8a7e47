/**
 * What a WhatsApp entry of the rule table tests, as data, and the one reading of it. The table
 * builds each WhatsApp lane's `when` from its test; the runner reads the tests directly (one
 * call site for every lane instead of a call per lane).
 *
 * @module
 * @internal
 */
import type { BlockedReason, PricingInfo, TemplateReason } from "./decision.js";
import type { WaFacts } from "./facts.js";

/** The facts of {@link WaFacts} a WhatsApp lane may test (numbers: the runner switches on them). */
export const ON = {
  businessBlocked: 0,
  billing: 1,
  accountLimited: 2,
  blocker: 3,
  open: 4,
  closed: 5,
  paymentMissing: 6,
} as const;

/**
 * What a WhatsApp lane tests, as data: `on` a fact of {@link WaFacts} ({@link ON}), `is` the
 * value for facts with several (`blocker`, `closed`). {@link waHolds} is the one reading of it:
 * the runner calls it directly (one call site for every lane) and each lane's `when` is built
 * from it.
 */
export interface WaTest {
  readonly on: (typeof ON)[keyof typeof ON];
  readonly is: BlockedReason | TemplateReason | undefined;
}

/** Whether a WhatsApp lane's {@link WaTest} holds; `price` is the lane's price (phase `price`). */
export function waHolds(t: WaTest, f: WaFacts, price: PricingInfo | undefined): boolean {
  switch (t.on) {
    case ON.businessBlocked:
      return f.businessBlocked;
    case ON.billing:
      return f.billing !== undefined;
    case ON.accountLimited:
      return f.accountLimit !== undefined && f.businessInitiated;
    case ON.blocker:
      return f.blocker !== undefined && f.blocker === t.is;
    case ON.open:
      return f.w.open;
    case ON.closed:
      return f.closed === t.is;
    default:
      // OPEN-8 / PRICE-7: without a payment method, charged messages are blocked. An unknown
      // charge may be a charge (e.g. a service message with no tier count): conservative.
      return (
        f.ctx.options.paymentMethodOnFile === false &&
        price !== undefined &&
        price.charge !== "free"
      );
  }
}
