import { createHmac } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { InvalidInputError } from "../../src/domain/errors.js";
import { signBody, verifyChallenge, verifySignature } from "../../src/whatsapp/signature.js";
import { fixture } from "./helpers.js";

const SECRET = "0123456789abcdef0123456789abcdef";
/** Independent reference: node:crypto, not the code under test. */
const nodeHeader = (body: string | Uint8Array, secret = SECRET) =>
  `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;

// Meta's raw body escapes "/" as "\/" (whatsapp-api-js#380) and carries "@" (whatsapp-cloud-api#60).
const RAW =
  '{"object":"whatsapp_business_account","entry":[{"id":"102290129340398","changes":[{"field":"messages","value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"15550783881","phone_number_id":"106540352242922"},"messages":[{"from":"5511987654321","id":"wamid.X","timestamp":"1763990000","type":"text","text":{"body":"see https:\\/\\/example.com\\/a and mail ana@example.com"}}]}}]}]}';

describe("verifySignature (payloads.md §1.2)", () => {
  it("signBody matches an independent HMAC-SHA256 (node:crypto)", async () => {
    expect(await signBody(RAW, SECRET)).toBe(nodeHeader(RAW));
    const bytes = new TextEncoder().encode(RAW);
    expect(await signBody(bytes, SECRET)).toBe(nodeHeader(RAW));
    expect(await signBody(bytes.buffer, SECRET)).toBe(nodeHeader(RAW));
  });

  it("exact bytes pass as string, Uint8Array, Buffer and ArrayBuffer", async () => {
    const header = nodeHeader(RAW);
    const bytes = new TextEncoder().encode(RAW);
    expect(await verifySignature(RAW, header, SECRET)).toBe(true);
    expect(await verifySignature(bytes, header, SECRET)).toBe(true);
    expect(await verifySignature(Buffer.from(RAW), header, SECRET)).toBe(true);
    expect(await verifySignature(bytes.buffer, header, SECRET)).toBe(true);
    const body = fixture("statuses-pmp");
    expect(await verifySignature(body, nodeHeader(body), SECRET)).toBe(true);
  });

  it("one flipped byte anywhere fails", async () => {
    const header = nodeHeader(RAW);
    const bytes = new TextEncoder().encode(RAW);
    await fc.assert(
      fc.asyncProperty(
        fc.nat({ max: bytes.length - 1 }),
        fc.integer({ min: 1, max: 255 }),
        async (i, mask) => {
          const copy = bytes.slice();
          copy[i] = copy[i]! ^ mask;
          expect(await verifySignature(copy, header, SECRET)).toBe(false);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("payloads.md §12.10: a parsed and re-serialised body fails (\\/ and @ lost)", async () => {
    const reserialised = JSON.stringify(JSON.parse(RAW));
    expect(reserialised).not.toBe(RAW);
    expect(await verifySignature(reserialised, nodeHeader(RAW), SECRET)).toBe(false);
  });

  it("a wrong secret fails", async () => {
    expect(await verifySignature(RAW, nodeHeader(RAW, "another-secret"), SECRET)).toBe(false);
    expect(await verifySignature(RAW, nodeHeader(RAW), `${SECRET}x`)).toBe(false);
  });

  it.each([
    ["missing (null)", null],
    ["missing (undefined)", undefined],
    ["empty", ""],
    ["no prefix", "HEX"],
    ["sha1 prefix", "sha1=HEX"],
    ["upper-case prefix", "SHA256=HEX"],
    ["upper-case hex", "sha256=UPPER"],
    ["truncated by one digit", "sha256=TRUNC"],
    ["one digit too many", "sha256=HEXa"],
    ["not hex", "sha256=NOTHEX"],
    ["two signatures", "sha256=HEX,sha256=HEX"],
  ])("a %s header fails without throwing", async (_label, template) => {
    const hex = nodeHeader(RAW).slice("sha256=".length);
    const header =
      template === null || template === undefined
        ? template
        : template
            .replace("UPPER", hex.toUpperCase())
            .replace("TRUNC", hex.slice(0, 63))
            .replace("NOTHEX", `${hex.slice(0, 63)}g`)
            .replaceAll("HEX", hex);
    expect(await verifySignature(RAW, header, SECRET)).toBe(false);
  });

  it("surrounding whitespace in the header is tolerated", async () => {
    expect(await verifySignature(RAW, ` ${nodeHeader(RAW)} `, SECRET)).toBe(true);
  });

  it("an empty secret, a non-string header or an unsupported body type gives false, never a throw", async () => {
    expect(await verifySignature(RAW, nodeHeader(RAW, "k"), "")).toBe(false);
    expect(await verifySignature(RAW, 42 as unknown as string, SECRET)).toBe(false);
    expect(await verifySignature({} as unknown as string, nodeHeader(RAW), SECRET)).toBe(false);
  });

  it("escaped-unicode fallback (whatsapp-api-js#290): Meta signs the \\uXXXX form of non-ASCII text", async () => {
    const raw = '{"text":{"body":"J\'ai mangé des pâtes 👍"}}';
    const escaped = '{"text":{"body":"J\'ai mang\\u00e9 des p\\u00e2tes \\ud83d\\udc4d"}}';
    const header = nodeHeader(escaped);
    expect(await verifySignature(raw, header, SECRET)).toBe(true);
    expect(await verifySignature(new TextEncoder().encode(raw), header, SECRET)).toBe(true);
    // The raw-bytes signature of the same text still passes first.
    expect(await verifySignature(raw, nodeHeader(raw), SECRET)).toBe(true);
    // The fallback is no bypass: a wrong secret or other text still fails.
    expect(await verifySignature(raw, nodeHeader(escaped, "other"), SECRET)).toBe(false);
    expect(await verifySignature(raw.replace("pâtes", "pâtés"), header, SECRET)).toBe(false);
    // Upper-case escapes are not what Meta signs.
    expect(
      await verifySignature(raw, nodeHeader(escaped.replace("\\u00e9", "\\u00E9")), SECRET),
    ).toBe(false);
  });

  it("signBody rejects an empty secret with a typed error", async () => {
    await expect(signBody(RAW, "")).rejects.toBeInstanceOf(InvalidInputError);
  });
});

describe("verifyChallenge (payloads.md §1.1)", () => {
  const good = "hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=my-token";

  it("echoes hub.challenge verbatim, as a string, for the right token", () => {
    const challenge = verifyChallenge(new URLSearchParams(good), "my-token");
    expect(challenge).toBe("1158201444");
    expect(typeof challenge).toBe("string");
    expect(
      verifyChallenge(new URLSearchParams(good.replace("1158201444", "0042")), "my-token"),
    ).toBe("0042");
  });

  it("accepts a framework query object with literal dotted keys (and one-element arrays)", () => {
    expect(
      verifyChallenge(
        { "hub.mode": "subscribe", "hub.challenge": "77", "hub.verify_token": "my-token" },
        "my-token",
      ),
    ).toBe("77");
    expect(
      verifyChallenge(
        { "hub.mode": ["subscribe"], "hub.challenge": ["77"], "hub.verify_token": ["my-token"] },
        "my-token",
      ),
    ).toBe("77");
  });

  it.each([
    ["a wrong token", good.replace("my-token", "nope")],
    ["a token prefix", good.replace("my-token", "my-tok")],
    ["another mode", good.replace("subscribe", "unsubscribe")],
    ["no challenge", "hub.mode=subscribe&hub.verify_token=my-token"],
    ["an empty challenge", "hub.mode=subscribe&hub.challenge=&hub.verify_token=my-token"],
    ["no token", "hub.mode=subscribe&hub.challenge=1"],
  ])("returns null for %s", (_label, query) => {
    expect(verifyChallenge(new URLSearchParams(query), "my-token")).toBeNull();
  });

  it("returns null for an empty configured token, ambiguous arrays and inherited keys", () => {
    expect(
      verifyChallenge(
        new URLSearchParams("hub.mode=subscribe&hub.challenge=1&hub.verify_token="),
        "",
      ),
    ).toBeNull();
    expect(
      verifyChallenge(
        { "hub.mode": "subscribe", "hub.challenge": ["1", "2"], "hub.verify_token": "t" },
        "t",
      ),
    ).toBeNull();
    const inherited = Object.create({
      "hub.mode": "subscribe",
      "hub.challenge": "1",
      "hub.verify_token": "t",
    });
    expect(verifyChallenge(inherited, "t")).toBeNull();
  });
});
