/**
 * `decide(state, intent, now, options?)`: session, template or blocked — why, until when, at
 * what price. Pure: no clock, no I/O, no zod.
 *
 * @module
 */

import { assertDecideOptions, decideOptionsProblem, passedLast } from "../domain/check.js";
import { CareWindowError, InvalidInputError } from "../domain/errors.js";
import { LATEST_INSTANT } from "../domain/event.js";
import { describe } from "../domain/event-values.js";
import type { Intent } from "../domain/types.js";
import type { Decision, Verdict } from "./decision.js";
import { toInstant, type ZoneInfo, zoneFor } from "./evaluate.js";
import type { DecideContext } from "./facts.js";
import { assertHostRules, type HostRule } from "./host.js";
import type { DecideOptions } from "./options.js";
import { render } from "./render.js";

export { ruleRefs } from "./render.js";

import { run } from "./run.js";
import { assertState, isSealed, stateProblem, type ThreadState, withCarried } from "./state.js";

export type { DecideContext } from "./facts.js";

const CATEGORIES: ReadonlySet<string> = new Set([
  "marketing",
  "utility",
  "authentication",
  "unknown",
]);

/**
 * The intent with a template category in any case (Meta's management API and template webhooks
 * write `"UTILITY"`) turned into ours (#15 item 8); anything else unchanged.
 */
export function normalizeIntent(intent: unknown): unknown {
  if (typeof intent !== "object" || intent === null) return intent;
  const i = intent as { kind?: unknown; category?: unknown };
  if (i.kind !== "template" || typeof i.category !== "string") return intent;
  const lower = i.category.toLowerCase();
  return lower === i.category || !CATEGORIES.has(lower) ? intent : { ...intent, category: lower };
}

/**
 * Validates an intent at the public boundary; throws {@link InvalidInputError} naming the field.
 *
 * @example
 * ```ts
 * assertIntent({ kind: "template", category: "utility" }); // ok
 * assertIntent({ kind: "fax" }); // throws InvalidInputError, field "intent.kind"
 * ```
 */
export function assertIntent(intent: unknown, field = "intent"): asserts intent is Intent {
  if (typeof intent !== "object" || intent === null) badIntent(field, "must be an object");
  const i = intent as Record<string, unknown>;
  const kind = i["kind"];
  if (kind === "free-form") {
    if (i["type"] !== undefined && typeof i["type"] !== "string") {
      badIntent(`${field}.type`, "must be a string");
    }
    const ds = i["directSend"];
    if (ds !== undefined && ds !== "utility" && ds !== "authentication") {
      badIntent(`${field}.directSend`, 'must be "utility" or "authentication"');
    }
  } else if (kind === "template") {
    const c = i["category"];
    if (c !== "marketing" && c !== "utility" && c !== "authentication" && c !== "unknown") {
      badIntent(
        `${field}.category`,
        'must be "marketing", "utility", "authentication" or "unknown"',
      );
    }
  } else {
    badIntent(`${field}.kind`, `must be "free-form" or "template", got ${describe(kind)}`);
  }
  const sender = i["sender"];
  if (sender !== undefined && sender !== "human" && sender !== "automation") {
    badIntent(`${field}.sender`, 'must be "human" or "automation"');
  }
}

/** The {@link InvalidInputError} (`invalid-intent`) naming `field`: one place builds them all. */
function badIntent(field: string, message: string): never {
  throw new InvalidInputError("invalid-intent", `${field} ${message}`, field);
}

/**
 * No options: one shared object, so a host that passes none gets the options fast path too
 * (a fresh `{}` per call would be checked in full every time). Frozen: a decision only reads it.
 */
const NO_OPTIONS: DecideOptions = Object.freeze({});

/** What {@link checkDecideOptions} resolves from an options object. */
interface CheckedOptions {
  readonly zone: ZoneInfo;
  readonly hostRules: readonly HostRule[];
}

/**
 * The options object {@link checkDecideOptions} accepted last (none yet: a symbol no host
 * holds), the members it read and what it resolved from them: hosts pass the same options object
 * to every decision. Module variables rather than one record: no map check per read.
 */
let lastOptions: unknown = Symbol("none");
let lastSafetyMarginMs: number | undefined;
let lastFepEstimateMs: number | undefined;
let lastTimeZone: string | undefined;
let lastRules: readonly HostRule[] | undefined;
let lastChecked: CheckedOptions | undefined;

/**
 * Validates the options of a decision (`field` names them in errors: `options`, or
 * `options.decide` where the timeline takes them) and resolves the zone and the host rules.
 *
 * @internal
 */
export function checkDecideOptions(options: DecideOptions, field: string): CheckedOptions {
  // Hot path: the object that passed last, not checked again by `assertDecideOptions` either (a
  // host that mutates it meets the same checks as before: see check.ts).
  const same = options === lastOptions && passedLast(options);
  if (!same) assertDecideOptions(options, field); // issue 10: a bad option is a typed error naming it
  // The members checked on every call, read once each and in this order, as always.
  const safetyMarginMs = options.safetyMarginMs;
  const fepEstimateMs = options.fepEstimateMs;
  const timeZone = options.timeZone;
  const rules = options.rules;
  if (
    same &&
    safetyMarginMs === lastSafetyMarginMs &&
    fepEstimateMs === lastFepEstimateMs &&
    timeZone === lastTimeZone &&
    rules === lastRules
  ) {
    // The same values passed last time; a rule list is checked again (its rules may have changed).
    if (rules !== undefined) assertHostRules(rules, field);
    return lastChecked as CheckedOptions; // set with `lastOptions`, which `same` compared
  }
  // A negative margin or estimate would stretch the window or the FEP (CSW-2, OPEN-1, OPEN-2).
  assertDuration(safetyMarginMs, `${field}.safetyMarginMs`);
  assertDuration(fepEstimateMs, `${field}.fepEstimateMs`);
  const checked = { zone: zoneFor(timeZone, field), hostRules: assertHostRules(rules, field) };
  lastOptions = options;
  lastSafetyMarginMs = safetyMarginMs;
  lastFepEstimateMs = fepEstimateMs;
  lastTimeZone = timeZone;
  lastRules = rules;
  lastChecked = checked;
  return checked;
}

/** The valid intents of the plain kind, read by name: no copy, no error to build (the hot path). */
function isPlainIntent(intent: unknown): intent is Intent {
  if (typeof intent !== "object" || intent === null) return false;
  const i = intent as {
    readonly kind?: unknown;
    readonly type?: unknown;
    readonly directSend?: unknown;
    readonly category?: unknown;
    readonly sender?: unknown;
  };
  const kind = i.kind;
  if (kind === "free-form") {
    const type = i.type;
    const ds = i.directSend;
    if (type !== undefined && typeof type !== "string") return false;
    if (ds !== undefined && ds !== "utility" && ds !== "authentication") return false;
  } else if (kind === "template") {
    // Lower case only: another case is turned into ours by `normalizeIntent` (#15 item 8).
    const c = i.category;
    if (c !== "marketing" && c !== "utility" && c !== "authentication" && c !== "unknown") {
      return false;
    }
  } else return false;
  const sender = i.sender;
  return sender === undefined || sender === "human" || sender === "automation";
}

/** Validates the inputs of {@link decide} / {@link verdict} into a context. */
function contextOf(
  state: ThreadState,
  intent: Intent,
  now: Date | number,
  options: DecideOptions,
  stateChecked: boolean,
): DecideContext {
  if (!stateChecked) assertState(state);
  const { zone, hostRules } = checkDecideOptions(options, "options");
  let resolved: unknown = intent;
  // A valid intent as the host wrote it goes as it is; anything else is normalised and checked
  // (the same errors as ever).
  if (!isPlainIntent(intent)) {
    resolved = normalizeIntent(intent);
    assertIntent(resolved, "intent");
  }
  return {
    state,
    intent: resolved as Intent,
    at:
      typeof now === "number" && now >= -LATEST_INSTANT && now <= LATEST_INSTANT
        ? now
        : toInstant(now, "now"),
    options,
    timeZone: zone.name,
    zone,
    hostRules,
  };
}

/**
 * Decides whether `intent` may go on the thread whose folded state is `state`, at `now`, by
 * running the rule table (Meta's rules, then the host's own `options.rules`).
 *
 * Expected outcomes are values: a closed window, a missing opt-in or a marketing stop come back
 * as a {@link Decision}, never as an exception. Only invalid input throws
 * ({@link InvalidInputError}, naming the field). The decision is plain data (spread,
 * `structuredClone`, `postMessage` and `JSON.stringify` keep every field); its prose is rendered
 * from the table entries that fired (`fired`). Where only the outcome matters (partitioning a
 * campaign), {@link verdict} skips the prose.
 *
 * @param state - The thread's folded state ({@link foldEvents}).
 * @param intent - What the business wants to send.
 * @param now - The instant to decide for (your clock's reading; nothing here reads one).
 * @param options - Host settings; every uncertain rule is an option with a conservative default.
 * @returns The decision: outcome, reason, explanation, window, FEP, pricing, alternatives, rules.
 *
 * @example
 * ```ts
 * const thread = { business: "106540352242922", customer: "5511987654321" };
 * const state = foldEvents(emptyState(), [
 *   { kind: "inbound", id: "wamid.A", type: "text", at: Date.parse("2026-11-26T09:00:00Z"), thread },
 * ]);
 * const d = decide(state, { kind: "free-form" }, new Date("2026-11-26T15:00:00Z"));
 * d.outcome;         //=> "session"
 * d.window.closesAt; //=> 2026-11-27T09:00:00.000Z
 * decide(state, { kind: "free-form" }, new Date("2026-11-27T09:00:00Z")).reason; //=> "window-closed"
 * ```
 */
export function decide(
  state: ThreadState,
  intent: Intent,
  now: Date | number,
  options: DecideOptions = NO_OPTIONS,
): Decision {
  const ctx = contextOf(state, intent, now, options, isSealed(state));
  return guarded(ctx, renderRun);
}

const renderRun = (ctx: DecideContext): Decision => render(run(ctx));
const verdictRun = (ctx: DecideContext): Verdict => run(ctx).verdict;

/**
 * Runs `f` (the table) on a checked context. Its inputs were checked, but host objects are read
 * again while the table runs: a state that is not sealed (a getter or proxy may answer
 * differently then) and the options (an object that passed once is not checked again, so a
 * member changed in place since is read unchecked). An error that is not ours becomes the
 * {@link InvalidInputError} that the full check of the options, or of such a state, now gives
 * (naming the field, the original error as its `cause`); any other error is thrown as it is.
 */
function guarded<T>(ctx: DecideContext, f: (ctx: DecideContext) => T): T {
  try {
    // OPEN-15: restrictions carried from an earlier number are read as the thread's own.
    return f(ctx.state.carried === undefined ? ctx : { ...ctx, state: withCarried(ctx.state) });
  } catch (error) {
    throw typedError(ctx, error);
  }
}

/** The error {@link guarded} throws for `error`. */
function typedError(ctx: DecideContext, error: unknown): unknown {
  if (error instanceof CareWindowError) return error;
  const options = decideOptionsProblem(ctx.options);
  if (options !== undefined) {
    const message = `${options.message} (the options changed after they passed)`;
    return new InvalidInputError("invalid-argument", message, options.field, error);
  }
  const problem = isSealed(ctx.state) ? undefined : stateProblem(ctx.state);
  if (problem === undefined) return error;
  return new InvalidInputError(
    "invalid-state",
    `${problem[0]} ${problem[1]} (the state changed while it was read)`,
    problem[0],
    error,
  );
}

/**
 * {@link decide} on a state the caller has just checked itself and never handed out in between
 * (the service's, fresh from `decodeState` or `emptyState()`): the state's shape is not checked
 * a second time.
 *
 * @internal
 */
export const decideChecked = (
  state: ThreadState,
  intent: Intent,
  now: Date | number,
  options: DecideOptions,
): Decision => guarded(contextOf(state, intent, now, options, true), renderRun);

/**
 * The same outcome, reason and pricing as {@link decide}, without the prose: plain data with
 * instants as epoch milliseconds, for hot paths such as partitioning a campaign by outcome.
 *
 * @example
 * ```ts
 * const v = verdict(state, { kind: "template", category: "marketing" }, now); // `now`: your clock's reading
 * v.outcome; //=> "template"
 * v.fired;   //=> ["window-closed"]
 * ```
 */
export function verdict(
  state: ThreadState,
  intent: Intent,
  now: Date | number,
  options: DecideOptions = NO_OPTIONS,
): Verdict {
  const ctx = contextOf(state, intent, now, options, isSealed(state));
  return guarded(ctx, verdictRun);
}

/** An optional duration option: absent, or a finite number of milliseconds ≥ 0. */
function assertDuration(value: number | undefined, field: string): void {
  if (value === undefined || (typeof value === "number" && Number.isFinite(value) && value >= 0)) {
    return;
  }
  throw new InvalidInputError(
    "invalid-argument",
    `${field} must be a finite, non-negative number of milliseconds`,
    field,
  );
}
