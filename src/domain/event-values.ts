/**
 * The values of the one event contract (`event.ts`): instants (CSW-3, EVT-bounds), text a store
 * can save, and the field checkers every event kind is described with (`event.ts`). A
 * checker refuses a bad field by throwing a {@link Refusal}, which `checkEvent` catches.
 *
 * @module
 */
import type { Channel, Instant, Referral, StatusPricing, Thread } from "./types.js";

/**
 * The earliest instant an event may carry: 2009-01-01T00:00:00Z in epoch ms. Anything earlier is
 * refused (with a hint when it looks like Unix seconds).
 *
 * @example
 * ```ts
 * EARLIEST_INSTANT; //=> 1230768000000
 * ```
 */
export const EARLIEST_INSTANT: Instant = 1_230_768_000_000;

/**
 * The latest instant a `Date` can hold (ECMAScript: ±8.64e15 ms).
 *
 * @example
 * ```ts
 * new Date(LATEST_INSTANT).toISOString(); //=> "+275760-09-13T00:00:00.000Z"
 * ```
 */
export const LATEST_INSTANT: Instant = 8_640_000_000_000_000;

/** A refusal inside the checker (caught by {@link checkEvent}). */
export class Refusal {
  readonly field: string;
  readonly message: string;
  constructor(field: string, message: string) {
    this.field = field;
    this.message = message;
  }
}

export const refuse = (field: string, message: string): never => {
  throw new Refusal(field, message);
};

export type Obj = Record<string, unknown>;

export const isObject = (value: unknown): value is Obj =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** The channels a thread may name. */
export const CHANNELS: ReadonlySet<string> = new Set(["whatsapp", "messenger", "instagram"]);

/** `String.prototype.isWellFormed` (ES2024): not in this project's `lib` yet. */
type WellFormed = string & { isWellFormed(): boolean };

/**
 * Why `text` cannot be stored as Postgres `text` / `jsonb` (and so would fail on every retry):
 * a U+0000 (NUL) character or a lone UTF-16 surrogate. `undefined` when it can be stored.
 *
 * @example
 * ```ts
 * unstorableText("5511"); //=> undefined
 * unstorableText("55\u000011"); //=> "must not contain U+0000 (NUL)"
 * ```
 */
export function unstorableText(text: string): string | undefined {
  // Fast path, native: no NUL and well-formed UTF-16 (`isWellFormed`, ES2024, Node ≥ 20).
  if (text.indexOf("\u0000") === -1 && (text as WellFormed).isWellFormed()) return undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0) return "must not contain U+0000 (NUL)";
    if (c >= 0xd800 && c <= 0xdfff) {
      const next = text.charCodeAt(i + 1);
      if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        i++;
        continue;
      }
      return "must not contain a lone surrogate (malformed UTF-16)";
    }
  }
  return undefined;
}

/**
 * Why `value` is not an acceptable event instant, or `undefined` when it is (see the module docs).
 * Accepts a `Date` or an epoch-millisecond number.
 *
 * @example
 * ```ts
 * instantProblem(1_795_683_600_000); //=> undefined
 * instantProblem(1_795_683_600); //=> "is before 2009-01-01 (looks like Unix seconds; pass milliseconds)"
 * instantProblem(1e20); //=> "is beyond the range a Date can hold"
 * ```
 */
export function instantProblem(value: unknown): string | undefined {
  const ms = value instanceof Date ? value.getTime() : value;
  if (typeof ms !== "number" || !Number.isFinite(ms)) {
    return "must be a valid Date or a finite epoch-millisecond number";
  }
  if (ms > LATEST_INSTANT || ms < -LATEST_INSTANT) return "is beyond the range a Date can hold";
  if (ms < EARLIEST_INSTANT) {
    // Unix seconds of 2009 … 5138 are 1.23e9 … 1e11: read as ms they land in January 1970.
    return ms >= EARLIEST_INSTANT / 1000
      ? "is before 2009-01-01 (looks like Unix seconds; pass milliseconds)"
      : "is before 2009-01-01, before any WhatsApp Business Platform event";
  }
  return undefined;
}

export function instant(value: unknown, field: string): Instant {
  const problem = instantProblem(value);
  if (problem !== undefined) refuse(field, problem);
  return value instanceof Date ? value.getTime() : (value as number);
}

export function text(value: unknown, field: string): string {
  if (typeof value !== "string" || value.length === 0) refuse(field, "must be a non-empty string");
  const problem = unstorableText(value as string);
  if (problem !== undefined) refuse(field, problem);
  return value as string;
}

export function optText(value: unknown, field: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "string") return refuse(field, "must be a string when present");
  const problem = unstorableText(value);
  if (problem !== undefined) refuse(field, problem);
  return value;
}

/** A non-empty storable string (type, status, …): the edges never emit an empty one. */
export function optNonEmpty(value: unknown, field: string): string | undefined {
  return value === undefined ? undefined : text(value, field);
}

export function oneOf<T extends string>(
  value: unknown,
  field: string,
  allowed: ReadonlySet<string>,
): T {
  if (typeof value !== "string" || !allowed.has(value)) {
    refuse(field, `must be one of ${[...allowed].map((a) => `"${a}"`).join(", ")}`);
  }
  return value as T;
}

export function optOneOf<T extends string>(
  value: unknown,
  field: string,
  allowed: ReadonlySet<string>,
): T | undefined {
  return value === undefined ? undefined : oneOf<T>(value, field, allowed);
}

export function optBool(value: unknown, field: string): boolean | undefined {
  if (value !== undefined && typeof value !== "boolean") {
    refuse(field, "must be a boolean when present");
  }
  return value as boolean | undefined;
}

/** Sets `key` on `out` when `value` is defined (so equal events serialise identically). */
export function put<T extends object, K extends keyof T>(
  out: T,
  key: K,
  value: T[K] | undefined,
): void {
  if (value !== undefined) (out as Record<PropertyKey, unknown>)[key] = value;
}

export type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * Validates a thread: `{ business, customer, channel? }`, non-empty storable ids. Returns the
 * canonical thread (`channel` omitted for WhatsApp).
 */
export function thread(value: unknown, field: string): Thread {
  if (!isObject(value)) return refuse(field, "must be an object { business, customer }");
  const business = text(value["business"], `${field}.business`);
  const customer = text(value["customer"], `${field}.customer`);
  const channel = optOneOf<Channel>(value["channel"], `${field}.channel`, CHANNELS);
  return channel === undefined || channel === "whatsapp"
    ? { business, customer }
    : { channel, business, customer };
}

export function referral(value: unknown, field: string): Referral | undefined {
  if (value === undefined) return undefined;
  if (!isObject(value)) return refuse(field, "must be an object when present");
  const out: Mutable<Referral> = { sourceType: text(value["sourceType"], `${field}.sourceType`) };
  put(out, "sourceId", optText(value["sourceId"], `${field}.sourceId`));
  put(out, "sourceUrl", optText(value["sourceUrl"], `${field}.sourceUrl`));
  put(out, "ctwaClid", optText(value["ctwaClid"], `${field}.ctwaClid`));
  put(out, "headline", optText(value["headline"], `${field}.headline`));
  return out;
}

export function pricing(value: unknown, field: string): StatusPricing | undefined {
  if (value === undefined) return undefined;
  if (!isObject(value)) return refuse(field, "must be an object when present");
  const out: Mutable<StatusPricing> = {};
  put(out, "model", optText(value["model"], `${field}.model`));
  put(out, "type", optText(value["type"], `${field}.type`));
  put(out, "category", optText(value["category"], `${field}.category`));
  put(out, "billable", optBool(value["billable"], `${field}.billable`));
  // PRICE-24: `paid_exempt` deliveries count toward the month's service messages.
  put(out, "subtype", optText(value["subtype"], `${field}.subtype`));
  return out;
}

export function errorCodes(value: unknown, field: string): readonly number[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) return refuse(field, "must be an array of error codes when present");
  const out: number[] = [];
  for (let i = 0; i < value.length; i++) {
    const code: unknown = value[i];
    if (typeof code !== "number" || !Number.isSafeInteger(code)) {
      refuse(`${field}[${i}]`, "must be an integer error code (ERR-1)");
    }
    out.push(code as number);
  }
  return out;
}

/** A short, safe rendering of an unknown value for a message. */
export function describe(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value.slice(0, 40));
  if (value === null || typeof value !== "object") return String(value);
  return Array.isArray(value) ? "an array" : "an object";
}
