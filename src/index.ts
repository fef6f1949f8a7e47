/**
 * care-window: before every WhatsApp (Messenger, Instagram) send — session, template or
 * blocked; why, until when, and at what price.
 *
 * The root is the pure core (the event contract, Meta's policy as data, the fold, `decide`), the
 * service and the memory store. It loads no zod: a host that only records and decides pays for
 * nothing else. The edges are subpaths — `care-window/whatsapp` (webhook parsing, signatures,
 * send classification, schemas), `care-window/messenger`, `care-window/timeline` — beside
 * `care-window/testing` and `care-window/postgres`. `care.ingest(body)` loads the WhatsApp edge
 * on first use (or takes it in `createCareWindow({ webhooks })`).
 *
 * @example
 * ```ts
 * import { createCareWindow, createMemoryStore } from "care-window";
 * const care = createCareWindow({ store: createMemoryStore() });
 * ```
 *
 * @module
 */

// The event contract, and the errors every layer throws.
export * from "./domain/errors.js";
export type * from "./domain/types.js";
// Meta's rules as dated data.
export { RULES, type RuleId } from "./policy/catalog.js";
export { ERAS, type EraId, FEP_ESTIMATES, POLICY_DATES, type PricingEra } from "./policy/eras.js";
export type { DecisionRuleId, RuleInfo } from "./policy/rules.js";
export {
  SOCIAL_ACTIONS,
  SOCIAL_DATES,
  SOCIAL_TAGS,
  SOCIAL_WINDOWS,
  type SocialActionKind,
  type SocialChannel,
  type SocialRuleId,
  type SocialTag,
  type SocialTagInfo,
  type UpdateTag,
  type UpdateTagGrant,
} from "./policy/social.js";
// The service, the storage port and the built-in memory store.
export {
  type CareWindow,
  type CareWindowOptions,
  createCareWindow,
  type DecideCallOptions,
  type DecideManyResult,
  type IngestOptions,
  type IngestResult,
  type RecordResult,
  type SendRequestBody,
  type ServicePolicyOptions,
  type ThreadDecision,
  type WebhookEdge,
} from "./service/createCareWindow.js";
export type { CareEventInput, DatedEvent } from "./service/validate.js";
export type { RetryOptions } from "./store/cas.js";
export { StoreConflictError, StoredStateError, StoreFailureError } from "./store/errors.js";
export {
  createMemoryStore,
  type MemoryStore,
  type MemoryStoreOptions,
  type StoreOperation,
} from "./store/memory.js";
export type {
  CareWindowStore,
  DecisionQuery,
  DecisionRead,
  MaybePromise,
  StoredState,
  TemplateEntry,
  ThreadKey,
  ThreadRecord,
  VersionedThread,
} from "./store/port.js";
// The pure core: fold and decide.
export { decide, verdict } from "./window/decide.js";
export type * from "./window/decision.js";
export {
  type HostHold,
  type HostRule,
  type HostRuleInput,
  marketingCooldown,
  quietHours,
} from "./window/host.js";
export type * from "./window/options.js";
export { plainDecision } from "./window/record.js";
export type { SocialDecideOptions } from "./window/social.js";
export {
  type CarriedOver,
  type ConsentRecord,
  emptyState,
  foldEvent,
  foldEvents,
  type InboundClass,
  mergeStates,
  migrateState,
  type ThreadState,
  type Toggle,
} from "./window/state.js";
