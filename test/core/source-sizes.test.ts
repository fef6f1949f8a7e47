/**
 * Issue 12 ("How we will know"): no file in the decision path over 400 lines, no function there
 * over 60 lines. The decision path is src/policy, src/domain and src/window. Lengths are read
 * with the TypeScript compiler API: a file's line count, and for every function (declaration,
 * expression, arrow, method, constructor, accessor) the lines from its first token to its last,
 * both included (leading comments do not count).
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const ROOT = resolve(import.meta.dirname, "../..");
const DECISION_PATH = ["src/policy", "src/domain", "src/window"] as const;
const MAX_FILE_LINES = 400;
const MAX_FUNCTION_LINES = 60;

function tsFiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) return tsFiles(path);
      return path.endsWith(".ts") ? [path] : [];
    });
}

/** Lines of a file as an editor shows them (a final newline does not start a line). */
function fileLines(text: string): number {
  if (text.length === 0) return 0;
  const lines = text.split(/\r\n|\r|\n/).length;
  return /(\r\n|\r|\n)$/.test(text) ? lines - 1 : lines;
}

interface FunctionSize {
  readonly name: string;
  readonly line: number;
  readonly lines: number;
}

/** A readable name for a function node: its own, or the variable / property it is bound to. */
function functionName(node: ts.FunctionLikeDeclaration, source: ts.SourceFile): string {
  if (node.name !== undefined) return node.name.getText(source);
  const parent = node.parent;
  if (
    (ts.isVariableDeclaration(parent) ||
      ts.isPropertyAssignment(parent) ||
      ts.isPropertyDeclaration(parent)) &&
    parent.name !== undefined
  ) {
    return parent.name.getText(source);
  }
  if (ts.isExportAssignment(parent)) return "export default";
  return ts.isArrowFunction(node) ? "(arrow function)" : "(anonymous function)";
}

/** Every function-like node of a source file with a body, and its length in lines. */
function functionSizes(path: string, text: string): FunctionSize[] {
  const source = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const out: FunctionSize[] = [];
  const visit = (node: ts.Node): void => {
    if (
      (ts.isFunctionDeclaration(node) ||
        ts.isFunctionExpression(node) ||
        ts.isArrowFunction(node) ||
        ts.isMethodDeclaration(node) ||
        ts.isConstructorDeclaration(node) ||
        ts.isGetAccessorDeclaration(node) ||
        ts.isSetAccessorDeclaration(node) ||
        ts.isClassStaticBlockDeclaration(node)) &&
      node.body !== undefined
    ) {
      const first = source.getLineAndCharacterOfPosition(node.getStart(source)).line;
      const last = source.getLineAndCharacterOfPosition(node.getEnd()).line;
      const name = ts.isClassStaticBlockDeclaration(node)
        ? "static {}"
        : functionName(node, source);
      out.push({ name, line: first + 1, lines: last - first + 1 });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return out;
}

const files = DECISION_PATH.flatMap((dir) => tsFiles(join(ROOT, dir)));

describe("issue 12: sizes in the decision path (src/policy, src/domain, src/window)", () => {
  it("walks every .ts file of the three folders", () => {
    for (const dir of DECISION_PATH) {
      expect(
        files.some((f) => relative(ROOT, f).startsWith(`${dir}/`)),
        `${dir} has .ts files`,
      ).toBe(true);
    }
    expect(files.map((f) => relative(ROOT, f))).toContain("src/window/state.ts");
  });

  it(`no file over ${MAX_FILE_LINES} lines`, () => {
    const tooLong = files
      .map((f) => ({ file: relative(ROOT, f), lines: fileLines(readFileSync(f, "utf8")) }))
      .filter((f) => f.lines > MAX_FILE_LINES)
      .map((f) => `${f.file}: ${f.lines} lines`);
    expect(tooLong).toEqual([]);
  });

  it(`no function over ${MAX_FUNCTION_LINES} lines`, () => {
    const tooLong = files.flatMap((f) =>
      functionSizes(f, readFileSync(f, "utf8"))
        .filter((s) => s.lines > MAX_FUNCTION_LINES)
        .map((s) => `${relative(ROOT, f)}:${s.line} ${s.name}: ${s.lines} lines`),
    );
    expect(tooLong).toEqual([]);
  });

  it("measures a function from its first line to its last, any form of function", () => {
    const body = (n: number) => Array.from({ length: n }, (_, i) => `  const x${i} = ${i};`);
    const text = [
      "/** Docs do not count. */",
      "export function declared() {",
      ...body(3),
      "}",
      "const arrow = (a: number) => {",
      ...body(61),
      "  return a;",
      "};",
      "const expr = function () {",
      "  return 1;",
      "};",
      "class K {",
      "  method() {",
      ...body(2),
      "  }",
      "}",
      "const o = { short: () => 1 };",
    ].join("\n");
    const sizes = functionSizes("sample.ts", text).map((s) => `${s.name}@${s.line}:${s.lines}`);
    expect(sizes).toEqual(["declared@2:5", "arrow@7:64", "expr@71:3", "method@75:4", "short@80:1"]);
    expect(fileLines(text)).toBe(80);
    expect(fileLines(`${text}\n`)).toBe(80);
  });
});
