/**
 * `classifySend`: what a send-message request body (`POST /{phone-number-id}/messages` or
 * `/marketing_messages`) is, per TPL-9 (Meta's webhook reference), and the core {@link Intent} it
 * stands for.
 *
 * @module
 */
import { InvalidInputError } from "../domain/errors.js";
import type {
  FreeFormIntent,
  Intent,
  KnownOr,
  Sender,
  TemplateCatalog,
  TemplateCategory,
  TemplateIntent,
} from "../domain/types.js";

/**
 * Stable codes of {@link SendIssue}.
 *
 * `bsuid-recipient-not-allowed`: authentication content (a Direct Send `authentication` body, or
 * a template the catalog says is `authentication`) addressed through `recipient` (a BSUID) with
 * no `to`. Meta refuses it with 131062 (DIRECT-5, ID-8, ERR-18): resend to the phone number.
 *
 * @example
 * ```ts
 * const code: SendIssueCode = "unknown-template";
 * ```
 */
export type SendIssueCode = KnownOr<
  | "missing-recipient"
  | "missing-template-name"
  | "missing-content"
  | "unknown-template"
  | "unknown-type"
  | "invalid-type"
  | "status-with-message"
  | "category-ignored"
  | "category-mismatch"
  | "not-a-template"
  | "unsupported-direct-send-category"
  | "unsupported-direct-send-content"
  | "bsuid-recipient-not-allowed"
>;

/**
 * An oddity of a send body: classification still happened, conservatively.
 *
 * @example
 * ```ts
 * const issue: SendIssue = { field: "template.name", code: "missing-template-name", message: "…" };
 * ```
 */
export interface SendIssue {
  readonly field: string;
  readonly code: SendIssueCode;
  readonly message: string;
}

/** Fields every classification carries. */
interface ClassificationBase {
  /** The recipient: `to` when present, otherwise `recipient` (a BSUID, ID-8). */
  readonly recipient?: string;
  /** Which field named the recipient. */
  readonly recipientField?: "to" | "recipient";
  /** `recipient_type` as sent; `"individual"` when absent. */
  readonly recipientType: string;
  readonly issues: readonly SendIssue[];
}

/**
 * TPL-9 step 1: a read receipt / typing indicator. No window effect, no price.
 *
 * @example
 * ```ts
 * const c: NotAMessageClassification = { kind: "not-a-message", status: "read", typingIndicator: true, recipientType: "individual", issues: [] };
 * ```
 */
export interface NotAMessageClassification extends ClassificationBase {
  readonly kind: "not-a-message";
  readonly status: string;
  readonly messageId?: string;
  readonly typingIndicator: boolean;
}

/**
 * TPL-9 steps 2 and 3: a template (or anything sent to `/marketing_messages`). `category` is
 * the catalog's latest one (TPL-7); `known: false` and `"unknown"` when no catalog knows it.
 *
 * @example
 * ```ts
 * const c: TemplateClassification = { kind: "template", name: "order_update", category: "utility", known: true, recipientType: "individual", issues: [] };
 * ```
 */
export interface TemplateClassification extends ClassificationBase {
  readonly kind: "template";
  readonly name?: string;
  readonly language?: string;
  readonly category: TemplateCategory | "unknown";
  readonly known: boolean;
  /** `true` for the legacy `hsm` form. */
  readonly legacy?: boolean;
}

/**
 * TPL-9 step 4: a free-form body with a top-level `category` (DIRECT-1).
 *
 * @example
 * ```ts
 * const c: DirectSendClassification = { kind: "direct-send", category: "utility", type: "text", recipientType: "individual", issues: [] };
 * ```
 */
export interface DirectSendClassification extends ClassificationBase {
  readonly kind: "direct-send";
  readonly category: "utility" | "authentication";
  readonly type: string;
  readonly subtype?: string;
}

/**
 * TPL-9 step 5: a free-form message; needs an open window (CSW-10, CSW-11).
 *
 * @example
 * ```ts
 * const c: FreeFormClassification = { kind: "free-form", type: "interactive", subtype: "flow", recipientType: "individual", issues: [] };
 * ```
 */
export interface FreeFormClassification extends ClassificationBase {
  readonly kind: "free-form";
  /** The message type; `text` when `type` is missing. */
  readonly type: string;
  /** `interactive.type` (`button`, `list`, `flow`, `cta_url`, …, TPL-10). */
  readonly subtype?: string;
}

/**
 * What {@link classifySend} found.
 *
 * @example
 * ```ts
 * const c: SendClassification = classifySend({ to: "5511987654321", type: "reaction", reaction: { message_id: "wamid.A", emoji: "👍" } });
 * ```
 */
export type SendClassification =
  | NotAMessageClassification
  | TemplateClassification
  | DirectSendClassification
  | FreeFormClassification;

/**
 * Options of {@link classifySend}.
 *
 * @example
 * ```ts
 * const options: ClassifySendOptions = { catalog: { order_update: "utility" }, endpoint: "messages" };
 * ```
 */
export interface ClassifySendOptions {
  /** Template name → latest category (TPL-7). */
  readonly catalog?: TemplateCatalog;
  /** The endpoint the body goes to. Default `messages`. */
  readonly endpoint?: "messages" | "marketing_messages";
}

/** Issue 10: a bad option is a typed error naming it (`null` is refused, never "absent"). */
function sendOptions(options: unknown): ClassifySendOptions {
  if (options === undefined) return {};
  const bad = (field: string, message: string): never => {
    throw new InvalidInputError("invalid-argument", `${field} ${message}`, field);
  };
  if (!isRecord(options)) return bad("options", "must be an object");
  const { catalog, endpoint } = options;
  if (catalog !== undefined && !isRecord(catalog)) {
    bad("options.catalog", "must be an object { [templateName]: category }");
  }
  if (endpoint !== undefined && endpoint !== "messages" && endpoint !== "marketing_messages") {
    bad("options.endpoint", 'must be "messages" or "marketing_messages"');
  }
  return options as ClassifySendOptions;
}

/** Free-form types the Cloud API documents (Meta's webhook reference). */
const FREE_FORM_TYPES: ReadonlySet<string> = new Set([
  "text",
  "image",
  "audio",
  "video",
  "document",
  "sticker",
  "location",
  "contacts",
  "interactive",
  "reaction",
]);

/** Keys that make a body a message (its content objects), for TPL-9 step 1. */
const MESSAGE_KEYS = [...FREE_FORM_TYPES, "template", "hsm", "type"] as const;

/** Content Direct Send does not support (DIRECT-4). */
const DIRECT_UNSUPPORTED: ReadonlySet<string> = new Set([
  "location",
  "contacts",
  "reaction",
  "sticker",
  "audio",
]);

const CATEGORIES: ReadonlySet<string> = new Set(["marketing", "utility", "authentication"]);

type Rec = Readonly<Record<string, unknown>>;

const isRecord = (value: unknown): value is Rec =>
  typeof value === "object" && value !== null && !Array.isArray(value);

const own = (record: Rec, key: string): unknown =>
  Object.hasOwn(record, key) ? record[key] : undefined;

const text = (value: unknown): string | undefined =>
  typeof value === "string" && value !== "" ? value : undefined;

/**
 * Latest category of a template from a host catalog (own keys only: `constructor` is no name).
 * Meta's upper-case spelling (`"UTILITY"`, as in template webhooks and the management API) is
 * accepted.
 */
function lookup(
  catalog: TemplateCatalog | undefined,
  name: string | undefined,
): TemplateCategory | undefined {
  if (catalog === undefined || name === undefined || !Object.hasOwn(catalog, name))
    return undefined;
  const category: unknown = catalog[name];
  if (typeof category !== "string") return undefined;
  const lower = category.toLowerCase();
  return CATEGORIES.has(lower) ? (lower as TemplateCategory) : undefined;
}

/** DIRECT-5 / ID-8 / ERR-18: authentication content cannot go to a BSUID (131062). */
const BSUID_AUTH_MESSAGE =
  "authentication content cannot be sent to a BSUID (131062, DIRECT-5, ID-8): address the phone number with to";

/**
 * Classifies a send-message request body by the first TPL-9 step that matches
 * (Meta's webhook reference):
 *
 * 1. `status` (read receipt, typing indicator) and no message object → `not-a-message`;
 * 2. `type` `template` (or legacy `hsm`) → `template`, category from the catalog (TPL-7), else
 *    `"unknown"` with `known: false`;
 * 3. anything sent to `/marketing_messages` → a marketing `template`;
 * 4. a top-level `category` `utility` / `authentication` on a free-form body → `direct-send`
 *    (DIRECT-1);
 * 5. everything else → `free-form` with its type (missing `type` = `text`; reactions and every
 *    interactive subtype included, TPL-10).
 *
 * The recipient is `to` when present, otherwise `recipient` (ID-8). Oddities are reported in
 * `issues`; the classification stays conservative. Authentication content (Direct Send or a
 * catalogued authentication template) addressed only through `recipient` gets the
 * `bsuid-recipient-not-allowed` issue: Meta refuses it with 131062 (DIRECT-5, ERR-18).
 * Catalog categories are matched case-insensitively (`"UTILITY"` = `"utility"`).
 *
 * @throws {InvalidInputError} `invalid-body` when `body` is not a JSON object.
 * @example
 * ```ts
 * classifySend(
 *   { messaging_product: "whatsapp", to: "5511987654321", type: "template", template: { name: "order_update", language: { code: "pt_BR" } } },
 *   { catalog: { order_update: "utility" } },
 * ); //=> { kind: "template", name: "order_update", language: "pt_BR", category: "utility", known: true, … }
 * ```
 */
export function classifySend(body: unknown, given?: ClassifySendOptions): SendClassification {
  const options = sendOptions(given);
  if (!isRecord(body)) {
    throw new InvalidInputError(
      "invalid-body",
      `send body must be a JSON object, got ${body === null ? "null" : Array.isArray(body) ? "an array" : typeof body}`,
      "body",
    );
  }
  const issues: SendIssue[] = [];
  const issue = (field: string, code: SendIssueCode, message: string) =>
    issues.push({ field, code, message });

  // TPL-9 step 8 / ID-8: `to` wins over `recipient`.
  const base: { -readonly [K in keyof ClassificationBase]: ClassificationBase[K] } = {
    recipientType: text(own(body, "recipient_type")) ?? "individual",
    issues,
  };
  const to = text(own(body, "to"));
  const recipient = text(own(body, "recipient"));
  if (to !== undefined) {
    base.recipient = to;
    base.recipientField = "to";
  } else if (recipient !== undefined) {
    base.recipient = recipient;
    base.recipientField = "recipient";
  } else if (own(body, "status") === undefined) {
    issue("to", "missing-recipient", "neither to nor recipient names the recipient");
  }

  const rawType = own(body, "type");
  const hasMessage = MESSAGE_KEYS.some((key) => own(body, key) !== undefined);

  // Step 1: read receipt / typing indicator.
  const status = own(body, "status");
  if (typeof status === "string" && !hasMessage) {
    const out: { -readonly [K in keyof NotAMessageClassification]: NotAMessageClassification[K] } =
      {
        ...base,
        kind: "not-a-message",
        status,
        typingIndicator: own(body, "typing_indicator") !== undefined,
      };
    const messageId = text(own(body, "message_id"));
    if (messageId !== undefined) out.messageId = messageId;
    return out;
  }
  if (status !== undefined) {
    issue(
      "status",
      "status-with-message",
      "body has both status and a message: classified as a message",
    );
  }

  let type: string;
  if (rawType === undefined) {
    type = "text"; // the Cloud API default (TPL-9 step 5)
  } else if (typeof rawType === "string" && rawType !== "") {
    type = rawType;
  } else {
    issue("type", "invalid-type", "type must be a non-empty string: treated as text");
    type = "text";
  }
  const category = own(body, "category");
  const marketingEndpoint = options.endpoint === "marketing_messages";

  // Steps 2 and 3: templates, and everything on /marketing_messages.
  if (type === "template" || type === "hsm" || marketingEndpoint) {
    const legacy = type === "hsm";
    const template = own(body, legacy ? "hsm" : "template");
    const t = isRecord(template) ? template : undefined;
    const name = text(t === undefined ? undefined : (own(t, "name") ?? own(t, "element_name")));
    const lang = t === undefined ? undefined : own(t, "language");
    const language = isRecord(lang) ? text(own(lang, "code")) : text(lang);
    if (type !== "template" && type !== "hsm") {
      issue(
        "type",
        "not-a-template",
        "/marketing_messages sends templates only: classified as marketing",
      );
    } else if (name === undefined) {
      issue(`${legacy ? "hsm" : "template"}.name`, "missing-template-name", "template has no name");
    }
    if (category !== undefined) {
      issue("category", "category-ignored", "a top-level category on a template body is ignored");
    }
    const fromCatalog = lookup(options.catalog, name);
    let resolved: TemplateCategory | "unknown";
    let known: boolean;
    if (marketingEndpoint) {
      // TPL-9 step 3: the endpoint decides (PRICE-14, TPL-11).
      resolved = "marketing";
      known = true;
      if (fromCatalog !== undefined && fromCatalog !== "marketing") {
        issue(
          "template.name",
          "category-mismatch",
          `catalog says ${fromCatalog}, /marketing_messages sends marketing`,
        );
      }
    } else if (fromCatalog !== undefined) {
      resolved = fromCatalog;
      known = true;
    } else {
      resolved = "unknown";
      known = false;
      if (name !== undefined) {
        issue(
          "template.name",
          "unknown-template",
          `template ${JSON.stringify(name)} is in no catalog: priced conservatively`,
        );
      }
    }
    const out: { -readonly [K in keyof TemplateClassification]: TemplateClassification[K] } = {
      ...base,
      kind: "template",
      category: resolved,
      known,
    };
    if (resolved === "authentication" && base.recipientField === "recipient") {
      issue("recipient", "bsuid-recipient-not-allowed", BSUID_AUTH_MESSAGE);
    }
    if (name !== undefined) out.name = name;
    if (language !== undefined) out.language = language;
    if (legacy) out.legacy = true;
    return out;
  }

  if (!FREE_FORM_TYPES.has(type)) {
    issue(
      "type",
      "unknown-type",
      `unknown message type ${JSON.stringify(type)}: treated as free-form`,
    );
  } else if (own(body, type) === undefined) {
    issue(type, "missing-content", `type ${type} without a ${type} object`);
  }
  let subtype: string | undefined;
  if (type === "interactive") {
    const interactive = own(body, "interactive");
    subtype = isRecord(interactive) ? text(own(interactive, "type")) : undefined;
  }

  // Step 4: Direct Send.
  if (category !== undefined) {
    const c = typeof category === "string" ? category.toLowerCase() : undefined;
    if (c === "utility" || c === "authentication") {
      if (DIRECT_UNSUPPORTED.has(type)) {
        issue(
          "type",
          "unsupported-direct-send-content",
          `Direct Send does not support ${type} (DIRECT-4)`,
        );
      }
      if (c === "authentication" && base.recipientField === "recipient") {
        issue("recipient", "bsuid-recipient-not-allowed", BSUID_AUTH_MESSAGE);
      }
      const out: { -readonly [K in keyof DirectSendClassification]: DirectSendClassification[K] } =
        {
          ...base,
          kind: "direct-send",
          category: c,
          type,
        };
      if (subtype !== undefined) out.subtype = subtype;
      return out;
    }
    issue(
      "category",
      "unsupported-direct-send-category",
      `Direct Send supports utility and authentication, not ${JSON.stringify(category)}: treated as free-form`,
    );
  }

  // Step 5: free-form.
  const out: { -readonly [K in keyof FreeFormClassification]: FreeFormClassification[K] } = {
    ...base,
    kind: "free-form",
    type,
  };
  if (subtype !== undefined) out.subtype = subtype;
  return out;
}

/**
 * The core {@link Intent} a classified send stands for, to pass to `decide` (`null` for a read
 * receipt or typing indicator, which needs no decision).
 *
 * - free-form → `{ kind: "free-form", type }`;
 * - Direct Send → `{ kind: "free-form", type, directSend: category }` (DIRECT-1, DIRECT-3);
 * - template → `{ kind: "template", category, name }` (`"unknown"` when no catalog knows it).
 *
 * @example
 * ```ts
 * const intent = intentFromSend(classifySend(body, { catalog }), "automation");
 * if (intent !== null) care.decide(thread, intent);
 * ```
 */
export function intentFromSend(c: SendClassification, sender?: Sender): Intent | null {
  switch (c.kind) {
    case "not-a-message":
      return null;
    case "template": {
      const intent: { -readonly [K in keyof TemplateIntent]: TemplateIntent[K] } = {
        kind: "template",
        category: c.category,
      };
      if (c.name !== undefined) intent.name = c.name;
      if (sender !== undefined) intent.sender = sender;
      return intent;
    }
    case "direct-send":
    case "free-form": {
      const intent: { -readonly [K in keyof FreeFormIntent]: FreeFormIntent[K] } = {
        kind: "free-form",
        type: c.type,
      };
      if (c.kind === "direct-send") intent.directSend = c.category;
      if (sender !== undefined) intent.sender = sender;
      return intent;
    }
    default: {
      const never: never = c;
      return never;
    }
  }
}
