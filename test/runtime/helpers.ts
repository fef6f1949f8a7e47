/**
 * Shared helpers of the runtime and package tests: build the package once (with a lock, so
 * parallel test files do not race), bundle examples against the BUILT package, and sign
 * webhook bodies the way Meta does.
 */
import { spawnSync } from "node:child_process";
import { createHmac, randomBytes } from "node:crypto";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root. */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");

/** The files every consumer needs: each entry of package.json `exports` × ESM/CJS × JS/types. */
export const DIST_FILES: readonly string[] = [
  "index",
  "whatsapp",
  "messenger",
  "timeline",
  "testing",
  "postgres",
].flatMap((entry) => [".js", ".cjs", ".d.ts", ".d.cts"].map((ext) => `dist/${entry}${ext}`));

function newestMtime(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = 0;
  for (const name of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, name)));
  return newest;
}

/** Whether dist/ is missing a file or older than any source the build reads. */
export function distIsStale(root: string = ROOT): boolean {
  const files = DIST_FILES.map((f) => join(root, f));
  if (!files.every((f) => existsSync(f))) return true;
  const built = Math.min(...files.map((f) => statSync(f).mtimeMs));
  const inputs = ["src", "tsdown.config.ts", "tsconfig.build.json", "tsconfig.json"]
    .map((p) => join(root, p))
    .filter((p) => existsSync(p));
  return Math.max(...inputs.map(newestMtime)) > built;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Builds the package with `tsdown` when dist/ is missing or stale. A lock directory under
 * node_modules/.cache serialises concurrent callers (vitest runs test files in parallel); a
 * lock older than 3 minutes is considered abandoned.
 */
export async function ensureBuilt(root: string = ROOT): Promise<void> {
  const cache = join(root, "node_modules", ".cache");
  mkdirSync(cache, { recursive: true });
  const lock = join(cache, "care-window-build.lock");
  const deadline = Date.now() + 180_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      try {
        if (Date.now() - statSync(lock).mtimeMs > 180_000)
          rmSync(lock, { recursive: true, force: true });
      } catch {
        // released meanwhile
      }
      if (Date.now() > deadline) throw new Error(`timed out waiting for the build lock ${lock}`);
      await sleep(200);
    }
  }
  try {
    if (!distIsStale(root)) return;
    const tsdown = join(root, "node_modules", ".bin", "tsdown");
    const run = spawnSync(tsdown, [], { cwd: root, encoding: "utf8", timeout: 120_000 });
    if (run.status !== 0) {
      throw new Error(`tsdown failed (exit ${run.status}):\n${run.stdout}\n${run.stderr}`);
    }
    const missing = DIST_FILES.filter((f) => !existsSync(join(root, f)));
    if (missing.length > 0) throw new Error(`tsdown did not write ${missing.join(", ")}`);
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/**
 * A fresh temporary folder under node_modules/.cache whose `node_modules/care-window` links to
 * the repository, so `import "care-window"` from a file inside it resolves like a consumer's:
 * through package.json `exports` to dist/.
 */
export function consumerDir(prefix: string): string {
  const cache = join(ROOT, "node_modules", ".cache");
  mkdirSync(cache, { recursive: true });
  const dir = mkdtempSync(join(cache, `care-window-${prefix}-`));
  mkdirSync(join(dir, "node_modules"));
  symlinkSync(ROOT, join(dir, "node_modules", "care-window"), "dir");
  writeFileSync(join(dir, "package.json"), JSON.stringify({ type: "module", private: true }));
  return dir;
}

/** Bundles `entry` with esbuild (tsx's dependency), resolving `care-window` from `dir`. */
export async function bundle(options: {
  readonly dir: string;
  readonly entry: string;
  readonly outfile: string;
  readonly format: "esm" | "iife";
  readonly platform: "neutral" | "browser" | "node";
  /** Leave every package import to the runtime (Node), instead of bundling it. */
  readonly external?: boolean;
}): Promise<string> {
  const esbuild = await import("esbuild");
  await esbuild.build({
    entryPoints: [options.entry],
    outfile: options.outfile,
    bundle: true,
    format: options.format,
    platform: options.platform,
    target: "es2022",
    ...(options.platform === "node" ? {} : { mainFields: ["module", "main"] }),
    conditions: options.platform === "node" ? [] : ["workerd", "worker", "browser"],
    nodePaths: [join(options.dir, "node_modules")],
    ...(options.external === true ? { packages: "external" as const } : {}),
    logLevel: "silent",
  });
  return options.outfile;
}

/** The business number id and customer of the webhook fixtures below. */
export const BUSINESS = "106540352242922";
export const CUSTOMER = "5511987654321";
export const APP_SECRET = "test-app-secret-7f3a";
export const VERIFY_TOKEN = "test-verify-token-91c2";

/**
 * A WhatsApp `messages` webhook body holding one inbound text message, written the way Meta's
 * raw body looks: `/` escaped as `\/` and non-ASCII text kept as UTF-8. Re-serialising it with
 * `JSON.stringify(JSON.parse(body))` changes the bytes, so only a handler that keeps the raw
 * body passes the signature check.
 */
export function inboundTextBody(options: {
  readonly wamid: string;
  /** Unix seconds. */
  readonly timestamp: number;
  readonly text?: string;
  readonly business?: string;
  readonly customer?: string;
}): string {
  const business = options.business ?? BUSINESS;
  const customer = options.customer ?? CUSTOMER;
  const body = {
    object: "whatsapp_business_account",
    entry: [
      {
        id: "102290129340398",
        changes: [
          {
            field: "messages",
            value: {
              messaging_product: "whatsapp",
              metadata: { display_phone_number: "15550783881", phone_number_id: business },
              contacts: [{ profile: { name: "Ana" }, wa_id: customer }],
              messages: [
                {
                  from: customer,
                  id: options.wamid,
                  timestamp: String(options.timestamp),
                  type: "text",
                  text: { body: options.text ?? "Olá! O pedido 12/34 já saiu? 🚚" },
                },
              ],
            },
          },
        ],
      },
    ],
  };
  return JSON.stringify(body).replace(/\//g, "\\/");
}

/** `X-Hub-Signature-256` for `body` (node:crypto, independent of the library's own signer). */
export function sign(body: string | Uint8Array, secret: string = APP_SECRET): string {
  return `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
}

/** A wamid that is unique per call. */
export function wamid(): string {
  return `wamid.HBgN${randomBytes(12).toString("hex").toUpperCase()}`;
}

/** What the runtime tests read from a decision returned as JSON. */
export interface DecisionJson {
  readonly outcome: string;
  readonly reason: string;
  readonly window: { readonly open: boolean; readonly closesAt: string | null };
  readonly pricing: { readonly charge: string; readonly category: string };
  readonly explanation: string;
  readonly rules: readonly { readonly id: string; readonly source: string }[];
}
