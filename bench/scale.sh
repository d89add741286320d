#!/usr/bin/env bash
# Scale benchmark: for each N, N synthetic MNIST-like 28x28 digits with noise written as Parquet
# (io.foldwise.bench.SyntheticDigits: a pixel-array column, so ingest decodes no PNGs; seeded, the
# same rows for the same N and SEED), then bench/scale.conf's short sweep (1 grid point, 2 folds,
# 1 epoch, 20 % held out for the test) on it, twice:
#   local    ./submit.sh --master local[2] with the driver capped at 1 GiB (FOLDWISE_DRIVER_MEMORY)
#   cluster  bench/standalone-cluster.sh: 2 one-core workers, executors of 768 MiB (+ the default
#            2 GiB overhead), the same 1 GiB driver, the export directory on local disk (one machine)
# Per run it records wall time, peak driver heap and peak memory per executor (a Spark plugin,
# io.foldwise.bench.ScaleProbe from the test sources, shipped with --jars: the driver's heap after
# GC, after a full GC and used; each executor's JavaCPP Pointer.totalBytes(), ND4J's allocation
# tracker, its RSS and RSS minus the committed heap, sampled every 200 ms) and tasks per stage
# (Spark's event log), and prints one table, the time ratios between sizes and, per stage call site,
# its task counts and the most rows a task read at each size.
#
#   bench/scale.sh [--local-only|--cluster-only] N...       e.g. bench/scale.sh 100000 1000000
#   bench/scale.sh --table [--local-only|--cluster-only] N...   (the table of earlier runs again)
#
# Environment: SCALE_DIR (work directory, default target/bench-scale; data sets are kept there and
# reused), SEED (1), DRIVER_MEMORY (1g; LOCAL_DRIVER_MEMORY and CLUSTER_DRIVER_MEMORY per mode),
# MASTER (local mode's master, local[2]), and bench/standalone-cluster.sh's EXECUTOR_MEMORY (768m),
# WORKER_MEMORY (1g) and WORKERS (2).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
MODES=(local cluster); TABLE_ONLY=0; SIZES=()
for a in "$@"; do
  case "$a" in
    --local-only) MODES=(local) ;;
    --cluster-only) MODES=(cluster) ;;
    --table) TABLE_ONLY=1 ;;
    ''|*[!0-9]*) echo "usage: bench/scale.sh [--local-only|--cluster-only] N..." >&2; exit 2 ;;
    *) SIZES+=("$a") ;;
  esac
done
[ ${#SIZES[@]} -gt 0 ] || { echo "usage: bench/scale.sh [--local-only|--cluster-only] N..." >&2; exit 2; }
SCALE_DIR="$(mkdir -p "${SCALE_DIR:-target/bench-scale}" && cd "${SCALE_DIR:-target/bench-scale}" && pwd)"
SEED="${SEED:-1}"
DRIVER_MEMORY="${DRIVER_MEMORY:-1g}"
RESULTS="$SCALE_DIR/results.tsv"

if [ "$TABLE_ONLY" = 0 ]; then
  # The test classes (generator and probe); submit.sh builds the application jar when it is stale.
  PROBE=target/test-classes/io/foldwise/bench/ScaleProbe.class
  if [ ! -f "$PROBE" ] || [ -n "$(find src/test/java/io/foldwise/bench -newer "$PROBE" -print -quit)" ]; then
    echo "bench/scale.sh: compiling the test classes" >&2
    mvn -B -q test-compile >&2
  fi
  (cd target/test-classes && jar cf "$SCALE_DIR/scale-probe.jar" io/foldwise/bench/ScaleProbe*.class)

  OPENS=()
  for p in java.lang java.lang.invoke java.lang.reflect java.io java.net java.nio java.util java.util.concurrent \
           java.util.concurrent.atomic sun.nio.ch sun.nio.cs sun.security.action sun.util.calendar; do
    OPENS+=("--add-opens=java.base/$p=ALL-UNNAMED")
  done
  CP="target/test-classes:target/classes:$(cat target/classpath-compile.txt)"
  echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), load before:$(uptime | sed 's/.*load average://')" >&2

  for n in "${SIZES[@]}"; do
    data="$SCALE_DIR/digits-$n-seed$SEED.parquet"
    if [ ! -f "$data/_SUCCESS" ]; then
      echo "bench/scale.sh: generating $n digits into $data" >&2
      t0=$(date +%s.%N)
      java "${OPENS[@]}" -Xmx1g -Dlog4j2.configurationFile="file:$ROOT/conf/log4j2.properties" -cp "$CP" \
        io.foldwise.bench.SyntheticDigits "$data" "$n" "$SEED" > "$SCALE_DIR/generate-$n.log" 2>&1
      echo "bench/scale.sh: generated $n digits in $(echo "$(date +%s.%N) - $t0" | bc | xargs printf '%.0f') s ($(du -sh "$data" | cut -f1))" >&2
    fi
    for mode in "${MODES[@]}"; do
      run="$SCALE_DIR/$mode-$n"
      rm -rf "$run"; mkdir -p "$run/probe" "$run/events" "$run/out" "$run/export"
      spark=(--jars "$SCALE_DIR/scale-probe.jar" --conf spark.plugins=io.foldwise.bench.ScaleProbe
             --conf "spark.foldwise.scaleProbe.dir=$run/probe"
             --conf spark.eventLog.enabled=true --conf "spark.eventLog.dir=file://$run/events")
      sweep=(sweep --conf bench/scale.conf --set "data.train=$data" --output "$run/out" --run-id scale)
      load="$(uptime | sed 's/.*load average: //')"
      echo "bench/scale.sh: $mode, N = $n (load $load), log $run/run.log" >&2
      t0=$(date +%s.%N)
      rc=0
      if [ "$mode" = local ]; then
        FOLDWISE_DRIVER_MEMORY="${LOCAL_DRIVER_MEMORY:-$DRIVER_MEMORY}" \
          ./submit.sh --master "${MASTER:-local[2]}" "${spark[@]}" "${sweep[@]}" > "$run/run.log" 2>&1 || rc=$?
      else
        FOLDWISE_DRIVER_MEMORY="${CLUSTER_DRIVER_MEMORY:-$DRIVER_MEMORY}" \
          bench/standalone-cluster.sh "${spark[@]}" "${sweep[@]}" --set "train.exportDir=$run/export" \
          > "$run/run.log" 2>&1 || rc=$?
      fi
      secs=$(echo "$(date +%s.%N) - $t0" | bc)
      printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$n" "$mode" "$rc" "$secs" "$load" "$run" >> "$RESULTS"
      [ "$rc" = 0 ] || echo "bench/scale.sh: $mode N = $n exited $rc (see $run/run.log)" >&2
      rm -rf "$run/export"
    done
  done
  echo "load after:$(uptime | sed 's/.*load average://')" >&2
fi

python3 - "$RESULTS" "${SIZES[*]}" "${MODES[*]}" <<'PY'
import glob, json, os, re, sys
results, sizes, modes = sys.argv[1], [int(s) for s in sys.argv[2].split()], sys.argv[3].split()
runs = {}
for line in open(results):
    n, mode, rc, secs, load, run = line.rstrip("\n").split("\t")
    runs[(int(n), mode)] = dict(rc=int(rc), secs=float(secs), load=load, dir=run)  # the last run wins

def props(path):
    out = {}
    if os.path.exists(path):
        for l in open(path):
            if "=" in l:
                k, v = l.strip().split("=", 1)
                out[k] = int(v)
    return out

def stages(run):
    """(name, tasks, rows read) of every completed stage attempt in the run's event log."""
    out = []
    for f in glob.glob(os.path.join(run, "events", "*")):
        for l in open(f):
            if '"SparkListenerStageCompleted"' not in l:
                continue
            info = json.loads(l)["Stage Info"]
            rows_in = sum(int(a.get("Value", 0)) for a in info.get("Accumulables", [])
                          if a.get("Name") in ("internal.metrics.input.recordsRead",
                                               "internal.metrics.shuffle.read.recordsRead"))
            out.append((info["Stage Name"], info["Number of Tasks"], rows_in))
    return out

MB = 1024 * 1024
rows = []
for n in sizes:
    for mode in modes:
        r = runs.get((n, mode))
        if r is None:
            continue
        d = props(os.path.join(r["dir"], "probe", "driver.txt"))
        ex = [props(p) for p in sorted(glob.glob(os.path.join(r["dir"], "probe", "executor-*.txt")))]
        st = stages(r["dir"])
        log = open(os.path.join(r["dir"], "run.log"), errors="replace").read()
        cv = re.findall(r"CV accuracy ([0-9.]+)", log)
        test = re.findall(r"test accuracy ([0-9.]+)", log)
        r.update(n=n, mode=mode, driver=d, execs=ex, stages=st,
                 cv=cv[-1] if cv else "-", test=test[-1] if test else "-")
        rows.append(r)

def mb(v):
    return "-" if v is None else f"{v / MB:.0f}"

print()
print("| N | mode | exit | wall s | s per 100k images | peak driver heap MB (after full GC / after any GC / used, of max) "
      "| peak executor off-heap MB (JavaCPP / ND4J tracker) | peak executor RSS MB (all / outside heap) | executors | max tasks in a stage "
      "| stages | CV acc | test acc | load (1/5/15 min) |")
print("|---:|---|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---|")
for r in rows:
    d = r["driver"]
    heap = (f"{mb(d.get('heapAfterFullGcPeak'))} / {mb(d.get('heapAfterGcPeak'))} / {mb(d.get('heapUsedPeak'))} "
            f"of {mb(d.get('heapMax'))}"
            if d else "-")
    off = max((e.get("javacppPeak", 0) for e in r["execs"]), default=None)
    nd4j = max((e.get("nd4jTrackedPeak", 0) for e in r["execs"]), default=None)
    rss = max((e.get("rssPeak", 0) for e in r["execs"]), default=None)
    native = max((e.get("rssOutsideHeapPeak", 0) for e in r["execs"]), default=None)
    tasks = max((t for _, t, _ in r["stages"]), default=0)
    print(f"| {r['n']:,} | {r['mode']} | {r['rc']} | {r['secs']:.0f} | {r['secs'] / r['n'] * 1e5:.1f} | {heap} "
          f"| {mb(off)} / {mb(nd4j)} | {mb(rss)} / {mb(native)} | {len(r['execs'])} | {tasks} | {len(r['stages'])} | {r['cv']} | {r['test']} "
          f"| {r['load']} |")

print()
for mode in modes:
    ms = [r for r in rows if r["mode"] == mode and r["rc"] == 0]
    for a, b in zip(ms, ms[1:]):
        print(f"{mode}: N x{b['n'] / a['n']:.1f} ({a['n']:,} -> {b['n']:,}): wall time x{b['secs'] / a['secs']:.2f}, "
              f"driver heap after GC x{b['driver'].get('heapAfterGcPeak', 0) / max(1, a['driver'].get('heapAfterGcPeak', 0)):.2f}")

# Each stage name (Spark's call site) with its task counts per size and the most rows a task of it
# read: a stage whose task count stays the same while its rows per task grow with N is a funnel.
for mode in modes:
    ms = [r for r in rows if r["mode"] == mode]
    if not ms:
        continue
    names = []
    for r in ms:
        for name, _, _ in r["stages"]:
            if name not in names:
                names.append(name)
    print()
    print(f"{mode}: tasks per stage, per call site: fewest-most tasks over its stages (number of stages); "
          "the most rows read (input + shuffle) per task in any of them")
    print("| stage | " + " | ".join(f"N = {r['n']:,}" for r in ms) + " |")
    print("|---|" + "---:|" * len(ms))
    for name in names:
        cells = []
        for r in ms:
            st = [(t, rows_in) for s, t, rows_in in r["stages"] if s == name]
            ts = [t for t, _ in st]
            lo, hi = min(ts, default=0), max(ts, default=0)
            per_task = max((rows_in / t for t, rows_in in st if t), default=0)
            cells.append("-" if not ts else (f"{hi}" if lo == hi else f"{lo}-{hi}")
                         + f" ({len(ts)}); {per_task:,.0f}")
        print(f"| {name} | " + " | ".join(cells) + " |")
PY
