import { describe, expect, it } from "vitest";
import { RULES } from "../../src/policy/catalog.js";
import {
  grantedUpdateTags,
  SOCIAL_ACTIONS,
  SOCIAL_DATES,
  SOCIAL_TAGS,
  SOCIAL_WINDOWS,
} from "../../src/policy/social.js";

const at = (day: string) => Date.parse(`${day}T00:00:00Z`);

describe("Messenger / Instagram policy as dated data", () => {
  it("MSG-1 / IG-1 / MSG-4 / MSG-2: window lengths", () => {
    expect(SOCIAL_WINDOWS.standardMs).toBe(86_400_000);
    expect(SOCIAL_WINDOWS.humanAgentMs).toBe(604_800_000);
    expect(SOCIAL_WINDOWS.adMs).toEqual({ "24h": 86_400_000, "7d": 604_800_000 });
  });

  it("MSG-4 / IG-2: HUMAN_AGENT is for people only, on both channels, and the only default tag", () => {
    expect(SOCIAL_TAGS.HUMAN_AGENT.senders).toEqual(["human"]);
    expect(SOCIAL_TAGS.HUMAN_AGENT.channels).toEqual(["messenger", "instagram"]);
    const defaults = Object.entries(SOCIAL_TAGS).filter(([, t]) => t.proposedByDefault);
    expect(defaults.map(([name]) => name)).toEqual(["HUMAN_AGENT"]);
  });

  it("MSG-5 / OPEN-10 / IG-3: update tags reported retired on 2026-04-27; CONFIRMED_EVENT_UPDATE never on Instagram", () => {
    expect(SOCIAL_DATES.tagsReduced).toBe("2020-03-04");
    for (const tag of [
      "CONFIRMED_EVENT_UPDATE",
      "POST_PURCHASE_UPDATE",
      "ACCOUNT_UPDATE",
    ] as const) {
      expect(SOCIAL_TAGS[tag].until).toBe(SOCIAL_DATES.updateTagsRetiredReported);
      expect(SOCIAL_TAGS[tag].confidence).toBe("reported");
    }
    expect(SOCIAL_TAGS.CONFIRMED_EVENT_UPDATE.channels).toEqual(["messenger"]);
  });

  it("OPEN-20 / IG-4: only messages always open; the rest are switches", () => {
    const always = Object.entries(SOCIAL_ACTIONS).filter(([, a]) => a.opens === "always");
    expect(always.map(([k]) => k)).toEqual(["message"]);
    expect(SOCIAL_ACTIONS.storyMention.rules).toContain("IG-4");
  });

  it("OPEN-10: grantedUpdateTags honours [from, until), channels and duplicates", () => {
    const grants = [
      { tag: "ACCOUNT_UPDATE" as const, from: at("2026-05-01"), until: at("2026-06-01") },
      { tag: "ACCOUNT_UPDATE" as const },
      { tag: "CONFIRMED_EVENT_UPDATE" as const, from: new Date("2026-05-01T00:00:00Z") },
    ];
    expect(grantedUpdateTags("messenger", at("2026-05-01") - 1, grants)).toEqual([
      "ACCOUNT_UPDATE",
    ]);
    expect(grantedUpdateTags("messenger", at("2026-05-01"), grants)).toEqual([
      "ACCOUNT_UPDATE",
      "CONFIRMED_EVENT_UPDATE",
    ]);
    expect(grantedUpdateTags("instagram", at("2026-05-15"), grants)).toEqual(["ACCOUNT_UPDATE"]);
    expect(
      grantedUpdateTags("messenger", at("2026-06-01"), [
        { tag: "POST_PURCHASE_UPDATE", until: at("2026-06-01") },
      ]),
    ).toEqual([]);
    expect(grantedUpdateTags("messenger", 0, undefined)).toEqual([]);
  });

  it("every rule the social policy cites exists in the core catalog or the social extras", () => {
    const cited = [
      ...Object.values(SOCIAL_TAGS).flatMap((t) => t.rules),
      ...Object.values(SOCIAL_ACTIONS).flatMap((a) => a.rules),
    ];
    for (const id of cited) expect(id in RULES, id).toBe(true);
  });
});
