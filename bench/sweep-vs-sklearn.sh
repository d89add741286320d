#!/usr/bin/env bash
# The benchmark workload against scikit-learn's GridSearchCV, one after the other on this machine,
# and one table with both wall times (whole processes: start-up, data, selection, refit, test), the
# ratio, both choices and their accuracies.
#
#   bench/sweep-vs-sklearn.sh [--learning-curve] [--master local[N]]
#
# Foldwise: ./submit.sh sweep --conf conf/mnist-sweep.conf (10,000 MNIST images, 5 folds, 3 λ x 3
# MLPs = 45 CV fits, Adam, batch 32, 10 epochs, refit, test), without the learning curve (the peer
# computes none) unless --learning-curve. Peer: ../shared/peers/sklearn_sweep.py (the same grid, folds,
# epochs and batch; n_jobs = 2) with Debian's python3-sklearn and OMP_NUM_THREADS=1.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PEER="${PEER:-$ROOT/../shared/peers/sklearn_sweep.py}"
LC=0; MASTER="local[2]"
while [ $# -gt 0 ]; do
  case "$1" in
    --learning-curve) LC=1; shift ;;
    --master) MASTER="$2"; shift 2 ;;
    *) echo "usage: bench/sweep-vs-sklearn.sh [--learning-curve] [--master local[N]]" >&2; exit 2 ;;
  esac
done
[ -f "$PEER" ] || { echo "no peer script at $PEER (set PEER=...)" >&2; exit 2; }
/usr/bin/python3 -c 'import sklearn' 2>/dev/null \
  || { echo "scikit-learn missing: apt-get install -y python3-sklearn" >&2; exit 2; }

"$ROOT/data/get_mnist.sh" > /dev/null
RAW="$(mktemp -d)"; OUT="$(mktemp -d)"; trap 'rm -rf "$RAW" "$OUT"' EXIT
for f in "$ROOT"/data/mnist/*.gz; do gunzip -c "$f" > "$RAW/$(basename "$f" .gz)"; done
(cd "$ROOT" && mvn -B -q -DskipTests package) >&2

now() { date +%s.%N; }
extra=(); [ "$LC" = 1 ] || extra=(--set 'learningCurve.fractions=[]')
t0=$(now)
"$ROOT/submit.sh" --master "$MASTER" sweep --conf "$ROOT/conf/mnist-sweep.conf" "${extra[@]}" \
  --output "$OUT" --run-id bench > "$OUT/foldwise.log" 2>&1
t1=$(now)
OMP_NUM_THREADS=1 /usr/bin/python3 "$PEER" "$RAW" 10000 2 10 > "$OUT/sklearn.log" 2>&1
t2=$(now)

fw_chosen="$(sed -n 's/.* chosen: \(.*\) (best mean.*/\1/p' "$OUT/foldwise.log" | tail -1)"
fw_cv="$(sed -n 's/.*done in .*CV accuracy \([0-9.]*\).*/\1/p' "$OUT/foldwise.log" | tail -1)"
fw_test="$(sed -n 's/.*test accuracy \([0-9.]*\)$/\1/p' "$OUT/foldwise.log" | tail -1)"
sk_line="$(grep '^RESULT' "$OUT/sklearn.log")"
sk_best="$(grep '^best' "$OUT/sklearn.log" | sed 's/^best //; s/ cv .*//')"
sk_cv="$(sed -n 's/.*best_cv=\([0-9.]*\).*/\1/p' <<< "$sk_line")"
sk_test="$(sed -n 's/.*test_acc=\([0-9.]*\).*/\1/p' <<< "$sk_line")"
fw_s=$(echo "$t1 - $t0" | bc); sk_s=$(echo "$t2 - $t1" | bc)

echo
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(date -u +%F)"
echo "workload: conf/mnist-sweep.conf, 45 CV fits + refit + test$([ "$LC" = 1 ] && echo ', Foldwise also computes its learning curve (20 more fits)')"
printf '%-22s %12s %12s %8s  %-45s %8s %8s\n' "" "wall s" "peer wall s" "ratio" "chosen" "CV acc" "test acc"
printf '%-22s %12.1f %12s %8.2f  %-45s %8s %8s\n' "Foldwise ($MASTER)" "$fw_s" "" "$(echo "$fw_s / $sk_s" | bc -l)" "$fw_chosen" "$fw_cv" "$fw_test"
printf '%-22s %12s %12.1f %8s  %-45s %8s %8s\n' "scikit-learn (n_jobs=2)" "" "$sk_s" "1.00" "$sk_best" "$sk_cv" "$sk_test"
