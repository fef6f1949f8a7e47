// Next.js (app router) route handler on Vercel: save as app/api/whatsapp/route.ts.
// Recipe: docs/recipes/nextjs.md. Executed by test/runtime/examples.test.ts (Node) and
// test/runtime/edge-runtime.test.ts (Vercel's edge runtime) against the built package.
import { createCareWindow, createMemoryStore, InvalidInputError } from "care-window";
import { verifyChallenge, verifySignature } from "care-window/whatsapp";

// Route segment config: never cache; care-window runs on both "nodejs" and "edge".
export const dynamic = "force-dynamic";

// One service per server instance. The memory store is lost on every cold start and is not
// shared between instances, so it is for trying things out: in production swap in
// `createPostgresStore({ client })` from "care-window/postgres" over your Postgres (Vercel
// Postgres / Neon, ...); nothing else in this file changes.
const care = createCareWindow({ store: createMemoryStore() });

/** Meta's verification handshake: echo hub.challenge verbatim, or refuse. */
export async function GET(req: Request): Promise<Response> {
  const params = new URL(req.url).searchParams;
  const challenge = verifyChallenge(params, process.env.WHATSAPP_VERIFY_TOKEN ?? "");
  return challenge === null
    ? new Response("forbidden", { status: 403 })
    : new Response(challenge, { status: 200, headers: { "content-type": "text/plain" } });
}

/** A webhook delivery: check the signature over the raw body, then record it. */
export async function POST(req: Request): Promise<Response> {
  // Read the raw bytes; `await req.json()` would lose the exact bytes Meta signed.
  const raw = await req.arrayBuffer();
  const signature = req.headers.get("x-hub-signature-256");
  if (!(await verifySignature(raw, signature, process.env.WHATSAPP_APP_SECRET ?? ""))) {
    return new Response("bad signature", { status: 401 });
  }
  try {
    const result = await care.ingest(raw);
    for (const issue of result.issues) console.warn("webhook issue", issue.path, issue.message);
  } catch (error) {
    // Signed but not a JSON object: a retry cannot fix it.
    if (error instanceof InvalidInputError) return new Response(error.message, { status: 400 });
    throw error; // a store failure: Next answers 500 and Meta redelivers (replays change nothing)
  }
  return new Response("ok", { status: 200 });
}
