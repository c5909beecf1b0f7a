#!/usr/bin/env bash
# Start-up cost of obs: runs `java Hello` and `java -javaagent:obs.jar Hello` alternately (the order flips
# every round so drift hits both equally), RUNS times each after one untimed warm-up of each, and reports
# the medians and their difference. Exits 1 when obs adds more than THRESHOLD_MS.
#
# Environment:
#   OBS_JAR       agent jar (default: <repo>/agent/target/obs.jar; built with mvn if missing)
#   RUNS          timed runs per variant (default 15, minimum 10)
#   THRESHOLD_MS  allowed median difference in ms (default 150)
#   OBS_ARGS      extra JVM flags for the agent run only (default "-Dobs.methods.include=com.acme.Repo[sync]":
#                 every family on, with a pointcut, Byte Buddy warming up on obs-weaver; set
#                 "-Dobs.methods.include=Hello[main]" to also make Hello wait for its own class to be woven)
#   JAVA          java launcher (default: java on PATH); JAVAC likewise
#   HYPERFINE=1   also run hyperfine (if installed) as a cross-check; it does not alternate runs
# Usage: scripts/startup-bench.sh [RUNS]
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OBS_JAR="${OBS_JAR:-$ROOT/agent/target/obs.jar}"
RUNS="${1:-${RUNS:-15}}"
THRESHOLD_MS="${THRESHOLD_MS:-150}"
OBS_ARGS="${OBS_ARGS:--Dobs.methods.include=com.acme.Repo[sync]}"
JAVA="${JAVA:-java}"
JAVAC="${JAVAC:-javac}"

if (( RUNS < 10 )); then
  echo "RUNS must be >= 10 (got $RUNS)" >&2
  exit 2
fi

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

# shellcheck disable=SC2206
AGENT_CMD=("$JAVA" "-javaagent:$OBS_JAR" $OBS_ARGS -cp "$WORK" Hello)
PLAIN_CMD=("$JAVA" -cp "$WORK" Hello)

# Sanity: both print Hello; the agent must actually start.
out="$("${PLAIN_CMD[@]}" 2>&1)"
[[ "$out" == *Hello* ]] || { echo "plain run failed: $out" >&2; exit 2; }
out="$("${AGENT_CMD[@]}" 2>&1)"
[[ "$out" == *Hello* ]] || { echo "agent run failed: $out" >&2; exit 2; }
if [[ "$out" == *"agent not started"* ]]; then
  echo "obs did not start: $out" >&2
  exit 2
fi

time_ms() { # prints wall time of "$@" in ms (3 decimals)
  local t0 t1
  t0=$(date +%s%N)
  "$@" >/dev/null 2>&1
  t1=$(date +%s%N)
  echo "$(( (t1 - t0) / 1000 ))" | awk '{printf "%.3f", $1 / 1000}'
}

median() { sort -n | awk '{a[NR]=$1} END {if (NR % 2) print a[(NR+1)/2]; else printf "%.3f\n", (a[NR/2] + a[NR/2+1]) / 2}'; }
minimum() { sort -n | head -1; }

plain=()
agent=()
for ((i = 1; i <= RUNS; i++)); do
  if (( i % 2 )); then
    plain+=("$(time_ms "${PLAIN_CMD[@]}")")
    agent+=("$(time_ms "${AGENT_CMD[@]}")")
  else
    agent+=("$(time_ms "${AGENT_CMD[@]}")")
    plain+=("$(time_ms "${PLAIN_CMD[@]}")")
  fi
done

p_med=$(printf '%s\n' "${plain[@]}" | median)
a_med=$(printf '%s\n' "${agent[@]}" | median)
p_min=$(printf '%s\n' "${plain[@]}" | minimum)
a_min=$(printf '%s\n' "${agent[@]}" | minimum)
diff=$(awk -v a="$a_med" -v p="$p_med" 'BEGIN {printf "%.1f", a - p}')
ratio=$(awk -v a="$a_med" -v p="$p_med" 'BEGIN {printf "%.2f", a / p}')

echo
echo "== startup-bench: $RUNS alternating runs each ($("$JAVA" -version 2>&1 | head -1))"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
echo "agent: $OBS_JAR ${OBS_ARGS:+ OBS_ARGS=$OBS_ARGS}"
printf '%-28s %10s %10s\n' "variant" "median ms" "min ms"
printf '%-28s %10s %10s\n' "java Hello" "$p_med" "$p_min"
printf '%-28s %10s %10s\n' "java -javaagent:obs.jar" "$a_med" "$a_min"
printf '%-28s %10s   (ratio %sx)\n' "obs adds" "$diff" "$ratio"
echo "plain runs ms: ${plain[*]}"
echo "agent runs ms: ${agent[*]}"

if [[ "${HYPERFINE:-0}" == 1 ]] && command -v hyperfine >/dev/null; then
  hyperfine -N --warmup 2 --runs "$RUNS" "${PLAIN_CMD[*]}" "${AGENT_CMD[*]}" || true
fi

if awk -v d="$diff" -v t="$THRESHOLD_MS" 'BEGIN {exit !(d > t)}'; then
  echo "  [FAIL] obs adds ${diff} ms > ${THRESHOLD_MS} ms"
  exit 1
fi
echo "  [PASS] obs adds ${diff} ms <= ${THRESHOLD_MS} ms"
