import { dirname, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig, type Rolldown } from "tsdown";

const CLI_DIR = resolve(dirname(fileURLToPath(import.meta.url)), "src", "cli") + sep;
const CLI_ENTRY = `${CLI_DIR}index.ts`;
const DOC_COMMENTS_IN_TYPES_ONLY = { legal: true, annotation: true, jsdoc: false } as const;

/**
 * Keeps a CLI module's import of a library module (`../domain/errors.js` from src/cli/args.ts) as
 * that same relative import: src/cli/x.ts becomes dist/cli/x.js and src/domain/errors.ts is
 * dist/domain/errors.js, so the specifier is already right and nothing of the library is copied
 * into the bin. The entry (src/cli/index.ts → dist/cli.js, one level up) must import only ./ files.
 * test/package/bundle-budgets.test.ts checks every such import resolves to a file the tarball ships.
 */
function libraryImportsStayImports(): Rolldown.Plugin {
  return {
    name: "care-window:cli-imports-library",
    resolveId(id, importer) {
      if (importer === undefined || !importer.startsWith(CLI_DIR) || !id.startsWith("../")) {
        return null;
      }
      if (importer === CLI_ENTRY) {
        throw new Error(`src/cli/index.ts becomes dist/cli.js: import ${id} from a src/cli module`);
      }
      return { id, external: "absolute" };
    },
  };
}

export default defineConfig([
  {
    // One entry per subpath of package.json `exports` (issue 14): the zod-free root, the edges,
    // the timeline, the test kit and the adapters.
    entry: [
      "src/index.ts",
      "src/whatsapp.ts",
      "src/messenger.ts",
      "src/timeline.ts",
      "src/testing.ts",
      "src/postgres.ts",
      "src/dynamodb.ts",
      "src/redis.ts",
    ],
    unbundle: true,
    format: ["esm", "cjs"],
    platform: "neutral",
    target: "es2022",
    tsconfig: "tsconfig.build.json",
    dts: true,
    // No source maps: dist is unminified, one file per source module with the same names, so
    // stack traces already read like the source; maps would point at a src/ we no longer ship
    // (docs/upgrading.md, "What the package ships").
    sourcemap: false,
    clean: true,
    // TSDoc blocks are kept in the .d.ts/.d.cts (editors show them on hover) and left out of the
    // .js/.cjs, which nobody reads them from: four copies of every doc comment were the largest
    // share of the tarball (issue 14). Code is not minified; pure annotations and legal comments stay.
    outputOptions: { comments: DOC_COMMENTS_IN_TYPES_ONLY },
  },
  // The `care-window` CLI (bin), issue 14: its own modules only, unbundled ESM for Node, no
  // types. Every import that leaves src/cli/ stays an import of the library module the first
  // config already writes (dist/domain/errors.js, dist/service/createCareWindow.js, …), so the
  // bin reuses the package's own dist instead of carrying a second, minified copy of it. No file
  // is written by both configs: this one writes only dist/cli.js and dist/cli/*.js.
  {
    entry: ["src/cli/index.ts"],
    unbundle: true,
    root: "src",
    format: ["esm"],
    platform: "node",
    target: "node20",
    tsconfig: "tsconfig.build.json",
    dts: false,
    sourcemap: false,
    clean: false,
    // `bin` points at dist/cli.js (the package is `"type": "module"`, so .js is ESM); the other
    // CLI modules go to dist/cli/, one level down, like the library modules they import.
    outputOptions: {
      entryFileNames: (chunk) => (chunk.name === "cli/index" ? "cli.js" : "[name].js"),
      comments: DOC_COMMENTS_IN_TYPES_ONLY,
    },
    plugins: [libraryImportsStayImports()],
  },
]);
