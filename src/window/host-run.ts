/**
 * Runs the host's own rules after Meta's allowed a send: the first that holds it back decides
 * (reason `host-rule`). Host code is read defensively: a rule that throws or answers with
 * something that is neither `undefined` nor a hold is a typed error naming it.
 *
 * @module
 * @internal
 */
import { InvalidInputError } from "../domain/errors.js";
import type { Verdict } from "./decision.js";
import type { DecideContext } from "./facts.js";
import type { HostRule, HostRuleInput } from "./host.js";
import type { HostFired } from "./table.js";

/** What a host rule's `check` gave, read defensively (it is host code). */
type CheckResult =
  | { readonly kind: "go" }
  | { readonly kind: "hold"; readonly hold: HostFired["hold"] }
  | { readonly kind: "threw"; readonly error: unknown }
  | { readonly kind: "bad"; readonly what: string };

const GO: CheckResult = { kind: "go" };

/** A thrown value's message, for an error text; never throws itself. */
function messageOf(error: unknown): string {
  try {
    return error instanceof Error ? String(error.message) : String(error);
  } catch {
    return "(a value that cannot be printed)";
  }
}

/**
 * Runs one host rule's `check` and reads its answer inside one guard: `undefined` / `null` let
 * the send go; a plain object holds it (a string `explanation` and a finite `until` are kept,
 * anything else falls back); anything else (a promise from an `async` check, `false`, a string)
 * is a bug in the rule, not a hold.
 */
function runCheck(rule: HostRule, input: HostRuleInput, title: string): CheckResult {
  try {
    const hold: unknown = rule.check(input);
    if (hold === undefined || hold === null) return GO;
    if (typeof hold !== "object") return { kind: "bad", what: `returned ${typeof hold}` };
    if (typeof (hold as { then?: unknown }).then === "function") {
      return { kind: "bad", what: "returned a promise (check must be synchronous)" };
    }
    const { explanation, until } = hold as { explanation?: unknown; until?: unknown };
    const text = typeof explanation === "string" ? explanation : `Held back by ${title}.`;
    return {
      kind: "hold",
      hold:
        typeof until === "number" && Number.isFinite(until)
          ? { explanation: text, until }
          : { explanation: text },
    };
  } catch (error) {
    return { kind: "threw", error };
  }
}

/**
 * Runs one host rule. A rule that throws, or answers with something that is neither
 * `undefined` nor a hold, is a bad option: an {@link InvalidInputError} naming
 * `options.rules[i]` (a thrown error becomes its `cause`).
 */
function checkHostRule(
  rule: HostRule,
  index: number,
  input: HostRuleInput,
): HostFired["hold"] | undefined {
  const r = runCheck(rule, input, rule.title);
  if (r.kind === "go") return undefined;
  if (r.kind === "hold") return r.hold;
  const field = `options.rules[${index}]`;
  if (r.kind === "bad") {
    throw new InvalidInputError(
      "invalid-argument",
      `${field} (${rule.id}) check() ${r.what}: return undefined or { explanation, until? }`,
      field,
    );
  }
  throw new InvalidInputError(
    "invalid-argument",
    `${field} (${rule.id}) threw from check(): ${messageOf(r.error)}`,
    field,
    r.error,
  );
}

/** The first host rule that holds the send back, if any (they run only on allowed sends). */
export function hostHold(
  ctx: DecideContext,
  outcome: "session" | "template",
  window: Verdict["window"],
  channel: Verdict["channel"],
): HostFired | undefined {
  for (let i = 0; i < ctx.hostRules.length; i++) {
    const rule = ctx.hostRules[i] as HostRule;
    const hold = checkHostRule(rule, i, {
      state: ctx.state,
      intent: ctx.intent,
      channel,
      at: ctx.at,
      outcome,
      window,
      timeZone: ctx.timeZone,
    });
    if (hold !== undefined) return { rule, hold };
  }
  return undefined;
}
