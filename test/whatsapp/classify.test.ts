import { describe, expect, it } from "vitest";
import { InvalidInputError } from "../../src/domain/errors.js";
import { classifySend, intentFromSend } from "../../src/whatsapp/classify.js";

const to = "5511987654321";
const base = { messaging_product: "whatsapp", to };
const catalog = {
  order_update: "utility",
  summer_sale: "marketing",
  otp: "authentication",
} as const;
const codes = (c: { issues: readonly { code: string }[] }) => c.issues.map((i) => i.code);

describe("classifySend (TPL-9, payloads.md §10.5)", () => {
  it("TPL-9 step 1: a read receipt with typing indicator is not a message", () => {
    const c = classifySend({
      messaging_product: "whatsapp",
      status: "read",
      message_id: "wamid.IN",
      typing_indicator: { type: "text" },
    });
    expect(c).toEqual({
      kind: "not-a-message",
      status: "read",
      messageId: "wamid.IN",
      typingIndicator: true,
      recipientType: "individual",
      issues: [],
    });
    expect(intentFromSend(c)).toBeNull();
  });

  it("TPL-9 step 1: status beside a message object is classified as the message, with an issue", () => {
    const c = classifySend({ ...base, status: "read", type: "text", text: { body: "x" } });
    expect(c.kind).toBe("free-form");
    expect(codes(c)).toEqual(["status-with-message"]);
  });

  it("TPL-9 step 2 / TPL-7: a template takes its latest category from the catalog", () => {
    const c = classifySend(
      {
        ...base,
        type: "template",
        template: { name: "order_update", language: { code: "pt_BR", policy: "deterministic" } },
      },
      { catalog },
    );
    expect(c).toEqual({
      kind: "template",
      name: "order_update",
      language: "pt_BR",
      category: "utility",
      known: true,
      recipient: to,
      recipientField: "to",
      recipientType: "individual",
      issues: [],
    });
    expect(intentFromSend(c, "automation")).toEqual({
      kind: "template",
      category: "utility",
      name: "order_update",
      sender: "automation",
    });
  });

  it("TPL-9 step 2: a template missing from the catalog is unknown (known: false) and reported", () => {
    const c = classifySend(
      { ...base, type: "template", template: { name: "mystery", language: { code: "en" } } },
      { catalog },
    );
    expect(c).toMatchObject({
      kind: "template",
      name: "mystery",
      category: "unknown",
      known: false,
    });
    expect(codes(c)).toEqual(["unknown-template"]);
    expect(intentFromSend(c)).toEqual({ kind: "template", category: "unknown", name: "mystery" });
  });

  it("TPL-9 step 2: a template name like an Object.prototype member is not in the catalog", () => {
    const c = classifySend(
      { ...base, type: "template", template: { name: "constructor" } },
      { catalog },
    );
    expect(c).toMatchObject({ kind: "template", category: "unknown", known: false });
  });

  it("TPL-9 step 2: a template without a name is classified, with an issue (no throw)", () => {
    const c = classifySend({ ...base, type: "template", template: {} }, { catalog });
    expect(c).toMatchObject({ kind: "template", category: "unknown", known: false });
    expect(codes(c)).toEqual(["missing-template-name"]);
  });

  it("TPL-9 step 2: the legacy hsm form is a template", () => {
    const c = classifySend(
      { ...base, type: "hsm", hsm: { element_name: "summer_sale", language: { code: "en" } } },
      { catalog },
    );
    expect(c).toMatchObject({
      kind: "template",
      name: "summer_sale",
      category: "marketing",
      known: true,
      legacy: true,
    });
  });

  it("TPL-9 step 2: a top-level category on a template body is ignored with an issue", () => {
    const c = classifySend(
      { ...base, type: "template", category: "utility", template: { name: "summer_sale" } },
      { catalog },
    );
    expect(c).toMatchObject({ kind: "template", category: "marketing" });
    expect(codes(c)).toEqual(["category-ignored"]);
  });

  it("TPL-9 step 3: everything sent to /marketing_messages is a marketing template", () => {
    const c = classifySend(
      { ...base, type: "template", template: { name: "summer_sale" } },
      { catalog, endpoint: "marketing_messages" },
    );
    expect(c).toMatchObject({ kind: "template", category: "marketing", known: true });
    expect(codes(c)).toEqual([]);
    const mismatch = classifySend(
      { ...base, type: "template", template: { name: "order_update" } },
      { catalog, endpoint: "marketing_messages" },
    );
    expect(mismatch).toMatchObject({ kind: "template", category: "marketing" });
    expect(codes(mismatch)).toEqual(["category-mismatch"]);
    const text = classifySend(
      { ...base, type: "text", text: { body: "x" } },
      { endpoint: "marketing_messages" },
    );
    expect(text).toMatchObject({ kind: "template", category: "marketing", known: true });
    expect(codes(text)).toEqual(["not-a-template"]);
  });

  it("TPL-9 step 4 / DIRECT-1: a top-level utility or authentication category on a free-form body is Direct Send", () => {
    const c = classifySend({
      ...base,
      category: "utility",
      type: "text",
      text: { body: "Your order 42 has shipped." },
    });
    expect(c).toEqual({
      kind: "direct-send",
      category: "utility",
      type: "text",
      recipient: to,
      recipientField: "to",
      recipientType: "individual",
      issues: [],
    });
    expect(intentFromSend(c)).toEqual({ kind: "free-form", type: "text", directSend: "utility" });
    const auth = classifySend({
      ...base,
      category: "AUTHENTICATION",
      type: "interactive",
      interactive: { type: "button" },
    });
    expect(auth).toMatchObject({
      kind: "direct-send",
      category: "authentication",
      subtype: "button",
    });
  });

  it("DIRECT-4: unsupported Direct Send content is reported; a marketing category is not Direct Send", () => {
    const loc = classifySend({
      ...base,
      category: "utility",
      type: "location",
      location: { latitude: 1, longitude: 2 },
    });
    expect(loc.kind).toBe("direct-send");
    expect(codes(loc)).toEqual(["unsupported-direct-send-content"]);
    const marketing = classifySend({
      ...base,
      category: "marketing",
      type: "text",
      text: { body: "sale" },
    });
    expect(marketing).toMatchObject({ kind: "free-form", type: "text" });
    expect(codes(marketing)).toEqual(["unsupported-direct-send-category"]);
  });

  it("TPL-9 step 5: a missing type is text", () => {
    const c = classifySend({ ...base, text: { body: "hi" } });
    expect(c).toMatchObject({ kind: "free-form", type: "text" });
    expect(codes(c)).toEqual([]);
    expect(intentFromSend(c, "human")).toEqual({
      kind: "free-form",
      type: "text",
      sender: "human",
    });
  });

  it.each([
    "text",
    "image",
    "audio",
    "video",
    "document",
    "sticker",
    "location",
    "contacts",
    "reaction",
  ])("TPL-9 step 5: %s is free-form", (type) => {
    const c = classifySend({ ...base, type, [type]: {} });
    expect(c).toMatchObject({ kind: "free-form", type });
    expect(codes(c)).toEqual([]);
  });

  it.each(["button", "list", "cta_url", "flow", "call_permission_request", "request_contact_info"])(
    "TPL-10: interactive %s is free-form with its subtype kept",
    (subtype) => {
      const c = classifySend({ ...base, type: "interactive", interactive: { type: subtype } });
      expect(c).toMatchObject({ kind: "free-form", type: "interactive", subtype });
      expect(intentFromSend(c)).toEqual({ kind: "free-form", type: "interactive" });
    },
  );

  it("PRICE-4: a reaction keeps its type in the intent", () => {
    const c = classifySend({
      ...base,
      type: "reaction",
      reaction: { message_id: "wamid.A", emoji: "👍" },
    });
    expect(intentFromSend(c)).toEqual({ kind: "free-form", type: "reaction" });
  });

  it("odd free-form bodies are reported: unknown type, missing content, non-string type", () => {
    expect(codes(classifySend({ ...base, type: "poll", poll: {} }))).toEqual(["unknown-type"]);
    expect(codes(classifySend({ ...base, type: "image" }))).toEqual(["missing-content"]);
    const c = classifySend({ ...base, type: 5, text: { body: "x" } });
    expect(c).toMatchObject({ kind: "free-form", type: "text" });
    expect(codes(c)).toEqual(["invalid-type"]);
  });

  it("TPL-9 step 8 / ID-8: the recipient is to when present, else the BSUID recipient", () => {
    const bsuid = classifySend({
      messaging_product: "whatsapp",
      recipient: "BR.1502576394655843",
      type: "text",
      text: { body: "x" },
    });
    expect(bsuid).toMatchObject({ recipient: "BR.1502576394655843", recipientField: "recipient" });
    const both = classifySend({ ...base, recipient: "BR.1", text: { body: "x" } });
    expect(both).toMatchObject({ recipient: to, recipientField: "to" });
    const group = classifySend({
      ...base,
      recipient_type: "group",
      to: "120363025246125486",
      text: { body: "x" },
    });
    expect(group).toMatchObject({ recipientType: "group", recipient: "120363025246125486" });
    const none = classifySend({ messaging_product: "whatsapp", text: { body: "x" } });
    expect(codes(none)).toEqual(["missing-recipient"]);
    expect(none).not.toHaveProperty("recipient");
  });

  it.each([[null], [[]], ["{}"], [42], [undefined]])(
    "throws InvalidInputError invalid-body for %j",
    (body) => {
      try {
        classifySend(body);
        expect.unreachable();
      } catch (e) {
        expect(e).toBeInstanceOf(InvalidInputError);
        expect((e as InvalidInputError).code).toBe("invalid-body");
        expect((e as InvalidInputError).field).toBe("body");
      }
    },
  );
});

describe("DIRECT-5 / ID-8 / ERR-18: authentication content never goes to a BSUID", () => {
  const bsuid = { messaging_product: "whatsapp", recipient: "US.13491208655302741918" };

  it("DIRECT-5 / ERR-18 (131062): Direct Send authentication via recipient only is flagged bsuid-recipient-not-allowed", () => {
    const c = classifySend({ ...bsuid, category: "authentication", text: { body: "code 1234" } });
    expect(c).toMatchObject({ kind: "direct-send", category: "authentication" });
    expect(codes(c)).toEqual(["bsuid-recipient-not-allowed"]);
    expect(c.issues[0]!.field).toBe("recipient");
  });

  it("DIRECT-5 / ID-8: a catalogued authentication template via recipient only is flagged (upper-case category too)", () => {
    const body = {
      ...bsuid,
      type: "template",
      template: { name: "otp", language: { code: "en" } },
    };
    expect(codes(classifySend(body, { catalog }))).toEqual(["bsuid-recipient-not-allowed"]);
    expect(codes(classifySend(body, { catalog: { otp: "AUTHENTICATION" } as never }))).toEqual([
      "bsuid-recipient-not-allowed",
    ]);
  });

  it("ID-8: with to present (to wins), or for utility / marketing content, nothing is flagged", () => {
    const auth = { category: "authentication", text: { body: "code 1234" } };
    expect(codes(classifySend({ ...bsuid, to, ...auth }))).toEqual([]);
    expect(codes(classifySend({ ...bsuid, category: "utility", text: { body: "x" } }))).toEqual([]);
    const tpl = (name: string) => ({ ...bsuid, type: "template", template: { name } });
    expect(codes(classifySend(tpl("order_update"), { catalog }))).toEqual([]);
    expect(codes(classifySend(tpl("summer_sale"), { catalog }))).toEqual([]);
  });
});

describe("TPL-7: catalog categories in Meta's upper case", () => {
  it("TPL-7: a catalog saying UTILITY / Marketing is read as utility / marketing", () => {
    const body = { ...base, type: "template", template: { name: "t", language: { code: "en" } } };
    expect(classifySend(body, { catalog: { t: "UTILITY" } as never })).toMatchObject({
      kind: "template",
      category: "utility",
      known: true,
      issues: [],
    });
    expect(classifySend(body, { catalog: { t: "Marketing" } as never })).toMatchObject({
      category: "marketing",
      known: true,
    });
    // An unknown category is still no category.
    expect(classifySend(body, { catalog: { t: "SERVICE" } as never })).toMatchObject({
      category: "unknown",
      known: false,
    });
  });
});
