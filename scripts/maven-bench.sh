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

# run_once plain|obs: prints the wall time in ms of one offline build of a fresh copy of the project
run_once() {
  rm -rf "$WORK/p" && cp -r "$WORK/template" "$WORK/p"
  local opts=""
  [[ $1 == obs ]] && opts="-javaagent:$OBS_JAR -Dobs.weave.cache.dir=$WORK/weave-cache $OBS_ARGS"
  local start end
  start=$(date +%s%N)
  (cd "$WORK/p" && MAVEN_OPTS="$opts" "$MVN" "${MVN_ARGS[@]}" -o package >"$WORK/run.log" 2>&1) \
    || { cat "$WORK/run.log" >&2; echo "maven-bench: the $1 build failed" >&2; exit 2; }
  end=$(date +%s%N)
  echo $(( (end - start) / 1000000 ))
}

median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

run_once plain >/dev/null
run_once obs >/dev/null
plain=()
obs=()
for ((i = 0; i < RUNS; i++)); do
  if (( i % 2 == 0 )); then
    plain+=("$(run_once plain)"); obs+=("$(run_once obs)")
  else
    obs+=("$(run_once obs)"); plain+=("$(run_once plain)")
  fi
  echo "maven-bench: round $((i + 1)): plain ${plain[-1]} ms, obs ${obs[-1]} ms" >&2
done
mp=$(printf '%s\n' "${plain[@]}" | median)
mo=$(printf '%s\n' "${obs[@]}" | median)
verdict=$(awk -v p="$mp" -v o="$mo" -v max="$MAX_PERCENT" 'BEGIN {
  pct = (o - p) * 100 / p; printf "%+.1f %% %s", pct, (pct <= max ? "PASS" : "FAIL") }')
echo "== maven: mvn -o -q package, warm local repository, $RUNS alternating runs each ($("$MVN" -v 2>/dev/null | head -1 | sed 's/\x1b\[[0-9;]*m//g'))"
printf '  %-28s %10s\n' "variant" "median ms"
printf '  %-28s %10s\n' "no agent" "$mp" "obs ($OBS_ARGS)" "$mo"
echo "  obs adds: $verdict (target <= $MAX_PERCENT %)"
[[ $verdict == *PASS ]]
