/**
 * What the rule table cites and says, entry by entry, where the decision suites checked only the
 * outcome (found by mutation testing, `npm run mutate`): the exact rule IDs of each Messenger
 * lane, the consent entry's citation, and the host rule's words.
 */
import { describe, expect, it } from "vitest";
import type { Intent } from "../../src/domain/types.js";
import { decide, type HostRule } from "../../src/index.js";
import {
  consent,
  fold as foldCore,
  inbound,
  MARKETING,
  marketingPref,
  T26,
  UTILITY,
} from "../core/fixtures.js";
import { DAY, fold, HOUR, T, threadOf, userAction } from "../messenger/helpers.js";

const ids = (d: { readonly rules: readonly { readonly id: string }[] }): string[] =>
  d.rules.map((r) => r.id);

describe("MSG-3 / MSG-4 / MSG-5: the rules each Messenger entry cites", () => {
  const thread = threadOf("messenger");
  const state = fold([userAction(thread, T)]);
  const bot: Intent = { kind: "free-form", sender: "automation" };
  const human: Intent = { kind: "free-form", sender: "human" };
  const promo: Intent = { kind: "template", category: "marketing" };

  it("MSG-4: a reply inside the window cites the HUMAN_AGENT rule, not MSG-3", () => {
    const d = decide(state, bot, T + HOUR);
    expect(d.reason).toBe("window-open");
    expect(ids(d)).toEqual(["MSG-1", "MSG-8", "MSG-4", "MSG-7"]);
  });

  it("MSG-3: a template inside the window cites MSG-3 (sent as UPDATE)", () => {
    const d = decide(state, promo, T + HOUR);
    expect(d.reason).toBe("window-open");
    expect(ids(d)).toEqual(["MSG-1", "MSG-8", "MSG-3", "MSG-4"]);
  });

  it("MSG-2: inside the 7-day ad window a reply cites MSG-4 and a template MSG-3", () => {
    const ad = fold([userAction(thread, T, "message", { ad: true })]);
    const o = { social: { adWindow: "7d" } } as const;
    const reply = decide(ad, bot, T + DAY + HOUR, o);
    expect(reply.reason).toBe("ad-window-open");
    expect(ids(reply)).toEqual(["MSG-1", "MSG-8", "MSG-2", "OPEN-20", "MSG-4", "MSG-7"]);
    const template = decide(ad, { kind: "template", category: "utility" }, T + DAY + HOUR, o);
    expect(template.reason).toBe("ad-window-open");
    expect(ids(template)).toEqual(["MSG-1", "MSG-8", "MSG-2", "OPEN-20", "MSG-3", "MSG-4"]);
  });

  it("MSG-5 / MSG-6: after the 7 days a reply cites the retired tags and MSG-4; a template MSG-3", () => {
    const late = decide(state, bot, T + 8 * DAY);
    expect(late.reason).toBe("window-closed");
    expect(ids(late)).toEqual(["MSG-1", "MSG-8", "MSG-5", "MSG-6", "OPEN-10", "MSG-4"]);
    const template = decide(state, promo, T + 2 * DAY);
    expect(template.reason).toBe("window-closed");
    expect(ids(template)).toEqual(["MSG-1", "MSG-8", "MSG-5", "MSG-6", "OPEN-10", "MSG-3"]);
  });

  it("MSG-4 / MSG-3: a person after the window cites HUMAN_AGENT and MSG-3", () => {
    const d = decide(state, human, T + 2 * DAY);
    expect(d.reason).toBe("human-agent");
    expect(ids(d)).toEqual(["MSG-1", "MSG-8", "MSG-4", "MSG-3"]);
  });
});

describe("CONSENT-5 / CONSENT-6: what a marketing stop cites", () => {
  it("CONSENT-5: a customer's marketing stop cites CONSENT-5 only (no 131050 seen)", () => {
    const state = foldCore(
      consent(T26 - 10 * DAY, "opt-in", "all"),
      inbound(T26 - HOUR),
      marketingPref(T26 - HOUR / 2, "stop"),
    );
    const d = decide(state, MARKETING, T26);
    expect(d.reason).toBe("marketing-stopped");
    expect(ids(d)).toContain("CONSENT-5");
    expect(ids(d)).not.toContain("CONSENT-6");
  });
});

describe("host rules: the explanation and the retry name the host's rule", () => {
  const state = foldCore(consent(T26 - 10 * DAY, "opt-in", "all"), inbound(T26 - HOUR));
  const until = T26 + 2 * HOUR;
  const hold: HostRule = {
    id: "HOST-freeze",
    title: "Freeze",
    check: () => ({ explanation: "Sends are frozen.", until }),
  };

  it("the explanation names the rule's id", () => {
    const d = decide(state, UTILITY, T26, { rules: [hold] });
    expect(d.reason).toBe("host-rule");
    expect(d.explanation).toBe("Sends are frozen. (your rule HOST-freeze; Meta would allow it)");
  });

  it("the retry-after alternative names the rule's id and its end", () => {
    const d = decide(state, UTILITY, T26, { rules: [hold] });
    const retry = d.alternatives.find((a) => a.action === "retry-after");
    expect(retry).toBeDefined();
    expect(retry?.text).toMatch(
      /^Try again from .+, when your rule HOST-freeze no longer holds it\.$/,
    );
    expect(retry?.text).toContain("2026-11-26");
  });
});
