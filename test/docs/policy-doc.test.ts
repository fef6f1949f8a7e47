/**
 * docs/policy.md is generated from src/policy/ by scripts/gen-policy-doc.ts: the committed page
 * must equal the generator's output, so the reference cannot drift from the data.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { POLICY_DOC_PATH, renderPolicyDoc } from "../../scripts/gen-policy-doc.js";
import { ERAS, FEP_ESTIMATES, POLICY_DATES } from "../../src/policy/eras.js";
import { RULES } from "../../src/policy/rules.js";
import { ROOT } from "../runtime/helpers.js";

const committed = (): string => readFileSync(join(ROOT, POLICY_DOC_PATH), "utf8");

describe("docs/policy.md (generated)", () => {
  it("equals the generator's output (run `npm run docs:policy` after changing src/policy/)", () => {
    expect(committed()).toBe(renderPolicyDoc());
  });

  it("has a heading, title, confidence and source for every rule", () => {
    const page = renderPolicyDoc();
    for (const [id, info] of Object.entries(RULES)) {
      const section = page.slice(page.indexOf(`#### ${id}\n`));
      expect(section, id).toMatch(new RegExp(`^#### ${id}\\n`));
      const body = section.slice(0, section.indexOf("\n####", 5) >>> 0);
      expect(body).toContain(info.title);
      expect(body).toContain(`Confidence: ${info.confidence}`);
      expect(body).toContain(info.source);
    }
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
