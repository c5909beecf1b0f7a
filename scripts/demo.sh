#!/usr/bin/env bash
# Builds obs.jar and the demo program (module demo) when they are missing or a source changed since the last
# build this script ran, runs the demo with the agent attached, and shows the summary and the local store.
# Extra JVM options pass through, e.g. scripts/demo.sh -Dotel.exporter.otlp.endpoint=http://localhost:4318
# Environment:
#   OBS_STORE_DIR    local store directory (default ./obs-data)
#   OBS_REBUILD=1    build even when everything is up to date
#   OBS_MAVEN_ARGS   extra arguments for the build, e.g. -Dmaven.repo.local=/tmp/m2 -o
set -euo pipefail
cd "$(dirname "$0")/.."
fail() {
  echo "demo: $*" >&2
  exit 1
}

agent_jar=agent/target/obs.jar
demo_jar=demo/target/obs-demo.jar
demo_libs=demo/target/lib
# What obs.jar and the demo are built from: the poms and sources of every module but integration-tests,
# which neither needs (modules added later are covered without a change here).
inputs=(pom.xml)
for pom in */pom.xml; do
  module=${pom%/pom.xml}
  if [ "$module" != integration-tests ]; then
    inputs+=("$pom")
    if [ -d "$module/src" ]; then
      inputs+=("$module/src")
    fi
  fi
done

# Written after each build this script ran: Maven leaves an output alone when its own inputs did not change
# (the demo's jar when only obs changed), so the outputs' times cannot tell whether a source is newer.
stamp=demo/target/demo-build.stamp

# Prints why a build is needed, or nothing when the last build here is newer than every input.
build_reason() {
  if [ -n "${OBS_REBUILD:-}" ]; then
    echo "OBS_REBUILD is set"
    return
  fi
  local out
  for out in "$agent_jar" "$demo_jar" "$demo_libs" "$stamp"; do
    if [ ! -e "$out" ]; then
      echo "$out is missing"
      return
    fi
  done
  local newer
  newer=$(find "${inputs[@]}" -type f -newer "$stamp" -print -quit)
  if [ -n "$newer" ]; then
    echo "$newer changed since the last build"
  fi
}

reason=$(build_reason)
if [ -n "$reason" ]; then
  echo "demo: building obs.jar and the demo ($reason)"
  # The demo's class path is demo/target/obs-demo.jar plus demo/target/lib (JGit and its dependencies,
  # copied by the same reactor build), so nothing has to be installed in the local Maven repository first.
  # The stamp gets the build's start time, so a source edited while Maven runs is still seen as changed.
  started=$(mktemp)
  # shellcheck disable=SC2086
  mvn -B -q -Dstyle.color=never -Dmaven.test.skip=true ${OBS_MAVEN_ARGS:-} package -pl agent,demo -am \
    || fail "the build failed (Maven's output is above)"
  touch -r "$started" "$stamp"
  rm -f "$started"
else
  echo "demo: reusing $agent_jar and $demo_jar (built after the last change to a source; OBS_REBUILD=1 rebuilds)"
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
store="${OBS_STORE_DIR:-$PWD/obs-data}"
# The command line below shows this run only, even when the store holds earlier ones.
demo_started=$(date '+%Y-%m-%d %H:%M:%S')
java -javaagent:"$agent_jar" \
  -Dotel.service.name=obs-demo \
  -Dobs.store.dir="$store" \
  '-Dobs.methods.include=com.acme.demo.DemoApp$Job[run];com.acme.demo.DemoApp$Repo[*];com.acme.demo.FileDemo[run]' \
  -Dobs.fs.groups="demo=$work/files/**" -Ddemo.files.dir="$work/files" \
  "$@" -cp "$PWD/$demo_jar:$PWD/$demo_libs/*" com.acme.demo.DemoApp 20 \
  || fail "the demo program failed (exit status $?)"
echo
echo "local store: $store"
ls -l "$store"
latest=$(ls -t "$store"/traces-*.jsonl 2>/dev/null | head -1 || true)
if [ -n "$latest" ]; then
  echo "first span of $latest:"
  head -c 600 "$latest"; echo " ..."
fi

# The same obs.jar is the command line: java -jar obs.jar <command> (README: "The command line").
obs() {
  java -jar "$agent_jar" "$@"
}
echo
echo "\$ obs metrics --store $store --since \"$demo_started\""
obs metrics --store "$store" --since "$demo_started" || fail "obs metrics failed (exit status $?)"
trace_id=$(obs traces --store "$store" --since "$demo_started" --operation 'git clone' --slowest 1 --json \
  | sed -n 's/.*"traceId" : "\([0-9a-f]*\)".*/\1/p' | head -1)
if [ -n "$trace_id" ]; then
  echo
  echo "\$ obs trace $trace_id --store $store"
  obs trace "$trace_id" --store "$store" || fail "obs trace failed (exit status $?)"
fi
# REPORT (helper "report"): obs report --since "$demo_started" -o ..., then print the report's path here.
