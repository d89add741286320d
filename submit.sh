#!/usr/bin/env bash
# Foldwise launcher.
#
#   ./submit.sh [spark-submit options] <command> [foldwise options]
#
# Builds the application jar when it is missing or older than the sources, then runs it through
# spark-submit: $SPARK_HOME/bin/spark-submit when SPARK_HOME is set, otherwise Spark's own
# SparkSubmit on the project's Maven classpath (local mode needs nothing else installed).
# Options before the command go to spark-submit (--master, --deploy-mode, --num-executors,
# --executor-memory, --conf k=v, ...); everything after it goes to Foldwise. A --master given after
# the command is passed to spark-submit as well. It adds what ND4J needs on executors (off-heap limits
# within spark.executor.memoryOverhead, OMP_NUM_THREADS = spark.task.cpus) unless given with --conf.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
COMMANDS="train sweep report status predict"

usage() {
  cat <<USAGE
Usage: ./submit.sh [spark-submit options] <command> [options]

Commands:
  train     train one network on a train/validation split
  sweep     cross-validated grid search, refit, test once, curves, diagnosis
  report    re-render a run's HTML report from stored results
  status    show a run's progress from stored state
  predict   apply a saved model to images

Common options: --conf FILE, --set key=value (repeatable), --output URI, --run-id ID, --master URL.
'./submit.sh <command> --help' documents a command's options.

Without SPARK_HOME, Foldwise runs on its own classpath (default master local[*]; driver heap from
FOLDWISE_DRIVER_MEMORY, default 4g). Exit codes: 0 ok, 1 failure while running, 2 usage or
config, 3 bad input data.
USAGE
}

pom_value() { # first <tag>value</tag> in the pom: the project's own coordinates come first
  sed -n "s:.*<$1>\(.*\)</$1>.*:\1:p" "$ROOT/pom.xml" | head -n 1
}
ARTIFACT="$(pom_value artifactId)"
VERSION="$(pom_value version)"
MAIN_CLASS="$(pom_value foldwise.mainClass)"
JAR="$ROOT/target/$ARTIFACT-$VERSION.jar"

DEFAULTS="$ROOT/conf/spark-defaults.conf"

spark_args=()
while [ $# -gt 0 ]; do
  case "$1" in
    -h|--help|help) usage; exit 0 ;;
    --verbose|-v|--supervise|--version) spark_args+=("$1"); shift ;;   # flags
    --*=*) spark_args+=("$1"); shift ;;                                  # --conf=k=v, --master=URL
    --*|-c) spark_args+=("$1"); shift; [ $# -gt 0 ] && { spark_args+=("$1"); shift; } ;;
    *) break ;;
  esac
done
if [ $# -eq 0 ]; then usage >&2; exit 2; fi
cmd="$1"; shift
case " $COMMANDS " in
  *" $cmd "*) ;;
  *) echo "submit.sh: unknown command '$cmd'; commands are: $COMMANDS" >&2; exit 2 ;;
esac

# The value spark-submit will use for property $1 (or its dedicated option $2, e.g. --executor-memory):
# the command line, last one winning, then conf/spark-defaults.conf.
spark_opt() {
  local key="$1" flag="${2:-}" value="" i a next
  for ((i = 0; i < ${#spark_args[@]}; i++)); do
    a="${spark_args[$i]}"; next="${spark_args[$((i + 1))]:-}"
    case "$a" in
      --conf|-c) [[ "$next" == "$key="* ]] && value="${next#"$key="}" ;;
      "--conf=$key="*) value="${a#"--conf=$key="}" ;;
    esac
    if [ -n "$flag" ]; then
      case "$a" in
        "$flag") value="$next" ;;
        "$flag="*) value="${a#"$flag="}" ;;
      esac
    fi
  done
  if [ -z "$value" ] && [ -f "$DEFAULTS" ]; then
    value="$(awk -v k="$key" '$1 == k { $1 = ""; sub(/^[ \t]+/, ""); v = $0 } END { print v }' "$DEFAULTS")"
  fi
  printf '%s' "$value"
}

# A Spark/JVM size (512m, 4g, 2048 = MiB) in MiB.
to_mib() {
  local v="${1,,}" n
  n="${v%%[!0-9]*}"
  case "$v" in
    *t|*tb) echo $((n * 1024 * 1024)) ;;
    *g|*gb) echo $((n * 1024)) ;;
    *k|*kb) echo $((n / 1024)) ;;
    *) echo "$n" ;;
  esac
}

master="local[*]"
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
  case "${args[$i]}" in
    --master) master="${args[$((i + 1))]:-$master}" ;;
    --master=*) master="${args[$i]#--master=}" ;;
  esac
done
spark_master="$(spark_opt spark.master --master)"
[ -n "$spark_master" ] && master="$spark_master"

# What ND4J needs on executors (gotchas 5 and 6), unless the user set it with --conf:
# - its arrays live off-heap, outside -Xmx: cap them (JavaCPP maxbytes) inside
#   spark.executor.memoryOverhead, and the whole process (maxphysicalbytes) at heap + overhead, so a
#   big network fails with an OutOfMemoryError instead of the container being killed;
# - one OpenMP thread per core a task owns (spark.task.cpus): executor.cores / task.cpus tasks run
#   at once in one executor, and more native threads than cores slow everything down.
nd4j_conf=() # passed after the user's options: it already merges theirs (extraJavaOptions)
exec_mib="$(to_mib "$(spark_opt spark.executor.memory --executor-memory)")"; exec_mib="${exec_mib:-1024}"
overhead_mib="$(to_mib "$(spark_opt spark.executor.memoryOverhead)")"
[ -n "$overhead_mib" ] || overhead_mib=$(( exec_mib / 10 > 384 ? exec_mib / 10 : 384 ))
exec_java="$(spark_opt spark.executor.extraJavaOptions)"
exec_add=""
if [[ "$exec_java" != *javacpp.maxbytes* ]]; then
  offheap_mib=$(( overhead_mib - (overhead_mib / 4 < 512 ? overhead_mib / 4 : 512) ))
  exec_add="-Dorg.bytedeco.javacpp.maxbytes=${offheap_mib}m -Dorg.bytedeco.javacpp.maxphysicalbytes=$(( exec_mib + overhead_mib ))m"
fi
# The garbage collector, unless one is chosen already (FOLDWISE_GC= keeps the JVM's default): Spark
# reads an evicted cached partition back from disk into one array of the block's size, which G1
# (Java 17's default) must place in contiguous "humongous" regions and may fail to with the heap far
# from full; the compacting parallel collector does not (BENCHMARKS.md, "Scale").
GC="${FOLDWISE_GC--XX:+UseParallelGC}"
if [ -n "$GC" ] && [[ "$exec_java ${JAVA_TOOL_OPTIONS:-}" != *-XX:+Use*GC* ]]; then
  exec_add="${exec_add:+$exec_add }$GC"
fi
if [ -n "$exec_add" ]; then
  nd4j_conf+=(--conf "spark.executor.extraJavaOptions=${exec_java:+$exec_java }$exec_add")
fi
driver_gc=""
if [[ "${JAVA_TOOL_OPTIONS:-} ${JDK_JAVA_OPTIONS:-} $(spark_opt spark.driver.extraJavaOptions)" != *-XX:+Use*GC* ]]; then
  driver_gc="$GC"
fi
if [ -z "$(spark_opt spark.executorEnv.OMP_NUM_THREADS)" ]; then
  task_cpus="$(spark_opt spark.task.cpus)"
  nd4j_conf+=(--conf "spark.executorEnv.OMP_NUM_THREADS=${task_cpus:-1}")
fi
if [ -z "$(spark_opt spark.driver.memory --driver-memory)" ]; then
  nd4j_conf+=(--driver-memory "${FOLDWISE_DRIVER_MEMORY:-4g}")
fi

if [ ! -f "$JAR" ] || [ ! -f "$ROOT/target/classpath-compile.txt" ] \
   || [ -n "$(find "$ROOT/src/main" "$ROOT/pom.xml" -newer "$JAR" -print -quit 2>/dev/null)" ]; then
  echo "submit.sh: building $JAR" >&2
  (cd "$ROOT" && mvn -B -q -DskipTests package) >&2
fi

LOG_OPTS="-Dlog4j2.configurationFile=file:$ROOT/conf/log4j2.properties"
DRIVER_OFFHEAP="-Dorg.bytedeco.javacpp.maxbytes=${FOLDWISE_OFFHEAP:-6G} -Dorg.bytedeco.javacpp.maxphysicalbytes=${FOLDWISE_PHYSICAL:-12G}"
if [[ "$master" == local* ]]; then
  # Each local task runs on one core; more native threads per task would oversubscribe.
  export OMP_NUM_THREADS="${OMP_NUM_THREADS:-1}"
  # ND4J's AVX2 build is loaded when present; a CPU without AVX2 needs the generic one.
  if [ -r /proc/cpuinfo ] && ! grep -qw avx2 /proc/cpuinfo; then
    DRIVER_OFFHEAP="$DRIVER_OFFHEAP -Dorg.bytedeco.javacpp.platform.extension="
  fi
fi

submit_args=(--properties-file "$DEFAULTS" --class "$MAIN_CLASS" --master "$master")

if [ -n "${SPARK_HOME:-}" ]; then
  # The shaded jar: DL4J and ND4J travel with the application, Spark comes from SPARK_HOME.
  exec "$SPARK_HOME/bin/spark-submit" "${submit_args[@]}" --driver-java-options "$LOG_OPTS $DRIVER_OFFHEAP${driver_gc:+ $driver_gc}" \
    "${spark_args[@]}" "${nd4j_conf[@]}" "$JAR" "$cmd" "$@"
fi

# No SPARK_HOME: Spark's SparkSubmit in this JVM, on the Maven classpath (DESIGN gotcha 2 for the
# --add-opens). The thin jar (the shade plugin's original-*.jar) is the application: the shaded one
# would only duplicate the classpath and be copied into Spark's work directory on every launch.
THIN="$ROOT/target/original-$ARTIFACT-$VERSION.jar"
[ -f "$THIN" ] || THIN="$JAR"
ADD_OPENS=()
for p in java.lang java.lang.invoke java.lang.reflect java.io java.net java.nio java.util \
         java.util.concurrent java.util.concurrent.atomic sun.nio.ch sun.nio.cs sun.security.action \
         sun.util.calendar; do
  ADD_OPENS+=("--add-opens=java.base/$p=ALL-UNNAMED")
done
CP="$THIN:$(cat "$ROOT/target/classpath-compile.txt"):$(cat "$ROOT/target/classpath-runtime.txt")"
driver_memory="$(spark_opt spark.driver.memory --driver-memory)"
exec java "${ADD_OPENS[@]}" -Xmx"$(to_mib "${driver_memory:-${FOLDWISE_DRIVER_MEMORY:-4g}}")m" $LOG_OPTS $DRIVER_OFFHEAP $driver_gc \
  -cp "$CP" org.apache.spark.deploy.SparkSubmit "${submit_args[@]}" "${spark_args[@]}" "${nd4j_conf[@]}" \
  "$THIN" "$cmd" "$@"
