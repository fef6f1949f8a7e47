/**
 * docs/api.md lists the public API per entry point (issue 14). It is generated from typedoc's
 * model of the entry files by scripts/gen-api-doc.ts; this test fails when the committed page
 * is stale (run `npm run docs:api`), and checks that it lists exactly the names of the public
 * API snapshot.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { API_DOC_PATH, renderApiDoc } from "../../scripts/gen-api-doc.js";
import { readPublicApi } from "../../scripts/public-api.js";
import { ROOT } from "../runtime/helpers.js";

let generated: string;

beforeAll(async () => {
  generated = await renderApiDoc();
}, 180_000);

describe(API_DOC_PATH, () => {
  it("is current (npm run docs:api)", () => {
    expect(readFileSync(join(ROOT, API_DOC_PATH), "utf8")).toBe(generated);
  });

  it("lists every export of every entry point, and nothing else", () => {
    const api = readPublicApi();
    for (const [spec, lines] of Object.entries(api)) {
      const start = generated.indexOf(`## \`${spec}\`\n`);
      expect(start, `${spec} has a section`).toBeGreaterThanOrEqual(0);
      const end = generated.indexOf("\n## ", start + 1);
      const section = generated.slice(start, end < 0 ? undefined : end);
      const listed = [...section.matchAll(/^\| `([^`]+)` \|/gm)].map((m) => m[1]).sort();
      const names = lines.map((l) => l.slice(0, l.indexOf(":"))).sort();
      expect(listed, spec).toEqual(names);
    }
  });
});
