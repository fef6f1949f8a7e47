/**
 * Fixed threads for the timeline golden files (test/timeline/golden/), shared by the golden test
 * and `npm run images -- --update`, which rewrites the goldens.
 */
import type { ThreadEvent } from "../../src/domain/types.js";
import type { TimelineOptions } from "../../src/timeline/svg.js";
import { emptyState, foldEvents, type ThreadState } from "../../src/window/state.js";

const thread = { business: "106540352242922", customer: "5511987654321" };
const at = (iso: string): number => Date.parse(iso);

/** One golden case: a state, a "now", options. */
export interface GoldenCase {
  readonly name: string;
  readonly state: ThreadState;
  readonly now: number;
  readonly options: TimelineOptions;
}

const windowEvents: ThreadEvent[] = [
  { kind: "inbound", id: "wamid.1", type: "text", at: at("2026-11-24T09:00:00Z"), thread },
  { kind: "outbound", id: "wamid.2", message: "free-form", at: at("2026-11-24T09:10:00Z"), thread },
  { kind: "inbound", id: "wamid.3", type: "image", at: at("2026-11-24T20:00:00Z"), thread },
  { kind: "inbound", id: "wamid.4", type: "reaction", at: at("2026-11-25T10:00:00Z"), thread },
  {
    kind: "call",
    id: "wacid.5",
    direction: "user-initiated",
    phase: "connect",
    at: at("2026-11-26T08:00:00Z"),
    thread,
  },
  {
    kind: "status",
    id: "wamid.6",
    status: "failed",
    errors: [131047],
    at: at("2026-11-26T12:00:00Z"),
    thread,
  },
];

const fepEvents: ThreadEvent[] = [
  {
    kind: "inbound",
    id: "wamid.10",
    type: "text",
    at: at("2026-11-26T10:00:00Z"),
    thread,
    referral: { sourceType: "ad", sourceId: "120226305854810726" },
  },
  {
    kind: "outbound",
    id: "wamid.11",
    message: "free-form",
    at: at("2026-11-26T10:30:00Z"),
    thread,
  },
];

const consentEvents: ThreadEvent[] = [
  { kind: "inbound", id: "wamid.20", type: "text", at: at("2026-11-26T09:00:00Z"), thread },
  {
    kind: "consent",
    action: "opt-in",
    scope: "marketing",
    source: 'checkout <form> & "app"',
    at: at("2026-11-26T09:30:00Z"),
    thread,
  },
  { kind: "marketing-preference", value: "stop", at: at("2026-11-26T13:00:00Z"), thread },
  {
    kind: "consent",
    action: "opt-out",
    scope: "utility",
    source: "agent",
    at: at("2026-11-26T15:00:00Z"),
    thread,
  },
  {
    kind: "status",
    id: "wamid.21",
    status: "failed",
    errors: [131049],
    message: "template",
    at: at("2026-11-26T16:00:00Z"),
    thread,
  },
  { kind: "block", value: "block", at: at("2026-11-27T08:00:00Z"), thread },
];

/** The golden cases, in file-name order. */
export const GOLDEN_CASES: readonly GoldenCase[] = [
  {
    name: "window",
    state: foldEvents(emptyState(), windowEvents),
    now: at("2026-11-26T14:00:00Z"),
    options: { events: windowEvents, title: "Windows restart on each message; 131047 closes one" },
  },
  {
    name: "window-state-only",
    state: foldEvents(emptyState(), windowEvents),
    now: at("2026-11-26T14:00:00Z"),
    options: {
      title: "Same thread, state only (latest instants)",
      width: 640,
      timeZone: "America/Sao_Paulo",
    },
  },
  {
    name: "fep-estimated",
    state: foldEvents(emptyState(), fepEvents),
    now: at("2026-11-27T12:00:00Z"),
    options: { events: fepEvents, title: "Ad entry, reply: free entry point (estimated)" },
  },
  {
    name: "fep-activatable",
    state: foldEvents(emptyState(), fepEvents.slice(0, 1)),
    now: at("2026-11-26T12:00:00Z"),
    options: { title: "Ad entry, no reply yet" },
  },
  {
    name: "consent",
    state: foldEvents(emptyState(), consentEvents),
    now: at("2026-11-27T10:00:00Z"),
    options: { events: consentEvents, title: "Consent <& limits>", idPrefix: "consent" },
  },
];
