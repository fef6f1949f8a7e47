/**
 * Renders a decision's prose from the rule-table entries that fired, and nothing else: the
 * context entries before, the deciding entry (or the host rule), the context entries after.
 *
 * @module
 * @internal
 */
import { DECISION_RULES as RULES, type DecisionRuleId as RuleId } from "../policy/rules.js";
import { type ContextEntry, SOCIAL_AFTER, SOCIAL_BEFORE, WA_AFTER, WA_BEFORE } from "./context.js";
import type { Decision, FreeEntryPointInfo, RuleRef, Verdict, WindowInfo } from "./decision.js";
import type { Facts } from "./facts.js";
import type { RunResult } from "./run.js";
import { type HostFired, type Render, TABLE } from "./table.js";

/**
 * One reference per rulebook rule, built on first citation and then shared by every decision
 * that cites the rule: frozen (`RuleRef` is read-only), so no decision can change another's,
 * and plain (spread, `structuredClone` and `JSON.stringify` copy it like any object). `mark` is
 * the number of the last collection that took it, so a rule cited twice is listed once without
 * searching the list (JavaScript runs one collection at a time).
 */
interface Cited {
  readonly ref: RuleRef;
  mark: number;
}
const cited = new Map<RuleId, Cited>();
let collections = 0;

function citedOf(id: RuleId): Cited {
  let c = cited.get(id);
  if (c === undefined) {
    c = { ref: Object.freeze({ id, title: RULES[id].title, source: RULES[id].source }), mark: 0 };
    cited.set(id, c);
  }
  return c;
}

/** What the entries that fired add up to: their ids, the rules they cite (once each), notes. */
interface Collected {
  readonly fired: string[];
  readonly rules: RuleRef[];
  readonly notes: string[];
  /** This collection's number (see {@link Cited}). */
  readonly mark: number;
}

const collect = (fired: string[]): Collected => ({
  fired,
  rules: [],
  notes: [],
  mark: ++collections,
});

/** Appends the references of `ids` not yet collected, in order (first citation first). */
function cite(out: Collected, ids: readonly RuleId[]): void {
  for (const id of ids) {
    const c = citedOf(id);
    if (c.mark === out.mark) continue;
    c.mark = out.mark;
    out.rules.push(c.ref);
  }
}

/**
 * Rule references, deduplicated (first citation first), with titles and sources.
 *
 * @internal
 */
export function ruleRefs(ids: readonly RuleId[]): RuleRef[] {
  const out = collect([]);
  cite(out, ids);
  return out.rules;
}

interface Prose {
  readonly explanation: string;
  readonly alternatives: Decision["alternatives"];
  readonly rules: readonly RuleRef[];
  readonly notes: readonly string[];
  readonly fired: readonly string[];
}

/** What the context entries that hold add: their ids to `fired`, citations, notes. */
function applyContext<F>(list: readonly ContextEntry<F>[], f: F, v: Verdict, out: Collected): void {
  for (const c of list) {
    if (!c.when(f, v)) continue;
    out.fired.push(c.id);
    cite(out, c.cite(f, v));
    if (c.note !== undefined) out.notes.push(c.note(f, v));
  }
}

function prose<F>(
  f: F,
  v: Verdict,
  host: HostFired | undefined,
  entry: Render<F>,
  before: readonly ContextEntry<F>[],
  after: readonly ContextEntry<F>[],
  priceRules: readonly RuleId[],
): Prose {
  const out = collect([v.reason]);
  applyContext(before, f, v, out);
  cite(out, entry.cite(f, v));
  applyContext(after, f, v, out);
  cite(out, priceRules);
  if (host !== undefined) {
    out.fired.push(host.rule.id);
    out.rules.push({
      id: host.rule.id,
      title: host.rule.title,
      source: host.rule.source ?? "host",
    });
  }
  return {
    explanation: entry.explain(f, v, host),
    alternatives: entry.offer(f, v, host),
    rules: out.rules,
    notes: out.notes,
    fired: out.fired,
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
    return prose(f, v, r.host, render, WA_BEFORE, WA_AFTER, r.priceRules);
  }
  const render = entry.social;
  if (render === null) throw new TypeError(`rule table: ${v.reason} has no social entry`);
  return prose(f, v, r.host, render, SOCIAL_BEFORE, SOCIAL_AFTER, r.priceRules);
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
