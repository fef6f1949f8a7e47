/**
 * Typed errors for bad input at the public boundary. Expected outcomes (window closed, consent
 * missing) are never errors: they are {@link Decision} values.
 *
 * @module
 */

/**
 * Stable error codes.
 *
 * @example
 * ```ts
 * const code: CareWindowErrorCode = "invalid-argument";
 * ```
 */
export type CareWindowErrorCode =
  | "invalid-argument"
  | "invalid-event"
  | "invalid-intent"
  | "invalid-json"
  | "invalid-body"
  | "invalid-state"
  | "store-conflict"
  | "store-failure";

/**
 * Base class of every error care-window throws. `field` names the offending input path
 * (`events[3].at`, `intent.kind`, …).
 *
 * @example
 * ```ts
 * try { care.decide(thread, { kind: "fax" } as never); }
 * catch (e) { if (e instanceof CareWindowError) console.log(e.code, e.field); }
 * ```
 */
export class CareWindowError extends Error {
  /** A stable, machine-readable code. */
  readonly code: CareWindowErrorCode;
  /** The input path at fault, when there is one. */
  readonly field: string | undefined;

  constructor(
    code: CareWindowErrorCode,
    message: string,
    options: { readonly field?: string; readonly cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "CareWindowError";
    this.code = code;
    this.field = options.field;
  }
}

/**
 * Thrown for invalid input: an invalid date, an unknown intent kind, a malformed event.
 *
 * @example
 * ```ts
 * throw new InvalidInputError("invalid-event", "events[0].at must be a finite epoch-ms number", "events[0].at");
 * ```
 */
export class InvalidInputError extends CareWindowError {
  constructor(
    code:
      | "invalid-argument"
      | "invalid-event"
      | "invalid-intent"
      | "invalid-json"
      | "invalid-body"
      | "invalid-state",
    message: string,
    field?: string,
    cause?: unknown,
  ) {
    super(code, message, {
      ...(field === undefined ? {} : { field }),
      ...(cause === undefined ? {} : { cause }),
    });
    this.name = "InvalidInputError";
  }
}
