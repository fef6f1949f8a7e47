/**
 * Every TypeScript block in docs/*.md and docs/**\/*.md is type-checked (or is a verbatim copy
 * of a type-checked docs/examples file); blocks marked `ts illustrative` are skipped and
 * counted. The convention is in docs/examples/README.md; the checker is scripts/check-docs.ts.
 */
import { beforeAll, describe, expect, it } from "vitest";
import {
  blockMode,
  checkDocs,
  type DocsReport,
  extractBlocks,
  findDocPages,
  formatProblems,
} from "../../scripts/check-docs.js";

let report: DocsReport;

beforeAll(() => {
  report = checkDocs();
  const skipped = report.pages.filter((p) => p.illustrative > 0);
  const total = report.pages.reduce((n, p) => n + p.checked + p.continued + p.included, 0);
  console.log(
    `docs: ${report.pages.length} pages, ${total} TypeScript blocks checked, ${report.examples.length} example files; ` +
      `illustrative (skipped): ${skipped.length === 0 ? "none" : skipped.map((p) => `${p.page} ${p.illustrative}`).join(", ")}`,
  );
}, 120_000);

describe("the block extractor", () => {
  it("finds fences with their info string and first line, and classifies them", () => {
    const page = [
      "# T", // 1
      "```ts", // 2
      "const a = 1;", // 3
      "```", // 4
      "````md", // 5
      "```ts", // 6
      "nested, not a block", // 7
      "```", // 8
      "````", // 9
      "```ts illustrative", // 10
      "whatever", // 11
      "```", // 12
      "```ts continues", // 13
      "a;", // 14
      "```", // 15
      "```ts", // 16
      "// file: docs/examples/node-http.ts#x", // 17
      "```", // 18
    ].join("\n");
    const blocks = extractBlocks("p.md", page);
    expect(blocks.map((b) => [b.line, b.lang, blockMode(b)])).toEqual([
      [3, "ts", "checked"],
      [6, "md", "other-language"],
      [11, "ts", "illustrative"],
      [14, "ts", "continues"],
      [17, "ts", "include"],
    ]);
    expect(() => extractBlocks("q.md", "```ts\nopen")).toThrow(/q\.md:1: unclosed/);
    // A path that leaves docs/ is not an include: the block is checked as code.
    const [outside] = extractBlocks("r.md", "```ts\n// file: docs/../src/index.ts\n```");
    expect(blockMode(outside!)).toBe("checked");
  });
});

describe("code blocks in docs/", () => {
  it("docs/examples files type-check", () => {
    expect(report.examples.length).toBeGreaterThanOrEqual(4);
    const problems = report.problems.filter(
      (p) => p.file.startsWith("docs/examples/") && !p.file.endsWith(".md"),
    );
    expect(formatProblems(problems)).toBe("");
  });

  it("no problem outside docs pages and examples (config, src)", () => {
    const problems = report.problems.filter((p) => !p.file.startsWith("docs/"));
    expect(formatProblems(problems)).toBe("");
  });

  for (const page of findDocPages()) {
    it(`${page}: every ts block type-checks`, () => {
      const problems = report.problems.filter((p) => p.file === page);
      expect(formatProblems(problems)).toBe("");
    });
  }
});
