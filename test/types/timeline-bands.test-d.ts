/**
 * Type tests of the timeline's band words (issue 12 item 1): one label per entry that describes
 * a band, checked like the rule table; entries reference them by their own id.
 */
import { describe, expectTypeOf, it } from "vitest";
import type { TimelineBandRule } from "../../src/timeline/model.js";
import {
  BAND_WORDS,
  type BandLabel,
  type BandRule,
  type WINDOW_BAND_RULES,
  type WindowBandState,
} from "../../src/window/bands.js";
import { TABLE } from "../../src/window/table.js";

describe("band labels are checked by the compiler like the rule table", () => {
  it("there is exactly one label per band rule; a missing or extra one does not compile", () => {
    expectTypeOf<keyof typeof BAND_WORDS>().toEqualTypeOf<BandRule>();
    expectTypeOf<TimelineBandRule>().toEqualTypeOf<BandRule>();
    // @ts-expect-error: BAND_WORDS has no label for "fake-rule"
    const more: Record<BandRule | "fake-rule", BandLabel> = BAND_WORDS;
    expectTypeOf(more).not.toBeAny();
    const { "window-open": _dropped, ...fewer } = BAND_WORDS;
    // @ts-expect-error: a table without "window-open" is not a full set of band labels
    const missing: Record<BandRule, BandLabel> = fewer;
    expectTypeOf(missing).not.toBeAny();
  });

  it("the window entries declare a band; an entry that describes none has no `band`", () => {
    expectTypeOf(TABLE["window-open"].whatsapp.band).toEqualTypeOf<BandLabel>();
    expectTypeOf(TABLE["window-closed"].social.band).toEqualTypeOf<BandLabel>();
    expectTypeOf(TABLE["marketing-limited"].whatsapp.band).toEqualTypeOf<BandLabel>();
    // @ts-expect-error: no-inbound describes no band
    const none = TABLE["no-inbound"].whatsapp.band;
    expectTypeOf(none).toBeAny();
  });

  it("every window state has an entry on both channel families", () => {
    expectTypeOf<keyof typeof WINDOW_BAND_RULES.whatsapp>().toEqualTypeOf<WindowBandState>();
    expectTypeOf<keyof typeof WINDOW_BAND_RULES.social>().toEqualTypeOf<WindowBandState>();
  });
});
