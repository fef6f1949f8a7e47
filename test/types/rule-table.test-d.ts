/**
 * Type tests of the rule table (issue 12): every Reason has exactly one entry, and the compiler
 * rejects a table with a missing or an extra one.
 */
import { describe, expectTypeOf, it } from "vitest";
import type { Reason } from "../../src/index.js";
import { type Entry, TABLE } from "../../src/window/table.js";

describe("the rule table has exactly one entry per Reason", () => {
  it("its keys are exactly the Reason union", () => {
    expectTypeOf<keyof typeof TABLE>().toEqualTypeOf<Reason>();
  });

  it("a fake reason added to the union no longer compiles against the table", () => {
    type WithFake = Reason | "fake-reason";
    // @ts-expect-error: the table has no entry for "fake-reason"
    const table: Record<WithFake, Entry> = TABLE;
    expectTypeOf(table).not.toBeAny();
  });

  it("an extra entry without a reason does not compile either", () => {
    const extra = {
      ...TABLE,
      // @ts-expect-error: "fake-reason" is not a Reason (excess entry)
      "fake-reason": TABLE["window-open"],
    } satisfies Record<Reason, Entry>;
    expectTypeOf(extra).not.toBeAny();
  });
});
