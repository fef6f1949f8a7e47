/**
 * The WhatsApp Cloud API edge: webhook parsing, signature checks, send classification and the
 * zod schemas behind them.
 *
 * @module
 */

export type {
  ClassifySendOptions,
  DirectSendClassification,
  FreeFormClassification,
  NotAMessageClassification,
  SendClassification,
  SendIssue,
  SendIssueCode,
  TemplateClassification,
} from "./classify.js";
export { classifySend, intentFromSend } from "./classify.js";
export type {
  ParseOptions,
  ParseResult,
  WebhookIssue,
  WebhookIssueCode,
} from "./parse.js";
export { parseWebhook } from "./parse.js";
export * from "./schemas.js";
export type {
  ChallengeQuery,
  RawBody,
  URLSearchParamsLike,
} from "./signature.js";
export { signBody, verifyChallenge, verifySignature } from "./signature.js";
export { toInstant } from "./time.js";
