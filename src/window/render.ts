/**
 * Renders a decision's prose from the rule-table entries that fired, and nothing else: the
 * context entries before, the deciding entry (or the host rule), the context entries after.
 *
 * @module
 * @internal
 */
import { InvalidInputError } from "../domain/errors.js";
import { DECISION_RULES as RULES, type DecisionRuleId as RuleId } from "../policy/rules.js";
import { type ContextEntry, SOCIAL_AFTER, SOCIAL_BEFORE, WA_AFTER, WA_BEFORE } from "./context.js";
import type { Decision, FreeEntryPointInfo, RuleRef, Verdict, WindowInfo } from "./decision.js";
import type { Facts } from "./facts.js";
import type { RunResult } from "./run.js";
import { type HostFired, type Render, TABLE } from "./table.js";

/**
 * One frozen reference per rulebook rule, built on first citation and shared by every decision
 * citing it (`RuleRef` is read-only; spread, `structuredClone` and JSON copy it as plain data).
 */
const refs = new Map<RuleId, RuleRef>();

/**
 * Rule references, deduplicated, with titles and sources.
 *
 * @internal
 */
export function ruleRefs(ids: readonly RuleId[]): RuleRef[] {
  const out: RuleRef[] = [];
  const seen = new Set<RuleId>();
  for (const id of ids) {
    if (seen.has(id)) continue;
    seen.add(id);
    let ref = refs.get(id);
    if (ref === undefined) {
      // Only a custom era's charge case can cite an id the rulebook does not have.
      const rule = Object.hasOwn(RULES, id) ? RULES[id] : undefined;
      if (rule === undefined) {
        throw new InvalidInputError(
          "invalid-argument",
          `options.era cites "${String(id)}", which is not a decision rule ID`,
          "options.era",
        );
      }
      ref = Object.freeze({ id, title: rule.title, source: rule.source });
      refs.set(id, ref);
    }
    out.push(ref);
  }
  return out;
}

interface Prose {
  readonly explanation: string;
  readonly alternatives: Decision["alternatives"];
  readonly rules: readonly RuleRef[];
  readonly notes: readonly string[];
  readonly fired: readonly string[];
}

function prose<F>(
  f: F,
  v: Verdict,
  host: HostFired | undefined,
  entry: Render<F>,
  context: readonly [readonly ContextEntry<F>[], readonly ContextEntry<F>[]],
  priceRules: readonly RuleId[],
): Prose {
  const ids: RuleId[] = [];
  const notes: string[] = [];
  const fired: string[] = [v.reason];
  const apply = (list: readonly ContextEntry<F>[]): void => {
    for (const c of list) {
      if (!c.when(f, v)) continue;
      fired.push(c.id);
      ids.push(...c.cite(f, v));
      if (c.note !== undefined) notes.push(c.note(f, v));
    }
  };
  apply(context[0]);
  ids.push(...entry.cite(f, v));
  apply(context[1]);
  ids.push(...priceRules);
  const rules = ruleRefs(ids);
  if (host !== undefined) {
    fired.push(host.rule.id);
    rules.push({ id: host.rule.id, title: host.rule.title, source: host.rule.source ?? "host" });
  }
  return {
    explanation: entry.explain(f, v, host),
    alternatives: entry.offer(f, v, host),
    rules,
    notes,
    fired,
  };
}

function proseOf(r: RunResult): Prose {
  const f: Facts = r.facts;
  const v = r.verdict;
  const entry = TABLE[v.reason];
  if (f.channel === "whatsapp") {
    const render = entry.whatsapp;
    // A reason with no WhatsApp entry cannot come out of a WhatsApp run (the table is the run).
    if (render === null) throw new TypeError(`rule table: ${v.reason} has no WhatsApp entry`);
    return prose(f, v, r.host, render, [WA_BEFORE, WA_AFTER], r.priceRules);
  }
  const render = entry.social;
  if (render === null) throw new TypeError(`rule table: ${v.reason} has no social entry`);
  return prose(f, v, r.host, render, [SOCIAL_BEFORE, SOCIAL_AFTER], r.priceRules);
}

/** The window part of a decision. */
export function toWindowInfo(w: Verdict["window"]): WindowInfo {
  return {
    open: w.open,
    closesAt: w.closesAt === null ? null : new Date(w.closesAt),
    remainingMs: w.remainingMs,
    lastInboundAt: w.lastInboundAt === null ? null : new Date(w.lastInboundAt),
  };
}

/** The FEP part of a decision. */
export const toFepInfo = (f: Verdict["freeEntryPoint"]): FreeEntryPointInfo => ({
  open: f.open,
  closesAt: f.closesAt === null ? null : new Date(f.closesAt),
  source: f.source,
});

/** The full, plain decision of a run. */
export function render(r: RunResult): Decision {
  const v = r.verdict;
  const p = proseOf(r);
  const d = {
    outcome: v.outcome,
    reason: v.reason,
    explanation: p.explanation,
    channel: v.channel,
    intent: v.intent,
    at: new Date(v.at),
    window: toWindowInfo(v.window),
    freeEntryPoint: toFepInfo(v.freeEntryPoint),
    pricing: v.pricing,
    alternatives: p.alternatives,
    rules: p.rules,
    notes: p.notes,
    fired: p.fired,
  };
  // Same outcome / reason / pricing pairing as the verdict's (checked there).
  return (v.tag === undefined ? d : { ...d, tag: v.tag }) as Decision;
}
