/**
 * Type-checks every TypeScript code block in docs/*.md and docs/**\/*.md (the convention is in
 * docs/examples/README.md):
 *
 * - ```` ```ts ```` / ```` ```typescript ````: a standalone ES module, type-checked with the
 *   repository's strict options; `care-window`, `care-window/testing` and `care-window/postgres`
 *   resolve to src/.
 * - ```` ```ts continues ````: appended to the previous checked block of the same page.
 * - ```` ```ts illustrative ````: skipped, and counted (the test prints the count per page).
 * - A block whose first line is `// file: docs/<path>.ts` (optionally `#<region>`) must equal
 *   that file (or the `// #region <region>` … `// #endregion` part of it) verbatim; the file
 *   itself is type-checked, where it lives, instead of the block.
 *
 * docs/examples/*.ts are type-checked in the same run. Used by test/docs/code-blocks.test.ts;
 * also runnable: `tsx scripts/check-docs.ts` (exit 1 on any failure), and
 * `tsx scripts/check-docs.ts --sync` rewrites every `// file:` block from its file first.
 */
import { spawnSync } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root. */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/** Languages whose blocks are checked. */
const CHECKED_LANGS = new Set(["ts", "typescript", "mts"]);

/** Folders under docs/ that are generated or foreign and never scanned. */
const SKIP_DIRS = new Set(["api", "node_modules"]);

/** A fenced code block in a Markdown page. */
export interface DocBlock {
  /** Page path relative to the repository root, with `/` separators. */
  readonly page: string;
  /** 1-based line of the first code line (the line after the opening fence). */
  readonly line: number;
  readonly lang: string;
  /** Words after the language in the info string (`illustrative`, `continues`). */
  readonly flags: readonly string[];
  readonly code: string;
}

/** What the checker does with a block. */
export type BlockMode = "checked" | "continues" | "illustrative" | "include" | "other-language";

/** One problem found, located in the page (or in the example file). */
export interface DocProblem {
  readonly file: string;
  readonly line: number;
  readonly message: string;
}

/** The result of checking all pages. */
export interface DocsReport {
  readonly pages: readonly {
    readonly page: string;
    readonly checked: number;
    readonly continued: number;
    readonly included: number;
    readonly illustrative: number;
    readonly otherLanguages: number;
  }[];
  /** docs/examples/*.ts files that were type-checked. */
  readonly examples: readonly string[];
  readonly problems: readonly DocProblem[];
}

const posix = (p: string): string => p.split(sep).join("/");

/** All Markdown pages under docs/, plus README.md, sorted, relative to the root. */
export function findDocPages(root: string = ROOT): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    let entries: import("node:fs").Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!SKIP_DIRS.has(entry.name) && !entry.name.startsWith(".")) walk(full);
      } else if (entry.name.endsWith(".md")) {
        out.push(posix(relative(root, full)));
      }
    }
  };
  walk(join(root, "docs"));
  // The README's blocks are the first code a newcomer copies: check them too.
  out.push("README.md");
  return out.sort();
}

/** docs/examples/*.ts (not tests), sorted, relative to the root. */
export function findExampleFiles(root: string = ROOT): string[] {
  try {
    return readdirSync(join(root, "docs", "examples"))
      .filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts") && !f.endsWith(".d.ts"))
      .sort()
      .map((f) => `docs/examples/${f}`);
  } catch {
    return [];
  }
}

const FENCE_RE = /^( {0,3})(`{3,}|~{3,})\s*([^\s`]*)\s*(.*)$/;

/** The fenced code blocks of a page, in order (CommonMark fences; nested longer fences work). */
export function extractBlocks(page: string, text: string): DocBlock[] {
  const lines = text.split(/\r?\n/);
  const blocks: DocBlock[] = [];
  let open: { fence: string; indent: number; lang: string; flags: string[]; start: number } | null =
    null;
  let body: string[] = [];
  lines.forEach((line, i) => {
    if (open === null) {
      const m = FENCE_RE.exec(line);
      if (m === null) return;
      const fence = m[2]!;
      const info = `${m[3] ?? ""} ${m[4] ?? ""}`.trim();
      if (fence.startsWith("`") && info.includes("`")) return; // not a fence (inline code)
      const [lang = "", ...flags] = info.split(/[\s,{}]+/).filter(Boolean);
      open = { fence, indent: m[1]!.length, lang: lang.toLowerCase(), flags, start: i + 2 };
      body = [];
      return;
    }
    const trimmed = line.trim();
    if (
      trimmed.startsWith(open.fence[0]!.repeat(open.fence.length)) &&
      /^(`{3,}|~{3,})$/.test(trimmed) &&
      trimmed[0] === open.fence[0]
    ) {
      blocks.push({
        page,
        line: open.start,
        lang: open.lang,
        flags: open.flags,
        code: body.join("\n"),
      });
      open = null;
      return;
    }
    body.push(open.indent > 0 ? line.replace(new RegExp(`^ {0,${open.indent}}`), "") : line);
  });
  if (open !== null) {
    const o = open as { start: number };
    throw new Error(`${page}:${o.start - 1}: unclosed code fence`);
  }
  return blocks;
}

/** `// file: docs/<dir>/<name>.ts` or `…#region`; no `..` segments. */
const INCLUDE_RE = /^\/\/ file: (docs\/(?:[\w-]+\/)*[\w.-]+\.ts)(?:#([\w-]+))?\s*$/;

/** How a block is treated. */
export function blockMode(block: DocBlock): BlockMode {
  if (!CHECKED_LANGS.has(block.lang)) return "other-language";
  if (block.flags.includes("illustrative")) return "illustrative";
  if (INCLUDE_RE.test(block.code.split("\n", 1)[0] ?? "")) return "include";
  if (block.flags.includes("continues")) return "continues";
  return "checked";
}

/** The part of an example file a `// file:` line names. */
export function includedText(root: string, file: string, region: string | undefined): string {
  const text = readFileSync(join(root, file), "utf8");
  if (region === undefined) return text;
  const lines = text.split("\n");
  const start = lines.findIndex((l) => l.trim() === `// #region ${region}`);
  const end = lines.findIndex((l, i) => i > start && l.trim() === `// #endregion ${region}`);
  if (start < 0 || end < 0)
    throw new Error(`${file}: no "// #region ${region}" … "// #endregion ${region}"`);
  return lines.slice(start + 1, end).join("\n");
}

const normalize = (s: string): string =>
  s
    .split("\n")
    .map((l) => l.trimEnd())
    .join("\n")
    .trim();

interface VirtualFile {
  readonly name: string;
  /** Generated line → page line. */
  readonly lines: number[];
  readonly page: string;
  code: string;
  /** An included file: checked only if a `ts continues` block follows. */
  pending?: boolean;
}

const TSC_LINE_RE = /^(.+?)\((\d+),(\d+)\): error (TS\d+): (.*)$/;

/**
 * Checks every page and example. Type-checking spawns one `tsc` over all blocks and examples in
 * a temporary folder under node_modules/.cache (so `node_modules` resolution works).
 */
export function checkDocs(root: string = ROOT): DocsReport {
  const problems: DocProblem[] = [];
  const pages: DocsReport["pages"][number][] = [];
  const virtual: VirtualFile[] = [];
  /** Files named by `// file:` blocks: type-checked where they are. */
  const included = new Set<string>();

  for (const page of findDocPages(root)) {
    let blocks: DocBlock[];
    try {
      blocks = extractBlocks(page, readFileSync(join(root, page), "utf8"));
    } catch (error) {
      problems.push({ file: page, line: 1, message: (error as Error).message });
      continue;
    }
    const counts = { checked: 0, continued: 0, included: 0, illustrative: 0, otherLanguages: 0 };
    let last: VirtualFile | undefined;
    for (const block of blocks) {
      const mode = blockMode(block);
      const blockLines = block.code.split("\n").map((_, i) => block.line + i);
      if (mode === "other-language") counts.otherLanguages++;
      else if (mode === "illustrative") counts.illustrative++;
      else if (mode === "include") {
        counts.included++;
        const [first = "", ...rest] = block.code.split("\n");
        const m = INCLUDE_RE.exec(first)!;
        included.add(m[1]!);
        try {
          const expected = includedText(root, m[1]!, m[2]);
          // A `ts continues` block after this one continues the included file.
          last = {
            name: `${page.replace(/[^\w]+/g, "_")}_L${block.line}.ts`,
            page,
            lines: expected
              .split("\n")
              .map((_, i) => Math.min(block.line + 1 + i, block.line + rest.length)),
            code: expected,
            pending: true,
          };
          if (normalize(rest.join("\n")) !== normalize(expected)) {
            problems.push({
              file: page,
              line: block.line,
              message: `block differs from ${m[1]}${m[2] === undefined ? "" : `#${m[2]}`}: copy the file verbatim or run \`tsx scripts/check-docs.ts --sync\` (${firstDifference(rest.join("\n"), expected, block.line + 1)})`,
            });
          }
        } catch (error) {
          last = undefined;
          problems.push({ file: page, line: block.line, message: (error as Error).message });
        }
      } else if (mode === "continues" && last !== undefined) {
        counts.continued++;
        if (last.pending === true) {
          last.pending = false;
          virtual.push(last);
        }
        last.code += `\n${block.code}`;
        last.lines.push(...blockLines);
      } else {
        if (mode === "continues") {
          problems.push({
            file: page,
            line: block.line,
            message: "`ts continues` block has no checked block before it on this page",
          });
        }
        counts.checked++;
        last = {
          name: `${page.replace(/[^\w]+/g, "_")}_L${block.line}.ts`,
          page,
          lines: blockLines,
          code: block.code,
        };
        virtual.push(last);
      }
    }
    pages.push({ page, ...counts });
  }

  const examples = findExampleFiles(root);
  const files = [
    ...new Set([...examples, ...[...included].filter((f) => existsSync(join(root, f)))]),
  ];
  problems.push(...typeCheck(root, virtual, files));
  return { pages, examples, problems };
}

function firstDifference(a: string, b: string, firstLine: number): string {
  const x = normalize(a).split("\n");
  const y = normalize(b).split("\n");
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    if (x[i] !== y[i]) {
      return `page line ${firstLine + i}: ${JSON.stringify(x[i] ?? "<end>")}, file: ${JSON.stringify(y[i] ?? "<end>")}`;
    }
  }
  return "whitespace only";
}

function typeCheck(
  root: string,
  virtual: readonly VirtualFile[],
  examples: readonly string[],
): DocProblem[] {
  if (virtual.length === 0 && examples.length === 0) return [];
  const cache = join(root, "node_modules", ".cache");
  mkdirSync(cache, { recursive: true });
  const dir = mkdtempSync(join(cache, "care-window-docs-"));
  try {
    writeFileSync(join(dir, "package.json"), JSON.stringify({ type: "module", private: true }));
    for (const file of virtual) {
      // `export {}` keeps a block without imports a module (its names stay local to it).
      writeFileSync(join(dir, file.name), `${file.code}\nexport {};\n`);
    }
    const rel = (p: string): string => posix(relative(dir, join(root, p)));
    const tsconfig = {
      compilerOptions: {
        target: "ES2022",
        lib: ["ES2022", "DOM", "DOM.Iterable"],
        types: ["node"],
        typeRoots: [rel("node_modules/@types")],
        module: "NodeNext",
        moduleResolution: "NodeNext",
        strict: true,
        noUncheckedIndexedAccess: true,
        exactOptionalPropertyTypes: true,
        noImplicitOverride: true,
        verbatimModuleSyntax: true,
        isolatedModules: true,
        resolveJsonModule: true,
        skipLibCheck: true,
        noEmit: true,
        paths: {
          "care-window": [rel("src/index.ts")],
          "care-window/whatsapp": [rel("src/whatsapp.ts")],
          "care-window/messenger": [rel("src/messenger.ts")],
          "care-window/timeline": [rel("src/timeline.ts")],
          "care-window/testing": [rel("src/testing.ts")],
          "care-window/postgres": [rel("src/postgres.ts")],
        },
      },
      files: [...virtual.map((f) => f.name), ...examples.map(rel)],
    };
    writeFileSync(join(dir, "tsconfig.json"), JSON.stringify(tsconfig, null, 2));
    const tsc = join(root, "node_modules", "typescript", "bin", "tsc");
    const run = spawnSync(
      process.execPath,
      [tsc, "-p", join(dir, "tsconfig.json"), "--pretty", "false"],
      {
        cwd: dir,
        encoding: "utf8",
        timeout: 120_000,
      },
    );
    if (run.error !== undefined) {
      return [{ file: "tsc", line: 0, message: String(run.error) }];
    }
    const byName = new Map(virtual.map((f) => [f.name, f]));
    const problems: DocProblem[] = [];
    let current: DocProblem | undefined;
    for (const line of `${run.stdout}${run.stderr}`.split("\n")) {
      const m = TSC_LINE_RE.exec(line);
      if (m === null) {
        // Continuation lines of a multi-line message.
        if (current !== undefined && line.startsWith("  ")) {
          (current as { message: string }).message += `\n${line}`;
        } else if (line.trim() !== "" && current === undefined && run.status !== 0) {
          problems.push({ file: "tsc", line: 0, message: line });
        }
        continue;
      }
      const [, file = "", lineNo = "0", , code, message] = m;
      const abs = resolve(dir, file);
      const block = byName.get(posix(relative(dir, abs)));
      const n = Number(lineNo);
      current =
        block !== undefined
          ? {
              file: block.page,
              line: block.lines[n - 1] ?? block.lines.at(-1) ?? 0,
              message: `${code}: ${message}`,
            }
          : { file: posix(relative(root, abs)), line: n, message: `${code}: ${message}` };
      problems.push(current);
    }
    if (run.status !== 0 && problems.length === 0) {
      problems.push({
        file: "tsc",
        line: 0,
        message: `tsc exited ${run.status} without diagnostics`,
      });
    }
    return problems;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Rewrites every `// file:` block of every page with the current content of the file (or
 * region) it names. Returns the pages changed.
 */
export function syncIncludes(root: string = ROOT): string[] {
  const changed: string[] = [];
  for (const page of findDocPages(root)) {
    const path = join(root, page);
    const text = readFileSync(path, "utf8");
    const lines = text.split("\n");
    const blocks = extractBlocks(page, text).filter((b) => blockMode(b) === "include");
    // From the last block up, so earlier line numbers stay valid.
    for (const block of [...blocks].reverse()) {
      const first = block.code.split("\n", 1)[0] ?? "";
      const m = INCLUDE_RE.exec(first)!;
      const content = includedText(root, m[1]!, m[2]).replace(/\n+$/, "");
      const count = block.code.split("\n").length;
      lines.splice(block.line - 1, count, first, ...content.split("\n"));
    }
    const next = lines.join("\n");
    if (next !== text) {
      writeFileSync(path, next);
      changed.push(page);
    }
  }
  return changed;
}

/** One line per problem: `page:line  message`. */
export function formatProblems(problems: readonly DocProblem[]): string {
  return [...problems]
    .sort((a, b) => (a.file === b.file ? a.line - b.line : a.file < b.file ? -1 : 1))
    .map((p) => `${p.file}:${p.line}  ${p.message}`)
    .join("\n");
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  if (process.argv.includes("--sync")) {
    for (const page of syncIncludes()) console.log(`synced ${page}`);
  }
  const report = checkDocs();
  for (const p of report.pages) {
    console.log(
      `${p.page}: ${p.checked} checked, ${p.continued} continued, ${p.included} included, ${p.illustrative} illustrative (skipped), ${p.otherLanguages} other-language`,
    );
  }
  console.log(`${report.examples.length} example file(s) type-checked`);
  if (report.problems.length > 0) {
    console.error(formatProblems(report.problems));
    process.exit(1);
  }
  console.log("docs: all TypeScript blocks type-check");
}
