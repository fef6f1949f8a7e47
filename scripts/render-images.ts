/**
 * `npm run images`: renders the docs' pictures from data, never by hand.
 *
 * - docs/images/window.svg, fep.svg, consent.svg: threads of the demo shop's day
 *   (demo/data/shop-day.ndjson), replayed through an in-memory care-window and drawn with
 *   `renderTimeline`;
 * - docs/images/eras.svg: the WhatsApp pricing eras, from the policy data (`ERAS`).
 *
 * `npm run images -- --update` also rewrites the timeline golden files
 * (test/timeline/golden/*.svg and *.txt) from test/timeline/fixtures.ts.
 * `npm run images -- --check` writes nothing and fails when a file is stale.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { LOG_PATH } from "../demo/build-log.js";
import { parseLog } from "../src/cli/input.js";
import { applyEntry } from "../src/cli/replay.js";
import type { CareEvent, Thread } from "../src/domain/types.js";
import { ERAS } from "../src/policy/eras.js";
import { createCareWindow } from "../src/service/createCareWindow.js";
import { createMemoryStore } from "../src/store/memory.js";
import { escapeXml, renderTimeline } from "../src/timeline/svg.js";
import { renderTimelineText } from "../src/timeline/text.js";
import { GOLDEN_CASES } from "../test/timeline/fixtures.js";

const root = (path: string): string => fileURLToPath(new URL(`../${path}`, import.meta.url));

const BUSINESS = "106540352242922";

/** The three demo threads drawn in the docs, and the moment each is drawn at. */
const PICTURES: readonly {
  readonly file: string;
  readonly customer: string;
  readonly now: string;
  readonly title: string;
}[] = [
  {
    file: "window.svg",
    customer: "5511987654321",
    now: "2026-11-26T16:00:00Z",
    title: "Ana: every message restarts the 24-hour window (CSW-1, CSW-2)",
  },
  {
    file: "fep.svg",
    customer: "5511976543210",
    now: "2026-11-27T20:00:00Z",
    title: "Bruno came from an ad: the reply opened a free entry point (FEP-2, FEP-5)",
  },
  {
    file: "consent.svg",
    customer: "5531987650000",
    now: "2026-11-26T16:00:00Z",
    title: "Diego stopped marketing: replies still go, marketing does not (CONSENT-5)",
  },
];

/**
 * The docs pictures of the demo threads, file name → SVG.
 *
 * @example
 * ```ts
 * const images = await renderDemoImages();
 * images["window.svg"].startsWith("<svg"); //=> true
 * ```
 */
export async function renderDemoImages(): Promise<Record<string, string>> {
  const care = createCareWindow({
    store: createMemoryStore(),
    now: () => new Date(0),
    maxFutureSkewMs: Number.POSITIVE_INFINITY, // a replay: no "now" to be ahead of (CSW-3)
  });
  const events: CareEvent[] = [];
  for (const entry of parseLog(readFileSync(LOG_PATH, "utf8"), "shop-day.ndjson")) {
    events.push(...(await applyEntry(care, entry)).events);
  }
  const out: Record<string, string> = {};
  for (const picture of PICTURES) {
    const thread: Thread = { business: BUSINESS, customer: picture.customer };
    const state = await care.state(thread);
    out[picture.file] = renderTimeline(state, Date.parse(picture.now), {
      events,
      thread,
      title: picture.title,
      idPrefix: picture.file.replace(".svg", ""),
    });
  }
  out["eras.svg"] = renderEras();
  return out;
}

/**
 * The pricing eras (PRICE-1) as a horizontal bar chart, from `ERAS`.
 *
 * @example
 * ```ts
 * renderEras().includes("pmp-2025"); //=> true
 * ```
 */
export function renderEras(): string {
  const width = 880;
  const labels = 16;
  const left = 380;
  const right = 16;
  const rowH = 44;
  const top = 50;
  const start = Date.parse(`${ERAS[0]?.from ?? "2018-08-01"}T00:00:00Z`);
  const end = Date.parse("2027-07-01T00:00:00Z");
  const x = (ms: number): number =>
    Math.round((left + ((ms - start) / (end - start)) * (width - left - right)) * 10) / 10;
  const colors: Record<string, string> = {
    hsm: "#cbd5e1",
    conversation: "#bfdbfe",
    message: "#bbf7d0",
  };
  const height = top + ERAS.length * rowH + 84;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-labelledby="eras-title" font-family="system-ui, -apple-system, 'Segoe UI', Helvetica, Arial, sans-serif" font-size="12">`,
    `<title id="eras-title">WhatsApp pricing eras (PRICE-1), from the policy data</title>`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${labels}" y="24" font-size="15" font-weight="600" fill="#0f172a">WhatsApp pricing eras (PRICE-1), drawn from ERAS</text>`,
  ];
  for (let year = 2019; year <= 2027; year++) {
    const gx = x(Date.parse(`${year}-01-01T00:00:00Z`));
    parts.push(
      `<line x1="${gx}" y1="${top - 8}" x2="${gx}" y2="${top + ERAS.length * rowH}" stroke="#e2e8f0"/>`,
      `<text x="${gx}" y="${top + ERAS.length * rowH + 16}" text-anchor="middle" fill="#475569">${year}</text>`,
    );
  }
  ERAS.forEach((era, i) => {
    const from = Date.parse(`${era.from}T00:00:00Z`);
    const to = era.until === null ? end : Date.parse(`${era.until}T00:00:00Z`);
    const y = top + i * rowH;
    const x1 = x(from);
    const x2 = x(to);
    const label = `${era.id} · ${era.from} → ${era.until ?? "now"}`;
    const detail = `FEP ${era.freeEntryPoint ? "free" : "n/a"} · utility in window: ${era.utilityInWindow}${era.serviceTier === null ? "" : ` · ${era.serviceTier} free service/month`}`;
    parts.push(
      `<g class="era" data-id="${era.id}"><title>${escapeXml(era.title)}</title><rect x="${x1}" y="${y}" width="${Math.round((x2 - x1) * 10) / 10}" height="${rowH - 10}" rx="3" fill="${colors[era.model] ?? "#e2e8f0"}" stroke="#64748b"${era.until === null ? ' stroke-dasharray="4 3"' : ""}/><text x="${labels}" y="${y + 13}" font-weight="600" fill="#0f172a">${escapeXml(label)}</text><text x="${labels}" y="${y + 28}" font-size="11" fill="#334155">${escapeXml(detail)}</text></g>`,
    );
  });
  const ly = top + ERAS.length * rowH + 40;
  let lx = labels;
  for (const [model, color] of Object.entries(colors)) {
    const text = `${model}-based`;
    parts.push(
      `<rect x="${lx}" y="${ly - 10}" width="18" height="12" fill="${color}" stroke="#64748b"/><text x="${lx + 24}" y="${ly}" fill="#0f172a">${escapeXml(text)}</text>`,
    );
    lx += 150;
  }
  parts.push(
    `<text x="${labels}" y="${ly + 22}" fill="#475569">Each era starts at 00:00 in the account's time zone (OPEN-6). Dashed: the current era.</text>`,
  );
  parts.push("</svg>");
  return `${parts.join("\n")}\n`;
}

/**
 * The timeline golden files, file name → content (SVG and text of each fixture).
 *
 * @example
 * ```ts
 * renderGoldens()["window.svg"]; // what test/timeline/golden/window.svg must hold
 * ```
 */
export function renderGoldens(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const c of GOLDEN_CASES) {
    out[`${c.name}.svg`] = renderTimeline(c.state, c.now, c.options);
    const { width: _w, idPrefix: _p, ...textOptions } = c.options;
    out[`${c.name}.txt`] = renderTimelineText(c.state, c.now, textOptions);
  }
  return out;
}

async function run(): Promise<void> {
  const check = process.argv.includes("--check");
  const files: [string, string][] = Object.entries(await renderDemoImages()).map(([f, s]) => [
    root(`docs/images/${f}`),
    s,
  ]);
  if (process.argv.includes("--update") || check) {
    for (const [f, s] of Object.entries(renderGoldens())) {
      files.push([root(`test/timeline/golden/${f}`), s]);
    }
  }
  let stale = 0;
  for (const [path, text] of files) {
    if (check) {
      let current = "";
      try {
        current = readFileSync(path, "utf8");
      } catch {
        // missing counts as stale
      }
      if (current !== text) {
        stale++;
        process.stderr.write(`stale: ${path}\n`);
      }
    } else {
      writeFileSync(path, text);
      process.stdout.write(`wrote ${path}\n`);
    }
  }
  if (stale > 0) {
    process.stderr.write("run: npm run images -- --update\n");
    process.exitCode = 1;
  }
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  await run();
}
