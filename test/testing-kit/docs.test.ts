import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

// Every ```ts block of docs/testing.md must be runnable: it has to appear, line for line
// (indentation and blank lines aside), in one of the docs test files the suite runs. A block that
// opens with `// file: docs/testing/<name>.test.ts[#region]` (the docs convention, see
// docs/examples/README.md; test/docs checks the copy is verbatim) must appear in that file.
const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), "utf8");
const lines = (text: string) =>
  text
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "");

const page = read("docs/testing.md");
const sources = ["docs/testing/host-policy.test.ts", "docs/testing/kit-tour.test.ts"].map((p) =>
  lines(read(p)),
);
const INCLUDE = /^\/\/ file: (docs\/testing\/[\w.-]+\.test\.ts)(?:#[\w-]+)?$/;
const blocks = [...page.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => lines(m[1] ?? ""));
/** The lines a block may come from: the docs test file it names, or any of `sources`. */
const origins = (block: readonly string[]): { body: readonly string[]; in: string[][] } => {
  const named = INCLUDE.exec(block[0] ?? "")?.[1];
  return named === undefined
    ? { body: block, in: sources }
    : { body: block.slice(1), in: [lines(read(named))] };
};

function appearsIn(block: readonly string[], source: readonly string[]): boolean {
  for (let i = 0; i + block.length <= source.length; i++) {
    if (block.every((line, k) => source[i + k] === line)) return true;
  }
  return false;
}

describe("docs/testing.md", () => {
  it("has code blocks", () => {
    expect(blocks.length).toBeGreaterThanOrEqual(5);
  });

  it.each(blocks.map((b, i) => [i + 1, b] as const))(
    "ts block %i runs in the suite",
    (_, block) => {
      const { body, in: files } = origins(block);
      expect(body.length).toBeGreaterThan(0);
      expect(files.some((source) => appearsIn(body, source))).toBe(true);
    },
  );

  it("the sample host test stays under 40 lines", () => {
    expect(read("docs/testing/host-policy.test.ts").trimEnd().split("\n").length).toBeLessThan(40);
  });
});
