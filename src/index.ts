/**
 * care-window: before every WhatsApp (Messenger, Instagram) send — session, template or
 * blocked; why, until when, and at what price.
 *
 * @example
 * ```ts
 * import { createCareWindow, createMemoryStore } from "care-window";
 * const care = createCareWindow({ store: createMemoryStore() });
 * ```
 *
 * @module
 */
export * from "./domain/errors.js";
export type * from "./domain/types.js";
// The Messenger / Instagram edge and their policy data.
export * from "./messenger/index.js";
export { REFERENCE_RULES, RULES, type RuleId } from "./policy/catalog.js";
export { ERAS, type EraId, FEP_ESTIMATES, POLICY_DATES, type PricingEra } from "./policy/eras.js";
export { DECISION_RULES, type DecisionRuleId, type RuleInfo } from "./policy/rules.js";
export {
  grantedUpdateTags,
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
export { monthIn, startOfDayIn } from "./policy/time.js";
// The service, the storage port and the built-in memory store.
export {
  type CareWindow,
  type CareWindowOptions,
  countsTowardsTier,
  createCareWindow,
  type DecideCallOptions,
  type DecideManyResult,
  type IngestOptions,
  type IngestResult,
  type RecordResult,
  type SendRequestBody,
  type ServicePolicyOptions,
  type ThreadDecision,
} from "./service/createCareWindow.js";
export type { CareEventInput, DatedEvent } from "./service/validate.js";
export { DEFAULT_MAX_ATTEMPTS, type RetryOptions } from "./store/cas.js";
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
// Timeline pictures of a thread (SVG and terminal text).
export {
  renderTimeline,
  renderTimelineText,
  type TimelineBandKind,
  type TimelineBaseOptions,
  type TimelineLane,
  type TimelineMarkerKind,
  type TimelineOptions,
  type TimelineTextOptions,
} from "./timeline/index.js";
// The WhatsApp Cloud API edge (zod lives only behind these exports).
export * from "./whatsapp/index.js";
export { assertIntent, decide, verdict } from "./window/decide.js";
export type * from "./window/decision.js";
export { eraAt } from "./window/evaluate.js";
export {
  type HostHold,
  type HostRule,
  type HostRuleInput,
  marketingCooldown,
  quietHours,
} from "./window/host.js";
export type * from "./window/options.js";
export { type PricedMessage, type PricingContext, priceMessage } from "./window/pricing.js";
export { plainDecision } from "./window/record.js";
export type { SocialDecideOptions } from "./window/social.js";
export { HUMAN_AGENT_MS } from "./window/social.js";
export {
  CONSENT_SOURCE_MAX,
  type ConsentRecord,
  DAY_MS,
  emptyState,
  eventState,
  foldEvent,
  foldEvents,
  type InboundClass,
  inboundClass,
  mergeStates,
  migrateState,
  OUTBOUND_KEPT,
  restrictionsOnly,
  type ThreadState,
  type Toggle,
} from "./window/state.js";
