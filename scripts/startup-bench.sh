#!/usr/bin/env bash
# Start-up cost of obs: runs `java Hello` and `java -javaagent:obs.jar Hello` alternately (the order flips
# every round so drift hits both equally), RUNS times each after one untimed warm-up of each, and reports
# the medians of wall time (judged) and of CPU time (user + system, informational) and their
# differences, once per weave-cache state in CACHE. Exits 1 when obs adds more than
# THRESHOLD_MS in any of them.
#
# Environment:
#   OBS_JAR       agent jar (default: <repo>/agent/target/obs.jar; built with mvn if missing)
#   BASELINE_JAR  optional second agent jar (e.g. the obs.jar of main) run in the same rounds, in rotating
#                 order with the other two, and reported beside it (informational; the verdict is OBS_JAR's)
#   RUNS          timed runs per variant (default 15, minimum 10)
#   THRESHOLD_MS  allowed median difference in ms (default 100)
#   CACHE         weave-cache states to measure, space-separated (default "warm cold"):
#                   warm  one cache directory for every run, filled by the untimed runs (a restart)
#                   cold  a new empty directory each run (a first run: nothing woven before)
#                   off   obs.weave.cache.dir=off
#   OBS_ARGS      extra JVM flags for the agent run only (default "-Dobs.methods.include=com.acme.Repo[sync]":
#                 every family on, with a pointcut; set "-Dobs.methods.include=Hello[main]" to also make
#                 Hello wait for its own class to be woven)
#   JAVA          java launcher (default: java on PATH); JAVAC likewise
#   HYPERFINE=1   also run hyperfine (if installed) as a cross-check; it does not alternate runs
# Usage: scripts/startup-bench.sh [RUNS]
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OBS_JAR="${OBS_JAR:-$ROOT/agent/target/obs.jar}"
RUNS="${1:-${RUNS:-15}}"
THRESHOLD_MS="${THRESHOLD_MS:-100}"
CACHE="${CACHE:-warm cold}"
OBS_ARGS="${OBS_ARGS:--Dobs.methods.include=com.acme.Repo[sync]}"
JAVA="${JAVA:-java}"
JAVAC="${JAVAC:-javac}"

if (( RUNS < 10 )); then
  echo "RUNS must be >= 10 (got $RUNS)" >&2
  exit 2
fi
for state in $CACHE; do
  case "$state" in
    warm|cold|off) ;;
    *) echo "CACHE: '$state' is none of warm, cold, off" >&2; exit 2 ;;
  esac
done

if [[ ! -f "$OBS_JAR" ]]; then
  echo "startup-bench: $OBS_JAR missing, building it (mvn -pl agent -am package)" >&2
  (cd "$ROOT" && mvn -B -q -pl agent -am package -DskipTests)
fi

WORK="$(mktemp -d "${TMPDIR:-/tmp}/obs-startup.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
cat > "$WORK/Hello.java" <<'JAVA'
public class Hello {
    public static void main(String[] args) {
        System.out.println("Hello");
    }
}
JAVA
"$JAVAC" -d "$WORK" "$WORK/Hello.java"
# The agent's default exporter writes ./obs-data: run in the temp dir so it lands there.
cd "$WORK"

PLAIN_CMD=("$JAVA" -cp "$WORK" Hello)
BASELINE_JAR="${BASELINE_JAR:-}"
if [[ -n "$BASELINE_JAR" && ! -f "$BASELINE_JAR" ]]; then
  echo "BASELINE_JAR: $BASELINE_JAR is not a file" >&2
  exit 2
fi

# The weave-cache flag of the next agent run in cache state $1; a cold run gets a directory of its own.
cache_flag() {
  case "$1" in
    warm) echo "-Dobs.weave.cache.dir=$WORK/cache-warm" ;;
    off) echo "-Dobs.weave.cache.dir=off" ;;
    cold) echo "-Dobs.weave.cache.dir=$(mktemp -d "$WORK/cache-cold.XXXXXX")" ;;
  esac
}

# Prints "wall cpu" of "$@" in ms: elapsed, and user + system time of the JVM (all its threads).
time_ms() {
  local TIMEFORMAT='%3R %3U %3S' t
  t=$( { time "$@" >/dev/null 2>&1; } 2>&1 )
  echo "$t" | awk '{printf "%.1f %.1f", $1 * 1000, ($2 + $3) * 1000}'
}

median() { sort -n | awk '{a[NR]=$1} END {if (NR % 2) print a[(NR+1)/2]; else printf "%.3f\n", (a[NR/2] + a[NR/2+1]) / 2}'; }
minimum() { sort -n | head -1; }

# Sanity: both print Hello; the agent must actually start. Also the warm-up of each variant.
out="$("${PLAIN_CMD[@]}" 2>&1)"
[[ "$out" == *Hello* ]] || { echo "plain run failed: $out" >&2; exit 2; }
failed=0
summary=()
for state in $CACHE; do
  # shellcheck disable=SC2206
  # the baseline jar keeps a warm cache of its own (the two jars' cache files differ)
  # shellcheck disable=SC2206
  agent_cmd() { AGENT_CMD=("$JAVA" "-javaagent:$OBS_JAR" "$(cache_flag "$state")" $OBS_ARGS -cp "$WORK" Hello); }
  # shellcheck disable=SC2206
  baseline_cmd() {
    BASE_CMD=("$JAVA" "-javaagent:$BASELINE_JAR" "$(cache_flag "$state" | sed 's/cache-warm$/cache-warm-baseline/')" \
      $OBS_ARGS -cp "$WORK" Hello)
  }
  agent_cmd
  out="$("${AGENT_CMD[@]}" 2>&1)"
  [[ "$out" == *Hello* ]] || { echo "agent run failed: $out" >&2; exit 2; }
  if [[ "$out" == *"agent not started"* ]]; then
    echo "obs did not start: $out" >&2
    exit 2
  fi
  if [[ -n "$BASELINE_JAR" ]]; then
    baseline_cmd
    "${BASE_CMD[@]}" >/dev/null 2>&1
  fi

  plain=()
  agent=()
  base=()
  for ((i = 1; i <= RUNS; i++)); do
    agent_cmd
    if [[ -n "$BASELINE_JAR" ]]; then
      baseline_cmd
      # plain, obs, baseline in an order that rotates every round
      case $(( i % 3 )) in
        1) plain+=("$(time_ms "${PLAIN_CMD[@]}")"); agent+=("$(time_ms "${AGENT_CMD[@]}")")
           base+=("$(time_ms "${BASE_CMD[@]}")") ;;
        2) agent+=("$(time_ms "${AGENT_CMD[@]}")"); base+=("$(time_ms "${BASE_CMD[@]}")")
           plain+=("$(time_ms "${PLAIN_CMD[@]}")") ;;
        0) base+=("$(time_ms "${BASE_CMD[@]}")"); plain+=("$(time_ms "${PLAIN_CMD[@]}")")
           agent+=("$(time_ms "${AGENT_CMD[@]}")") ;;
      esac
    elif (( i % 2 )); then
      plain+=("$(time_ms "${PLAIN_CMD[@]}")")
      agent+=("$(time_ms "${AGENT_CMD[@]}")")
    else
      agent+=("$(time_ms "${AGENT_CMD[@]}")")
      plain+=("$(time_ms "${PLAIN_CMD[@]}")")
    fi
  done

  wall() { printf '%s\n' "$@" | cut -d' ' -f1; }
  cpu() { printf '%s\n' "$@" | cut -d' ' -f2; }
  p_med=$(wall "${plain[@]}" | median)
  a_med=$(wall "${agent[@]}" | median)
  p_min=$(wall "${plain[@]}" | minimum)
  a_min=$(wall "${agent[@]}" | minimum)
  p_cpu=$(cpu "${plain[@]}" | median)
  a_cpu=$(cpu "${agent[@]}" | median)
  diff=$(awk -v a="$a_med" -v p="$p_med" 'BEGIN {printf "%.1f", a - p}')
  ratio=$(awk -v a="$a_med" -v p="$p_med" 'BEGIN {printf "%.2f", a / p}')
  cpu_diff=$(awk -v a="$a_cpu" -v p="$p_cpu" 'BEGIN {printf "%.1f", a - p}')

  echo
  echo "== startup-bench, weave cache $state: $RUNS alternating runs each ($("$JAVA" -version 2>&1 | head -1))"
  echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
  echo "agent: $OBS_JAR ${OBS_ARGS:+ OBS_ARGS=$OBS_ARGS}"
  printf '%-28s %10s %10s %14s\n' "variant" "median ms" "min ms" "median CPU ms"
  printf '%-28s %10s %10s %14s\n' "java Hello" "$p_med" "$p_min" "$p_cpu"
  printf '%-28s %10s %10s %14s\n' "java -javaagent:obs.jar" "$a_med" "$a_min" "$a_cpu"
  printf '%-28s %10s %10s %14s   (wall ratio %sx)\n' "obs adds" "$diff" "" "$cpu_diff" "$ratio"
  if [[ -n "$BASELINE_JAR" ]]; then
    b_med=$(wall "${base[@]}" | median)
    b_min=$(wall "${base[@]}" | minimum)
    b_cpu=$(cpu "${base[@]}" | median)
    printf '%-28s %10s %10s %14s\n' "baseline jar" "$b_med" "$b_min" "$b_cpu"
    printf '%-28s %10s %10s %14s   (%s)\n' "baseline adds" "$(awk -v a="$b_med" -v p="$p_med" 'BEGIN {printf "%.1f", a - p}')" \
      "" "$(awk -v a="$b_cpu" -v p="$p_cpu" 'BEGIN {printf "%.1f", a - p}')" "$BASELINE_JAR"
    printf '%-28s %10s %10s %14s\n' "obs jar - baseline jar" "$(awk -v a="$a_med" -v b="$b_med" 'BEGIN {printf "%.1f", a - b}')" \
      "" "$(awk -v a="$a_cpu" -v b="$b_cpu" 'BEGIN {printf "%.1f", a - b}')"
  fi
  echo "plain runs ms (wall): $(wall "${plain[@]}" | tr '\n' ' ')"
  echo "agent runs ms (wall): $(wall "${agent[@]}" | tr '\n' ' ')"
  [[ -z "$BASELINE_JAR" ]] || echo "baseline runs ms (wall): $(wall "${base[@]}" | tr '\n' ' ')"

  if [[ "${HYPERFINE:-0}" == 1 ]] && command -v hyperfine >/dev/null; then
    agent_cmd
    hyperfine -N --warmup 2 --runs "$RUNS" "${PLAIN_CMD[*]}" "${AGENT_CMD[*]}" || true
  fi

  if awk -v d="$diff" -v t="$THRESHOLD_MS" 'BEGIN {exit !(d > t)}'; then
    summary+=("  [FAIL] weave cache $state: obs adds ${diff} ms > ${THRESHOLD_MS} ms")
    failed=1
  else
    summary+=("  [PASS] weave cache $state: obs adds ${diff} ms <= ${THRESHOLD_MS} ms")
  fi
done
echo
printf '%s\n' "${summary[@]}"
exit "$failed"
