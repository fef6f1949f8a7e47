/**
 * The object behind every {@link Decision}. `outcome`, `reason`, `channel`, `intent`, `pricing`
 * and `tag` are plain fields; `at`, `window` and `freeEntryPoint` (which hold `Date`s) and the
 * prose (`explanation`, `alternatives`, `rules`, `notes`) are built on first read and memoised,
 * so a campaign that only partitions recipients by `outcome` pays for none of them. `toJSON()`
 * (and therefore `JSON.stringify`) returns the complete plain object.
 *
 * @module
 * @internal
 */
import type { Channel, Instant, Intent } from "../domain/types.js";
import type {
  Alternative,
  Decision,
  FreeEntryPointInfo,
  MessagingTag,
  Outcome,
  PricingInfo,
  Reason,
  RuleRef,
  WindowInfo,
} from "./decision.js";
import type { WindowEval } from "./evaluate.js";

/** The prose parts of a decision, rendered on demand. */
export interface Rendered {
  readonly explanation: string;
  readonly alternatives: readonly Alternative[];
  readonly rules: readonly RuleRef[];
  readonly notes: readonly string[];
}

/** The free entry point as numbers, turned into {@link FreeEntryPointInfo} on first read. */
export interface FepView {
  readonly open: boolean;
  readonly closesAt: Instant | undefined;
  readonly source: FreeEntryPointInfo["source"];
}

/** What a decider hands to {@link DecisionRecord}. */
export interface DecisionCore {
  readonly outcome: Outcome;
  readonly reason: Reason;
  readonly channel: Channel;
  readonly intent: Intent;
  readonly pricing: PricingInfo;
  readonly tag?: MessagingTag;
  /** The decision's instant, epoch ms. */
  readonly atMs: Instant;
  readonly w: WindowEval;
  readonly fep: FepView;
}

/** The view of a decision the prose renderers read. */
export type DecisionView = Pick<
  Decision,
  "outcome" | "reason" | "channel" | "intent" | "pricing" | "window" | "freeEntryPoint" | "at"
>;

/**
 * The window part of a decision.
 *
 * @internal
 */
export function toWindowInfo(w: WindowEval, at: Instant): WindowInfo {
  return {
    open: w.open,
    closesAt: w.closesAt === undefined ? null : new Date(w.closesAt),
    remainingMs:
      w.open && w.closesAt !== undefined ? w.closesAt - Math.max(at, w.lastInbound ?? at) : 0,
    lastInboundAt: w.lastInbound === undefined ? null : new Date(w.lastInbound),
  };
}

/** Decision object with memoised views and prose; see the module docs. */
export class DecisionRecord<F> {
  readonly outcome: Outcome;
  readonly reason: Reason;
  readonly channel: Channel;
  readonly intent: Intent;
  readonly pricing: PricingInfo;
  // `declare`: no own `tag` key at all on decisions that carry none (WhatsApp).
  declare readonly tag?: MessagingTag;
  #core: DecisionCore;
  #facts: F;
  #render: (view: DecisionView, facts: F) => Rendered;
  #rendered: Rendered | undefined;
  #at: Date | undefined;
  #window: WindowInfo | undefined;
  #fep: FreeEntryPointInfo | undefined;

  constructor(core: DecisionCore, facts: F, render: (view: DecisionView, facts: F) => Rendered) {
    this.outcome = core.outcome;
    this.reason = core.reason;
    this.channel = core.channel;
    this.intent = core.intent;
    this.pricing = core.pricing;
    if (core.tag !== undefined) this.tag = core.tag;
    this.#core = core;
    this.#facts = facts;
    this.#render = render;
  }

  /** The instant the decision is for. */
  get at(): Date {
    this.#at ??= new Date(this.#core.atMs);
    return this.#at;
  }

  /** The customer service window at `at`. */
  get window(): WindowInfo {
    this.#window ??= toWindowInfo(this.#core.w, this.#core.atMs);
    return this.#window;
  }

  /** The free entry point at `at`. */
  get freeEntryPoint(): FreeEntryPointInfo {
    const f = this.#core.fep;
    this.#fep ??= {
      open: f.open,
      closesAt: f.closesAt === undefined ? null : new Date(f.closesAt),
      source: f.source,
    };
    return this.#fep;
  }

  #prose(): Rendered {
    this.#rendered ??= this.#render(this as unknown as DecisionView, this.#facts);
    return this.#rendered;
  }

  /** One plain sentence a support agent understands. */
  get explanation(): string {
    return this.#prose().explanation;
  }

  /** What to do instead. */
  get alternatives(): readonly Alternative[] {
    return this.#prose().alternatives;
  }

  /** The rules that decided, with sources. */
  get rules(): readonly RuleRef[] {
    return this.#prose().rules;
  }

  /** Caveats: defaults assumed, estimates made. */
  get notes(): readonly string[] {
    return this.#prose().notes;
  }

  /** The complete decision as a plain object (used by `JSON.stringify`). */
  toJSON(): Decision {
    const prose = this.#prose();
    const plain = {
      outcome: this.outcome,
      reason: this.reason,
      explanation: prose.explanation,
      channel: this.channel,
      intent: this.intent,
      at: this.at,
      window: this.window,
      freeEntryPoint: this.freeEntryPoint,
      pricing: this.pricing,
      alternatives: prose.alternatives,
      rules: prose.rules,
      notes: prose.notes,
      ...(this.tag === undefined ? {} : { tag: this.tag }),
    };
    return plain as Decision;
  }

  /** Node's `util.inspect` shows the full decision. */
  [Symbol.for("nodejs.util.inspect.custom")](): Decision {
    return this.toJSON();
  }
}

/**
 * A decision as a plain, structured-clone-safe object: every field, prose included. Use it
 * before `structuredClone`, `postMessage`, an object spread or a serialiser that ignores
 * `toJSON` (`JSON.stringify(decision)` needs no help).
 *
 * @example
 * ```ts
 * const d = decide(state, { kind: "free-form" }, now);
 * const copy = { ...plainDecision(d), thread }; // explanation, window, … included
 * ```
 */
export function plainDecision(decision: Decision): Decision {
  const json = (decision as { toJSON?: () => Decision }).toJSON;
  return typeof json === "function" ? json.call(decision) : { ...decision };
}
