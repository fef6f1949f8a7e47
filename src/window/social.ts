/**
 * Messenger and Instagram constants and option types (MSG-*, IG-*). Their decisions are made by
 * the rule table (`table.ts`) like WhatsApp's; the window is the one evaluator's (`window.ts`).
 *
 * @module
 */
import { SOCIAL_WINDOWS } from "../policy/social.js";
import type { SocialOptions } from "./options.js";

/**
 * HUMAN_AGENT reply limit after the user's last message: 7 days (MSG-4, IG-2).
 *
 * @example
 * ```ts
 * HUMAN_AGENT_MS; //=> 604_800_000
 * ```
 */
export const HUMAN_AGENT_MS: number = SOCIAL_WINDOWS.humanAgentMs;

/**
 * The Messenger / Instagram options (`options.social`). Kept as an alias of
 * {@link SocialOptions} for callers that imported it by this name.
 *
 * @example
 * ```ts
 * const social: SocialDecideOptions = { adWindow: "7d", openOn: { storyMention: true } };
 * ```
 */
export type SocialDecideOptions = SocialOptions;
