#!/usr/bin/env python3
"""Builds small random MiniMax hybrid and Llama / Qwen2 decoders with transformers' logits as goldens.

For each model below this script
  1. builds the transformers model (`MiniMaxForCausalLM`, `LlamaForCausalLM`, `Qwen2ForCausalLM`) in
     fp32 with seeded random weights (rounded to bf16 first where the files store bf16, so the files
     and the reference describe exactly the same numbers);
  2. runs it on one random 700-token prompt and keeps the logits of every position;
  3. checks the reference against itself: prompts of 1, 255, 256 and 257 tokens reproduce the first
     rows of the 700-token run (<= 1e-5); feeding the prompt through transformers' own cache
     (lightning recurrence + KV cache) as a 400-token prefill then 300 single tokens, or in chunks of
     7, 128 or 300, reproduces the rows (float64: to 1e-10, the same math; fp32: within a quarter of
     the C++ test's tolerance); the fp32 run is within 2e-5 of the same model run entirely in
     float64; every MoE routing decision is the same in float64 and far from a tie compared with
     the reference's own rounding error; a softmax layer matches a float64 re-computation with
     partial RoPE; the folder written to disk, read back, gives bit-identical logits;
  4. records a greedy continuation (24 tokens after the first 40 prompt tokens, through the cache)
     and the margin between the two best logits of every step, all above MIN_GREEDY_MARGIN;
  5. writes the model folder, `expected_logits.f32` (little-endian float32 [700, vocab]) and the
     manifest `goldens.json`.

Three facts about transformers 5.24 shape the MiniMax reference:
  * `MiniMaxForCausalLM` rotates the WHOLE head even when `rope_parameters.partial_rotary_factor` is
    set. MiniMax-Text-01/M1 rotate only the first `rotary_dim` = head_dim/2 dimensions, so the
    rotary embedding is replaced by the one transformers' own MiniMax-VL-01 port uses (glm4_moe's
    `Glm4MoeRotaryEmbedding` with its partial `apply_rotary_pos_emb`); `check_partial_rotary`
    verifies the swap against a float64 re-computation of one softmax layer.
  * `MiniMaxCache` takes the sequence length from layer 0 (a lightning layer, no KV), so cached
    decoding passes explicit position ids, and a multi-token chunk after a cache passes its causal
    mask explicitly (transformers' own mask would be sized from that empty layer).
  * The lightning decay's layer factor differs from MiniMax's remote code (model-spec §1.4.2):
    transformers `1 - l/(L-1+1e-5) + 1e-5`, remote code `1 - l/(L-1) + 1e-5` (and remote code's
    ALiBi slopes are computed in Python floats, then stored as fp32). The remote-layout goldens
    patch the slopes so their logits are what MiniMax's own code computes; the manifest names the
    factor of every golden and how much the logits would move with the other one.

The C++ test tests/engine/models/test_decoder_goldens.cpp reads these files; it needs no Python.

Usage:  .venv-train/bin/python tools/reference/make_decoder_goldens.py [--out tests/data/decoders]
        (any venv with tools/reference/decoder_goldens.requirements.txt installed)
"""
from __future__ import annotations

import argparse
import contextlib
import copy
import json
import math
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
import transformers
from safetensors import safe_open
from safetensors.torch import save_file
from transformers import (LlamaConfig, LlamaForCausalLM, MiniMaxConfig, MiniMaxForCausalLM, Qwen2Config,
                          Qwen2ForCausalLM)
from transformers.models.glm4_moe import modeling_glm4_moe
from transformers.models.llama import modeling_llama
from transformers.models.minimax import modeling_minimax
from transformers.models.qwen2 import modeling_qwen2

PROMPT_LENGTH = 700
PREFIXES = (1, 255, 256, 257)
PREFILL_THEN_DECODE = 400
CONTINUATION_PROMPT = 40
CONTINUATION_LENGTH = 24
TOLERANCE = 1e-4              # what the C++ test allows between the engine and these goldens
SELF_TOLERANCE = 1e-5         # reference against itself (prefixes, cached decode, reloaded files)
FP64_TOLERANCE = 2e-5         # fp32 reference against float64: leaves the engine most of TOLERANCE
DECODE_SELF_TOLERANCE = TOLERANCE / 4  # transformers' own cached (recurrent) fp32 paths against the golden rows
MIN_GREEDY_MARGIN = 1e-3      # top-1 minus top-2 logit at every continuation step
MIN_ROUTER_GAP = 2e-6         # k-th minus (k+1)-th router probability at every token and layer, and
MIN_ROUTER_GAP_RATIO = 100    # that gap over the fp32 reference's own error in it (vs float64)

TRANSFORMERS_FACTOR = "transformers: 1 - l/(L-1+1e-5) + 1e-5"
REMOTE_FACTOR = "remote code: 1 - l/(L-1) + 1e-5"


@dataclass(frozen=True)
class MiniMaxShape:
    name: str
    layout: str  # "native-fused" | "native-per-expert" | "remote"
    layers: str  # one letter per layer: L lightning, S softmax
    hidden: int
    heads: int
    kv_heads: int
    head_dim: int
    experts: int
    top_k: int
    intermediate: int
    vocab: int
    block_size: int
    rope_theta: float
    alphas: dict  # full/linear/mlp -> (alpha, beta)
    dtype: str  # "F32" | "BF16"
    seed: int
    rotary_factor: float = 0.5


@dataclass(frozen=True)
class SoftmaxShape:
    name: str
    family: str  # "llama" | "qwen2"
    layers: int
    hidden: int
    heads: int
    kv_heads: int
    head_dim: int
    intermediate: int
    vocab: int
    rope_theta: float
    rms_norm_eps: float
    tied: bool
    seed: int
    dtype: str = "F32"


def deepnorm_alpha(n_layers: int) -> float:
    return (2.0 * n_layers) ** 0.25


MODELS = [
    MiniMaxShape("minimax_native_b64", layout="native-fused", layers="LSLS", hidden=64, heads=4, kv_heads=2,
                 head_dim=16, experts=4, top_k=2, intermediate=16, vocab=128, block_size=64, rope_theta=50000.0,
                 alphas={"full": (1.8, 1.0), "linear": (1.6, 0.9), "mlp": (1.4, 1.1)}, dtype="F32", seed=5101),
    MiniMaxShape("minimax_native_b256", layout="native-per-expert", layers="LSL", hidden=64, heads=4, kv_heads=2,
                 head_dim=24, experts=4, top_k=2, intermediate=24, vocab=128, block_size=256, rope_theta=1e7,
                 alphas={k: (deepnorm_alpha(3), 1.0) for k in ("full", "linear", "mlp")}, dtype="F32", seed=5205),
    MiniMaxShape("minimax_remote_b256", layout="remote", layers="LSL", hidden=64, heads=4, kv_heads=2,
                 head_dim=24, experts=4, top_k=2, intermediate=24, vocab=128, block_size=256, rope_theta=1e7,
                 alphas={k: (deepnorm_alpha(3), 1.0) for k in ("full", "linear", "mlp")}, dtype="BF16", seed=5307),
    SoftmaxShape("llama_tied", family="llama", layers=2, hidden=64, heads=4, kv_heads=2, head_dim=16, intermediate=96,
                 vocab=128, rope_theta=500000.0, rms_norm_eps=1e-5, tied=True, seed=5406),
    SoftmaxShape("qwen2_bias", family="qwen2", layers=2, hidden=64, heads=4, kv_heads=1, head_dim=16, intermediate=128,
                 vocab=128, rope_theta=1e6, rms_norm_eps=1e-6, tied=False, seed=5507),
]

LIGHTNING_BUFFERS = ("slope_rate", "query_decay", "key_decay", "diagonal_decay")


# ---------------------------------------------------------------------------------------------------
# Building the transformers models


def minimax_config(shape: MiniMaxShape) -> MiniMaxConfig:
    types = {"L": "linear_attention", "S": "full_attention"}
    return MiniMaxConfig(
        vocab_size=shape.vocab, hidden_size=shape.hidden, intermediate_size=shape.intermediate,
        num_hidden_layers=len(shape.layers), num_attention_heads=shape.heads, num_key_value_heads=shape.kv_heads,
        head_dim=shape.head_dim, num_local_experts=shape.experts, num_experts_per_tok=shape.top_k,
        layer_types=[types[c] for c in shape.layers], block_size=shape.block_size, rms_norm_eps=1e-5,
        rope_parameters={"rope_type": "default", "rope_theta": shape.rope_theta,
                         "partial_rotary_factor": shape.rotary_factor},
        full_attn_alpha_factor=shape.alphas["full"][0], full_attn_beta_factor=shape.alphas["full"][1],
        linear_attn_alpha_factor=shape.alphas["linear"][0], linear_attn_beta_factor=shape.alphas["linear"][1],
        mlp_alpha_factor=shape.alphas["mlp"][0], mlp_beta_factor=shape.alphas["mlp"][1],
        max_position_embeddings=1 << 20, tie_word_embeddings=False, bos_token_id=None, eos_token_id=None,
        attn_implementation="eager", experts_implementation="eager",
    )


def softmax_config(shape: SoftmaxShape):
    common = dict(vocab_size=shape.vocab, hidden_size=shape.hidden, intermediate_size=shape.intermediate,
                  num_hidden_layers=shape.layers, num_attention_heads=shape.heads, num_key_value_heads=shape.kv_heads,
                  head_dim=shape.head_dim, rms_norm_eps=shape.rms_norm_eps, tie_word_embeddings=shape.tied,
                  rope_parameters={"rope_type": "default", "rope_theta": shape.rope_theta},
                  max_position_embeddings=4096, bos_token_id=None, eos_token_id=None, attn_implementation="eager")
    return LlamaConfig(**common) if shape.family == "llama" else Qwen2Config(**common)


def use_partial_rotary(model: MiniMaxForCausalLM) -> None:
    """transformers' MiniMax-VL-01 rotary (glm4_moe): only the first head_dim·partial_rotary_factor dims turn.
    Replaces modeling_minimax's module-level apply_rotary_pos_emb: every MiniMax model here is partial."""
    modeling_minimax.apply_rotary_pos_emb = modeling_glm4_moe.apply_rotary_pos_emb
    model.model.rotary_emb = modeling_glm4_moe.Glm4MoeRotaryEmbedding(model.config)


def remote_code_slopes(heads: int, layer: int, n_layers: int) -> torch.Tensor:
    """MiniMax remote code / vLLM: ALiBi slopes in Python floats, stored fp32, times 1 - l/(L-1) + 1e-5."""
    assert heads & (heads - 1) == 0, "non-power-of-2 head counts take ALiBi's interleaved rule, not used here"
    start = 2 ** (-(2 ** -(math.log2(heads) - 3)))
    slopes = torch.tensor([start * start**i for i in range(heads)], dtype=torch.float32).reshape(heads, 1, 1)
    return slopes * (1 - layer / (n_layers - 1) + 1e-5)


def lightning_layers(model) -> list:
    return [m for m in model.modules() if isinstance(m, modeling_minimax.MiniMaxLightningAttention)]


def set_slopes(model, factor: str) -> None:
    """Sets every lightning layer's slope (and the decay tables derived from it) for `factor`."""
    for attn in lightning_layers(model):
        if factor == REMOTE_FACTOR:
            slope = remote_code_slopes(attn.num_attention_heads, attn.layer_idx, attn.num_hidden_layers)
        else:
            slope = attn.get_slope_rate()
        slope = slope.to(attn.slope_rate.dtype)
        with torch.no_grad():
            for name, value in zip(LIGHTNING_BUFFERS, (slope, *attn.decay_factors(slope))):
                getattr(attn, name).copy_(value)


def slope_factor_of(shape) -> str | None:
    if not isinstance(shape, MiniMaxShape):
        return None
    return REMOTE_FACTOR if shape.layout == "remote" else TRANSFORMERS_FACTOR


def randomise(model: torch.nn.Module, seed: int, dtype: str) -> None:
    """Seeded weights scaled so activations stay O(1) and logits spread over a few units."""
    g = torch.Generator().manual_seed(seed)
    tied = model.config.tie_word_embeddings
    with torch.no_grad():
        for name, p in sorted(model.named_parameters(), key=lambda item: item[0]):
            if name.endswith("norm.weight"):
                value = 1.0 + 0.1 * torch.randn(p.shape, generator=g)
            elif name.endswith("embed_tokens.weight"):
                value = torch.randn(p.shape, generator=g) * (2.0 / math.sqrt(p.shape[-1]) if tied else 1.0)
            elif name.endswith("lm_head.weight"):
                value = torch.randn(p.shape, generator=g) * (2.0 / math.sqrt(p.shape[-1]))
            elif name.endswith(".bias"):
                value = 0.3 * torch.randn(p.shape, generator=g)
            elif name.endswith("mlp.gate.weight"):  # router: decisive choices (near ties are checked later)
                value = torch.randn(p.shape, generator=g) * (3.0 / math.sqrt(p.shape[-1]))
            else:  # [.., out, in] matrices, experts included
                value = torch.randn(p.shape, generator=g) / math.sqrt(p.shape[-1])
            if dtype == "BF16":
                value = value.to(torch.bfloat16).float()
            p.copy_(value)


def build(shape):
    torch.manual_seed(0)  # construction draws initial weights; randomise() replaces every one of them
    if isinstance(shape, MiniMaxShape):
        model = MiniMaxForCausalLM(minimax_config(shape)).eval()
        use_partial_rotary(model)
    else:
        cls = LlamaForCausalLM if shape.family == "llama" else Qwen2ForCausalLM
        model = cls(softmax_config(shape)).eval()
    randomise(model, shape.seed, shape.dtype)
    factor = slope_factor_of(shape)
    if factor:
        set_slopes(model, factor)
    return model


# ---------------------------------------------------------------------------------------------------
# Running the reference


def new_cache(model):
    if isinstance(model, MiniMaxForCausalLM):
        return modeling_minimax.MiniMaxCache()
    return transformers.DynamicCache(config=model.config)


def run(model, ids: list[int], cache=None, start: int = 0) -> torch.Tensor:
    """Logits [n, vocab] in the model's dtype for `ids` at positions start.. (positions explicit: see docstring)."""
    n = len(ids)
    x = torch.tensor([ids], dtype=torch.long)
    positions = torch.arange(start, start + n).unsqueeze(0)
    extra = {}
    if cache is not None and isinstance(model, MiniMaxForCausalLM):
        # MiniMax's own causal mask is sized from layer 0's KV length (zero for a lightning layer), which
        # breaks a multi-token chunk after a cache; give the softmax layers the causal mask explicitly.
        allowed = torch.arange(start + n)[None, :] <= torch.arange(start, start + n)[:, None]
        mask = torch.zeros(n, start + n, dtype=model.dtype).masked_fill(~allowed, float("-inf"))
        extra["attention_mask"] = {"full_attention": mask[None, None], "linear_attention": None}
    with torch.no_grad():
        out = model(input_ids=x, position_ids=positions, cache=cache, use_cache=cache is not None, **extra)
    return out.logits[0]


def cached_feeding_plans() -> list[tuple[str, list[int]]]:
    """Piece lengths for feeding the prompt through one cache: prefill then decode, and chunked prefills."""
    plans = [(f"prefill {PREFILL_THEN_DECODE} then decode {PROMPT_LENGTH - PREFILL_THEN_DECODE} one by one",
              [PREFILL_THEN_DECODE] + [1] * (PROMPT_LENGTH - PREFILL_THEN_DECODE))]
    for chunk in (7, 128, 300):
        pieces = [chunk] * (PROMPT_LENGTH // chunk) + ([PROMPT_LENGTH % chunk] if PROMPT_LENGTH % chunk else [])
        plans.append((f"chunks of {chunk}", pieces))
    return plans


def run_in_pieces(model, ids: list[int], pieces: list[int]) -> torch.Tensor:
    cache, rows, start = new_cache(model), [], 0
    for n in pieces:
        rows.append(run(model, ids[start:start + n], cache, start=start))
        start += n
    assert start == len(ids)
    return torch.cat(rows)


def max_diff(a, b) -> float:
    a, b = torch.as_tensor(a).detach().double(), torch.as_tensor(b).detach().double()
    assert a.shape == b.shape, (a.shape, b.shape)
    return float((a - b).abs().max())


def float64_twin(model):
    """The same weights run entirely in float64: transformers keeps RMSNorm, router and attention softmax
    and RoPE angles in float32 even for a float64 model, so those are replaced here (run it inside
    float64_attention()). The fp32 reference's distance to this twin is its own rounding error."""
    twin = copy.deepcopy(model).double()
    for attn in lightning_layers(twin):
        slope = attn.slope_rate.double()
        with torch.no_grad():
            for name, value in zip(LIGHTNING_BUFFERS[1:], attn.decay_factors(slope)):
                setattr(attn, name, torch.nn.Buffer(value.double()))
    rotary = twin.model.rotary_emb
    rotary.inv_freq = rotary.inv_freq.double()

    def rope64(x, position_ids):
        freqs = position_ids[..., None].double() * rotary.inv_freq
        emb = torch.cat((freqs, freqs), dim=-1)
        return (emb.cos() * rotary.attention_scaling).to(x.dtype), (emb.sin() * rotary.attention_scaling).to(x.dtype)

    rotary.forward = rope64
    for module in twin.modules():
        if type(module).__name__.endswith("RMSNorm"):
            module.forward = rms_norm64(module)
        elif isinstance(module, modeling_minimax.MiniMaxTopKRouter):
            module.forward = router64(module)
    return twin


def rms_norm64(norm):
    def forward(x):
        return norm.weight * (x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + norm.variance_epsilon))
    return forward


def router64(router):
    def forward(x):
        x = x.reshape(-1, router.hidden_dim)
        router_logits = torch.nn.functional.linear(x, router.weight)
        values, indices = torch.topk(torch.softmax(router_logits, dim=-1), router.top_k, dim=-1)
        return router_logits, values / values.sum(dim=-1, keepdim=True), indices
    return forward


def eager_attention64(module, query, key, value, attention_mask, scaling, dropout=0.0, **kwargs):
    key = key.repeat_interleave(module.num_key_value_groups, dim=1)
    value = value.repeat_interleave(module.num_key_value_groups, dim=1)
    weights = torch.matmul(query, key.transpose(2, 3)) * scaling
    if attention_mask is not None:
        weights = weights + attention_mask
    weights = torch.softmax(weights, dim=-1)
    return torch.matmul(weights, value).transpose(1, 2).contiguous(), weights


@contextlib.contextmanager
def float64_attention():
    """Softmax attention in float64 for the twin (transformers' eager path casts the softmax to float32)."""
    modules = (modeling_minimax, modeling_llama, modeling_qwen2)
    saved = [m.eager_attention_forward for m in modules]
    for m in modules:
        m.eager_attention_forward = eager_attention64
    try:
        yield
    finally:
        for m, f in zip(modules, saved):
            m.eager_attention_forward = f


def router_probabilities(model, ids: list[int]) -> list[tuple[torch.Tensor, torch.Tensor]]:
    """Per MoE layer, in order: every token's router probabilities (float64) and chosen experts."""
    records = []

    def hook(module, args, output):
        records.append((torch.softmax(output[0].detach().double(), dim=-1), output[2].clone()))

    handles = [m.register_forward_hook(hook) for m in model.modules()
               if isinstance(m, modeling_minimax.MiniMaxTopKRouter)]
    run(model, ids)
    for h in handles:
        h.remove()
    return records


def routing_margins(model, twin, ids: list[int]) -> tuple[float, float]:
    """Checks that fp32 routes every token like float64, and returns (smallest gap between the k-th and
    (k+1)-th probability, smallest ratio of such a gap to the fp32 reference's own error in it)."""
    k = model.config.num_experts_per_tok
    ours = router_probabilities(model, ids)
    with float64_attention():
        exact = router_probabilities(twin, ids)
    worst_gap, worst_ratio = math.inf, math.inf
    for layer, ((p32, chosen32), (p64, chosen64)) in enumerate(zip(ours, exact, strict=True)):
        assert torch.equal(chosen32.sort(-1).values, chosen64.sort(-1).values), f"layer {layer} routes differently"
        order = p64.argsort(dim=-1, descending=True)[:, k - 1:k + 1]
        gap64 = p64.gather(-1, order)[:, 0] - p64.gather(-1, order)[:, 1]
        gap32 = p32.gather(-1, order)[:, 0] - p32.gather(-1, order)[:, 1]
        worst_gap = min(worst_gap, float(gap64.min()))
        worst_ratio = min(worst_ratio, float((gap64 / (gap32 - gap64).abs().clamp_min(1e-300)).min()))
    return worst_gap, worst_ratio


def check_partial_rotary(model, ids: list[int]) -> float:
    """One softmax layer recomputed in float64 from its captured input, rotating only the first rotary_dim dims."""
    attn = next(m for m in model.modules() if isinstance(m, modeling_minimax.MiniMaxAttention))
    captured = {}

    def hook(module, args, kwargs, output):
        captured["x"] = kwargs["hidden_states"].detach().double()[0]
        captured["y"] = output[0].detach().double()[0]

    handle = attn.register_forward_hook(hook, with_kwargs=True)
    run(model, ids)
    handle.remove()
    cfg = model.config
    x, n = captured["x"], captured["x"].shape[0]
    d = cfg.head_dim
    rot = int(d * cfg.rope_parameters["partial_rotary_factor"])
    q = (x @ attn.q_proj.weight.double().T).view(n, cfg.num_attention_heads, d)
    k = (x @ attn.k_proj.weight.double().T).view(n, cfg.num_key_value_heads, d)
    v = (x @ attn.v_proj.weight.double().T).view(n, cfg.num_key_value_heads, d)
    inv_freq = 1.0 / (cfg.rope_parameters["rope_theta"] ** (torch.arange(0, rot, 2, dtype=torch.float64) / rot))
    angle = torch.arange(n, dtype=torch.float64)[:, None] * inv_freq[None, :]
    cos, sin = torch.cat((angle, angle), -1).cos()[:, None, :], torch.cat((angle, angle), -1).sin()[:, None, :]

    def rope(t):
        head, tail = t[..., :rot], t[..., rot:]
        half = rot // 2
        turned = torch.cat((-head[..., half:], head[..., :half]), -1)
        return torch.cat((head * cos + turned * sin, tail), -1)

    q, k = rope(q), rope(k)
    group = cfg.num_attention_heads // cfg.num_key_value_heads
    k, v = k.repeat_interleave(group, dim=1), v.repeat_interleave(group, dim=1)
    scores = torch.einsum("ihd,jhd->hij", q, k) / math.sqrt(d)
    scores = scores.masked_fill(torch.triu(torch.ones(n, n, dtype=torch.bool), 1), float("-inf"))
    out = torch.einsum("hij,jhd->ihd", torch.softmax(scores, -1), v).reshape(n, -1)
    expected = out @ attn.o_proj.weight.double().T
    return max_diff(expected, captured["y"])


def greedy_continuation(model, prompt: list[int]) -> tuple[list[int], list[float]]:
    """Argmax decoding through the cache, checked against a cache-free recomputation; the top-2 margins."""
    cache = new_cache(model)
    logits = run(model, prompt, cache)[-1]
    tokens, margins = [], []
    for step in range(CONTINUATION_LENGTH):
        top = torch.topk(logits, 2).values
        margins.append(float(top[0] - top[1]))
        tokens.append(int(torch.argmax(logits)))
        if step + 1 < CONTINUATION_LENGTH:
            logits = run(model, [tokens[-1]], cache, start=len(prompt) + step)[-1]
    full = run(model, prompt + tokens[:-1])[len(prompt) - 1:]
    assert [int(t) for t in full.argmax(-1)] == tokens, "cached greedy decoding differs from recomputation"
    return tokens, margins


# ---------------------------------------------------------------------------------------------------
# Writing the folders


def stored_dtype(dtype: str) -> torch.dtype:
    return {"F32": torch.float32, "BF16": torch.bfloat16}[dtype]


def weights_without_buffers(model) -> dict[str, torch.Tensor]:
    # transformers saves the lightning decay tables as persistent buffers (diagonal_decay alone is
    # heads·block² floats); they are derived from the config, and from_pretrained recomputes them.
    return {k: v for k, v in model.state_dict().items() if not k.endswith(LIGHTNING_BUFFERS)}


def remote_tensors(model, shape: MiniMaxShape) -> dict[str, torch.Tensor]:
    """transformers' state dict → MiniMax's remote-code names (model-spec §1.2)."""
    out = {}
    inter = shape.intermediate
    for name, t in weights_without_buffers(model).items():
        if ".mlp.experts.gate_up_proj" in name:
            prefix = name.replace(".mlp.experts.gate_up_proj", ".block_sparse_moe.experts")
            for e in range(shape.experts):
                out[f"{prefix}.{e}.w1.weight"] = t[e, :inter].contiguous()
                out[f"{prefix}.{e}.w3.weight"] = t[e, inter:].contiguous()
        elif ".mlp.experts.down_proj" in name:
            prefix = name.replace(".mlp.experts.down_proj", ".block_sparse_moe.experts")
            for e in range(shape.experts):
                out[f"{prefix}.{e}.w2.weight"] = t[e].contiguous()
        else:
            out[name.replace(".mlp.gate.", ".block_sparse_moe.gate.")] = t
    return out


def from_remote_tensors(tensors: dict[str, torch.Tensor], shape: MiniMaxShape) -> dict[str, torch.Tensor]:
    """The inverse rename, written independently of remote_tensors(), to prove the files hold the model."""
    out = {}
    for name, t in tensors.items():
        if ".block_sparse_moe.experts." not in name:
            out[name.replace(".block_sparse_moe.gate.", ".mlp.gate.")] = t.float()
    for layer in range(len(shape.layers)):
        p = f"model.layers.{layer}.block_sparse_moe.experts"
        out[f"model.layers.{layer}.mlp.experts.gate_up_proj"] = torch.stack(
            [torch.cat((tensors[f"{p}.{e}.w1.weight"], tensors[f"{p}.{e}.w3.weight"])).float()
             for e in range(shape.experts)])
        out[f"model.layers.{layer}.mlp.experts.down_proj"] = torch.stack(
            [tensors[f"{p}.{e}.w2.weight"].float() for e in range(shape.experts)])
    return out


def remote_config(shape: MiniMaxShape) -> dict:
    """config.json in MiniMax-M1's remote-code form (keys as in MiniMax-M1's published config.json)."""
    n = len(shape.layers)
    return {
        "architectures": ["MiniMaxM1ForCausalLM"],
        "attention_dropout": 0.0,
        "attn_type_list": [1 if c == "S" else 0 for c in shape.layers],
        "auto_map": {"AutoConfig": "configuration_minimax_m1.MiniMaxM1Config",
                     "AutoModelForCausalLM": "modeling_minimax_m1.MiniMaxM1ForCausalLM"},
        "bos_token_id": None,
        "eos_token_id": None,
        "head_dim": shape.head_dim,
        "hidden_act": "silu",
        "hidden_size": shape.hidden,
        "initializer_range": 0.02,
        "intermediate_size": shape.intermediate,
        "layernorm_full_attention_alpha": shape.alphas["full"][0],
        "layernorm_full_attention_beta": shape.alphas["full"][1],
        "layernorm_linear_attention_alpha": shape.alphas["linear"][0],
        "layernorm_linear_attention_beta": shape.alphas["linear"][1],
        "layernorm_mlp_alpha": shape.alphas["mlp"][0],
        "layernorm_mlp_beta": shape.alphas["mlp"][1],
        "max_position_embeddings": 1 << 20,
        "model_type": "minimax_m1",
        "num_attention_heads": shape.heads,
        "num_experts_per_tok": shape.top_k,
        "num_hidden_layers": n,
        "num_key_value_heads": shape.kv_heads,
        "num_local_experts": shape.experts,
        "output_router_logits": False,
        "postnorm": True,
        "rms_norm_eps": 1e-05,
        "rope_theta": shape.rope_theta,
        "rotary_dim": int(shape.head_dim * shape.rotary_factor),
        "router_aux_loss_coef": 0.001,
        "router_jitter_noise": 0.0,
        "shared_intermediate_size": 0,
        "shared_moe_mode": "sigmoid",
        "sliding_window": None,
        "tie_word_embeddings": False,
        "use_cache": True,
        "vocab_size": shape.vocab,
    }


def write_folder(model, shape, folder: Path) -> None:
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    if isinstance(shape, MiniMaxShape) and shape.layout == "remote":
        dtype = stored_dtype(shape.dtype)
        tensors = {k: v.to(dtype).contiguous() for k, v in remote_tensors(model, shape).items()}
        for name, t in tensors.items():
            assert torch.equal(t.float(), remote_tensors(model, shape)[name].float()), f"{name} not exact in {dtype}"
        save_file(tensors, str(folder / "model.safetensors"), metadata={"format": "pt"})
        (folder / "config.json").write_text(json.dumps(remote_config(shape), indent=2) + "\n")
        return
    assert shape.dtype == "F32"
    fused = isinstance(shape, MiniMaxShape) and shape.layout == "native-fused"
    # save_original_format=True (the default) writes MoE experts one by one under block_sparse_moe,
    # the names of the -hf checkpoints; False writes transformers' own fused mlp.experts tensors.
    model.save_pretrained(folder, state_dict=weights_without_buffers(model), save_original_format=not fused)


def tensor_names(folder: Path) -> list[str]:
    with safe_open(str(folder / "model.safetensors"), "pt") as f:
        return sorted(f.keys())


def reload(shape, folder: Path):
    """The written folder read back: by transformers itself, or (remote layout) by the inverse rename."""
    if isinstance(shape, MiniMaxShape) and shape.layout == "remote":
        with safe_open(str(folder / "model.safetensors"), "pt") as f:
            tensors = {k: f.get_tensor(k) for k in f.keys()}
        config = json.loads((folder / "config.json").read_text())
        assert config["attn_type_list"] == [1 if c == "S" else 0 for c in shape.layers]
        model = MiniMaxForCausalLM(minimax_config(shape)).eval()
        use_partial_rotary(model)
        missing, unexpected = model.load_state_dict(from_remote_tensors(tensors, shape), strict=False)
        assert not unexpected and all(m.endswith(LIGHTNING_BUFFERS) for m in missing), (missing, unexpected)
        set_slopes(model, REMOTE_FACTOR)
        return model
    if isinstance(shape, MiniMaxShape):
        model = MiniMaxForCausalLM.from_pretrained(folder, attn_implementation="eager",
                                                   experts_implementation="eager").eval()
        use_partial_rotary(model)
        return model
    cls = LlamaForCausalLM if shape.family == "llama" else Qwen2ForCausalLM
    return cls.from_pretrained(folder, attn_implementation="eager").eval()


# ---------------------------------------------------------------------------------------------------


def describe(shape) -> dict:
    if isinstance(shape, MiniMaxShape):
        return {
            "architecture": "minimax",
            "hf_architecture": "MiniMaxM1ForCausalLM" if shape.layout == "remote" else "MiniMaxForCausalLM",
            "model_type": "minimax_m1" if shape.layout == "remote" else "minimax",
            "layout": {
                "native-fused": "transformers native: config layer_types/full_attn_*_factor/rope_parameters; "
                                "tensors mlp.gate, fused mlp.experts.gate_up_proj [E,2I,H] / down_proj [E,H,I] "
                                "(save_pretrained(save_original_format=False))",
                "native-per-expert": "transformers native config; tensors block_sparse_moe.gate and "
                                     "block_sparse_moe.experts.{e}.w1/w3/w2 (what save_pretrained writes by default)",
                "remote": "MiniMax remote code (MiniMaxM1ForCausalLM): config attn_type_list/layernorm_*_alpha/"
                          "beta/rotary_dim/rope_theta/postnorm; tensors block_sparse_moe.experts.{e}.w1/w3/w2",
            }[shape.layout],
            "layer_types": ["softmax" if c == "S" else "lightning" for c in shape.layers],
            "n_layer": len(shape.layers), "n_embd": shape.hidden, "n_vocab": shape.vocab, "n_head": shape.heads,
            "n_kv_head": shape.kv_heads, "head_dim": shape.head_dim,
            "rotary_dim": int(shape.head_dim * shape.rotary_factor), "rope_theta": shape.rope_theta,
            "n_expert": shape.experts, "n_expert_used": shape.top_k, "expert_intermediate": shape.intermediate,
            "block_size": shape.block_size,
            "block_size_source": "config block_size" if shape.layout != "remote"
                                 else "none in config; remote code's constant 256",
            "residual_alpha_beta": {k: list(v) for k, v in shape.alphas.items()},
            "rms_norm_eps": 1e-5, "lightning_norm_eps": 1e-6,
            "tied_embeddings": False, "qkv_bias": False, "weights_dtype": shape.dtype,
        }
    return {
        "architecture": "llama",
        "hf_architecture": "LlamaForCausalLM" if shape.family == "llama" else "Qwen2ForCausalLM",
        "model_type": shape.family, "layout": "transformers save_pretrained",
        "n_layer": shape.layers, "n_embd": shape.hidden, "n_vocab": shape.vocab, "n_head": shape.heads,
        "n_kv_head": shape.kv_heads, "head_dim": shape.head_dim, "rotary_dim": shape.head_dim,
        "rope_theta": shape.rope_theta, "ffn_intermediate": shape.intermediate, "rms_norm_eps": shape.rms_norm_eps,
        "tied_embeddings": shape.tied, "qkv_bias": shape.family == "qwen2", "weights_dtype": shape.dtype,
    }


def make_golden(shape, out_dir: Path) -> dict:
    model = build(shape)
    rng = np.random.default_rng(shape.seed + 1)
    prompt = [int(t) for t in rng.integers(0, shape.vocab, size=PROMPT_LENGTH)]
    checks: dict = {}

    logits = run(model, prompt)
    assert torch.isfinite(logits).all()
    checks["prefix_rows_max_abs"] = {}
    for n in PREFIXES:
        d = max_diff(run(model, prompt[:n]), logits[:n])
        assert d <= SELF_TOLERANCE, f"{shape.name}: {n}-token prompt differs from the 700-token rows by {d}"
        checks["prefix_rows_max_abs"][str(n)] = d

    # The fp32 reference against its own float64 twin: its rounding error, and room for the engine's.
    twin = float64_twin(model)
    with float64_attention():
        exact = run(twin, prompt)
    d = max_diff(exact, logits)
    assert d <= FP64_TOLERANCE, f"{shape.name}: fp32 reference is {d} from float64"
    checks["fp32_vs_float64_max_abs"] = d

    # Through transformers' cache (lightning recurrence, KV cache), the way the C++ test feeds the engine:
    # in float64 the cached paths must equal one long prefill exactly (same math); in fp32 they must sit
    # well inside the engine's tolerance of the golden rows.
    checks["cached_paths_vs_golden_max_abs"] = {}
    checks["cached_paths_float64_vs_one_prefill_max_abs"] = {}
    for label, pieces in cached_feeding_plans():
        d = max_diff(run_in_pieces(model, prompt, pieces), logits)
        assert d <= DECODE_SELF_TOLERANCE, f"{shape.name}: {label} through the cache differs by {d}"
        checks["cached_paths_vs_golden_max_abs"][label] = d
        with float64_attention():
            d = max_diff(run_in_pieces(twin, prompt, pieces), exact)
        assert d <= 1e-10, f"{shape.name}: {label} through the cache differs in float64 by {d}"
        checks["cached_paths_float64_vs_one_prefill_max_abs"][label] = d

    if isinstance(shape, MiniMaxShape):
        d = check_partial_rotary(model, prompt)
        assert d <= FP64_TOLERANCE, f"{shape.name}: softmax layer differs from partial-RoPE attention by {d}"
        checks["softmax_layer_vs_float64_partial_rope_max_abs"] = d
        gap, ratio = routing_margins(model, twin, prompt)
        assert gap >= MIN_ROUTER_GAP and ratio >= MIN_ROUTER_GAP_RATIO, \
            f"{shape.name}: a routing decision is a near tie (gap {gap}, gap / own error {ratio})"
        checks["router_min_gap_kth_vs_next_probability"] = gap
        checks["router_min_gap_over_fp32_error_in_it"] = ratio
        # How much the other decay factor would move the logits: shows whether this golden tells them apart.
        other = REMOTE_FACTOR if slope_factor_of(shape) == TRANSFORMERS_FACTOR else TRANSFORMERS_FACTOR
        swapped = copy.deepcopy(model)
        set_slopes(swapped, other)
        checks["logits_change_with_other_slope_factor_max_abs"] = max_diff(run(swapped, prompt), logits)

    tokens, margins = greedy_continuation(model, prompt[:CONTINUATION_PROMPT])
    assert min(margins) > MIN_GREEDY_MARGIN, f"{shape.name}: greedy margins {margins} include a near tie"

    folder = out_dir / shape.name
    write_folder(model, shape, folder)
    d = max_diff(run(reload(shape, folder), prompt), logits)
    assert d <= SELF_TOLERANCE, f"{shape.name}: the written folder gives logits {d} away"
    checks["written_folder_reloaded_max_abs"] = d

    logits.numpy().astype("<f4").tofile(folder / "expected_logits.f32")
    files = sorted(p.name for p in folder.iterdir())
    entry = {"name": shape.name, "folder": shape.name, **describe(shape),
             "lightning_slope_factor": slope_factor_of(shape),
             "files": files, "tensor_names_sample": tensor_names(folder)[:6],
             "bytes": sum(p.stat().st_size for p in folder.iterdir()),
             "seed": shape.seed, "prompt": prompt, "expected_logits": f"{shape.name}/expected_logits.f32",
             "expected_logits_shape": [PROMPT_LENGTH, shape.vocab],
             "continuation": {"prompt_tokens": CONTINUATION_PROMPT, "tokens": tokens, "top2_margins": margins,
                              "min_margin": min(margins)},
             "tolerance": TOLERANCE, "self_checks": checks}
    return entry


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parents[2] / "tests" / "data" / "decoders")
    parser.add_argument("--only", help="regenerate one model (by name) and keep the others' manifest entries")
    args = parser.parse_args()
    torch.set_num_threads(1)  # one summation order, so reruns write the same bytes
    # Quiet: from_pretrained reports the lightning decay buffers as missing (they are left out of the
    # files on purpose and recomputed); the reload check above compares the logits instead.
    transformers.logging.set_verbosity_error()
    transformers.utils.logging.disable_progress_bar()
    args.out.mkdir(parents=True, exist_ok=True)
    manifest_path = args.out / "goldens.json"
    previous = {}
    if args.only and manifest_path.exists():
        previous = {m["name"]: m for m in json.loads(manifest_path.read_text())["models"]}

    manifest = {
        "generator": "tools/reference/make_decoder_goldens.py",
        "command": ".venv-train/bin/python tools/reference/make_decoder_goldens.py",
        "reference": "transformers MiniMaxForCausalLM / LlamaForCausalLM / Qwen2ForCausalLM, fp32 on CPU, eager "
                     "attention; MiniMax with transformers' MiniMax-VL-01 partial rotary (glm4_moe), see generator",
        "transformers_version": transformers.__version__,
        "torch_version": torch.__version__.split("+")[0],
        "prompt_length": PROMPT_LENGTH,
        "prefix_lengths_checked": list(PREFIXES) + [PROMPT_LENGTH],
        "prefill_then_decode": PREFILL_THEN_DECODE,
        "tolerance": TOLERANCE,
        "self_tolerance": SELF_TOLERANCE,
        "min_greedy_margin": MIN_GREEDY_MARGIN,
        "min_router_gap": MIN_ROUTER_GAP,
        "min_router_gap_over_own_error": MIN_ROUTER_GAP_RATIO,
        "expected_logits_format": "little-endian float32, [prompt_length, n_vocab], row t = logits after prompt[0..t]",
        "models": [],
    }
    for shape in MODELS:
        if args.only and shape.name != args.only:
            manifest["models"].append(previous[shape.name])
            continue
        entry = make_golden(shape, args.out)
        manifest["models"].append(entry)
        c = entry["self_checks"]
        print(f"{shape.name}: {entry['bytes']} bytes, min greedy margin {entry['continuation']['min_margin']:.4f}, "
              + ", ".join(f"{k} {v if isinstance(v, dict) else f'{v:.3g}'}" for k, v in c.items()), flush=True)
    manifest_path.write_text(json.dumps(manifest, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
