"""A tiny NumPy interpreter for the handful of ONNX ops the Fashion-MNIST CNN uses.

Why it exists: Debian 12 ships python3-onnx (which can check and inspect a model) but no
ONNX Runtime, and re-running the PyTorch model would only prove that PyTorch agrees with
itself. Evaluating the exported graph straight from its protobuf, with weights read from
the file's initializers, checks what the Java side will actually load.

Only the ops and attributes this model needs are implemented; anything else raises, so
a change in the exporter's output cannot pass silently.
"""

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view
from onnx import helper, numpy_helper


def run_graph(model, inputs):
    """Evaluates `model` (an onnx.ModelProto) on `inputs` ({name: ndarray}); returns {name: ndarray} of the graph outputs."""
    values = {init.name: numpy_helper.to_array(init) for init in model.graph.initializer}
    values.update(inputs)
    for node in model.graph.node:
        op = _OPS.get(node.op_type)
        if op is None:
            raise NotImplementedError(f"op {node.op_type} (node {node.name}) is not supported by onnx_numpy")
        args = [values[name] for name in node.input if name]
        results = op(*args, **_attributes(node))
        for name, value in zip(node.output, results):
            values[name] = value
    return {out.name: values[out.name] for out in model.graph.output}


def _attributes(node):
    return {attr.name: helper.get_attribute_value(attr) for attr in node.attribute}


def _constant(value):
    return (numpy_helper.to_array(value),)


def _sub(a, b):
    return (a - b,)


def _div(a, b):
    return (a / b,)


def _relu(x):
    return (np.maximum(x, 0),)


def _flatten(x, axis=1):
    return (x.reshape(int(np.prod(x.shape[:axis])), -1),)


def _gemm(a, b, c=None, alpha=1.0, beta=1.0, transA=0, transB=0):
    a = a.T if transA else a
    b = b.T if transB else b
    y = alpha * (a @ b)
    if c is not None:
        y = y + beta * c
    return (y.astype(np.float32),)


def _conv(x, w, b=None, pads=(0, 0, 0, 0), strides=(1, 1), dilations=(1, 1), group=1,
          kernel_shape=None, auto_pad=b"NOTSET"):
    if group != 1 or tuple(dilations) != (1, 1) or auto_pad not in (b"NOTSET", "NOTSET"):
        raise NotImplementedError("Conv with group/dilation/auto_pad is not supported by onnx_numpy")
    top, left, bottom, right = pads
    x = np.pad(x, ((0, 0), (0, 0), (top, bottom), (left, right)))
    kh, kw = w.shape[2], w.shape[3]
    # windows: [N, C, H_out, W_out, kh, kw]; contract C, kh, kw against the filters [M, C, kh, kw].
    windows = sliding_window_view(x, (kh, kw), axis=(2, 3))[:, :, ::strides[0], ::strides[1]]
    y = np.tensordot(windows, w, axes=([1, 4, 5], [1, 2, 3]))  # [N, H_out, W_out, M]
    y = y.transpose(0, 3, 1, 2)
    if b is not None:
        y = y + b.reshape(1, -1, 1, 1)
    return (np.ascontiguousarray(y, dtype=np.float32),)


def _max_pool(x, kernel_shape, strides=None, pads=(0, 0, 0, 0), ceil_mode=0, dilations=(1, 1),
              storage_order=0, auto_pad=b"NOTSET"):
    if any(pads) or ceil_mode or tuple(dilations) != (1, 1) or auto_pad not in (b"NOTSET", "NOTSET"):
        raise NotImplementedError("MaxPool with padding/ceil_mode/dilation is not supported by onnx_numpy")
    strides = strides or kernel_shape
    windows = sliding_window_view(x, tuple(kernel_shape), axis=(2, 3))[:, :, ::strides[0], ::strides[1]]
    return (windows.max(axis=(4, 5)),)


_OPS = {
    "Constant": _constant,
    "Sub": _sub,
    "Div": _div,
    "Relu": _relu,
    "Flatten": _flatten,
    "Gemm": _gemm,
    "Conv": _conv,
    "MaxPool": _max_pool,
}
