#!/usr/bin/env bash
# Large-sweep benchmark: the same workload trained as a full grid, by successive halving and by
# random search, on conf/mnist-sweep.conf's 9-point grid and on a 27-point grid (3 λ x 3
# architectures x 3 learning rates). Prints, per run: trial-epochs spent in cross-validation, wall
# time, the chosen point, its CV accuracy and its test accuracy, and whether halving reached the
# full grid's choice or one within one standard error of it (by the full grid's leaderboard).
#
#   bench/sweeps.sh [extra --set overrides...]
#
# Needs data/get_mnist.sh first. Runs go to runs/bench-sweeps/<name>; a finished run is not redone.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
OUT="runs/bench-sweeps"
mkdir -p "$OUT"
WORKLOAD=(--set data.limit=3000 --set sweep.folds=3 --set train.epochs=6 --set "learningCurve.fractions=[]" "$@")
GRID27=(--set "sweep.grid.learningRate=[3e-4, 1e-3, 3e-3]")
RANDOM9=(--set sweep.search=random --set sweep.samples=9 --set sweep.sampleSeed=11
         --set 'sweep.space.l2="loguniform(1e-4, 1e-2)"'
         --set 'sweep.space.architecture=[{mlp = [64]}, {mlp = [128, 64]}, {mlp = [256]}]')
HALVING=(--set sweep.schedule=halving)

run() {
  local name="$1"; shift
  local start end
  start=$(date +%s)
  ./submit.sh sweep --conf conf/mnist-sweep.conf --output "$OUT" --run-id "$name" "${WORKLOAD[@]}" "$@" \
    > "$OUT/$name.log" 2>&1
  end=$(date +%s)
  echo "$name $((end - start))" >> "$OUT/times.txt"
}

run grid9-full
run grid9-halving "${HALVING[@]}"
run random9-full "${RANDOM9[@]}"
run grid27-full "${GRID27[@]}"
run grid27-halving "${GRID27[@]}" "${HALVING[@]}"

python3 - "$OUT" <<'PY'
import csv, json, math, re, sys, os
out = sys.argv[1]
times = {}
for line in open(os.path.join(out, "times.txt")):
    n, s = line.split()
    times[n] = int(s)
def load(name):
    d = os.path.join(out, name)
    rows = list(csv.DictReader(open(os.path.join(d, "leaderboard.csv"))))
    best = next(r for r in rows if r["best"] == "true")
    test = json.load(open(os.path.join(d, "best", "test-metrics.json")))["accuracy"]
    log = open(os.path.join(out, name + ".log")).read()
    te = int(re.search(r"cross-validation spent (\d+) trial-epochs", log).group(1))
    return rows, best, test, te
print("| run | trial-epochs | wall s | chosen | CV accuracy | test accuracy |")
print("|---|---:|---:|---|---:|---:|")
res = {}
for name in ["grid9-full", "grid9-halving", "random9-full", "grid27-full", "grid27-halving"]:
    rows, best, test, te = load(name)
    res[name] = (rows, best, te)
    print(f"| {name} | {te} | {times.get(name, '?')} | {best['label']} | "
          f"{float(best['accuracy_mean']):.4f} ± {float(best['accuracy_std']):.4f} | {test:.4f} |")
for g in ["grid9", "grid27"]:
    rows, best, te_full = res[g + "-full"]
    _, hbest, te_h = res[g + "-halving"]
    se = float(best["accuracy_std"]) / math.sqrt(float(best["ok_folds"]))
    same = hbest["point_id"] == best["point_id"]
    hfull = next(r for r in rows if r["point_id"] == hbest["point_id"])
    within = float(hfull["accuracy_mean"]) >= float(best["accuracy_mean"]) - se
    print(f"{g}: halving spent {te_h}/{te_full} = {te_h / te_full:.0%} of the full grid's trial-epochs; "
          f"chose {'the same point' if same else 'another point'}; its full-grid CV mean "
          f"{float(hfull['accuracy_mean']):.4f} vs best {float(best['accuracy_mean']):.4f} - 1 SE {se:.4f}: "
          f"{'within' if within else 'NOT within'} one standard error")
PY
