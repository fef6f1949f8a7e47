/**
 * The public API of care-window (issue 14): every name each entry point exports, read with the
 * TypeScript checker from the entry files (values and types alike), as `name` plus its kind.
 *
 * test/package/public-api.test.ts compares this with the reviewed snapshot in
 * test/package/public-api.json and checks that every export added or removed since the last
 * release (test/package/public-api.released.json) is named in CHANGELOG.md.
 *
 * `npm run api:snapshot` rewrites the snapshot after you have added your CHANGELOG line;
 * `npx tsx scripts/public-api.ts` prints the current list.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import ts from "typescript";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/** The snapshot of the current public API, reviewed with every change. */
export const SNAPSHOT_PATH = "test/package/public-api.json";
/** The public API of the last release (what the CHANGELOG diff is taken against). */
export const RELEASED_PATH = "test/package/public-api.released.json";

/** Export specifier → source entry file, read from package.json `exports` and tsdown's layout. */
export function entryFiles(root: string = ROOT): Record<string, string> {
  const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as {
    name: string;
    exports: Record<string, unknown>;
  };
  const out: Record<string, string> = {};
  for (const [key, target] of Object.entries(pkg.exports)) {
    if (key === "./package.json") continue;
    const spec = key === "." ? pkg.name : `${pkg.name}/${key.slice(2)}`;
    const imp = (target as { import?: { default?: string } }).import?.default;
    if (typeof imp !== "string") continue;
    out[spec] = imp.replace(/^\.\/dist\//, "src/").replace(/\.js$/, ".ts");
  }
  return out;
}

/** Public API: entry specifier → sorted `name: kind` lines. */
export type PublicApi = Record<string, string[]>;

function kindOf(checker: ts.TypeChecker, symbol: ts.Symbol): string {
  const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
  const f = target.flags;
  if (f & ts.SymbolFlags.Class) return "class";
  if (f & ts.SymbolFlags.Function) return "function";
  if (f & (ts.SymbolFlags.Variable | ts.SymbolFlags.Property)) return "const";
  if (f & ts.SymbolFlags.Enum) return "enum";
  if (f & ts.SymbolFlags.Interface) return "interface";
  if (f & ts.SymbolFlags.TypeAlias) return "type";
  if (f & ts.SymbolFlags.Namespace) return "namespace";
  return "other";
}

/** Reads every entry's exports with one TypeScript program. */
export function readPublicApi(root: string = ROOT): PublicApi {
  const entries = entryFiles(root);
  const files = Object.values(entries).map((f) => join(root, f));
  const config = ts.getParsedCommandLineOfConfigFile(
    join(root, "tsconfig.build.json"),
    {},
    { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined },
  );
  const program = ts.createProgram(files, { ...(config?.options ?? {}), noEmit: true });
  const checker = program.getTypeChecker();
  const api: PublicApi = {};
  for (const [spec, file] of Object.entries(entries)) {
    const source = program.getSourceFile(join(root, file));
    if (source === undefined) throw new Error(`${spec}: entry file ${file} not found`);
    const moduleSymbol = checker.getSymbolAtLocation(source);
    const exports = moduleSymbol === undefined ? [] : checker.getExportsOfModule(moduleSymbol);
    api[spec] = exports
      .map((s) => `${s.getName()}: ${kindOf(checker, s)}`)
      .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  }
  return api;
}

/** What changed between two API lists, per entry. */
export interface ApiDiff {
  readonly added: string[];
  readonly removed: string[];
}

const nameOf = (line: string): string => line.slice(0, line.indexOf(":"));

/** Exports (`entry` + name) present in `next` and not in `prev`, and the other way round. */
export function diffApi(prev: PublicApi, next: PublicApi): ApiDiff {
  const flat = (api: PublicApi): Set<string> =>
    new Set(
      Object.entries(api).flatMap(([spec, lines]) => lines.map((l) => `${spec} ${nameOf(l)}`)),
    );
  const a = flat(prev);
  const b = flat(next);
  return {
    added: [...b].filter((x) => !a.has(x)).sort(),
    removed: [...a].filter((x) => !b.has(x)).sort(),
  };
}

/** The CHANGELOG section of the coming release (from `## 0.2.0 (unreleased)` or `## [Unreleased]`). */
export function unreleasedSection(changelog: string): string {
  const lines = changelog.split("\n");
  const start = lines.findIndex((l) => /^## .*unreleased/i.test(l));
  if (start < 0) return "";
  const end = lines.findIndex((l, i) => i > start && /^## /.test(l));
  return lines.slice(start, end < 0 ? undefined : end).join("\n");
}

/**
 * The exports of `diff` that the CHANGELOG section does not name. An export counts as named when
 * its name appears in backticks in the section: alone (`parseWebhook`), inside code
 * (`import { parseWebhook } from …`), or matched by a `*` pattern (`*Schema`).
 */
export function unmentioned(diff: ApiDiff, section: string): string[] {
  const named = new Set<string>();
  const patterns: RegExp[] = [];
  for (const m of section.matchAll(/`([^`\n]+)`/g)) {
    for (const part of (m[1] as string).split(/[^A-Za-z0-9_$*]+/)) {
      if (part === "" || part === "*") continue;
      if (part.includes("*"))
        patterns.push(new RegExp(`^${part.replaceAll("*", "[A-Za-z0-9_$]*")}$`));
      else named.add(part);
    }
  }
  return [...diff.added, ...diff.removed].filter((x) => {
    const name = x.slice(x.indexOf(" ") + 1);
    return !named.has(name) && !patterns.some((p) => p.test(name));
  });
}

const stable = (api: PublicApi): string => `${JSON.stringify(api, null, 2)}\n`;

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const api = readPublicApi();
  const target = process.argv.includes("--write-released")
    ? RELEASED_PATH
    : process.argv.includes("--write")
      ? SNAPSHOT_PATH
      : undefined;
  if (target === undefined) process.stdout.write(stable(api));
  else {
    writeFileSync(join(ROOT, target), stable(api));
    console.log(`wrote ${target}`);
  }
}

export { stable as formatApi };
