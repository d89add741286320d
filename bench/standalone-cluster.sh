#!/usr/bin/env bash
# Runs ./submit.sh on a throwaway Spark standalone cluster on 127.0.0.1: one Master and WORKERS (2)
# one-core Workers, SPARK_HOME laid out from Spark's own Maven jars (src/test/spark-home/pom.xml),
# as StandaloneClusterIT does. Everything it starts is stopped on exit.
#
#   bench/standalone-cluster.sh [submit.sh arguments...]     # --master is added
#   e.g. bench/standalone-cluster.sh sweep --conf conf/sweep-small.conf --output /tmp/runs
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WORKERS="${WORKERS:-2}"
pom_value() { sed -n "s:.*<$1>\(.*\)</$1>.*:\1:p" "$ROOT/pom.xml" | head -n 1; }

export SPARK_HOME="$ROOT/target/bench-spark-home" SPARK_SCALA_VERSION=2.12 SPARK_LOCAL_IP=127.0.0.1 \
  SPARK_LOCAL_HOSTNAME=127.0.0.1
if [ ! -f "$SPARK_HOME/RELEASE" ]; then
  mkdir -p "$SPARK_HOME/jars" "$SPARK_HOME/bin" "$SPARK_HOME/conf"
  mvn -B -q -f "$ROOT/src/test/spark-home/pom.xml" dependency:build-classpath \
    -Dmdep.outputFile="$SPARK_HOME/classpath.txt" -Dspark.version="$(pom_value spark.version)" \
    -Dscala.version="$(pom_value scala.version)" -Dscala.binary.version="$(pom_value scala.binary.version)" \
    -Dslf4j.version="$(pom_value slf4j.version)"
  tr ':' '\n' < "$SPARK_HOME/classpath.txt" | xargs -I{} ln -sf {} "$SPARK_HOME/jars/"
  printf 'rootLogger.level = warn\nrootLogger.appenderRef.stderr.ref = stderr\nappender.stderr.type = Console\nappender.stderr.name = stderr\nappender.stderr.target = SYSTEM_ERR\nappender.stderr.layout.type = PatternLayout\nappender.stderr.layout.pattern = %%d{HH:mm:ss} %%p %%c{1}: %%m%%n\n' > "$SPARK_HOME/conf/log4j2.properties"
  cat > "$SPARK_HOME/bin/spark-submit" <<'SUBMIT'
#!/usr/bin/env bash
# Stand-in for Spark's bin/spark-submit: Spark's launcher library prints the driver's command.
set -euo pipefail
export SPARK_HOME="$(cd "$(dirname "$0")/.." && pwd)" SPARK_SCALA_VERSION=2.12
mapfile -d '' CMD < <(java -Xmx128m -cp "$SPARK_HOME/jars/*" org.apache.spark.launcher.Main \
  org.apache.spark.deploy.SparkSubmit "$@"; printf '%d\0' $?)
rc="${CMD[-1]}"; unset 'CMD[-1]'
[ -n "${CMD[0]:-}" ] && printf '%s\n' "${CMD[0]}" >&2
[ "$rc" = 0 ] || exit "$rc"
CMD=("${CMD[@]:1}"); CMD[0]="${CMD[0]#$'\n'}"
exec "${CMD[@]}"
SUBMIT
  chmod +x "$SPARK_HOME/bin/spark-submit"
  echo "Spark $(pom_value spark.version) (Maven jars)" > "$SPARK_HOME/RELEASE"
fi

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
OPENS=()
for p in java.lang java.lang.invoke java.lang.reflect java.io java.net java.nio java.util java.util.concurrent \
         java.util.concurrent.atomic sun.nio.ch sun.nio.cs sun.security.action sun.util.calendar; do
  OPENS+=("--add-opens=java.base/$p=ALL-UNNAMED")
done
WORK="$(mktemp -d)"
pids=()
stop() { for pid in "${pids[@]}"; do pkill -TERM -P "$pid" 2>/dev/null || true; kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap stop EXIT
PORT="$(free_port)"; UI="$(free_port)"
java -Xmx256m "${OPENS[@]}" -cp "$SPARK_HOME/conf:$SPARK_HOME/jars/*" org.apache.spark.deploy.master.Master \
  --host 127.0.0.1 --port "$PORT" --webui-port "$UI" > "$WORK/master.log" 2>&1 & pids+=($!)
for i in $(seq 1 "$WORKERS"); do
  java -Xmx256m "${OPENS[@]}" -cp "$SPARK_HOME/conf:$SPARK_HOME/jars/*" org.apache.spark.deploy.worker.Worker \
    --host 127.0.0.1 --cores 1 --memory "${WORKER_MEMORY:-1g}" --webui-port "$(free_port)" --work-dir "$WORK/worker-$i" \
    "spark://127.0.0.1:$PORT" > "$WORK/worker-$i.log" 2>&1 & pids+=($!)
done
for _ in $(seq 1 120); do
  curl -s "http://127.0.0.1:$UI/json/" | grep -q "\"aliveworkers\" : $WORKERS" && break
  sleep 1
done
echo "cluster spark://127.0.0.1:$PORT with $WORKERS workers; logs in $WORK" >&2
"$ROOT/submit.sh" --executor-memory "${EXECUTOR_MEMORY:-768m}" "$@" --master "spark://127.0.0.1:$PORT"
