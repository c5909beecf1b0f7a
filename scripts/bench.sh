#!/usr/bin/env bash
# obs benchmarks. Each suite prints its JMH/raw output and then a small table with the numbers, the ratio
# against the baseline measured in the same run, and PASS/FAIL for the targets.
#
# Usage: scripts/bench.sh recorder|otel|agent|churn|threads|throughput|startup|jgit|jgitstart|fs|context|fsworkload|docker|moobench|exit|scrape|store|sync|maven|all [extra args for the suite]
#   recorder    RecorderBenchmark (no agent) with -prof gc: span start/end, method span, fsReadRecord, fsClassifyOpenedPath
#   otel        OtelBridgeBenchmark with -prof gc: an obs root span with no OpenTelemetry in the JVM, with an
#               OpenTelemetry API in use and no span current (judged against the first), under a current span,
#               and under one with a non-empty TraceState (judged against the span without: ns and same B/op)
#   agent       AgentAttachedBenchmark: instrumented vs uninstrumented vs -Dobs.enabled=false vs no agent
#   churn       ThreadChurnBenchmark: what a new thread's fs open+read record costs (informational;
#               platform threads, plus virtual threads when JAVA is 21+)
#   threads     ThreadsBenchmark: 10k/100k/1M (over 60 s) virtual threads reading a 512-byte file (also in a
#               traced method, and with a JGit branch list), 20k platform threads one after another, in child
#               JVMs without and with the agent (exporter none), 5 alternating rounds: median per-round time ratio,
#               peak RSS and heap after GC differences, exact counts; args --rounds N (fewer than 5: time and RSS
#               not judged, a smoke run), --only name,name; children run on THREADS_JAVA (default the lowest
#               JDK 21+ in /usr/lib/jvm)
#   throughput  ExportThroughputBenchmark: child JVM + agent -> local OTLP/HTTP receiver, spans/s and drops
#   startup     scripts/startup-bench.sh
#   jgit        JGitOverheadBenchmark: a fixed JGit workload run 4 times in each child JVM, alternately without
#               and with the agent (OTLP to a local receiver): median per-round ratios of runs 2..4, wall and
#               CPU of all threads (judged; --from K judges runs K..N, e.g. --repeat 8 --from 5 once the no-agent
#               JIT has mostly settled), their CPU by thread group (main, JIT, GC/VM, obs, other), and the first run
#   jgitstart   JGitStartupBenchmark: a 5-commit JGit program in child JVMs, alternately without and with the
#               agent (OTLP to a local receiver): the CPU and wall time obs adds, JVM start to its exit-time
#               export answered (median per-round difference), CPU by thread
#   fs          FsBenchmark: FileInputStream.read(byte[4096]) and RandomAccessFile.read() with no agent, with
#               obs.instrumentation.fs.enabled=false and with the fs family on (ns/op, B/op, difference);
#               8 threads of 16-byte RandomAccessFile reads; the fs-on fork checks every thread's count
#   context     ContextBenchmark: a task handed over (FutureTask run inline, supplyAsync on a direct executor, a
#               one-thread pool's submit) with no span current and with one, no agent / family off / family
#               on (ns/op, B/op, difference against no agent)
#   fsworkload  FsOverheadBenchmark: write + read 100 000 files of 4 KiB in child JVMs, no agent / obs (OTLP to
#               a local receiver) / JFR with jdk.FileRead/FileWrite at 0 ms, rotating order, median ratios
#   docker      DockerOverheadBenchmark: 200 docker-java inspect calls in child JVMs without and with the
#               agent (median ratio), and the sampler's CPU per container per interval; needs the dockerd
#               of scripts/test-dockerd.sh start (DOCKER_HOST or unix:///tmp/obs-dockerd/docker.sock)
#   moobench    MooBenchmark: 200 000 calls of a method recursing to depth 10 (2 000 000 spans) in child JVMs with
#               no agent, obs, the OpenTelemetry javaagent and the Elastic APM agent (both fetched from Maven
#               Central into integration-tests/target/agents), each sending to a receiver on 127.0.0.1: app-thread
#               CPU per traced call, spans and traces delivered, complete traces
#   sync        SyncBenchmark: JMH with -prof gc, agent attached with one sync rule: a declared operation with
#               three template captures vs the same body undeclared (<= +250 ns, <= +64 B/op); JMH of the same
#               method with the agent and no sync rule vs no agent (<= 1.05 x beyond the JMH error: nothing measurable); then
#               1 000 000 declared operations per child JVM (after 200 000 to warm up, median of 10 slices)
#               without the agent, with it and the rule, with it and no rule, 5 rounds in rotating order
#               (median ratios <= 1.05, and each store's sync.operations exactly what ran);
#               SYNC_ARGS="--ops N --rounds R --warmup W" for a smoke run
#   exit        ExitTimeBenchmark: a 4-span program's wall time with the local store, a live collector, a closed
#               port and a collector that never answers (connection refused <= +100 ms over live)
#   scrape      ScrapeBenchmark: GET /metrics of the live endpoints answering 10 000 Prometheus series (380 histograms and 500
#               counters) through the real JDK HTTP server, median and p90 wall time of 200 scrapes after 200 warm-up
#               ones (args: [warm-up] [measured]); the collection itself is the OTLP export's work and not included
#   store       StoreReadBenchmark: java -jar obs.jar metrics --since 1h on a generated 1 GiB store of realistic lines
#               (--size 1g), once spread over 24 h (the window holds 1/24) and once all in the last hour (all of
#               it in the window): median time, target <= 10 s on 2 cores; a smoke run: --size 64m --runs 1
#   maven       scripts/maven-bench.sh: `mvn -o -q package` of a small multi-module project with a warm local
#               repository, without and with MAVEN_OPTS=-javaagent:obs.jar, >= 7 alternating runs each: median
#               wall time (start-up included), obs <= +5 %
#   all         all of the above, then the tables again together
#
# Environment:
#   JMH_OPTS   JMH settings for recorder/agent/churn (default "-f 1 -wi 3 -w 1s -i 5 -r 1s")
#   OBS_JAR    agent jar (default <repo>/agent/target/obs.jar)
#   OBS_ARGS   extra JVM flags for the agent-attached JVMs (agent, throughput, startup, jgit, jgitstart, fsworkload)
#   JAVA       java launcher (default java on PATH), e.g. /usr/lib/jvm/temurin-25-jdk-amd64/bin/java
#   BUILD=1    rebuild obs.jar and the benchmarks first (also done when benchmarks.jar is missing)
#   THREADS_JAVA  java launcher of the threads suite's children (default the lowest JDK 21+ in /usr/lib/jvm)
#   OTEL_AGENT_VERSION, ELASTIC_AGENT_VERSION  agents for moobench (default 2.22.0 and 1.55.1)
# Exit status: 0 all targets met, 1 a target missed, 2 a suite could not run.
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JAR="$ROOT/integration-tests/target/benchmarks.jar"
JAVA="${JAVA:-java}"
JMH_OPTS="${JMH_OPTS:--f 1 -wi 3 -w 1s -i 5 -r 1s}"
OBS_JAR="${OBS_JAR:-$ROOT/agent/target/obs.jar}"
export OBS_ARGS="${OBS_ARGS:-}"
LOG_DIR="${LOG_DIR:-$ROOT/integration-tests/target/bench-logs}"

usage() { sed -n '2,67p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 2; }
[[ $# -ge 1 ]] || usage
SUITE="$1"
shift

build() {
  echo "bench: building obs.jar and the benchmarks" >&2
  (cd "$ROOT" && mvn -B -q package -Dmaven.test.skip=true) || { echo "bench: build failed" >&2; exit 2; }
}
if [[ "${BUILD:-0}" == 1 || ! -f "$JAR" ]]; then
  build
fi
mkdir -p "$LOG_DIR"

need_agent() {
  if [[ ! -f "$OBS_JAR" ]]; then
    echo "bench: agent jar $OBS_JAR not found (build it: mvn -B -q -pl agent -am package -DskipTests)" >&2
    return 1
  fi
}

# run_suite NAME CMD...: runs, logs to $LOG_DIR/NAME.log, remembers the exit status.
declare -A STATUS
run_suite() {
  local name="$1"
  shift
  echo "bench: $name: $*" >&2
  "$@" 2>&1 | tee "$LOG_DIR/$name.log"
  STATUS[$name]=${PIPESTATUS[0]}
}

# shellcheck disable=SC2086
suite() {
  case "$1" in
    sync)
      need_agent || { STATUS[sync]=2; return; }
      grep -qa 'dev/obs/bench/SyncBenchmark.class' "$JAR" || build
      run_suite sync "$JAVA" -Dobs.jar="$OBS_JAR" -cp "$JAR" dev.obs.bench.SyncBenchmark ${SYNC_ARGS:-} $JMH_OPTS "${@:2}" ;;
    recorder)
      run_suite recorder "$JAVA" -cp "$JAR" dev.obs.bench.Bench recorder $JMH_OPTS "${@:2}" ;;
    otel)
      run_suite otel "$JAVA" -cp "$JAR" dev.obs.bench.Bench otel $JMH_OPTS "${@:2}" ;;
    agent)
      need_agent || { STATUS[agent]=2; return; }
      run_suite agent "$JAVA" -Dobs.jar="$OBS_JAR" -cp "$JAR" dev.obs.bench.Bench agent $JMH_OPTS "${@:2}" ;;
    churn)
      # annotation settings (2 x 1 s warm-up, 3 x 1 s measurement): a thread start per op is slow and noisy
      run_suite churn "$JAVA" -cp "$JAR" dev.obs.bench.Bench churn -f 1 "${@:2}" ;;
    threads)
      need_agent || { STATUS[threads]=2; return; }
      grep -qa 'dev/obs/bench/ThreadsWorkload.class' "$JAR" || build
      local tj="${THREADS_JAVA:-}" tv=0 h v
      if [[ -z "$tj" ]]; then
        for h in /usr/lib/jvm/*; do
          v=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$h/release" 2>/dev/null)
          if [[ -n "$v" && "$v" -ge 21 && -x "$h/bin/java" ]] && { [[ -z "$tj" ]] || (( v < tv )); }; then
            tj="$h/bin/java"; tv=$v
          fi
        done
      fi
      [[ -n "$tj" ]] || { echo "bench: threads needs a JDK 21+ (THREADS_JAVA)" >&2; STATUS[threads]=2; return; }
      run_suite threads "$JAVA" -Dobs.jar="$OBS_JAR" -cp "$JAR" dev.obs.bench.ThreadsBenchmark --java "$tj" "${@:2}" ;;
    throughput)
      need_agent || { STATUS[throughput]=2; return; }
      run_suite throughput "$JAVA" -Dobs.jar="$OBS_JAR" -cp "$JAR" dev.obs.bench.ExportThroughputBenchmark "${@:2}" ;;
    startup)
      need_agent || { STATUS[startup]=2; return; }
      run_suite startup env OBS_JAR="$OBS_JAR" JAVA="$JAVA" JAVAC="${JAVAC:-javac}" "$ROOT/scripts/startup-bench.sh" "${@:2}" ;;
    jgit)
      need_agent || { STATUS[jgit]=2; return; }
      # a benchmarks.jar from before this suite has neither the workload nor JGit
      grep -qa 'dev/obs/bench/JGitWorkload.class' "$JAR" || build
      run_suite jgit "$JAVA" -Dobs.jar="$OBS_JAR" -cp "$JAR" dev.obs.bench.JGitOverheadBenchmark "${@:2}" ;;
    jgitstart)
      need_agent || { STATUS[jgitstart]=2; return; }
      grep -qa 'dev/obs/bench/JGitStartupProgram.class' "$JAR" || build
      run_suite jgitstart "$JAVA" -Dobs.jar="$OBS_JAR" -cp "$JAR" dev.obs.bench.JGitStartupBenchmark "${@:2}" ;;
    fs)
      need_agent || { STATUS[fs]=2; return; }
      grep -qa 'dev/obs/bench/FsBenchmark.class' "$JAR" || build
      run_suite fs "$JAVA" -Dobs.jar="$OBS_JAR" -cp "$JAR" dev.obs.bench.FsBenchmark $JMH_OPTS "${@:2}" ;;
    context)
      need_agent || { STATUS[context]=2; return; }
      grep -qa 'dev/obs/bench/ContextBenchmark.class' "$JAR" || build
      run_suite context "$JAVA" -Dobs.jar="$OBS_JAR" -cp "$JAR" dev.obs.bench.ContextBenchmark $JMH_OPTS "${@:2}" ;;
    fsworkload)
      need_agent || { STATUS[fsworkload]=2; return; }
      grep -qa 'dev/obs/bench/FsOverheadBenchmark.class' "$JAR" || build
      run_suite fsworkload "$JAVA" -Dobs.jar="$OBS_JAR" -cp "$JAR" dev.obs.bench.FsOverheadBenchmark "${@:2}" ;;
    docker)
      need_agent || { STATUS[docker]=2; return; }
      grep -qa 'dev/obs/bench/DockerWorkload.class' "$JAR" || build
      run_suite docker "$JAVA" -Dobs.jar="$OBS_JAR" -cp "$JAR" dev.obs.bench.DockerOverheadBenchmark "${@:2}" ;;
    moobench)
      need_agent || { STATUS[moobench]=2; return; }
      grep -qa 'dev/obs/bench/MooBenchmark.class' "$JAR" || build
      fetch_agents || { STATUS[moobench]=2; return; }
      run_suite moobench "$JAVA" -Dobs.jar="$OBS_JAR" -cp "$JAR" dev.obs.bench.MooBenchmark \
        --otel-agent "$AGENTS/opentelemetry-javaagent-$OTEL_AGENT_VERSION.jar" \
        --elastic-agent "$AGENTS/elastic-apm-agent-$ELASTIC_AGENT_VERSION.jar" "${@:2}" ;;
    scrape)
      # the exporter's classes and test classes with its dependencies (the bootstrap module's from the reactor)
      (cd "$ROOT" && mvn -B -q -pl exporter -am test-compile dependency:build-classpath -Dmdep.includeScope=test \
         -Dmdep.outputFile="$LOG_DIR/scrape.classpath") || { STATUS[scrape]=2; return; }
      run_suite scrape "$JAVA" -cp "$ROOT/exporter/target/classes:$ROOT/exporter/target/test-classes:$(cat "$LOG_DIR/scrape.classpath")" \
        dev.obs.exporter.http.ScrapeBenchmark "${@:2}" ;;
    exit)
      need_agent || { STATUS[exit]=2; return; }
      grep -qa 'dev/obs/bench/ExitTimeBenchmark.class' "$JAR" || build
      run_suite exit "$JAVA" -Dobs.jar="$OBS_JAR" -cp "$JAR" dev.obs.bench.ExitTimeBenchmark "${@:2}" ;;
    store)
      need_agent || { STATUS[store]=2; return; }
      grep -qa 'dev/obs/bench/StoreReadBenchmark.class' "$JAR" || build
      run_suite store "$JAVA" -Dobs.jar="$OBS_JAR" -cp "$JAR" dev.obs.bench.StoreReadBenchmark "${@:2}" ;;
    maven)
      need_agent || { STATUS[maven]=2; return; }
      run_suite maven env OBS_JAR="$OBS_JAR" "$ROOT/scripts/maven-bench.sh" "${@:2}" ;;
    *)
      usage ;;
  esac
}

# The agents MooBench compares obs with, resolved from Maven Central by the dependency plugin.
AGENTS="$ROOT/integration-tests/target/agents"
OTEL_AGENT_VERSION="${OTEL_AGENT_VERSION:-2.22.0}"
ELASTIC_AGENT_VERSION="${ELASTIC_AGENT_VERSION:-1.55.1}"
fetch_agents() {
  local a
  for a in "io.opentelemetry.javaagent:opentelemetry-javaagent:$OTEL_AGENT_VERSION" \
           "co.elastic.apm:elastic-apm-agent:$ELASTIC_AGENT_VERSION"; do
    local file="$AGENTS/$(echo "$a" | cut -d: -f2)-$(echo "$a" | cut -d: -f3).jar"
    [[ -f "$file" ]] && continue
    echo "bench: fetching $a" >&2
    (mkdir -p "$AGENTS" && cd "$AGENTS" && mvn -B -q dependency:copy -Dartifact="$a" -DoutputDirectory="$AGENTS") \
      || { echo "bench: could not fetch $a" >&2; return 1; }
  done
}

# The summary part of a suite's log: from its "== " title to the end.
summary_of() {
  grep '^recorder-bench:' "$LOG_DIR/$1.log"
  sed -n '/^== /,$p' "$LOG_DIR/$1.log" | grep -v '^child(err)'
}

if [[ "$SUITE" == all ]]; then
  start=$(date +%s)
  for s in recorder otel agent churn threads throughput startup jgit jgitstart fs context fsworkload docker moobench exit scrape store sync maven; do
    suite "$s"
  done
  echo
  echo "################ bench.sh all: summary ($(( $(date +%s) - start )) s) ################"
  for s in recorder otel agent churn threads throughput startup jgit jgitstart fs context fsworkload docker moobench exit scrape store sync maven; do
    summary_of "$s"
    echo "  -> $s exit ${STATUS[$s]}"
    echo
  done
else
  suite "$SUITE" "$@"
fi

worst=0
for s in "${!STATUS[@]}"; do
  (( STATUS[$s] > worst )) && worst=${STATUS[$s]}
done
exit "$worst"
