/**
 * `care-window/whatsapp`: the WhatsApp Cloud API edge — webhook parsing (`parseWebhook`),
 * signature checks (`verifySignature`, `verifyChallenge`, `signBody`), send-body classification
 * (`classifySend`, `intentFromSend`) and the zod schemas behind them. zod loads here, and only
 * here and in `care-window/messenger`.
 *
 * Pass the module to `createCareWindow({ webhooks })` to ingest without the lazy load, or let
 * `care.ingest(body)` load it on first use.
 *
 * @example
 * ```ts
 * import { createCareWindow, createMemoryStore } from "care-window";
 * import * as whatsapp from "care-window/whatsapp";
 *
 * const care = createCareWindow({ store: createMemoryStore(), webhooks: whatsapp });
 * declare const rawBody: string, signature: string, appSecret: string;
 * if (await whatsapp.verifySignature(rawBody, signature, appSecret)) await care.ingest(rawBody);
 * ```
 *
 * @module
 */
export * from "./whatsapp/index.js";
