/**
 * The words of timeline bands: one short label function per rule-table entry that describes a
 * stretch of time, keyed by the entry's id, as `prose-whatsapp.ts` holds one explanation per
 * entry. The entries declare them next to their explanation (`band: BAND_WORDS["window-open"]`
 * in `table.ts`, likewise in `context.ts`); the timeline draws the stretches the one window
 * evaluator returns, names each band by the entry that describes it (`band.rule`, as a
 * decision's `fired` names entries) and renders its label with that entry's function. Instants
 * are written by `words.ts` in the display zone (OPEN-6).
 *
 * This module, not the table, is what the timeline imports: the table brings the whole decision
 * path (explanations, pricing) with it, which `care-window/timeline` does not load.
 *
 * @module
 * @internal
 */
import { formatInstantShort } from "./words.js";

/**
 * A band of the timeline as its label reads it: the stretch `[from, to)`, the instant the
 * picture is drawn at, and the display zone (OPEN-6).
 */
export interface BandSpan {
  readonly from: number;
  readonly to: number;
  readonly now: number;
  readonly timeZone: string;
}

/** The few words drawn on a timeline band (keep them short: they must fit the band). */
export type BandLabel = (s: BandSpan) => string;

/**
 * The id of the entry a band comes from: a `Reason` of the table or a context entry's id
 * (`closed-by-error` is the Messenger / Instagram one, ERR-31).
 */
export type BandRule =
  | "window-open"
  | "window-closed"
  | "window-closed-by-error"
  | "closed-by-error"
  | "marketing-limited"
  | "fep-platform"
  | "fep-estimated"
  | "fep-activatable";

/** An instant of a band label, in the display zone (`27 Nov 09:12`). */
const at = (s: BandSpan, ms: number): string => formatInstantShort(ms, s.timeZone);

/** Each entry's band label, by entry id: a missing or an extra one does not compile. */
export const BAND_WORDS = {
  // CSW-1, CSW-2: a window the customer opened; "opens" when it starts after the picture's now.
  "window-open": (s) => (s.now < s.from ? `opens ${at(s, s.from)}` : `open until ${at(s, s.to)}`),
  "window-closed": (s) => `closed at ${at(s, s.to)}`,
  // CSW-12: 131047 (or 470, 63016) closed the window early.
  "window-closed-by-error": (s) => `closed by 131047 at ${at(s, s.to)}`,
  // ERR-31: Messenger / Instagram's code 10 closed it.
  "closed-by-error": (s) => `closed by error at ${at(s, s.to)}`,
  // CONSENT-7: 131049, no marketing for at least 24 h.
  "marketing-limited": (s) => `no marketing until ${at(s, s.to)}`,
  // FEP-3 / OPEN-1: the end as reported, or estimated.
  "fep-platform": (s) => `free until ${at(s, s.to)} (platform)`,
  "fep-estimated": (s) => `free until ~${at(s, s.to)} (estimated)`,
  // FEP-2: a reply before the end opens a free entry point.
  "fep-activatable": (s) => `reply before ${at(s, s.to)} to open it`,
} satisfies Record<BandRule, BandLabel>;

/** How a window band stands at the picture's now. */
export type WindowBandState = "open" | "closed" | "closed-by-error";

/** The entry that describes a window band, per channel family (CSW-12 on WhatsApp, ERR-31). */
export const WINDOW_BAND_RULES = {
  whatsapp: {
    open: "window-open",
    closed: "window-closed",
    "closed-by-error": "window-closed-by-error",
  },
  social: { open: "window-open", closed: "window-closed", "closed-by-error": "closed-by-error" },
} as const satisfies Record<"whatsapp" | "social", Record<WindowBandState, BandRule>>;

/** The label of a band from the entry `rule`, in the display zone. */
export const bandLabel = (rule: BandRule, s: BandSpan): string => BAND_WORDS[rule](s);
