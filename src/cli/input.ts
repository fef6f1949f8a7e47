/**
 * Reading webhook logs: a JSON body, a JSON array of bodies, or NDJSON (one body per line),
 * each value remembered with its file and line so errors can point at it.
 *
 * @module
 * @internal
 */
import { CareWindowError } from "../domain/errors.js";

/**
 * One JSON value of an input, with where it came from.
 *
 * @example
 * ```ts
 * const entry: LogEntry = { source: "day.ndjson", line: 3, value: { object: "whatsapp_business_account", entry: [] } };
 * ```
 */
export interface LogEntry {
  /** File name as given, or `<stdin>`. */
  readonly source: string;
  /** 1-based line where the value starts. */
  readonly line: number;
  /** Index inside a JSON array document, when the input is one. */
  readonly index?: number;
  readonly value: unknown;
}

/**
 * Bad input a person must fix: not JSON, not an object, an invalid host event. `where` is
 * `file:line` (or `file[index]` for an array document).
 *
 * @example
 * ```ts
 * try { parseLog("{oops", "day.ndjson"); } catch (e) { if (e instanceof LogInputError) e.where; } //=> "day.ndjson:1"
 * ```
 */
export class LogInputError extends CareWindowError {
  readonly where: string;
  constructor(
    where: string,
    message: string,
    code: "invalid-json" | "invalid-body" | "invalid-event",
  ) {
    super(code, `${where}: ${message}`, { field: where });
    this.name = "LogInputError";
    this.where = where;
  }
}

/**
 * Where an entry came from, as `file:line` or `file[index]`.
 *
 * @example
 * ```ts
 * whereOf({ source: "a.ndjson", line: 4, value: {} }); //=> "a.ndjson:4"
 * ```
 */
export function whereOf(entry: LogEntry): string {
  return entry.index === undefined
    ? `${entry.source}:${entry.line}`
    : `${entry.source}[${entry.index}]`;
}

/**
 * What {@link readIsoInstant} found: epoch milliseconds, or why the text is not an instant.
 *
 * @example
 * ```ts
 * const r: IsoInstant = readIsoInstant("2026-11-26T08:50:00"); //=> { ok: false, problem: "no-zone" }
 * ```
 */
export type IsoInstant =
  | { readonly ok: true; readonly ms: number }
  | { readonly ok: false; readonly problem: "not-iso" | "no-zone" | "invalid" };

const ISO =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/i;

/**
 * Reads an ISO 8601 instant, the one rule for `--at` and for the instants of `{"record"}` lines:
 * a time of day needs `Z` or an offset, so the result never depends on the machine's time zone
 * (`2026-11-26T08:50:00` alone is refused as `no-zone`); a bare date is 00:00 UTC. Impossible
 * calendar values (`2026-02-30`, `25:00`) are `invalid` rather than rolled over.
 *
 * @example
 * ```ts
 * readIsoInstant("2026-11-26T08:50:00-03:00"); //=> { ok: true, ms: 1795693800000 }
 * readIsoInstant("2026-11-26T08:50:00"); //=> { ok: false, problem: "no-zone" }
 * ```
 */
export function readIsoInstant(text: string): IsoInstant {
  const trimmed = text.trim();
  const m = ISO.exec(trimmed);
  if (m === null) return { ok: false, problem: "not-iso" };
  const [, y, mo, d, h, mi, sec, zone] = m;
  if (h !== undefined && zone === undefined) return { ok: false, problem: "no-zone" };
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const calendar = new Date(Date.UTC(year, month - 1, day));
  if (
    calendar.getUTCFullYear() !== year ||
    calendar.getUTCMonth() !== month - 1 ||
    calendar.getUTCDate() !== day ||
    Number(h ?? 0) > 23 ||
    Number(mi ?? 0) > 59 ||
    Number(sec ?? 0) > 59 ||
    (zone !== undefined && !/^z$/i.test(zone) && Number(zone.slice(-2)) > 59)
  ) {
    return { ok: false, problem: "invalid" };
  }
  const ms = Date.parse(h === undefined ? `${trimmed}T00:00:00Z` : trimmed.replace(" ", "T"));
  return Number.isNaN(ms) ? { ok: false, problem: "invalid" } : { ok: true, ms };
}

const describe = (value: unknown): string =>
  value === null ? "null" : Array.isArray(value) ? "an array" : typeof value;

/**
 * Line (1-based) of a `JSON.parse` error: from "line N" / "position N" in the message (newer
 * engines), else by locating the excerpt V8 quotes (`Unexpected token ',', ..."a": [,]..."`).
 */
function errorLine(text: string, message: string): number {
  const lineOf = (offset: number): number => {
    let n = 1;
    const end = Math.min(offset, text.length);
    for (let i = 0; i < end; i++) if (text.charCodeAt(i) === 10) n++;
    return n;
  };
  const line = /line (\d+)/.exec(message);
  if (line?.[1] !== undefined) return Number(line[1]);
  const pos = /position (\d+)/.exec(message);
  if (pos?.[1] !== undefined) return lineOf(Number(pos[1]));
  if (message.includes("Unexpected end of JSON input")) return lineOf(text.trimEnd().length);
  const excerpt = /, (?:\.\.\.)?"([\s\S]*?)"(?:\.\.\.)? is not valid JSON$/.exec(message)?.[1];
  if (excerpt !== undefined && excerpt.length > 0) {
    const at = text.indexOf(excerpt);
    if (at !== -1) {
      const token = /Unexpected token '([\s\S])'/.exec(message)?.[1];
      const within = token === undefined ? 0 : Math.max(0, excerpt.indexOf(token));
      return lineOf(at + within);
    }
  }
  return 1;
}

const tryParse = (text: string): { ok: true; value: unknown } | { ok: false; message: string } => {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (e) {
    return { ok: false, message: e instanceof Error ? e.message : String(e) };
  }
};

/**
 * Splits an input into JSON values. NDJSON when the first non-empty line is a complete JSON
 * value; otherwise one JSON document (an object, or an array of objects). Throws
 * {@link LogInputError} naming the file and line of the first bad value.
 *
 * @example
 * ```ts
 * parseLog('{"a":1}\n{"b":2}\n', "x.ndjson").map((e) => e.line); //=> [1, 2]
 * ```
 */
export function parseLog(input: string, source: string): LogEntry[] {
  const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  const lines = text.split("\n");
  const first = lines.findIndex((l) => l.trim() !== "");
  if (first === -1) return [];
  const firstLine = tryParse(lines[first] as string);
  const out: LogEntry[] = [];
  if (firstLine.ok) {
    for (let i = first; i < lines.length; i++) {
      const raw = (lines[i] as string).trim();
      if (raw === "") continue;
      const parsed = tryParse(raw);
      if (!parsed.ok) {
        throw new LogInputError(
          `${source}:${i + 1}`,
          `not valid JSON (${parsed.message})`,
          "invalid-json",
        );
      }
      if (
        typeof parsed.value !== "object" ||
        parsed.value === null ||
        Array.isArray(parsed.value)
      ) {
        throw new LogInputError(
          `${source}:${i + 1}`,
          `expected a webhook body (a JSON object), got ${describe(parsed.value)}`,
          "invalid-body",
        );
      }
      out.push({ source, line: i + 1, value: parsed.value });
    }
    return out;
  }
  const doc = tryParse(text);
  if (!doc.ok) {
    throw new LogInputError(
      `${source}:${errorLine(text, doc.message)}`,
      `not valid JSON (${doc.message})`,
      "invalid-json",
    );
  }
  const values = Array.isArray(doc.value) ? doc.value : [doc.value];
  values.forEach((value, index) => {
    const entry: LogEntry = Array.isArray(doc.value)
      ? { source, line: first + 1, index, value }
      : { source, line: first + 1, value };
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      throw new LogInputError(
        whereOf(entry),
        `expected a webhook body (a JSON object), got ${describe(value)}`,
        "invalid-body",
      );
    }
    out.push(entry);
  });
  return out;
}

/**
 * Splits a stream of text chunks into lines (without their `\n`; a `\r` before it is kept and
 * trimmed later with the rest of the line's blanks). Holds one chunk and one partial line at a
 * time, so memory does not grow with the input.
 *
 * @example
 * ```ts
 * for await (const line of readLines(chunksOf(stream))) count++;
 * ```
 */
export async function* readLines(chunks: AsyncIterable<string>): AsyncGenerator<string> {
  let rest = "";
  let first = true;
  for await (const chunk of chunks) {
    let text = chunk;
    if (first && text.length > 0) {
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      first = false;
    }
    let start = 0;
    let nl = text.indexOf("\n");
    if (nl !== -1 && rest !== "") {
      yield rest + text.slice(0, nl);
      rest = "";
      start = nl + 1;
      nl = text.indexOf("\n", start);
    }
    while (nl !== -1) {
      yield text.slice(start, nl);
      start = nl + 1;
      nl = text.indexOf("\n", start);
    }
    rest += text.slice(start);
  }
  if (rest !== "") yield rest;
}

/**
 * Reads a log as it arrives: NDJSON line by line (one entry per body, each with its line), or,
 * when the first non-empty line is not a complete JSON value, the whole input as one JSON
 * document (which {@link parseLog} splits). Only the document form holds the whole input in
 * memory: NDJSON, what loggers write, never does. Throws {@link LogInputError} at the first bad
 * line, naming its file and line, after yielding every entry before it.
 *
 * @example
 * ```ts
 * for await (const entry of readLog(chunks, "day.ndjson")) await applyEntry(care, entry);
 * ```
 */
export async function* readLog(
  chunks: AsyncIterable<string>,
  source: string,
): AsyncGenerator<LogEntry> {
  let n = 0;
  let mode: "ndjson" | "document" | undefined;
  let doc: string[] = [];
  for await (const line of readLines(chunks)) {
    n++;
    if (mode === "document") {
      doc.push(line);
      continue;
    }
    const raw = line.trim();
    if (raw === "") {
      if (mode === undefined) doc.push(line);
      continue;
    }
    const parsed = tryParse(raw);
    if (mode === undefined) {
      if (!parsed.ok) {
        mode = "document";
        doc.push(line);
        continue;
      }
      mode = "ndjson";
      doc = [];
    }
    if (!parsed.ok) {
      throw new LogInputError(
        `${source}:${n}`,
        `not valid JSON (${parsed.message})`,
        "invalid-json",
      );
    }
    if (typeof parsed.value !== "object" || parsed.value === null || Array.isArray(parsed.value)) {
      throw new LogInputError(
        `${source}:${n}`,
        `expected a webhook body (a JSON object), got ${describe(parsed.value)}`,
        "invalid-body",
      );
    }
    yield { source, line: n, value: parsed.value };
  }
  if (mode === "document") yield* parseLog(doc.join("\n"), source);
}
