#!/usr/bin/env bash
# What obs adds to a Maven build: `mvn -o -q package` of a small multi-module project (build-parent, lib, app;
# app depends on lib, jctools-core and HdrHistogram) with a warm local repository, without and with
# MAVEN_OPTS=-javaagent:obs.jar (exporter none: the recording path alone), alternating (the order flips every
# round), RUNS times each after one untimed run of each. Each run starts from a project without target/, so
# every run compiles and packages the same. Wall time includes the JVM's and obs's start-up. Reports the
# medians and their ratio; PASS when obs adds at most MAX_PERCENT (default 5) per cent.
#
# The local repository is warmed once, before the timed runs, from the build machine's own local repository
# (~/.m2/repository, or LOCAL_REPO) served as a file:// mirror, so nothing is fetched from the network and
# ~/.m2 is only read.
#
# Environment:
#   OBS_JAR      agent jar (default <repo>/agent/target/obs.jar)
#   MVN          the Maven to run (default mvn on PATH)
#   RUNS         timed runs per variant (default 7, minimum 7)
#   MAX_PERCENT  allowed median overhead in per cent (default 5)
#   OBS_ARGS     extra -D flags for the agent run (default "-Dobs.exporter=none")
#   VARIANTS     more obs variants measured in the same rounds, to say where obs's time goes: space-separated
#                family names (obs with that family switched off: obs.instrumentation.<family>.enabled=false)
#                and/or "off" (obs attached with obs.enabled=false: the cost of attaching an agent at all).
#                Printed with their ratios to the no-agent median; the verdict stays obs against no agent.
#                "agentlib" attaches the same obs.jar as -agentlib:instrument=obs.jar (the JVM keeps its CDS
#                archive's module graph, which -javaagent switches off).
#                "baseline" measures BASELINE_JAR (another obs.jar, e.g. the last release) with OBS_ARGS in the
#                same rounds, so that a change is judged against its predecessor under the same machine load.
#   BASELINE_JAR the agent jar of the "baseline" variant
#   KEEP_WORK=1  keep the project and the local repository (printed) for runs by hand
# Exit status: 0 PASS, 1 FAIL, 2 could not run.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OBS_JAR="${OBS_JAR:-$ROOT/agent/target/obs.jar}"
MVN="${MVN:-mvn}"
RUNS="${RUNS:-7}"
MAX_PERCENT="${MAX_PERCENT:-5}"
OBS_ARGS="${OBS_ARGS:--Dobs.exporter=none}"
LOCAL_REPO="${LOCAL_REPO:-$HOME/.m2/repository}"

(( RUNS >= 7 )) || { echo "maven-bench: RUNS must be >= 7 (got $RUNS)" >&2; exit 2; }
[[ -f "$OBS_JAR" ]] || { echo "maven-bench: no agent jar at $OBS_JAR" >&2; exit 2; }
command -v "$MVN" >/dev/null || { echo "maven-bench: no $MVN on PATH" >&2; exit 2; }

WORK="$(mktemp -d -t obs-maven-bench-XXXXXX)"
[[ -n "${KEEP_WORK:-}" ]] || trap 'rm -rf "$WORK"' EXIT
mkdir -p "$WORK/template/lib/src/main/java/com/acme/lib" "$WORK/template/app/src/main/java/com/acme/app" "$WORK/repo"

cat > "$WORK/settings.xml" <<XML
<settings xmlns="http://maven.apache.org/SETTINGS/1.0.0">
  <mirrors><mirror><id>build-machine</id><mirrorOf>*</mirrorOf><url>file://$LOCAL_REPO</url></mirror></mirrors>
</settings>
XML
cat > "$WORK/template/pom.xml" <<'XML'
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>com.acme.build</groupId>
  <artifactId>build-parent</artifactId>
  <version>1.0</version>
  <packaging>pom</packaging>
  <modules><module>lib</module><module>app</module></modules>
  <properties>
    <maven.compiler.release>17</maven.compiler.release>
    <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
    <skipTests>true</skipTests>
  </properties>
  <build>
    <pluginManagement>
      <plugins>
        <plugin><artifactId>maven-resources-plugin</artifactId><version>3.3.1</version></plugin>
        <plugin><artifactId>maven-compiler-plugin</artifactId><version>3.13.0</version></plugin>
        <plugin><artifactId>maven-surefire-plugin</artifactId><version>3.5.2</version></plugin>
        <plugin><artifactId>maven-jar-plugin</artifactId><version>3.4.2</version></plugin>
      </plugins>
    </pluginManagement>
  </build>
</project>
XML
for m in lib app; do
  deps=""
  if [[ $m == app ]]; then
    deps='<dependency><groupId>com.acme.build</groupId><artifactId>lib</artifactId><version>1.0</version></dependency>
    <dependency><groupId>org.jctools</groupId><artifactId>jctools-core</artifactId><version>4.0.7</version></dependency>
    <dependency><groupId>org.hdrhistogram</groupId><artifactId>HdrHistogram</artifactId><version>2.2.2</version></dependency>'
  fi
  cat > "$WORK/template/$m/pom.xml" <<XML
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <parent><groupId>com.acme.build</groupId><artifactId>build-parent</artifactId><version>1.0</version></parent>
  <artifactId>$m</artifactId>
  <dependencies>$deps</dependencies>
</project>
XML
done
echo 'package com.acme.lib; public final class Lib { public static String name() { return "lib"; } }' \
  > "$WORK/template/lib/src/main/java/com/acme/lib/Lib.java"
echo 'package com.acme.app; public final class App { public static void main(String[] a) {
  System.out.println(com.acme.lib.Lib.name() + new org.jctools.queues.MpscArrayQueue<String>(8).capacity()); } }' \
  > "$WORK/template/app/src/main/java/com/acme/app/App.java"

MVN_ARGS=(-B -q -s "$WORK/settings.xml" -gs "$WORK/settings.xml" -Dmaven.repo.local="$WORK/repo")
echo "maven-bench: work directory $WORK" >&2
echo "maven-bench: warming $WORK/repo from file://$LOCAL_REPO" >&2
rm -rf "$WORK/p" && cp -r "$WORK/template" "$WORK/p"
(cd "$WORK/p" && env -u MAVEN_OPTS "$MVN" "${MVN_ARGS[@]}" package >"$WORK/warm.log" 2>&1) \
  || { cat "$WORK/warm.log" >&2; echo "maven-bench: warming the local repository failed" >&2; exit 2; }

# opts_of VARIANT: the MAVEN_OPTS of a variant (plain, obs, off, agentlib, baseline, or a family switched off)
opts_of() {
  local obs="-javaagent:$OBS_JAR -Dobs.weave.cache.dir=$WORK/weave-cache $OBS_ARGS"
  case $1 in
    plain) echo "" ;;
    obs) echo "$obs" ;;
    off) echo "$obs -Dobs.enabled=false" ;;
    agentlib) echo "-agentlib:instrument=$OBS_JAR -Dobs.weave.cache.dir=$WORK/weave-cache $OBS_ARGS" ;;
    baseline) echo "-javaagent:$BASELINE_JAR -Dobs.weave.cache.dir=$WORK/weave-cache-baseline $OBS_ARGS" ;;
    *) echo "$obs -Dobs.instrumentation.$1.enabled=false" ;;
  esac
}

# run_once VARIANT: prints the wall time in ms of one offline build of a fresh copy of the project, and
# records the CPU time (user + system, ms) of the whole build in $WORK/cpu-VARIANT
run_once() {
  rm -rf "$WORK/p" && cp -r "$WORK/template" "$WORK/p"
  local opts
  opts=$(opts_of "$1")
  local start end
  start=$(date +%s%N)
  local TIMEFORMAT='%3U %3S'
  { time (cd "$WORK/p" && MAVEN_OPTS="$opts" "$MVN" "${MVN_ARGS[@]}" -o package >"$WORK/run.log" 2>&1); } 2>"$WORK/time" \
    || { cat "$WORK/run.log" >&2; echo "maven-bench: the $1 build failed" >&2; exit 2; }
  end=$(date +%s%N)
  awk '{printf "%d\n", ($1 + $2) * 1000}' "$WORK/time" >>"$WORK/cpu-$1"
  echo $(( (end - start) / 1000000 ))
}

median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

read -r -a extra <<<"${VARIANTS:-}"
for v in "${extra[@]}"; do
  [[ $v =~ ^[a-z]+$ ]] || { echo "maven-bench: VARIANTS: '$v' is not a family name, 'off', 'agentlib' or 'baseline'" >&2; exit 2; }
  [[ $v != baseline || -f "${BASELINE_JAR:-}" ]] \
    || { echo "maven-bench: VARIANTS has baseline but BASELINE_JAR ('${BASELINE_JAR:-}') is no file" >&2; exit 2; }
done
variants=(plain obs "${extra[@]}")
for v in "${variants[@]}"; do run_once "$v" >/dev/null; done
rm -f "$WORK"/cpu-* "$WORK"/wall-*
for ((i = 0; i < RUNS; i++)); do
  # each round starts one variant later, so no variant always runs first; every other round runs them in
  # reverse order, so no variant always runs right after the same one (a rotation alone keeps the cyclic order)
  line="maven-bench: round $((i + 1)):"
  n=${#variants[@]}
  for ((k = 0; k < n; k++)); do
    if ((i % 2 == 0)); then v=${variants[$(( (i + k) % n ))]}; else v=${variants[$(( (i - k + n * RUNS) % n ))]}; fi
    ms=$(run_once "$v")
    echo "$ms" >>"$WORK/wall-$v"
    line+=" $v $ms ms"
  done
  echo "$line" >&2
done
mp=$(median <"$WORK/wall-plain")
mo=$(median <"$WORK/wall-obs")
cp_=$(median <"$WORK/cpu-plain")
verdict=$(awk -v p="$mp" -v o="$mo" -v max="$MAX_PERCENT" 'BEGIN {
  pct = (o - p) * 100 / p; printf "%+.1f %% %s", pct, (pct <= max ? "PASS" : "FAIL") }')
echo "== maven: mvn -o -q package, warm local repository, $RUNS rounds of ${#variants[@]} variants ($("$MVN" -v 2>/dev/null | head -1 | sed 's/\x1b\[[0-9;]*m//g'))"
printf '  %-40s %10s %7s %10s %7s\n' "variant" "median ms" "ratio" "cpu ms" "ratio"
for v in "${variants[@]}"; do
  case $v in
    plain) label="no agent" ;;
    obs) label="obs ($OBS_ARGS)" ;;
    off) label="obs attached, obs.enabled=false" ;;
    agentlib) label="obs as -agentlib:instrument=obs.jar" ;;
    baseline) label="baseline $(basename "$BASELINE_JAR")" ;;
    *) label="obs, $v family off" ;;
  esac
  w=$(median <"$WORK/wall-$v")
  c=$(median <"$WORK/cpu-$v")
  printf '  %-40s %10s %7s %10s %7s\n' "$label" "$w" "$(awk -v a="$w" -v b="$mp" 'BEGIN {printf "%.3f", a / b}')" \
    "$c" "$(awk -v a="$c" -v b="$cp_" 'BEGIN {printf "%.3f", a / b}')"
done
echo "  obs adds: $verdict (target <= $MAX_PERCENT %)"
[[ $verdict == *PASS ]]
