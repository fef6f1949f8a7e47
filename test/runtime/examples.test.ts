/**
 * The AWS Lambda and Next.js recipes executed on Node against the BUILT package: each example
 * is transpiled with its imports left alone, placed in a folder whose
 * `node_modules/care-window` links to this repository, and imported, so `care-window`
 * resolves through package.json `exports` to dist/index.js as it would for a user.
 */
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type * as Lambda from "../../docs/examples/aws-lambda.js";
import type * as Next from "../../docs/examples/nextjs-route.js";
import {
  APP_SECRET,
  bundle,
  consumerDir,
  ensureBuilt,
  inboundTextBody,
  ROOT,
  sign,
  VERIFY_TOKEN,
  wamid,
} from "./helpers.js";

let dir: string;
let lambda: typeof Lambda;
let next: typeof Next;
const saved = { ...process.env };

async function load<T>(name: string): Promise<T> {
  const out = await bundle({
    dir,
    entry: join(ROOT, `docs/examples/${name}.ts`),
    outfile: join(dir, `${name}.mjs`),
    format: "esm",
    platform: "node",
    external: true,
  });
  return (await import(/* @vite-ignore */ pathToFileURL(out).href)) as T;
}

beforeAll(async () => {
  await ensureBuilt();
  dir = consumerDir("examples");
  process.env["WHATSAPP_APP_SECRET"] = APP_SECRET;
  process.env["WHATSAPP_VERIFY_TOKEN"] = VERIFY_TOKEN;
  lambda = await load("aws-lambda");
  next = await load("nextjs-route");
});

afterAll(() => {
  process.env = saved;
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

const lambdaEvent = (
  method: string,
  init: Partial<Omit<Lambda.HttpEvent, "requestContext">> = {},
): Lambda.HttpEvent => ({
  headers: {},
  isBase64Encoded: false,
  requestContext: { http: { method } },
  ...init,
});

describe("resolution", () => {
  it("`care-window` resolves through package.json exports to the built dist/", async () => {
    writeFileSync(
      join(dir, "resolve.mjs"),
      'export const esm = import.meta.resolve("care-window");\n' +
        'import { createRequire } from "node:module";\n' +
        'export const cjs = createRequire(import.meta.url).resolve("care-window/testing");\n',
    );
    const { esm, cjs } = (await import(
      /* @vite-ignore */ pathToFileURL(join(dir, "resolve.mjs")).href
    )) as { esm: string; cjs: string };
    expect(esm).toBe(pathToFileURL(join(ROOT, "dist/index.js")).href);
    expect(cjs).toBe(join(ROOT, "dist/testing.cjs"));
  });
});

describe("AWS Lambda handler (docs/examples/aws-lambda.ts)", () => {
  it("answers the handshake with the challenge, 403 for a wrong token", async () => {
    const ok = await lambda.handler(
      lambdaEvent("GET", {
        queryStringParameters: {
          "hub.mode": "subscribe",
          "hub.verify_token": VERIFY_TOKEN,
          "hub.challenge": "0042",
        },
      }),
    );
    expect(ok).toMatchObject({ statusCode: 200, body: "0042" });
    const bad = await lambda.handler(
      lambdaEvent("GET", {
        queryStringParameters: {
          "hub.mode": "subscribe",
          "hub.verify_token": "no",
          "hub.challenge": "1",
        },
      }),
    );
    expect(bad.statusCode).toBe(403);
  });

  it("verifies a base64 body (API Gateway v2 binary) over the decoded raw bytes", async () => {
    const body = inboundTextBody({ wamid: wamid(), timestamp: Math.floor(Date.now() / 1000) });
    const ok = await lambda.handler(
      lambdaEvent("POST", {
        headers: { "x-hub-signature-256": sign(body) },
        body: Buffer.from(body).toString("base64"),
        isBase64Encoded: true,
      }),
    );
    expect(ok.statusCode).toBe(200);
    const text = await lambda.handler(
      lambdaEvent("POST", { headers: { "x-hub-signature-256": sign(body) }, body }),
    );
    expect(text.statusCode).toBe(200);
  });

  it("refuses a wrong or missing signature with 401, and non-POST with 405", async () => {
    const body = inboundTextBody({ wamid: wamid(), timestamp: Math.floor(Date.now() / 1000) });
    const wrong = await lambda.handler(
      lambdaEvent("POST", { headers: { "x-hub-signature-256": sign(body, "other") }, body }),
    );
    expect(wrong.statusCode).toBe(401);
    expect((await lambda.handler(lambdaEvent("POST", { body }))).statusCode).toBe(401);
    expect((await lambda.handler(lambdaEvent("PUT"))).statusCode).toBe(405);
  });
});

describe("Next.js route handler on Node (docs/examples/nextjs-route.ts)", () => {
  it("GET handshake and POST with the raw body", async () => {
    const get = await next.GET(
      new Request(
        `https://shop.example/api/whatsapp?hub.mode=subscribe&hub.verify_token=${VERIFY_TOKEN}&hub.challenge=77`,
      ),
    );
    expect([get.status, await get.text()]).toEqual([200, "77"]);
    const body = inboundTextBody({ wamid: wamid(), timestamp: Math.floor(Date.now() / 1000) });
    const post = await next.POST(
      new Request("https://shop.example/api/whatsapp", {
        method: "POST",
        headers: { "x-hub-signature-256": sign(body) },
        body,
      }),
    );
    expect(post.status).toBe(200);
    const reserialised = JSON.stringify(JSON.parse(body));
    const tampered = await next.POST(
      new Request("https://shop.example/api/whatsapp", {
        method: "POST",
        headers: { "x-hub-signature-256": sign(body) },
        body: reserialised,
      }),
    );
    // A body that was parsed and re-serialised no longer matches Meta's signature.
    expect(tampered.status).toBe(401);
    expect(next.dynamic).toBe("force-dynamic");
  });
});
