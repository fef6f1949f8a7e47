import * as fc from "fast-check";
import { describe, expect, it } from "vitest";
import { InvalidInputError } from "../../src/domain/errors.js";
import type { InboundEvent, OutboundEvent } from "../../src/domain/types.js";
import { parseMessengerWebhook } from "../../src/messenger/index.js";
import type { ParseResult } from "../../src/whatsapp/parse.js";
import { IG_ACCOUNT, IGSID, PAGE, PSID } from "./helpers.js";

const T0 = 1_795_683_600_000;

/** The invariants every parse result keeps; returns the first broken one (plain checks: fast). */
function broken(r: ParseResult): string | undefined {
  for (const e of r.events as (InboundEvent | OutboundEvent)[]) {
    if (!Number.isFinite(e.at) || !Number.isInteger(e.at) || e.at < 0) return `at ${e.at}`;
    if (typeof e.id !== "string" || e.id.length === 0) return "empty id";
    if (e.thread.channel !== "messenger" && e.thread.channel !== "instagram") return "channel";
    if (!e.thread.business || !e.thread.customer) return "empty thread id";
    const kind: string = e.kind;
    if (kind !== "inbound" && kind !== "outbound") return `kind ${kind}`;
    // MSG-8: every outbound event is an echo; nothing the page sent is inbound.
    if (e.kind === "outbound" && e.echo !== true) return "outbound without echo";
  }
  for (const issue of r.issues) {
    if (typeof issue.path !== "string" || typeof issue.code !== "string") return "issue shape";
  }
  if (!Number.isInteger(r.ignored) || r.ignored < 0) return "ignored";
  return undefined;
}

const checkResult = (r: ParseResult): void => {
  const why = broken(r);
  if (why !== undefined) expect.fail(`${why}: ${JSON.stringify(r).slice(0, 500)}`);
};

/** Arbitrary JSON damage, kept small so 10,000 runs stay fast. */
const junk = fc.jsonValue({ maxDepth: 2, depthSize: "small" });
const ids = fc.constantFrom(PAGE, PSID, IG_ACCOUNT, IGSID, "", "0", "x");
const participant = fc.oneof(
  fc.record({ id: ids }, { requiredKeys: [] }),
  fc.record({ user_ref: ids }),
  junk,
);
const timestamp = fc.oneof(
  fc.integer({ min: T0 - 1e9, max: T0 + 1e9 }),
  fc.integer({ min: T0 - 1e9, max: T0 + 1e9 }).map(String),
  fc.constantFrom(-1, 1e300, 9e15, 1.5, "1e12", "", "NaN", "Infinity", " 1795683600000"),
  fc.double(),
  junk,
);
const referral = fc.oneof(
  fc.record(
    {
      source: fc.constantFrom("ADS", "SHORTLINK", "IGME-SOURCE-LINK"),
      type: fc.constant("OPEN_THREAD"),
      ad_id: fc.oneof(fc.string(), fc.integer()),
      ref: fc.string(),
      ads_context_data: fc.oneof(fc.record({ ad_title: fc.string() }), junk),
    },
    { requiredKeys: [] },
  ),
  junk,
);
const attachment = fc.oneof(
  fc.record({
    type: fc.constantFrom(
      "image",
      "video",
      "audio",
      "file",
      "story_mention",
      "ig_reel",
      "fallback",
    ),
    payload: junk,
  }),
  junk,
);
const message = fc.oneof(
  fc.record(
    {
      mid: fc.oneof(fc.string(), junk),
      text: fc.oneof(fc.string(), junk),
      is_echo: fc.oneof(fc.boolean(), junk),
      quick_reply: fc.oneof(fc.record({ payload: fc.string() }), junk),
      attachments: fc.oneof(fc.array(attachment, { maxLength: 3 }), junk),
      referral,
      is_deleted: fc.oneof(fc.boolean(), junk),
      reply_to: junk,
    },
    { requiredKeys: [] },
  ),
  junk,
);
const item = fc.oneof(
  fc.record(
    {
      sender: participant,
      recipient: participant,
      timestamp,
      message,
      postback: fc.oneof(
        fc.record({ mid: fc.string(), payload: fc.string(), referral }, { requiredKeys: [] }),
        junk,
      ),
      reaction: fc.oneof(
        fc.record(
          { mid: fc.string(), action: fc.constantFrom("react", "unreact") },
          { requiredKeys: [] },
        ),
        junk,
      ),
      referral,
      read: junk,
      message_edit: junk,
    },
    { requiredKeys: [] },
  ),
  junk,
);
const entry = fc.oneof(
  fc.record(
    {
      id: fc.oneof(ids, junk),
      time: junk,
      messaging: fc.oneof(fc.array(item, { maxLength: 5 }), junk),
      standby: fc.oneof(fc.array(item, { maxLength: 2 }), junk),
      changes: junk,
    },
    { requiredKeys: [] },
  ),
  junk,
);
const body = fc.record(
  {
    object: fc.oneof(fc.constantFrom("page", "instagram"), junk),
    entry: fc.oneof(fc.array(entry, { maxLength: 4 }), junk),
  },
  { requiredKeys: [] },
);

/** A well-formed user message item. */
const validItem = (i: number, channel: "page" | "instagram") => {
  const [business, customer] = channel === "page" ? [PAGE, PSID] : [IG_ACCOUNT, IGSID];
  return {
    sender: { id: customer },
    recipient: { id: business },
    timestamp: T0 + i,
    message: { mid: `m_valid_${i}`, text: `hello ${i}` },
  };
};

describe("parseMessengerWebhook fuzzing (fast-check)", () => {
  it("never throws for any JSON object; non-objects get the typed invalid-body error", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        if (typeof value === "string") return; // a string body is JSON text: see the last property
        const isObject = typeof value === "object" && value !== null && !Array.isArray(value);
        if (isObject) {
          checkResult(parseMessengerWebhook(value));
        } else {
          expect(() => parseMessengerWebhook(value)).toThrow(InvalidInputError);
          try {
            parseMessengerWebhook(value);
          } catch (e) {
            expect((e as InvalidInputError).code).toMatch(/^invalid-(body|json)$/);
          }
        }
      }),
      { numRuns: 10_000 },
    );
  });

  it("never throws on Messenger-shaped bodies with arbitrary damage; every at is finite", () => {
    fc.assert(
      fc.property(body, (b) => {
        checkResult(parseMessengerWebhook(b));
      }),
      { numRuns: 10_000 },
    );
  });

  it("the same body as text, bytes or parsed JSON gives the same result", () => {
    fc.assert(
      fc.property(body, (b) => {
        const text = JSON.stringify(b);
        const parsed = parseMessengerWebhook(JSON.parse(text));
        expect(parseMessengerWebhook(text)).toEqual(parsed);
        expect(parseMessengerWebhook(new TextEncoder().encode(text))).toEqual(parsed);
      }),
      { numRuns: 1_000 },
    );
  });

  it("valid items beside invalid ones survive (items and entries)", () => {
    fc.assert(
      fc.property(
        fc.constantFrom("page", "instagram" as const),
        fc.array(fc.tuple(fc.boolean(), item), { minLength: 1, maxLength: 8 }),
        fc.array(entry, { maxLength: 1 }),
        (object, mix, junkEntries) => {
          const items = mix.map(([valid, junk], i) => (valid ? validItem(i, object) : junk));
          const entryId = object === "page" ? PAGE : IG_ACCOUNT;
          const r = parseMessengerWebhook({
            object,
            entry: [...junkEntries, { id: entryId, messaging: items }, ...junkEntries],
          });
          checkResult(r);
          const mids = new Set(
            r.events.filter((e) => e.kind === "inbound").map((e) => (e as InboundEvent).id),
          );
          mix.forEach(([valid], i) => {
            if (valid) expect(mids.has(`m_valid_${i}`)).toBe(true);
          });
        },
      ),
      { numRuns: 2_000 },
    );
  });

  it("arbitrary strings either parse or throw InvalidInputError, nothing else", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.json()), (text) => {
        try {
          checkResult(parseMessengerWebhook(text));
        } catch (e) {
          expect(e).toBeInstanceOf(InvalidInputError);
        }
      }),
      { numRuns: 2_000 },
    );
  });
});
