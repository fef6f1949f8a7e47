// Cloudflare Worker: the WhatsApp webhook (GET handshake + signed POST) and a /decide route.
// Recipe: docs/recipes/cloudflare-worker.md. Run by test/runtime/workerd.test.ts inside workerd.
import {
  createCareWindow,
  createMemoryStore,
  type Intent,
  InvalidInputError,
  type TemplateCategory,
} from "care-window";
import { verifyChallenge, verifySignature } from "care-window/whatsapp";

/** The Worker's bindings (wrangler.toml `[vars]` / `wrangler secret put`). */
export interface Env {
  /** App Dashboard > Settings > Basic > App Secret: the HMAC key of `X-Hub-Signature-256`. */
  readonly WHATSAPP_APP_SECRET: string;
  /** The token you typed in the App Dashboard's webhook settings. */
  readonly WHATSAPP_VERIFY_TOKEN: string;
}

// One service per isolate. The memory store lives only as long as the isolate does (and each
// location has its own), so it is for trying things out. In production swap in
// `createPostgresStore({ client })` from "care-window/postgres" over a serverless Postgres
// driver (Hyperdrive, Neon, ...); nothing else in this file changes.
const care = createCareWindow({ store: createMemoryStore() });

const CATEGORIES: readonly string[] = ["marketing", "utility", "authentication"];

/** `?template=order_update&category=utility` → a template intent; no `template` → free-form. */
function intentFrom(params: URLSearchParams): Intent {
  const name = params.get("template");
  if (name === null) return { kind: "free-form" };
  const category = params.get("category") ?? "unknown";
  return {
    kind: "template",
    name,
    category: CATEGORIES.includes(category) ? (category as TemplateCategory) : "unknown",
  };
}

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const url = new URL(request.url);

    if (url.pathname === "/webhook" && request.method === "GET") {
      // Meta's verification handshake: echo hub.challenge verbatim, or refuse.
      const challenge = verifyChallenge(url.searchParams, env.WHATSAPP_VERIFY_TOKEN);
      return challenge === null
        ? new Response("forbidden", { status: 403 })
        : new Response(challenge, { status: 200, headers: { "content-type": "text/plain" } });
    }

    if (url.pathname === "/webhook" && request.method === "POST") {
      // Keep the raw bytes: the signature is over them, not over re-serialised JSON.
      const raw = await request.arrayBuffer();
      const signature = request.headers.get("x-hub-signature-256");
      if (!(await verifySignature(raw, signature, env.WHATSAPP_APP_SECRET))) {
        return new Response("bad signature", { status: 401 });
      }
      try {
        const result = await care.ingest(raw);
        for (const issue of result.issues) console.warn("webhook issue", issue.path, issue.message);
      } catch (error) {
        // Signed but not a JSON object: a retry cannot fix it.
        if (error instanceof InvalidInputError) return new Response(error.message, { status: 400 });
        throw error; // a store failure: answer 500 so Meta redelivers (replays change nothing)
      }
      return new Response("ok", { status: 200 });
    }

    if (url.pathname === "/decide" && request.method === "GET") {
      // GET /decide?business=<phone_number_id>&customer=<wa_id>[&template=<name>&category=<c>]
      const thread = {
        business: url.searchParams.get("business") ?? "",
        customer: url.searchParams.get("customer") ?? "",
      };
      try {
        return Response.json(await care.decide(thread, intentFrom(url.searchParams)));
      } catch (error) {
        if (error instanceof InvalidInputError) {
          return Response.json({ error: error.message, field: error.field }, { status: 400 });
        }
        throw error;
      }
    }

    return new Response("not found", { status: 404 });
  },
};
