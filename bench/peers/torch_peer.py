#!/usr/bin/python3
"""PyTorch's side of the peer comparison (bench/peers/run.sh drives it), written as PyTorch users write it.

  time --meta DIR/meta.txt --threads N [--samples S] [--warmup s] [--min-sample s] [--peer NAME]
      builds the workload's network as nn.Sequential from the meta file FastBackprop.Peers exported, and times
      one training step (optimizer.zero_grad(); loss = criterion(model(x), y); loss.backward(); optimizer.step())
      or, for the forward-only workload, one inference call (softmax(model(x)) under torch.no_grad()), with the
      timing rule of FastBackprop.Peers/StepTimer.cs; prints one RESULT line.
  gradcheck --dir DIR
      loads FastBackprop's export (weights, batch, outputs, loss, gradients, the change of one TrainStep), runs
      one forward/backward and one SGD step in float32 and in float64, and prints the largest |difference| per
      tensor.

Run it with Debian's /usr/bin/python3 (python3-torch 1.13); a pyenv python on PATH does not see that torch.
"""
import argparse
import resource
import sys
import time

import numpy as np
import torch
from torch import nn


def read_meta(path):
    """The architecture file FastBackprop.Peers export writes: 'key value' lines, one 'layer units activation' per layer."""
    meta = {"layers": []}
    with open(path, encoding="ascii") as f:
        for number, line in enumerate(f, 1):
            parts = line.split()
            if not parts:
                continue
            if parts[0] == "layer" and len(parts) == 3:
                meta["layers"].append((int(parts[1]), parts[2]))
            elif len(parts) == 2:
                meta[parts[0]] = parts[1]
            else:
                raise ValueError(f"{path}:{number}: expected 'key value' or 'layer units activation', got {line!r}")
    for key in ("workload", "inputs", "loss", "batch", "learning_rate", "forward_only"):
        if key not in meta:
            raise ValueError(f"{path}: expected a '{key}' line, found none")
    if not meta["layers"]:
        raise ValueError(f"{path}: expected at least one 'layer' line, found none")
    return meta


ACTIVATIONS = {"Sigmoid": nn.Sigmoid, "Relu": nn.ReLU, "Tanh": nn.Tanh, "Identity": None}


def build_model(meta):
    """nn.Sequential of Linear + activation modules. A softmax output is left to the loss (CrossEntropyLoss takes
    logits), as PyTorch users write it; the forward-only workload applies torch.softmax itself."""
    modules, linear_indices = [], []
    fan_in = int(meta["inputs"])
    last = len(meta["layers"]) - 1
    for l, (units, activation) in enumerate(meta["layers"]):
        linear_indices.append(len(modules))
        modules.append(nn.Linear(fan_in, units))
        if activation == "Softmax":
            if l != last or meta["loss"] != "SoftmaxCrossEntropy":
                raise ValueError(f"a Softmax layer must be the output layer with SoftmaxCrossEntropy, got layer {l} with {meta['loss']}")
        elif activation in ACTIVATIONS:
            if ACTIVATIONS[activation] is not None:
                modules.append(ACTIVATIONS[activation]())
        else:
            raise ValueError(f"unknown activation {activation!r} in layer {l}")
        fan_in = units
    return nn.Sequential(*modules), linear_indices


def make_loss(meta, batch):
    """The loss FastBackprop minimises, in torch's terms: SquaredError is (1/n) Σ ½ Σ (t - o)² =
    MSELoss(reduction='sum') · ½ / n; SoftmaxCrossEntropy is CrossEntropyLoss (mean over the batch) on class labels."""
    if meta["loss"] == "SquaredError":
        mse = nn.MSELoss(reduction="sum")
        scale = 0.5 / batch
        return (lambda out, target: mse(out, target) * scale), False
    if meta["loss"] == "SoftmaxCrossEntropy":
        return nn.CrossEntropyLoss(), True
    raise ValueError(f"unsupported loss {meta['loss']!r}")


def class_labels(targets):
    """Class indices of one-hot targets (the workloads' cross-entropy targets are one-hot)."""
    if not (np.all((targets == 0) | (targets == 1)) and np.all(targets.sum(axis=1) == 1)):
        raise ValueError("expected one-hot cross-entropy targets")
    return torch.from_numpy(targets.argmax(axis=1)).long()


def measure(step, warmup, min_sample, samples):
    """The timing rule of FastBackprop.Peers/StepTimer.cs."""
    start = time.perf_counter_ns()
    n = 0
    while n < 2 or time.perf_counter_ns() - start < warmup * 1e9:
        step()
        n += 1

    def time_steps(k):
        t0 = time.perf_counter_ns()
        for _ in range(k):
            step()
        return time.perf_counter_ns() - t0

    k = 1
    while time_steps(k) < min_sample * 1e9:
        k *= 2
    per_step = sorted(time_steps(k) / k for _ in range(samples))
    m = samples // 2
    median = per_step[m] if samples % 2 == 1 else (per_step[m - 1] + per_step[m]) / 2
    return median, per_step[0], per_step[-1], k


def run_time(args):
    torch.set_num_threads(args.threads)
    torch.manual_seed(1)
    meta = read_meta(args.meta)
    batch = int(meta["batch"])
    model, _ = build_model(meta)
    n_out = meta["layers"][-1][0]
    x = torch.rand(batch, int(meta["inputs"]))
    if meta["forward_only"] == "1":
        model.eval()

        def step():
            with torch.no_grad():
                out = model(x)
                if meta["loss"] == "SoftmaxCrossEntropy":
                    out = torch.softmax(out, dim=1)
            return out
    else:
        criterion, labels = make_loss(meta, batch)
        y = torch.randint(0, n_out, (batch,)) if labels else torch.rand(batch, n_out)
        optimizer = torch.optim.SGD(model.parameters(), lr=float(meta["learning_rate"]))

        def step():
            optimizer.zero_grad()
            loss = criterion(model(x), y)
            loss.backward()
            optimizer.step()

    median, fastest, slowest, k = measure(step, args.warmup, args.min_sample, args.samples)
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"RESULT peer={args.peer} workload={meta['workload']} threads={args.threads} median_ns={median:.1f} "
          f"min_ns={fastest:.1f} max_ns={slowest:.1f} k={k} samples={args.samples} rss_mb={rss_mb:.1f}")


def forward_backward(meta, directory, dtype):
    """Loss, outputs and parameter gradients of the exported network on the exported batch, in dtype."""
    batch = int(meta["batch"])
    model, linear_indices = build_model(meta)
    weights = np.load(f"{directory}/weights.npz")
    state = {}
    for l, index in enumerate(linear_indices):
        state[f"{index}.weight"] = torch.from_numpy(weights[f"layers.{l}.weight"])
        state[f"{index}.bias"] = torch.from_numpy(weights[f"layers.{l}.bias"])
    model.load_state_dict(state)
    model = model.to(dtype)
    x = torch.from_numpy(np.load(f"{directory}/inputs.npy")).to(dtype)
    targets = np.load(f"{directory}/targets.npy")
    criterion, labels = make_loss(meta, batch)
    y = class_labels(targets) if labels else torch.from_numpy(targets).to(dtype)
    out = model(x)
    loss = criterion(out, y)
    loss.backward()
    if meta["loss"] == "SoftmaxCrossEntropy":
        out = torch.softmax(out, dim=1)
    tensors = {"loss": loss.detach().reshape(1), "outputs": out.detach()}
    for l, index in enumerate(linear_indices):
        tensors[f"layers.{l}.weight.grad"] = model[index].weight.grad.clone()
        tensors[f"layers.{l}.bias.grad"] = model[index].bias.grad.clone()
    if meta["forward_only"] != "1":
        # What one SGD step changes (the parameters after optimizer.step() minus before), in dtype.
        before = [p.detach().clone() for p in model.parameters()]
        torch.optim.SGD(model.parameters(), lr=float(meta["learning_rate"])).step()
        for l, index in enumerate(linear_indices):
            tensors[f"layers.{l}.weight.step"] = model[index].weight.detach() - before[2 * l]
            tensors[f"layers.{l}.bias.step"] = model[index].bias.detach() - before[2 * l + 1]
    return {name: t.double().numpy() for name, t in tensors.items()}


def run_gradcheck(args):
    torch.set_num_threads(1)
    meta = read_meta(f"{args.dir}/meta.txt")
    fb = {"loss": np.load(f"{args.dir}/fb_loss.npy").astype(np.float64).reshape(1),
          "outputs": np.load(f"{args.dir}/fb_outputs.npy").astype(np.float64)}
    grads = np.load(f"{args.dir}/fb_grads.npz")
    for l in range(len(meta["layers"])):
        fb[f"layers.{l}.weight.grad"] = grads[f"layers.{l}.weight"].astype(np.float64)
        fb[f"layers.{l}.bias.grad"] = grads[f"layers.{l}.bias"].astype(np.float64)
    if meta["forward_only"] != "1":
        steps = np.load(f"{args.dir}/fb_step.npz")
        for l in range(len(meta["layers"])):
            fb[f"layers.{l}.weight.step"] = steps[f"layers.{l}.weight"].astype(np.float64)
            fb[f"layers.{l}.bias.step"] = steps[f"layers.{l}.bias"].astype(np.float64)
    t32 = forward_backward(meta, args.dir, torch.float32)
    t64 = forward_backward(meta, args.dir, torch.float64)

    # FastBackprop passes a tensor when its float32 error against the float64 reference is within 8x PyTorch's own
    # float32 error, or within 1e-5 of the tensor's largest magnitude (whichever is larger).
    failed = 0
    for name, reference in t64.items():
        if fb[name].shape != reference.shape:
            raise ValueError(f"{name}: FastBackprop's shape {fb[name].shape} differs from PyTorch's {reference.shape}")
        scale = float(np.max(np.abs(reference)))
        fb_vs_t32 = float(np.max(np.abs(fb[name] - t32[name])))
        fb_vs_t64 = float(np.max(np.abs(fb[name] - reference)))
        t32_vs_t64 = float(np.max(np.abs(t32[name] - reference)))
        tolerance = max(8 * t32_vs_t64, 1e-5 * scale, 1e-12)
        ok = fb_vs_t64 <= tolerance
        failed += 0 if ok else 1
        print(f"GRAD workload={meta['workload']} tensor={name} shape={'x'.join(map(str, reference.shape))} "
              f"max_abs={scale:.3e} fb_vs_torch32={fb_vs_t32:.3e} fb_vs_torch64={fb_vs_t64:.3e} "
              f"torch32_vs_torch64={t32_vs_t64:.3e} tolerance={tolerance:.3e} verdict={'ok' if ok else 'FAIL'}")
    return 1 if failed else 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="mode", required=True)
    t = sub.add_parser("time")
    t.add_argument("--meta", required=True)
    t.add_argument("--threads", type=int, default=1)
    t.add_argument("--samples", type=int, default=21)
    t.add_argument("--warmup", type=float, default=1.0)
    t.add_argument("--min-sample", type=float, default=0.1)
    t.add_argument("--peer", default="pytorch")
    g = sub.add_parser("gradcheck")
    g.add_argument("--dir", required=True)
    args = parser.parse_args()
    if args.mode == "time":
        run_time(args)
        return 0
    return run_gradcheck(args)


if __name__ == "__main__":
    sys.exit(main())
