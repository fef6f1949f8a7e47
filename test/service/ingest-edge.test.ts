/**
 * Issue 14: `ingest` and the WhatsApp edge. The root service loads the parser (and zod) only on
 * the first `ingest`, or takes it as `options.webhooks`; `decide` with a Cloud API send body
 * classifies it on the root (TPL-9) without the parser. Checked on the built package too: a CJS
 * `require("care-window")` loads no zod module, and no static import of the root's ESM graph
 * reaches zod (only the dynamic `import()` of the parser does).
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { InvalidInputError } from "../../src/domain/errors.js";
import type { Thread } from "../../src/domain/types.js";
import { createCareWindow, type WebhookEdge } from "../../src/service/createCareWindow.js";
import { createMemoryStore } from "../../src/store/memory.js";
import { createClock } from "../../src/testing.js";
import { parseWebhook } from "../../src/whatsapp.js";
import { ensureBuilt, ROOT } from "../runtime/helpers.js";
import { BUSINESS, inboundBody } from "./fixtures.js";

const T = Date.parse("2026-11-26T09:00:00Z");
const thread: Thread = { business: BUSINESS, customer: "5511987654321" };

describe("ingest loads the WhatsApp edge (issue 14)", () => {
  it("without options.webhooks, ingest parses and records a webhook (CSW-1: the window opens)", async () => {
    const clock = createClock(T + 60_000);
    const care = createCareWindow({ store: createMemoryStore(), now: clock.now });
    const r = await care.ingest(inboundBody({ ts: T / 1000 }));
    expect(r.events.length).toBe(1);
    expect(r.recorded.changed).toBe(1);
    expect((await care.decide(thread, { kind: "free-form" })).outcome).toBe("session");
  });

  it("with options.webhooks, ingest calls that parser and no other", async () => {
    const calls: unknown[] = [];
    const edge: WebhookEdge = {
      parseWebhook(body, options) {
        calls.push(body);
        return parseWebhook(body, options);
      },
    };
    const care = createCareWindow({
      store: createMemoryStore(),
      now: createClock(T + 60_000).now,
      webhooks: edge,
    });
    const body = inboundBody({ ts: T / 1000 });
    await care.ingest(body);
    await care.ingest(body); // a replay changes nothing
    expect(calls).toEqual([body, body]);
    expect((await care.decide(thread, { kind: "free-form" })).outcome).toBe("session");
  });

  it("an options.webhooks without parseWebhook is an InvalidInputError naming options.webhooks", () => {
    for (const webhooks of [null, 42, {}, { parseWebhook: "yes" }]) {
      let error: unknown;
      try {
        createCareWindow({
          store: createMemoryStore(),
          webhooks: webhooks as unknown as WebhookEdge,
        });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(InvalidInputError);
      expect((error as InvalidInputError).field).toBe("options.webhooks");
    }
  });

  it("a body that is not JSON still rejects with the parser's typed error", async () => {
    const care = createCareWindow({ store: createMemoryStore() });
    await expect(care.ingest("{not json")).rejects.toBeInstanceOf(InvalidInputError);
    // and the next call still works (a failed call does not poison the loaded edge)
    const r = await care.ingest(inboundBody({ ts: T / 1000 }));
    expect(r.events.length).toBe(1);
  });

  it("decide classifies a Cloud API send body on the root (TPL-9)", async () => {
    const care = createCareWindow({
      store: createMemoryStore(),
      now: createClock(T + 60_000).now,
      requireOptIn: false,
    });
    await care.record([{ kind: "inbound", id: "wamid.A", type: "text", at: T, thread }]);
    const body = {
      messaging_product: "whatsapp",
      to: thread.customer,
      type: "text",
      text: { body: "Hi" },
    };
    expect((await care.decide(thread, body)).outcome).toBe("session");
    const template = {
      messaging_product: "whatsapp",
      to: thread.customer,
      type: "template",
      template: { name: "order_update", language: { code: "en" } },
    };
    expect((await care.decide(thread, template)).intent.kind).toBe("template");
  });
});

describe("the built root loads no zod (issue 14)", () => {
  beforeAll(async () => {
    await ensureBuilt();
  });

  it("require('care-window') (CJS) loads no module from node_modules/zod", () => {
    const script = `
      require(${JSON.stringify(join(ROOT, "dist/index.cjs"))});
      const zod = Object.keys(require.cache).filter((k) => k.includes("/node_modules/zod/"));
      const ours = Object.keys(require.cache).filter((k) => k.includes("/dist/"));
      console.log(JSON.stringify({ zod, ours: ours.length }));`;
    const r = spawnSync(process.execPath, ["-e", script], { encoding: "utf8" });
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { zod: string[]; ours: number };
    expect(out.ours).toBeGreaterThan(10); // the check sees the package's own modules
    expect(out.zod).toEqual([]);
    // The same check on the WhatsApp entry sees zod: it can fail.
    const edge = spawnSync(
      process.execPath,
      [
        "-e",
        `require(${JSON.stringify(join(ROOT, "dist/whatsapp.cjs"))}); console.log(Object.keys(require.cache).some((k) => k.includes("/node_modules/zod/")))`,
      ],
      { encoding: "utf8" },
    );
    expect(edge.stdout.trim()).toBe("true");
  });

  /** Static imports of an ESM file of dist/ (not `import()`), resolved to files or packages. */
  function staticGraph(entry: string): { files: Set<string>; packages: Set<string> } {
    const files = new Set<string>();
    const packages = new Set<string>();
    const visit = (file: string): void => {
      if (files.has(file)) return;
      files.add(file);
      const text = readFileSync(file, "utf8");
      for (const m of text.matchAll(
        /^\s*(?:import|export)\b[^'"]*?\bfrom\s*["']([^"']+)["']|^\s*import\s*["']([^"']+)["']/gm,
      )) {
        const spec = (m[1] ?? m[2]) as string;
        if (spec.startsWith(".")) visit(resolve(dirname(file), spec));
        else packages.add(spec);
      }
    };
    visit(entry);
    return { files, packages };
  }

  it("no static import of the root's ESM graph reaches zod; only the parser's dynamic import does", () => {
    const { files, packages } = staticGraph(join(ROOT, "dist/index.js"));
    const names = [...files].map((f) => relative(ROOT, f));
    expect(names).toContain("dist/service/createCareWindow.js");
    expect(names).toContain("dist/whatsapp/classify.js");
    expect(names.filter((n) => /whatsapp\/(parse|schemas)|messenger\//.test(n))).toEqual([]);
    expect([...packages].filter((p) => p === "zod" || p.startsWith("zod/"))).toEqual([]);
    // The walk can see zod where it is (the edge imports `zod/mini`, issue 14 item 3).
    const edge = staticGraph(join(ROOT, "dist/whatsapp.js"));
    expect([...edge.packages].some((p) => p === "zod" || p.startsWith("zod/"))).toBe(true);
    const service = readFileSync(join(ROOT, "dist/service/createCareWindow.js"), "utf8");
    expect(service).toMatch(/import\("\.\.\/whatsapp\/parse\.js"\)/);
    expect(existsSync(join(ROOT, "dist/whatsapp/parse.js"))).toBe(true);
  });
});
