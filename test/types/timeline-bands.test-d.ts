/**
 * Type tests of the timeline's band sources (issue 12 item 1): a band is labelled only by an
 * entry that declares a `band`, and every window state has a source on every channel.
 */
import { describe, expectTypeOf, it } from "vitest";
import type { TimelineBandRule } from "../../src/timeline/model.js";
import {
  type BandSource,
  FEP_BANDS,
  type WINDOW_BANDS,
  type WindowBandState,
} from "../../src/window/bands.js";
import { FEP_ESTIMATED, WA_AFTER } from "../../src/window/context.js";
import { type BandLabel, TABLE } from "../../src/window/table.js";

describe("band labels are declared on the entries and checked by the compiler", () => {
  it("the window entries declare a band; an entry without one cannot label a band", () => {
    expectTypeOf(TABLE["window-open"].whatsapp.band).toEqualTypeOf<BandLabel>();
    expectTypeOf(TABLE["window-closed"].social.band).toEqualTypeOf<BandLabel>();
    expectTypeOf(TABLE["marketing-limited"].whatsapp.band).toEqualTypeOf<BandLabel>();
    // @ts-expect-error: no-inbound describes no band, so it has no `band` to render one
    const source: BandSource = { rule: "window-open", entry: TABLE["no-inbound"].whatsapp };
    expectTypeOf(source).not.toBeAny();
  });

  it("a context entry labels a band only with its own id and a declared band", () => {
    expectTypeOf(FEP_ESTIMATED.id).toEqualTypeOf<"fep-estimated">();
    expectTypeOf(FEP_ESTIMATED.band).toEqualTypeOf<BandLabel>();
    const plain = WA_AFTER[0];
    // @ts-expect-error: a context entry in the plain list may have no band
    const entry: BandSource["entry"] = plain as NonNullable<typeof plain>;
    expectTypeOf(entry).not.toBeAny();
    expectTypeOf(FEP_BANDS.estimated.rule).toEqualTypeOf<TimelineBandRule>();
  });

  it("every window state has a source on both channel families", () => {
    expectTypeOf<keyof typeof WINDOW_BANDS.whatsapp>().toEqualTypeOf<WindowBandState>();
    expectTypeOf<keyof typeof WINDOW_BANDS.social>().toEqualTypeOf<WindowBandState>();
  });
});
