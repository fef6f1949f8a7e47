/**
 * What the Messenger / Instagram docs import: `care-window` (the core barrel) and
 * `care-window/messenger` (the Messenger edge), plus the extended social options.
 */
export * from "../../src/index.js";
export * from "../../src/messenger/index.js";
export type { SocialDecideOptions } from "../../src/window/social.js";
