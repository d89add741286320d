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
# the command is passed to spark-submit as well.
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

spark_args=()
while [ $# -gt 0 ]; do
  case "$1" in
    -h|--help|help) usage; exit 0 ;;
    --*) spark_args+=("$1")
         # spark-submit options take a value unless they are flags
         case "$1" in --verbose|--supervise|--version) ;; *) [ $# -gt 1 ] && { shift; spark_args+=("$1"); } ;; esac
         shift ;;
    *) break ;;
  esac
done
if [ $# -eq 0 ]; then usage >&2; exit 2; fi
cmd="$1"; shift
case " $COMMANDS " in
  *" $cmd "*) ;;
  *) echo "submit.sh: unknown command '$cmd'; commands are: $COMMANDS" >&2; exit 2 ;;
esac

master="local[*]"
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
  case "${args[$i]}" in
    --master) master="${args[$((i + 1))]:-$master}" ;;
    --master=*) master="${args[$i]#--master=}" ;;
  esac
done
for ((i = 0; i < ${#spark_args[@]}; i++)); do
  [ "${spark_args[$i]}" = "--master" ] && master="${spark_args[$((i + 1))]}"
done

if [ ! -f "$JAR" ] || [ ! -f "$ROOT/target/classpath-compile.txt" ] \
   || [ -n "$(find "$ROOT/src/main" "$ROOT/pom.xml" -newer "$JAR" -print -quit 2>/dev/null)" ]; then
  echo "submit.sh: building $JAR" >&2
  (cd "$ROOT" && mvn -B -q -DskipTests package) >&2
fi

LOG_OPTS="-Dlog4j2.configurationFile=file:$ROOT/conf/log4j2.properties"
if [[ "$master" == local* ]]; then
  # Each local task runs on one core; more native threads per task would oversubscribe.
  export OMP_NUM_THREADS="${OMP_NUM_THREADS:-1}"
fi

submit_args=(--properties-file "$ROOT/conf/spark-defaults.conf" --class "$MAIN_CLASS" --master "$master")

if [ -n "${SPARK_HOME:-}" ]; then
  exec "$SPARK_HOME/bin/spark-submit" "${submit_args[@]}" --driver-java-options "$LOG_OPTS" \
    "${spark_args[@]}" "$JAR" "$cmd" "$@"
fi

ADD_OPENS=()
for p in java.lang java.lang.invoke java.lang.reflect java.io java.net java.nio java.util \
         java.util.concurrent java.util.concurrent.atomic sun.nio.ch sun.nio.cs sun.security.action \
         sun.util.calendar; do
  ADD_OPENS+=("--add-opens=java.base/$p=ALL-UNNAMED")
done
CP="$JAR:$(cat "$ROOT/target/classpath-compile.txt"):$(cat "$ROOT/target/classpath-runtime.txt")"
exec java "${ADD_OPENS[@]}" -Xmx"${FOLDWISE_DRIVER_MEMORY:-4g}" $LOG_OPTS \
  -Dorg.bytedeco.javacpp.maxbytes="${FOLDWISE_OFFHEAP:-6G}" \
  -Dorg.bytedeco.javacpp.maxphysicalbytes="${FOLDWISE_PHYSICAL:-12G}" \
  -cp "$CP" org.apache.spark.deploy.SparkSubmit "${submit_args[@]}" "${spark_args[@]}" "$JAR" "$cmd" "$@"
