/**
 * Issue 2: "the decision path imports no zod" (and nothing Node-only, TEAM.md). Checked twice:
 * statically over the import graph of src/window/decide.ts, and by bundling `{ decide }` with
 * esbuild (size-limit's bundler) and reading the metafile.
 */
import { readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

/** Every file reachable from `entry` through relative imports, and every bare specifier. */
function importGraph(entry: string): { files: string[]; bare: Map<string, string[]> } {
  const files = new Set<string>();
  const bare = new Map<string, string[]>();
  const visit = (file: string): void => {
    if (files.has(file)) return;
    files.add(file);
    const text = readFileSync(file, "utf8");
    for (const { fileName: spec } of ts.preProcessFile(text, true, true).importedFiles) {
      if (spec.startsWith(".")) {
        visit(resolve(dirname(file), spec.replace(/\.js$/, ".ts")));
      } else {
        bare.set(spec, [...(bare.get(spec) ?? []), relative(root, file)]);
      }
    }
  };
  visit(join(root, entry));
  return { files: [...files].map((f) => relative(root, f)).sort(), bare };
}

describe("the decision path imports no zod", () => {
  const { files, bare } = importGraph("src/window/decide.ts");

  it("the graph is what we think it is (the walk can see imports)", () => {
    expect(files).toEqual(
      expect.arrayContaining([
        "src/window/decide.ts",
        "src/window/state.ts",
        "src/window/evaluate.ts",
        "src/policy/eras.ts",
        "src/policy/time.ts",
      ]),
    );
    expect([...bare.keys()]).toContain("@date-fns/tz/tzOffset");
  });

  it("no file reachable from src/window/decide.ts imports zod", () => {
    const zod = [...bare].filter(([spec]) => spec === "zod" || spec.startsWith("zod/"));
    expect(zod).toEqual([]);
  });

  it("no Node built-in, and no layer above the core, is reachable from decide", () => {
    const node = [...bare.keys()].filter((s) => s.startsWith("node:"));
    expect(node).toEqual([]);
    const upward = files.filter((f) =>
      /src\/(whatsapp|messenger|store|service|postgres|testing)/.test(f),
    );
    expect(upward).toEqual([]);
  });

  it("bundling only `decide` (esbuild, tree-shaken, neutral platform) pulls in no zod", async () => {
    const result = await build({
      stdin: {
        contents: 'export { decide } from "./src/index.ts";',
        resolveDir: root,
        loader: "ts",
      },
      bundle: true,
      write: false,
      metafile: true,
      minify: true,
      format: "esm",
      platform: "neutral",
      mainFields: ["module", "main"],
      logLevel: "silent",
    });
    // metafile.inputs lists every module esbuild looked at; what ships is in the output's inputs
    // with bytesInOutput > 0.
    const output = Object.values(result.metafile.outputs)[0];
    const shipped = Object.entries(output?.inputs ?? {})
      .filter(([, v]) => v.bytesInOutput > 0)
      .map(([path]) => path);
    expect(shipped.some((p) => p.includes("src/window/decide.ts"))).toBe(true);
    expect(shipped.filter((p) => /node_modules\/zod\//.test(p))).toEqual([]);
    expect(shipped.filter((p) => /src\/(whatsapp|service|store)\//.test(p))).toEqual([]);
    const bytes = result.outputFiles[0]?.contents.byteLength ?? 0;
    expect(bytes).toBeGreaterThan(1000); // it really bundled the decider
  });
});
