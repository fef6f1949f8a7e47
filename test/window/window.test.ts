/**
 * Edges of the one window evaluator (src/window/window.ts) that the decision and timeline suites
 * did not pin down, found by mutation testing (`npm run mutate`): exact-millisecond boundaries,
 * failures recorded after the window ran out, the host's clock behind a recorded failure, ties
 * between a message and another action, and malformed periods reaching the evaluator through the
 * timeline. Each test goes through `decide` or the timeline where the effect is visible there.
 */
import { describe, expect, it } from "vitest";
import { InvalidInputError } from "../../src/domain/errors.js";
import type { Intent, StatusEvent, Thread, ThreadEvent } from "../../src/domain/types.js";
import { decide } from "../../src/index.js";
import { renderTimeline } from "../../src/timeline/index.js";
import { evaluateWindow } from "../../src/window/window.js";
import {
  DAY,
  decideOn,
  FREE_FORM,
  failed,
  fold,
  HOUR,
  inbound,
  MINUTE,
  T26,
} from "../core/fixtures.js";
import { echo, fold as foldSocial, T as TS, threadOf, userAction } from "../messenger/helpers.js";

const T = T26;
const noOptIn = { requireOptIn: false } as const;

describe("OPEN-2: a safety margin of a whole day leaves no window", () => {
  it("OPEN-2: safetyMarginMs = 24 h: closed even while the host clock is behind T", () => {
    const d = decideOn([inbound(T)], FREE_FORM, T - MINUTE, {
      ...noOptIn,
      safetyMarginMs: DAY,
    });
    expect(d.window.open).toBe(false);
    expect(d.outcome).toBe("template");
    // One millisecond less margin leaves a 1 ms window, which a clock behind T counts as open.
    const open = decideOn([inbound(T)], FREE_FORM, T - MINUTE, {
      ...noOptIn,
      safetyMarginMs: DAY - 1,
    });
    expect(open.outcome).toBe("session");
  });
});

describe("CSW-12: a 131047 at or after T closes the window", () => {
  it("CSW-12: a 131047 at the very millisecond of the inbound closes the window", () => {
    const d = decideOn([inbound(T), failed(T, 131047)], FREE_FORM, T + HOUR, noOptIn);
    expect(d.window.open).toBe(false);
    expect(d.reason).toBe("window-closed-by-error");
  });

  it("CSW-12: a 131047 after the window ran out leaves closesAt at T + 24 h", () => {
    const d = decideOn([inbound(T), failed(T + 30 * HOUR, 131047)], FREE_FORM, T + 31 * HOUR, {
      ...noOptIn,
    });
    expect(d.window.open).toBe(false);
    expect(d.window.closesAt).toEqual(new Date(T + DAY));
  });
});

describe("OPEN-19: deregistered periods are half-open [from, until)", () => {
  const period = [{ from: T, until: T + HOUR }];

  it("OPEN-19: an inbound exactly at `from` is inside the period and opens nothing", () => {
    const d = decideOn([inbound(T)], FREE_FORM, T + 2 * HOUR, {
      ...noOptIn,
      deregistered: period,
    });
    expect(d.window.open).toBe(false);
  });

  it("OPEN-19: an inbound exactly at `until` is after the period and opens the window", () => {
    const d = decideOn([inbound(T + HOUR)], FREE_FORM, T + 2 * HOUR, { deregistered: period });
    expect(d.outcome).toBe("session");
  });

  it("OPEN-19: an inbound before the period opens the window", () => {
    const d = decideOn([inbound(T - HOUR)], FREE_FORM, T - HOUR / 2, { deregistered: period });
    expect(d.outcome).toBe("session");
  });

  it("OPEN-19: the timeline rejects a missing or malformed period with a typed error naming the field", () => {
    const state = fold(inbound(T));
    const hole = [undefined] as unknown as { from: number; until: number }[];
    const bad = (deregistered: { from: number; until: number }[]) => () =>
      renderTimeline(state, T + HOUR, { decide: { deregistered } });
    expect(bad(hole)).toThrow(InvalidInputError);
    // The same checks as decide's options, named under `options.decide`: a missing period is the
    // period, a period without an end is its `until`.
    expect(bad(hole)).toThrow(expect.objectContaining({ field: "options.decide.deregistered[0]" }));
    const noUntil = [{ from: T }] as unknown as { from: number; until: number }[];
    expect(bad(noUntil)).toThrow(
      expect.objectContaining({ field: "options.decide.deregistered[0].until" }),
    );
  });
});

/** A Messenger send failure with code 10, "outside of allowed window" (ERR-31). */
const code10 = (thread: Thread, at: number): StatusEvent => ({
  kind: "status",
  id: `send-failure:${at}`,
  status: "failed",
  errors: [10],
  at,
  thread,
});

describe("ERR-31: a code 10 on Messenger closes the window like 131047", () => {
  const thread = threadOf("messenger");
  const bot: Intent = { kind: "free-form", sender: "automation" };
  const closedAt = (events: ThreadEvent[], at: number) => decide(foldSocial(events), bot, at);

  it("ERR-31: the window closes at the failure's time", () => {
    const d = closedAt([userAction(thread, TS), code10(thread, TS + HOUR)], TS + 2 * HOUR);
    expect(d.outcome).toBe("blocked");
    expect(d.window.open).toBe(false);
    expect(d.window.closesAt?.getTime()).toBe(TS + HOUR);
  });

  it("ERR-31: a failure at the very millisecond of the message closes the window", () => {
    const d = closedAt([userAction(thread, TS), code10(thread, TS)], TS + HOUR);
    expect(d.window.open).toBe(false);
    expect(d.rules.map((r) => r.id)).toContain("ERR-31");
  });

  it("ERR-31: a failure after the window ran out leaves closesAt at T + 24 h", () => {
    const d = closedAt([userAction(thread, TS), code10(thread, TS + 30 * HOUR)], TS + 31 * HOUR);
    expect(d.window.closesAt?.getTime()).toBe(TS + DAY);
  });

  it("ERR-31: once a code 10 is recorded, the window is closed even if the host clock reads earlier", () => {
    const d = closedAt([userAction(thread, TS), code10(thread, TS + 2 * HOUR)], TS + HOUR);
    expect(d.outcome).toBe("blocked");
    expect(d.window.open).toBe(false);
  });
});

describe("MSG-1 / OPEN-20: which action sets T on Messenger", () => {
  const thread = threadOf("messenger");
  const bot: Intent = { kind: "free-form", sender: "automation" };

  it("MSG-1: an earlier postback does not pull T back from the latest message", () => {
    const s = foldSocial([userAction(thread, TS - HOUR, "postback"), userAction(thread, TS)]);
    const d = decide(s, bot, TS + DAY - MINUTE);
    expect(d.outcome).toBe("session");
    expect(d.window.closesAt?.getTime()).toBe(TS + DAY);
  });

  it("MSG-1: a message and a postback at the same instant: the window is the message's", () => {
    const s = foldSocial([userAction(thread, TS, "postback"), userAction(thread, TS)]);
    const d = decide(s, bot, TS + HOUR);
    expect(d.explanation).toContain("The customer last wrote at");
    expect(d.explanation).not.toContain("postback");
  });

  it("MSG-6 / OPEN-20: nothing received (only the page's own echo): the plain explanation, no closing time", () => {
    const d = decide(foldSocial([echo(thread, TS)]), bot, TS + HOUR);
    expect(d.reason).toBe("no-inbound");
    expect(d.explanation).toBe(
      "The customer has not written on Messenger, so nothing may be sent until they do.",
    );
    expect(d.window.closesAt).toBeNull();
    expect(d.window.lastInboundAt).toBeNull();
  });

  it("OPEN-20: only the actions actually seen are named as not opening the window", () => {
    const d = decide(foldSocial([userAction(thread, TS, "read")]), bot, TS + HOUR);
    expect(d.reason).toBe("no-inbound");
    expect(d.explanation).toContain("; reads seen on this thread do not open the window");
  });
});

describe("MSG-2 / OPEN-2: the ad-originated window", () => {
  const thread = threadOf("messenger");
  const bot: Intent = { kind: "free-form", sender: "automation" };
  const ad = foldSocial([userAction(thread, TS, "message", { ad: true })]);

  it("OPEN-2: the safety margin shortens the 7-day ad window too", () => {
    const o = { safetyMarginMs: HOUR, social: { adWindow: "7d" } } as const;
    expect(decide(ad, bot, TS + 7 * DAY - HOUR - 1, o).reason).toBe("ad-window-open");
    expect(decide(ad, bot, TS + 7 * DAY - HOUR, o).outcome).toBe("blocked");
  });

  it("MSG-2: with the default 24 h ad window, an ad thread cites no ad-window rule", () => {
    const later = foldSocial([
      userAction(thread, TS, "referral", { ad: true }),
      userAction(thread, TS + HOUR),
    ]);
    for (const s of [ad, later]) {
      const d = decide(s, bot, TS + 2 * HOUR);
      expect(d.reason).toBe("window-open");
      expect(d.rules.map((r) => r.id)).not.toContain("MSG-2");
    }
  });

  it("MSG-2: the evaluator reads options.social when no social options are passed (the timeline's call)", () => {
    const w = evaluateWindow(ad, TS + 3 * DAY, { social: { adWindow: "7d" } });
    expect(w.open).toBe(true);
    expect(w.closesAt).toBe(TS + 7 * DAY);
  });
});
