import * as fc from "fast-check";
import { describe, expect, it } from "vitest";
import { InvalidInputError } from "../../src/domain/errors.js";
import type { Intent, ThreadEvent } from "../../src/domain/types.js";
import { decide } from "../../src/window/decide.js";
import type { DecideOptions } from "../../src/window/options.js";
import { HUMAN_AGENT_MS, type SocialDecideOptions } from "../../src/window/social.js";
import { DAY, echo, fold, HOUR, T, threadOf, userAction, WEEK } from "./helpers.js";

const human: Intent = { kind: "free-form", sender: "human" };
const bot: Intent = { kind: "free-form", sender: "automation" };
const anonymous: Intent = { kind: "free-form" };
const promo: Intent = { kind: "template", category: "marketing", sender: "human" };
const social = (s: SocialDecideOptions): DecideOptions => ({ social: s });

describe.each(["messenger", "instagram"] as const)("%s: the standard window", (channel) => {
  const thread = threadOf(channel);
  const state = fold([userAction(thread, T)]);
  const std = channel === "messenger" ? "MSG-1" : "IG-1";
  const tagRule = channel === "messenger" ? "MSG-4" : "IG-2";

  it(`${std}: T + 24 h − 1 ms is open and goes as RESPONSE, without a tag`, () => {
    for (const intent of [human, bot, anonymous]) {
      const d = decide(state, intent, T + DAY - 1);
      expect(d.outcome).toBe("session");
      expect(d.reason).toBe("window-open");
      expect(d.tag).toEqual({ messagingType: "RESPONSE" });
      expect(d.channel).toBe(channel);
      expect(d.window.open).toBe(true);
      expect(d.window.closesAt?.getTime()).toBe(T + DAY);
      expect(d.window.remainingMs).toBe(1);
    }
  });

  it(`${std}: at exactly T the window is open (half-open [T, T+24h))`, () => {
    expect(decide(state, bot, T).outcome).toBe("session");
  });

  it(`${std} / ${tagRule}: exactly T + 24 h is closed; automation is refused`, () => {
    const d = decide(state, bot, T + DAY);
    expect(d.outcome).toBe("blocked");
    expect(d.reason).toBe("automation-outside-window");
    expect(d.window.open).toBe(false);
    expect(d.tag).toBeUndefined();
  });

  it(`${tagRule}: automation at T + 24 h + 1 ms is refused with a human-agent-tag alternative`, () => {
    const d = decide(state, bot, T + DAY + 1);
    expect(d.outcome).toBe("blocked");
    expect(d.reason).toBe("automation-outside-window");
    expect(d.tag).toBeUndefined();
    const alt = d.alternatives.find((a) => a.action === "human-agent-tag");
    expect(alt).toBeDefined();
    expect(alt?.action === "human-agent-tag" && alt.until.getTime()).toBe(T + WEEK);
    expect(d.rules.map((r) => r.id)).toContain(tagRule);
    expect(d.explanation).toMatch(/never a bot/);
  });

  it(`${tagRule}: a person at T + 24 h gets HUMAN_AGENT`, () => {
    const d = decide(state, human, T + DAY);
    expect(d.outcome).toBe("session");
    expect(d.reason).toBe("human-agent");
    expect(d.tag).toEqual({ messagingType: "MESSAGE_TAG", tag: "HUMAN_AGENT" });
    expect(d.window.open).toBe(false);
  });

  it(`${tagRule}: a person at T + 7 d − 1 ms gets HUMAN_AGENT; at T + 7 d and T + 7 d + 1 ms nothing`, () => {
    const last = decide(state, human, T + WEEK - 1);
    expect(last.reason).toBe("human-agent");
    expect(last.tag?.tag).toBe("HUMAN_AGENT");
    for (const at of [T + WEEK, T + WEEK + 1]) {
      const d = decide(state, human, at);
      expect(d.outcome).toBe("blocked");
      expect(d.reason).toBe("window-closed");
      expect(d.tag).toBeUndefined();
      expect(d.alternatives.map((a) => a.action)).toEqual(["wait-for-customer"]);
    }
    expect(HUMAN_AGENT_MS).toBe(604_800_000);
  });

  it(`${tagRule}: a person inside the window never gets HUMAN_AGENT (RESPONSE)`, () => {
    expect(decide(state, human, T + HOUR).tag).toEqual({ messagingType: "RESPONSE" });
  });

  it(`${tagRule}: an intent without sender counts as automation after 24 h`, () => {
    const d = decide(state, anonymous, T + 2 * DAY);
    expect(d.reason).toBe("automation-outside-window");
    expect(d.notes.join(" ")).toMatch(/No sender given/);
  });

  it("MSG-3: a template inside the window goes as UPDATE, never under a tag", () => {
    const d = decide(state, promo, T + HOUR);
    expect(d.outcome).toBe("session");
    expect(d.tag).toEqual({ messagingType: "UPDATE" });
    expect(d.rules.map((r) => r.id)).toContain("MSG-3");
  });

  it("MSG-3: a template outside the window is blocked, even from a person inside the 7 days", () => {
    for (const at of [T + DAY, T + DAY + 1, T + 3 * DAY, T + WEEK + 1]) {
      const d = decide(state, promo, at);
      expect(d.outcome).toBe("blocked");
      expect(d.reason).toBe("window-closed");
      expect(d.tag).toBeUndefined();
      expect(d.rules.map((r) => r.id)).toContain("MSG-3");
    }
    const utility = decide(
      state,
      { kind: "template", category: "utility", sender: "automation" },
      T + 2 * DAY,
    );
    expect(utility.reason).toBe("window-closed");
  });

  it("pricing is free with era not-applicable; no free entry point", () => {
    const d = decide(state, human, T + HOUR);
    expect(d.pricing.charge).toBe("free");
    expect(d.pricing.era).toBe("not-applicable");
    expect(d.pricing.category).toBe("service");
    expect(d.freeEntryPoint).toEqual({ open: false, closesAt: null, source: "none" });
    expect(decide(state, promo, T + HOUR).pricing.category).toBe("marketing");
  });

  it("JSON.stringify carries the tag and the rendered prose", () => {
    const json = JSON.parse(JSON.stringify(decide(state, human, T + 2 * DAY)));
    expect(json.tag).toEqual({ messagingType: "MESSAGE_TAG", tag: "HUMAN_AGENT" });
    expect(json.explanation).toMatch(/HUMAN_AGENT/);
    expect(json.channel).toBe(channel);
  });

  it("MSG-6: nothing received means nothing may go", () => {
    const empty = fold([echo(thread, T)]);
    const d = decide(empty, human, T + HOUR);
    expect(d.outcome).toBe("blocked");
    expect(d.reason).toBe("no-inbound");
  });
});

describe("MSG-8: the page's own messages never open or extend a window", () => {
  const thread = threadOf("messenger");
  it("MSG-8: an echo alone opens nothing", () => {
    expect(decide(fold([echo(thread, T)]), human, T + 1).reason).toBe("no-inbound");
  });
  it("MSG-8: an echo 23 h after the message does not extend it", () => {
    const state = fold([userAction(thread, T), echo(thread, T + 23 * HOUR)]);
    expect(decide(state, bot, T + DAY - 1).outcome).toBe("session");
    expect(decide(state, bot, T + DAY).reason).toBe("automation-outside-window");
  });
  it("MSG-8: property — adding echoes never changes a decision", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -10 * DAY, max: 10 * DAY }), { maxLength: 4 }),
        fc.array(fc.integer({ min: -10 * DAY, max: 10 * DAY }), { maxLength: 6 }),
        fc.integer({ min: -2 * DAY, max: 12 * DAY }),
        fc.constantFrom(human, bot, anonymous, promo),
        (messages, echoes, offset, intent) => {
          const users = messages.map((m) => userAction(thread, T + m));
          const base = fold(users);
          const withEchoes = fold([...users, ...echoes.map((e) => echo(thread, T + e))]);
          if (base.channel === undefined) return; // no events at all: not a social state
          const d1 = JSON.parse(JSON.stringify(decide(base, intent, T + offset)));
          const d2 = JSON.parse(JSON.stringify(decide(withEchoes, intent, T + offset)));
          expect(d2.outcome).toBe(d1.outcome);
          expect(d2.reason).toBe(d1.reason);
          expect(d2.window).toEqual(d1.window);
          expect(d2.tag).toEqual(d1.tag);
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe("MSG-4: HUMAN_AGENT is never proposed for automation (property)", () => {
  const actions = ["message", "postback", "reaction", "referral", "story_mention"] as const;
  const eventArb = fc.record({
    channel: fc.constantFrom("messenger", "instagram" as const),
    action: fc.constantFrom(...actions),
    offset: fc.integer({ min: -10 * DAY, max: 10 * DAY }),
    ad: fc.boolean(),
  });
  const optionsArb = fc.record(
    {
      adWindow: fc.constantFrom("24h", "7d" as const),
      openOn: fc.record(
        {
          postback: fc.boolean(),
          reaction: fc.boolean(),
          referral: fc.boolean(),
          storyMention: fc.boolean(),
        },
        { requiredKeys: [] },
      ),
      humanAgent: fc.boolean(),
      updateTags: fc.constant([
        { tag: "POST_PURCHASE_UPDATE" as const },
        { tag: "CONFIRMED_EVENT_UPDATE" as const },
      ]),
    },
    { requiredKeys: [] },
  );

  it("MSG-4 / MSG-3: automation and templates never carry a tag; HUMAN_AGENT only for a person after the window", () => {
    fc.assert(
      fc.property(
        fc.constantFrom("messenger", "instagram" as const),
        fc.array(eventArb, { minLength: 1, maxLength: 6 }),
        optionsArb,
        fc.integer({ min: -2 * DAY, max: 12 * DAY }),
        fc.constantFrom(human, bot, anonymous, promo, {
          kind: "template",
          category: "utility",
          sender: "automation",
        } as Intent),
        (channel, specs, options, offset, intent) => {
          const thread = threadOf(channel);
          const events: ThreadEvent[] = specs.map((s) =>
            userAction(thread, T + s.offset, s.action, { ad: s.ad }),
          );
          const d = decide(fold(events), intent, T + offset, social(options));
          if (d.tag?.messagingType === "MESSAGE_TAG") {
            expect(intent.kind).toBe("free-form");
            expect(intent.sender).toBe("human");
            expect(d.reason).toBe("human-agent");
            expect(d.window.open).toBe(false);
          }
          if (d.outcome === "session") expect(d.tag).toBeDefined();
          else expect(d.tag).toBeUndefined();
          // #15 item 7: a blocked decision sends nothing, so it carries no price.
          expect(d.pricing.charge).toBe(d.outcome === "blocked" ? "not-sent" : "free");
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe("MSG-2 / OPEN-20: ad-originated windows", () => {
  const thread = threadOf("messenger");
  const state = fold([userAction(thread, T, "message", { ad: true })]);

  it("OPEN-20: by default an ad-originated window is 24 h (T + 24 h is closed)", () => {
    expect(decide(state, bot, T + DAY - 1).reason).toBe("window-open");
    expect(decide(state, bot, T + DAY).reason).toBe("automation-outside-window");
  });

  it("MSG-2: with adWindow 7d it stays open to T + 7 d − 1 ms as ad-window-open; T + 7 d is closed", () => {
    const o = social({ adWindow: "7d" });
    expect(decide(state, bot, T + DAY - 1, o).reason).toBe("window-open");
    const d = decide(state, bot, T + DAY, o);
    expect(d.outcome).toBe("session");
    expect(d.reason).toBe("ad-window-open");
    expect(d.tag).toEqual({ messagingType: "RESPONSE" });
    expect(d.window.closesAt?.getTime()).toBe(T + WEEK);
    expect(decide(state, bot, T + WEEK - 1, o).reason).toBe("ad-window-open");
    const after = decide(state, bot, T + WEEK, o);
    expect(after.outcome).toBe("blocked");
    expect(after.reason).toBe("window-closed"); // the 7-day HUMAN_AGENT period ended too
    expect(d.rules.map((r) => r.id)).toEqual(expect.arrayContaining(["MSG-2", "OPEN-20"]));
    expect(d.notes.join(" ")).toMatch(/7 days/);
  });

  it("MSG-2: an ad referral followed by a message (existing thread) anchors the 7 days on the referral", () => {
    const s = fold([
      userAction(thread, T, "referral", { ad: true }),
      userAction(thread, T + 30_000),
    ]);
    const o = social({ adWindow: "7d" });
    expect(decide(s, bot, T + WEEK - 1, o).reason).toBe("ad-window-open");
    expect(decide(s, bot, T + WEEK, o).outcome).toBe("blocked");
  });

  it("OPEN-20: a bare ad referral opens the window by default (changed 2026-12-06); switched off it opens nothing", () => {
    const s = fold([userAction(thread, T, "referral", { ad: true })]);
    expect(decide(s, bot, T + HOUR).reason).toBe("window-open");
    expect(decide(s, bot, T + DAY).outcome).toBe("blocked");
    expect(decide(s, bot, T + 3 * DAY, social({ adWindow: "7d" })).reason).toBe("ad-window-open");
    const off = social({ adWindow: "7d", openOn: { referral: false } });
    expect(decide(s, human, T + HOUR, off).reason).toBe("no-inbound");
  });

  it("MSG-2 / OPEN-20: an ad referral after the last message restarts the window by default; switched off it extends nothing", () => {
    const s = fold([
      userAction(thread, T),
      userAction(thread, T + 2 * DAY, "referral", { ad: true }),
    ]);
    const on = decide(s, bot, T + 2 * DAY + HOUR, social({ adWindow: "7d" }));
    expect(on.reason).toBe("window-open");
    expect(on.window.closesAt?.getTime()).toBe(T + 9 * DAY);
    const d = decide(
      s,
      bot,
      T + 2 * DAY + HOUR,
      social({ adWindow: "7d", openOn: { referral: false } }),
    );
    expect(d.outcome).toBe("blocked");
    expect(d.reason).toBe("automation-outside-window");
    expect(d.window.closesAt?.getTime()).toBe(T + DAY);
  });

  it("MSG-2: an ad referral older than the latest message's window does not shorten it", () => {
    const s = fold([
      userAction(thread, T, "message", { ad: true }),
      userAction(thread, T + 6.5 * DAY),
    ]);
    expect(decide(s, bot, T + 7.4 * DAY, social({ adWindow: "7d" })).reason).toBe("window-open");
  });
});

describe("OPEN-20 / IG-4: which actions open the window", () => {
  it.each([
    ["postback", "postback", "messenger"],
    ["referral", "referral", "messenger"],
    ["referral", "referral", "instagram"],
  ] as const)(
    "OPEN-20: a %s opens by default (changed 2026-12-06) and not when switched off (%s, %s)",
    (action, key, channel) => {
      const thread = threadOf(channel);
      const state = fold([userAction(thread, T, action)]);
      const on = decide(state, bot, T + HOUR);
      expect(on.outcome).toBe("session");
      expect(on.reason).toBe("window-open");
      expect(on.rules.map((r) => r.id)).toContain("OPEN-20");
      expect(decide(state, bot, T + DAY).outcome).toBe("blocked");
      const off = decide(state, bot, T + HOUR, social({ openOn: { [key]: false } }));
      expect(off.outcome).toBe("blocked");
      expect(off.reason).toBe("no-inbound");
    },
  );

  it.each([
    ["reaction", "reaction", "messenger"],
    ["story_mention", "storyMention", "instagram"],
    ["read", "read", "messenger"],
    ["optin", "optin", "messenger"],
  ] as const)("OPEN-20: a %s opens only when switched on", (action, key, channel) => {
    const thread = threadOf(channel);
    const state = fold([userAction(thread, T, action)]);
    const off = decide(state, bot, T + HOUR);
    expect(off.outcome).toBe("blocked");
    expect(off.reason).toBe("no-inbound");
    expect(off.rules.map((r) => r.id)).toContain("OPEN-20");
    const on = decide(state, bot, T + HOUR, social({ openOn: { [key]: true } }));
    expect(on.outcome).toBe("session");
    expect(on.reason).toBe("window-open");
    expect(decide(state, bot, T + DAY, social({ openOn: { [key]: true } })).outcome).toBe(
      "blocked",
    );
  });

  it("OPEN-20: a later postback restarts the 24 h by default; switched off it does not", () => {
    const thread = threadOf("messenger");
    const state = fold([userAction(thread, T), userAction(thread, T + 10 * HOUR, "postback")]);
    const off = social({ openOn: { postback: false } });
    expect(decide(state, bot, T + DAY + 1, off).outcome).toBe("blocked");
    const on = decide(state, bot, T + DAY + 1);
    expect(on.outcome).toBe("session");
    expect(on.window.closesAt?.getTime()).toBe(T + 34 * HOUR);
  });

  it("MSG-4: HUMAN_AGENT counts 7 days from the last message, not from a switched-on postback", () => {
    const thread = threadOf("messenger");
    const state = fold([userAction(thread, T), userAction(thread, T + 3 * DAY, "postback")]);
    const o = social({ openOn: { postback: true } });
    expect(decide(state, human, T + 5 * DAY, o).reason).toBe("human-agent");
    expect(decide(state, human, T + WEEK, o).reason).toBe("window-closed");
  });
});

describe("OPEN-10 / MSG-5 / IG-3: retired update tags", () => {
  const messenger = fold([userAction(threadOf("messenger"), T)]);
  const instagram = fold([userAction(threadOf("instagram"), T)]);

  it("OPEN-10: by default only HUMAN_AGENT is ever mentioned", () => {
    const d = decide(messenger, bot, T + 2 * DAY);
    expect(d.explanation).not.toMatch(/UPDATE/);
    expect(d.notes.join(" ")).not.toMatch(/_UPDATE/);
  });

  it("OPEN-10: re-enabled tags are reported for automation, never applied", () => {
    const o = social({
      updateTags: [{ tag: "POST_PURCHASE_UPDATE", from: T, until: T + 30 * DAY }],
    });
    const d = decide(messenger, bot, T + 2 * DAY, o);
    expect(d.outcome).toBe("blocked");
    expect(d.reason).toBe("automation-outside-window");
    expect(d.tag).toBeUndefined();
    expect(d.explanation).toMatch(/POST_PURCHASE_UPDATE/);
    expect(d.rules.map((r) => r.id)).toEqual(expect.arrayContaining(["MSG-5", "OPEN-10"]));
    expect(d.rules.find((r) => r.id === "OPEN-10")?.title).toMatch(/HUMAN_AGENT/);
    // after the 7 days too
    expect(decide(messenger, bot, T + 9 * DAY, o).explanation).toMatch(/POST_PURCHASE_UPDATE/);
    // never for templates (MSG-3)
    expect(decide(messenger, promo, T + 2 * DAY, o).explanation).not.toMatch(
      /POST_PURCHASE_UPDATE/,
    );
  });

  it("OPEN-10: a grant outside its date range is not reported ([from, until))", () => {
    const o = social({ updateTags: [{ tag: "ACCOUNT_UPDATE", until: T + 2 * DAY }] });
    expect(decide(messenger, bot, T + 2 * DAY - 1, o).explanation).toMatch(/ACCOUNT_UPDATE/);
    expect(decide(messenger, bot, T + 2 * DAY, o).explanation).not.toMatch(/ACCOUNT_UPDATE/);
  });

  it("IG-3: CONFIRMED_EVENT_UPDATE is never offered on Instagram", () => {
    const o = social({ updateTags: [{ tag: "CONFIRMED_EVENT_UPDATE" }] });
    const ig = decide(instagram, bot, T + 2 * DAY, o);
    expect(ig.explanation).not.toMatch(/CONFIRMED_EVENT_UPDATE/);
    expect(ig.rules.map((r) => r.id)).toContain("IG-3");
    expect(decide(messenger, bot, T + 2 * DAY, o).explanation).toMatch(/CONFIRMED_EVENT_UPDATE/);
  });
});

describe("host options and hard stops", () => {
  const thread = threadOf("messenger");
  const state = fold([userAction(thread, T)]);

  it("MSG-4: humanAgent false proposes nothing after the window", () => {
    const d = decide(state, human, T + 2 * DAY, social({ humanAgent: false }));
    expect(d.outcome).toBe("blocked");
    expect(d.reason).toBe("window-closed");
    expect(d.explanation).toMatch(/switched off/);
    expect(
      decide(state, bot, T + 2 * DAY, social({ humanAgent: false })).alternatives.map(
        (a) => a.action,
      ),
    ).toEqual(["wait-for-customer"]);
  });

  it("OPEN-2: a safety margin shortens both the window and the HUMAN_AGENT period", () => {
    const o: DecideOptions = { safetyMarginMs: 60_000 };
    expect(decide(state, bot, T + DAY - 60_001, o).outcome).toBe("session");
    expect(decide(state, bot, T + DAY - 60_000, o).outcome).toBe("blocked");
    expect(decide(state, human, T + WEEK - 60_001, o).reason).toBe("human-agent");
    expect(decide(state, human, T + WEEK - 60_000, o).reason).toBe("window-closed");
  });

  it("OPEN-2: a host clock behind the provider's timestamp counts as open unless switched off", () => {
    expect(decide(state, bot, T - 5_000).outcome).toBe("session");
    expect(decide(state, bot, T - 5_000, { openWhenClockBehind: false }).outcome).toBe("blocked");
  });

  it("CONSENT-4 / CONSENT-9: opt-outs and blocks stop everything", () => {
    const optedOut = fold([
      userAction(thread, T),
      { kind: "consent", action: "opt-out", scope: "all", source: "keyword", at: T, thread },
    ]);
    expect(decide(optedOut, human, T + HOUR).reason).toBe("opted-out");
    const blocked = fold([userAction(thread, T), { kind: "block", value: "block", at: T, thread }]);
    expect(decide(blocked, human, T + HOUR).reason).toBe("business-blocked");
  });

  it("rejects malformed social options with a typed error naming the field", () => {
    const bad: [unknown, string][] = [
      [{ adWindow: "3d" }, "options.social.adWindow"],
      [{ openOn: { story: true } }, "options.social.openOn.story"],
      [{ openOn: { postback: "yes" } }, "options.social.openOn.postback"],
      [{ humanAgent: "yes" }, "options.social.humanAgent"],
      [{ updateTags: "all" }, "options.social.updateTags"],
      [{ updateTags: [{ tag: "HUMAN_AGENT" }] }, "options.social.updateTags[0].tag"],
      [
        { updateTags: [{ tag: "ACCOUNT_UPDATE", from: Number.NaN }] },
        "options.social.updateTags[0].from",
      ],
      [
        { updateTags: [{ tag: "ACCOUNT_UPDATE", from: 5, until: 5 }] },
        "options.social.updateTags[0].until",
      ],
      ["yes", "options.social"],
    ];
    for (const [value, field] of bad) {
      let error: unknown;
      try {
        decide(state, human, T, { social: value as never });
      } catch (e) {
        error = e;
      }
      expect(error, field).toBeInstanceOf(InvalidInputError);
      expect((error as InvalidInputError).field).toBe(field);
    }
    expect(() => decide(state, human, T, { safetyMarginMs: -1 })).toThrow(InvalidInputError);
  });
});
