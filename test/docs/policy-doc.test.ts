/**
 * docs/policy.md is generated from src/policy/ by scripts/gen-policy-doc.ts: the committed page
 * must equal the generator's output, so the reference cannot drift from the data. Every rule has
 * a stable anchor there, and every rule ID the README or a docs page cites must be in RULES.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { anchor, POLICY_DOC_PATH, renderPolicyDoc } from "../../scripts/gen-policy-doc.js";
import { RULES } from "../../src/policy/catalog.js";
import { ERAS, FEP_ESTIMATES, POLICY_DATES } from "../../src/policy/eras.js";
import { ROOT } from "../runtime/helpers.js";

const committed = (): string => readFileSync(join(ROOT, POLICY_DOC_PATH), "utf8");

/** The rule-ID shape of the rulebook's groups. */
const RULE_ID = /\b(CSW|FEP|PRICE|TPL|CONSENT|ID|ERR|DIRECT|MSG|IG|LIMIT|OPEN)-\d+\b/g;

/** README.md and every Markdown page under docs/ except the generated API reference. */
function citingPages(): string[] {
  const out = [join(ROOT, "README.md")];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (relative(ROOT, path) !== join("docs", "api")) walk(path);
      } else if (entry.name.endsWith(".md")) out.push(path);
    }
  };
  walk(join(ROOT, "docs"));
  return out;
}

/** GitHub's heading slug: HTML and punctuation dropped, lower case, spaces to hyphens. */
function slug(heading: string): string {
  return heading
    .replace(/<[^>]*>/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9 _-]/g, "")
    .replace(/ /g, "-");
}

describe("docs/policy.md (generated)", () => {
  it("equals the generator's output (run `npm run docs:policy` after changing src/policy/)", () => {
    expect(committed()).toBe(renderPolicyDoc());
  });

  it("has a heading with a stable anchor, the title, confidence and source for every rule", () => {
    const page = committed();
    for (const [id, info] of Object.entries(RULES)) {
      const heading = `#### <a id="${id.toLowerCase()}"></a>${id} · ${info.title}\n`;
      const at = page.indexOf(heading);
      expect(at, `${id}: no heading with anchor #${id.toLowerCase()}`).toBeGreaterThan(-1);
      // Exactly one element carries the anchor (no duplicate ids on the page).
      expect(page.split(`id="${id.toLowerCase()}"`).length - 1, id).toBe(1);
      const next = page.indexOf("\n#", at + heading.length);
      const body = page.slice(at, next < 0 ? undefined : next);
      expect(body, id).toContain(`Confidence: ${info.confidence}`);
      expect(body, id).toContain(`](${info.source})`);
    }
  });

  it("cites only public URLs; OPEN rules point at their own anchor on this page", () => {
    for (const [id, info] of Object.entries(RULES)) {
      expect(info.source, id).toMatch(/^https:\/\/\S+$/);
      expect(info.source, id).not.toMatch(/rules\.md|payloads\.md/);
      if (id.startsWith("OPEN-")) {
        expect(info.source, id).toBe(
          `https://github.com/care-window/care-window/blob/main/docs/policy.md#${anchor(id)}`,
        );
      }
    }
    // A rule whose source is not a URL cannot be rendered (the generator refuses it).
    expect(anchor("OPEN-17")).toBe("open-17");
  });

  it("every rule ID cited in README.md and docs/**/*.md has an entry in RULES", () => {
    const missing: string[] = [];
    for (const file of citingPages()) {
      const text = readFileSync(file, "utf8");
      for (const m of text.matchAll(RULE_ID)) {
        if (!(m[0] in RULES)) missing.push(`${relative(ROOT, file)}: ${m[0]}`);
      }
    }
    expect(missing).toEqual([]);
    // The scan itself works: it sees the IDs this very page family is built on.
    const readme = readFileSync(join(ROOT, "README.md"), "utf8");
    expect([...readme.matchAll(RULE_ID)].length).toBeGreaterThan(0);
  });

  it("every link to a policy.md anchor in the docs lands on an anchor of the page", () => {
    const page = committed();
    const anchors = new Set([
      ...[...page.matchAll(/<a id="([^"]+)"><\/a>/g)].map((m) => m[1]),
      ...[...page.matchAll(/^#+ (.+)$/gm)].map((m) => slug(m[1] as string)),
    ]);
    const broken: string[] = [];
    for (const file of citingPages()) {
      const text = readFileSync(file, "utf8");
      for (const m of text.matchAll(/policy\.md#([a-z0-9-]+)/g)) {
        if (!anchors.has(m[1])) broken.push(`${relative(ROOT, file)}: #${m[1]}`);
      }
    }
    expect(broken).toEqual([]);
  });

  it("every options.md link of the OPEN rules lands on a heading of docs/options.md", () => {
    const options = readFileSync(join(ROOT, "docs", "options.md"), "utf8");
    const headings = new Set([...options.matchAll(/^#+ (.+)$/gm)].map((m) => slug(m[1] as string)));
    const links = [...committed().matchAll(/\(\.\/options\.md#([a-z0-9-]+)\)/g)].map((m) => m[1]);
    expect(links.length).toBeGreaterThan(10);
    for (const link of links) expect(headings, link).toContain(link);
  });

  it("PRICE-1, PRICE-2: lists every era with its dates, zone and tier, in order", () => {
    const page = renderPolicyDoc();
    let last = -1;
    for (const era of ERAS) {
      const at = page.indexOf(`### ${era.id}\n`);
      expect(at, era.id).toBeGreaterThan(last);
      last = at;
      const section = page.slice(at, page.indexOf("\n### ", at + 1) >>> 0);
      expect(section).toContain(era.from);
      if (era.until !== null) expect(section).toContain(era.until);
      for (const source of era.sources) expect(section).toContain(source);
    }
    expect(page).toContain("1,000 / month");
    for (const e of FEP_ESTIMATES) expect(page).toContain(`| ${e.from} | ${e.ms / 3_600_000} h`);
    for (const date of Object.values(POLICY_DATES)) expect(page).toContain(date);
  });

  it("is deterministic", () => {
    expect(renderPolicyDoc()).toBe(renderPolicyDoc());
  });
});
