/**
 * The README's first screen (issue 11): what care-window does and a short example, before any of
 * Meta's jargon; the jargon comes below, each term linked to its entry in docs/concepts.md; the
 * README's two commands stay visible.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "..", "..");
const readme = readFileSync(join(ROOT, "README.md"), "utf8");
const concepts = readFileSync(join(ROOT, "docs", "concepts.md"), "utf8");
const lines = readme.split("\n");

const TERMS = [
  ["131047", "131047"],
  ["BSUID", "bsuid"],
  ["HUMAN_AGENT", "human_agent"],
  ["Direct Send", "direct-send"],
] as const;

describe("README first screen", () => {
  it("the first code is a short TypeScript example within the first 25 lines", () => {
    const open = lines.indexOf("```ts");
    const close = lines.indexOf("```", open + 1);
    expect(open).toBeGreaterThan(0);
    expect(open).toBeLessThan(25);
    expect(close - open - 1).toBeLessThanOrEqual(12);
    expect(lines.slice(open, close).join("\n")).toContain("care.decide(");
  });

  it("no jargon before the example; below, each term links to its docs/concepts.md entry", () => {
    const firstScreen = lines.slice(0, lines.indexOf("## Why")).join("\n");
    expect(firstScreen.length).toBeGreaterThan(0);
    for (const [term, anchor] of TERMS) {
      expect(firstScreen, term).not.toContain(term);
      expect(readme, term).toContain(`[${term}](docs/concepts.md#${anchor})`);
      // GitHub's anchor of a "### <term>" heading.
      expect(concepts, term).toContain(`\n### ${term}\n`);
      expect(term.toLowerCase().replace(/ /g, "-")).toBe(anchor);
    }
  });

  it("keeps the test command and the demo command visible", () => {
    expect(readme).toContain("npm ci && npm run demo");
    expect(readme).toMatch(/^npm test\s/m);
  });
});
