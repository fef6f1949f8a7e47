/**
 * Validation of `options.social` (Messenger / Instagram, OPEN-10, OPEN-20).
 *
 * @module
 * @internal
 */
import { InvalidInputError } from "../domain/errors.js";
import type { SocialOptions } from "./options.js";
import { OPTIONAL_ACTIONS } from "./window.js";

const UPDATE_TAGS: readonly string[] = [
  "CONFIRMED_EVENT_UPDATE",
  "POST_PURCHASE_UPDATE",
  "ACCOUNT_UPDATE",
];

const fail = (field: string, message: string): never => {
  throw new InvalidInputError("invalid-argument", `${field} ${message}`, field);
};

const isBound = (v: unknown): v is Date | number =>
  (typeof v === "number" && Number.isFinite(v)) ||
  (v instanceof Date && Number.isFinite(v.getTime()));

/** Validates `options.social`; throws {@link InvalidInputError} naming the field. */
export function socialOptions(raw: unknown): SocialOptions {
  const f = "options.social";
  if (raw === undefined) return {};
  if (typeof raw !== "object" || raw === null) return fail(f, "must be an object");
  const o = raw as Record<string, unknown>;
  if (o["adWindow"] !== undefined && o["adWindow"] !== "24h" && o["adWindow"] !== "7d") {
    fail(`${f}.adWindow`, 'must be "24h" or "7d"');
  }
  const openOn = o["openOn"];
  if (openOn !== undefined) {
    if (typeof openOn !== "object" || openOn === null) fail(`${f}.openOn`, "must be an object");
    for (const [k, v] of Object.entries(openOn as object)) {
      if (!(OPTIONAL_ACTIONS as readonly string[]).includes(k)) {
        fail(
          `${f}.openOn.${k}`,
          "is not a switchable action (postback, reaction, referral, storyMention, read, optin)",
        );
      }
      if (v !== undefined && typeof v !== "boolean") fail(`${f}.openOn.${k}`, "must be a boolean");
    }
  }
  if (o["humanAgent"] !== undefined && typeof o["humanAgent"] !== "boolean") {
    fail(`${f}.humanAgent`, "must be a boolean");
  }
  const grants = o["updateTags"];
  if (grants !== undefined) {
    if (!Array.isArray(grants)) fail(`${f}.updateTags`, "must be an array");
    for (const [i, g] of (grants as unknown[]).entries()) {
      const gf = `${f}.updateTags[${i}]`;
      if (typeof g !== "object" || g === null) fail(gf, "must be an object");
      const grant = g as Record<string, unknown>;
      if (typeof grant["tag"] !== "string" || !UPDATE_TAGS.includes(grant["tag"])) {
        fail(`${gf}.tag`, "must be CONFIRMED_EVENT_UPDATE, POST_PURCHASE_UPDATE or ACCOUNT_UPDATE");
      }
      for (const key of ["from", "until"] as const) {
        if (grant[key] !== undefined && !isBound(grant[key])) {
          fail(`${gf}.${key}`, "must be a valid Date or a finite epoch-millisecond number");
        }
      }
      const from = grant["from"] as Date | number | undefined;
      const until = grant["until"] as Date | number | undefined;
      if (from !== undefined && until !== undefined && +from >= +until) {
        fail(`${gf}.until`, "must be after from");
      }
    }
  }
  return o as SocialOptions;
}
