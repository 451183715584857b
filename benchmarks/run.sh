#!/usr/bin/env bash
# Builds benchmarks.jar, runs the short profile of every JMH benchmark class under
# io.tracefold.benchmarks (or of the benchmarks matching the regex $1), and regenerates
# benchmarks/RESULTS.md from the JSON results.
#
#   benchmarks/run.sh                 # everything, about 30 minutes on 2 cores
#   benchmarks/run.sh 'Parse'         # benchmarks whose name matches the regex (JMH semantics)
#   benchmarks/run.sh 'axon'          # the end-to-end Axon classes: plain, peer and Tracefold side by side
#
# Environment:
#   JMH_OPTS        extra JMH options appended to every run, e.g. '-p n=128' or '-jvmArgsAppend -XX:+UseParallelGC'
#   BENCH_PROFILE   replaces the per-round profile (default below); JMH rejects an option given twice,
#                   so change -f/-wi/-i/-w/-r here, not in JMH_OPTS
#   BENCH_ROUNDS    rounds (default 6); each round runs every selected class once
#   BENCH_PROFILE_AXON, BENCH_ROUNDS_AXON
#                   the same for the end-to-end classes under io.tracefold.benchmarks.axon (defaults
#                   below): an operation there is a whole load or command, whose JIT warmup takes
#                   seconds, and they have the most forks, so they get a longer warmup and fewer rounds
#   BENCH_PROFILE_JDBC
#                   the profile of axon.JdbcRehydrationBenchmark alone (default below: 15 s of warmup)
#   RUN_CONDITIONS  free text for the report's "Run conditions" line (other load, machine state)
#
# Noise: the profile is run in rounds of one fork per benchmark, so a slow phase of the machine (or
# another job) hits comparator and subject alike; RESULTS.md merges the rounds. Only
# benchmarks/results/ (git-ignored) and benchmarks/RESULTS.md are written, besides Maven's target/.
set -euo pipefail

bench_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$bench_dir")"
results="$bench_dir/results"
jar="$bench_dir/target/benchmarks.jar"

filter="${1:-^io\.tracefold\.benchmarks\.}"
rounds="${BENCH_ROUNDS:-6}"
profile="${BENCH_PROFILE:--f 1 -wi 3 -i 5 -w 300ms -r 300ms}"
# A load of 10 or 1,000 events settles after 3-4 s of warmup on the reference machine; 300 ms
# iterations would measure the interpreter and C1. Tracefold gives C2 about 2.5 s more to compile
# per fork (its spans, and Axon's per-event methods grow once its hook is inlined), so the forks
# warm up for 7.5 s, not 4.
axon_rounds="${BENCH_ROUNDS_AXON:-3}"
axon_profile="${BENCH_PROFILE_AXON:--f 1 -wi 15 -i 4 -w 500ms -r 400ms}"
# The JDBC class also compiles the driver, Jackson and Axon's read path: about 10 s of C2 time on 2
# cores, still running after 4 s (JMH -prof comp), so its forks warm up for 15 s.
jdbc_profile="${BENCH_PROFILE_JDBC:--f 1 -wi 30 -i 4 -w 500ms -r 400ms}"
read -r -a profile_args <<<"$profile"
read -r -a axon_profile_args <<<"$axon_profile"
read -r -a jdbc_profile_args <<<"$jdbc_profile"
read -r -a extra_args <<<"${JMH_OPTS:-}"

cd "$root"
# Built in one reactor with the modules it depends on (core, axon-integration), from this work
# tree's sources: nothing is installed into the local Maven repository, which other builds share.
echo "Building $jar"
mvn -B -q -ntp -Dstyle.color=never -pl benchmarks -am package -DskipTests -Dmaven.test.skip=true

# Benchmarks matching the filter, from JMH's own list: classes added later (any package under
# io.tracefold.benchmarks) are picked up without touching this script.
mapfile -t benchmarks < <(java -jar "$jar" -l "$filter" | grep '^io\.tracefold\.benchmarks\.' || true)
if [[ ${#benchmarks[@]} -eq 0 ]]; then
  echo "No benchmark matches '$filter'; see: java -jar $jar -l" >&2
  exit 1
fi
mapfile -t classes < <(printf '%s\n' "${benchmarks[@]}" | sed 's/\.[^.]*$//' | sort -u)

mkdir -p "$results"
# A class that is run again replaces its previous results; other classes keep theirs.
for class in "${classes[@]}"; do
  stem="${class#io.tracefold.benchmarks.}"
  rm -f "$results/$stem".r*.json "$results/$stem".r*.log
done

started="$(date -u '+%Y-%m-%d %H:%M:%S UTC')"
started_s="$(date +%s)"
load_start="$(cut -d' ' -f1-3 /proc/loadavg)"

max_rounds=$(( rounds > axon_rounds ? rounds : axon_rounds ))
for ((round = 1; round <= max_rounds; round++)); do
  for class in "${classes[@]}"; do
    stem="${class#io.tracefold.benchmarks.}"
    if [[ "$stem" == axon.* ]]; then
      ((round <= axon_rounds)) || continue
      class_profile=("${axon_profile_args[@]}")
      if [[ "$stem" == axon.JdbcRehydrationBenchmark ]]; then
        class_profile=("${jdbc_profile_args[@]}")
      fi
      class_rounds=$axon_rounds
    else
      ((round <= rounds)) || continue
      class_profile=("${profile_args[@]}")
      class_rounds=$rounds
    fi
    # The selected methods of this class, as anchored regexes (JMH includes a name if any matches).
    mapfile -t selected < <(printf '%s\n' "${benchmarks[@]}" |
      awk -v c="$class" '{ n = $0; sub(/\.[^.]*$/, "", n); if (n == c) print }' |
      sed 's/[.$]/\\&/g; s/^/^/; s/$/$/')
    echo "[round $round/$class_rounds] $stem (${#selected[@]} methods)"
    java -jar "$jar" "${selected[@]}" "${class_profile[@]}" -foe true -prof gc \
      -rf json -rff "$results/$stem.r$round.json" "${extra_args[@]}" >"$results/$stem.r$round.log" 2>&1 || {
      echo "JMH failed; see $results/$stem.r$round.log" >&2
      exit 1
    }
  done
done

{
  echo "date: $started"
  echo "duration: $(( $(date +%s) - started_s )) s"
  echo "nproc: $(nproc)"
  echo "cpu: $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | sort | uniq -c | sed 's/^ *\([0-9]*\) /\1 x /')"
  echo "kernel: $(uname -sr)"
  echo "java: $(java -version 2>&1 | sed -n 1p)"
  echo "load average (1/5/15 min): $load_start at start, $(cut -d' ' -f1-3 /proc/loadavg) at end"
  echo "selection: $filter"
  echo "profile: $rounds rounds of: $profile -prof gc ${JMH_OPTS:-}; axon.*: $axon_rounds rounds of: $axon_profile -prof gc ${JMH_OPTS:-}"
  echo "run conditions: ${RUN_CONDITIONS:-not recorded (set RUN_CONDITIONS when running run.sh)}"
} >"$results/environment.txt"

python3 -B "$bench_dir/report.py" "$results" "$bench_dir/RESULTS.md"
echo "Wrote $bench_dir/RESULTS.md"
