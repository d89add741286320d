#!/usr/bin/env bash
# Where a trial's time goes, and how sweeps scale (issue goals 2-6), in one table per part:
#   1. one Foldwise trial (one worker, one Spark task, curves and evaluation) vs plain single-JVM
#      DL4J MultiLayerNetwork.fit on the same fold and epochs; images/s per core inside a trial;
#      train.workers = 2 vs 1 (time and accuracy); PNG ingest rate for 2,000 and 60,000 images
#      (io.foldwise.job.TrialBench);
#   2. sweep speed-up local[2] over local[1] on the benchmark workload without the learning curve.
#
#   bench/trial-speed.sh [--skip-scaling] [--png]     (--png also writes and ingests all 60,000 PNGs)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SCALING=1; PNG=0
for a in "$@"; do
  case "$a" in
    --skip-scaling) SCALING=0 ;;
    --png) PNG=1 ;;
    *) echo "usage: bench/trial-speed.sh [--skip-scaling] [--png]" >&2; exit 2 ;;
  esac
done
"$ROOT/data/get_mnist.sh" > /dev/null
folders=("$ROOT/data/mnist-sample/train")
if [ "$PNG" = 1 ]; then
  [ -d "$ROOT/data/mnist-png/train" ] || "$ROOT/data/get_mnist.sh" --png > /dev/null
  folders+=("$ROOT/data/mnist-png/train")
fi
(cd "$ROOT" && mvn -B -q -DskipTests package && mvn -B -q test-compile) >&2
OPENS=()
for p in java.lang java.lang.invoke java.lang.reflect java.io java.net java.nio java.util java.util.concurrent \
         java.util.concurrent.atomic sun.nio.ch sun.nio.cs sun.security.action sun.util.calendar; do
  OPENS+=("--add-opens=java.base/$p=ALL-UNNAMED")
done
CP="$ROOT/target/classes:$ROOT/target/test-classes:$(cat "$ROOT/target/classpath-compile.txt")"
# The same JVM settings as submit.sh's local launcher (one OpenMP thread per task, off-heap limits).
OMP_NUM_THREADS=1 java "${OPENS[@]}" -Xmx4g -Dorg.bytedeco.javacpp.maxbytes=6G -Dorg.bytedeco.javacpp.maxphysicalbytes=12G \
  -Dlog4j2.configurationFile="file:$ROOT/conf/log4j2.properties" -cp "$CP" \
  io.foldwise.job.TrialBench 'local[2]' "$ROOT/data/mnist" 10 "${folders[@]}"

if [ "$SCALING" = 1 ]; then
  OUT="$(mktemp -d)"; trap 'rm -rf "$OUT"' EXIT
  declare -A secs
  for m in 'local[1]' 'local[2]'; do
    t0=$(date +%s.%N)
    "$ROOT/submit.sh" --master "$m" sweep --conf "$ROOT/conf/mnist-sweep.conf" --set 'learningCurve.fractions=[]' \
      --output "$OUT" --run-id "scale-${m//[^0-9]/}" > "$OUT/$m.log" 2>&1
    secs[$m]=$(echo "$(date +%s.%N) - $t0" | bc)
  done
  echo
  printf '%-60s %10s\n' "sweep conf/mnist-sweep.conf, no learning curve" "wall s"
  printf '%-60s %10.1f\n' "local[1]" "${secs[local[1]]}" "local[2]" "${secs[local[2]]}"
  printf '%-60s %10.2f\n' "speed-up local[2] / local[1]" "$(echo "${secs[local[1]]} / ${secs[local[2]]}" | bc -l)"
fi
