/**
 * Reproductions from the hostile review of 0.2.0 (branch `review`): each test names the
 * rule or standard it holds the library to.
 */
import { describe, expect, it } from "vitest";
import { InvalidInputError } from "../../src/domain/errors.js";
import { marketingCooldown, quietHours } from "../../src/index.js";
import { createCareWindow } from "../../src/service/createCareWindow.js";
import { createMemoryStore } from "../../src/store/memory.js";
import { decide } from "../../src/window/decide.js";
import { emptyState, foldEvents } from "../../src/window/state.js";

const T = Date.parse("2026-11-26T09:00:00Z");
const thread = { business: "106540352242922", customer: "5511987654321" };
const state = foldEvents(emptyState(), [
  { kind: "inbound", id: "wamid.A", type: "text", at: T, thread },
]);
const MARKETING = { kind: "template", category: "marketing" } as const;
/** 01:00 UTC, 22:00 in São Paulo: inside 21:00–08:00 in either zone. */
const NIGHT = Date.parse("2026-11-27T01:00:00Z");

function typedError(f: () => unknown, field: string): void {
  let caught: unknown;
  try {
    f();
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(InvalidInputError);
  expect((caught as InvalidInputError).field).toBe(field);
}

describe("issue 15 item 8: upper-case categories are accepted by the service decide as by the pure one", () => {
  it("service decide accepts category MARKETING like decide does", async () => {
    const care = createCareWindow({
      store: createMemoryStore(),
      now: () => new Date(T + 3_600_000),
    });
    await care.record([{ kind: "inbound", id: "wamid.A", type: "text", at: T, thread }]);
    const pure = decide(state, { kind: "template", category: "MARKETING" } as never, T + 3_600_000);
    const served = await care.decide(thread, { kind: "template", category: "MARKETING" } as never);
    expect(served.outcome).toBe(pure.outcome);
    expect(served.pricing.category).toBe("marketing");
  });
});

describe("host rules (issue 12): bad options are typed errors, never a rule that silently never fires", () => {
  it("quietHours(null) and marketingCooldown(null) are InvalidInputError", () => {
    typedError(() => quietHours(null as never), "quietHours");
    typedError(() => marketingCooldown(null as never), "marketingCooldown");
  });

  it("quietHours with a time zone that does not exist is an InvalidInputError naming quietHours.timeZone", () => {
    typedError(
      () => quietHours({ from: "21:00", to: "08:00", timeZone: "Mars/Olympus" }),
      "quietHours.timeZone",
    );
  });

  it("quietHours categories in upper case hold the send like lower case (catalog spelling)", () => {
    const rule = quietHours({ from: "21:00", to: "08:00", categories: ["MARKETING" as never] });
    expect(decide(state, MARKETING, NIGHT, { rules: [rule] }).reason).toBe("host-rule");
  });

  it("quietHours with an unknown category is an InvalidInputError naming quietHours.categories[0]", () => {
    typedError(
      () => quietHours({ from: "21:00", to: "08:00", categories: ["constructor" as never] }),
      "quietHours.categories[0]",
    );
  });
});

describe("pure core: wrong-typed arguments are typed errors naming the argument, never TypeError", () => {
  const FF = { kind: "free-form" } as const;
  it("decide / verdict with a null or non-object state name `state`", async () => {
    const { verdict } = await import("../../src/window/decide.js");
    typedError(() => decide(null as never, FF, T), "state");
    typedError(() => verdict(null as never, FF, T), "state");
    typedError(() => decide(5 as never, FF, T), "state");
  });
  it("decide with options null names `options`; a non-string customer names `options.customer`", () => {
    typedError(() => decide(state, FF, T, null as never), "options");
    typedError(() => decide(state, FF, T, 5 as never), "options");
    typedError(() => decide(state, FF, T, { customer: 5 as never }), "options.customer");
  });
  it("foldEvents with a null state or non-iterable events names the argument (it returned null before)", () => {
    typedError(() => foldEvents(null as never, []), "state");
    typedError(() => foldEvents(emptyState(), null as never), "events");
    typedError(() => foldEvents(emptyState(), 5 as never), "events");
  });
});

describe("evening review: values JSON cannot print are typed errors, not TypeErrors", () => {
  const cyclic = (): Record<string, unknown> => {
    const o: Record<string, unknown> = {};
    o["self"] = o;
    return o;
  };
  const thrown = (f: () => unknown): unknown => {
    try {
      f();
    } catch (error) {
      return error;
    }
    return undefined;
  };

  it("an intent kind that is a BigInt or a cyclic object names intent.kind", () => {
    for (const kind of [10n, cyclic()]) {
      const error = thrown(() => decide(emptyState(), { kind } as never, 0));
      expect(error).toBeInstanceOf(InvalidInputError);
      expect((error as InvalidInputError).field).toBe("intent.kind");
    }
  });

  it("OPEN-6: a time zone changed to a BigInt on an options object that passed names options.timeZone", () => {
    const options: { timeZone: unknown } = { timeZone: "Asia/Kolkata" };
    decide(emptyState(), { kind: "free-form" }, 0, options as never);
    for (const timeZone of [10n, cyclic()]) {
      options.timeZone = timeZone;
      const error = thrown(() => decide(emptyState(), { kind: "free-form" }, 0, options as never));
      expect(error).toBeInstanceOf(InvalidInputError);
      expect((error as InvalidInputError).field).toBe("options.timeZone");
    }
  });

  it("PRICE-5: a month the library writes far in the future (year 10000) is stored, not refused", async () => {
    const store = createMemoryStore();
    await expect(store.countDelivery("b", "10000-01", "wamid.F")).resolves.toBe(true);
    await expect(store.serviceCount("b", "10000-01")).resolves.toBe(1);
    const error = await Promise.resolve()
      .then(() => store.serviceCount("b", 10n as never))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidInputError);
  });
});
