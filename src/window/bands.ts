/**
 * Which rule-table entry describes each band of a thread's timeline. The timeline draws the
 * stretches the one window evaluator returns (CSW-2, CSW-12, FEP-2 … FEP-5, OPEN-1, CONSENT-7)
 * and takes each band's label from the entry that describes it — a deciding entry of
 * `table.ts` or a context entry of `context.ts` — through the entry's own `band` function, so
 * a label is written once, next to that entry's explanation, and the timeline records the
 * entry's id (`band.rule`) as a decision records `fired`.
 *
 * A source holds the entry itself, not a copy of its label function: the label is rendered by
 * the entry's `band` when the picture is drawn, and removing it from the entry does not compile.
 *
 * @module
 * @internal
 */
import { FEP_ACTIVATABLE, FEP_ESTIMATED, FEP_PLATFORM, SOCIAL_CLOSED_BY_ERROR } from "./context.js";
import { type BandLabel, TABLE } from "./table.js";

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

/** A band's entry: its id, and the entry (a table lane or a context entry) with its `band`. */
export interface BandSource {
  readonly rule: BandRule;
  readonly entry: { readonly band: BandLabel };
}

/** How a window band stands at the picture's now. */
export type WindowBandState = "open" | "closed" | "closed-by-error";

/** A context entry as a band source: its id (a {@link BandRule}, checked) and the entry. */
const fromContext = (e: { readonly id: BandRule; readonly band: BandLabel }): BandSource => ({
  rule: e.id,
  entry: e,
});

/** Window bands per channel family (CSW-1, CSW-2, CSW-12; MSG-1, ERR-31). */
export const WINDOW_BANDS = {
  whatsapp: {
    open: { rule: "window-open", entry: TABLE["window-open"].whatsapp },
    closed: { rule: "window-closed", entry: TABLE["window-closed"].whatsapp },
    "closed-by-error": {
      rule: "window-closed-by-error",
      entry: TABLE["window-closed-by-error"].whatsapp,
    },
  },
  social: {
    open: { rule: "window-open", entry: TABLE["window-open"].social },
    closed: { rule: "window-closed", entry: TABLE["window-closed"].social },
    "closed-by-error": fromContext(SOCIAL_CLOSED_BY_ERROR),
  },
} satisfies Record<"whatsapp" | "social", Record<WindowBandState, BandSource>>;

/** Free entry point bands (WhatsApp; FEP-2, FEP-3, FEP-4, OPEN-1). */
export const FEP_BANDS = {
  platform: fromContext(FEP_PLATFORM),
  estimated: fromContext(FEP_ESTIMATED),
  activatable: fromContext(FEP_ACTIVATABLE),
} satisfies Record<"platform" | "estimated" | "activatable", BandSource>;

/** The per-user marketing limit (131049, CONSENT-7). */
export const LIMIT_BAND: BandSource = {
  rule: "marketing-limited",
  entry: TABLE["marketing-limited"].whatsapp,
};
