import type { CareWindowStore } from "../../src/store/port.js";

/** Wraps a store and counts calls per port method (round trips). */
export function countingStore<S extends CareWindowStore>(
  inner: S,
): { store: CareWindowStore; calls: Record<string, number>; reset(): void; total(): number } {
  const calls: Record<string, number> = {};
  const store = new Proxy(inner, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver);
      if (typeof value !== "function" || typeof prop !== "string") return value;
      return (...args: unknown[]) => {
        calls[prop] = (calls[prop] ?? 0) + 1;
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return {
    store,
    calls,
    reset() {
      for (const k of Object.keys(calls)) delete calls[k];
    },
    total() {
      return Object.values(calls).reduce((a, b) => a + b, 0);
    },
  };
}
