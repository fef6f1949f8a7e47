/**
 * The README's pure-core example is executed, not only type-checked: every line ending in
 * `// "value"` must evaluate to that value.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "..", "..");
const readme = readFileSync(join(ROOT, "README.md"), "utf8");

function block(marker: string): string {
  const at = readme.indexOf(`<!-- example: ${marker} -->`);
  if (at < 0) throw new Error(`README has no example ${marker}`);
  const start = readme.indexOf("```ts\n", at) + "```ts\n".length;
  return readme.slice(start, readme.indexOf("```", start));
}

describe("README examples run and print what they say", () => {
  it("readme-pure: the boundary at T + 24 h (CSW-2)", async () => {
    const source = block("readme-pure");
    const checks: string[] = [];
    const body = source
      .split("\n")
      .map((line) => {
        const m = /^(.*?);\s*\/\/\s*("[^"]*")\s*$/.exec(line);
        if (m === null) return line;
        checks.push(m[2] as string);
        return `results.push(${m[1]});`;
      })
      .join("\n")
      .replace(
        /from "care-window"/g,
        `from ${JSON.stringify(pathToFileURL(join(ROOT, "src", "index.ts")).href)}`,
      );
    expect(checks.length).toBeGreaterThanOrEqual(2);
    const dir = mkdtempSync(join(tmpdir(), "cw-readme-"));
    const file = join(dir, "readme-pure.ts");
    writeFileSync(file, `export const results: unknown[] = [];\n${body}\n`);
    const mod = (await import(pathToFileURL(file).href)) as { results: unknown[] };
    expect(mod.results).toEqual(checks.map((c) => JSON.parse(c)));
  });
});
