import { describe, expect, it } from "vitest";
import { decide, InvalidInputError } from "../../src/index.js";
import {
  block,
  call,
  consent,
  DAY,
  decideOn,
  FREE_FORM,
  failed,
  fold,
  HOUR,
  inbound,
  MINUTE,
  marketingPref,
  outbound,
  plain,
  ruleIds,
  SECOND,
  status,
  T26,
  UTILITY,
} from "./fixtures.js";

const T = T26;
/** No opt-in is needed for these checks: the subject is the window, not consent. */
const noOptIn = { requireOptIn: false } as const;

describe("CSW-2: the window is [T, T+24h) in absolute milliseconds", () => {
  const state = fold(inbound(T));

  it("CSW-2: exactly T is open", () => {
    const d = decide(state, FREE_FORM, T);
    expect(d.outcome).toBe("session");
    expect(d.reason).toBe("window-open");
    expect(d.window).toEqual({
      open: true,
      closesAt: new Date(T + DAY),
      remainingMs: DAY,
      lastInboundAt: new Date(T),
    });
  });

  it("CSW-2: T+24h−1 ms is open with 1 ms left", () => {
    const d = decide(state, FREE_FORM, T + DAY - 1, noOptIn);
    expect(d.outcome).toBe("session");
    expect(d.window.open).toBe(true);
    expect(d.window.remainingMs).toBe(1);
    expect(d.window.closesAt).toEqual(new Date(T + DAY));
  });

  it("CSW-2: exactly T+24h is closed", () => {
    const d = decide(state, FREE_FORM, T + DAY, noOptIn);
    expect(d.outcome).toBe("template");
    expect(d.reason).toBe("window-closed");
    expect(d.window.open).toBe(false);
    expect(d.window.remainingMs).toBe(0);
    expect(d.window.closesAt).toEqual(new Date(T + DAY));
  });

  it("CSW-2: T+24h+1 ms is closed", () => {
    const d = decide(state, FREE_FORM, T + DAY + 1, noOptIn);
    expect(d.outcome).toBe("template");
    expect(d.reason).toBe("window-closed");
    expect(d.window.open).toBe(false);
  });

  it("CSW-2 / CSW-11: at T+24h a free-form intent without any opt-in is blocked, not sent", () => {
    const d = decide(state, FREE_FORM, T + DAY);
    expect(d.outcome).toBe("blocked");
    expect(d.reason).toBe("no-opt-in");
  });

  it("CSW-2: `now` as a Date and as epoch ms decide identically", () => {
    const a = plain(decide(state, FREE_FORM, new Date(T + DAY - 1)));
    const b = plain(decide(state, FREE_FORM, T + DAY - 1));
    expect(a).toStrictEqual(b);
  });

  it("CSW-11: with no inbound at all the reason is no-inbound", () => {
    const d = decide(fold(), FREE_FORM, T, noOptIn);
    expect(d.outcome).toBe("template");
    expect(d.reason).toBe("no-inbound");
    expect(d.window).toEqual({ open: false, closesAt: null, remainingMs: 0, lastInboundAt: null });
  });
});

describe("CSW-3 / CSW-4: latest provider timestamp wins, replays change nothing", () => {
  it("CSW-4: an older message processed later never moves T back", () => {
    const newer = inbound(T + 5 * HOUR);
    const older = inbound(T);
    const d = decideOn([newer, older], FREE_FORM, T + DAY + HOUR);
    expect(d.window.lastInboundAt).toEqual(new Date(T + 5 * HOUR));
    expect(d.window.open).toBe(true);
    expect(d.window.closesAt).toEqual(new Date(T + 5 * HOUR + DAY));
  });

  it("CSW-4: a duplicate delivery (same wamid, same timestamp) changes nothing", () => {
    const e = inbound(T);
    const once = fold(e);
    const thrice = fold(e, e, e);
    expect(thrice).toStrictEqual(once);
  });

  it("CSW-3: a retry delivered days later carries its original timestamp and cannot extend", () => {
    const e = inbound(T);
    // Re-delivered on day 3 (receipt time is irrelevant; `at` is the provider timestamp).
    const d = decideOn([e, inbound(T - HOUR), e], FREE_FORM, T + DAY, noOptIn);
    expect(d.window.open).toBe(false);
    expect(d.window.closesAt).toEqual(new Date(T + DAY));
  });
});

describe("CSW-5: calls open or restart the window", () => {
  const cases: [string, Parameters<typeof call>[1], string, boolean][] = [
    ["user-initiated connect", "user-initiated", "connect", true],
    ["business-initiated accepted", "business-initiated", "accepted", true],
    ["business-initiated connect with SDP answer", "business-initiated", "answer", true],
    ["user-initiated ringing", "user-initiated", "ringing", false],
    ["user-initiated terminate", "user-initiated", "terminate", false],
    ["business-initiated ringing", "business-initiated", "ringing", false],
    ["business-initiated rejected", "business-initiated", "rejected", false],
    ["business-initiated terminate", "business-initiated", "terminate", false],
    ["business-initiated connect without answer", "business-initiated", "connect", false],
  ];
  for (const [name, direction, phase, opens] of cases) {
    it(`CSW-5: ${name} ${opens ? "opens" : "does not open"} the window`, () => {
      const d = decideOn([call(T, direction, phase)], FREE_FORM, T + HOUR, noOptIn);
      expect(d.window.open).toBe(opens);
      expect(d.outcome).toBe(opens ? "session" : "template");
    });
  }

  it("CSW-5: a user call restarts a window opened by an earlier message", () => {
    const d = decideOn(
      [inbound(T), call(T + 10 * HOUR, "user-initiated", "connect")],
      FREE_FORM,
      T + DAY + HOUR,
    );
    expect(d.window.open).toBe(true);
    expect(d.window.closesAt).toEqual(new Date(T + 10 * HOUR + DAY));
  });
});

describe("CSW-6: nothing the business does opens or extends the window", () => {
  it("CSW-6: outbound free-form, template and Direct Send never extend", () => {
    const events = [
      inbound(T),
      outbound(T + HOUR),
      outbound(T + 20 * HOUR, { message: "template", category: "utility" }),
      outbound(T + 23 * HOUR, { message: "direct-send", category: "utility" }),
    ];
    const d = decideOn(events, FREE_FORM, T + DAY, noOptIn);
    expect(d.window.open).toBe(false);
    expect(d.window.closesAt).toEqual(new Date(T + DAY));
  });

  it("CSW-6 / CSW-13: success statuses are evidence, never anchors", () => {
    const events = [
      inbound(T),
      status(T + 23 * HOUR, { status: "sent" }),
      status(T + 23 * HOUR + MINUTE, { status: "delivered" }),
      status(T + 23 * HOUR + 2 * MINUTE, { status: "read" }),
    ];
    const d = decideOn(events, FREE_FORM, T + DAY, noOptIn);
    expect(d.window.open).toBe(false);
    expect(d.window.lastInboundAt).toEqual(new Date(T));
  });

  it("CSW-6: without any user event, business activity opens nothing", () => {
    const events = [
      outbound(T),
      status(T + MINUTE, { status: "read" }),
      consent(T, "opt-in", "all"),
      marketingPref(T, "resume"),
      block(T, "unblock"),
    ];
    const d = decideOn(events, FREE_FORM, T + HOUR);
    expect(d.window.open).toBe(false);
    expect(d.reason).toBe("no-inbound");
  });

  it("CSW-14: Business-app echoes neither open nor extend the window", () => {
    const d = decideOn(
      [inbound(T), outbound(T + 23 * HOUR, { echo: true })],
      FREE_FORM,
      T + DAY,
      noOptIn,
    );
    expect(d.window.open).toBe(false);
  });
});

describe("CSW-7 / OPEN-3: which inbound types qualify", () => {
  const qualifying: [string, Parameters<typeof inbound>[1]][] = [
    ...["text", "image", "audio", "video", "document", "sticker", "location", "contacts"].map(
      (type): [string, Parameters<typeof inbound>[1]] => [type, { type }],
    ),
    ["button", { type: "button" }],
    ["order", { type: "order" }],
    ["interactive button_reply", { type: "interactive", subtype: "button_reply" }],
    ["interactive list_reply", { type: "interactive", subtype: "list_reply" }],
    ["interactive nfm_reply", { type: "interactive", subtype: "nfm_reply" }],
  ];
  for (const [name, extra] of qualifying) {
    it(`CSW-7: ${name} opens the window`, () => {
      const d = decideOn([inbound(T, extra)], FREE_FORM, T + HOUR);
      expect(d.window.open).toBe(true);
      expect(d.outcome).toBe("session");
    });
  }

  const uncertain: [string, Parameters<typeof inbound>[1], string][] = [
    ["reaction", { type: "reaction" }, "reaction"],
    ["system", { type: "system" }, "system"],
    ["request_welcome", { type: "request_welcome" }, "welcome"],
    ["unsupported", { type: "unsupported" }, "unsupported"],
    ["unknown (legacy unsupported)", { type: "unknown" }, "unsupported"],
    ["interactive without content (ERR-28)", { type: "interactive" }, "unsupported"],
    ["edit", { type: "edit" }, "edit"],
    ["revoke", { type: "revoke" }, "revoke"],
    [
      "interactive call_permission_reply",
      { type: "interactive", subtype: "call_permission_reply" },
      "callPermission",
    ],
    ["a future type", { type: "poll_update" }, "other"],
  ];
  for (const [name, extra, key] of uncertain) {
    it(`OPEN-3: ${name} does not open the window by default`, () => {
      const d = decideOn([inbound(T, extra)], FREE_FORM, T + HOUR, noOptIn);
      expect(d.window.open).toBe(false);
      expect(d.reason).toBe("no-inbound");
    });

    it(`OPEN-3: ${name} opens the window when openWindowOn.${key} is on`, () => {
      const d = decideOn([inbound(T, extra)], FREE_FORM, T + HOUR, {
        openWindowOn: { [key]: true },
      });
      expect(d.window.open).toBe(true);
      expect(d.window.lastInboundAt).toEqual(new Date(T));
      expect(ruleIds(d)).toContain("OPEN-3");
    });

    it(`OPEN-3: ${name} stays closed when only the other switches are on`, () => {
      const others = Object.fromEntries(
        [
          "reaction",
          "system",
          "welcome",
          "unsupported",
          "edit",
          "revoke",
          "callPermission",
          "other",
        ]
          .filter((k) => k !== key)
          .map((k) => [k, true]),
      );
      const d = decideOn([inbound(T, extra)], FREE_FORM, T + HOUR, {
        openWindowOn: others,
        requireOptIn: false,
      });
      expect(d.window.open).toBe(false);
    });
  }

  it("OPEN-3: a switched-on reaction restarts a window opened by an earlier text", () => {
    const events = [inbound(T), inbound(T + 5 * HOUR, { type: "reaction" })];
    const off = decideOn(events, FREE_FORM, T + DAY + HOUR, noOptIn);
    const on = decideOn(events, FREE_FORM, T + DAY + HOUR, { openWindowOn: { reaction: true } });
    expect(off.window.open).toBe(false);
    expect(on.window.open).toBe(true);
    expect(on.window.closesAt).toEqual(new Date(T + 5 * HOUR + DAY));
  });
});

describe("CSW-12 / ERR-3 / ERR-4: a 131047 failure closes the window until a later inbound", () => {
  for (const code of [131047, 470, 63016]) {
    it(`CSW-12: a free-form send failing with ${code} after T closes the window`, () => {
      const d = decideOn([inbound(T), failed(T + HOUR, code)], FREE_FORM, T + 2 * HOUR, noOptIn);
      expect(d.outcome).toBe("template");
      expect(d.reason).toBe("window-closed-by-error");
      expect(d.window.open).toBe(false);
      expect(ruleIds(d)).toContain("CSW-12");
    });
  }

  it("CSW-12: a later qualifying inbound reopens it", () => {
    const d = decideOn(
      [inbound(T), failed(T + HOUR, 131047), inbound(T + 3 * HOUR)],
      FREE_FORM,
      T + 4 * HOUR,
    );
    expect(d.outcome).toBe("session");
    expect(d.window.closesAt).toEqual(new Date(T + 3 * HOUR + DAY));
  });

  it("CSW-12: the reopening inbound may be processed before the failure (order-insensitive)", () => {
    const d = decideOn(
      [inbound(T + 3 * HOUR), inbound(T), failed(T + HOUR, 131047)],
      FREE_FORM,
      T + 4 * HOUR,
    );
    expect(d.outcome).toBe("session");
  });

  it("CSW-12: a 131047 from before the latest inbound does not close the new window", () => {
    const d = decideOn([failed(T - HOUR, 131047), inbound(T)], FREE_FORM, T + HOUR);
    expect(d.outcome).toBe("session");
  });

  it("CSW-12: a failed template never closes the window (templates do not get 131047)", () => {
    const d = decideOn(
      [inbound(T), failed(T + HOUR, 131047, { message: "template" })],
      FREE_FORM,
      T + 2 * HOUR,
    );
    expect(d.outcome).toBe("session");
  });

  it("ERR-1 / ERR-9: other error codes leave the window alone", () => {
    const d = decideOn(
      [inbound(T), failed(T + HOUR, 131026), failed(T + HOUR, 131056), failed(T + HOUR, 130429)],
      FREE_FORM,
      T + 2 * HOUR,
    );
    expect(d.outcome).toBe("session");
  });
});

describe("CSW-14 / OPEN-19: inbound before Cloud API onboarding does not count", () => {
  it("CSW-14: a message just before onboardedAt opens nothing", () => {
    const d = decideOn([inbound(T - SECOND)], FREE_FORM, T + HOUR, {
      onboardedAt: new Date(T),
      requireOptIn: false,
    });
    expect(d.window.open).toBe(false);
    expect(d.reason).toBe("no-inbound");
    expect(ruleIds(d)).toContain("CSW-14");
  });

  it("CSW-14: a message at or after onboardedAt opens the window", () => {
    const at = decideOn([inbound(T)], FREE_FORM, T + HOUR, { onboardedAt: T });
    const after = decideOn([inbound(T + 1)], FREE_FORM, T + HOUR, { onboardedAt: T });
    expect(at.window.open).toBe(true);
    expect(after.window.open).toBe(true);
  });

  it("OPEN-19: without onboardedAt every inbound counts", () => {
    const d = decideOn([inbound(T - SECOND)], FREE_FORM, T + HOUR);
    expect(d.window.open).toBe(true);
  });

  it("OPEN-19: an invalid onboardedAt is a typed error naming the field", () => {
    expect(() =>
      decideOn([inbound(T)], FREE_FORM, T, { onboardedAt: new Date("nope") }),
    ).toThrowError(expect.objectContaining({ field: "options.onboardedAt" }));
    expect(() => decideOn([inbound(T)], FREE_FORM, T, { onboardedAt: Number.NaN })).toThrow(
      InvalidInputError,
    );
  });
});

describe("OPEN-2: safety margin and a host clock behind Meta's", () => {
  const margin = 5 * MINUTE;

  it("OPEN-2: the margin is subtracted from the end (end still exclusive)", () => {
    const state = fold(inbound(T));
    const before = decide(state, FREE_FORM, T + DAY - margin - 1, { safetyMarginMs: margin });
    const at = decide(state, FREE_FORM, T + DAY - margin, {
      safetyMarginMs: margin,
      requireOptIn: false,
    });
    expect(before.window.open).toBe(true);
    expect(before.window.remainingMs).toBe(1);
    expect(at.window.open).toBe(false);
    expect(at.window.closesAt).toEqual(new Date(T + DAY - margin));
    expect(ruleIds(at)).toContain("OPEN-2");
  });

  it("OPEN-2: the default margin is 0", () => {
    const d = decide(fold(inbound(T)), FREE_FORM, T + DAY - 1);
    expect(d.window.open).toBe(true);
    expect(ruleIds(d)).not.toContain("OPEN-2");
  });

  it("OPEN-2: a `now` before T (host clock behind) counts as open by default, with 24 h left", () => {
    const d = decide(fold(inbound(T)), FREE_FORM, T - 5 * SECOND);
    expect(d.outcome).toBe("session");
    expect(d.window.open).toBe(true);
    expect(d.window.remainingMs).toBe(DAY);
  });

  it("OPEN-2: openWhenClockBehind: false treats a `now` before T as closed", () => {
    const d = decide(fold(inbound(T)), FREE_FORM, T - 5 * SECOND, {
      openWhenClockBehind: false,
      requireOptIn: false,
    });
    expect(d.window.open).toBe(false);
    expect(d.outcome).toBe("template");
    // The explanation says why, instead of a "closed at" in the future.
    expect(d.explanation).toContain("later than now");
    expect(d.explanation).not.toContain("closed at");
  });

  it("OPEN-2: templates in an open window need no opt-in either (CONSENT-3)", () => {
    const d = decide(fold(inbound(T)), UTILITY, T + HOUR);
    expect(d.outcome).toBe("session");
  });
});
