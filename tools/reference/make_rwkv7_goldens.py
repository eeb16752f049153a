#!/usr/bin/env python3
"""Builds small random RWKV-7 models and their expected logits from an independent reference.

For each model shape below this script
  1. draws random weights (BlinkDL / `.pth` names and layout, model-spec §3.1), rounded to values
     that the on-disk dtypes hold exactly, so every file below describes the very same model;
  2. runs the BlinkDL `rwkv` pip package (RWKV_V7_ON=1, strategy "cpu fp32") on a few token
     sequences from a zero state, in sequence mode with all-position output, and checks that its
     token-by-token (RNN) mode agrees;
  3. writes the weights as a Hugging Face / flash-linear-attention folder (`model.safetensors` with
     `RWKV7ForCausalLM` names + `config.json`, §3.8) and as a GGUF file written by the `gguf` package
     with llama.cpp's `rwkv7` tensor names (taken from gguf's own TensorNameMap, after the renames
     llama.cpp's converter applies) and metadata (§3.9);
  4. writes the expected logits of every position (`expected_logits.f32`, little-endian float32,
     sequences back to back) and a manifest (`goldens.json`) naming the sequences and shapes.

The C++ tests (tests/engine/models/test_rwkv7_goldens.cpp) read these files; they need no Python.

Usage:  .venv-core/bin/python tools/reference/make_rwkv7_goldens.py [--out tests/data/rwkv7]
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

os.environ["RWKV_V7_ON"] = "1"
os.environ.setdefault("RWKV_JIT_ON", "1")
os.environ.setdefault("RWKV_CUDA_ON", "0")

import numpy as np  # noqa: E402
import torch  # noqa: E402
import gguf  # noqa: E402
from safetensors.torch import save_file  # noqa: E402

HEAD_SIZE = 64  # every released x070 model and the rwkv pip package use 64


@dataclass(frozen=True)
class Shape:
    name: str
    n_layer: int
    n_embd: int
    n_ffn: int
    n_vocab: int
    rank_w: int
    rank_a: int
    rank_v: int
    rank_g: int
    safetensors_dtype: str  # "BF16" | "F16" | "F32"  (matrices and vectors alike, as HF ships them)
    gguf_matrix_dtype: str  # "F16" | "F32"           (1-D tensors stay F32, as llama.cpp's converter does)
    seed: int


SHAPES = [
    Shape("c128_h2_l3", n_layer=3, n_embd=128, n_ffn=128, n_vocab=128, rank_w=16, rank_a=16, rank_v=8, rank_g=32,
          safetensors_dtype="BF16", gguf_matrix_dtype="F16", seed=7001),
    Shape("c128_h2_l2_ranks", n_layer=2, n_embd=128, n_ffn=128, n_vocab=96, rank_w=8, rank_a=24, rank_v=16,
          rank_g=40, safetensors_dtype="F16", gguf_matrix_dtype="F32", seed=7002),
]


def exactly_representable(values: torch.Tensor, dtypes: list[str]) -> torch.Tensor:
    """Rounds fp32 values so that each of `dtypes` stores them without any further rounding."""
    v = values.float()
    if "BF16" in dtypes:
        v = v.to(torch.bfloat16).float()
        if "F16" in dtypes:
            v = torch.where(v.abs() < 2.0**-14, torch.zeros_like(v), v)  # below f16's normal range
    elif "F16" in dtypes:
        v = v.to(torch.float16).float()
    for name in dtypes:
        if name == "F16":
            assert torch.equal(v.to(torch.float16).float(), v)
        if name == "BF16":
            assert torch.equal(v.to(torch.bfloat16).float(), v)
    return v


def random_blinkdl_weights(shape: Shape) -> dict[str, torch.Tensor]:
    g = torch.Generator().manual_seed(shape.seed)
    C, F, V, L = shape.n_embd, shape.n_ffn, shape.n_vocab, shape.n_layer
    H = C // HEAD_SIZE

    def normal(*dims, std=1.0, mean=0.0):
        return torch.randn(*dims, generator=g) * std + mean

    def uniform(*dims, low=0.0, high=1.0):
        return torch.rand(*dims, generator=g) * (high - low) + low

    z: dict[str, torch.Tensor] = {}
    z["emb.weight"] = uniform(V, C, low=-1.0, high=1.0)
    z["blocks.0.ln0.weight"] = normal(C, std=0.1, mean=1.0)
    z["blocks.0.ln0.bias"] = normal(C, std=0.1)
    for i in range(L):
        b = f"blocks.{i}."
        z[b + "ln1.weight"] = normal(C, std=0.1, mean=1.0)
        z[b + "ln1.bias"] = normal(C, std=0.1)
        z[b + "ln2.weight"] = normal(C, std=0.1, mean=1.0)
        z[b + "ln2.bias"] = normal(C, std=0.1)
        for mix in "rwkvag":
            z[b + f"att.x_{mix}"] = uniform(1, 1, C)
        z[b + "att.w0"] = uniform(1, 1, C, low=-4.0, high=1.0)
        z[b + "att.w1"] = normal(C, shape.rank_w, std=0.2)
        z[b + "att.w2"] = normal(shape.rank_w, C, std=0.2)
        z[b + "att.a0"] = normal(1, 1, C, std=0.5)
        z[b + "att.a1"] = normal(C, shape.rank_a, std=0.2)
        z[b + "att.a2"] = normal(shape.rank_a, C, std=0.2)
        if i > 0:
            z[b + "att.v0"] = normal(1, 1, C, std=0.5, mean=0.5)
            z[b + "att.v1"] = normal(C, shape.rank_v, std=0.2)
            z[b + "att.v2"] = normal(shape.rank_v, C, std=0.2)
        z[b + "att.g1"] = normal(C, shape.rank_g, std=0.2)
        z[b + "att.g2"] = normal(shape.rank_g, C, std=0.2)
        z[b + "att.k_k"] = normal(1, 1, C, std=0.1, mean=0.8)
        z[b + "att.k_a"] = normal(1, 1, C, std=0.2, mean=1.0)
        z[b + "att.r_k"] = normal(H, HEAD_SIZE, std=0.3)
        for proj in ("receptance", "key", "value", "output"):
            z[b + f"att.{proj}.weight"] = normal(C, C, std=C**-0.5)
        z[b + "att.ln_x.weight"] = normal(C, std=0.1, mean=0.8)
        z[b + "att.ln_x.bias"] = normal(C, std=0.1)
        z[b + "ffn.x_k"] = uniform(1, 1, C)
        z[b + "ffn.key.weight"] = normal(F, C, std=C**-0.5)
        z[b + "ffn.value.weight"] = normal(C, F, std=F**-0.5)
    z["ln_out.weight"] = normal(C, std=0.1, mean=1.0)
    z["ln_out.bias"] = normal(C, std=0.1)
    z["head.weight"] = normal(V, C, std=2.0 * C**-0.5)

    stored = sorted({shape.safetensors_dtype, shape.gguf_matrix_dtype} - {"F32"})
    return {name: exactly_representable(t, stored) for name, t in z.items()}


def token_sequences(shape: Shape) -> list[list[int]]:
    rng = np.random.default_rng(shape.seed + 1)
    V = shape.n_vocab
    return [
        [0],
        [int(t) for t in rng.integers(0, V, size=9)],
        [V - 1] + [int(t) for t in rng.integers(0, V, size=38)] + [0],
    ]


def reference_logits(z: dict[str, torch.Tensor], sequences: list[list[int]], workdir: Path) -> list[np.ndarray]:
    from rwkv.model import RWKV  # imported here: it reads RWKV_V7_ON at import time

    path = workdir / "model"
    torch.save({k: v.clone() for k, v in z.items()}, str(path) + ".pth")
    model = RWKV(model=str(path), strategy="cpu fp32")
    results = []
    for tokens in sequences:
        if len(tokens) > 1:
            seq, _ = model.forward(list(tokens), None, full_output=True)
            seq = seq.float().numpy().reshape(len(tokens), -1)
        else:
            seq = None
        # RNN mode, one token at a time: must agree with sequence mode.
        state = None
        rows = []
        for t in tokens:
            out, state = model.forward([t], state)
            rows.append(out.float().numpy().reshape(-1))
        rnn = np.stack(rows)
        if seq is not None:
            diff = float(np.max(np.abs(seq - rnn)))
            assert diff < 1e-4, f"rwkv pip: sequence vs token-by-token differ by {diff}"
            results.append(seq)
        else:
            results.append(rnn)
    return results


def torch_dtype(name: str) -> torch.dtype:
    return {"F32": torch.float32, "F16": torch.float16, "BF16": torch.bfloat16}[name]


def hf_tensors(z: dict[str, torch.Tensor], shape: Shape) -> dict[str, torch.Tensor]:
    """flash-linear-attention / Hugging Face RWKV7ForCausalLM names and shapes (model-spec §3.8)."""
    C = shape.n_embd
    H = C // HEAD_SIZE
    out: dict[str, torch.Tensor] = {}
    out["model.embeddings.weight"] = z["emb.weight"]
    out["model.layers.0.pre_norm.weight"] = z["blocks.0.ln0.weight"]
    out["model.layers.0.pre_norm.bias"] = z["blocks.0.ln0.bias"]
    for i in range(shape.n_layer):
        b, m = f"blocks.{i}.", f"model.layers.{i}."
        out[m + "attn_norm.weight"] = z[b + "ln1.weight"]
        out[m + "attn_norm.bias"] = z[b + "ln1.bias"]
        out[m + "ffn_norm.weight"] = z[b + "ln2.weight"]
        out[m + "ffn_norm.bias"] = z[b + "ln2.bias"]
        for mix in "rwkvag":
            out[m + f"attn.x_{mix}"] = z[b + f"att.x_{mix}"].reshape(1, 1, C)
        out[m + "attn.k_k"] = z[b + "att.k_k"].reshape(C)
        out[m + "attn.k_a"] = z[b + "att.k_a"].reshape(C)
        out[m + "attn.r_k"] = z[b + "att.r_k"].reshape(H, HEAD_SIZE)
        for blink, fla in (("receptance", "r_proj"), ("key", "k_proj"), ("value", "v_proj"), ("output", "o_proj")):
            out[m + f"attn.{fla}.weight"] = z[b + f"att.{blink}.weight"]
        loras = [("w", "w_lora", True), ("a", "a_lora", True), ("g", "g_lora", False)]
        if i > 0:
            loras.append(("v", "v_lora", True))
        for letter, module, has_bias in loras:
            # BlinkDL stores x @ w1 with w1 [C, D]; fla's nn.Linear stores lora.0 [D, C] and lora.2 [C, D].
            out[m + f"attn.{module}.lora.0.weight"] = z[b + f"att.{letter}1"].t().contiguous()
            out[m + f"attn.{module}.lora.2.weight"] = z[b + f"att.{letter}2"].t().contiguous()
            if has_bias:
                out[m + f"attn.{module}.lora.2.bias"] = z[b + f"att.{letter}0"].reshape(C)
        out[m + "attn.g_norm.weight"] = z[b + "att.ln_x.weight"]
        out[m + "attn.g_norm.bias"] = z[b + "att.ln_x.bias"]
        out[m + "ffn.x_k"] = z[b + "ffn.x_k"].reshape(C)
        out[m + "ffn.key.weight"] = z[b + "ffn.key.weight"]
        out[m + "ffn.value.weight"] = z[b + "ffn.value.weight"]
    out["model.norm.weight"] = z["ln_out.weight"]
    out["model.norm.bias"] = z["ln_out.bias"]
    out["lm_head.weight"] = z["head.weight"]
    return out


def hf_config(shape: Shape) -> dict:
    return {
        "architectures": ["RWKV7ForCausalLM"],
        "model_type": "rwkv7",
        "attn": None,
        "attn_mode": "chunk",
        "hidden_size": shape.n_embd,
        "head_dim": HEAD_SIZE,
        "num_heads": None,
        "num_hidden_layers": shape.n_layer,
        "intermediate_size": shape.n_ffn,
        "hidden_ratio": shape.n_ffn / shape.n_embd,
        "hidden_act": "sqrelu",
        "decay_low_rank_dim": shape.rank_w,
        "a_low_rank_dim": shape.rank_a,
        "v_low_rank_dim": shape.rank_v,
        "gate_low_rank_dim": shape.rank_g,
        "norm_first": True,
        "norm_bias": True,
        "norm_eps": 1e-5,
        "fuse_norm": False,
        "vocab_size": shape.n_vocab,
        "tie_word_embeddings": False,
        "torch_dtype": {"BF16": "bfloat16", "F16": "float16", "F32": "float32"}[shape.safetensors_dtype],
    }


def write_hf_folder(z: dict[str, torch.Tensor], shape: Shape, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    dtype = torch_dtype(shape.safetensors_dtype)
    tensors = {name: t.to(dtype).contiguous() for name, t in hf_tensors(z, shape).items()}
    for name, t in tensors.items():  # the stored values are exactly the reference's
        assert torch.equal(t.float(), hf_tensors(z, shape)[name].float()), name
    save_file(tensors, str(folder / "model.safetensors"), metadata={"format": "pt"})
    (folder / "config.json").write_text(json.dumps(hf_config(shape), indent=2) + "\n")


def gguf_tensors(z: dict[str, torch.Tensor], shape: Shape) -> list[tuple[str, np.ndarray]]:
    """The HF tensors renamed the way llama.cpp's converter (Rwkv7Model) does it, with gguf's own name map."""
    name_map = gguf.TensorNameMap(gguf.MODEL_ARCH.RWKV7, shape.n_layer)
    hf = hf_tensors(z, shape)
    out: list[tuple[str, np.ndarray]] = []
    for i in range(shape.n_layer):
        # The six token-shift mixes become one [6, 1, 1, C] tensor, order r, w, k, v, a, g.
        fused = torch.stack([hf[f"model.layers.{i}.attn.x_{m}"] for m in "rwkvag"], dim=0)
        out.append((f"blk.{i}.time_mix_lerp_fused.weight", fused.numpy()))
    for hf_name, tensor in hf.items():
        if ".attn.x_" in hf_name:
            continue
        name = hf_name.replace("blocks", "layers").replace("ffn", "feed_forward")
        name = name.replace("self_attn", "attention").replace("attn", "attention")
        name = name.replace("feed_forward_norm", "ln2").replace("g_norm", "ln_x")
        name = name.replace("_lora.lora.0.weight", "1.weight").replace("_lora.lora.2.weight", "2.weight")
        name = name.replace("_lora.lora.2.bias", "0.weight")
        new_name = name_map.get_name(name, try_suffixes=(".weight", ".bias"))
        assert new_name is not None, f"gguf has no name for {hf_name} ({name})"
        if not (new_name.endswith(".weight") or new_name.endswith(".bias")):
            new_name += ".weight"
        data = tensor.squeeze()
        if "r_k" in new_name:
            data = data.flatten()
        out.append((new_name, data.numpy()))
        if ".layers.0." in hf_name and "time_mix_a" in new_name:
            # llama.cpp's converter gives block 0 a dummy copy of a0/a1/a2 as v0/v1/v2.
            out.append((new_name.replace("time_mix_a", "time_mix_v"), data.numpy()))
    return out


def write_gguf(z: dict[str, torch.Tensor], shape: Shape, path: Path) -> None:
    writer = gguf.GGUFWriter(str(path), "rwkv7")
    writer.add_name(f"linea-test-rwkv7-{shape.name}")
    writer.add_context_length(1048576)
    writer.add_embedding_length(shape.n_embd)
    writer.add_block_count(shape.n_layer)
    writer.add_layer_norm_eps(1e-5)
    writer.add_wkv_head_size(HEAD_SIZE)
    writer.add_decay_lora_rank(shape.rank_w)
    writer.add_iclr_lora_rank(shape.rank_a)
    writer.add_value_residual_mix_lora_rank(shape.rank_v)
    writer.add_gate_lora_rank(shape.rank_g)
    writer.add_feed_forward_length(shape.n_ffn)
    writer.add_file_type(gguf.LlamaFileType.MOSTLY_F16 if shape.gguf_matrix_dtype == "F16" else gguf.LlamaFileType.ALL_F32)
    writer.add_head_count(0)
    for name, data in gguf_tensors(z, shape):
        data = data.astype(np.float32)
        if data.ndim >= 2 and shape.gguf_matrix_dtype == "F16" and "lerp_fused" not in name:
            f16 = data.astype(np.float16)
            assert np.array_equal(f16.astype(np.float32), data), name
            writer.add_tensor(name, f16)
        else:
            writer.add_tensor(name, data)
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parents[2] / "tests" / "data" / "rwkv7")
    args = parser.parse_args()
    torch.set_num_threads(1)
    args.out.mkdir(parents=True, exist_ok=True)

    manifest = {
        "generator": "tools/reference/make_rwkv7_goldens.py",
        "reference": "BlinkDL rwkv pip package (RWKV_V7_ON=1, strategy 'cpu fp32'), sequence mode, all positions",
        "models": [],
    }
    for shape in SHAPES:
        z = random_blinkdl_weights(shape)
        sequences = token_sequences(shape)
        with tempfile.TemporaryDirectory() as tmp:
            logits = reference_logits(z, sequences, Path(tmp))
        folder = args.out / shape.name
        write_hf_folder(z, shape, folder / "hf")
        write_gguf(z, shape, folder / "model.gguf")
        flat = np.concatenate([l.reshape(-1) for l in logits]).astype("<f4")
        flat.tofile(folder / "expected_logits.f32")
        manifest["models"].append({
            "name": shape.name,
            "hf_folder": f"{shape.name}/hf",
            "gguf": f"{shape.name}/model.gguf",
            "expected_logits": f"{shape.name}/expected_logits.f32",
            "n_layer": shape.n_layer, "n_embd": shape.n_embd, "n_head": shape.n_embd // HEAD_SIZE,
            "head_size": HEAD_SIZE, "n_ffn": shape.n_ffn, "n_vocab": shape.n_vocab,
            "lora_ranks": {"decay": shape.rank_w, "iclr": shape.rank_a, "value_residual": shape.rank_v,
                           "gate": shape.rank_g},
            "safetensors_dtype": shape.safetensors_dtype, "gguf_matrix_dtype": shape.gguf_matrix_dtype,
            "sequences": sequences,
        })
        print(f"{shape.name}: {len(sequences)} sequences, logits |max| {float(np.abs(flat).max()):.3f}, "
              f"std {float(flat.std()):.3f}")
    (args.out / "goldens.json").write_text(json.dumps(manifest, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
