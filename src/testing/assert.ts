/**
 * Assertions on decisions that explain themselves, for any test runner (vitest, jest, node:test,
 * mocha): they throw a {@link CareWindowAssertionError} whose message prints the decision's
 * explanation, reason, window, free entry point, pricing and the thread's timeline, and whose
 * `actual` / `expected` fields let runners that know them (vitest, mocha) show a diff.
 *
 * No test framework is imported.
 *
 * @module
 */
import { InvalidInputError } from "../domain/errors.js";
import type { CareEvent, Instant, Thread, ThreadEvent } from "../domain/types.js";
import { DAY_MS, MINUTE_MS, SECOND_MS } from "../policy/units.js";
import { renderTimelineText } from "../timeline/text.js";
import type {
  BlockedDecision,
  BlockedReason,
  Decision,
  Outcome,
  PricingCategory,
  PricingInfo,
  Reason,
  SessionDecision,
  SessionReason,
  TemplateDecision,
  TemplateReason,
} from "../window/decision.js";
import type { DecideOptions } from "../window/options.js";
import { emptyState, foldEvents } from "../window/state.js";

/**
 * What {@link expectDecision} checks; only the members you give are compared.
 *
 * @example
 * ```ts
 * const expected: DecisionExpectation = { outcome: "template", reason: "window-closed", windowOpen: false };
 * ```
 */
export interface DecisionExpectation {
  readonly outcome?: Outcome;
  readonly reason?: Reason;
  /** `decision.window.open`. */
  readonly windowOpen?: boolean;
  /** `decision.window.closesAt` (Date, ISO string or epoch ms), `null` when never opened. */
  readonly closesAt?: Date | string | number | null;
  /** `decision.pricing.charge`. */
  readonly charge?: PricingInfo["charge"];
  /** `decision.pricing.category`. */
  readonly category?: PricingCategory;
  /** `decision.freeEntryPoint.open`. */
  readonly fepOpen?: boolean;
}

/**
 * Extra context printed on failure: the thread's events (a scenario `Customer` fits as is), or
 * a ready timeline text, and a label.
 *
 * @example
 * ```ts
 * expectDecision(decision, { outcome: "session" }, ana); // a scenario customer: thread + events
 * expectDecision(decision, { outcome: "session" }, { events, thread, label: "CSAT check" });
 * ```
 */
export interface AssertionContext {
  /** Events to show as the timeline (filtered to `thread` when given). */
  readonly events?: readonly CareEvent[];
  readonly thread?: Thread;
  /** A timeline text to print instead of rendering `events`. */
  readonly timeline?: string;
  /** Printed first, to tell several assertions apart. */
  readonly label?: string;
  /** The decide options your check used, so the timeline's window bands match (OPEN-1 … 4). */
  readonly decideOptions?: DecideOptions;
  /** Characters of the timeline strip. Default `ascii` (safe in every CI log). */
  readonly charset?: "unicode" | "ascii";
}

/**
 * Thrown by the decision assertions. `actual` and `expected` hold only the compared members, so
 * runners that print diffs (vitest, mocha; jest prints the message) show exactly what differs.
 *
 * @example
 * ```ts
 * try {
 *   assertSession(decision);
 * } catch (e) {
 *   if (e instanceof CareWindowAssertionError) console.log(e.expected, e.actual, e.decision.reason);
 * }
 * ```
 */
export class CareWindowAssertionError extends Error {
  /** The compared members of the decision. */
  readonly actual: Readonly<Record<string, unknown>>;
  /** The expected members. */
  readonly expected: Readonly<Record<string, unknown>>;
  /** The assertion that failed (`expectDecision`, `assertSession`, …). */
  readonly operator: string;
  /** Tells diff-aware runners to print `actual` against `expected`. */
  readonly showDiff = true;
  /** The decision that failed the check. */
  readonly decision: Decision;

  constructor(
    message: string,
    fields: {
      readonly actual: Readonly<Record<string, unknown>>;
      readonly expected: Readonly<Record<string, unknown>>;
      readonly operator: string;
      readonly decision: Decision;
    },
  ) {
    super(message);
    this.name = "CareWindowAssertionError";
    this.actual = fields.actual;
    this.expected = fields.expected;
    this.operator = fields.operator;
    this.decision = fields.decision;
  }
}

/** How far back the timeline strip reaches before the decision. */
const STRIP_MS = 3 * DAY_MS;

const iso = (ms: Instant): string => new Date(ms).toISOString().replace(".000Z", "Z");

function toMs(value: Date | string | number, field: string): Instant {
  const ms =
    value instanceof Date ? value.getTime() : typeof value === "string" ? Date.parse(value) : value;
  if (typeof ms !== "number" || !Number.isFinite(ms)) {
    throw new InvalidInputError(
      "invalid-argument",
      `${field} must be a valid Date, ISO 8601 string or epoch-ms number`,
      field,
    );
  }
  return ms;
}

function assertDecisionLike(decision: unknown, operator: string): asserts decision is Decision {
  if (typeof (decision as { then?: unknown } | null)?.then === "function") {
    throw new InvalidInputError(
      "invalid-argument",
      `${operator}: decision is a Promise — did you forget \`await care.decide(...)\`?`,
      "decision",
    );
  }
  const d = decision as Partial<Decision> | null;
  if (
    typeof d !== "object" ||
    d === null ||
    typeof d.outcome !== "string" ||
    typeof d.window !== "object"
  ) {
    throw new InvalidInputError(
      "invalid-argument",
      `${operator}: decision must be a Decision (from decide() or care.decide()), got ${d === null ? "null" : typeof d}`,
      "decision",
    );
  }
}

// ---------------------------------------------------------------------------------------------
// Timeline
// ---------------------------------------------------------------------------------------------

function describeEvent(e: CareEvent): string {
  switch (e.kind) {
    case "inbound": {
      const what = e.subtype === undefined ? e.type : `${e.type}/${e.subtype}`;
      const ad =
        e.referral === undefined
          ? ""
          : ` from ${e.referral.sourceType}${e.referral.sourceId === undefined ? "" : ` ${e.referral.sourceId}`}`;
      return `customer → ${what}${ad} (${e.id})`;
    }
    case "call":
      return `call ${e.direction} ${e.phase} (${e.id})`;
    case "outbound": {
      const what =
        e.message === "template"
          ? `template${e.category === undefined ? "" : ` ${e.category}`}`
          : `${e.message}${e.type === undefined ? "" : ` ${e.type}`}`;
      return `business → ${what}${e.echo === true ? " [Business app echo]" : ""} (${e.id})`;
    }
    case "status": {
      const parts = [`status ${e.status} of ${e.id}`];
      if (e.errors !== undefined) parts.push(`errors ${e.errors.join(", ")}`);
      if (e.pricing?.type !== undefined || e.pricing?.category !== undefined) {
        parts.push(`pricing ${[e.pricing.type, e.pricing.category].filter(Boolean).join("/")}`);
      }
      if (e.conversationExpiresAt !== undefined)
        parts.push(`FEP ends ${iso(e.conversationExpiresAt)}`);
      return parts.join(", ");
    }
    case "consent":
      return `${e.action} ${e.scope} recorded (source: ${e.source})`;
    case "marketing-preference":
      return `customer ${e.value === "stop" ? "stopped" : "resumed"} marketing`;
    case "block":
      return `business ${e.value === "block" ? "blocked" : "unblocked"} the customer`;
    case "template-category":
      return `template ${e.name} is now ${e.category}${e.status === undefined ? "" : ` (${e.status})`}`;
    case "identity":
      return `identity ${e.change}: ${e.from} → ${e.to}`;
    default: {
      const never: never = e;
      return JSON.stringify(never);
    }
  }
}

function concerns(e: CareEvent, thread: Thread): boolean {
  const channel = thread.channel ?? "whatsapp";
  if (e.kind === "template-category") return true;
  if (e.kind === "identity") {
    return (
      e.business === thread.business &&
      (e.channel ?? "whatsapp") === channel &&
      (e.from === thread.customer || e.to === thread.customer)
    );
  }
  return (
    e.thread.business === thread.business &&
    e.thread.customer === thread.customer &&
    (e.thread.channel ?? "whatsapp") === channel
  );
}

/**
 * A thread's events as text, one line per event in time order (ties keep input order): what
 * the assertions print on failure, and handy in your own logs.
 *
 * @example
 * ```ts
 * console.log(timelineText(ana.events));
 * //   2026-11-26T09:00:00Z  customer → text (wamid.1)
 * //   2026-11-27T10:00:00Z  business → template utility (wamid.2)
 * ```
 */
export function timelineText(events: readonly CareEvent[], thread?: Thread): string {
  const shown = (thread === undefined ? [...events] : events.filter((e) => concerns(e, thread)))
    .map((e, i) => ({ e, i }))
    .sort((a, b) => a.e.at - b.e.at || a.i - b.i);
  if (shown.length === 0) return "  (no events)";
  return shown.map(({ e }) => `  ${iso(e.at)}  ${describeEvent(e)}`).join("\n");
}

// ---------------------------------------------------------------------------------------------
// Report
// ---------------------------------------------------------------------------------------------

/** `1 ms`, `42 s`, `5 h 12 min`. */
function left(ms: number): string {
  if (ms < SECOND_MS) return `${ms} ms`;
  if (ms < MINUTE_MS) return `${Math.floor(ms / SECOND_MS)} s`;
  const minutes = Math.floor(ms / MINUTE_MS);
  const h = Math.floor(minutes / 60);
  return h > 0 ? `${h} h ${minutes % 60} min` : `${minutes} min`;
}

function windowLine(d: Decision): string {
  const w = d.window;
  const last = w.lastInboundAt === null ? "" : `; last inbound ${iso(w.lastInboundAt.getTime())}`;
  if (w.closesAt === null) return `never opened (no qualifying inbound)${last}`;
  const closes = w.closesAt.getTime();
  if (w.open) {
    return `open until ${iso(closes)} (${left(w.remainingMs)} left)${last}`;
  }
  return d.at instanceof Date && closes > d.at.getTime()
    ? `not open at this instant (window end ${iso(closes)})${last}`
    : `closed at ${iso(closes)}${last}`;
}

function fepLine(d: Decision): string {
  const f = d.freeEntryPoint;
  if (f.source === "none") return "none";
  const until = f.closesAt === null ? "" : ` until ${iso(f.closesAt.getTime())}`;
  return `${f.open ? "open" : "closed"}${until} (${f.source})`;
}

function intentText(d: Decision): string {
  const i = d.intent;
  if (i === undefined) return "?";
  if (i.kind === "template")
    return `template ${i.category}${i.name === undefined ? "" : ` "${i.name}"`}`;
  return i.directSend === undefined
    ? `free-form ${i.type ?? "text"}`
    : `Direct Send ${i.directSend}`;
}

/** The thread's picture from `renderTimelineText`, or `undefined` when it cannot be drawn. */
function timelineStrip(d: Decision, context: AssertionContext): string | undefined {
  const events = context.events ?? [];
  const thread = context.thread;
  const own = events.filter(
    (e): e is ThreadEvent => "thread" in e && (thread === undefined || concerns(e, thread)),
  );
  if (own.length === 0 || !(d.at instanceof Date)) return undefined;
  const first = own[0]!.thread;
  // One picture per thread: events of several threads without `thread` would mix windows.
  if (thread === undefined && own.some((e) => !concerns(e, first))) return undefined;
  // Keep the strip readable: at most the last 3 days before the decision (the list is complete).
  const earliest = Math.min(...own.map((e) => e.at));
  const from = d.at.getTime() - STRIP_MS;
  try {
    const text = renderTimelineText(foldEvents(emptyState(), own), d.at, {
      events: own,
      ...(earliest < from ? { from } : {}),
      charset: context.charset ?? "ascii",
      width: 96,
      ...(thread === undefined ? {} : { thread }),
      ...(context.decideOptions === undefined ? {} : { decide: context.decideOptions }),
    });
    return text
      .trimEnd()
      .split("\n")
      .map((line) => `    ${line}`)
      .join("\n");
  } catch {
    return undefined; // e.g. events of several threads without `thread`: the event list remains
  }
}

/**
 * A decision as a multi-line report — verdict, explanation, window, FEP, pricing, alternatives,
 * rules and, with a context, the thread's timeline. The failure message of every assertion here.
 *
 * @example
 * ```ts
 * console.log(describeDecision(await care.decide(ana.thread, intent), ana));
 * ```
 */
export function describeDecision(decision: Decision, context: AssertionContext = {}): string {
  assertDecisionLike(decision, "describeDecision");
  const d = decision;
  const lines: string[] = [];
  const at = d.at instanceof Date ? iso(d.at.getTime()) : "?";
  lines.push(`  decision:     ${d.outcome} (${d.reason}) for ${intentText(d)} at ${at}`);
  const explanation =
    typeof d.explanation === "string"
      ? d.explanation
      : "(this decision object carries no explanation)";
  lines.push(`  explanation:  ${explanation}`);
  lines.push(`  window:       ${windowLine(d)}`);
  lines.push(`  entry point:  ${fepLine(d)}`);
  const p = d.pricing;
  if (p !== undefined) {
    lines.push(`  pricing:      ${p.charge} ${p.category} (${p.type}, era ${p.era})`);
  }
  const alternatives = Array.isArray(d.alternatives) ? d.alternatives : [];
  for (const a of alternatives.slice(0, 3)) lines.push(`  alternative:  ${a.text}`);
  const rules = Array.isArray(d.rules) ? d.rules.map((r) => r.id) : [];
  if (rules.length > 0) lines.push(`  rules:        ${rules.join(", ")}`);
  if (context.timeline !== undefined) {
    lines.push("  timeline:", context.timeline);
  } else if (context.events !== undefined) {
    const who =
      context.thread === undefined
        ? ""
        : ` of ${context.thread.business} / ${context.thread.customer}`;
    const strip = timelineStrip(d, context);
    if (strip !== undefined) lines.push(`  timeline${who}:`, strip);
    const list = timelineText(context.events, context.thread);
    lines.push(`  events${who}:`, list.replace(/^/gm, "  "));
  }
  return lines.join("\n");
}

// ---------------------------------------------------------------------------------------------
// Assertions
// ---------------------------------------------------------------------------------------------

function fail(
  operator: string,
  decision: Decision,
  expected: Record<string, unknown>,
  actual: Record<string, unknown>,
  context: AssertionContext,
): never {
  const diffs = Object.keys(expected)
    .filter((k) => !Object.is(expected[k], actual[k]))
    .map((k) => `${k}: expected ${JSON.stringify(expected[k])}, got ${JSON.stringify(actual[k])}`);
  const head = `${context.label === undefined ? "" : `${context.label}: `}${operator} failed — ${diffs.join("; ")}`;
  throw new CareWindowAssertionError(`${head}\n${describeDecision(decision, context)}`, {
    actual,
    expected,
    operator,
    decision,
  });
}

/**
 * Checks a decision's outcome, reason, window, charge and FEP; only the members given are
 * compared. On a mismatch it throws a {@link CareWindowAssertionError} whose message names each
 * difference and prints the decision's explanation and the thread's timeline.
 *
 * @example
 * ```ts
 * const d = await care.decide(ana.thread, { kind: "free-form" });
 * expectDecision(d, { outcome: "template", reason: "window-closed", closesAt: "2026-11-27T09:00:00Z" }, ana);
 * ```
 */
export function expectDecision(
  decision: Decision,
  expected: DecisionExpectation,
  context: AssertionContext = {},
): void {
  assertDecisionLike(decision, "expectDecision");
  if (typeof expected !== "object" || expected === null) {
    throw new InvalidInputError("invalid-argument", "expected must be an object", "expected");
  }
  const want: Record<string, unknown> = {};
  const got: Record<string, unknown> = {};
  const d = decision;
  if (expected.outcome !== undefined) {
    want.outcome = expected.outcome;
    got.outcome = d.outcome;
  }
  if (expected.reason !== undefined) {
    want.reason = expected.reason;
    got.reason = d.reason;
  }
  if (expected.windowOpen !== undefined) {
    want.windowOpen = expected.windowOpen;
    got.windowOpen = d.window.open;
  }
  if (expected.closesAt !== undefined) {
    want.closesAt =
      expected.closesAt === null ? null : iso(toMs(expected.closesAt, "expected.closesAt"));
    got.closesAt = d.window.closesAt === null ? null : iso(d.window.closesAt.getTime());
  }
  if (expected.charge !== undefined) {
    want.charge = expected.charge;
    got.charge = d.pricing?.charge;
  }
  if (expected.category !== undefined) {
    want.category = expected.category;
    got.category = d.pricing?.category;
  }
  if (expected.fepOpen !== undefined) {
    want.fepOpen = expected.fepOpen;
    got.fepOpen = d.freeEntryPoint?.open;
  }
  if (Object.keys(want).some((k) => !Object.is(want[k], got[k]))) {
    fail("expectDecision", d, want, got, context);
  }
}

function assertOutcome(
  operator: string,
  decision: Decision,
  outcome: Outcome,
  reason: Reason | undefined,
  context: AssertionContext,
): void {
  assertDecisionLike(decision, operator);
  const want: Record<string, unknown> = { outcome };
  const got: Record<string, unknown> = { outcome: decision.outcome };
  if (reason !== undefined) {
    want.reason = reason;
    got.reason = decision.reason;
  }
  if (want.outcome !== got.outcome || want.reason !== got.reason) {
    fail(operator, decision, want, got, context);
  }
}

/**
 * Asserts a `session` decision (free-form may go), optionally with a reason; narrows the type.
 *
 * @example
 * ```ts
 * assertSession(await care.decide(ana.thread, { kind: "free-form" }), "window-open", ana);
 * ```
 */
export function assertSession(
  decision: Decision,
  reason?: SessionReason,
  context: AssertionContext = {},
): asserts decision is SessionDecision {
  assertOutcome("assertSession", decision, "session", reason, context);
}

/**
 * Asserts a `template` decision (only a template may go), optionally with a reason; narrows the
 * type.
 *
 * @example
 * ```ts
 * assertTemplate(await care.decide(ana.thread, { kind: "free-form" }), "window-closed", ana);
 * ```
 */
export function assertTemplate(
  decision: Decision,
  reason?: TemplateReason,
  context: AssertionContext = {},
): asserts decision is TemplateDecision {
  assertOutcome("assertTemplate", decision, "template", reason, context);
}

/**
 * Asserts a `blocked` decision (must not be sent), optionally with a reason; narrows the type.
 *
 * @example
 * ```ts
 * assertBlocked(await care.decide(ana.thread, { kind: "template", category: "marketing" }), "marketing-stopped");
 * ```
 */
export function assertBlocked(
  decision: Decision,
  reason?: BlockedReason,
  context: AssertionContext = {},
): asserts decision is BlockedDecision {
  assertOutcome("assertBlocked", decision, "blocked", reason, context);
}
