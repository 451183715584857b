#!/usr/bin/env bash
# Paired ratios of the end-to-end Axon benchmarks (io.tracefold.benchmarks.PairedRun): per class
# and params, plain Axon, the peer (Axon's own OpenTelemetry module), Tracefold and Tracefold's A/A
# copy each run in a JVM of their own, one at a time, in 20 ms slices taken in turn, so a slow
# phase of the machine hits all of them alike. Writes benchmarks/results/paired.jsonl and
# regenerates benchmarks/RESULTS.md, whose targets then use these ratios (see README.md).
#
#   benchmarks/paired.sh                # every line below, about 25 minutes on 2 cores
#   benchmarks/paired.sh '^axon.Rehyd'  # the lines whose class matches the regex (their earlier
#                                       # records are replaced, the others' kept)
#
# Environment: PAIRED_FORKS (JVMs per side, default 3: JVMs of one side compile the code their own
# way and measured up to 8% apart), PAIRED_WARMUP_S (per line; default below), PAIRED_MEASURE_S
# (90), PAIRED_SLICE_MS (20).
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
touch "$out"
: >"$results/paired.log"  # the applications' own logging
forks="${PAIRED_FORKS:-3}"

sides="plainAxon,peer,tracefold,tracefoldAA"
# class | params | warmup seconds (shared by all the JVMs: with 4 sides and 3 forks each gets a
# twelfth of it) | more sides (other Tracefold settings)
runs=(
  "axon.RehydrationBenchmark|n=10|90"
  "axon.RehydrationBenchmark|n=1000|90"
  "axon.RehydrationBenchmark|n=10000|120"
  "axon.JdbcRehydrationBenchmark|n=10|120"
  "axon.JdbcRehydrationBenchmark|n=1000|120"
  "axon.WritePathBenchmark||120|tracefoldNoPublishSpans"
  "axon.ProjectionUpdateBenchmark||90"
)
for run in "${runs[@]}"; do
  IFS='|' read -r class params warmup extra <<<"$run"
  [[ "$class" =~ $filter ]] || continue
  echo "[paired] $class $params ($forks JVMs per side)"
  # A line measured again replaces its earlier records; the other lines' records stay.
  python3 - "$out" "$class" "$params" <<'PY'
import json, sys
path, benchmark, params = sys.argv[1:4]
with open(path) as f:
    kept = [l for l in f if l.strip() and not (json.loads(l)["benchmark"] == benchmark
                                              and json.loads(l)["params"] == params)]
with open(path, "w") as f:
    f.writelines(kept)
PY
  PAIRED_FORKS="$forks" PAIRED_WARMUP_S="${PAIRED_WARMUP_S:-$warmup}" \
    PAIRED_MEASURE_S="${PAIRED_MEASURE_S:-90}" java -cp "$jar" io.tracefold.benchmarks.PairedRun \
    "$class" "$sides${extra:+,$extra}" "$params" "$out" 2>>"$results/paired.log" | grep -v '^\[' \
    || { echo "paired run of $class $params failed: see $results/paired.log" >&2; exit 1; }
done
python3 "$bench_dir/report.py"
echo "Wrote $bench_dir/RESULTS.md"
