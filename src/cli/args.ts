/**
 * Command-line parsing for `care-window`: no dependency, strict (unknown flags are usage errors),
 * `--flag value` and `--flag=value` forms, `--` ends the options.
 *
 * @module
 * @internal
 */
import { CareWindowError } from "../domain/errors.js";
import type { Channel } from "../domain/types.js";
import { readIsoInstant } from "./input.js";
import { INTENT_NAMES, type IntentName } from "./summary.js";

/**
 * A usage mistake: exit code 2, with a hint.
 *
 * @example
 * ```ts
 * throw new UsageError('unknown option "--bogus"');
 * ```
 */
export class UsageError extends CareWindowError {
  constructor(message: string, field?: string) {
    super("invalid-argument", message, field === undefined ? {} : { field });
    this.name = "UsageError";
  }
}

/**
 * Parsed command line.
 *
 * @example
 * ```ts
 * const args: CliArgs = parseArgs(["replay", "day.ndjson"]);
 * ```
 */
export interface CliArgs {
  /**
   * `none`: no command was given (a usage error: the help goes to stderr, exit 2). `demo`
   * writes the sample log that ships in the package (its file, if any, is `files[0]`).
   */
  readonly command: "explain" | "replay" | "demo" | "help" | "version" | "none";
  /** With `help`: the command whose help was asked for (`explain --help`, `help replay`). */
  readonly topic?: "explain" | "replay" | "demo";
  readonly files: readonly string[];
  readonly business?: string;
  readonly customer?: string;
  readonly channel?: Channel;
  /** Epoch ms from `--at <instant>`, or `"now"` (`--at now`: the caller reads the clock). */
  readonly at?: number | "now";
  readonly intents?: readonly IntentName[];
  readonly timeZone?: string;
  readonly requireOptIn: boolean;
  readonly json: boolean;
  readonly width?: number;
  readonly ascii: boolean;
}

const VALUE_FLAGS = new Set([
  "--business",
  "--customer",
  "--thread",
  "--channel",
  "--at",
  "--intent",
  "--time-zone",
  "--width",
]);

const CHANNELS: readonly Channel[] = ["whatsapp", "messenger", "instagram"];

/**
 * Parses an ISO 8601 instant for `--at`; a time of day needs `Z` or an offset, so the result
 * never depends on the machine's time zone. (`--at now` is handled by {@link parseArgs}.)
 *
 * @example
 * ```ts
 * parseInstant("2026-11-27T12:00:00Z"); //=> 1795867200000
 * ```
 */
export function parseInstant(text: string): number {
  const r = readIsoInstant(text);
  if (r.ok) return r.ms;
  if (r.problem === "no-zone") {
    throw new UsageError(
      `--at ${text} has no time zone: add Z (UTC) or an offset such as -03:00, so the answer does not depend on this machine`,
    );
  }
  if (r.problem === "invalid") throw new UsageError(`--at ${text} is not a valid date`);
  throw new UsageError(
    `--at must be "now" or an ISO 8601 instant such as 2026-11-27T12:00:00Z, got ${JSON.stringify(text)}`,
  );
}

/**
 * Parses `argv` (without `node` and the script).
 *
 * @example
 * ```ts
 * parseArgs(["explain", "--customer", "5511987654321", "--intent", "marketing", "log.ndjson"]);
 * ```
 */
export function parseArgs(argv: readonly string[]): CliArgs {
  const out: {
    -readonly [K in keyof CliArgs]: CliArgs[K];
  } = { command: "none", files: [], requireOptIn: true, json: false, ascii: false };
  const files: string[] = [];
  const intents: IntentName[] = [];
  let command: string | undefined;
  let help = false;
  let version = false;
  let onlyFiles = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (onlyFiles || arg === "-" || !arg.startsWith("-")) {
      if (command === undefined && !onlyFiles && arg !== "-") command = arg;
      else files.push(arg);
      continue;
    }
    if (arg === "--") {
      onlyFiles = true;
      continue;
    }
    const eq = arg.indexOf("=");
    const flag = eq === -1 ? arg : arg.slice(0, eq);
    let value: string | undefined;
    if (VALUE_FLAGS.has(flag)) {
      value = eq === -1 ? argv[++i] : arg.slice(eq + 1);
      if (value === undefined || value === "") throw new UsageError(`${flag} needs a value`);
    } else if (eq !== -1) {
      throw new UsageError(`${flag} takes no value`);
    }
    switch (flag) {
      case "-h":
      case "--help":
        help = true;
        break;
      case "-V":
      case "--version":
        version = true;
        break;
      case "--json":
        out.json = true;
        break;
      case "--ascii":
        out.ascii = true;
        break;
      case "--no-require-opt-in":
        out.requireOptIn = false;
        break;
      case "--business":
        out.business = value as string;
        break;
      case "--customer":
        out.customer = value as string;
        break;
      case "--thread": {
        const v = value as string;
        const colon = v.indexOf(":");
        if (colon <= 0 || colon === v.length - 1) {
          throw new UsageError(
            `--thread must be business:customer, e.g. 106540352242922:5511987654321, got ${JSON.stringify(v)}`,
          );
        }
        out.business = v.slice(0, colon);
        out.customer = v.slice(colon + 1);
        break;
      }
      case "--channel": {
        const v = value as string;
        if (!CHANNELS.includes(v as Channel)) {
          throw new UsageError(
            `--channel must be whatsapp, messenger or instagram, got ${JSON.stringify(v)}`,
          );
        }
        out.channel = v as Channel;
        break;
      }
      case "--at":
        out.at =
          (value as string).trim().toLowerCase() === "now" ? "now" : parseInstant(value as string);
        break;
      case "--intent":
        for (const part of (value as string).split(",")) {
          const name = part.trim();
          if (!INTENT_NAMES.includes(name as IntentName)) {
            throw new UsageError(
              `--intent must be one of ${INTENT_NAMES.join(", ")}, got ${JSON.stringify(name)}`,
            );
          }
          if (!intents.includes(name as IntentName)) intents.push(name as IntentName);
        }
        break;
      case "--time-zone":
        out.timeZone = value as string;
        break;
      case "--width": {
        const n = Number(value);
        if (!Number.isInteger(n) || n < 40 || n > 400) {
          throw new UsageError(
            `--width must be a whole number from 40 to 400, got ${JSON.stringify(value)}`,
          );
        }
        out.width = n;
        break;
      }
      default:
        throw new UsageError(`unknown option ${JSON.stringify(flag)}`);
    }
  }
  if (intents.length > 0) out.intents = intents;
  out.files = files;
  const isCommand = (c: string | undefined): c is "explain" | "replay" | "demo" =>
    c === "explain" || c === "replay" || c === "demo";
  if (version) out.command = "version";
  else if (command === "help") {
    out.command = "help";
    const topic = files[0];
    if (isCommand(topic)) out.topic = topic;
    else if (topic !== undefined) {
      throw new UsageError(
        `no help for ${JSON.stringify(topic)}: try "help explain", "help replay" or "help demo"`,
      );
    }
    out.files = [];
  } else if (help) {
    out.command = "help";
    if (isCommand(command)) out.topic = command;
  } else if (command === undefined) out.command = "none";
  else if (isCommand(command)) {
    out.command = command;
    if (command === "demo" && files.length > 1) {
      throw new UsageError(`demo writes one file, got ${files.length}: ${files.join(" ")}`);
    }
  } else {
    throw new UsageError(
      `unknown command ${JSON.stringify(command)}: use "explain", "replay" or "demo" (the first argument that is not an option is the command)`,
    );
  }
  return out;
}
