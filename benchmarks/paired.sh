#!/usr/bin/env bash
# Paired ratios of the end-to-end Axon benchmarks (io.tracefold.benchmarks.PairedRun): per class
# and params, plain Axon, the peer (Axon's own OpenTelemetry module), Tracefold and Tracefold's A/A
# copy each run in a JVM of their own, one at a time, in 20 ms slices taken in turn, so a slow
# phase of the machine hits all of them alike. Writes benchmarks/results/paired.jsonl and
# regenerates benchmarks/RESULTS.md, whose targets then use these ratios (see README.md).
#
#   benchmarks/paired.sh                # every pair below, about 15 minutes on 2 cores
#   benchmarks/paired.sh 'Rehydration'  # the lines whose class matches the regex
#
# Environment: PAIRED_WARMUP_S (per line; default below), PAIRED_MEASURE_S (60), PAIRED_SLICE_MS (20).
set -euo pipefail

bench_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$bench_dir")"
results="$bench_dir/results"
jar="$bench_dir/target/benchmarks.jar"
filter="${1:-.}"

cd "$root"
echo "Building $jar"
mvn -B -q -ntp -Dstyle.color=never -pl benchmarks -am package -DskipTests -Dmaven.test.skip=true
mkdir -p "$results"
out="$results/paired.jsonl"
: >"$out"
: >"$results/paired.log"  # the applications' own logging

sides="plainAxon,peer,tracefold,tracefoldAA"
# class | params | warmup seconds (shared by the four JVMs: each gets a quarter of it)
runs=(
  "axon.RehydrationBenchmark|n=10|40"
  "axon.RehydrationBenchmark|n=1000|40"
  "axon.RehydrationBenchmark|n=10000|40"
  "axon.JdbcRehydrationBenchmark|n=10|80"
  "axon.JdbcRehydrationBenchmark|n=1000|80"
  "axon.WritePathBenchmark||40"
  "axon.ProjectionUpdateBenchmark||40"
)
for run in "${runs[@]}"; do
  IFS='|' read -r class params warmup <<<"$run"
  [[ "$class" =~ $filter ]] || continue
  echo "[paired] $class $params"
  PAIRED_WARMUP_S="${PAIRED_WARMUP_S:-$warmup}" java -cp "$jar" io.tracefold.benchmarks.PairedRun \
    "$class" "$sides" "$params" "$out" 2>>"$results/paired.log" | grep -v '^\[' \
    || { echo "paired run of $class $params failed: see $results/paired.log" >&2; exit 1; }
done
python3 "$bench_dir/report.py"
echo "Wrote $bench_dir/RESULTS.md"
