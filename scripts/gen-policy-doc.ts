/**
 * Generates docs/policy.md from the policy data in src/policy/ (ERAS, FEP_ESTIMATES,
 * POLICY_DATES, RULES). The committed file must equal this script's output:
 * test/docs/policy-doc.test.ts fails when they drift.
 *
 * Run: `npm run docs:policy` (writes the file) or `tsx scripts/gen-policy-doc.ts --check`
 * (exits 1 when the committed file is stale).
 */
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { ACCOUNT_DATES, BILLING_CURRENCY_RULES } from "../src/policy/account.js";
import { RULES } from "../src/policy/catalog.js";
import { ERAS, FEP_ESTIMATES, POLICY_DATES, type PricingEra } from "../src/policy/eras.js";
import type { RuleInfo } from "../src/policy/rules.js";
import { SOCIAL_ACTIONS } from "../src/policy/social.js";
import { US_AREA_CODES_BY_STATE, US_AREA_CODES_SOURCE } from "../src/policy/us-area-codes.js";

/** Where the generated page lives, relative to the repository root. */
export const POLICY_DOC_PATH = "docs/policy.md";

const GROUPS: readonly { prefix: string; title: string; blurb: string }[] = [
  {
    prefix: "CSW",
    title: "Customer service window (WhatsApp)",
    blurb: "What opens, restarts and closes the 24-hour window, and what may be sent inside it.",
  },
  {
    prefix: "FEP",
    title: "Free entry point",
    blurb: "Click-to-WhatsApp ad entries and the free period they start.",
  },
  { prefix: "PRICE", title: "Pricing", blurb: "Which era applies, and what is charged in it." },
  { prefix: "TPL", title: "Templates", blurb: "Template categories and how they are resolved." },
  { prefix: "CONSENT", title: "Consent", blurb: "Opt-in, opt-out, marketing stops and blocks." },
  {
    prefix: "ID",
    title: "Identity",
    blurb: "How businesses and customers are keyed: phone_number_id, wa_id, BSUID, aliases.",
  },
  {
    prefix: "ERR",
    title: "Error codes",
    blurb: "The error codes that change a thread's state, and how they are read.",
  },
  {
    prefix: "DIRECT",
    title: "Direct Send",
    blurb: "The third way to reach a user outside the window.",
  },
  {
    prefix: "OPEN",
    title: "Defaults for open questions",
    blurb:
      "Where Meta is silent or ambiguous, care-window picks a default. Each is a decision option or a documented assumption you can revisit.",
  },
  {
    prefix: "MSG",
    title: "Messenger",
    blurb: "The standard messaging window and message tags on Messenger.",
  },
  { prefix: "IG", title: "Instagram", blurb: "The Instagram messaging window." },
  {
    prefix: "LIMIT",
    title: "Messaging limits",
    blurb: "Messaging limits, throughput and quality (informational).",
  },
];

/** Where OPEN-* rules (care-window's own defaults) point: this page, on GitHub. */
const SELF = "https://github.com/care-window/care-window/blob/main/docs/policy.md#";

/** The decision options that change each default (headings of docs/options.md). */
const OPTIONS: Readonly<Record<string, readonly string[]>> = {
  "OPEN-1": ["fepEstimateMs"],
  "OPEN-2": ["safetyMarginMs", "openWhenClockBehind"],
  "OPEN-3": ["openWindowOn"],
  "OPEN-4": ["fepFromPostReferral", "fepRequirePlatform"],
  "OPEN-5": ["serviceTier"],
  "OPEN-6": ["timeZone"],
  "OPEN-7": ["directSendFreeInFep"],
  "OPEN-8": ["paymentMethodOnFile"],
  "OPEN-10": ["social.updateTags"],
  "OPEN-13": ["era"],
  "OPEN-17": ["requireOptIn"],
  "OPEN-18": ["usMarketingPause", "customer"],
  "OPEN-19": ["onboardedAt", "deregistered"],
  "OPEN-20": ["social.adWindow", "social.openOn"],
  "PRICE-25": ["account"],
  "ERR-30": ["account"],
  "ERR-33": ["account"],
};

const CONFIDENCE: Record<RuleInfo["confidence"], string> = {
  "Meta docs": "stated in Meta's developer documentation",
  secondary: "from a secondary source (a BSP's documentation, an SDK, a public report)",
  uncertain: "reported but not confirmed; treat as configurable",
  derived: "follows from other rules rather than being stated anywhere",
  default: "care-window's own default where the platform is silent (see the OPEN rules)",
};

const MODEL: Record<PricingEra["model"], string> = {
  hsm: "template notifications billed",
  conversation: "24-hour conversations",
  message: "per message",
};

const ZONE: Record<PricingEra["zone"], string> = {
  unknown: "not documented",
  waba: "the WABA's time zone",
  "messaging-account": "the Messaging account's time zone",
};

/** Escapes text for a Markdown table cell. */
function cell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
}

/** A source as a Markdown link. Every source must be a public URL a reader can open. */
function source(text: string): string {
  if (!/^https:\/\/\S+$/.test(text)) {
    throw new Error(`gen-policy-doc: source "${text}" is not a public https URL`);
  }
  const short = text.replace(/^https?:\/\//, "").replace(/\/$/, "");
  return `[${cell(short)}](${text})`;
}

function ruleNumber(id: string): number {
  return Number(id.slice(id.lastIndexOf("-") + 1));
}

function hours(ms: number): string {
  return `${ms / 3_600_000} h`;
}

/**
 * GitHub-style heading anchor; for a rule ID, the ID lower-cased (`OPEN-17` → `open-17`), which
 * is also the explicit `<a id>` each rule gets.
 *
 * @example
 * ```ts
 * anchor("OPEN-17"); //=> "open-17"
 * ```
 */
export function anchor(id: string): string {
  return id
    .toLowerCase()
    .replace(/[^a-z0-9 -]/g, "")
    .replace(/ /g, "-");
}

/**
 * Renders docs/policy.md from the policy data. Deterministic: no clock, no environment.
 *
 * @example
 * ```ts
 * renderPolicyDoc().startsWith("# Policy reference"); //=> true
 * ```
 */
export function renderPolicyDoc(): string {
  const out: string[] = [];
  const rules = Object.entries(RULES) as [string, RuleInfo][];
  const known = new Set(rules.map(([id]) => id));
  const ruleRef = (id: string): string => (known.has(id) ? `[${id}](#${anchor(id)})` : id);

  out.push(
    "# Policy reference",
    "",
    "<!-- GENERATED by scripts/gen-policy-doc.ts from src/policy/ (ERAS, FEP_ESTIMATES, POLICY_DATES, RULES). Do not edit by hand: run `npm run docs:policy`. test/docs/policy-doc.test.ts fails when this file and the data drift apart. -->",
    "",
    "This page lists the platform rules care-window encodes, as data: the pricing eras with",
    "their dates, the dated facts decisions use, and every rule that a decision (in its `rules`",
    "list), a code comment or a documentation page cites. It is generated from the same objects",
    "the library exports (`ERAS`, `FEP_ESTIMATES`, `POLICY_DATES`, `RULES`), so it cannot say",
    "something the code does not do.",
    "",
    "Every rule has a stable anchor: its ID in lower case, e.g. [`#csw-2`](#csw-2) or",
    "[`#open-17`](#open-17). The OPEN rules are care-window's own defaults where Meta is silent",
    "or ambiguous; their source is their entry on this page, and [options.md](./options.md)",
    "explains each option that changes them.",
    "",
    "## Contents",
    "",
    "- [Pricing eras](#pricing-eras)",
    "- [Estimated free entry point lengths](#estimated-free-entry-point-lengths)",
    "- [Other dated facts](#other-dated-facts)",
    "- [US area codes](#us-area-codes)",
    "- [Messenger and Instagram window openers](#messenger-and-instagram-window-openers)",
    "- [Billing-currency requirements](#billing-currency-requirements)",
    "- [Rules](#rules)",
    ...GROUPS.filter((g) => rules.some(([id]) => id.startsWith(`${g.prefix}-`))).map(
      (g) => `  - [${g.title}](#${anchor(g.title)})`,
    ),
    "- [Confidence levels](#confidence-levels)",
    "",
  );

  // Eras.
  out.push(
    "## Pricing eras",
    "",
    "The era is the one in force at the moment of delivery (PRICE-2). A boundary day starts at",
    "00:00 in the zone the era names; where that zone is not documented, care-window uses the",
    "`timeZone` option (UTC if not given, OPEN-6).",
    "",
    "| Era | In force | Model | Boundary zone | Free service tier | Utility template in window | Free entry point |",
    "| --- | --- | --- | --- | --- | --- | --- |",
  );
  for (const era of ERAS) {
    const span = era.until === null ? `from ${era.from}` : `${era.from} → ${era.until}`;
    const tier =
      era.serviceTier === null ? "none" : `${era.serviceTier.toLocaleString("en-US")} / month`;
    out.push(
      `| [\`${era.id}\`](#${anchor(era.id)}) | ${span} | ${MODEL[era.model]} | ${ZONE[era.zone]} | ${tier} | ${era.utilityInWindow} | ${era.freeEntryPoint ? "yes" : "no"} |`,
    );
  }
  out.push("");
  for (const era of ERAS) {
    out.push(
      `### ${era.id}`,
      "",
      `${era.title}.`,
      "",
      `- In force: ${era.from} (inclusive) ${era.until === null ? "until further notice" : `to ${era.until} (exclusive)`}`,
      `- Pricing model: ${era.model} (${MODEL[era.model]})`,
      `- Boundary time zone: ${ZONE[era.zone]}`,
      `- Free service messages per number per month: ${era.serviceTier === null ? "no tier" : era.serviceTier.toLocaleString("en-US")}`,
      `- Utility template inside an open window: ${era.utilityInWindow}`,
      `- Deliveries inside a free entry point are free: ${era.freeEntryPoint ? "yes" : "no"}`,
      `- Rules: ${era.rules.map(ruleRef).join(", ")}`,
      "- Sources:",
      ...era.sources.map((s) => `  - ${source(s)}`),
      "",
    );
  }

  // FEP estimates.
  out.push(
    "## Estimated free entry point lengths",
    "",
    "Used only when the platform has not said how long a free entry point lasts (FEP-3, OPEN-1):",
    "the estimate in force on the day the entry point started applies.",
    "",
    "| From | Estimated length |",
    "| --- | --- |",
    ...FEP_ESTIMATES.map(
      (e) => `| ${e.from} | ${hours(e.ms)} (${e.ms.toLocaleString("en-US")} ms) |`,
    ),
    "",
  );

  // Other dates.
  const dateNotes: Record<keyof typeof POLICY_DATES, string> = {
    usMarketingPause:
      "Marketing templates to US numbers (+1 and a US area code, listed below) are not delivered from this day on; no end date is known (CONSENT-8, OPEN-18).",
    governmentExemptUntil:
      "Last day (inclusive) of the government and non-profit exemption (PRICE-8).",
  };
  out.push("## Other dated facts", "", "| Fact | Date | Meaning |", "| --- | --- | --- |");
  for (const [key, value] of Object.entries(POLICY_DATES) as [
    keyof typeof POLICY_DATES,
    string,
  ][]) {
    out.push(`| \`POLICY_DATES.${key}\` | ${value} | ${cell(dateNotes[key])} |`);
  }
  const accountNotes: Record<keyof typeof ACCOUNT_DATES, string> = {
    paidExemptFrom:
      "Statuses report `pricing.subtype: paid_exempt`; such deliveries count toward the month's service messages (PRICE-24).",
    accountLimitedCodeFrom:
      "Error 131064 (template classification violations) exists from this day: business-initiated sends stop (ERR-30).",
    pageRestrictedCodeFrom:
      "Messenger error 10 / 1893063 (page temporarily restricted) reported from this day (ERR-33).",
  };
  for (const [key, value] of Object.entries(ACCOUNT_DATES) as [
    keyof typeof ACCOUNT_DATES,
    string,
  ][]) {
    out.push(`| \`ACCOUNT_DATES.${key}\` | ${value} | ${cell(accountNotes[key])} |`);
  }
  out.push("");

  // US area codes (CONSENT-8, OPEN-18).
  const codeRef = (ref: { repo: string; path: string; commit: string }) =>
    `\`${ref.repo}\` \`${ref.path}\` at commit \`${ref.commit.slice(0, 12)}\``;
  const states = Object.entries(US_AREA_CODES_BY_STATE);
  const count = states.reduce((n, [, codes]) => n + codes.split(" ").length, 0);
  out.push(
    "## US area codes",
    "",
    "The US marketing pause ([CONSENT-8](#consent-8)) covers numbers with a +1 dialing code and a",
    "US area code ([OPEN-18](#open-18)): the geographic area codes assigned to the 50 states and",
    "the District of Columbia. Canada, the Caribbean, the US territories (Puerto Rico, the US",
    "Virgin Islands, Guam, the Northern Mariana Islands, American Samoa) and non-geographic codes",
    "(toll-free and others) are not covered. A host that knows better passes a resolver",
    "(`usMarketingPause: (customer) => boolean`).",
    "",
    `- List as of: ${US_AREA_CODES_SOURCE.asOf} (${count} area codes)`,
    `- Source: ${source(US_AREA_CODES_SOURCE.source)} (NANPA's NPA report, file date ${US_AREA_CODES_SOURCE.sourceFileDate})`,
    `- Read from: ${codeRef(US_AREA_CODES_SOURCE.readFrom)}; cross-checked with libphonenumber's US metadata in ${codeRef(US_AREA_CODES_SOURCE.crossCheck)}`,
    `- Assigned but not yet in service on the report's date, listed anyway ([OPEN-18](#open-18), the conservative side): ${US_AREA_CODES_SOURCE.planned.join(", ")}`,
    "",
    "| State | Area codes |",
    "| --- | --- |",
    ...states.map(([state, codes]) => `| ${state} | ${codes.split(" ").join(", ")} |`),
    "",
  );

  // Messenger / Instagram window openers (OPEN-20).
  const OPENS = {
    always: "always",
    default: "by default (switch off with `social.openOn`)",
    option: "only when switched on (`social.openOn`)",
  } as const;
  out.push(
    "## Messenger and Instagram window openers",
    "",
    "Which user actions open (or restart) the 24-hour standard window ([OPEN-20](#open-20)).",
    "",
    "| Action | Opens the window | Rules | Default changed |",
    "| --- | --- | --- | --- |",
    ...Object.entries(SOCIAL_ACTIONS).map(
      ([action, info]) =>
        `| \`${action}\` | ${OPENS[info.opens]} | ${info.rules.map(ruleRef).join(", ")} | ${info.changed ?? "—"} |`,
    ),
    "",
  );

  // Billing currency (PRICE-25).
  out.push(
    "## Billing-currency requirements",
    "",
    "From the date given (00:00 in the account's time zone), an account based in the country",
    "that is not billed in the currency delivers nothing: every send is `blocked` with reason",
    "`account-billing`. Nothing changes unless the host states both `account.country` and",
    "`account.billingCurrency`.",
    "",
    "| Country | Currency | From | Rules | Source |",
    "| --- | --- | --- | --- | --- |",
    ...BILLING_CURRENCY_RULES.map(
      (r) =>
        `| ${r.country} | ${r.currency} | ${r.from} | ${r.rules.map(ruleRef).join(", ")} | ${source(r.source)} |`,
    ),
    "",
  );

  // Rules.
  out.push(
    "## Rules",
    "",
    "Rule IDs are stable: decisions cite them (`decision.rules`), and so do the code comments,",
    "the test names and these docs. A rule that stops being true is retired, never renumbered,",
    "so the numbering has gaps. Each rule has one source and a confidence level",
    "([legend](#confidence-levels)).",
    "",
  );
  const grouped = new Set<string>();
  for (const group of GROUPS) {
    const members = rules
      .filter(([id]) => id.startsWith(`${group.prefix}-`))
      .sort(([a], [b]) => ruleNumber(a) - ruleNumber(b));
    if (members.length === 0) continue;
    out.push(`### ${group.title}`, "", group.blurb, "");
    for (const [id, info] of members) {
      grouped.add(id);
      const self = info.source === `${SELF}${anchor(id)}`;
      const options = OPTIONS[id] ?? [];
      out.push(
        `#### <a id="${anchor(id)}"></a>${id} · ${info.title}`,
        "",
        `- Confidence: ${info.confidence}`,
        self
          ? `- Source: none on the platform's side; this entry is care-window's default (${source(info.source)})`
          : `- Source: ${source(info.source)}`,
        ...(options.length === 0
          ? []
          : [
              `- Option${options.length > 1 ? "s" : ""}: ${options
                .map((o) => `[\`${o}\`](./options.md#${anchor(o)})`)
                .join(", ")}`,
            ]),
        "",
      );
    }
  }
  const stray = rules.filter(([id]) => !grouped.has(id)).map(([id]) => id);
  if (stray.length > 0) {
    throw new Error(
      `gen-policy-doc: no group for rule(s) ${stray.join(", ")}; add a prefix to GROUPS`,
    );
  }

  // Confidence legend with counts.
  out.push("## Confidence levels", "", "| Level | Meaning | Rules |", "| --- | --- | --- |");
  for (const [level, meaning] of Object.entries(CONFIDENCE) as [RuleInfo["confidence"], string][]) {
    const count = rules.filter(([, info]) => info.confidence === level).length;
    out.push(`| ${level} | ${cell(meaning)} | ${count} |`);
  }
  out.push("");
  return out.join("\n");
}

const here = dirname(fileURLToPath(import.meta.url));
const target = resolve(here, "..", POLICY_DOC_PATH);

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const text = renderPolicyDoc();
  if (process.argv.includes("--check")) {
    let current = "";
    try {
      current = readFileSync(target, "utf8");
    } catch {
      // missing file: stale
    }
    if (current !== text) {
      console.error(`${POLICY_DOC_PATH} is stale: run \`npm run docs:policy\``);
      process.exit(1);
    }
    console.log(`${POLICY_DOC_PATH} is up to date`);
  } else {
    writeFileSync(target, text);
    console.log(
      `wrote ${POLICY_DOC_PATH} (${Object.keys(RULES).length} rules, ${ERAS.length} eras)`,
    );
  }
}
