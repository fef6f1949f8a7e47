/**
 * `care-window/whatsapp`: the WhatsApp Cloud API edge — webhook parsing (`parseWebhook`),
 * signature checks (`verifySignature`, `verifyChallenge`, `signBody`), send-body classification
 * (`classifySend`, `intentFromSend`) and the zod schemas behind them. zod loads here, and only
 * here and in `care-window/messenger`.
 *
 * `care.ingest(body)` loads this module's parser on first use; pass `{ parseWebhook }` as
 * `createCareWindow({ webhooks })` to load it with your handler instead.
 *
 * @example
 * ```ts
 * import { createCareWindow, createMemoryStore } from "care-window";
 * import { parseWebhook, verifySignature } from "care-window/whatsapp";
 *
 * const care = createCareWindow({ store: createMemoryStore(), webhooks: { parseWebhook } });
 * declare const rawBody: string, signature: string, appSecret: string;
 * if (await verifySignature(rawBody, signature, appSecret)) await care.ingest(rawBody);
 * ```
 *
 * @module
 */
export * from "./whatsapp/index.js";
