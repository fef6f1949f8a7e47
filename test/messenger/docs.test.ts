/**
 * Runs every TypeScript block of docs/messenger-instagram.md (with `ts continues` blocks appended
 * to the previous one) and turns each `expr; //=> value` line into a deep-equality check, so the
 * page cannot say something the code does not do.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { isDeepStrictEqual } from "node:util";
import { afterAll, describe, expect, it } from "vitest";

const page = fileURLToPath(new URL("../../docs/messenger-instagram.md", import.meta.url));
const shim = fileURLToPath(new URL("./doc-shim.ts", import.meta.url));

interface Program {
  readonly line: number;
  code: string;
}

/** The page's programs: each ```ts block, with ```ts continues blocks appended. */
function programs(markdown: string): Program[] {
  const out: Program[] = [];
  const lines = markdown.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(ts|typescript)(?:\s+(\S+))?\s*$/.exec(lines[i] ?? "");
    if (open === null) continue;
    const start = i + 1;
    let end = start;
    while (end < lines.length && lines[end] !== "```") end++;
    const code = lines.slice(start, end).join("\n");
    if (open[2] === "continues") {
      const last = out[out.length - 1];
      if (last === undefined) throw new Error(`line ${start}: continues nothing`);
      last.code += `\n${code}`;
    } else if (open[2] !== "illustrative") {
      out.push({ line: start + 1, code });
    }
    i = end;
  }
  return out;
}

/** Rewrites imports to the shim and `expr; //=> value` lines to checks. */
function executable(code: string): string {
  const body = code
    .replaceAll('from "care-window"', `from ${JSON.stringify(shim)}`)
    .replaceAll('from "care-window/messenger"', `from ${JSON.stringify(shim)}`)
    .split("\n")
    .map((line) => {
      const m = /^(\s*)(.+?);\s*\/\/=>\s*(.+)$/.exec(line);
      if (m === null) return line;
      return `${m[1]}__check(${m[2]}, ${m[3]}, ${JSON.stringify(m[2])});`;
    })
    .join("\n");
  return `${body}\nexport {};\n`;
}

const dir = mkdtempSync(join(tmpdir(), "care-window-msg-docs-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const failures: string[] = [];
(globalThis as Record<string, unknown>)["__check"] = (
  actual: unknown,
  expected: unknown,
  expr: string,
) => {
  const plain = JSON.parse(JSON.stringify(actual ?? null)) as unknown;
  if (!isDeepStrictEqual(plain, expected ?? null)) {
    failures.push(`${expr}: got ${JSON.stringify(actual)}, documented ${JSON.stringify(expected)}`);
  }
};

describe("docs/messenger-instagram.md", () => {
  const all = programs(readFileSync(page, "utf8"));

  it("has runnable examples with documented results", () => {
    expect(all.length).toBeGreaterThanOrEqual(2);
    expect(all.map((p) => p.code).join("\n")).toMatch(/\/\/=>/);
  });

  for (const [n, program] of all.entries()) {
    it(`the block at line ${program.line} runs and every //=> holds`, async () => {
      const file = join(dir, `block-${n}.ts`);
      writeFileSync(file, executable(program.code));
      failures.length = 0;
      await import(file);
      expect(failures).toEqual([]);
      expect(program.code).toMatch(/\/\/=>/);
    });
  }
});
