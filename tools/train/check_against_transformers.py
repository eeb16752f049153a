#!/usr/bin/env python3
"""Checks our MiniMax definition (minimax_model.py) against transformers, an implementation written by others.

1. Text model, random weights, fp32: the same weights are loaded into transformers'
   `MiniMaxForCausalLM` (model_type `minimax`) and the logits are compared (max |Δ| ≤ 1e-4) for
   prompts of 1, 7, 255, 256, 257 and 600 tokens (the lightning block size is 256), in two variants:
     a) full-width RoPE (rotary_dim = head_dim): transformers' MiniMax exactly as shipped;
     b) partial RoPE (rotary_dim = head_dim/2, what MiniMax-Text-01/M1 and our model use):
        transformers' `MiniMaxForCausalLM` ignores `partial_rotary_factor` (its rotary class always
        spans the whole head), so here its rotary embedding is swapped for the one transformers' own
        MiniMax-VL-01 port uses (`Glm4MoeRotaryEmbedding` + the partial `apply_rotary_pos_emb` of
        glm4_moe). Nothing of ours goes into the reference.
   Also: cached decode (transformers' token recurrence vs ours), and our recurrence == our block
   prefill.
2. Vision tower: our CLIP encoder vs transformers' `CLIPVisionModel` (hidden_states[-1]).
3. anyres: our best-resolution choice vs transformers' `select_best_resolution`.
4. Optional (--model-dir): the exported checkpoint (MiniMax-VL-01 layout, bf16) loaded into
   transformers by an independent rename, logits vs ours loaded by export.load_model.

Usage: .venv-train/bin/python tools/train/check_against_transformers.py [--model-dir resources/models/linea-tiny]
Exit status 0 only when every comparison passes.
"""
from __future__ import annotations

import argparse
import sys

import torch

import anyres
import minimax_model as mm

TOL = 1e-4


def hf_text_config(cfg: mm.TextConfig):
    from transformers import MiniMaxConfig

    return MiniMaxConfig(
        vocab_size=cfg.vocab_size, hidden_size=cfg.hidden_size, intermediate_size=cfg.intermediate_size,
        num_hidden_layers=cfg.num_hidden_layers, num_attention_heads=cfg.num_attention_heads,
        num_key_value_heads=cfg.num_key_value_heads, head_dim=cfg.head_dim,
        max_position_embeddings=cfg.max_position_embeddings, rms_norm_eps=cfg.rms_norm_eps,
        num_experts_per_tok=cfg.num_experts_per_tok, num_local_experts=cfg.num_local_experts,
        layer_types=["full_attention" if t == mm.SOFTMAX else "linear_attention" for t in cfg.attn_type_list],
        full_attn_alpha_factor=cfg.layernorm_full_attention_alpha, full_attn_beta_factor=cfg.layernorm_full_attention_beta,
        linear_attn_alpha_factor=cfg.layernorm_linear_attention_alpha,
        linear_attn_beta_factor=cfg.layernorm_linear_attention_beta,
        mlp_alpha_factor=cfg.layernorm_mlp_alpha, mlp_beta_factor=cfg.layernorm_mlp_beta,
        rope_parameters={"rope_type": "default", "rope_theta": cfg.rope_theta,
                         "partial_rotary_factor": cfg.rotary_dim / cfg.head_dim},
        block_size=cfg.block_size, tie_word_embeddings=False, bos_token_id=None, eos_token_id=None,
        attn_implementation="eager", experts_implementation="eager",
    )


def to_hf_state_dict(ours: dict[str, torch.Tensor], cfg: mm.TextConfig) -> dict[str, torch.Tensor]:
    """Remote-code layout (per-expert w1/w3/w2, block_sparse_moe) → transformers' native layout."""
    out = {}
    for name, t in ours.items():
        if ".block_sparse_moe.experts." in name:
            continue
        out[name.replace(".block_sparse_moe.gate.", ".mlp.gate.")] = t
    for i in range(cfg.num_hidden_layers):
        p = f"model.layers.{i}.block_sparse_moe.experts"
        gate_up = [torch.cat((ours[f"{p}.{e}.w1.weight"], ours[f"{p}.{e}.w3.weight"]), 0) for e in range(cfg.num_local_experts)]
        out[f"model.layers.{i}.mlp.experts.gate_up_proj"] = torch.stack(gate_up)
        out[f"model.layers.{i}.mlp.experts.down_proj"] = torch.stack(
            [ours[f"{p}.{e}.w2.weight"] for e in range(cfg.num_local_experts)])
    return out


def build_hf_text(cfg: mm.TextConfig, state: dict[str, torch.Tensor]):
    from transformers import MiniMaxForCausalLM
    from transformers.models.minimax import modeling_minimax

    hf_cfg = hf_text_config(cfg)
    model = MiniMaxForCausalLM(hf_cfg).eval()
    if cfg.rotary_dim != cfg.head_dim:
        from transformers.models.glm4_moe import modeling_glm4_moe

        modeling_minimax.apply_rotary_pos_emb = modeling_glm4_moe.apply_rotary_pos_emb
        model.model.rotary_emb = modeling_glm4_moe.Glm4MoeRotaryEmbedding(hf_cfg)
    else:
        modeling_minimax.apply_rotary_pos_emb = ORIGINAL_HF_ROPE
    missing, unexpected = model.load_state_dict(to_hf_state_dict(state, cfg), strict=False)
    buffers = ("slope_rate", "query_decay", "key_decay", "diagonal_decay")
    missing = [m for m in missing if not m.endswith(buffers)]
    if missing or unexpected:
        raise RuntimeError(f"transformers load: missing {missing}, unexpected {unexpected}")
    return model


def randomise(model: torch.nn.Module, seed: int) -> None:
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, p in model.named_parameters():
            if name.endswith("norm.weight") or "layernorm" in name:
                p.copy_(1.0 + 0.1 * torch.randn(p.shape, generator=g))
            else:
                p.copy_(0.08 * torch.randn(p.shape, generator=g))


class Report:
    def __init__(self) -> None:
        self.failures = 0
        self.count = 0

    def check(self, what: str, diff: float, scale: float | None = None, tol: float = TOL) -> None:
        self.count += 1
        ok = diff <= tol
        self.failures += not ok
        extra = f" (max |value| {scale:.3g})" if scale is not None else ""
        print(f"  [{'ok' if ok else 'FAIL'}] {what}: max |Δ| = {diff:.3e}{extra}")

    def equal(self, what: str, ok: bool, detail: str = "") -> None:
        self.count += 1
        self.failures += not ok
        print(f"  [{'ok' if ok else 'FAIL'}] {what}{': ' + detail if detail else ''}")


def check_text(report: Report, rotary_full: bool) -> None:
    cfg = mm.TextConfig(vocab_size=512, hidden_size=64, num_hidden_layers=8, num_attention_heads=4,
                        num_key_value_heads=2, head_dim=32, intermediate_size=48, num_local_experts=4,
                        num_experts_per_tok=2, rotary_dim=32 if rotary_full else 16,
                        attn_type_list=[0, 0, 0, 1, 0, 0, 0, 1],
                        layernorm_full_attention_alpha=mm.TextConfig.deepnorm_alpha(8),
                        layernorm_linear_attention_alpha=mm.TextConfig.deepnorm_alpha(8),
                        layernorm_mlp_alpha=mm.TextConfig.deepnorm_alpha(8), layernorm_mlp_beta=0.9)
    ours = mm.MiniMaxForCausalLM(cfg).eval()
    randomise(ours, seed=1 if rotary_full else 2)
    hf = build_hf_text(cfg, ours.state_dict())
    label = "full RoPE (stock transformers)" if rotary_full else "partial RoPE (transformers' VL-01 rotary)"
    print(f"text model, {label}:")
    g = torch.Generator().manual_seed(3)
    with torch.no_grad():
        for n in (1, 7, 255, 256, 257, 600):
            ids = torch.randint(0, cfg.vocab_size, (2, n), generator=g)
            a = ours(ids)
            b = hf(input_ids=ids).logits.float()
            report.check(f"logits, batch 2 × {n} tokens", (a - b).abs().max().item(), b.abs().max().item())

        # Cached decode: prefill 300 tokens, then 4 single tokens through each implementation's cache.
        from transformers.models.minimax.modeling_minimax import MiniMaxCache

        ids = torch.randint(0, cfg.vocab_size, (1, 304), generator=g)
        cache = ours.new_cache()
        ours(ids[:, :300], cache=cache)
        hf_cache = MiniMaxCache()
        hf(input_ids=ids[:, :300], cache=hf_cache, use_cache=True)
        full = ours(ids)
        worst_hf, worst_self = 0.0, 0.0
        for t in range(300, 304):
            a = ours(ids[:, t:t + 1], cache=cache)
            # Positions are passed explicitly: transformers' MiniMaxCache takes the sequence length from
            # layer 0, which is a lightning layer here and holds no KV, so it would restart RoPE at 0.
            b = hf(input_ids=ids[:, t:t + 1], cache=hf_cache, use_cache=True,
                   position_ids=torch.tensor([[t]])).logits.float()
            worst_hf = max(worst_hf, (a - b).abs().max().item())
            worst_self = max(worst_self, (a[:, -1] - full[:, t]).abs().max().item())
        report.check("decode with cache, ours vs transformers (4 steps after 300)", worst_hf)
        report.check("decode with cache == our own full-sequence prefill", worst_self)


def check_lightning_forms(report: Report) -> None:
    print("lightning attention forms (ours):")
    g = torch.Generator().manual_seed(4)
    q, k, v = (torch.randn(2, 4, 530, 16, generator=g, dtype=torch.float64) * 0.3 for _ in range(3))
    slopes = mm.lightning_slopes(4, 1, 8).double()
    rec, rec_state = mm.lightning_attention_recurrent(q, k, v, slopes)
    for block in (64, 256):
        blk, blk_state = mm.lightning_attention_blocks(q, k, v, slopes, block)
        report.check(f"block (B={block}) == recurrence, outputs", (blk - rec).abs().max().item(), tol=1e-10)
        report.check(f"block (B={block}) == recurrence, final state", (blk_state.double() - rec_state.double()).abs().max().item(), tol=1e-9)


def check_vision(report: Report) -> None:
    from transformers import CLIPVisionConfig, CLIPVisionModel

    print("vision tower:")
    vcfg = mm.VisionConfig(hidden_size=48, intermediate_size=96, num_hidden_layers=3, num_attention_heads=3,
                           image_size=56, patch_size=14)
    ours = mm.ClipVisionModel(vcfg).eval()
    randomise(ours, seed=5)
    hf_cfg = CLIPVisionConfig(hidden_size=48, intermediate_size=96, num_hidden_layers=3, num_attention_heads=3,
                              image_size=56, patch_size=14, hidden_act="gelu", layer_norm_eps=1e-5,
                              attn_implementation="eager")
    hf = CLIPVisionModel(hf_cfg).eval()
    # transformers 5 keeps CLIPVisionModel's modules at the top level (no `vision_model.` prefix).
    prefix = "vision_model." if hasattr(hf, "vision_model") else ""
    target = hf.vision_model if prefix else hf
    missing, unexpected = target.load_state_dict(ours.state_dict(), strict=False)
    missing = [m for m in missing if "post_layernorm" not in m]  # MiniMax-VL-01's CLIP has none
    if missing or unexpected:
        raise RuntimeError(f"CLIP load: missing {missing}, unexpected {unexpected}")
    pixels = torch.randn(3, 3, 56, 56, generator=torch.Generator().manual_seed(6))
    with torch.no_grad():
        a = ours.hidden_states(pixels)
        b = hf(pixel_values=pixels, output_hidden_states=True).hidden_states
    report.equal("number of hidden states", len(a) == len(b), f"{len(a)} vs {len(b)}")
    report.check("CLIP hidden_states[-1] (vision_feature_layer -1)", (a[-1] - b[-1]).abs().max().item(), b[-1].abs().max().item())
    report.check("CLIP hidden_states[-2]", (a[-2] - b[-2]).abs().max().item())


def check_anyres(report: Report) -> None:
    from transformers.image_processing_utils import select_best_resolution

    print("anyres geometry:")
    pins = anyres.scaled_pinpoints(112)
    sizes = [(h, w) for h in (20, 64, 111, 112, 113, 150, 224, 300, 500, 700) for w in (17, 112, 224, 333, 640, 1000)]
    bad = [s for s in sizes if tuple(anyres.select_best_resolution(s, pins)) != tuple(select_best_resolution(s, pins))]
    report.equal(f"best resolution for {len(sizes)} image sizes", not bad, f"mismatches {bad}" if bad else "")


def check_export(report: Report, model_dir: str) -> None:
    """The exported files, read back two ways: by export.load_model (ours) and by a plain rename into transformers."""
    import json
    from pathlib import Path

    from safetensors.torch import load_file

    import export

    print(f"exported checkpoint {model_dir}:")
    config = json.loads((Path(model_dir) / "config.json").read_text())
    vl = export.load_model(model_dir)
    raw = load_file(str(Path(model_dir) / "model.safetensors"))
    text_state = {k[len("language_model."):]: v.float() for k, v in raw.items() if k.startswith("language_model.")}
    cfg = mm.TextConfig.from_json_dict(config["text_config"])
    hf = build_hf_text(cfg, text_state)
    ids = torch.randint(0, cfg.vocab_size, (1, 300), generator=torch.Generator().manual_seed(7))
    with torch.no_grad():
        a = vl.language_model(ids)
        b = hf(input_ids=ids).logits.float()
    # Both read the same bf16 numbers, so fp32 compute must agree like the random-weight check.
    report.check("exported text weights: ours vs transformers, 300 tokens", (a - b).abs().max().item(), b.abs().max().item())


ORIGINAL_HF_ROPE = None


def main() -> int:
    global ORIGINAL_HF_ROPE
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model-dir", help="also check an exported checkpoint folder")
    args = parser.parse_args()
    torch.set_num_threads(2)
    import transformers
    from transformers.models.minimax import modeling_minimax

    ORIGINAL_HF_ROPE = modeling_minimax.apply_rotary_pos_emb
    print(f"torch {torch.__version__}, transformers {transformers.__version__}")
    report = Report()
    check_text(report, rotary_full=True)
    check_text(report, rotary_full=False)
    check_lightning_forms(report)
    check_vision(report)
    check_anyres(report)
    if args.model_dir:
        check_export(report, args.model_dir)
    print(f"{report.count - report.failures}/{report.count} checks passed")
    return 1 if report.failures else 0


if __name__ == "__main__":
    sys.exit(main())
