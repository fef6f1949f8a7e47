import { defineConfig } from "vitest/config";

// The suites that exercise the mutated files (the rule table, the window evaluator, pricing and
// the charge tables): the hermetic core suites, the Messenger / Instagram decisions and the
// timeline (the window evaluator's other reader). No child processes, no databases, no type
// checks, no suites that never reach these modules (fold-only properties, file scans, policy
// data), for mutation testing with `npm run mutate`.
export default defineConfig({
  test: {
    include: [
      "test/core/**/*.test.ts",
      "test/window/**/*.test.ts",
      "test/messenger/decide.test.ts",
      "test/timeline/timeline.test.ts",
    ],
    exclude: [
      "test/core/tz.test.ts",
      "test/core/no-zod.test.ts",
      "test/core/purity.test.ts",
      "test/core/import-cycles.test.ts",
      "test/core/fold.prop.test.ts",
    ],
    env: { CARE_WINDOW_PROP_RUNS: "50" },
    // Instrumented code on a shared 2-core machine: a property test must not time out (a
    // vitest timeout would count as a killed mutant).
    testTimeout: 30_000,
  },
});
