// AWS Lambda behind an API Gateway HTTP API (payload format 2.0) or a Lambda function URL: the
// WhatsApp webhook. Recipe: docs/recipes/aws-lambda.md. Executed by
// test/runtime/examples.test.ts against the built package.
import { createCareWindow, createMemoryStore, InvalidInputError } from "care-window";
import { parseWebhook, verifyChallenge, verifySignature } from "care-window/whatsapp";

/**
 * The fields of an API Gateway v2 / function URL event this handler reads. With
 * `@types/aws-lambda` installed, use its `APIGatewayProxyEventV2` instead: it has these fields.
 */
export interface HttpEvent {
  readonly headers: Readonly<Record<string, string | undefined>>;
  readonly queryStringParameters?: Readonly<Record<string, string | undefined>>;
  /** The body as text, or base64 when `isBase64Encoded` (binary or non-text content types). */
  readonly body?: string;
  readonly isBase64Encoded: boolean;
  readonly requestContext: { readonly http: { readonly method: string } };
}

/** The response shape (`APIGatewayProxyStructuredResultV2`). */
export interface HttpResult {
  readonly statusCode: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body: string;
}

// Created once per execution environment and reused by warm invocations. The memory store is
// lost whenever Lambda starts a new environment, so it is for trying things out: in production
// swap in `createPostgresStore({ client: pool })` from "care-window/postgres" (RDS, Aurora,
// Neon, ...); nothing else in this file changes. This function exists to ingest webhooks, so it
// hands the parser over up front (`webhooks`): it loads in Lambda's init phase instead of on the
// first `ingest` (which would load it by itself otherwise).
const care = createCareWindow({ store: createMemoryStore(), webhooks: { parseWebhook } });

const text = (statusCode: number, body: string): HttpResult => ({
  statusCode,
  headers: { "content-type": "text/plain" },
  body,
});

/** The Lambda handler (`handler` in the function's configuration). */
export async function handler(event: HttpEvent): Promise<HttpResult> {
  const method = event.requestContext.http.method;

  if (method === "GET") {
    // Meta's verification handshake: echo hub.challenge verbatim, or refuse.
    const query = event.queryStringParameters ?? {};
    const challenge = verifyChallenge(query, process.env.WHATSAPP_VERIFY_TOKEN ?? "");
    return challenge === null ? text(403, "forbidden") : text(200, challenge);
  }
  if (method !== "POST") return text(405, "method not allowed");

  // The exact bytes Meta signed: API Gateway hands them over as text or as base64.
  const raw = Buffer.from(event.body ?? "", event.isBase64Encoded ? "base64" : "utf8");
  // Payload 2.0 lower-cases header names.
  const signature = event.headers["x-hub-signature-256"];
  if (!(await verifySignature(raw, signature, process.env.WHATSAPP_APP_SECRET ?? ""))) {
    return text(401, "bad signature");
  }
  try {
    // Recording is one compare-and-set per thread: answer within Meta's timeout, no queue needed.
    const result = await care.ingest(raw);
    for (const issue of result.issues) console.warn("webhook issue", issue.path, issue.message);
  } catch (error) {
    // Signed but not a JSON object: a retry cannot fix it.
    if (error instanceof InvalidInputError) return text(400, error.message);
    throw error; // a store failure: Lambda answers 500 and Meta redelivers (replays change nothing)
  }
  return text(200, "ok");
}
