/**
 * "Pass `now` in" (style habit 1): nothing under src/ reads the clock or an ambient random source,
 * except the two documented defaults, so decisions and folds are reproducible.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";

const SRC = join(import.meta.dirname, "..", "..", "src");

const files = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith(".ts") ? [join(dir, e.name)] : [],
  );

/** Source text without comments (block, line and TSDoc), so examples in docs do not count. */
const code = (text: string): string =>
  text.replace(/\/\*[\s\S]*?\*\//g, "").replace(/(^|[^:"'`])\/\/.*$/gm, "$1");

const CLOCK = [/\bDate\.now\s*\(/, /\bnew Date\s*\(\s*\)/, /\bperformance\.now\s*\(/];
const RANDOM = [/\bMath\.random\s*\(/];

/** The only sanctioned reads, each documented where it lives. */
const ALLOWED: Record<string, RegExp[]> = {
  // The service's default `now` when the host passes none.
  "service/createCareWindow.ts": [/\bDate\.now\s*\(/],
  // The CLI's `--at now` (the bin, not the library), and its monotonic timer for the rate of
  // the progress line on a terminal (issue 11), which never reaches a decision.
  "cli/index.ts": [/\bDate\.now\s*\(/, /\bnew Date\s*\(\s*\)/, /\bperformance\.now\s*\(/],
};

describe("purity of src/ (no clock reads, no ambient randomness)", () => {
  const all = files(SRC);
  it("finds the source files", () => {
    expect(all.length).toBeGreaterThan(30);
  });
  for (const file of all) {
    const rel = relative(SRC, file).split("\\").join("/");
    it(`${rel} reads no clock and no Math.random`, () => {
      const text = code(readFileSync(file, "utf8"));
      const allowed = ALLOWED[rel] ?? [];
      for (const pattern of [...CLOCK, ...RANDOM]) {
        if (allowed.some((a) => a.source === pattern.source)) continue;
        expect(pattern.test(text), `${rel} matches ${pattern}`).toBe(false);
      }
    });
  }
  it("the pure core (domain, window, policy) has not even the sanctioned reads", () => {
    for (const file of all.filter((f) => /[\\/](domain|window|policy)[\\/]/.test(f))) {
      const text = code(readFileSync(file, "utf8"));
      for (const pattern of [...CLOCK, ...RANDOM]) expect(pattern.test(text), file).toBe(false);
    }
  });
});
