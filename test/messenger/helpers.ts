import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { CareEvent, Instant, Thread, ThreadEvent } from "../../src/domain/types.js";
import { emptyState, foldEvents, type ThreadState } from "../../src/window/state.js";

const dir = fileURLToPath(new URL("../fixtures/messenger/", import.meta.url));

/** The raw text of a fixture, exactly as stored (what a webhook handler receives). */
export function fixture(name: string): string {
  return readFileSync(`${dir}${name}.json`, "utf8");
}

/** A fixture parsed as JSON. */
export function fixtureJson(name: string): Record<string, unknown> {
  return JSON.parse(fixture(name)) as Record<string, unknown>;
}

/** Every fixture name. */
export const FIXTURES = [
  "messenger-message",
  "messenger-postback",
  "messenger-reaction",
  "messenger-referral-ad",
  "messenger-echo",
  "messenger-standby-mixed",
  "instagram-message",
  "instagram-story-mention",
  "instagram-reaction",
] as const;

export const PAGE = "104857372012345";
export const PSID = "6024153281234567";
export const IG_ACCOUNT = "17841400000000001";
export const IGSID = "1254459154682919";

export const HOUR = 3_600_000;
export const DAY = 86_400_000;
export const WEEK = 7 * DAY;
/** The customer's message instant used throughout: 2026-11-20 09:00 UTC. */
export const T: Instant = Date.parse("2026-11-20T09:00:00Z");

export const messengerThread: Thread = { channel: "messenger", business: PAGE, customer: PSID };
export const instagramThread: Thread = {
  channel: "instagram",
  business: IG_ACCOUNT,
  customer: IGSID,
};

export const threadOf = (channel: "messenger" | "instagram"): Thread =>
  channel === "messenger" ? messengerThread : instagramThread;

type Action = "message" | "postback" | "reaction" | "referral" | "story_mention" | "read" | "optin";

/** A user action on a social thread. */
export function userAction(
  thread: Thread,
  at: Instant,
  action: Action = "message",
  extra: { readonly ad?: boolean } = {},
): ThreadEvent {
  return {
    kind: "inbound",
    id: `${action}:${at}`,
    type: action === "message" ? "text" : action,
    action,
    at,
    thread,
    ...(extra.ad === true ? { referral: { sourceType: "ad", sourceId: "120210987654321" } } : {}),
  };
}

/** An echo of the page's own message (MSG-8). */
export function echo(thread: Thread, at: Instant): ThreadEvent {
  return {
    kind: "outbound",
    id: `echo:${at}`,
    message: "free-form",
    type: "text",
    echo: true,
    at,
    thread,
  };
}

/** Folds thread events into a fresh state. */
export const fold = (events: readonly ThreadEvent[]): ThreadState =>
  foldEvents(emptyState(), events);

/** Only the thread events of a parse result. */
export const threadEvents = (events: readonly CareEvent[]): ThreadEvent[] =>
  events.filter((e): e is ThreadEvent => "thread" in e);
