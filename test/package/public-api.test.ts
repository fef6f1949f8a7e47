/**
 * Issue 14: the public API is small and deliberate. Every name each entry point exports (values
 * and types, read with the TypeScript checker from the entry files by scripts/public-api.ts) must
 * equal the reviewed snapshot test/package/public-api.json, and every export added or removed
 * since the last release (test/package/public-api.released.json) must be named in the
 * CHANGELOG's unreleased section.
 *
 * Adding or removing an export: write the CHANGELOG line (name it in backticks), then run
 * `npm run api:snapshot` and commit the snapshot with your change.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  diffApi,
  type PublicApi,
  RELEASED_PATH,
  readPublicApi,
  SNAPSHOT_PATH,
  unmentioned,
  unreleasedSection,
} from "../../scripts/public-api.js";
import { ROOT } from "../runtime/helpers.js";

const read = (path: string): PublicApi =>
  JSON.parse(readFileSync(join(ROOT, path), "utf8")) as PublicApi;

const current = readPublicApi();
const snapshot = read(SNAPSHOT_PATH);
const released = read(RELEASED_PATH);
const changelog = readFileSync(join(ROOT, "CHANGELOG.md"), "utf8");

describe("the public API (issue 14)", () => {
  it("equals the reviewed snapshot (test/package/public-api.json)", () => {
    const { added, removed } = diffApi(snapshot, current);
    const lines = [...added.map((x) => `  + ${x}`), ...removed.map((x) => `  - ${x}`)];
    expect(
      lines,
      `The exports changed:\n${lines.join("\n")}\nIf this is intended: name each in backticks in a CHANGELOG.md line under "## 0.2.0 (unreleased)", then run \`npm run api:snapshot\` and commit ${SNAPSHOT_PATH}.`,
    ).toEqual([]);
    // Kinds too: a const that became a type is a change for consumers.
    expect(current).toEqual(snapshot);
  });

  it("names every export added or removed since the last release in the CHANGELOG", () => {
    const section = unreleasedSection(changelog);
    expect(section, "CHANGELOG.md has no unreleased section").not.toBe("");
    const missing = unmentioned(diffApi(released, snapshot), section);
    expect(
      missing,
      `These exports were added or removed since the last release (${RELEASED_PATH}) but the CHANGELOG's unreleased section does not name them (in backticks, or by a \`*\` pattern such as \`*Schema\`):\n${missing.join("\n")}`,
    ).toEqual([]);
  });

  it("the root stays small: no zod schemas and no internals", () => {
    const root = (current["care-window"] ?? []).map((l) => l.slice(0, l.indexOf(":")));
    const forbidden = root.filter((n) =>
      /Schema$|^(DAY_MS|OUTBOUND_KEPT|eventState|startOfDayIn|monthIn|CONSENT_SOURCE_MAX|parseWebhook|verifySignature)$/.test(
        n,
      ),
    );
    expect(forbidden).toEqual([]);
    const runtime = (current["care-window"] ?? []).filter((l) => !/: (type|interface)$/.test(l));
    console.log(`care-window (root): ${runtime.length} runtime exports, ${root.length} in all`);
  });
});

describe("the guard can fail", () => {
  const prev: PublicApi = { "care-window": ["decide: function"] };
  const next: PublicApi = {
    "care-window": ["decide: function", "quietHours: function"],
    "care-window/whatsapp": ["TextMessageSchema: const"],
  };

  it("an added export is reported until the CHANGELOG names it", () => {
    const diff = diffApi(prev, next);
    expect(diff).toEqual({
      added: ["care-window quietHours", "care-window/whatsapp TextMessageSchema"],
      removed: [],
    });
    expect(unmentioned(diff, "## 0.2.0 (unreleased)\n- quietHours, unquoted")).toEqual(diff.added);
    expect(unmentioned(diff, "- `quietHours(options)` (OPEN-1)\n- schemas: `*Schema`")).toEqual([]);
  });

  it("a removed export is reported until the CHANGELOG names it", () => {
    const diff = diffApi(next, prev);
    expect(unmentioned(diff, "- nothing")).toEqual(diff.removed);
    expect(unmentioned(diff, "- removed `quietHours` and `TextMessageSchema`")).toEqual([]);
  });

  it("only the unreleased section counts", () => {
    const text =
      "# Changelog\n\n## 0.2.0 (unreleased)\n\n- `a`\n\n## [0.1.0] - 2026-11-26\n\n- `b`\n";
    expect(unreleasedSection(text)).toContain("`a`");
    expect(unreleasedSection(text)).not.toContain("`b`");
  });
});
