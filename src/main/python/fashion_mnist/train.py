#!/usr/bin/python3
"""Trains the small Fashion-MNIST CNN that wsvd ships as its real model, and writes everything
the Java side needs so that neither CI nor users ever need Python:

  fashion-mnist-cnn.onnx        the trained model (normalisation baked in, dynamic batch)
  fashion-mnist-test-1000.bin   a labelled slice of the Fashion-MNIST *test* set (layout: README.md)
  expected-logits-first8.csv    PyTorch's logits for the first 8 slice images
  model-card.md                 the measured facts of this run

Usage (Debian 12 packages python3-torch, python3-onnx, dataset-fashion-mnist):
  /usr/bin/python3 src/main/python/fashion_mnist/train.py --out src/main/resources/dev/wsvd/models/fashion-mnist
"""

import argparse
import collections
import datetime
import gzip
import hashlib
import os
import platform
import struct
import sys
import time

import numpy as np
import onnx
import torch
import torch.nn as nn
import torch.nn.functional as F

import onnx_numpy

DEFAULT_DATA_DIR = "/usr/share/datasets/fashion-mnist"
CLASS_NAMES = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
               "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]

MODEL_FILE = "fashion-mnist-cnn.onnx"
SLICE_FILE = "fashion-mnist-test-1000.bin"
LOGITS_FILE = "expected-logits-first8.csv"
CARD_FILE = "model-card.md"

SLICE_MAGIC = b"FMNS"   # "Fashion-MNIST slice"; see README.md for the full layout
EXPECTED_LOGIT_ROWS = 8
INPUT_NAME, OUTPUT_NAME, BATCH_AXIS = "input", "logits", "batch"
WEIGHT_LAYERS = ("conv1", "conv2", "fc1", "fc2")


def parse_args():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--out", required=True, help="directory for the model, slice, logits and model card")
    p.add_argument("--data-dir", default=DEFAULT_DATA_DIR,
                   help="folder with the four *-idx?-ubyte.gz files (default: %(default)s, from dataset-fashion-mnist)")
    p.add_argument("--epochs", type=int, default=3)
    p.add_argument("--batch-size", type=int, default=64)
    p.add_argument("--lr", type=float, default=1e-3, help="Adam learning rate")
    p.add_argument("--fc1-width", type=int, default=1024, help="hidden units of fc1 (1024 = the classic MNIST example)")
    p.add_argument("--seed", type=int, default=20240601)
    p.add_argument("--threads", type=int, default=1, help="torch CPU threads (the machine is shared)")
    p.add_argument("--slice-size", type=int, default=1000, help="number of test images in the slice")
    p.add_argument("--opset", type=int, default=13)
    return p.parse_args()


# ---------------------------------------------------------------- data

def read_idx(path):
    """Reads a gzip'd IDX file (the original MNIST/Fashion-MNIST format) into a uint8 array."""
    with gzip.open(path, "rb") as f:
        data = f.read()
    zero, dtype_code, ndim = struct.unpack(">HBB", data[:4])
    if zero != 0 or dtype_code != 0x08:
        raise ValueError(f"{path}: not an unsigned-byte IDX file")
    shape = struct.unpack(f">{ndim}I", data[4:4 + 4 * ndim])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim).reshape(shape)


def load_split(data_dir, split):
    """Returns (images uint8 [N,28,28], labels uint8 [N]) for split 'train' or 't10k'."""
    images = read_idx(os.path.join(data_dir, f"{split}-images-idx3-ubyte.gz"))
    labels = read_idx(os.path.join(data_dir, f"{split}-labels-idx1-ubyte.gz"))
    if len(images) != len(labels):
        raise ValueError(f"{split}: {len(images)} images but {len(labels)} labels")
    return images, labels


def to_input(images):
    """uint8 [N,28,28] -> float32 [N,1,28,28] in [0,1]: exactly what the Java side does (float32 v / 255f)."""
    return torch.from_numpy(images.astype(np.float32)).unsqueeze(1) / np.float32(255.0)


# ---------------------------------------------------------------- model

class Normalize(nn.Module):
    """(x - mean) / std, kept inside the graph so callers only scale pixels to [0,1].

    Not folded into conv1: with zero padding, a folded conv1 would see padded zeros as
    mean-valued pixels and so compute a different function at the borders.
    """

    def __init__(self, mean, std):
        super().__init__()
        self.register_buffer("mean", torch.tensor(mean, dtype=torch.float32).reshape(1, 1, 1, 1))
        self.register_buffer("std", torch.tensor(std, dtype=torch.float32).reshape(1, 1, 1, 1))

    def forward(self, x):
        return (x - self.mean) / self.std


class FashionCnn(nn.Module):
    """The AIMET / TensorFlow MNIST example CNN: two 5x5 'same' convolutions with 2x2 max
    pooling, then two fully connected layers. Two Conv and two Gemm layers give Weight SVD
    both of its paths."""

    def __init__(self, mean, std, fc1_width=1024, dropout=0.5):
        super().__init__()
        self.normalize = Normalize(mean, std)
        self.conv1 = nn.Conv2d(1, 32, kernel_size=5, padding=2)    # 28x28 -> 28x28, pooled to 14x14
        self.conv2 = nn.Conv2d(32, 64, kernel_size=5, padding=2)   # 14x14 -> 14x14, pooled to 7x7
        self.fc1 = nn.Linear(64 * 7 * 7, fc1_width)
        self.dropout = nn.Dropout(dropout)                         # identity in eval mode, so absent from the ONNX graph
        self.fc2 = nn.Linear(fc1_width, len(CLASS_NAMES))

    def forward(self, x):
        x = self.normalize(x)
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        x = torch.flatten(x, 1)   # exports as a single Flatten(axis=1), not Shape/Gather/Reshape
        x = self.dropout(F.relu(self.fc1(x)))
        return self.fc2(x)


def count_parameters(model):
    return sum(p.numel() for p in model.parameters())


# ---------------------------------------------------------------- training and evaluation

def train(model, images, labels, args, test_images, test_labels, log):
    """Trains in place with Adam for a fixed number of epochs (no selection on the test set;
    test accuracy is only logged). Returns one dict per epoch."""
    optimizer = torch.optim.Adam(model.parameters(), lr=args.lr)
    shuffler = torch.Generator().manual_seed(args.seed)
    x_all, y_all = to_input(images), torch.from_numpy(labels.astype(np.int64))
    history = []
    for epoch in range(1, args.epochs + 1):
        model.train()
        start, loss_sum, seen = time.perf_counter(), 0.0, 0
        order = torch.randperm(len(x_all), generator=shuffler)
        for step, first in enumerate(range(0, len(order), args.batch_size)):
            batch = order[first:first + args.batch_size]
            optimizer.zero_grad()
            loss = F.cross_entropy(model(x_all[batch]), y_all[batch])
            loss.backward()
            optimizer.step()
            loss_sum += loss.item() * len(batch)
            seen += len(batch)
            if step % 200 == 0:
                log(f"epoch {epoch} step {step:4d}/{len(order) // args.batch_size} loss {loss_sum / seen:.4f}")
        seconds = time.perf_counter() - start
        test_acc = accuracy(predict_logits(model, test_images), test_labels)
        history.append({"epoch": epoch, "loss": loss_sum / seen, "seconds": seconds, "test_acc": test_acc})
        log(f"epoch {epoch} done: mean train loss {loss_sum / seen:.4f}, {seconds:.0f} s, test accuracy {test_acc:.4f}")
    return history


@torch.no_grad()
def predict_logits(model, images, batch_size=1000):
    model.eval()
    chunks = [model(to_input(images[i:i + batch_size])) for i in range(0, len(images), batch_size)]
    return torch.cat(chunks).numpy()


def accuracy(logits, labels):
    return float((logits.argmax(axis=1) == labels).mean())


# ---------------------------------------------------------------- export and verification

def export_onnx(model, path, opset):
    model.eval()
    torch.onnx.export(
        model, to_input(np.zeros((1, 28, 28), dtype=np.uint8)), path,
        input_names=[INPUT_NAME], output_names=[OUTPUT_NAME],
        dynamic_axes={INPUT_NAME: {0: BATCH_AXIS}, OUTPUT_NAME: {0: BATCH_AXIS}},
        opset_version=opset, do_constant_folding=True)


def describe_graph(model_proto):
    """Facts about the exported graph that the model card lists and the Java side relies on."""
    graph = model_proto.graph
    inits = {i.name: list(i.dims) for i in graph.initializer}

    def tensor_type(value_info):
        t = value_info.type.tensor_type
        dims = [d.dim_param or d.dim_value for d in t.shape.dim]
        return onnx.TensorProto.DataType.Name(t.elem_type), dims

    weight_nodes = []
    for node in graph.node:
        if node.op_type in ("Conv", "Gemm"):
            attrs = {a.name: onnx.helper.get_attribute_value(a) for a in node.attribute}
            weight_nodes.append({
                "node": node.name, "op": node.op_type, "inputs": list(node.input), "output": node.output[0],
                "weight": node.input[1], "weight_shape": inits.get(node.input[1]),
                "bias": node.input[2] if len(node.input) > 2 else None,
                "attrs": attrs})
    return {
        "opset": [(o.domain or "ai.onnx", o.version) for o in model_proto.opset_import],
        "ir_version": model_proto.ir_version,
        "producer": f"{model_proto.producer_name} {model_proto.producer_version}",
        "inputs": [(v.name, *tensor_type(v)) for v in graph.input if v.name not in inits],
        "outputs": [(v.name, *tensor_type(v)) for v in graph.output],
        "nodes": [(n.name, n.op_type, list(n.input), list(n.output)) for n in graph.node],
        "op_counts": collections.Counter(n.op_type for n in graph.node),
        "initializers": inits,
        "weight_nodes": weight_nodes,
    }


def verify_onnx(path, images, torch_logits):
    """Checks the file with onnx.checker and re-evaluates it with the NumPy interpreter.
    Returns the interpreter's logits."""
    model_proto = onnx.load(path)
    onnx.checker.check_model(model_proto, full_check=True)
    chunks = [onnx_numpy.run_graph(model_proto, {INPUT_NAME: to_input(images[i:i + 100]).numpy()})[OUTPUT_NAME]
              for i in range(0, len(images), 100)]
    onnx_logits = np.concatenate(chunks)
    if onnx_logits.shape != torch_logits.shape:
        raise AssertionError(f"ONNX logits {onnx_logits.shape} vs PyTorch {torch_logits.shape}")
    return model_proto, onnx_logits


# ---------------------------------------------------------------- output files

def write_slice(path, images, labels):
    """Layout (all integers big-endian, as in IDX and Java's DataInputStream):
    4 bytes magic 'FMNS', int32 count N, int32 rows (28), int32 cols (28),
    N*rows*cols uint8 pixels (image-major, row-major), N uint8 labels."""
    n, rows, cols = images.shape
    with open(path, "wb") as f:
        f.write(SLICE_MAGIC + struct.pack(">iii", n, rows, cols))
        f.write(np.ascontiguousarray(images, dtype=np.uint8).tobytes())
        f.write(np.ascontiguousarray(labels, dtype=np.uint8).tobytes())


def write_expected_logits(path, logits, labels):
    """One row per image: slice index, label, PyTorch argmax, then 10 float32 logits printed
    with 9 significant digits (enough to round-trip a float32 exactly)."""
    header = ["index", "label", "predicted"] + [f"logit{k}" for k in range(logits.shape[1])]
    with open(path, "w") as f:
        f.write(",".join(header) + "\n")
        for i in range(EXPECTED_LOGIT_ROWS):
            row = [str(i), str(int(labels[i])), str(int(logits[i].argmax()))]
            row += [f"{float(v):.9g}" for v in logits[i]]
            f.write(",".join(row) + "\n")


def sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def cpu_name():
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.machine()


def layer_table(model):
    """(name, weight shape, bias shape, parameters) for each layer with parameters."""
    rows = []
    for name, module in model.named_children():
        params = list(module.parameters())
        if params:
            rows.append((name, list(module.weight.shape), list(module.bias.shape), sum(p.numel() for p in params)))
    return rows


def write_model_card(path, facts):
    g = facts["graph"]
    lines = [
        "# Fashion-MNIST CNN: model card",
        "",
        f"Written by `src/main/python/fashion_mnist/train.py` on {facts['date']}. Every number below was measured",
        "in that run; rerunning the script on another CPU or thread count may give slightly different weights.",
        "",
        "## Files",
        "",
        "| file | bytes | sha256 |",
        "| --- | ---: | --- |",
    ]
    for name in (MODEL_FILE, SLICE_FILE, LOGITS_FILE):
        lines.append(f"| `{name}` | {facts['sizes'][name]} | `{facts['hashes'][name]}` |")
    lines += [
        "",
        "## Architecture",
        "",
        "`Normalize -> conv1 5x5 (pad 2) -> ReLU -> MaxPool 2 -> conv2 5x5 (pad 2) -> ReLU -> MaxPool 2 -> Flatten -> "
        f"fc1 -> ReLU -> (Dropout {facts['dropout']}, training only) -> fc2`",
        "",
        "| layer | weight shape (PyTorch) | bias | parameters |",
        "| --- | --- | --- | ---: |",
    ]
    for name, w, b, n in facts["layers"]:
        lines.append(f"| {name} | {w} | {b} | {n:,} |")
    lines += [
        f"| **total** | | | **{facts['params']:,}** |",
        "",
        f"Normalisation constants (baked into the graph, computed from the 60,000 training images scaled to [0,1]): "
        f"mean = {facts['mean']:.6f}, std = {facts['std']:.6f}.",
        "",
        "## ONNX graph",
        "",
        f"- opset: {', '.join(f'{d} {v}' for d, v in g['opset'])}; IR version {g['ir_version']}; producer {g['producer']}",
    ]
    for name, dtype, dims in g["inputs"]:
        lines.append(f"- input `{name}`: {dtype} {dims}")
    for name, dtype, dims in g["outputs"]:
        lines.append(f"- output `{name}`: {dtype} {dims} (raw logits, no softmax; class k = {', '.join(f'{k} {c}' for k, c in enumerate(CLASS_NAMES))})")
    lines += [
        f"- op types: {', '.join(f'{op} x{n}' for op, n in g['op_counts'].items())} ({len(g['nodes'])} nodes, "
        f"{len(g['initializers'])} initializers)",
        "",
        "Nodes in order:",
        "",
        "| node | op | inputs | outputs |",
        "| --- | --- | --- | --- |",
    ]
    for name, op, ins, outs in g["nodes"]:
        lines.append(f"| `{name}` | {op} | {', '.join(f'`{i}`' for i in ins)} | {', '.join(f'`{o}`' for o in outs)} |")
    lines += [
        "",
        "The four weight layers:",
        "",
        "| node | op | weight initializer | shape | bias initializer | attributes |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for w in g["weight_nodes"]:
        attrs = ", ".join(f"{k}={v}" for k, v in sorted(w["attrs"].items()))
        lines.append(f"| `{w['node']}` | {w['op']} | `{w['weight']}` | {w['weight_shape']} | `{w['bias']}` | {attrs} |")
    h = facts["history"]
    epoch_seconds = ", ".join(f"{e['seconds']:.0f}" for e in h)
    epoch_losses = ", ".join(f"{e['loss']:.4f}" for e in h)
    epoch_test_accs = ", ".join(f"{e['test_acc']:.4f}" for e in h)
    lines += [
        "",
        "## Training",
        "",
        f"- data: Fashion-MNIST training set, 60,000 images (Debian package dataset-fashion-mnist, `{facts['data_dir']}`)",
        f"- seed {facts['seed']} (torch.manual_seed and the shuffling generator), {facts['epochs']} epochs, batch {facts['batch_size']}, "
        f"Adam lr {facts['lr']}, cross-entropy, no augmentation, no weight decay, no early stopping",
        f"- torch {torch.__version__} (Debian python3-torch), onnx {onnx.__version__}, Python {platform.python_version()}, "
        f"{facts['threads']} CPU thread(s), {facts['cpu']}",
        f"- training time: {sum(e['seconds'] for e in h):.0f} s ({epoch_seconds} s per epoch); "
        f"whole script: {facts['script_seconds']:.0f} s",
        f"- mean training loss per epoch: {epoch_losses}",
        f"- test accuracy after each epoch (logged only, never used to choose anything): "
        f"{epoch_test_accs}",
        "",
        "## Accuracy",
        "",
        "| data | images | correct | accuracy |",
        "| --- | ---: | ---: | ---: |",
        f"| full test set, PyTorch | {facts['test_n']:,} | {facts['test_correct']:,} | {facts['test_acc']:.4f} |",
        f"| slice (`{SLICE_FILE}`), PyTorch | {facts['slice_n']:,} | {facts['slice_correct']:,} | {facts['slice_acc']:.4f} |",
        f"| slice, the ONNX file run by `onnx_numpy.py` | {facts['slice_n']:,} | {facts['onnx_correct']:,} | {facts['onnx_acc']:.4f} |",
        "",
        f"Largest |logit difference| between PyTorch and the ONNX file over the slice: {facts['max_diff']:.3g}; "
        f"predicted classes that differ: {facts['pred_mismatch']}.",
        "",
        f"The slice is test images 0..{facts['slice_n'] - 1} in their original order; labels per class: "
        f"{', '.join(f'{k}: {n}' for k, n in enumerate(facts['slice_counts']))}.",
        "",
    ]
    with open(path, "w") as f:
        f.write("\n".join(lines))


# ---------------------------------------------------------------- main

def main():
    script_start = time.perf_counter()
    args = parse_args()
    log = lambda msg: print(f"[{time.strftime('%H:%M:%S')}] {msg}", flush=True)
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    torch.use_deterministic_algorithms(True)
    os.makedirs(args.out, exist_ok=True)
    paths = {name: os.path.join(args.out, name) for name in (MODEL_FILE, SLICE_FILE, LOGITS_FILE, CARD_FILE)}

    train_images, train_labels = load_split(args.data_dir, "train")
    test_images, test_labels = load_split(args.data_dir, "t10k")
    scaled = train_images.astype(np.float64) / 255.0
    mean, std = float(scaled.mean()), float(scaled.std())
    log(f"data: {len(train_images)} train, {len(test_images)} test; mean {mean:.6f} std {std:.6f}")

    model = FashionCnn(mean, std, fc1_width=args.fc1_width)
    log(f"model: {count_parameters(model):,} parameters")
    history = train(model, train_images, train_labels, args, test_images, test_labels, log)

    test_logits = predict_logits(model, test_images)
    slice_images, slice_labels = test_images[:args.slice_size], test_labels[:args.slice_size]
    slice_logits = test_logits[:args.slice_size]

    export_onnx(model, paths[MODEL_FILE], args.opset)
    write_slice(paths[SLICE_FILE], slice_images, slice_labels)
    write_expected_logits(paths[LOGITS_FILE], slice_logits, slice_labels)
    model_proto, onnx_logits = verify_onnx(paths[MODEL_FILE], slice_images, slice_logits)
    max_diff = float(np.abs(onnx_logits - slice_logits).max())
    log(f"ONNX check passed; NumPy-evaluated ONNX vs PyTorch max |diff| {max_diff:.3g}")

    test_correct = int((test_logits.argmax(1) == test_labels).sum())
    slice_correct = int((slice_logits.argmax(1) == slice_labels).sum())
    onnx_correct = int((onnx_logits.argmax(1) == slice_labels).sum())
    facts = {
        "date": datetime.date.today().isoformat(),
        "sizes": {n: os.path.getsize(paths[n]) for n in (MODEL_FILE, SLICE_FILE, LOGITS_FILE)},
        "hashes": {n: sha256(paths[n]) for n in (MODEL_FILE, SLICE_FILE, LOGITS_FILE)},
        "dropout": model.dropout.p, "layers": layer_table(model), "params": count_parameters(model),
        "mean": mean, "std": std, "graph": describe_graph(model_proto), "history": history,
        "data_dir": args.data_dir, "seed": args.seed, "epochs": args.epochs, "batch_size": args.batch_size,
        "lr": args.lr, "threads": args.threads, "cpu": cpu_name(),
        "test_n": len(test_labels), "test_correct": test_correct, "test_acc": test_correct / len(test_labels),
        "slice_n": len(slice_labels), "slice_correct": slice_correct, "slice_acc": slice_correct / len(slice_labels),
        "onnx_correct": onnx_correct, "onnx_acc": onnx_correct / len(slice_labels), "max_diff": max_diff,
        "pred_mismatch": int((onnx_logits.argmax(1) != slice_logits.argmax(1)).sum()),
        "slice_counts": np.bincount(slice_labels, minlength=len(CLASS_NAMES)).tolist(),
    }
    facts["script_seconds"] = time.perf_counter() - script_start
    write_model_card(paths[CARD_FILE], facts)
    log(f"test accuracy {facts['test_acc']:.4f}, slice {facts['slice_acc']:.4f} (ONNX {facts['onnx_acc']:.4f}); "
        f"wrote {', '.join(paths.values())}")


if __name__ == "__main__":
    sys.exit(main())
