#!/usr/bin/env python3
"""Writes the checked-in version-1 model files from docs/model-format.md, with the standard library only.

This is a second, independent writer of the format: the tests load these bytes and compare them with values
typed in from shared/DESIGN.md (the seeds' 2-2-2 worked example), and check that ModelFile.Save writes the
very same bytes. The files never change once checked in: version 1 must load forever.

    python3 make_model_fixtures.py     # writes worked-example-v1.fbp and worked-example-checkpoint-v1.fbp here
"""
import hashlib
import os
import struct

MAGIC = b"\x89FBP\r\n\x1a\n"
SIGMOID = 1
SQUARED_ERROR = 0

# The worked example (DESIGN.md). Per layer: W as [inputs, units] row-major (element i*units + j joins input i
# to unit j), then the biases. w1: i1->h1, w2: i2->h1, w3: i1->h2, w4: i2->h2; w5: h1->o1, w6: h2->o1,
# w7: h1->o2, w8: h2->o2.
HIDDEN_W = [0.15, 0.25, 0.20, 0.30]   # [i1->h1, i1->h2, i2->h1, i2->h2] = [w1, w3, w2, w4]
HIDDEN_B = [0.35, 0.35]
OUTPUT_W = [0.40, 0.50, 0.45, 0.55]   # [h1->o1, h1->o2, h2->o1, h2->o2] = [w5, w7, w6, w8]
OUTPUT_B = [0.60, 0.60]
PARAMETERS = HIDDEN_W + HIDDEN_B + OUTPUT_W + OUTPUT_B


def model(element, checkpoint=None):
    fmt = {4: "<f", 8: "<d"}[element]
    out = bytearray()
    out += MAGIC
    out += struct.pack("<H", 1)                                   # format version
    out += struct.pack("<BBB", element, SQUARED_ERROR, 1 if checkpoint else 0)
    out += b"\0\0\0"                                              # reserved
    out += struct.pack("<ii", 2, 2)                               # inputs, layers
    out += struct.pack("<ii", 2, SIGMOID) + struct.pack("<ii", 2, SIGMOID)
    out += struct.pack("<q", len(PARAMETERS))
    out += b"".join(struct.pack(fmt, p) for p in PARAMETERS)
    if checkpoint:
        c = checkpoint
        name = c["optimizer"].encode("utf-8")
        out += struct.pack("<iqddi", c["epoch"], c["steps"], c["lr"], c["best_loss"], c["best_epoch"])
        out += struct.pack("<i", len(name)) + name
        out += struct.pack("<i", len(c["state"])) + b"".join(struct.pack(fmt, v) for v in c["state"])
        out += struct.pack("<i", len(c["random"])) + b"".join(struct.pack("<Q", v) for v in c["random"])
        out += struct.pack("<i", len(c["best"])) + b"".join(struct.pack(fmt, v) for v in c["best"])
    out += hashlib.sha256(out).digest()
    return bytes(out)


# A made-up checkpoint with a value in every field (SGD with momentum: one velocity per parameter).
CHECKPOINT = {
    "epoch": 7, "optimizer": "Sgd`1", "steps": 7, "lr": 0.5, "best_loss": 0.25, "best_epoch": 5,
    "state": [0.5 - 0.0625 * k for k in range(12)],
    "random": [0x0123456789ABCDEF, 0xFEDCBA9876543210, 42, 0xFFFFFFFFFFFFFFFF],
    "best": [p + 0.5 for p in PARAMETERS],
}

if __name__ == "__main__":
    here = os.path.dirname(os.path.abspath(__file__))
    with open(os.path.join(here, "worked-example-v1.fbp"), "wb") as f:
        f.write(model(8))
    with open(os.path.join(here, "worked-example-checkpoint-v1.fbp"), "wb") as f:
        f.write(model(4, CHECKPOINT))
