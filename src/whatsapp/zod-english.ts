/**
 * English issue messages for the wire schemas on `zod/mini` (issue 14 item 3).
 *
 * Classic zod installs its English locale when it builds its first schema; `zod/mini` installs
 * none, and every issue would read just "Invalid input". The edges keep the messages they had on
 * classic zod ("Invalid input: expected string, received number", "Too small: expected string to
 * have >=1 characters", …) by doing what classic zod does: install English as the default locale,
 * only when the process has none. A host's own `z.config(z.locales.xx())` still wins, whether
 * it runs before or after the edge loads.
 *
 * `en` is imported by name from `zod/locales` (not reached as `z.locales.en`), so a bundler keeps
 * the English locale alone instead of all of zod's locales.
 *
 * @module
 */
import { en } from "zod/locales";
import * as z from "zod/mini";

/** Installs zod's English locale unless a locale is already set (the classic-zod default). */
export function ensureEnglishIssues(): void {
  if (z.config().localeError === undefined) z.config(en());
}
