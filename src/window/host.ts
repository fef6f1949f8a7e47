/**
 * Host rules: a host's own rules in the same table as Meta's. They run only after Meta's rules
 * allowed a send (`session` or `template`), and can only hold it back (`blocked`, reason
 * `host-rule`), never allow what Meta forbids. Each is cited by its own id in `rules`.
 *
 * @module
 */
import { TZDateMini } from "@date-fns/tz/date/mini";
import { InvalidInputError } from "../domain/errors.js";
import type { Channel, Instant, Intent, TemplateCategory } from "../domain/types.js";
import { isValidTimeZone } from "../policy/time.js";
import { HOUR_MS } from "../policy/units.js";
import type { WindowAt } from "./decision.js";
import type { ThreadState } from "./state.js";
import { wallOf } from "./words.js";

/**
 * What a host rule sees: the send, the thread's folded state and what Meta's rules allowed.
 *
 * @example
 * ```ts
 * const check = (input: HostRuleInput) => input.intent.kind === "template" ? undefined : undefined;
 * ```
 */
export interface HostRuleInput {
  readonly state: ThreadState;
  readonly intent: Intent;
  readonly channel: Channel;
  /** The instant decided for, epoch ms. */
  readonly at: Instant;
  /** What Meta's rules allowed. */
  readonly outcome: "session" | "template";
  readonly window: WindowAt;
  /** The account's time zone (`options.timeZone`, UTC by default). */
  readonly timeZone: string;
}

/**
 * A host rule's verdict when it holds a send back: why (one sentence), and until when, if the
 * hold ends by itself (a `retry-after` alternative then says so).
 *
 * @example
 * ```ts
 * const hold: HostHold = { explanation: "No marketing at night.", until: Date.parse("2026-11-27T08:00:00Z") };
 * ```
 */
export interface HostHold {
  readonly explanation: string;
  readonly until?: Instant;
}

/**
 * A rule of the host's own. `check` returns a {@link HostHold} to hold the send back, or
 * `undefined` to let it go. It runs only when Meta's rules allow the send, so it can only
 * tighten. Must be pure: same input, same answer.
 *
 * @example
 * ```ts
 * const noSundays: HostRule = {
 *   id: "HOST-no-sundays",
 *   title: "No templates on Sundays",
 *   check: ({ at, intent }) =>
 *     intent.kind === "template" && new Date(at).getUTCDay() === 0
 *       ? { explanation: "We send no templates on Sundays." }
 *       : undefined,
 * };
 * ```
 */
export interface HostRule {
  /** Cited in `rules` and `fired`; pick one that cannot clash with Meta's (e.g. `HOST-…`). */
  readonly id: string;
  readonly title: string;
  /** Where the rule is written down (your runbook). Default `"host"`. */
  readonly source?: string;
  readonly check: (input: HostRuleInput) => HostHold | undefined;
}

/** The shape of the rulebook's ids (CSW-2, PRICE-25, …), which host rules may not take. */
const RULEBOOK_ID = /^(CH|CONSENT|CSW|DIRECT|ERR|FEP|ID|IG|LIMIT|MSG|OPEN|PRICE|TPL)-\d+$/i;

/** No host rules (shared: a decision never writes to it). */
const NO_RULES: readonly HostRule[] = Object.freeze([]);

/** Validates `options.rules`; throws {@link InvalidInputError} naming the field. */
export function assertHostRules(rules: unknown, options = "options"): readonly HostRule[] {
  if (rules === undefined) return NO_RULES;
  if (!Array.isArray(rules)) {
    const field = `${options}.rules`;
    throw new InvalidInputError("invalid-argument", `${field} must be an array`, field);
  }
  for (let i = 0; i < rules.length; i++) {
    const r = rules[i];
    // `id` is read once: the checks below all see the same value.
    const id: unknown = typeof r === "object" && r !== null ? r.id : undefined;
    const ok =
      typeof id === "string" &&
      id !== "" &&
      typeof r.title === "string" &&
      typeof r.check === "function";
    if (!ok) {
      const field = `${options}.rules[${i}]`;
      throw new InvalidInputError(
        "invalid-argument",
        `${field} must be { id, title, check(input) }`,
        field,
      );
    }
    // A host rule cited as "CSW-2" would read as Meta's rule in `rules` and `fired`. The id a
    // rule object passed with is remembered, so the normalising check runs again only when the
    // id changes (this runs on every decision): first the rule that passed last at the same
    // position (a service passes one list), then any rule that passed.
    if (i < SLOTS && passedRule[i] === r && passedId[i] === id) continue;
    if (idsPassed.get(r) !== id) checkHostId(id, `${options}.rules[${i}]`);
    idsPassed.set(r, id);
    if (i < SLOTS) {
      passedRule[i] = r;
      passedId[i] = id;
    }
  }
  return rules as readonly HostRule[];
}

/** Throws when `id` is shaped like a rulebook id (a host rule may not take one). */
function checkHostId(id: string, field: string): void {
  if (RULEBOOK_ID.test(id.normalize("NFKC").trim())) {
    throw new InvalidInputError(
      "invalid-argument",
      `${field}.id "${id}" is a rulebook id; name host rules e.g. "HOST-…"`,
      `${field}.id`,
    );
  }
}

/** Rule object → the id it last passed the rulebook-id check with. */
const idsPassed = new WeakMap<object, string>();
/** The rule that passed last at each of the first {@link SLOTS} positions, and its id. */
const SLOTS = 8;
const passedRule: unknown[] = new Array<unknown>(SLOTS).fill(undefined);
const passedId: (string | undefined)[] = new Array<string | undefined>(SLOTS).fill(undefined);

/**
 * Minutes after local midnight of `at` in `timeZone`, read by date-fns (`TZDateMini`, kept per
 * minute by the words' formatter: one date-fns lookup per zone and minute, not per decision).
 */
function localMinutes(at: Instant, timeZone: string): number {
  const w = wallOf(at, timeZone);
  return w === undefined ? Number.NaN : w.hour * 60 + w.minute;
}

const HHMM = /^([01]\d|2[0-3]):([0-5]\d)$/;

function requireObject(value: unknown, field: string, message: string): void {
  if (typeof value !== "object" || value === null) {
    throw new InvalidInputError("invalid-argument", message, field);
  }
}

const QUIET_CATEGORIES: ReadonlySet<string> = new Set(["marketing", "utility", "authentication"]);

/** `quietHours.categories`, in any case (the catalog writes `"MARKETING"`), as lower-case names. */
function quietCategories(given: unknown): readonly TemplateCategory[] {
  if (given === undefined) return ["marketing"];
  if (!Array.isArray(given)) {
    throw new InvalidInputError(
      "invalid-argument",
      "quietHours.categories must be an array of template categories",
      "quietHours.categories",
    );
  }
  return given.map((c: unknown, i) => {
    const lower = typeof c === "string" ? c.toLowerCase() : undefined;
    if (lower === undefined || !QUIET_CATEGORIES.has(lower)) {
      throw new InvalidInputError(
        "invalid-argument",
        `quietHours.categories[${i}] must be "marketing", "utility" or "authentication"`,
        `quietHours.categories[${i}]`,
      );
    }
    return lower as TemplateCategory;
  });
}

function minutesOf(value: string, field: string): number {
  const m = typeof value === "string" ? HHMM.exec(value) : null;
  if (m === null) {
    throw new InvalidInputError("invalid-argument", `${field} must be "HH:MM" (24 h)`, field);
  }
  return Number(m[1]) * 60 + Number(m[2]);
}

/**
 * Quiet hours: business-initiated templates of `categories` (default marketing) are blocked
 * between `from` and `to` (local time in `timeZone`, else the account's), until the quiet period
 * ends. Free-form replies are never held.
 *
 * @example
 * ```ts
 * const care = createCareWindow({ store, rules: [quietHours({ from: "21:00", to: "08:00" })] });
 * ```
 */
export function quietHours(options: {
  readonly from: string;
  readonly to: string;
  readonly timeZone?: string;
  readonly categories?: readonly TemplateCategory[];
}): HostRule {
  requireObject(
    options,
    "quietHours",
    "quietHours must be an object { from, to, timeZone?, categories? }",
  );
  const from = minutesOf(options.from, "quietHours.from");
  const to = minutesOf(options.to, "quietHours.to");
  if (
    options.timeZone !== undefined &&
    (typeof options.timeZone !== "string" || !isValidTimeZone(options.timeZone))
  ) {
    throw new InvalidInputError(
      "invalid-argument",
      "quietHours.timeZone must be an IANA time zone name",
      "quietHours.timeZone",
    );
  }
  const categories = quietCategories(options.categories);
  return {
    id: "HOST-quiet-hours",
    title: `No ${categories.join(" / ")} templates between ${options.from} and ${options.to}`,
    check({ intent, at, timeZone }) {
      if (intent.kind !== "template") return undefined;
      const category = intent.category === "unknown" ? "marketing" : intent.category;
      if (!categories.includes(category)) return undefined;
      const zone = options.timeZone ?? timeZone;
      const now = localMinutes(at, zone);
      const quiet = from <= to ? now >= from && now < to : now >= from || now < to;
      if (!quiet) return undefined;
      const end = new TZDateMini(at, zone);
      end.setHours(Math.floor(to / 60), to % 60, 0, 0);
      if (end.getTime() <= at) end.setDate(end.getDate() + 1);
      return {
        explanation: `Quiet hours (${options.from}–${options.to}): ${category} templates wait until they end.`,
        until: end.getTime(),
      };
    },
  };
}

/** The longest cooldown: ten years (a longer one reads as a typo, e.g. minutes for hours). */
const MAX_HOURS = 87_600;

/**
 * Marketing cooldown: no second marketing template to a customer within `hours` of the last one
 * sent (the folded state's latest marketing send, so order-insensitive).
 *
 * @example
 * ```ts
 * const care = createCareWindow({ store, rules: [marketingCooldown({ hours: 72 })] });
 * ```
 */
export function marketingCooldown(options: { readonly hours: number }): HostRule {
  requireObject(options, "marketingCooldown", "marketingCooldown must be an object { hours }");
  const { hours } = options;
  if (typeof hours !== "number" || !Number.isFinite(hours) || hours <= 0 || hours > MAX_HOURS) {
    throw new InvalidInputError(
      "invalid-argument",
      `marketingCooldown.hours must be a positive number of hours, at most ${MAX_HOURS} (ten years)`,
      "marketingCooldown.hours",
    );
  }
  const ms = hours * HOUR_MS;
  return {
    id: "HOST-marketing-cooldown",
    title: `At most one marketing template per ${hours} h`,
    check({ intent, state, at }) {
      if (intent.kind !== "template") return undefined;
      if (intent.category !== "marketing" && intent.category !== "unknown") return undefined;
      const last = state.lastMarketingAt;
      if (last === undefined || at >= last + ms) return undefined;
      return {
        explanation: `The last marketing template went less than ${hours} h ago; the next may go after the cooldown.`,
        until: last + ms,
      };
    },
  };
}
