#!/usr/bin/env python3
"""Makes the small reference files under tests/data/io/ that the engine/io tests assert on.

Everything here is produced by packages written by others (gguf-py, numpy, safetensors), so the C++
readers, dequantizers and quantizers are checked against independent implementations:

  python_metadata.gguf     GGUFWriter: metadata of every value type (nested arrays included),
                           general.alignment = 64, and F32 / F16 / I32 tensors.
  dequant_goldens.gguf     GGUFWriter: random blocks of every quantized type we read, each with
                           gguf.quants.dequantize's float32 result beside it ("<type>.expected").
  quant_goldens.gguf       GGUFWriter: float32 inputs and gguf.quants.quantize's blocks for every
                           type gguf-py can quantize (Q8_0, Q4_0, Q4_1, Q5_0, Q5_1).
  python_small.safetensors safetensors.numpy.save_file: several dtypes, a scalar, a zero-size tensor.

With --build-dir it also checks the other direction: it runs the C++ test that writes
linea_writer.gguf with our GgufWriter (same content as python_metadata.gguf), reads that file back
with gguf.GGUFReader and compares every key, value and tensor, and checks it is byte-identical to
the file GGUFWriter wrote.

Usage (from the repository root):
  python3 -m venv .venv-io && .venv-io/bin/pip install -r tools/io/requirements.txt
  .venv-io/bin/python tools/io/make_io_goldens.py [--build-dir build/io]
"""

import argparse
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import gguf
from gguf import GGMLQuantizationType as Q, GGUFValueType as V
from safetensors.numpy import save_file

OUT = Path(__file__).resolve().parents[2] / "tests" / "data" / "io"
SEED = 20240501

# key -> (value, type, array element type or None). Mirrored in tests/engine/io/test_gguf_reader.cpp.
METADATA = [
    ("test.u8", 200, V.UINT8, None),
    ("test.i8", -100, V.INT8, None),
    ("test.u16", 60000, V.UINT16, None),
    ("test.i16", -30000, V.INT16, None),
    ("test.u32", 4000000000, V.UINT32, None),
    ("test.i32", -2000000000, V.INT32, None),
    ("test.f32", 0.15625, V.FLOAT32, None),
    ("test.u64", 2**63 + 5, V.UINT64, None),
    ("test.i64", -(2**62) - 3, V.INT64, None),
    ("test.f64", 2.718281828459045, V.FLOAT64, None),
    ("test.bool", True, V.BOOL, None),
    ("test.string", "grüße, 世界 🙂", V.STRING, None),
    ("test.array.i32", [1, -2, 3], V.ARRAY, V.INT32),
    ("test.array.u16", [1, 2, 65535], V.ARRAY, V.UINT16),
    ("test.array.f32", [0.5, -1.25], V.ARRAY, V.FLOAT32),
    ("test.array.string", ["a", "", "ü"], V.ARRAY, V.STRING),
    ("test.array.bool", [True, False, True], V.ARRAY, V.BOOL),
    ("test.array.nested", [[1, 2], [3]], V.ARRAY, V.ARRAY),
    ("test.array.nested_strings", [["x", "y"], ["z"]], V.ARRAY, V.ARRAY),
]

TENSORS = [
    ("tensor.f32", (np.arange(6, dtype=np.float32) * 0.5).reshape(2, 3)),
    ("tensor.f16", np.array([1.0, -2.0, 0.5, 65504.0], dtype=np.float16)),
    ("tensor.i32", (np.arange(6, dtype=np.int32) - 3).reshape(3, 1, 2)),
]


def write_python_metadata(path):
    writer = gguf.GGUFWriter(path, "linea-test")
    writer.add_custom_alignment(64)
    for key, value, vtype, sub_type in METADATA:
        if vtype == V.ARRAY and sub_type != V.ARRAY:
            writer.add_key_value(key, value, V.ARRAY, sub_type=sub_type)
        else:
            writer.add_key_value(key, value, vtype)
    for name, array in TENSORS:
        writer.add_tensor(name, array)
    finish(writer)


def finish(writer):
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()


def random_halves(rng, count):
    """Finite fp16 scales of either sign, magnitudes 1e-3 .. 10 (so no inf/NaN reaches the goldens)."""
    magnitude = np.exp(rng.uniform(np.log(1e-3), np.log(10.0), size=count))
    sign = rng.choice([-1.0, 1.0], size=count)
    return (magnitude * sign).astype(np.float16).view(np.uint8).reshape(count, 2)


# Byte offsets of the fp16 fields inside one block of each type.
HALF_FIELDS = {
    Q.Q8_0: [0], Q.Q4_0: [0], Q.Q4_1: [0, 2], Q.Q5_0: [0], Q.Q5_1: [0, 2],
    Q.Q4_K: [0, 2], Q.Q5_K: [0, 2], Q.Q6_K: [208],
}


def write_dequant_goldens(path, rng):
    writer = gguf.GGUFWriter(path, "linea-test")
    for qtype, fields in HALF_FIELDS.items():
        block_size, type_size = gguf.GGML_QUANT_SIZES[qtype]
        rows, cols = 2, 512
        n_blocks = rows * cols // block_size
        blocks = rng.integers(0, 256, size=(n_blocks, type_size), dtype=np.uint8)
        for field in fields:
            blocks[:, field:field + 2] = random_halves(rng, n_blocks)
        raw = blocks.reshape(rows, cols // block_size * type_size)
        expected = gguf.quants.dequantize(raw, qtype).astype(np.float32)
        assert expected.shape == (rows, cols)
        assert np.isfinite(expected).all()
        writer.add_tensor(f"{qtype.name.lower()}.blocks", raw, raw_dtype=qtype)
        writer.add_tensor(f"{qtype.name.lower()}.expected", expected)
    # The plain 16-bit types: every bit pattern class, converted by numpy / gguf-py.
    halves = rng.integers(0, 65536, size=(2, 512), dtype=np.uint16)
    halves[0, :4] = [0x0000, 0x8000, 0x7C00, 0x0001]  # +0, -0, inf, smallest subnormal
    f16 = halves.view(np.float16)
    writer.add_tensor("f16.blocks", f16)
    writer.add_tensor("f16.expected", f16.astype(np.float32))
    bf16 = rng.integers(0, 65536, size=(2, 512), dtype=np.uint16)
    writer.add_tensor("bf16.blocks", bf16.view(np.uint8), raw_dtype=Q.BF16)
    writer.add_tensor("bf16.expected", gguf.quants.dequantize(bf16.view(np.uint8), Q.BF16).astype(np.float32))
    finish(writer)


def quant_inputs(rng):
    """Float32 rows with the cases quantizers get wrong: zeros, constants, sign ties, big and tiny values."""
    x = rng.normal(0.0, 1.0, size=(8, 64)).astype(np.float32)
    x[0, :32] = 0.0                                   # an all-zero block
    x[0, 32:] = 0.75                                  # a constant block
    x[1, :32] = rng.normal(0, 1e-6, 32)               # tiny values (subnormal fp16 scale)
    x[1, 32:] = rng.normal(0, 5e4, 32)                # large values
    x[2, :32] = np.tile([3.0, -3.0], 16)              # magnitude ties of opposite sign
    x[2, 32:] = np.round(rng.normal(0, 4, 32)) / 4    # values on exact quarter steps (rounding halves)
    x[3, :32] = -np.abs(x[3, :32])                    # all negative
    x[3, 32:] = np.abs(x[3, 32:])                     # all positive
    return x


def write_quant_goldens(path, rng):
    writer = gguf.GGUFWriter(path, "linea-test")
    x = quant_inputs(rng)
    writer.add_tensor("input", x)
    for qtype in (Q.Q8_0, Q.Q4_0, Q.Q4_1, Q.Q5_0, Q.Q5_1):
        with np.errstate(over="ignore"):  # a block minimum of -1e5 overflows fp16 to -inf on purpose
            blocks = gguf.quants.quantize(x, qtype)
        writer.add_tensor(qtype.name.lower(), blocks, raw_dtype=qtype)
    finish(writer)


def write_python_safetensors(path):
    tensors = {
        "a.f32": (np.arange(6, dtype=np.float32)).reshape(2, 3),
        "b.f16": np.array([1.5, -2.0], dtype=np.float16),
        "c.i64": np.array([[-1], [2**40]], dtype=np.int64),
        "d.u8": np.zeros((0,), dtype=np.uint8),
        "e.bool": np.array([True, False, True]),
        "f.scalar": np.array(3.25, dtype=np.float32),
    }
    save_file(tensors, str(path), metadata={"format": "np", "note": "grüße"})


def nested_array(parts, at):
    """Rebuilds an array from GGUFReader's flat `parts` (its contents() flattens nested arrays):
    parts[at] is the element type, parts[at + 1] the count. Returns (list, next index)."""
    element_type, count = int(parts[at][0]), int(parts[at + 1][0])
    at += 2
    items = []
    for _ in range(count):
        if element_type == V.ARRAY:
            item, at = nested_array(parts, at)
        elif element_type == V.STRING:
            item, at = str(parts[at + 1].tobytes(), encoding="utf-8"), at + 2  # length, then bytes
        else:
            item, at = parts[at].tolist()[0], at + 1
        items.append(item)
    return items, at


def check_with_reader(path, python_path):
    """Reads a file with gguf.GGUFReader and compares it with METADATA / TENSORS."""
    reader = gguf.GGUFReader(path)
    fields = reader.fields
    assert fields["general.architecture"].contents() == "linea-test", "architecture"
    assert fields["general.alignment"].contents() == 64, "alignment"
    assert reader.alignment == 64
    for key, value, vtype, sub_type in METADATA:
        field = fields[key]
        assert field.types[0] == vtype, (key, field.types)
        if vtype == V.ARRAY and sub_type != V.ARRAY:
            assert field.types[1] == sub_type, (key, field.types)
        got = nested_array(field.parts, 3)[0] if sub_type == V.ARRAY else field.contents()
        if vtype == V.FLOAT32:
            assert np.float32(got) == np.float32(value), (key, got)
        elif sub_type == V.FLOAT32:
            assert [np.float32(g) for g in got] == [np.float32(v) for v in value], (key, got)
        else:
            assert got == value, (key, got, value)
    names = [t.name for t in reader.tensors]
    assert names == [n for n, _ in TENSORS], names
    for (name, array), tensor in zip(TENSORS, reader.tensors):
        assert list(reversed(tensor.shape.tolist())) == list(array.shape), (name, tensor.shape)
        assert np.array_equal(np.asarray(tensor.data).reshape(array.shape), array), name
    same = Path(path).read_bytes() == Path(python_path).read_bytes()
    print(f"{path}: read back by gguf.GGUFReader, every key and tensor matches; "
          f"byte-identical to GGUFWriter's file: {same}")
    if not same:
        sys.exit("our writer's bytes differ from GGUFWriter's for the same content")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--build-dir", type=Path, help="a build tree with tests/bin/test_gguf_writer")
    args = parser.parse_args()

    OUT.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(SEED)
    write_python_metadata(OUT / "python_metadata.gguf")
    write_dequant_goldens(OUT / "dequant_goldens.gguf", rng)
    write_quant_goldens(OUT / "quant_goldens.gguf", rng)
    write_python_safetensors(OUT / "python_small.safetensors")
    check_with_reader(OUT / "python_metadata.gguf", OUT / "python_metadata.gguf")

    if args.build_dir:
        test = args.build_dir / "tests" / "bin" / "test_gguf_writer"
        env = dict(os.environ, LINEA_UPDATE_GOLDENS="1")
        subprocess.run([str(test), "matchesTheCommittedFile"], check=True, env=env)
        check_with_reader(OUT / "linea_writer.gguf", OUT / "python_metadata.gguf")

    for f in sorted(OUT.iterdir()):
        print(f"{f.name}: {f.stat().st_size} bytes")


if __name__ == "__main__":
    main()
