import { defineConfig } from "tsdown";

export default defineConfig([
  {
    entry: ["src/index.ts", "src/testing.ts", "src/postgres.ts", "src/dynamodb.ts", "src/redis.ts"],
    unbundle: true,
    format: ["esm", "cjs"],
    platform: "neutral",
    target: "es2022",
    tsconfig: "tsconfig.build.json",
    dts: true,
    sourcemap: true,
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
  },
]);
