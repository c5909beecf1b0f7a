#!/usr/bin/env bash
# Builds obs.jar, runs the demo program with the agent attached, and shows the summary and the local store.
# Extra JVM options pass through, e.g. scripts/demo.sh -Dotel.exporter.otlp.endpoint=http://localhost:4318
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -f agent/target/obs.jar ] || [ -n "${OBS_REBUILD:-}" ]; then
  mvn -B -q -DskipTests package -pl agent -am
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# JGit and its runtime dependencies, from the local Maven repository the build filled.
mvn -B -q -pl integration-tests dependency:build-classpath -Dmdep.outputFile="$work/cp.txt" \
  -DincludeGroupIds=org.eclipse.jgit,com.googlecode.javaewah,org.slf4j,commons-codec >/dev/null
cp="$work/classes:$(cat "$work/cp.txt")"
javac -cp "$cp" -d "$work/classes" demo/com/acme/demo/*.java
store="${OBS_STORE_DIR:-$PWD/obs-data}"
java -javaagent:agent/target/obs.jar \
  -Dotel.service.name=obs-demo \
  -Dobs.store.dir="$store" \
  '-Dobs.methods.include=com.acme.demo.DemoApp$Job[run];com.acme.demo.DemoApp$Repo[*];com.acme.demo.FileDemo[run]' \
  -Dobs.fs.groups="demo=$work/files/**" -Ddemo.files.dir="$work/files" \
  "$@" -cp "$cp" com.acme.demo.DemoApp 20
echo
echo "local store: $store"
ls -l "$store"
latest=$(ls -t "$store"/traces-*.jsonl 2>/dev/null | head -1 || true)
if [ -n "$latest" ]; then
  echo "first span of $latest:"
  head -c 600 "$latest"; echo " ..."
fi
