/**
 * Proof in Vercel's edge runtime (the `edge-runtime` package: a V8 context with only Web APIs):
 * the Cloudflare Worker example and the Next.js route handler, bundled against the BUILT
 * package, served over HTTP by `runServer`, receive webhooks signed with node:crypto.
 */
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { EdgeRuntime, runServer } from "edge-runtime";

type EdgeRuntimeServer = Awaited<ReturnType<typeof runServer>>;

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

let dir: string;
let worker: EdgeRuntimeServer;
let next: EdgeRuntimeServer;

/** Bundles an entry that registers a `fetch` listener, as edge-runtime scripts do. */
async function serve(name: string, entrySource: string): Promise<EdgeRuntimeServer> {
  const entry = join(dir, `${name}-entry.ts`);
  writeFileSync(entry, entrySource);
  const script = await bundle({
    dir,
    entry,
    outfile: join(dir, `${name}.js`),
    format: "iife",
    platform: "browser",
  });
  const runtime = new EdgeRuntime({
    initialCode: readFileSync(script, "utf8"),
    // Vercel's edge runtime exposes `process.env` (and nothing else of `process`).
    extend: (context) =>
      Object.assign(context, {
        process: {
          env: { WHATSAPP_APP_SECRET: APP_SECRET, WHATSAPP_VERIFY_TOKEN: VERIFY_TOKEN },
        },
      }),
  });
  return runServer({ runtime, host: "127.0.0.1", port: 0 });
}

beforeAll(async () => {
  await ensureBuilt();
  dir = consumerDir("edge");
  const examples = join(ROOT, "docs/examples").replace(/\\/g, "/");
  worker = await serve(
    "worker",
    `import worker from "${examples}/cloudflare-worker.ts";
const env = { WHATSAPP_APP_SECRET: ${JSON.stringify(APP_SECRET)}, WHATSAPP_VERIFY_TOKEN: ${JSON.stringify(VERIFY_TOKEN)} };
addEventListener("fetch", (event) => event.respondWith(worker.fetch(event.request, env)));
`,
  );
  next = await serve(
    "next",
    `import { GET, POST } from "${examples}/nextjs-route.ts";
addEventListener("fetch", (event) =>
  event.respondWith(event.request.method === "GET" ? GET(event.request) : POST(event.request)));
`,
  );
});

afterAll(async () => {
  await worker?.close();
  await next?.close();
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

describe("edge-runtime (built package)", () => {
  it("evaluates in a context without Node globals", () => {
    const runtime = new EdgeRuntime();
    expect(runtime.evaluate("typeof process + '|' + typeof require + '|' + EdgeRuntime")).toBe(
      "undefined|undefined|edge-runtime",
    );
  });

  it("Worker: CSW-1 signed webhook → 200, then /decide says session until T+24h (CSW-2)", async () => {
    const sent = Math.floor(Date.now() / 1000) - 120;
    const body = inboundTextBody({ wamid: wamid(), timestamp: sent });
    const post = await fetch(`${worker.url}webhook`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-hub-signature-256": sign(body) },
      body,
    });
    expect(post.status).toBe(200);
    const res = await fetch(`${worker.url}decide?business=${BUSINESS}&customer=${CUSTOMER}`);
    expect(res.status).toBe(200);
    const decision = (await res.json()) as DecisionJson;
    expect(decision.outcome).toBe("session");
    expect(decision.window.closesAt).toBe(new Date((sent + 86_400) * 1000).toISOString());
    // The JSON carries the explanation and the rules that decided, with their sources.
    expect(decision.explanation).toEqual(expect.any(String));
    expect(decision.rules.map((r) => r.id)).toEqual(expect.arrayContaining(["CSW-1", "CSW-2"]));
  });

  it("Worker: bad signature → 401; handshake echoes the challenge", async () => {
    const body = inboundTextBody({ wamid: wamid(), timestamp: 1_763_990_000 });
    const post = await fetch(`${worker.url}webhook`, {
      method: "POST",
      headers: { "x-hub-signature-256": sign(`${body} `) },
      body,
    });
    expect(post.status).toBe(401);
    const get = await fetch(
      `${worker.url}webhook?hub.mode=subscribe&hub.verify_token=${VERIFY_TOKEN}&hub.challenge=42`,
    );
    expect(await get.text()).toBe("42");
  });

  it("Next.js route: handshake, signed POST, bad signature, signed non-JSON", async () => {
    const ok = await fetch(
      `${next.url}?hub.mode=subscribe&hub.verify_token=${VERIFY_TOKEN}&hub.challenge=1158201444`,
    );
    expect([ok.status, await ok.text()]).toEqual([200, "1158201444"]);
    const forbidden = await fetch(
      `${next.url}?hub.mode=subscribe&hub.verify_token=x&hub.challenge=1`,
    );
    expect(forbidden.status).toBe(403);

    const body = inboundTextBody({ wamid: wamid(), timestamp: Math.floor(Date.now() / 1000) });
    const signed = await fetch(next.url, {
      method: "POST",
      headers: { "x-hub-signature-256": sign(body) },
      body,
    });
    expect(signed.status).toBe(200);
    const unsigned = await fetch(next.url, { method: "POST", body });
    expect(unsigned.status).toBe(401);
    const garbage = "not json";
    const bad = await fetch(next.url, {
      method: "POST",
      headers: { "x-hub-signature-256": sign(garbage) },
      body: garbage,
    });
    expect(bad.status).toBe(400);
  });
});
