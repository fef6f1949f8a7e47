/**
 * Proof in workerd (Cloudflare's runtime, via miniflare): docs/examples/cloudflare-worker.ts,
 * bundled against the BUILT package (dist/ through package.json `exports`), receives a webhook
 * signed with node:crypto, verifies it over the raw bytes, ingests it into a memory store and
 * answers GET /decide with the decision (CSW-1, CSW-2).
 */
import { rmSync } from "node:fs";
import { join } from "node:path";
import { Miniflare } from "miniflare";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  APP_SECRET,
  BUSINESS,
  bundle,
  CUSTOMER,
  consumerDir,
  type DecisionJson,
  ensureBuilt,
  inboundTextBody,
  ROOT,
  sign,
  VERIFY_TOKEN,
  wamid,
} from "./helpers.js";

let mf: Miniflare;
let dir: string;

beforeAll(async () => {
  await ensureBuilt();
  dir = consumerDir("workerd");
  const script = await bundle({
    dir,
    entry: join(ROOT, "docs/examples/cloudflare-worker.ts"),
    outfile: join(dir, "worker.js"),
    format: "esm",
    platform: "neutral",
  });
  mf = new Miniflare({
    modules: true,
    scriptPath: script,
    compatibilityDate: "2025-09-01",
    bindings: { WHATSAPP_APP_SECRET: APP_SECRET, WHATSAPP_VERIFY_TOKEN: VERIFY_TOKEN },
  });
  await mf.ready;
});

afterAll(async () => {
  await mf?.dispose();
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

const url = (path: string) => `http://worker.test${path}`;

describe("Cloudflare Worker in workerd (built package)", () => {
  it("runs in workerd, not Node: no `process` global", async () => {
    // The Worker has no route for this; the probe is evaluated inside workerd itself.
    const probe = new Miniflare({
      modules: true,
      compatibilityDate: "2025-09-01",
      script:
        'export default { fetch: () => new Response(String(typeof process) + "|" + navigator.userAgent) }',
    });
    try {
      const res = await probe.dispatchFetch(url("/"));
      expect(await res.text()).toBe("undefined|Cloudflare-Workers");
    } finally {
      await probe.dispose();
    }
  });

  it("answers the GET verification handshake with the challenge verbatim, and 403 otherwise", async () => {
    const ok = await mf.dispatchFetch(
      url(
        `/webhook?hub.mode=subscribe&hub.verify_token=${VERIFY_TOKEN}&hub.challenge=0001158201444`,
      ),
    );
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe("0001158201444");
    const bad = await mf.dispatchFetch(
      url("/webhook?hub.mode=subscribe&hub.verify_token=wrong&hub.challenge=1"),
    );
    expect(bad.status).toBe(403);
  });

  it("CSW-1: a signed webhook is verified over the raw bytes, ingested, and /decide says session", async () => {
    const sent = Math.floor(Date.now() / 1000) - 60;
    const body = inboundTextBody({ wamid: wamid(), timestamp: sent });
    // The raw body differs from its re-serialised form, so a handler that re-serialised it fails.
    expect(JSON.stringify(JSON.parse(body))).not.toBe(body);

    const before = await mf.dispatchFetch(url(`/decide?business=${BUSINESS}&customer=${CUSTOMER}`));
    const unknown = (await before.json()) as DecisionJson;
    expect(unknown.outcome).not.toBe("session");
    expect(unknown.window).toMatchObject({ open: false, closesAt: null });

    const post = await mf.dispatchFetch(url("/webhook"), {
      method: "POST",
      headers: { "content-type": "application/json", "x-hub-signature-256": sign(body) },
      body,
    });
    expect(post.status).toBe(200);

    const res = await mf.dispatchFetch(url(`/decide?business=${BUSINESS}&customer=${CUSTOMER}`));
    expect(res.status).toBe(200);
    const decision = (await res.json()) as DecisionJson;
    expect(decision.outcome).toBe("session");
    expect(decision.reason).toBe("window-open");
    expect(decision.window.open).toBe(true);
    // CSW-2: the window closes exactly 24 h after the provider's timestamp.
    expect(decision.window.closesAt).toBe(new Date((sent + 86_400) * 1000).toISOString());
    // The JSON carries the explanation and the rules that decided, with their sources.
    expect(decision.explanation).toEqual(expect.any(String));
    expect(decision.rules.map((r) => r.id)).toEqual(expect.arrayContaining(["CSW-1", "CSW-2"]));
    expect(decision.pricing).toMatchObject({ charge: "free", category: "service" });
  });

  it("refuses a bad signature with 401 and records nothing", async () => {
    const customer = "5511900000001";
    const body = inboundTextBody({
      wamid: wamid(),
      timestamp: Math.floor(Date.now() / 1000) - 60,
      customer,
    });
    const post = await mf.dispatchFetch(url("/webhook"), {
      method: "POST",
      headers: { "x-hub-signature-256": sign(body, "not-the-app-secret") },
      body,
    });
    expect(post.status).toBe(401);
    const res = await mf.dispatchFetch(url(`/decide?business=${BUSINESS}&customer=${customer}`));
    const decision = (await res.json()) as DecisionJson;
    // Never written: no window at all (a free-form send is not allowed).
    expect(decision.outcome).not.toBe("session");
    expect(decision.window).toMatchObject({ open: false, closesAt: null });
  });

  it("answers 400 naming the field for a /decide without a customer", async () => {
    const res = await mf.dispatchFetch(url(`/decide?business=${BUSINESS}`));
    expect(res.status).toBe(400);
    const body = (await res.json()) as { field?: string };
    expect(body.field).toMatch(/customer/);
  });
});
