/**
 * Architecture (team brief, issue 12 item 6): dependencies point one way, no import cycles in
 * src/ — type-only imports included (whatsapp/parse ↔ messenger/parse was one).
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const SRC = resolve(import.meta.dirname, "../../src");

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : path.endsWith(".ts") ? [path] : [];
  });
}

const IMPORT_RE = /(?:import|export)[^'"]*?from\s+["'](\.{1,2}\/[^"']+)["']/g;

function graph(): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const file of files(SRC)) {
    const text = readFileSync(file, "utf8");
    const deps: string[] = [];
    for (const m of text.matchAll(IMPORT_RE)) {
      deps.push(resolve(dirname(file), (m[1] as string).replace(/\.js$/, ".ts")));
    }
    out.set(file, deps);
  }
  return out;
}

function cycles(g: Map<string, string[]>): string[][] {
  const found: string[][] = [];
  const state = new Map<string, 1 | 2>();
  const stack: string[] = [];
  const visit = (n: string) => {
    state.set(n, 1);
    stack.push(n);
    for (const d of g.get(n) ?? []) {
      if (!g.has(d)) continue;
      if (state.get(d) === 1) found.push(stack.slice(stack.indexOf(d)).concat(d));
      else if (state.get(d) === undefined) visit(d);
    }
    stack.pop();
    state.set(n, 2);
  };
  for (const n of g.keys()) if (state.get(n) === undefined) visit(n);
  return found.map((c) => c.map((f) => relative(SRC, f)));
}

describe("architecture: no import cycles in src/", () => {
  it("whatsapp/parse and messenger/parse do not import each other both ways", () => {
    const g = graph();
    const messenger = g.get(join(SRC, "messenger/parse.ts")) ?? [];
    expect(messenger).not.toContain(join(SRC, "whatsapp/parse.ts"));
    expect(g.get(join(SRC, "whatsapp/collector.ts"))).not.toContain(join(SRC, "whatsapp/parse.ts"));
  });

  // window/decide.ts ↔ window/social.ts is issue 12's (the rule table rewrite): checked there.
  it("no cycle passes through the edges, the domain or the service", () => {
    const mine = /^(whatsapp|messenger|domain|service|store)\//;
    expect(cycles(graph()).filter((c) => c.some((f) => mine.test(f)))).toEqual([]);
  });
});
