#!/usr/bin/env bash
# What date-fns and @date-fns/tz cost the bundles (issue 13: the decision path may grow by at most
# 1 kB brotli): builds the committed tree (HEAD) twice in temporary copies, once as it is and once
# with hand-written.patch applied (the same calendar and words by hand, 0.1.0's algorithm: a
# double tzOffset lookup and a bisection in DST gaps, wall clocks from offset-shifted UTC
# getters; tzOffset stays, 0.1.0 used it too), measures both with scripts/bundle-budgets.ts and
# prints the difference per consumer import.
#
# usage: bash bench/date-fns-cost/run.sh   (about a minute; needs node_modules from `npm ci`)
# Prints bytes, brotli 11, per consumer import: what a cold start loads and the one-file bundle.
# If the patch no longer applies, the files it touches changed: regenerate it from a tree where
# the four files are hand-written again (see docs/benchmarks.md, "date-fns: what it costs").
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for v in date-fns hand-written; do
  mkdir "$work/$v"
  (cd "$root" && git archive HEAD) | tar -x -C "$work/$v"
  ln -s "$root/node_modules" "$work/$v/node_modules"
done
(cd "$work/hand-written" && patch -p1 --quiet --no-backup-if-mismatch < "$root/bench/date-fns-cost/hand-written.patch")
if grep -rqE 'from "(date-fns|@date-fns/tz)(/date[^"]*)?"' "$work/hand-written/src" --include=*.ts \
  --exclude-dir=timeline; then
  echo "the hand-written copy still imports date-fns outside src/timeline" >&2
  exit 1
fi
measure='import("./scripts/bundle-budgets.ts").then(async (m) => {
  const figures = await m.measureBundles(process.cwd(), [process.cwd() + "/node_modules"]);
  console.log(JSON.stringify(figures.map((f) => [f.name, f.brotli, f.singleFileBrotli])));
})'
for v in date-fns hand-written; do
  (cd "$work/$v" && npx tsdown >/dev/null 2>&1 && npx tsx -e "$measure" >"$work/$v.json")
done
node - "$work/date-fns.json" "$work/hand-written.json" <<'JS'
// Bytes, brotli: what a cold start loads (the budgets' measure; chunk file names, which are
// content hashes, move it by a few dozen bytes between commits) and the same import bundled
// into one file (no chunk names: the steadier of the two).
const { readFileSync } = require("node:fs");
const read = (file) => new Map(JSON.parse(readFileSync(file, "utf8")).map(([n, b, s]) => [n, { b, s }]));
const [withFns, byHand] = [read(process.argv[2]), read(process.argv[3])];
const n = (x) => x.toLocaleString("en-US");
console.log("| consumer import | loaded: with date-fns | hand-written | date-fns costs | one file: with date-fns | hand-written | date-fns costs |");
console.log("| --- | --- | --- | --- | --- | --- | --- |");
for (const [name, f] of withFns) {
  const h = byHand.get(name);
  if (h === undefined) continue;
  console.log(`| ${name} | ${n(f.b)} B | ${n(h.b)} B | **${n(f.b - h.b)} B** | ${n(f.s)} B | ${n(h.s)} B | **${n(f.s - h.s)} B** |`);
}
JS
