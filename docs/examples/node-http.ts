// node:http server: the WhatsApp webhook with the raw body kept for the signature check, and a
// /decide route. Recipe: docs/recipes/node-http.md. Exercised over loopback by
// test/runtime/node-http.test.ts. Start it with:
//   WHATSAPP_APP_SECRET=… WHATSAPP_VERIFY_TOKEN=… npx tsx docs/examples/node-http.ts
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { pathToFileURL } from "node:url";
import {
  type CareWindow,
  createCareWindow,
  createMemoryStore,
  type Intent,
  InvalidInputError,
  type TemplateCategory,
} from "care-window";
import { verifyChallenge, verifySignature } from "care-window/whatsapp";

/** What the webhook server needs. */
export interface WebhookServerOptions {
  readonly care: CareWindow;
  /** App Dashboard > Settings > Basic > App Secret. */
  readonly appSecret: string;
  /** The verify token typed in the App Dashboard's webhook settings. */
  readonly verifyToken: string;
  /** Webhook bodies can reach 3 MB; refuse anything larger. Default 4 MiB. */
  readonly maxBodyBytes?: number;
}

/** Reads the whole request body as raw bytes, without parsing or re-encoding it. */
async function readRawBody(req: IncomingMessage, limit: number): Promise<Uint8Array | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > limit) return null;
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

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

function send(res: ServerResponse, status: number, body: string, type = "text/plain"): void {
  res.writeHead(status, { "content-type": type, "content-length": Buffer.byteLength(body) });
  res.end(body);
}

/** The request handler: GET/POST /webhook and GET /decide. */
export function createWebhookHandler(
  options: WebhookServerOptions,
): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const { care, appSecret, verifyToken, maxBodyBytes = 4 * 1024 * 1024 } = options;
  return async (req, res) => {
    const url = new URL(req.url ?? "/", "http://localhost");

    if (url.pathname === "/webhook" && req.method === "GET") {
      // Meta's verification handshake: echo hub.challenge verbatim, or refuse.
      const challenge = verifyChallenge(url.searchParams, verifyToken);
      return challenge === null ? send(res, 403, "forbidden") : send(res, 200, challenge);
    }

    if (url.pathname === "/webhook" && req.method === "POST") {
      // No JSON body parser runs before this: the signature is over the bytes as received.
      const raw = await readRawBody(req, maxBodyBytes);
      if (raw === null) return send(res, 413, "body too large");
      const signature = req.headers["x-hub-signature-256"]; // string | string[] | undefined
      if (typeof signature !== "string" || !(await verifySignature(raw, signature, appSecret))) {
        return send(res, 401, "bad signature");
      }
      try {
        const result = await care.ingest(raw);
        for (const issue of result.issues) console.warn("webhook issue", issue.path, issue.message);
        return send(res, 200, "ok");
      } catch (error) {
        // Signed but not a JSON object: a retry cannot fix it.
        if (error instanceof InvalidInputError) return send(res, 400, error.message);
        throw error; // a store failure: 500 below, so Meta redelivers (replays change nothing)
      }
    }

    if (url.pathname === "/decide" && req.method === "GET") {
      // GET /decide?business=<phone_number_id>&customer=<wa_id>[&template=<name>&category=<c>]
      const thread = {
        business: url.searchParams.get("business") ?? "",
        customer: url.searchParams.get("customer") ?? "",
      };
      try {
        const decision = await care.decide(thread, intentFrom(url.searchParams));
        return send(res, 200, JSON.stringify(decision), "application/json");
      } catch (error) {
        if (error instanceof InvalidInputError) {
          const body = JSON.stringify({ error: error.message, field: error.field });
          return send(res, 400, body, "application/json");
        }
        throw error;
      }
    }

    send(res, 404, "not found");
  };
}

/** A `node:http` server around {@link createWebhookHandler}; unexpected errors answer 500. */
export function createWebhookServer(options: WebhookServerOptions): Server {
  const handle = createWebhookHandler(options);
  return createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      console.error(error);
      if (!res.headersSent) send(res, 500, "internal error");
      else res.end();
    });
  });
}

// Run directly: listen on $PORT (0 picks a free port) on loopback.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const server = createWebhookServer({
    // The memory store forgets everything on restart; in production swap in
    // `createPostgresStore({ client: pool })` from "care-window/postgres" (after `migrate(pool)`).
    care: createCareWindow({ store: createMemoryStore() }),
    appSecret: process.env.WHATSAPP_APP_SECRET ?? "",
    verifyToken: process.env.WHATSAPP_VERIFY_TOKEN ?? "",
  });
  server.listen(Number(process.env.PORT ?? 3000), "127.0.0.1", () => {
    const address = server.address();
    const port = typeof address === "object" && address !== null ? address.port : 0;
    console.log(`listening on http://127.0.0.1:${port}`);
  });
}
