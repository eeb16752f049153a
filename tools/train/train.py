#!/usr/bin/env python3
"""Trains Linea's bundled default model on the CPU and exports it in MiniMax-VL-01's layout.

One command, fixed seeds, resumable (a checkpoint is written every few minutes into --work-dir and
picked up automatically by the same command):

    nice -n 10 .venv-train/bin/python tools/train/train.py

Steps: tokenizer (trained if --work-dir has none) → model (tiny MiniMax lightning hybrid + CLIP
vision head) → vision phase (the tower and projector alone, on fresh labelled pictures through the
training-only heads of picture_heads.py) → language-model phase (the whole model on the text and
picture mixture, the tower frozen) → export to --out (bf16 safetensors, config, tokenizer) → loss
curves → evaluation → model card (--out/README.md).
"""
from __future__ import annotations

import argparse
import json
import math
import os
import platform
import random
import sys
import time
from pathlib import Path

import torch
import torch.nn.functional as F

import anyres
import export
import minimax_model as mm
import model_card
import picture_heads
import training_data
import train_tokenizer

REPO = Path(__file__).resolve().parents[2]


def model_config(vocab_size: int, image_token_index: int) -> mm.VLConfig:
    layers = 8
    alpha = mm.TextConfig.deepnorm_alpha(layers)
    text = mm.TextConfig(
        vocab_size=vocab_size, hidden_size=256, num_hidden_layers=layers, num_attention_heads=4,
        num_key_value_heads=2, head_dim=64, intermediate_size=256, num_local_experts=4, num_experts_per_tok=2,
        rope_theta=10_000_000.0, rotary_dim=32, max_position_embeddings=1 << 20,
        attn_type_list=[0, 0, 0, 1, 0, 0, 0, 1],
        layernorm_full_attention_alpha=alpha, layernorm_linear_attention_alpha=alpha, layernorm_mlp_alpha=alpha,
    )
    vision = mm.VisionConfig(hidden_size=192, intermediate_size=768, num_hidden_layers=4, num_attention_heads=3,
                             image_size=112, patch_size=14, projection_dim=text.hidden_size)
    return mm.VLConfig(text=text, vision=vision, image_token_index=image_token_index,
                       image_grid_pinpoints=anyres.scaled_pinpoints(vision.image_size))


def initialise(model: mm.MiniMaxVL, seed: int) -> None:
    torch.manual_seed(seed)
    layers = model.config.text.num_hidden_layers
    out_names = ("out_proj.weight", "o_proj.weight", ".w2.weight", "fc2.weight", "linear_2.weight")
    with torch.no_grad():
        for name, p in model.named_parameters():
            if name.endswith("bias"):
                p.zero_()
            elif "norm" in name and p.dim() == 1:
                p.fill_(1.0)
            elif name.endswith(out_names):
                p.normal_(0.0, 0.02 / math.sqrt(2 * layers))
            elif name == "image_newline" or p.dim() >= 2 or "embedding" in name:
                p.normal_(0.0, 0.02)


def load_balancing_loss(router_logits: list[torch.Tensor], top_k: int) -> torch.Tensor:
    """Switch-style auxiliary loss E·Σ_e f_e·P_e, averaged over layers (≈1 when balanced)."""
    total = 0.0
    for logits in router_logits:
        probs = torch.softmax(logits.float(), dim=-1)
        experts = probs.shape[-1]
        chosen = torch.topk(probs, top_k, dim=-1).indices
        fraction = F.one_hot(chosen, experts).float().sum(1).mean(0) / top_k
        total = total + experts * (fraction * probs.mean(0)).sum()
    return total / len(router_logits)


def learning_rate(step: int, steps: int, peak: float) -> float:
    warmup = max(20, steps // 20)
    if step < warmup:
        return peak * (step + 1) / warmup
    progress = (step - warmup) / max(1, steps - warmup)
    return peak * (0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * progress)))


def save_checkpoint(path: Path, state: dict) -> None:
    tmp = path.with_suffix(".tmp")
    torch.save(state, tmp)
    os.replace(tmp, path)


def parse_args() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--work-dir", type=Path, default=REPO / "build/train", help="tokenizer, checkpoint (git-ignored)")
    p.add_argument("--out", type=Path, default=REPO / "resources/models/linea-tiny", help="exported model folder")
    p.add_argument("--steps", type=int, default=600)
    p.add_argument("--batch-size", type=int, default=4)
    p.add_argument("--seq-len", type=int, default=256)
    p.add_argument("--lr", type=float, default=2e-3)
    p.add_argument("--vision-steps", type=int, default=3000, help="steps of the vision phase (0: none)")
    p.add_argument("--vision-batch", type=int, default=64, help="pictures per vision-phase step")
    p.add_argument("--vision-lr", type=float, default=1e-3)
    p.add_argument("--projector-lr-scale", type=float, default=0.1,
                   help="the projector's learning rate in the language-model phase, relative to --lr")
    p.add_argument("--seed", type=int, default=20250101)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--max-minutes", type=float, default=68.0,
                   help="time guard: stop training (and still export) after this many minutes of this process")
    p.add_argument("--checkpoint-minutes", type=float, default=4.0)
    p.add_argument("--eval-samples", type=int, default=10, help="per passkey length; 5x that many images")
    p.add_argument("--no-eval", action="store_true")
    return p.parse_args()


def main() -> None:
    args = parse_args()
    torch.set_num_threads(args.threads)
    command = "python tools/train/train.py " + " ".join(sys.argv[1:])
    started = time.time()
    args.work_dir.mkdir(parents=True, exist_ok=True)
    tok_dir = args.work_dir / "tokenizer"
    if not (tok_dir / "tokenizer.json").exists():
        print("training the tokenizer ...", flush=True)
        from corpus_kjv import read_verses, split

        tok = train_tokenizer.build(train_tokenizer.corpus_lines(split(read_verses())[0]), 4096, tok_dir)
        train_tokenizer.check(tok_dir, tok)
    vocab = json.loads((tok_dir / "vocab.json").read_text())
    cfg = model_config(vocab_size=len(vocab), image_token_index=vocab["<image>"])

    data = training_data.DataBuilder(tok_dir, args.seq_len, cfg.vision.image_size, cfg.vision.patch_size,
                                     cfg.image_grid_pinpoints, args.seed)
    model = mm.MiniMaxVL(cfg)
    initialise(model, args.seed)
    heads = picture_heads.PictureHeads(cfg.text.hidden_size)
    torch.manual_seed(args.seed + 1)
    vision_params = [*model.vision_tower.parameters(), *model.multi_modal_projector.parameters(), *heads.parameters()]
    vision_opt = torch.optim.AdamW(vision_params, lr=args.vision_lr, betas=(0.9, 0.95), eps=1e-8, weight_decay=0.05)
    # The language-model phase: the tower keeps what the vision phase taught it (frozen); the projector
    # adapts slowly, so the language model learns to read the features rather than the other way round.
    projector = list(model.multi_modal_projector.parameters())
    tower = {id(p) for p in model.vision_tower.parameters()}
    lm_params = [p for p in model.parameters() if id(p) not in tower]  # model order, as clipped
    text = [p for p in lm_params if all(p is not q for q in projector)]
    groups = [
        {"params": [p for p in text if p.dim() >= 2], "weight_decay": 0.1, "scale": 1.0},
        {"params": [p for p in text if p.dim() < 2], "weight_decay": 0.0, "scale": 1.0},
        {"params": projector, "weight_decay": 0.0, "scale": args.projector_lr_scale},
    ]
    opt = torch.optim.AdamW(groups, lr=args.lr, betas=(0.9, 0.95), eps=1e-8, fused=True)
    signature = {k: getattr(args, k) for k in ("steps", "batch_size", "seq_len", "lr", "seed", "vision_steps",
                                                "vision_batch", "vision_lr", "projector_lr_scale")}
    signature["config"] = cfg.to_json_dict()
    ckpt_path = args.work_dir / "checkpoint.pt"
    step, vision_step, history, vision_history, trained_seconds = 0, 0, [], [], 0.0
    if ckpt_path.exists():
        ckpt = torch.load(ckpt_path, weights_only=False)
        if ckpt["signature"] != signature:
            raise SystemExit(f"{ckpt_path} belongs to a different run configuration; delete it to start over")
        model.load_state_dict(ckpt["model"])
        heads.load_state_dict(ckpt["heads"])
        opt.load_state_dict(ckpt["optimizer"])
        vision_opt.load_state_dict(ckpt["vision_optimizer"])
        step, vision_step, history = ckpt["step"], ckpt["vision_step"], ckpt["history"]
        vision_history, trained_seconds = ckpt["vision_history"], ckpt["trained_seconds"]
        print(f"resumed from {ckpt_path} at vision step {vision_step}, step {step}", flush=True)

    def checkpoint() -> None:
        save_checkpoint(ckpt_path, {"signature": signature, "model": model.state_dict(), "heads": heads.state_dict(),
                                    "optimizer": opt.state_dict(), "vision_optimizer": vision_opt.state_dict(),
                                    "step": step, "vision_step": vision_step, "history": history,
                                    "vision_history": vision_history, "trained_seconds": trained_seconds})

    n_text = sum(p.numel() for p in model.language_model.parameters())
    n_all = sum(p.numel() for p in model.parameters())
    print(f"parameters: {n_all / 1e6:.2f} M (text {n_text / 1e6:.2f} M); vision phase {args.vision_steps} × "
          f"{args.vision_batch} pictures; steps {args.steps} × {args.batch_size} × {args.seq_len} tokens; "
          f"threads {args.threads}", flush=True)

    model.train()
    last_ckpt = time.time()
    stopped_early = False

    def out_of_time() -> bool:
        nonlocal stopped_early
        if (time.time() - started) / 60 > args.max_minutes:
            stopped_early = True
            print(f"time guard: stopping at vision step {vision_step}, step {step} after {args.max_minutes} minutes",
                  flush=True)
        return stopped_early

    tile, patch = cfg.vision.image_size, cfg.vision.patch_size
    while vision_step < args.vision_steps and not out_of_time():
        t0 = time.time()
        rng = random.Random(f"vision-phase/{args.seed}/{vision_step}")  # never the evaluation pictures' seeds
        pixels, target = picture_heads.batch(rng, args.vision_batch, tile, patch)
        lr = learning_rate(vision_step, args.vision_steps, args.vision_lr)
        for group in vision_opt.param_groups:
            group["lr"] = lr
        loss, accuracy = picture_heads.loss(heads(model.tile_features(pixels)), target)
        vision_opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(vision_params, 1.0)
        vision_opt.step()
        dt = time.time() - t0
        trained_seconds += dt
        vision_history.append({"step": vision_step, "loss": loss.item(), "accuracy": accuracy, "lr": lr, "seconds": dt})
        vision_step += 1
        if vision_step % 10 == 0 or vision_step == args.vision_steps:
            mean = picture_heads.mean_accuracy(vision_history)
            print(f"vision {vision_step}/{args.vision_steps} loss {loss.item():.4f} lr {lr:.2e} {dt:.2f}s/step "
                  + " ".join(f"{k} {v:.3f}" for k, v in mean.items())
                  + f" elapsed {(time.time() - started) / 60:.1f}m", flush=True)
        if time.time() - last_ckpt > args.checkpoint_minutes * 60 or vision_step == args.vision_steps:
            checkpoint()
            last_ckpt = time.time()

    for p in model.vision_tower.parameters():
        p.requires_grad_(False)
    while step < args.steps and not stopped_early and not out_of_time():
        t0 = time.time()
        batch = data.batch(step, args.batch_size)
        lr = learning_rate(step, args.steps, args.lr)
        for group in opt.param_groups:
            group["lr"] = lr * group["scale"]
        emb = model.embed(batch.ids, batch.images)[:, :-1]
        logits = model.language_model(inputs_embeds=emb)
        targets, weights = batch.ids[:, 1:].reshape(-1), batch.weights[:, 1:].reshape(-1)
        ce = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), targets, reduction="none")
        weighted = (ce * weights).sum() / weights.sum()
        aux = load_balancing_loss(model.language_model.router_logits(), cfg.text.num_experts_per_tok)
        loss = weighted + 0.01 * aux
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(lm_params, 1.0)
        opt.step()
        plain = ce[weights > 0].mean().item()
        dt = time.time() - t0
        trained_seconds += dt
        history.append({"step": step, "loss": plain, "weighted_loss": weighted.item(), "aux": aux.item(), "lr": lr,
                        "seconds": dt})
        step += 1
        tokens_per_s = args.batch_size * args.seq_len / dt
        print(f"step {step}/{args.steps} loss {plain:.4f} weighted {weighted.item():.4f} aux {aux.item():.3f} "
              f"lr {lr:.2e} {dt:.2f}s/step {tokens_per_s:.0f} tok/s elapsed {(time.time() - started) / 60:.1f}m",
              flush=True)
        if time.time() - last_ckpt > args.checkpoint_minutes * 60 or step == args.steps:
            checkpoint()
            last_ckpt = time.time()
    if stopped_early:
        checkpoint()

    model.eval()
    export.write_model(model, tok_dir, args.out)
    model_card.plot_loss(history, vision_history, args.out / "loss_curve.png")
    run = {
        "command": command, "steps_done": step, "steps_planned": args.steps, "stopped_early": stopped_early,
        "batch_size": args.batch_size, "seq_len": args.seq_len, "lr": args.lr, "seed": args.seed,
        "threads": args.threads, "train_seconds": trained_seconds,
        "final_loss": sum(h["loss"] for h in history[-50:]) / max(1, len(history[-50:])),
        "first_loss": history[0]["loss"] if history else None,
        "tokens_seen": step * args.batch_size * args.seq_len,
        "vision_steps_done": vision_step, "vision_steps_planned": args.vision_steps,
        "vision_batch": args.vision_batch, "vision_lr": args.vision_lr, "projector_lr_scale": args.projector_lr_scale,
        "vision_seconds": sum(h["seconds"] for h in vision_history),
        "vision_final_accuracy": picture_heads.mean_accuracy(vision_history),
        "parameters": n_all, "text_parameters": n_text, "torch": torch.__version__,
        "python": platform.python_version(), "cpu": platform.processor() or platform.machine(),
    }
    results = None
    if not args.no_eval:
        import evaluate

        print("evaluating the exported model ...", flush=True)
        results = evaluate.run_all(args.out, args.eval_samples, args.seq_len)
        (args.work_dir / "eval.json").write_text(json.dumps(results, indent=2) + "\n")
    run["wall_seconds"] = time.time() - started
    (args.work_dir / "run.json").write_text(json.dumps(run, indent=2) + "\n")
    model_card.write(args.out, cfg, run, results)
    print(f"done: {args.out} ({run['wall_seconds'] / 60:.1f} min)", flush=True)


if __name__ == "__main__":
    main()
