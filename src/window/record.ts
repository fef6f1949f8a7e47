/**
 * The object behind every {@link Decision}: the verdict, window, FEP and pricing are computed
 * eagerly; `explanation`, `alternatives`, `rules` and `notes` are rendered on first read and
 * memoised, so a campaign that only reads `outcome` pays for none of the prose. `toJSON()` (and
 * therefore `JSON.stringify`) returns the complete plain object.
 *
 * @module
 * @internal
 */
import type { Channel, Intent } from "../domain/types.js";
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

/** The prose parts of a decision, rendered on demand. */
export interface Rendered {
  readonly explanation: string;
  readonly alternatives: readonly Alternative[];
  readonly rules: readonly RuleRef[];
  readonly notes: readonly string[];
}

/** The eager parts of a decision. */
export interface DecisionCore {
  readonly outcome: Outcome;
  readonly reason: Reason;
  readonly channel: Channel;
  readonly intent: Intent;
  readonly at: Date;
  readonly window: WindowInfo;
  readonly freeEntryPoint: FreeEntryPointInfo;
  readonly pricing: PricingInfo;
  readonly tag?: MessagingTag;
}

/** Decision object with memoised prose; see the module docs. */
export class DecisionRecord<F> {
  readonly outcome: Outcome;
  readonly reason: Reason;
  readonly channel: Channel;
  readonly intent: Intent;
  readonly at: Date;
  readonly window: WindowInfo;
  readonly freeEntryPoint: FreeEntryPointInfo;
  readonly pricing: PricingInfo;
  readonly tag?: MessagingTag;
  #facts: F;
  #render: (core: DecisionCore, facts: F) => Rendered;
  #rendered: Rendered | undefined;

  constructor(core: DecisionCore, facts: F, render: (core: DecisionCore, facts: F) => Rendered) {
    this.outcome = core.outcome;
    this.reason = core.reason;
    this.channel = core.channel;
    this.intent = core.intent;
    this.at = core.at;
    this.window = core.window;
    this.freeEntryPoint = core.freeEntryPoint;
    this.pricing = core.pricing;
    if (core.tag !== undefined) this.tag = core.tag;
    this.#facts = facts;
    this.#render = render;
  }

  #prose(): Rendered {
    this.#rendered ??= this.#render(this, this.#facts);
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
