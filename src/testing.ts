/**
 * `care-window/testing`: what hosts and adapter authors need in their tests — the storage adapter
 * contract suite and a controllable clock.
 *
 * @example
 * ```ts
 * import { describe, it } from "vitest";
 * import { createClock, runStoreContract } from "care-window/testing";
 *
 * runStoreContract({ name: "my-db", create: () => createMyStore(), describe, it });
 * const clock = createClock("2026-11-26T09:00:00Z");
 * ```
 *
 * @module
 */

export {
  type AssertionContext,
  assertBlocked,
  assertSession,
  assertTemplate,
  CareWindowAssertionError,
  type DecisionExpectation,
  describeDecision,
  expectDecision,
  timelineText,
} from "./testing/assert.js";
export {
  type AdArrivalOptions,
  type CareSink,
  type ConsentOptions,
  type Customer,
  type CustomerOptions,
  type MessageStep,
  type PricingInput,
  type ReplyOptions,
  type Scenario,
  type ScenarioOptions,
  type SentMessage,
  type StatusOptions,
  type Step,
  scenario,
  signedRequest,
  type TemplateSendOptions,
  type TimeInput,
  type WebhookPayload,
  type WebhookPayloadChange,
  type WebhookPayloadEntry,
  type WriteOptions,
  withoutAliases,
} from "./testing/builders.js";
export { type ClockStep, createClock, type TestClock } from "./testing/clock.js";
export {
  generateEvents,
  runStoreContract,
  type StoreContractOptions,
  seededRandom,
} from "./testing/contract.js";
