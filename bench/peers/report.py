#!/usr/bin/python3
"""Turns run.sh's raw RESULT and GRAD lines into bench/peers/results.md (Markdown on stdout)."""
import argparse
import sys

PEERS = [("pytorch", "PyTorch"), ("pytorch-passive", "PyTorch PASSIVE"), ("libtorch", "libtorch"),
         ("libtorch-passive", "libtorch PASSIVE"), ("fann", "FANN")]
WORKLOADS = {
    "W1": "2-2-2 sigmoid, squared error, batch 1, train step",
    "W2": "784-128-10 sigmoid, squared error, batch 1, train step",
    "W3": "784-128-10 sigmoid + softmax/CE, batch 64, train step",
    "W4": "1024-1024-1024-10 ReLU + softmax/CE, batch 256, train step",
    "W5": "784-128-10 as W3, batch 1, inference",
}


def parse(path, tag):
    rows = []
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            parts = line.split()
            if not parts:
                continue
            if parts[0] != tag:
                raise ValueError(f"{path}:{number}: expected a {tag} line, got {line!r}")
            rows.append(dict(p.split("=", 1) for p in parts[1:]))
    return rows


def read_info(path):
    info = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            key, _, value = line.rstrip("\n").partition("=")
            info[key] = value
    return info


def duration(ns):
    for unit, scale in (("s", 1e9), ("ms", 1e6), ("µs", 1e3)):
        if ns >= scale:
            return f"{ns / scale:.3g} {unit}"
    return f"{ns:.3g} ns"


def ratio_text(r):
    """Two significant digits, without exponents: 0.88×, 14×, 3800×."""
    return f"{float(f'{r:.2g}'):g}×" if r < 1e5 else f"{r:.0f}×"


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--info", required=True)
    parser.add_argument("--results", required=True)
    parser.add_argument("--grad", required=True)
    args = parser.parse_args()
    info = read_info(args.info)
    results = {(r["peer"], r["workload"], int(r["threads"])): r for r in parse(args.results, "RESULT")}
    grads = parse(args.grad, "GRAD")

    out = []
    w = out.append
    w("# FastBackprop and its peers, side by side")
    w("")
    if info.get("note"):
        w(f"**{info['note']}**")
        w("")
    w(f"- Machine: {info['machine']}")
    w(f"- FastBackprop: commit {info['commit']}, .NET {info['dotnet']}, SIMD level "
      f"{next((r.get('isa', '?') for r in results.values() if r['peer'] == 'fastbackprop'), '?')}")
    w(f"- PyTorch {info['torch']}; libtorch ({info['libtorch']}); FANN ({info['fann']})")
    w(f"- OpenBLAS: {info['openblas']}")
    w(f"- Date: {info['date']}; the run took {info['duration']}")
    w(f"- Command (from the repository root): `{info['command']}`")
    w(f"- Timing rule, the same in every harness: {info['rule']}. Float32 everywhere; the same networks, batch "
      "shapes and learning rates (bench/FastBackprop.Benchmarks/Workload.cs, exported to each peer).")
    w("")
    w("## Time per step (median) and ratio peer / FastBackprop")
    w("")
    w("A ratio above 1 means FastBackprop is faster. W5 times one inference call; the others one training step "
      "(forward, backward, SGD update). PASSIVE: the same run with OMP_WAIT_POLICY=PASSIVE, PyTorch's best 2-core "
      "set-up (its OpenMP threads otherwise spin and fight for the two cores). OpenBLAS, which torch calls for its "
      "products, runs as many threads as the row says (OPENBLAS_NUM_THREADS: torch.set_num_threads does not reach "
      "Debian's OpenBLAS). FANN is single-threaded. —: not run.")
    w("")
    w("| Workload | Threads | FastBackprop | " + " | ".join(name for _, name in PEERS) + " |")
    w("|---|---|---|" + "---|" * len(PEERS))
    fann_modes = {}
    for workload in WORKLOADS:
        for threads in (1, 2):
            base = results.get(("fastbackprop", workload, threads))
            cells = [workload, str(threads), duration(float(base["median_ns"])) if base else "—"]
            for peer, _ in PEERS:
                r = results.get((peer, workload, threads))
                if r is None:
                    cells.append("—")
                    continue
                ns = float(r["median_ns"])
                ratio = f" ({ratio_text(ns / float(base['median_ns']))})" if base else ""
                cells.append(duration(ns) + ratio)
                if peer == "fann":
                    fann_modes[workload] = r.get("mode", "?")
            w("| " + " | ".join(cells) + " |")
    w("")
    w("FANN's mode per row (FANN 2.2 has neither ReLU nor softmax, so those rows run a different, sigmoid network "
      "of the same shape: compare them as the nearest FANN can do, not as the same arithmetic):")
    w("")
    for workload, mode in fann_modes.items():
        w(f"- {workload}: {mode.replace(',', ', ')}")
    w("")
    w("## Peak resident memory (MB), 1 thread")
    w("")
    w("| Workload | FastBackprop | " + " | ".join(name for peer, name in PEERS if "passive" not in peer) + " |")
    w("|---|---|" + "---|" * sum(1 for peer, _ in PEERS if "passive" not in peer))
    for workload in WORKLOADS:
        cells = [workload]
        for peer in ["fastbackprop"] + [p for p, _ in PEERS if "passive" not in p]:
            r = results.get((peer, workload, 1))
            cells.append(r["rss_mb"] if r else "—")
        w("| " + " | ".join(cells) + " |")
    w("")
    w("## Gradient cross-check against PyTorch")
    w("")
    w("The same initial weights (FastBackprop's .npz export), batch and targets, one forward/backward in "
      "FastBackprop (float32) and in PyTorch (float32 and float64); `.grad`: the gradients (FastBackprop's "
      "ComputeGradients), `.step`: what one SGD step changes, θ after − θ before (FastBackprop's TrainStep, the "
      "timed path, against optimizer.step()). Largest absolute difference per tensor; a "
      "tensor passes when FastBackprop's difference from the float64 result is at most 8 times PyTorch float32's "
      "own, or 1e-5 of the tensor's largest magnitude.")
    w("")
    w("| Workload | Tensor | Shape | max abs value | FastBackprop − PyTorch f32 | FastBackprop − PyTorch f64 | "
      "PyTorch f32 − f64 | |")
    w("|---|---|---|---|---|---|---|---|")
    failed = 0
    for g in grads:
        verdict = "ok" if g["verdict"] == "ok" else "**FAIL**"
        failed += verdict != "ok"
        w(f"| {g['workload']} | {g['tensor']} | {g['shape']} | {g['max_abs']} | {g['fb_vs_torch32']} | "
          f"{g['fb_vs_torch64']} | {g['torch32_vs_torch64']} | {verdict} |")
    w("")
    w(f"{len(grads) - failed} of {len(grads)} tensors within tolerance.")
    print("\n".join(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
