/**
 * Issue 15: the policy as of the rulebook check of 2026-12-06 and what real traffic showed.
 * Every test is named by its rule ID; each dated rule is tested on both sides of its date, and
 * the US marketing pause on both sides of the area-code list.
 */
import { describe, expect, it } from "vitest";
import { InvalidInputError } from "../../src/domain/errors.js";
import type { StatusEvent, Thread, ThreadEvent } from "../../src/domain/types.js";
import { messengerSendFailure } from "../../src/messenger/send-error.js";
import { BILLING_CURRENCY_RULES } from "../../src/policy/account.js";
import { SOCIAL_ACTIONS } from "../../src/policy/social.js";
import {
  isUsAreaCode,
  isUsCustomer,
  US_AREA_CODES_BY_STATE,
  US_AREA_CODES_SOURCE,
} from "../../src/policy/us-area-codes.js";
import { countsTowardsTier, createCareWindow } from "../../src/service/createCareWindow.js";
import { createMemoryStore } from "../../src/store/memory.js";
import { parseWebhook } from "../../src/whatsapp/parse.js";
import { decide } from "../../src/window/decide.js";
import type { DecideOptions } from "../../src/window/options.js";
import { emptyState, foldEvents } from "../../src/window/state.js";
import {
  consent,
  DAY,
  FREE_FORM,
  failed,
  HOUR,
  inbound,
  MARKETING,
  T26,
  UTILITY,
} from "./fixtures.js";

const ALL_OPT_IN = consent(T26 - DAY, "opt-in", "all");
const US = "12125550100"; // +1 212: New York
const CANADA = "14165550100"; // +1 416: Toronto

const foldAll = (...events: ThreadEvent[]) => foldEvents(emptyState(), events);

describe("CONSENT-8 / OPEN-18: the US marketing pause covers US area codes only", () => {
  const state = foldAll(ALL_OPT_IN);
  const at = T26;

  it("CONSENT-8: a US number (+1 212…) is still paused for marketing", () => {
    const d = decide(state, MARKETING, at, { customer: US });
    expect(d.outcome).toBe("blocked");
    expect(d.reason).toBe("us-marketing-paused");
    expect(d.rules.map((r) => r.id)).toEqual(expect.arrayContaining(["CONSENT-8", "OPEN-18"]));
  });

  it("OPEN-18: a Canadian number (+1 416…) is no longer blocked", () => {
    const d = decide(state, MARKETING, at, { customer: CANADA });
    expect(d.outcome).toBe("template");
    expect(d.reason).toBe("no-inbound");
  });

  it("OPEN-18: both sides of the list — US codes in, Canada, the Caribbean and US territories out", () => {
    for (const code of ["212", "415", "907", "808", "202", "983", "945"]) {
      expect(isUsAreaCode(code), code).toBe(true);
    }
    // Canada, the Caribbean (Jamaica, Bahamas, Dominican Republic), Puerto Rico, Guam, toll-free.
    for (const code of ["416", "604", "514", "876", "242", "809", "787", "939", "671", "800"]) {
      expect(isUsAreaCode(code), code).toBe(false);
    }
    expect(isUsCustomer("+1 (212) 555-0100")).toBe(true);
    expect(isUsCustomer("14165550100")).toBe(false);
    expect(isUsCustomer("1212555010")).toBe(false); // ten digits: not a +1 number
    expect(isUsCustomer("5511987654321")).toBe(false);
    expect(isUsCustomer("US.1502576394655843")).toBe(true); // a BSUID of a US user (ID-4)
    expect(isUsCustomer("CA.1502576394655843")).toBe(false);
    expect(isUsCustomer(undefined)).toBe(false);
  });

  it("OPEN-18: the list is dated data with its source, and no code is listed twice", () => {
    expect(US_AREA_CODES_SOURCE.asOf).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(US_AREA_CODES_SOURCE.source).toMatch(/^https:\/\//);
    const all = Object.values(US_AREA_CODES_BY_STATE).flatMap((s) => s.split(" "));
    expect(new Set(all).size).toBe(all.length);
    expect(all.every((c) => /^[2-9]\d\d$/.test(c))).toBe(true);
    expect(Object.keys(US_AREA_CODES_BY_STATE)).toHaveLength(51); // 50 states and DC
  });

  it("CONSENT-8: both sides of 2025-04-01 for a US number", () => {
    const from = Date.parse("2025-04-01T00:00:00Z");
    expect(decide(state, MARKETING, from - 1, { customer: US }).reason).not.toBe(
      "us-marketing-paused",
    );
    expect(decide(state, MARKETING, from, { customer: US }).reason).toBe("us-marketing-paused");
  });

  it("OPEN-18: usMarketingPause accepts a host resolver (and false switches it off)", () => {
    const resolver = (customer: string) => customer.startsWith("1416");
    expect(
      decide(state, MARKETING, at, { customer: CANADA, usMarketingPause: resolver }).reason,
    ).toBe("us-marketing-paused");
    expect(decide(state, MARKETING, at, { customer: US, usMarketingPause: resolver }).reason).toBe(
      "no-inbound",
    );
    expect(decide(state, MARKETING, at, { customer: US, usMarketingPause: false }).reason).toBe(
      "no-inbound",
    );
  });

  it("OPEN-18: a resolver that does not return a boolean is a typed error naming the option", () => {
    const bad = { customer: US, usMarketingPause: (() => "yes") as unknown as () => boolean };
    expect(() => decide(state, MARKETING, at, bad)).toThrow(InvalidInputError);
    try {
      decide(state, MARKETING, at, bad);
    } catch (e) {
      expect((e as InvalidInputError).field).toBe("options.usMarketingPause");
    }
  });
});

describe("CONSENT-8 / TPL-7: an uncatalogued template to a US number", () => {
  const state = foldAll(ALL_OPT_IN);
  const unknown = { kind: "template", category: "unknown", name: "spring_note" } as const;

  it("TPL-7: held back, with a reason and explanation that say the category is unknown and how to record it", () => {
    const d = decide(state, unknown, T26, { customer: US });
    expect(d.outcome).toBe("blocked");
    expect(d.reason).toBe("category-unknown");
    expect(d.explanation).toContain("category is unknown");
    expect(d.explanation).not.toContain("this one must not be sent"); // 0.1.0 called it marketing
    expect(d.explanation).toContain("spring_note");
    expect(d.alternatives.map((a) => a.action)).toContain("record-category");
    expect(d.rules.map((r) => r.id)).toEqual(
      expect.arrayContaining(["CONSENT-8", "TPL-7", "OPEN-14"]),
    );
  });

  it("TPL-7: to a Canadian number the same template is not held back by the pause", () => {
    expect(decide(state, unknown, T26, { customer: CANADA }).reason).toBe("no-inbound");
  });
});

describe("OPEN-20: Messenger / Instagram window openers as data", () => {
  it("OPEN-20: referrals and postbacks open by default, reactions, reads, opt-ins and story mentions do not", () => {
    expect(SOCIAL_ACTIONS.referral.opens).toBe("default");
    expect(SOCIAL_ACTIONS.postback.opens).toBe("default");
    for (const a of ["reaction", "read", "optin", "storyMention"] as const) {
      expect(SOCIAL_ACTIONS[a].opens, a).toBe("option");
    }
  });
});

const page: Thread = { channel: "messenger", business: "104857372012345", customer: "602415" };
const userMessage = (at: number): ThreadEvent => ({
  kind: "inbound",
  id: `m_${at}`,
  type: "text",
  action: "message",
  at,
  thread: page,
});
const pageFailure = (at: number, response: unknown, tag?: string): StatusEvent => {
  const e = messengerSendFailure({ thread: page, at, response, ...(tag ? { tag } : {}) });
  if (e === undefined) throw new Error("not a failure");
  return e;
};

describe("ERR-30: 131064 stops business-initiated sends from the account", () => {
  const open = foldAll(ALL_OPT_IN, inbound(T26));
  const end = T26 + 3 * DAY;
  const limited = (extra: Partial<StatusEvent> = {}) =>
    foldAll(
      ALL_OPT_IN,
      inbound(T26),
      failed(T26 + HOUR, 131064, { message: "template", ...extra }),
    );

  it("ERR-30: templates are blocked (account-limited) until the known end; replies inside the window are not", () => {
    const s = limited({ retryAfter: end });
    const d = decide(s, UTILITY, T26 + 2 * HOUR);
    expect(d.outcome).toBe("blocked");
    expect(d.reason).toBe("account-limited");
    expect(d.explanation).toContain("131064");
    expect(d.alternatives).toContainEqual(
      expect.objectContaining({ action: "retry-after", at: new Date(end) }),
    );
    expect(d.rules.map((r) => r.id)).toContain("ERR-30");
    expect(decide(s, FREE_FORM, T26 + 2 * HOUR).outcome).toBe("session");
    // Both sides of the end.
    expect(decide(s, UTILITY, end - 1).reason).toBe("account-limited");
    expect(decide(s, UTILITY, end).reason).not.toBe("account-limited");
    // Outside the window a free-form message would need a template: blocked too.
    expect(decide(s, FREE_FORM, T26 + 2 * DAY).reason).toBe("account-limited");
    // Without the failure nothing changes.
    expect(decide(open, UTILITY, T26 + 2 * HOUR).outcome).toBe("session");
  });

  it("ERR-30: without a known end it lasts until the host clears it", () => {
    const s = limited();
    expect(decide(s, MARKETING, T26 + 30 * DAY).reason).toBe("account-limited");
    const cleared = { account: { restrictionsClearedAt: T26 + 2 * HOUR } };
    expect(decide(s, UTILITY, T26 + 3 * HOUR, cleared).reason).not.toBe("account-limited");
  });

  it("ERR-30: the host can declare the account limited for every thread", () => {
    const o: DecideOptions = { account: { limitedUntil: T26 + DAY } };
    expect(decide(open, UTILITY, T26 + HOUR, o).reason).toBe("account-limited");
    expect(decide(open, UTILITY, T26 + DAY, o).reason).not.toBe("account-limited");
  });
});

describe("ERR-31 … ERR-33: Messenger / Instagram send failures", () => {
  const T = Date.parse("2026-11-20T09:00:00Z");

  it("ERR-31: code 10 'outside of allowed window' closes that thread's window like 131047", () => {
    const s = foldAll(
      userMessage(T),
      pageFailure(T + HOUR, { error: { code: 10, error_subcode: 2018278 } }),
    );
    const d = decide(s, { kind: "free-form", sender: "automation" }, T + 2 * HOUR);
    expect(d.outcome).toBe("blocked");
    expect(d.window.open).toBe(false);
    expect(d.rules.map((r) => r.id)).toContain("ERR-31");
    // A later user message reopens it.
    const again = foldAll(
      userMessage(T),
      pageFailure(T + HOUR, { error: { code: 10 } }),
      userMessage(T + 3 * HOUR),
    );
    expect(decide(again, { kind: "free-form" }, T + 4 * HOUR).outcome).toBe("session");
  });

  it("ERR-32: code 100 on an update tag from 2026-04-27 means the tag is never offered again; before that day it still is", () => {
    const day = Date.parse("2026-04-27T00:00:00Z");
    const grant: DecideOptions = { social: { updateTags: [{ tag: "ACCOUNT_UPDATE" }] } };
    const intent = { kind: "free-form", sender: "automation" } as const;
    const refused = (at: number) =>
      foldAll(userMessage(T), pageFailure(at, { error: { code: 100 } }, "ACCOUNT_UPDATE"));
    const now = T + 3 * DAY;
    const after = decide(refused(day), intent, now, grant);
    expect(after.explanation).not.toContain("ACCOUNT_UPDATE: a non-promotional");
    expect(after.explanation).toContain("refused");
    expect(after.rules.map((r) => r.id)).toContain("ERR-32");
    const before = decide(refused(day - 1), intent, now, grant);
    expect(before.explanation).toContain("re-enable ACCOUNT_UPDATE");
  });

  it("ERR-33: 10 / 1893063 blocks every send from the page until the host clears it", () => {
    const s = foldAll(
      userMessage(T),
      pageFailure(T + HOUR, { error: { code: 10, error_subcode: 1893063 } }),
    );
    const d = decide(s, { kind: "free-form", sender: "human" }, T + 2 * HOUR);
    expect(d.outcome).toBe("blocked");
    expect(d.reason).toBe("page-restricted");
    expect(d.rules.map((r) => r.id)).toContain("ERR-33");
    expect(decide(s, { kind: "free-form" }, T + 20 * DAY).reason).toBe("page-restricted");
    const cleared = { account: { restrictionsClearedAt: T + 90 * 60_000 } };
    expect(decide(s, { kind: "free-form" }, T + 2 * HOUR, cleared).outcome).toBe("session");
    // A restriction after the clearing instant applies again.
    const later = foldAll(
      userMessage(T),
      pageFailure(T + 3 * HOUR, { error: { code: "10", error_subcode: "1893063" } }),
    );
    expect(decide(later, { kind: "free-form" }, T + 4 * HOUR, cleared).reason).toBe(
      "page-restricted",
    );
  });

  it("ERR-33: the host can declare the page restricted for every thread", () => {
    const s = foldAll(userMessage(T));
    const o: DecideOptions = { account: { pageRestricted: true } };
    expect(decide(s, { kind: "free-form" }, T + HOUR, o).reason).toBe("page-restricted");
  });

  it("ERR-31 / ERR-33: messengerSendFailure reads codes, never titles, and refuses a WhatsApp thread", () => {
    expect(
      messengerSendFailure({ thread: page, at: T, response: { error: { message: "(#10)" } } }),
    ).toBeUndefined();
    expect(messengerSendFailure({ thread: page, at: T, response: "oops" })).toBeUndefined();
    const wa = { business: "1", customer: "2" };
    expect(() => messengerSendFailure({ thread: wa, at: T, response: {} })).toThrow(
      InvalidInputError,
    );
    expect(() => messengerSendFailure({ thread: page, at: Number.NaN, response: {} })).toThrow(
      InvalidInputError,
    );
  });
});

describe("PRICE-24: paid_exempt deliveries count toward the month's service messages", () => {
  const thread = { business: "106540352242922", customer: "5511987654321" };
  const delivered = (at: number, pricing: StatusEvent["pricing"]): StatusEvent => ({
    kind: "status",
    id: `wamid.${at}`,
    status: "delivered",
    at,
    thread,
    ...(pricing === undefined ? {} : { pricing }),
  });
  const day = Date.parse("2026-10-12T00:00:00Z");

  it("PRICE-24: from 2026-10-12 a paid_exempt delivery counts whatever its category; before, service deliveries count by category", () => {
    expect(countsTowardsTier(delivered(day, { type: "regular", subtype: "paid_exempt" }))).toBe(
      true,
    );
    expect(countsTowardsTier(delivered(day, { category: "utility", subtype: "paid_exempt" }))).toBe(
      true,
    );
    // Before 2026-10-12 there is no subtype: a service delivery counts by its category.
    expect(countsTowardsTier(delivered(day - 1, { category: "service" }))).toBe(true);
    expect(countsTowardsTier(delivered(day - 1, { category: "utility" }))).toBe(false);
    // Only deliveries count, and reactions never (PRICE-4).
    expect(
      countsTowardsTier({ ...delivered(day, { subtype: "paid_exempt" }), status: "sent" }),
    ).toBe(false);
    expect(
      countsTowardsTier({ ...delivered(day, { subtype: "paid_exempt" }), type: "reaction" }),
    ).toBe(false);
  });
});

describe("PRICE-25: India-based accounts not billed in INR stop delivering from 2027-01-01", () => {
  const state = foldAll(ALL_OPT_IN, inbound(Date.parse("2026-12-31T12:00:00Z")));
  const zone = "Asia/Kolkata";
  // 2027-01-01 00:00 in Kolkata (UTC+05:30).
  const from = Date.parse("2026-12-31T18:30:00Z");
  const india = (billingCurrency: string): DecideOptions => ({
    timeZone: zone,
    account: { country: "IN", billingCurrency },
  });

  it("PRICE-25: both sides of 2027-01-01 (account time zone), for every send", () => {
    expect(decide(state, FREE_FORM, from - 1, india("USD")).outcome).toBe("session");
    for (const intent of [FREE_FORM, UTILITY, MARKETING]) {
      const d = decide(state, intent, from, india("USD"));
      expect(d.outcome, JSON.stringify(intent)).toBe("blocked");
      expect(d.reason).toBe("account-billing");
      expect(d.explanation).toContain("INR");
      expect(d.rules.map((r) => r.id)).toContain("PRICE-25");
    }
  });

  it("PRICE-25: nothing changes when billed in INR, for other countries, or without the information", () => {
    expect(decide(state, FREE_FORM, from, india("INR")).outcome).toBe("session");
    expect(decide(state, FREE_FORM, from, india("inr")).outcome).toBe("session");
    const brazil = { timeZone: zone, account: { country: "BR", billingCurrency: "USD" } };
    expect(decide(state, FREE_FORM, from, brazil).outcome).toBe("session");
    expect(decide(state, FREE_FORM, from, { account: { country: "IN" } }).outcome).toBe("session");
    expect(decide(state, FREE_FORM, from).outcome).toBe("session");
    expect(BILLING_CURRENCY_RULES.map((r) => [r.country, r.currency, r.from])).toEqual([
      ["IN", "INR", "2027-01-01"],
    ]);
  });

  it("PRICE-25: a bad account option is a typed error naming the field", () => {
    const bad = { account: { country: 91 } } as unknown as DecideOptions;
    expect(() => decide(state, FREE_FORM, from, bad)).toThrow(InvalidInputError);
  });
});

describe("PRICE-24: paid_exempt from the webhook to the month's count", () => {
  const body = (id: string, subtype?: string) => ({
    object: "whatsapp_business_account",
    entry: [
      {
        id: "102290129340398",
        changes: [
          {
            field: "messages",
            value: {
              messaging_product: "whatsapp",
              metadata: { display_phone_number: "15550783881", phone_number_id: "106540352242922" },
              statuses: [
                {
                  id,
                  status: "delivered",
                  timestamp: "1795683600",
                  recipient_id: "5511987654321",
                  pricing: {
                    billable: false,
                    pricing_model: "PMP",
                    type: "regular",
                    category: "utility",
                    ...(subtype === undefined ? {} : { subtype }),
                  },
                },
              ],
            },
          },
        ],
      },
    ],
  });

  it("PRICE-24: pricing.subtype is parsed verbatim, and a paid_exempt delivery is counted once", async () => {
    const parsed = parseWebhook(body("wamid.X1", "paid_exempt"));
    expect((parsed.events[0] as StatusEvent).pricing?.subtype).toBe("paid_exempt");
    const care = createCareWindow({ store: createMemoryStore() });
    const first = await care.ingest(body("wamid.X1", "paid_exempt"));
    expect(first.recorded.deliveries).toBe(1);
    expect((await care.ingest(body("wamid.X1", "paid_exempt"))).recorded.deliveries).toBe(0);
    // Without the subtype a utility delivery is not a service message.
    expect((await care.ingest(body("wamid.X2"))).recorded.deliveries).toBe(0);
  });
});
