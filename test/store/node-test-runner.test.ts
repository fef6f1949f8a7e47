/** The contract suite is framework-agnostic: it also runs under node:test. */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

describe("runStoreContract under node:test", () => {
  it("runs and passes with node:test's describe/it", async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ["--import", "tsx", "--test", "--test-reporter=tap", "test/store/fixtures/contract.node.ts"],
      { cwd: new URL("../..", import.meta.url).pathname },
    );
    expect(stdout).toMatch(/# pass (\d+)/);
    expect(Number(/# pass (\d+)/.exec(stdout)?.[1])).toBeGreaterThanOrEqual(20);
    expect(stdout).toMatch(/# fail 0/);
  });
});
