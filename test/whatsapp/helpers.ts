import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const dir = fileURLToPath(new URL("../fixtures/whatsapp/", import.meta.url));

/** The raw text of a fixture, exactly as stored (what a webhook handler receives). */
export function fixture(name: string): string {
  return readFileSync(`${dir}${name}.json`, "utf8");
}

/** A fixture parsed as JSON. */
export function fixtureJson(name: string): Record<string, unknown> {
  return JSON.parse(fixture(name)) as Record<string, unknown>;
}

/** Every fixture name. */
export const FIXTURES = [
  "text-bsuid",
  "media",
  "location-contacts",
  "interactive",
  "button-reaction-order",
  "system",
  "welcome-unsupported-edit",
  "group-referral",
  "statuses-pmp",
  "statuses-cbp-v17",
  "statuses-v24-bsuid",
  "bsuid-only",
  "duplicates-reordering",
  "timestamps",
  "test-webhook",
  "batch-mixed",
  "value-errors",
  "calls",
  "user-preferences",
  "template-updates",
  "echoes",
  "user-id-update",
] as const;

/** Unix seconds → epoch ms. */
export const s = (seconds: number): number => seconds * 1000;

export const BIZ = "106540352242922";
export const WABA = "102290129340398";

/** A WhatsApp thread of the default business. */
export const th = (customer: string, business = BIZ) => ({ business, customer });

/** The first change's value of a fixture body, for in-place edits in tests. */
export function firstValue(body: Record<string, unknown>): Record<string, unknown[]> {
  const entry = (body as { entry: { changes: { value: Record<string, unknown[]> }[] }[] }).entry;
  return entry[0]!.changes[0]!.value;
}
