#!/usr/bin/env bash
# Runs ./submit.sh on a throwaway Spark standalone cluster on 127.0.0.1: one Master and WORKERS (2)
# one-core Workers, SPARK_HOME laid out from Spark's own Maven jars (src/test/spark-home/),
# as StandaloneClusterIT does. Everything it starts is stopped on exit.
#
#   bench/standalone-cluster.sh [submit.sh arguments...]     # --master is added
#   e.g. bench/standalone-cluster.sh sweep --conf conf/sweep-small.conf --output /tmp/runs
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WORKERS="${WORKERS:-2}"

export SPARK_HOME="$ROOT/target/bench-spark-home" SPARK_SCALA_VERSION=2.12 SPARK_LOCAL_IP=127.0.0.1 \
  SPARK_LOCAL_HOSTNAME=127.0.0.1
[ -f "$SPARK_HOME/RELEASE" ] || "$ROOT/src/test/spark-home/make-spark-home.sh" "$SPARK_HOME"

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
