/**
 * docs/examples/node-http.ts end to end over loopback: started as its own process with tsx
 * (so `care-window` resolves by package self-reference through `exports` to the BUILT dist/),
 * it answers the GET handshake, accepts a correctly signed webhook, refuses a bad signature,
 * and answers GET /decide with the decision.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  APP_SECRET,
  BUSINESS,
  CUSTOMER,
  type DecisionJson,
  ensureBuilt,
  inboundTextBody,
  ROOT,
  sign,
  VERIFY_TOKEN,
  wamid,
} from "./helpers.js";

let child: ChildProcess;
let base: string;
let output = "";

beforeAll(async () => {
  await ensureBuilt();
  child = spawn(process.execPath, ["--import", "tsx", join(ROOT, "docs/examples/node-http.ts")], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: "0",
      WHATSAPP_APP_SECRET: APP_SECRET,
      WHATSAPP_VERIFY_TOKEN: VERIFY_TOKEN,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  base = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (m !== null) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${output}`));
    });
  });
});

afterAll(() => {
  child?.kill("SIGTERM");
});

describe("node:http example over loopback (built package)", () => {
  it("GET handshake: the challenge verbatim with the right token, 403 otherwise", async () => {
    const ok = await fetch(
      `${base}/webhook?hub.mode=subscribe&hub.verify_token=${VERIFY_TOKEN}&hub.challenge=0001158201444`,
    );
    expect([ok.status, await ok.text()]).toEqual([200, "0001158201444"]);
    const bad = await fetch(
      `${base}/webhook?hub.mode=subscribe&hub.verify_token=nope&hub.challenge=1`,
    );
    expect(bad.status).toBe(403);
  });

  it("CSW-1: a correctly signed webhook → 200, and /decide answers session until T+24h", async () => {
    const sent = Math.floor(Date.now() / 1000) - 30;
    const body = inboundTextBody({ wamid: wamid(), timestamp: sent });
    const post = await fetch(`${base}/webhook`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-hub-signature-256": sign(body) },
      body,
    });
    expect(post.status).toBe(200);
    const res = await fetch(`${base}/decide?business=${BUSINESS}&customer=${CUSTOMER}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/json");
    const decision = (await res.json()) as DecisionJson;
    expect(decision.outcome).toBe("session");
    expect(decision.reason).toBe("window-open");
    expect(decision.window.closesAt).toBe(new Date((sent + 86_400) * 1000).toISOString());
    // The JSON carries the explanation and the rules that decided, with their sources.
    expect(decision.explanation).toEqual(expect.any(String));
    expect(decision.rules.map((r) => r.id)).toEqual(expect.arrayContaining(["CSW-1", "CSW-2"]));
  });

  it("a bad signature → 401 and nothing is recorded", async () => {
    const customer = "5511900000002";
    const body = inboundTextBody({
      wamid: wamid(),
      timestamp: Math.floor(Date.now() / 1000),
      customer,
    });
    const post = await fetch(`${base}/webhook`, {
      method: "POST",
      headers: { "x-hub-signature-256": sign(body, "wrong-secret") },
      body,
    });
    expect(post.status).toBe(401);
    const missing = await fetch(`${base}/webhook`, { method: "POST", body });
    expect(missing.status).toBe(401);
    const res = await fetch(`${base}/decide?business=${BUSINESS}&customer=${customer}`);
    const decision = (await res.json()) as DecisionJson;
    expect(decision.window).toMatchObject({ open: false, closesAt: null });
  });

  it("a template intent on /decide, 400 naming the field, 404 elsewhere", async () => {
    const res = await fetch(
      `${base}/decide?business=${BUSINESS}&customer=${CUSTOMER}&template=order_update&category=utility`,
    );
    expect(res.status).toBe(200);
    const decision = (await res.json()) as DecisionJson & { intent: { kind: string } };
    expect(decision.intent.kind).toBe("template");
    const bad = await fetch(`${base}/decide?customer=${CUSTOMER}`);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { field?: string }).field).toMatch(/business/);
    expect((await fetch(`${base}/elsewhere`)).status).toBe(404);
  });
});
