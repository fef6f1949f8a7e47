#!/usr/bin/env bash
# What date-fns and @date-fns/tz cost the bundles (issue 13: the decision path may grow by at most
# 1 kB brotli): builds the committed tree (HEAD) twice in temporary copies, once as it is and once
# with hand-written.patch applied (the same calendar and words by hand, 0.1.0's algorithm: a
# double tzOffset lookup and a bisection in DST gaps, wall clocks from offset-shifted UTC
# getters; tzOffset stays, 0.1.0 used it too), measures both with scripts/bundle-budgets.ts and
# prints the difference per consumer import.
#
# usage: bash bench/date-fns-cost/run.sh   (about a minute; needs node_modules from `npm ci`)
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
for v in date-fns hand-written; do
  (cd "$work/$v" && npx tsdown >/dev/null 2>&1 && npx tsx scripts/bundle-budgets.ts >"$work/$v.md")
done
node - "$work/date-fns.md" "$work/hand-written.md" <<'JS'
const { readFileSync } = require("node:fs");
const rows = (file) => {
  const out = new Map();
  for (const line of readFileSync(file, "utf8").split("\n")) {
    const cells = line.split("|").map((c) => c.trim());
    const kb = /^\*\*([\d.]+) kB\*\*$/.exec(cells[3] ?? "");
    if (kb) out.set(cells[1], Number(kb[1]));
  }
  return out;
};
const [withFns, byHand] = [rows(process.argv[2]), rows(process.argv[3])];
console.log("| consumer import | with date-fns | hand-written | date-fns costs |");
console.log("| --- | --- | --- | --- |");
for (const [name, kb] of withFns) {
  const hand = byHand.get(name);
  if (hand === undefined) continue;
  console.log(`| ${name} | ${kb.toFixed(2)} kB | ${hand.toFixed(2)} kB | ${(kb - hand).toFixed(2)} kB |`);
}
JS
