/**
 * What `care-window` will export for the Messenger / Instagram docs: the core barrel plus the
 * Messenger edge and the extended social options (until the lead adds them to src/index.ts).
 */
export * from "../../src/index.js";
export * from "../../src/messenger/index.js";
export type { SocialDecideOptions } from "../../src/window/social.js";
