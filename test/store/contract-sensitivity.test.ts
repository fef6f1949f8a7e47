/**
 * The contract suite must be able to fail: run it, through a framework-agnostic harness, against
 * deliberately broken stores and check that the right checks catch each defect.
 */
import { describe, expect, it } from "vitest";
import { createMemoryStore } from "../../src/store/memory.js";
import type { CareWindowStore } from "../../src/store/port.js";
import { runStoreContract } from "../../src/testing.js";

async function runContract(create: () => CareWindowStore): Promise<Map<string, boolean>> {
  const tests: { name: string; fn: () => Promise<void> }[] = [];
  runStoreContract({
    name: "probe",
    create,
    describe: (_name, fn) => fn(),
    it: (name, fn) => void tests.push({ name, fn }),
    eventsPerWriter: 10,
  });
  const results = new Map<string, boolean>();
  for (const t of tests) {
    results.set(
      t.name,
      await t.fn().then(
        () => true,
        () => false,
      ),
    );
  }
  return results;
}

const failing = (results: Map<string, boolean>) =>
  [...results].filter(([, passed]) => !passed).map(([name]) => name);

describe("the contract suite catches broken adapters", () => {
  it("passes on the memory store (baseline)", async () => {
    const results = await runContract(() => createMemoryStore());
    expect(failing(results)).toEqual([]);
    expect(results.size).toBeGreaterThanOrEqual(20);
  });

  it("catches a store that ignores the expected version (last write wins)", async () => {
    const results = await runContract(() => {
      const inner = createMemoryStore();
      return {
        ...inner,
        async writeThread(key, record) {
          const v = (await inner.readThread(key))?.version ?? 0;
          return inner.writeThread(key, record, v);
        },
      };
    });
    const failed = failing(results);
    // The deterministic two-writer race check must catch it. (Whether the many-writer stress test
    // also loses an update depends on how the writers interleave, so it is not asserted here.)
    expect(failed.some((n) => n.startsWith("CAS:"))).toBe(true);
  });

  it("catches a counter that is not deduplicated per wamid", async () => {
    const results = await runContract(() => {
      const inner = createMemoryStore();
      let n = 0;
      return { ...inner, countDelivery: (b, m) => inner.countDelivery(b, m, `w${n++}`) };
    });
    expect(failing(results)).toEqual(
      expect.arrayContaining([
        "OPEN-5: countDelivery counts each wamid once per business",
        "OPEN-5: concurrent counts of the same wamids count each once",
      ]),
    );
  });

  it("catches a counter that deduplicates per (business, month, wamid): one wamid counted in two months", async () => {
    const results = await runContract(() => {
      const inner = createMemoryStore();
      return {
        ...inner,
        countDelivery: (b, m, w) => inner.countDelivery(b, m, JSON.stringify([m, w])),
      };
    });
    expect(failing(results)).toEqual(
      expect.arrayContaining([
        "OPEN-5: a wamid counts once, in the earliest month any call reported (read Nov 1 before delivered Oct 31)",
        "OPEN-5: a later month after an earlier one changes nothing (delivered Oct 31, read Nov 1)",
        "OPEN-5: every order and repetition of the same calls ends with the same counts",
        "OPEN-5: concurrent counts of one wamid in different months count it once, in the earliest",
        "OPEN-5: concurrent calls for many wamids with two months end in the earliest month",
      ]),
    );
  });

  it("catches a counter that keeps the month of the first call (0.2.0 pre-release semantics)", async () => {
    const results = await runContract(() => {
      const inner = createMemoryStore();
      const months = new Map<string, string>();
      return {
        ...inner,
        async countDelivery(b, m, w) {
          const id = JSON.stringify([b, w]);
          if (months.has(id)) return false;
          months.set(id, m);
          return inner.countDelivery(b, m, w);
        },
      };
    });
    expect(failing(results)).toEqual([
      // It remembers the wamid before the month is checked, so a refused call blocks a valid one.
      "OPEN-5: a month that is not YYYY-MM is an InvalidInputError naming it (months compare as strings)",
      "OPEN-5: a wamid counts once, in the earliest month any call reported (read Nov 1 before delivered Oct 31)",
      "OPEN-5: moves to earlier months keep every month's count right (other wamids, businesses)",
      "OPEN-5: every order and repetition of the same calls ends with the same counts",
      "OPEN-5: concurrent counts of one wamid in different months count it once, in the earliest",
      "OPEN-5: concurrent calls for many wamids with two months end in the earliest month",
    ]);
  });

  it('catches an adapter that takes any month string ("2026-9" sorts after "2026-10")', async () => {
    const results = await runContract(() => {
      const inner = createMemoryStore();
      /** Any month, padded into one the inner store accepts: no error for a malformed one. */
      const lenient = (m: string): string => {
        const [y = "2026", mm = "1"] = String(m).split("-");
        return `${y.padStart(4, "0").slice(-4)}-${mm.padStart(2, "0").slice(-2).replace("00", "01")}`;
      };
      return {
        ...inner,
        countDelivery: (b, m, w) => inner.countDelivery(b, lenient(m), w),
        serviceCount: (b, m) => inner.serviceCount(b, lenient(m)),
        readForDecision: (k, q) => inner.readForDecision(k, { ...q, month: lenient(q.month) }),
      };
    });
    expect(failing(results)).toEqual([
      "OPEN-5: a month that is not YYYY-MM is an InvalidInputError naming it (months compare as strings)",
    ]);
  });

  it("catches a counter that moves a wamid to an earlier month without uncounting the later one", async () => {
    const results = await runContract(() => {
      const inner = createMemoryStore();
      const months = new Map<string, string>();
      return {
        ...inner,
        async countDelivery(b, m, w) {
          const id = JSON.stringify([b, w]);
          const stored = months.get(id);
          if (stored !== undefined && stored <= m) return false;
          months.set(id, m);
          // Counts under a per-month id: the earlier month gains, the later one never loses.
          return inner.countDelivery(b, m, JSON.stringify([m, w]));
        },
      };
    });
    expect(failing(results)).toEqual(
      expect.arrayContaining([
        "OPEN-5: a wamid counts once, in the earliest month any call reported (read Nov 1 before delivered Oct 31)",
        "OPEN-5: moves to earlier months keep every month's count right (other wamids, businesses)",
        "OPEN-5: every order and repetition of the same calls ends with the same counts",
      ]),
    );
  });

  it("catches a catalog that keeps the last write instead of the latest category", async () => {
    const results = await runContract(() => {
      const inner = createMemoryStore();
      const entries = new Map<
        string,
        { name: string; category: "marketing" | "utility" | "authentication"; at: number }
      >();
      return {
        ...inner,
        putTemplate: async (e) => void entries.set(e.name, { ...e }),
        readCatalog: async () => [...entries.values()],
      };
    });
    expect(failing(results)).toContain(
      "TPL-7: the catalog keeps the latest category, newer-then-older",
    );
  });

  it("catches a store that hands out its internal objects", async () => {
    const results = await runContract(() => {
      const rows = new Map<string, { state: { v: number }; version: number }>();
      const inner = createMemoryStore();
      return {
        ...inner,
        readThread: async (k) => rows.get(JSON.stringify(k)),
        async writeThread(k, record, expected) {
          const id = JSON.stringify(k);
          if ((rows.get(id)?.version ?? 0) !== expected) return false;
          rows.set(id, { state: record.state, version: expected + 1 });
          return true;
        },
      };
    });
    expect(failing(results)).toContain(
      "callers cannot mutate stored data through passed or returned objects",
    );
  });
});
