/**
 * What the wire schemas of both edges need from `zod/mini` beyond its functions (issue 14 item 3):
 * classic zod's English issue messages and its compiled object parser. Both are parts of zod
 * itself, taken one by one so a bundle keeps only them.
 *
 * @module
 */
import { en } from "zod/locales";
import * as z from "zod/mini";
import * as core from "zod/v4/core";

/**
 * Installs zod's English locale unless a locale is already set.
 *
 * Classic zod installs English when it builds its first schema; `zod/mini` installs none, and
 * every issue would read just "Invalid input". Doing what classic zod does keeps the messages the
 * edges always reported ("Invalid input: expected string, received number", "Too small: expected
 * string to have >=1 characters", …), and a host's own `z.config(z.locales.xx())` still wins,
 * whether it runs before or after the edge loads. `en` is imported by name from `zod/locales`
 * (not reached as `z.locales.en`), so a bundler keeps English alone, not all of zod's locales.
 *
 * @example
 * ```ts
 * ensureEnglishIssues();
 * z.string().safeParse(1).error?.issues[0]?.message; //=> "Invalid input: expected string, received number"
 * ```
 */
export function ensureEnglishIssues(): void {
  if (z.config().localeError === undefined) z.config(en());
}

// Typed names: `init` asserts its argument, and TypeScript wants such callees annotated.
const CompiledObject: core.$constructor<core.$ZodObject> = core.$ZodObjectJIT;
const MiniObject: core.$constructor<z.ZodMiniObject> = z.ZodMiniObject;

/**
 * A `zod/mini` object class whose parser is zod's compiled one (`$ZodObjectJIT`, the parser of
 * classic `z.object`): on first parse the shape becomes one generated function where the runtime
 * allows `new Function`, and is parsed key by key where it does not (Cloudflare Workers), exactly
 * as on classic zod. Same checks, same issues, same paths; only faster. A schema derived with
 * `z.extend` (or `.check`) keeps the class, because zod clones a schema with its own class.
 */
const ZodMiniObjectJIT = core.$constructor<z.ZodMiniObject>(
  "CareWindowMiniObjectJIT",
  (inst, def) => {
    CompiledObject.init(inst, def);
    MiniObject.init(inst, def);
  },
);

/**
 * `z.looseObject` of `zod/mini` (unknown keys are kept), on the compiled object parser.
 *
 * @example
 * ```ts
 * const Metadata = looseObject({ phone_number_id: z.string() });
 * Metadata.parse({ phone_number_id: "1", extra: true }); //=> { phone_number_id: "1", extra: true }
 * ```
 */
export function looseObject<T extends core.$ZodLooseShape>(
  shape: T,
): z.ZodMiniObject<core.util.Writeable<T>, core.$loose> {
  const def: core.$ZodObjectDef = { type: "object", shape, catchall: z.unknown() };
  return new ZodMiniObjectJIT(def) as unknown as z.ZodMiniObject<
    core.util.Writeable<T>,
    core.$loose
  >;
}
