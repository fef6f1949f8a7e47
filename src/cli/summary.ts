/**
 * Plain-text views of decisions: the per-customer table ("window open until, free entry point,
 * what may be sent, at what price") and the "why" lines. Used by the CLI and the demo.
 *
 * @module
 * @internal
 */
import type { Intent, Thread } from "../domain/types.js";
import type { Zone } from "../timeline/format.js";
import type { Decision } from "../window/decision.js";
import { formatInstantShort } from "../window/words.js";

/**
 * The intents the CLI knows by name.
 *
 * @example
 * ```ts
 * const name: IntentName = "marketing";
 * ```
 */
export type IntentName = "free-form" | "utility" | "marketing" | "authentication";

/**
 * Every intent name, in display order.
 *
 * @example
 * ```ts
 * INTENT_NAMES.includes("utility"); //=> true
 * ```
 */
export const INTENT_NAMES: readonly IntentName[] = [
  "free-form",
  "utility",
  "marketing",
  "authentication",
];

/**
 * The core intent of a name.
 *
 * @example
 * ```ts
 * intentOf("utility"); //=> { kind: "template", category: "utility" }
 * ```
 */
export function intentOf(name: IntentName): Intent {
  return name === "free-form" ? { kind: "free-form" } : { kind: "template", category: name };
}

/**
 * `free`, `free (FEP)`, `charged` or `price unknown`.
 *
 * @example
 * ```ts
 * priceText(decision); //=> "free (FEP)"
 * ```
 */
export function priceText(d: Decision): string {
  if (d.pricing.charge === "unknown") return "price unknown";
  if (d.pricing.charge === "charged") return "charged";
  return d.pricing.type === "free_entry_point" ? "free (FEP)" : "free";
}

/**
 * Whether the intent may be sent as it is: a session, or a template intent outside the window.
 *
 * @example
 * ```ts
 * mayGo(decision); //=> true
 * ```
 */
export function mayGo(d: Decision): boolean {
  if (d.outcome === "blocked") return false;
  return !(d.outcome === "template" && d.intent.kind === "free-form");
}

/**
 * One table cell: `yes, free`, `yes, charged`, `no (window-closed)`, `no (marketing-stopped)`.
 *
 * @example
 * ```ts
 * cellText(decision); //=> "no (marketing-stopped)"
 * ```
 */
export function cellText(d: Decision): string {
  return mayGo(d) ? `yes, ${priceText(d)}` : `no (${d.reason})`;
}

/**
 * The window column: `open until 27 Nov 09:12`, `closed 27 Nov 09:12`, `closed by 131047`,
 * `never opened`.
 *
 * @example
 * ```ts
 * windowText(decision, zone); //=> "open until 27 Nov 09:12"
 * ```
 */
export function windowText(d: Decision, zone: Zone): string {
  const w = d.window;
  if (w.closesAt === null) return "never opened";
  if (w.open) return `open until ${formatInstantShort(w.closesAt.getTime(), zone.name)}`;
  if (d.reason === "window-closed-by-error") return "closed by 131047";
  return `closed ${formatInstantShort(w.closesAt.getTime(), zone.name)}`;
}

/**
 * The free-entry-point column: `free until 29 Nov 10:09`, `~free until …` when estimated, `-`.
 *
 * @example
 * ```ts
 * fepText(decision, zone); //=> "free until 29 Nov 10:09"
 * ```
 */
export function fepText(d: Decision, zone: Zone): string {
  const f = d.freeEntryPoint;
  if (!f.open || f.closesAt === null) return "-";
  return `${f.source === "estimated" ? "~" : ""}free until ${formatInstantShort(f.closesAt.getTime(), zone.name)}`;
}

/**
 * Lines of a left-aligned table with a header rule.
 *
 * @example
 * ```ts
 * formatTable(["a", "b"], [["1", "22"]]); //=> ["a  b ", "-  --", "1  22"]
 * ```
 */
export function formatTable(
  header: readonly string[],
  rows: readonly (readonly string[])[],
): string[] {
  // A loop, not Math.max(...rows): a spread of 100k rows would overflow the call stack.
  const widths = header.map((h) => h.length);
  for (const row of rows) {
    for (let i = 0; i < widths.length; i++) {
      widths[i] = Math.max(widths[i] ?? 0, (row[i] ?? "").length);
    }
  }
  const line = (cells: readonly string[]): string =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join("  ")
      .trimEnd();
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)];
}

/**
 * A thread and its decisions, for {@link decisionTable}.
 *
 * @example
 * ```ts
 * const row: ThreadDecisions = { label: "Ana", thread, decisions: { "free-form": d1, marketing: d2 } };
 * ```
 */
export interface ThreadDecisions {
  readonly label: string;
  readonly thread: Thread;
  readonly decisions: Readonly<Partial<Record<IntentName, Decision>>>;
}

/**
 * The per-customer table: customer, window, free entry point, then one column per intent.
 *
 * @example
 * ```ts
 * decisionTable(rows, ["free-form", "utility", "marketing"], zone).join("\n");
 * ```
 */
export function decisionTable(
  rows: readonly ThreadDecisions[],
  intents: readonly IntentName[],
  zone: Zone,
): string[] {
  return formatTable(
    tableHeader(intents),
    rows.map((row) => tableCells(row, intents, zone)),
  );
}

/**
 * The header of {@link decisionTable}.
 *
 * @example
 * ```ts
 * tableHeader(["free-form"]); //=> ["customer", "window", "free entry point", "free-form"]
 * ```
 */
export function tableHeader(intents: readonly IntentName[]): string[] {
  return ["customer", "window", "free entry point", ...intents];
}

/**
 * One row of {@link decisionTable} as cells, so a caller can drop the decisions as soon as the
 * row is made (the CLI does, to keep its memory to the threads' text).
 *
 * @example
 * ```ts
 * tableCells(row, ["free-form"], zone); //=> ["Ana 5511…", "open until 27 Nov 09:00", "-", "yes, free"]
 * ```
 */
export function tableCells(
  row: ThreadDecisions,
  intents: readonly IntentName[],
  zone: Zone,
): string[] {
  const any = row.decisions["free-form"] ?? Object.values(row.decisions)[0];
  return [
    row.label,
    any === undefined ? "" : windowText(any, zone),
    any === undefined ? "" : fepText(any, zone),
    ...intents.map((name) => {
      const d = row.decisions[name];
      return d === undefined ? "" : cellText(d);
    }),
  ];
}

/**
 * The explanations worth reading for one thread: the free-form one, then each other intent
 * whose reason differs (deduplicated).
 *
 * @example
 * ```ts
 * whyLines(row); //=> ["free-form: The customer last wrote…", "marketing: The customer stopped…"]
 * ```
 */
export function whyLines(row: ThreadDecisions): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  for (const name of INTENT_NAMES) {
    const d = row.decisions[name];
    if (d === undefined) continue;
    const key = `${d.outcome}|${d.reason}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(`${name}: ${d.explanation}`);
  }
  return out;
}
