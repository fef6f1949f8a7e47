/**
 * What a consumer's bundler ships from care-window (issue 14): each consumer import is bundled
 * with esbuild (minified, ESM, tree-shaken) from a package directory laid out like
 * `node_modules/care-window`, and measured from the metafile — only bytes that reach the
 * output count, and only the output files a cold start loads (the entry and the chunks it
 * imports statically; chunks behind a dynamic `import()`, such as the webhook parser that
 * `care.ingest` loads on first use, are reported apart).
 *
 * Used by test/package/bundle-budgets.test.ts (asserts the budgets on the packed package) and
 * runnable on its own: `npx tsdown && npx tsx scripts/bundle-budgets.ts` (measures ./dist).
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { brotliCompressSync, constants } from "node:zlib";
import type { Metafile } from "esbuild";

/** One consumer import and its budgets (brotli bytes of what a cold start loads). */
export interface BundleCase {
  readonly name: string;
  /** The consumer module: imports from `care-window…` and uses what it imports. */
  readonly code: string;
  /** The issue's target (issue 14), in bytes; `targetMet` says whether the code meets it today. */
  readonly target?: number;
  readonly targetMet?: boolean;
  /**
   * Regression ceiling, in bytes: the figure measured when the entry points were split
   * (2026-12-06) plus about 10 %. Raise it deliberately, with a line in docs/benchmarks.md.
   */
  readonly guard?: number;
  /** Whether zod may reach the loaded output. */
  readonly zod: boolean;
}

/** Reads a docs example as a consumer module (it imports only `care-window…`). */
const example = (name: string): string =>
  readFileSync(
    join(dirname(fileURLToPath(import.meta.url)), "..", "docs", "examples", name),
    "utf8",
  );

export const BUNDLE_CASES: readonly BundleCase[] = [
  {
    name: "decide + foldEvents + emptyState (root)",
    code: 'import { decide, foldEvents, emptyState } from "care-window";\nexport const x = [decide, foldEvents, emptyState];',
    target: 6_000,
    targetMet: false,
    guard: 27_500, // 2026-12-07 morning: 27.21 kB with OPEN-15's carried restrictions (the state's new member, a level per earlier number, checked, copied, joined and read; docs/benchmarks.md "Morning 12-07"); 2026-12-07: 26.61–26.71 kB (the chunk names move it by ±0.05) after the cold paths went out of line and quietHours / the month starts use TZDateMini (docs/benchmarks.md "Early 12-07: cold paths out of line, date-fns cost"); 26.95 kB (26.88 before the options guard) on 2026-12-06 late (−20 % instructions per verdict: lane signals, tier reuse, entry fast paths, sealed-state stamp; docs/benchmarks.md "Late: signals, entry fast paths"); 26.43 kB measured on 2026-12-06 night (+0.26 kB sealed states, +0.42 kB the table run without per-lane calls and the charge slots, +0.47 kB the custom-era check; docs/benchmarks.md "Night: sealed states and the verdict path"); 25.29 kB measured on 2026-12-06 evening (24.83 before it: +0.09 size split, +0.13 zone record and option checks, +0.24 quarter-hour words and shared rule refs); docs/benchmarks.md, "Evening: merged figures"
    zod: false,
  },
  {
    // The floor under the case above: the pure fold alone, which checks every event against the
    // one event contract (issue 10). No target of its own; it shows how much of issue 14's 6 kB
    // the fold leaves for `decide` (docs/benchmarks.md, "What the budgets cost").
    name: "foldEvents + emptyState (root, the fold alone)",
    code: 'import { foldEvents, emptyState } from "care-window";\nexport const x = [foldEvents, emptyState];',
    guard: 6_500, // 2026-12-07 morning: 6.29 kB with OPEN-15's carried restrictions (the state's new member, a level per earlier number, checked, copied, joined and read; docs/benchmarks.md "Morning 12-07"); 6.04 kB after the night's review fixes (the copy reads members by name); 5.97 kB measured on 2026-12-06 night (+0.33 kB: sealed states); 5.26 kB on 2026-12-06 evening (esbuild metafile, brotli 11)
    zod: false,
  },
  {
    name: "createCareWindow + createMemoryStore (root, send side)",
    code: 'import { createCareWindow, createMemoryStore } from "care-window";\nexport const x = [createCareWindow, createMemoryStore];',
    target: 15_000,
    targetMet: false,
    guard: 34_700, // 2026-12-07 morning: 34.40 kB with OPEN-15's carried restrictions (the state's new member, a level per earlier number, checked, copied, joined and read; docs/benchmarks.md "Morning 12-07"); 2026-12-07: 33.78 kB after the cold paths went out of line and quietHours / the month starts use TZDateMini (docs/benchmarks.md "Early 12-07: cold paths out of line, date-fns cost"); 34.13 kB (34.01 before the options guard) on 2026-12-06 late (−20 % instructions per verdict: lane signals, tier reuse, entry fast paths, sealed-state stamp; docs/benchmarks.md "Late: signals, entry fast paths"); 33.57 kB on 2026-12-06 night (sealed states, verdict path, custom-era check); 32.47 kB measured on 2026-12-06 evening (31.88 before it; the same changes as above plus month checks in the memory store); docs/benchmarks.md
    zod: false,
  },
  {
    name: "webhook to decision (service + WhatsApp parse + verify)",
    code: 'import { createCareWindow, createMemoryStore } from "care-window";\nimport { parseWebhook, verifySignature } from "care-window/whatsapp";\nexport const x = [createCareWindow, createMemoryStore, parseWebhook, verifySignature];',
    target: 25_000,
    targetMet: false,
    guard: 50_550, // 2026-12-07 morning: 50.26 kB with OPEN-15's carried restrictions (the state's new member, a level per earlier number, checked, copied, joined and read; docs/benchmarks.md "Morning 12-07"); 2026-12-07: 49.59 kB after the cold paths went out of line and quietHours / the month starts use TZDateMini (docs/benchmarks.md "Early 12-07: cold paths out of line, date-fns cost"); 49.91 kB (49.76 before the options guard) on 2026-12-06 late (−20 % instructions per verdict: lane signals, tier reuse, entry fast paths, sealed-state stamp; docs/benchmarks.md "Late: signals, entry fast paths"); 49.76 kB on 2026-12-06 late (−20 % instructions per verdict: lane signals, tier reuse, entry fast paths, sealed-state stamp; docs/benchmarks.md "Late: signals, entry fast paths"); 49.26 kB on 2026-12-06 night (sealed states, verdict path, custom-era check); 48.51 kB before the verdict path; zod/mini wire schemas: 46.50 kB, was 61.91 kB; 47.58 kB after the same session's fixes (docs/benchmarks.md)
    zod: true,
  },
  {
    name: "docs/examples/send-side.ts (send-side handler)",
    code: example("send-side.ts"),
    guard: 34_800, // 2026-12-07 morning: 34.53 kB with OPEN-15's carried restrictions (the state's new member, a level per earlier number, checked, copied, joined and read; docs/benchmarks.md "Morning 12-07"); 2026-12-07: 33.90 kB after the cold paths went out of line and quietHours / the month starts use TZDateMini (docs/benchmarks.md "Early 12-07: cold paths out of line, date-fns cost"); 34.21 kB (34.04 before the options guard) on 2026-12-06 late (−20 % instructions per verdict: lane signals, tier reuse, entry fast paths, sealed-state stamp; docs/benchmarks.md "Late: signals, entry fast paths"); 33.61 kB on 2026-12-06 night (sealed states, verdict path, custom-era check); 32.52 kB measured on 2026-12-06 evening (31.94 before it; docs/benchmarks.md)
    zod: false,
  },
  {
    name: "docs/examples/aws-lambda.ts (webhook handler)",
    code: example("aws-lambda.ts"),
    guard: 51_000, // 2026-12-07 morning: 50.66 kB with OPEN-15's carried restrictions (the state's new member, a level per earlier number, checked, copied, joined and read; docs/benchmarks.md "Morning 12-07"); 2026-12-07: 50.02 kB after the cold paths went out of line and quietHours / the month starts use TZDateMini (docs/benchmarks.md "Early 12-07: cold paths out of line, date-fns cost"); 50.32 kB (50.24 before the options guard) on 2026-12-06 late; 49.68 kB on 2026-12-06 night (sealed states, verdict path, custom-era check); zod/mini wire schemas: 46.93 kB, was 62.38 kB; 47.93 kB after the same session's fixes (docs/benchmarks.md)
    zod: true,
  },
  {
    name: "everything on the root (import *)",
    code: 'import * as care from "care-window";\nexport const x = care;',
    // 35.13 kB after the evening's merges (docs/benchmarks.md, "Evening: merged figures"), on
    // 34.44 kB: the issue 12 size split, the zone record and option checks, the quarter-hour
    // words and shared rule references.
    guard: 37_300, // 2026-12-07 morning: 37.04 kB with OPEN-15's carried restrictions (the state's new member, a level per earlier number, checked, copied, joined and read; docs/benchmarks.md "Morning 12-07"); 2026-12-07: 36.39 kB after the cold paths went out of line and quietHours / the month starts use TZDateMini (docs/benchmarks.md "Early 12-07: cold paths out of line, date-fns cost"); 36.74 kB (36.66 before the options guard) on 2026-12-06 late (−20 % instructions per verdict: lane signals, tier reuse, entry fast paths, sealed-state stamp; docs/benchmarks.md "Late: signals, entry fast paths"); 36.20 kB on 2026-12-06 night (sealed states, verdict path, custom-era check)
    zod: false,
  },
  {
    name: "care-window/whatsapp (import *)",
    code: 'import * as w from "care-window/whatsapp";\nexport const x = w;',
    guard: 21_500, // zod/mini wire schemas: 20.80 kB measured, was 36.08 kB (docs/benchmarks.md)
    zod: true,
  },
];

/** What one case measured. */
export interface BundleFigure {
  readonly name: string;
  /** Minified bytes a cold start loads (entry + static chunks). */
  readonly minified: number;
  /** Brotli (quality 11) of the same bytes, summed per file. */
  readonly brotli: number;
  /** Brotli bytes of the chunks loaded lazily (dynamic `import()`), 0 when there are none. */
  readonly lazyBrotli: number;
  /** Brotli of a bundle made WITHOUT code splitting (everything in one file, lazy or not). */
  readonly singleFileBrotli: number;
  /** Inputs from `node_modules/zod` with bytes in the loaded output. */
  readonly zodInputs: readonly string[];
  /** Bytes from zod in the loaded output (minified). */
  readonly zodBytes: number;
  readonly case: BundleCase;
}

const brotli = (bytes: Uint8Array): number =>
  brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).byteLength;

/** The output files a cold start of `entry` loads: it and its static imports, transitively. */
function loadedOutputs(meta: Metafile, entry: string): Set<string> {
  const seen = new Set<string>();
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const imp of meta.outputs[file]?.imports ?? []) {
      if (imp.kind === "import-statement" && imp.external !== true) visit(imp.path);
    }
  };
  visit(entry);
  return seen;
}

/**
 * Bundles every case against the package in `packageDir` (a directory holding package.json and
 * dist/, as installed); dependencies resolve from `nodePaths` (e.g. the repository's
 * node_modules), never from the repository's src/.
 */
export async function measureBundles(
  packageDir: string,
  nodePaths: readonly string[],
  cases: readonly BundleCase[] = BUNDLE_CASES,
): Promise<BundleFigure[]> {
  const esbuild = await import("esbuild");
  const work = mkdtempSync(join(tmpdir(), "care-window-bundles-"));
  try {
    // A consumer project whose node_modules/care-window is the package under test.
    mkdirSync(join(work, "node_modules"));
    symlinkSync(resolve(packageDir), join(work, "node_modules", "care-window"), "dir");
    const figures: BundleFigure[] = [];
    for (const [i, c] of cases.entries()) {
      const entry = join(work, `case${i}.ts`);
      writeFileSync(entry, c.code);
      const common = {
        entryPoints: [entry],
        bundle: true,
        minify: true,
        format: "esm" as const,
        platform: "neutral" as const,
        target: "es2022",
        mainFields: ["module", "main"],
        nodePaths: [join(work, "node_modules"), ...nodePaths],
        write: false as const,
        metafile: true as const,
        logLevel: "silent" as const,
      };
      const split = await esbuild.build({
        ...common,
        splitting: true,
        outdir: join(work, `out${i}`),
      });
      const meta = split.metafile;
      const entryOut = Object.entries(meta.outputs).find(
        ([, o]) => o.entryPoint !== undefined,
      )?.[0];
      if (entryOut === undefined) throw new Error(`${c.name}: esbuild wrote no entry output`);
      const loaded = loadedOutputs(meta, entryOut);
      let minified = 0;
      let compressed = 0;
      let lazy = 0;
      const zodInputs = new Set<string>();
      let zodBytes = 0;
      for (const file of split.outputFiles) {
        const key = Object.keys(meta.outputs).find((k) => resolve(k) === file.path);
        if (key === undefined || key.endsWith(".map")) continue;
        if (!loaded.has(key)) {
          lazy += brotli(file.contents);
          continue;
        }
        minified += file.contents.byteLength;
        compressed += brotli(file.contents);
        for (const [input, info] of Object.entries(meta.outputs[key]?.inputs ?? {})) {
          if (info.bytesInOutput > 0 && /(^|\/)node_modules\/zod\//.test(input)) {
            zodInputs.add(input);
            zodBytes += info.bytesInOutput;
          }
        }
      }
      const single = await esbuild.build({ ...common, outfile: join(work, `single${i}.js`) });
      const singleFile = single.outputFiles.find((f) => f.path.endsWith(".js"));
      figures.push({
        name: c.name,
        minified,
        brotli: compressed,
        lazyBrotli: lazy,
        singleFileBrotli: singleFile === undefined ? 0 : brotli(singleFile.contents),
        zodInputs: [...zodInputs].sort(),
        zodBytes,
        case: c,
      });
    }
    return figures;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

const kB = (n: number): string => `${(n / 1000).toFixed(2)} kB`;

/** A Markdown table of the figures (docs/benchmarks.md). */
export function formatFigures(figures: readonly BundleFigure[]): string {
  const rows = figures.map((f) => {
    const target =
      f.case.target === undefined
        ? "—"
        : `${kB(f.case.target)}${f.brotli <= f.case.target ? " met" : " **missed**"}`;
    return `| ${f.name} | ${kB(f.minified)} | **${kB(f.brotli)}** | ${f.lazyBrotli === 0 ? "—" : kB(f.lazyBrotli)} | ${kB(f.singleFileBrotli)} | ${f.zodBytes === 0 ? "no" : `yes (${kB(f.zodBytes)} min)`} | ${target} |`;
  });
  return [
    "| consumer import | loaded, min | loaded, brotli | lazy chunks, brotli | one file (no splitting), brotli | zod loaded | issue target |",
    "| --- | --- | --- | --- | --- | --- | --- |",
    ...rows,
  ].join("\n");
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
  const figures = await measureBundles(root, [join(root, "node_modules")]);
  console.log(formatFigures(figures));
}
