// Bytes allocated per call of bench/callgrind/loop.mjs, by the function that allocated them: V8's
// sampling heap profiler with the objects that minor and major GCs collected included (so it
// counts what was allocated, not what is live). Same environment as loop.mjs (DIST, WHICH,
// HOST, UNSEALED, INTENT); N defaults to 300000 per round (3 rounds).
// usage: DIST=$PWD/dist/index.js WHICH=verdict node bench/callgrind/alloc.mjs (DIST absolute)
import { Session } from "node:inspector/promises";

const session = new Session();
session.connect();
await session.post("HeapProfiler.enable");
await session.post("HeapProfiler.startSampling", {
  samplingInterval: 256,
  includeObjectsCollectedByMinorGC: true,
  includeObjectsCollectedByMajorGC: true,
});
process.env.N ??= "300000";
await import(new URL("./loop.mjs", import.meta.url).href);
const { profile } = await session.post("HeapProfiler.stopSampling");
const bytes = new Map();
const walk = (node) => {
  const f = node.callFrame;
  const name = `${f.functionName || "(anonymous)"} ${f.url.replace(/.*\/dist\//, "")}:${f.lineNumber}`;
  bytes.set(name, (bytes.get(name) ?? 0) + node.selfSize);
  for (const child of node.children) walk(child);
};
walk(profile.head);
const calls = 3 * Number(process.env.N);
const total = [...bytes.values()].reduce((a, b) => a + b, 0);
console.log(`${(total / calls).toFixed(1)} bytes per call in all`);
for (const [name, n] of [...bytes].sort((a, b) => b[1] - a[1]).slice(0, 12)) {
  console.log(`${(n / calls).toFixed(1).padStart(8)}  ${name}`);
}
