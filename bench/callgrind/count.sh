#!/usr/bin/env bash
# Instructions per decision, load-independent: runs bench/callgrind/loop.mjs under valgrind's
# callgrind with N and with 1 decision per round (3 rounds each) and prints the difference per
# decision. Large N (200000) reads the steady state; small N (20000) includes JIT warm-up.
# Run to run, the figure moves by up to ±10 % (JIT timing), so compare builds in the same run.
# HOST=1 in the environment adds two host rules (see loop.mjs). NODE_FLAGS passes flags to node,
# e.g. NODE_FLAGS=--min-semi-space-size=16 gives every build the same young generation (V8 sizes
# it from the heap's history, so two builds can collect garbage at very different rates).
# usage: bench/callgrind/count.sh <dir holding dist/index.js> <decide|verdict|foldEvents|foldEvent> <N>
set -euo pipefail
dir=$1; which=$2; n=$3
here=$(cd "$(dirname "$0")" && pwd)
run() {
  DIST="$dir/dist/index.js" WHICH=$which N=$1 valgrind --tool=callgrind --callgrind-out-file=/dev/null \
    node --single-threaded ${NODE_FLAGS:-} "$here/loop.mjs" 2>&1 | grep -o "Collected : [0-9]*" | grep -o "[0-9]*"
}
a=$(run "$n"); b=$(run 1)
echo "$which $dir: $(( (a - b) / (3 * n) )) instructions per call"
