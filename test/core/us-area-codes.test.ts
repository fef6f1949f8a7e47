/**
 * The US area-code list behind the US marketing pause (CONSENT-8, OPEN-18), tested on both sides:
 * codes NANPA assigns to the 50 states and DC are covered, codes of Canada, the Caribbean, the US
 * territories and the non-geographic services are not. The fixtures below were taken from NANPA's
 * NPA report (file date 2025-11-26), independently of the list under test.
 */
import { describe, expect, it } from "vitest";
import {
  isUsAreaCode,
  isUsCustomer,
  US_AREA_CODES_BY_STATE,
  US_AREA_CODES_SOURCE,
} from "../../src/policy/us-area-codes.js";
import { decide } from "../../src/window/decide.js";
import { emptyState, foldEvents } from "../../src/window/state.js";
import { consent, DAY, MARKETING, T26 } from "./fixtures.js";

/**
 * Per state (and DC), codes from NANPA's report: the oldest code, plus the newest overlays
 * (in service 2023–2025) and the codes assigned but not yet in service on the report's date.
 */
const SAMPLE_BY_STATE: Readonly<Record<string, readonly string[]>> = {
  AL: ["205", "659", "483"], // 483: assigned, planned in service 2026-02-23
  AK: ["907"],
  AZ: ["602", "928"],
  AR: ["501", "327"],
  CA: ["213", "357", "738", "837"],
  CO: ["303", "983", "748"],
  CT: ["203", "959"],
  DE: ["302"],
  DC: ["202", "771"],
  FL: ["305", "324", "645", "728"],
  GA: ["404", "943", "565"], // 565: assigned, not in service yet
  HI: ["808"],
  ID: ["208", "986"],
  IL: ["312", "730", "861"],
  IN: ["317", "930"],
  IA: ["319", "712"],
  KS: ["316", "913"],
  KY: ["502", "364", "761"], // 761: assigned, not in service yet
  LA: ["504", "457"],
  ME: ["207"],
  MD: ["301", "227"],
  MA: ["617", "857"],
  MI: ["313", "679"],
  MN: ["612", "924"],
  MS: ["601", "471"], // 471: assigned, planned in service 2026-01-30
  MO: ["314", "235", "557", "975"],
  MT: ["406"],
  NE: ["402", "531"],
  NV: ["702", "725"],
  NH: ["603"],
  NJ: ["201", "640"],
  NM: ["505", "575"],
  NY: ["212", "329", "363", "624", "465"], // 465: assigned, planned in service 2026-06-18
  NC: ["919", "472"],
  ND: ["701"],
  OH: ["216", "283", "436"],
  OK: ["405", "572"],
  OR: ["503", "458"],
  PA: ["215", "582", "835"],
  RI: ["401"],
  SC: ["803", "821"],
  SD: ["605"],
  TN: ["615", "729"],
  TX: ["214", "621", "945"],
  UT: ["801", "385"],
  VT: ["802"],
  VA: ["703", "686", "826"],
  WA: ["206", "564"],
  WV: ["304", "681"],
  WI: ["414", "274", "353"],
  WY: ["307"],
};

/** Canadian codes, old and new, including 273 (Quebec, assigned for 2027). */
const CANADA = [
  "204",
  "226",
  "236",
  "249",
  "250",
  "257",
  "263",
  "273",
  "289",
  "306",
  "343",
  "354",
  "365",
  "367",
  "368",
  "382",
  "403",
  "416",
  "418",
  "428",
  "431",
  "437",
  "438",
  "450",
  "468",
  "474",
  "506",
  "514",
  "519",
  "548",
  "579",
  "581",
  "584",
  "587",
  "604",
  "613",
  "639",
  "647",
  "672",
  "683",
  "705",
  "709",
  "742",
  "753",
  "778",
  "780",
  "782",
  "807",
  "819",
  "825",
  "867",
  "873",
  "879",
  "902",
  "905",
  "942",
];

/** The Caribbean and Bermuda: the other NANP countries. */
const CARIBBEAN = [
  "242",
  "246",
  "264",
  "268",
  "284",
  "345",
  "441",
  "473",
  "649",
  "658",
  "664",
  "721",
  "758",
  "767",
  "784",
  "809",
  "829",
  "849",
  "868",
  "869",
  "876",
];

/** US territories: outside Meta's "US area code" unless Meta says otherwise (OPEN-18). */
const US_TERRITORIES = ["340", "670", "671", "684", "787", "939"];

/** Non-geographic and reserved codes, shared by every NANP country or not assigned at all. */
const NON_GEOGRAPHIC = [
  "211",
  "411",
  "911",
  "500",
  "521",
  "522",
  "523",
  "524",
  "525",
  "526",
  "527",
  "528",
  "529",
  "532",
  "533",
  "538",
  "544",
  "566",
  "577",
  "588",
  "600",
  "622",
  "633",
  "700",
  "710",
  "800",
  "833",
  "844",
  "855",
  "866",
  "877",
  "888",
  "900",
  "627",
  "935",
  "555",
  "950",
];

const listed = (state: string): string[] => US_AREA_CODES_BY_STATE[state]?.split(" ") ?? [];
const allCodes = (): string[] => Object.values(US_AREA_CODES_BY_STATE).flatMap((s) => s.split(" "));

describe("CONSENT-8 / OPEN-18: US area codes are covered, state by state", () => {
  it("OPEN-18: the list has exactly the 50 states and DC", () => {
    expect(Object.keys(US_AREA_CODES_BY_STATE).sort()).toEqual(Object.keys(SAMPLE_BY_STATE).sort());
  });

  for (const [state, codes] of Object.entries(SAMPLE_BY_STATE)) {
    it(`CONSENT-8 / OPEN-18: ${state} ${codes.join(" ")} are US area codes of ${state}`, () => {
      for (const code of codes) {
        expect(listed(state), `${code} under ${state}`).toContain(code);
        expect(isUsAreaCode(code), code).toBe(true);
        expect(isUsCustomer(`+1 ${code} 555 0100`), code).toBe(true);
      }
    });
  }

  it("OPEN-18: codes assigned but not yet in service are covered (the conservative side)", () => {
    expect(US_AREA_CODES_SOURCE.planned.length).toBeGreaterThan(0);
    for (const code of US_AREA_CODES_SOURCE.planned) expect(isUsAreaCode(code), code).toBe(true);
  });

  it("CONSENT-8: a marketing template to the newest US overlays is paused", () => {
    const state = foldEvents(emptyState(), [consent(T26 - DAY, "opt-in", "all")]);
    for (const customer of ["16215550100", "17295550100", "14655550100", "14835550100"]) {
      expect(decide(state, MARKETING, T26, { customer }).reason, customer).toBe(
        "us-marketing-paused",
      );
    }
  });
});

describe("OPEN-18: codes outside the 50 states and DC are not covered", () => {
  const cases = [
    ["Canada", CANADA],
    ["the Caribbean", CARIBBEAN],
    ["US territories", US_TERRITORIES],
    ["non-geographic and reserved codes", NON_GEOGRAPHIC],
  ] as const;
  for (const [name, codes] of cases) {
    it(`OPEN-18: ${name} (${codes.length} codes) are not US area codes`, () => {
      const all = new Set(allCodes());
      for (const code of codes) {
        expect(all.has(code), code).toBe(false);
        expect(isUsAreaCode(code), code).toBe(false);
        expect(isUsCustomer(`+1 ${code} 555 0100`), code).toBe(false);
      }
    });
  }

  it("CONSENT-8: a marketing template to Canada, Jamaica, the Dominican Republic or Puerto Rico is not paused", () => {
    const state = foldEvents(emptyState(), [consent(T26 - DAY, "opt-in", "all")]);
    for (const customer of [
      "18255550100",
      "13685550100",
      "18765550100",
      "18495550100",
      "17875550100",
    ]) {
      expect(decide(state, MARKETING, T26, { customer }).reason, customer).not.toBe(
        "us-marketing-paused",
      );
    }
  });
});

describe("OPEN-18: the list is well-formed dated data", () => {
  it("OPEN-18: no code is listed twice, within a state or across states", () => {
    const all = allCodes();
    expect(all.length).toBeGreaterThan(300);
    expect(new Set(all).size).toBe(all.length);
  });

  it("OPEN-18: every code is a valid geographic NPA (NXX, no N11, no N9X expansion code, no easily recognizable code)", () => {
    for (const code of allCodes()) {
      expect(code, code).toMatch(/^[2-9][0-8]\d$/);
      expect(code.slice(1), `${code} is N11`).not.toBe("11");
      expect(code[1] === code[2], `${code} is an easily recognizable code`).toBe(false);
    }
  });

  it("OPEN-18: each state's codes are in ascending order (easy to compare with the source)", () => {
    for (const [state, codes] of Object.entries(US_AREA_CODES_BY_STATE)) {
      const list = codes.split(" ");
      expect(list, state).toEqual([...list].sort());
    }
  });

  it("OPEN-18: the source is named with the file, commit and dates it was checked at", () => {
    expect(US_AREA_CODES_SOURCE.asOf).toBe("2026-12-06");
    expect(US_AREA_CODES_SOURCE.source).toMatch(/^https:\/\/nationalnanpa\.com\//);
    expect(US_AREA_CODES_SOURCE.sourceFileDate <= US_AREA_CODES_SOURCE.asOf).toBe(true);
    expect(US_AREA_CODES_SOURCE.readFrom.commit).toMatch(/^[0-9a-f]{40}$/);
    expect(US_AREA_CODES_SOURCE.crossCheck.commit).toMatch(/^[0-9a-f]{40}$/);
  });
});
