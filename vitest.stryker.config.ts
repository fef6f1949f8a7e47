import { defineConfig } from "vitest/config";

// The hermetic core suites, the Messenger / Instagram decisions and the timeline (the window
// evaluator's other reader) (no child processes, no databases, no type checks), for
// mutation testing with `npm run mutate`.
export default defineConfig({
  test: {
    include: [
      "test/core/**/*.test.ts",
      "test/messenger/decide.test.ts",
      "test/messenger/policy.test.ts",
      "test/timeline/timeline.test.ts",
    ],
    exclude: ["test/core/tz.test.ts", "test/core/no-zod.test.ts", "test/core/purity.test.ts"],
    env: { CARE_WINDOW_PROP_RUNS: "100" },
  },
});
