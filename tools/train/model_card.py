"""Writes the model card (README.md) and the loss curve of the exported model folder."""
from __future__ import annotations

from pathlib import Path

import minimax_model as mm
from training_data import MIXTURE


def _smooth(values: list[float], window: int = 25) -> list[float]:
    return [sum(values[max(0, i - window + 1):i + 1]) / len(values[max(0, i - window + 1):i + 1]) for i in range(len(values))]


def plot_loss(history: list[dict], vision_history: list[dict], path: Path) -> None:
    """Two panels: the vision phase (heads' summed loss) and the language-model phase."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    panels = [(h, title, ylabel) for h, title, ylabel in (
        (vision_history, "vision phase (picture heads)", "summed cross-entropy of the heads"),
        (history, "language-model phase", "cross-entropy (nats/token)")) if h]
    if not panels:
        return
    fig, axes = plt.subplots(1, len(panels), figsize=(6 * len(panels), 4), dpi=100, squeeze=False)
    for ax, (hist, title, ylabel) in zip(axes[0], panels):
        steps = [h["step"] + 1 for h in hist]
        loss = [h["loss"] for h in hist]
        ax.plot(steps, loss, color="#9bb7e0", linewidth=0.8, label="per step")
        ax.plot(steps, _smooth(loss), color="#1f4e9c", linewidth=1.8, label="mean of 25 steps")
        ax.set_xlabel("step")
        ax.set_ylabel(ylabel)
        ax.set_title(f"linea-tiny: {title}")
        ax.grid(alpha=0.3)
        ax.legend()
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


def _count(cfg: mm.VLConfig) -> dict:
    model = mm.MiniMaxVL(cfg)
    parts = {"vision tower": model.vision_tower, "projector": model.multi_modal_projector,
             "text model": model.language_model}
    counts = {k: sum(p.numel() for p in m.parameters()) for k, m in parts.items()}
    counts["image_newline"] = model.image_newline.numel()
    return counts


def _fmt(x: float) -> str:
    return f"{x:.3f}"


def write(out: Path, cfg: mm.VLConfig, run: dict, results: dict | None) -> None:
    t, v = cfg.text, cfg.vision
    counts = _count(cfg)
    size_mb = (out / "model.safetensors").stat().st_size / 1e6
    side = v.patches_per_side
    minutes = run["train_seconds"] / 60
    lines = [
        "# linea-tiny — Linea's bundled default model",
        "",
        "A very small MiniMax lightning-attention hybrid with a MiniMax-VL-01 style vision head, trained from "
        "scratch on a CPU by `tools/train/train.py`. It exists so that a fresh install works offline and every "
        "part of Linea's pipeline (streaming chat, long-document ingestion, image input, voice) can be shown "
        "with a model loaded through the same code path as real MiniMax checkpoints. Its prose is weak. It "
        "is trained on the MiniMax chat format, a few exact skills, finding a stated fact in a long document "
        "and describing simple synthetic pictures; the evaluation below says how much of that this run learned.",
        "",
        "## Architecture",
        "",
        "Text decoder: MiniMax-Text-01 / M1 (model-spec §1), only smaller.",
        "",
        "| | value |",
        "|---|---|",
        f"| hidden size | {t.hidden_size} |",
        f"| layers | {t.num_hidden_layers}, `attn_type_list` = {t.attn_type_list} (0 lightning, 1 softmax) |",
        f"| attention heads | {t.num_attention_heads} × head_dim {t.head_dim}; softmax layers: {t.num_key_value_heads} KV heads (GQA) |",
        f"| RoPE (softmax layers) | NeoX style on the first `rotary_dim` = {t.rotary_dim} dims, θ = {t.rope_theta:g} |",
        f"| lightning layers | silu(q,k,v), per-head interleaved `qkv_proj`, ALiBi-slope decay × (1 − l/(L−1) + 1e-5), "
        f"RMSNorm over all {t.num_attention_heads * t.head_dim} channels (eps {t.lightning_norm_eps:g}), sigmoid output gate |",
        f"| MoE | {t.num_local_experts} experts (w1/w3/w2, SiLU GLU, intermediate {t.intermediate_size}), top-{t.num_experts_per_tok}, softmax router |",
        f"| residuals | postnorm = {t.postnorm}, α = (2L)^¼ = {t.layernorm_mlp_alpha:.4f}, β = 1 (DeepNorm style, as M1) |",
        f"| norms | RMSNorm eps {t.rms_norm_eps:g} |",
        f"| vocabulary | {t.vocab_size} (byte-level BPE), untied `lm_head` |",
        "",
        f"Vision: CLIP ViT (`clip_vision_model`), image {v.image_size}, patch {v.patch_size} ({side}×{side} patches + CLS), "
        f"hidden {v.hidden_size}, {v.num_hidden_layers} layers, {v.num_attention_heads} heads, MLP {v.intermediate_size}, "
        f"exact GELU, `pre_layrnorm`, no `post_layernorm`; features = last layer (`vision_feature_layer` {cfg.vision_feature_layer}), "
        f"CLS dropped; projector `linear_1` ({v.hidden_size}→{t.hidden_size}) → GELU → `linear_2`; `image_newline`. "
        f"anyres tiling as MiniMax-VL-01 with its 28 pinpoints scaled from 336 to {v.image_size} "
        f"(thumbnail + tiles; a {v.image_size}×{v.image_size} picture becomes {side * side} + {side}×({side}+1) = "
        f"{side * side + side * (side + 1)} image tokens).",
        "",
        "| part | parameters |",
        "|---|---|",
        *[f"| {k} | {n:,} |" for k, n in counts.items()],
        f"| **total** | **{sum(counts.values()):,}** |",
        "",
        f"## Files (`model.safetensors` {size_mb:.1f} MB, bf16)",
        "",
        "The layout of MiniMax-VL-01's checkpoint: `vision_tower.vision_model.*`, `multi_modal_projector.linear_{1,2}.*`, "
        "`image_newline`, `language_model.model.*` with MiniMax-Text-01's remote-code tensor names "
        "(`self_attn.qkv_proj/output_gate/norm/out_proj` in lightning layers, `q/k/v/o_proj` in softmax layers, "
        "`block_sparse_moe.gate` and `block_sparse_moe.experts.{e}.w1/w3/w2`), `language_model.lm_head.weight`. "
        "`config.json` is `minimax_vl_01` with a `minimax_text_01` `text_config` (`attn_type_list`, "
        "`layernorm_*_alpha/beta`, `rotary_dim`, `postnorm`, ...) and a `clip_vision_model` `vision_config`. "
        "`preprocessor_config.json` holds the image processing, `generation_config.json` the stop token; "
        "`vocab.json` + `merges.txt` (GPT-2 byte-level BPE, as MiniMax ships), `tokenizer.json`, and "
        "`tokenizer_config.json` with MiniMax-M1's chat template and special tokens "
        "(`<begin_of_document>`, `<end_of_document>`, `<beginning_of_sentence>`, `<end_of_sentence>`, `<image>`, "
        "the last five ids).",
        "",
        "## Training data",
        "",
        "All of it may be shipped; provenance in `tools/train/DATA.md`.",
        "",
        "* King James Version of the Bible (1611; public domain), Debian package `bible-kjv-text`; seven books "
        "(Ruth, Esther, Jonah, Micah, Philippians, James, Jude) held out for evaluation.",
        "* Conversations generated by `tools/train/synthetic_chat.py` in MiniMax-M1's chat format.",
        "* Long-document reading tasks (`long_document_tasks.py`): a pass key, a person's number or a meeting "
        "date stated inside KJV text, then asked for.",
        "* Synthetic pictures (`synthetic_images.py`, PIL): coloured shapes and short words with exact descriptions.",
        "",
        "## Training",
        "",
        "```",
        f"nice -n 10 .venv-train/bin/python {run['command'].removeprefix('python ')}",
        "```",
        "",
        f"* {run['steps_done']} steps" + (f" (planned {run['steps_planned']}; stopped by the time guard)" if run["stopped_early"] else "")
        + f" × {run['batch_size']} rows × {run['seq_len']} tokens = {run['tokens_seen']:,} tokens; "
          f"AdamW (β 0.9/0.95, weight decay 0.1), peak lr {run['lr']:g}, warm-up then cosine to 10 %, "
          f"gradient clip 1.0, load-balancing loss × 0.01; answers weighted ×3 in the loss; seed {run['seed']}.",
        f"* Vision phase first: {run['vision_steps_done']} steps"
        + (f" (planned {run['vision_steps_planned']})" if run["vision_steps_done"] != run["vision_steps_planned"] else "")
        + f" × {run['vision_batch']} fresh pictures through the vision tower and projector alone, with training-only heads "
          "(`picture_heads.py`, not exported) that name kind, count, shape, colour and word from the mean of the projected "
          "patch features and, per patch, what covers it, whether a shape's centre is in it and which letter covers it; "
          f"AdamW, peak lr {run['vision_lr']:g}, warm-up then cosine; {run['vision_seconds'] / 60:.1f} min. "
          "Heads' accuracy over the last 50 steps: "
          + ", ".join(f"{k} {100 * a:.0f} %" for k, a in run["vision_final_accuracy"].items()) + ".",
        f"* The steps of the first line are the language-model phase that follows it: the whole model on the mixture "
        f"below, the vision tower frozen and the projector at {run['projector_lr_scale']:g} × the learning rate.",
        "* Samples drawn per row: " + ", ".join(f"{kind} {100 * share:.0f} %" for kind, share in MIXTURE.items())
        + " (`training_data.MIXTURE`); a sample never straddles two rows.",
        f"* Time: {minutes:.1f} min of training ({run['wall_seconds'] / 60:.1f} min wall in the last process, "
        f"incl. data, export and evaluation), {run['threads']} CPU threads, torch {run['torch']}, on a 2-core "
        "machine shared with other work.",
        f"* Loss (cross-entropy per target token, nats): first step {_fmt(run['first_loss'])}, "
        f"final {_fmt(run['final_loss'])} (mean of the last 50 steps).",
        "",
        "![loss curve](loss_curve.png)",
        "",
    ]
    if results:
        bpb = results["bits_per_byte"]
        lines += [
            "## Evaluation (`tools/train/evaluate.py`, on the bf16 files above)",
            "",
            "| test | result |",
            "|---|---|",
            f"| bits per byte, held-out KJV books ({bpb['chapters']} chapters, {bpb['bytes']:,} bytes) | {bpb['bits_per_byte']:.3f} |",
        ]
        for r in results["reading"]:
            lines.append(f"| {r['kind']} in a {r['mean_prompt_tokens']:.0f}-token document ({r['samples']} docs) | "
                         f"{100 * r['accuracy']:.0f} % (exact answer {100 * r['exact_answer']:.0f} %) |")
        pic = results["pictures"]
        for kind, acc in pic["by_kind"].items():
            parts = ", ".join(f"{k} {100 * a:.0f} %" for k, a in acc.items())
            lines.append(f"| pictures: {kind} ({pic['counts'][kind]}) | {parts} |")
        lines.append(f"| pictures: whole description right | {100 * pic['all_correct']:.0f} % of {pic['samples']} |")
        lines.append(f"| chat skills, exact answer ({results['chat']['samples']}) | {100 * results['chat']['exact']:.0f} % |")
        lines += ["", "Examples (greedy):", ""]
        for e in pic["examples"][:4]:
            lines.append(f"* picture: expected “{e['expected']}” — generated “{e['generated'].strip()}”")
        for e in results["chat"]["examples"][:4]:
            lines.append(f"* “{e['question']}” → “{e['generated'].strip()}” (expected “{e['expected']}”)")
        lines.append("")
    lines += [
        "## Limitations",
        "",
        "Tiny and trained for about an hour on a CPU: it writes KJV-flavoured English, answers only the kinds "
        "of questions it was trained on, and recognises only the synthetic pictures described above. "
        "It is a demonstration and test model, not an assistant.",
        "",
        "## Licence",
        "",
        "Weights: trained by the Linea project, released under Linea's licence (GPL-3.0-or-later). "
        "Training text: public domain (KJV) and text generated by the project. The chat template string is "
        "MiniMax-M1's (Apache-2.0).",
        "",
    ]
    (out / "README.md").write_text("\n".join(lines))
