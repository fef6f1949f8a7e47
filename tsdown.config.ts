import { defineConfig } from "tsdown";

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
  },
  // The `care-window` CLI (bin): one bundled ESM file for Node, no types.
  {
    entry: { cli: "src/cli/index.ts" },
    format: ["esm"],
    platform: "node",
    target: "node20",
    tsconfig: "tsconfig.build.json",
    dts: false,
    sourcemap: false,
    clean: false,
    // `bin` points at dist/cli.js (the package is `"type": "module"`, so .js is ESM).
    outExtensions: () => ({ js: ".js" }),
    minify: true,
    // One file: the parser `ingest` loads lazily is needed by every CLI run anyway.
    outputOptions: { codeSplitting: false },
  },
]);
