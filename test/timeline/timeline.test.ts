import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { renderGoldens } from "../../scripts/render-images.js";
import { InvalidInputError } from "../../src/domain/errors.js";
import type { ThreadEvent } from "../../src/domain/types.js";
import { renderTimeline, renderTimelineText } from "../../src/timeline/index.js";
import { DAY_MS, emptyState, foldEvents } from "../../src/window/state.js";
import { GOLDEN_CASES } from "./fixtures.js";
import { allElements, byClass, parseXml, textOf } from "./xml.js";

const golden = (file: string): string =>
  readFileSync(fileURLToPath(new URL(`./golden/${file}`, import.meta.url)), "utf8");
const at = (iso: string): number => Date.parse(iso);
const thread = { business: "106540352242922", customer: "5511987654321" };
const caseNamed = (name: string) => {
  const c = GOLDEN_CASES.find((g) => g.name === name);
  if (c === undefined) throw new Error(name);
  return c;
};
const svgOf = (name: string) => {
  const c = caseNamed(name);
  return parseXml(renderTimeline(c.state, c.now, c.options));
};

describe("golden files (regenerate with `npm run images -- --update`)", () => {
  const rendered = renderGoldens();
  for (const [file, text] of Object.entries(rendered)) {
    it(`${file} matches test/timeline/golden/${file}`, () => {
      expect(text, "run: npm run images -- --update, and review the diff").toBe(golden(file));
    });
  }
  it("covers every fixture in both forms", () => {
    expect(Object.keys(rendered)).toHaveLength(GOLDEN_CASES.length * 2);
  });
});

describe("renderTimeline: the SVG", () => {
  it("is well-formed XML with an svg root, a title and a desc", () => {
    for (const c of GOLDEN_CASES) {
      const root = parseXml(renderTimeline(c.state, c.now, c.options));
      expect(root.name).toBe("svg");
      expect(root.attrs.xmlns).toBe("http://www.w3.org/2000/svg");
      expect(root.attrs.role).toBe("img");
      expect(root.children.map((e) => e.name)).toEqual(
        expect.arrayContaining(["title", "desc", "defs", "g", "text"]),
      );
    }
  });

  it("CSW-2: the window band is [T, T+24h) in absolute time, and a later call starts a new one", () => {
    const root = svgOf("window");
    const bands = byClass(root, "cw-window");
    expect(bands.map((b) => [b.attrs["data-from"], b.attrs["data-to"]])).toEqual([
      ["2026-11-24T09:00:00.000Z", "2026-11-25T20:00:00.000Z"], // 09:00 and 20:00 merge (CSW-1)
      ["2026-11-26T08:00:00.000Z", "2026-11-26T12:00:00.000Z"], // cut by the 131047 (CSW-12)
    ]);
  });

  it("CSW-12: a window closed by 131047 gets an end mark and says so", () => {
    const root = svgOf("window");
    const last = byClass(root, "cw-window").at(-1);
    expect(last).toBeDefined();
    expect(textOf(last!)).toContain("closed by 131047");
    expect(allElements(last!).some((e) => e.name === "line")).toBe(true);
    expect(byClass(root, "cw-failed")).toHaveLength(1);
  });

  it("OPEN-3: a reaction is drawn as 'other inbound' and opens no window", () => {
    const root = svgOf("window");
    expect(byClass(root, "cw-inbound-other")).toHaveLength(1);
    expect(byClass(root, "cw-message")).toHaveLength(2);
    expect(byClass(root, "cw-call")).toHaveLength(1);
  });

  it("without events only the latest instant per kind is drawn (and the windows they open)", () => {
    const root = svgOf("window-state-only");
    // The 09:00 message is forgotten by the state; its 20:00 one and the call remain.
    expect(byClass(root, "cw-message")).toHaveLength(1);
    expect(byClass(root, "cw-window").map((b) => b.attrs["data-from"])).toEqual([
      "2026-11-24T20:00:00.000Z",
      "2026-11-26T08:00:00.000Z",
    ]);
    expect(textOf(byClass(root, "cw-subtitle")[0]!)).toContain("times in America/Sao_Paulo");
  });

  it("OPEN-1: an estimated FEP is hatched (pattern fill) and dashed; the pattern is defined", () => {
    const root = svgOf("fep-estimated");
    const band = byClass(root, "cw-fep-estimated")[0];
    expect(band).toBeDefined();
    const rect = band!.children.find((e) => e.name === "rect");
    expect(rect?.attrs.fill).toBe("url(#cw-hatch)");
    expect(rect?.attrs["stroke-dasharray"]).toBeDefined();
    expect(allElements(root).some((e) => e.name === "pattern" && e.attrs.id === "cw-hatch")).toBe(
      true,
    );
    // OPEN-1 (confirmed 2026-12-06): 72 h (FEP_ESTIMATES) from the activating reply.
    expect(band!.attrs["data-from"]).toBe("2026-11-26T10:30:00.000Z");
    expect(band!.attrs["data-to"]).toBe("2026-11-29T10:30:00.000Z");
    expect(byClass(root, "cw-ad")).toHaveLength(1);
  });

  it("FEP-3: a platform-reported FEP is solid and ends at the reported expiry", () => {
    const events: ThreadEvent[] = [
      {
        kind: "inbound",
        id: "w1",
        type: "text",
        at: at("2026-11-26T10:00:00Z"),
        thread,
        referral: { sourceType: "ad" },
      },
      {
        kind: "status",
        id: "w2",
        status: "sent",
        at: at("2026-11-26T10:05:00Z"),
        thread,
        pricing: { type: "free_entry_point" },
        conversationExpiresAt: at("2026-12-03T10:05:00Z"),
      },
    ];
    const root = parseXml(
      renderTimeline(foldEvents(emptyState(), events), at("2026-11-27T12:00:00Z"), { events }),
    );
    const band = byClass(root, "cw-fep-platform")[0];
    expect(band?.attrs["data-to"]).toBe("2026-12-03T10:05:00.000Z");
    expect(band?.attrs["data-from"]).toBe("2026-11-26T10:05:00.000Z");
    expect(band!.children.find((e) => e.name === "rect")?.attrs.fill).not.toContain("url(");
  });

  it("FEP-2: an ad entry not yet answered shows the reply-by band until entry + 24 h", () => {
    const root = svgOf("fep-activatable");
    const band = byClass(root, "cw-fep-activatable")[0];
    expect(band?.attrs["data-to"]).toBe("2026-11-27T10:00:00.000Z");
    expect(textOf(band!)).toContain("reply before 27 Nov 10:00");
  });

  it("CONSENT-*: opt-in, opt-out, marketing stop, block markers and the 131049 limit band", () => {
    const root = svgOf("consent");
    for (const cls of ["cw-opt-in", "cw-opt-out", "cw-marketing-stop", "cw-block"]) {
      expect(byClass(root, cls), cls).toHaveLength(1);
    }
    const limit = byClass(root, "cw-marketing-limited")[0];
    expect(limit?.attrs["data-to"]).toBe(
      new Date(at("2026-11-26T16:00:00Z") + DAY_MS).toISOString(),
    );
  });

  it("has a now line at now, and a legend naming only what is drawn (plus window and now)", () => {
    const root = svgOf("consent");
    expect(byClass(root, "cw-now")[0]?.attrs["data-at"]).toBe("2026-11-27T10:00:00.000Z");
    const legend = textOf(byClass(root, "cw-legend")[0]!);
    expect(legend).toContain("opt-out recorded");
    expect(legend).toContain("now");
    expect(legend).not.toContain("customer call");
  });

  it("escapes text: titles and tooltips round-trip through the XML parser", () => {
    const root = svgOf("consent");
    expect(textOf(root.children.find((e) => e.name === "title")!)).toBe("Consent <& limits>");
    const optIn = byClass(root, "cw-opt-in")[0]!;
    expect(textOf(optIn)).toContain('checkout <form> & "app"');
    const raw = renderTimeline(emptyState(), 0, { title: "bad \u0001 char" });
    expect(() => parseXml(raw)).not.toThrow();
  });

  it("is deterministic, and idPrefix keeps several pictures' ids apart", () => {
    const c = caseNamed("fep-estimated");
    const a = renderTimeline(c.state, c.now, c.options);
    expect(renderTimeline(c.state, c.now, c.options)).toBe(a);
    const b = renderTimeline(c.state, c.now, { ...c.options, idPrefix: "other" });
    const ids = (svg: string) =>
      allElements(parseXml(svg))
        .map((e) => e.attrs.id)
        .filter((id) => id !== undefined);
    expect(ids(a).some((id) => ids(b).includes(id))).toBe(false);
  });

  it("honours width and an explicit range; markers outside the range are left out", () => {
    const c = caseNamed("window");
    const root = parseXml(
      renderTimeline(c.state, c.now, {
        ...c.options,
        width: 600,
        from: at("2026-11-26T00:00:00Z"),
        to: at("2026-11-26T18:00:00Z"),
      }),
    );
    expect(root.attrs.width).toBe("600");
    expect(byClass(root, "cw-message")).toHaveLength(0);
    expect(byClass(root, "cw-call")).toHaveLength(1);
  });

  it("rejects bad options with a typed error naming the field", () => {
    const s = emptyState();
    const field = (f: () => unknown): string | undefined => {
      try {
        f();
      } catch (e) {
        expect(e).toBeInstanceOf(InvalidInputError);
        return (e as InvalidInputError).field;
      }
      return undefined;
    };
    expect(field(() => renderTimeline(s, 0, { timeZone: "Mars/Olympus" }))).toBe(
      "options.timeZone",
    );
    expect(field(() => renderTimeline(s, 10, { from: 10, to: 5 }))).toBe("options.from");
    expect(field(() => renderTimeline(s, Number.NaN))).toBe("now");
    expect(field(() => renderTimeline(s, 0, { idPrefix: "1 bad" }))).toBe("options.idPrefix");
  });

  it("property: any event history renders to well-formed XML with one now line", () => {
    const base = at("2026-11-20T00:00:00Z");
    const eventArb: fc.Arbitrary<ThreadEvent> = fc.oneof(
      fc.record({
        kind: fc.constant("inbound" as const),
        id: fc.string({ minLength: 1, maxLength: 8 }),
        type: fc.constantFrom("text", "reaction", "image", "system", "<&>"),
        at: fc.integer({ min: 0, max: 10 * DAY_MS }).map((d) => base + d),
        thread: fc.constant(thread),
      }),
      fc.record({
        kind: fc.constant("status" as const),
        id: fc.string({ minLength: 1, maxLength: 8 }),
        status: fc.constantFrom("sent", "failed"),
        errors: fc.constantFrom([131047], [131049], [131050], [130403]),
        at: fc.integer({ min: 0, max: 10 * DAY_MS }).map((d) => base + d),
        thread: fc.constant(thread),
      }),
      fc.record({
        kind: fc.constant("consent" as const),
        action: fc.constantFrom("opt-in" as const, "opt-out" as const),
        scope: fc.constantFrom("all" as const, "marketing" as const),
        source: fc.string({ maxLength: 10 }),
        at: fc.integer({ min: 0, max: 10 * DAY_MS }).map((d) => base + d),
        thread: fc.constant(thread),
      }),
    );
    fc.assert(
      fc.property(
        fc.array(eventArb, { maxLength: 12 }),
        fc.integer({ min: 0, max: 12 * DAY_MS }),
        (events, offset) => {
          const state = foldEvents(emptyState(), events);
          const root = parseXml(renderTimeline(state, base + offset, { events }));
          expect(byClass(root, "cw-now")).toHaveLength(1);
          const text = renderTimelineText(state, base + offset, { events, width: 70 });
          const strips = text.split("\n").slice(2, 7);
          for (const line of strips) expect([...line]).toHaveLength(70);
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe("renderTimelineText", () => {
  it("draws five lanes of exactly `width` characters, an axis, a legend and exact instants", () => {
    const c = caseNamed("window");
    const text = renderTimelineText(c.state, c.now, { events: c.options.events ?? [], width: 90 });
    const lines = text.split("\n");
    const strips = lines.slice(2, 7);
    expect(strips.map((l) => l.slice(0, 10).trim())).toEqual([
      "customer",
      "window",
      "free entry",
      "business",
      "consent",
    ]);
    for (const l of strips) expect([...l]).toHaveLength(90);
    expect(text).toContain(
      "window                 2026-11-26 08:00 → 2026-11-26 12:00  closed by 131047",
    );
    expect(text).toContain("now                    2026-11-26 14:00 UTC");
    expect(text).toContain("✕ failed send");
  });

  it("charset ascii uses only printable ASCII", () => {
    const c = caseNamed("consent");
    const text = renderTimelineText(c.state, c.now, { ...c.options, charset: "ascii" });
    const strips = text.split("\n").slice(0, -1).join("");
    expect(/^[\x20-\x7e→]*$/.test(strips.replaceAll("→", ""))).toBe(true);
  });

  it("labels in the given time zone (OPEN-6) while the window stays absolute (CSW-2)", () => {
    const c = caseNamed("window");
    const text = renderTimelineText(c.state, c.now, { timeZone: "America/Sao_Paulo" });
    // 2026-11-26T08:00Z is 05:00 in São Paulo (UTC−3).
    expect(text).toContain("2026-11-26 05:00 → 2026-11-26 09:00");
    expect(text).toContain("America/Sao_Paulo");
  });
});
