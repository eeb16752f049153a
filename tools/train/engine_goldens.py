#!/usr/bin/env python3
"""Reference outputs of the bundled model from our PyTorch definition, for the C++ engine's tests.

For resources/models/linea-tiny this writes tests/data/linea-tiny/:
  picture.png   a synthetic 112x112 picture (square: the anyres resize has no rounding to disagree on)
  goldens.json  the bits per byte of our PyTorch model on eval/heldout-kjv.jsonl (each chapter read
                from <begin_of_document>, as `linea-cli evaluate bits-per-byte` reads it), and per case
                (a text chat turn, a picture question): the prompt text as rendered by the
                MiniMax chat template, its token ids (the picture's placeholder expanded), the logits
                after the last prompt token, and the greedy continuation (prefill then recurrent decode)
The C++ test (tests/vision/test_linea_tiny_goldens.cpp) runs the same prompts through the engine and
the vision encoder: engine equals trainer.

Usage: .venv-train/bin/python tools/train/engine_goldens.py [--model resources/models/linea-tiny]
"""
from __future__ import annotations

import argparse
import json
import math
import random
import sys
from pathlib import Path

import torch
from tokenizers import Tokenizer

sys.path.insert(0, str(Path(__file__).resolve().parent))
import anyres  # noqa: E402
import chat_format  # noqa: E402
import export  # noqa: E402
import inference  # noqa: E402
import synthetic_images  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
CONTINUATION = 24


@torch.no_grad()
def case(model, tok, messages, picture=None) -> dict:
    cfg = model.config
    text = chat_format.render(messages, add_generation_prompt=True)
    ids = tok.encode(text).ids
    images = []
    if picture is not None:
        tiles = anyres.preprocess(picture, cfg.vision.image_size, cfg.image_grid_pinpoints)
        at = ids.index(cfg.image_token_index)
        n = anyres.image_token_count(tiles[2], cfg.vision.image_size, cfg.vision.patch_size, cfg.image_grid_pinpoints)
        ids = ids[:at] + [cfg.image_token_index] * n + ids[at + 1:]
        images = [tiles]
    lm = model.language_model
    logits = lm(inputs_embeds=model.embed(torch.tensor([ids]), images))[0, -1]
    top2 = torch.topk(logits, 2).values
    eos = tok.token_to_id(chat_format.EOS)
    continuation = inference.generate(model, ids, images, CONTINUATION, eos)
    return {"messages": [list(m) for m in messages], "rendered": text, "ids": ids,
            "image_tokens": sum(1 for i in ids if i == cfg.image_token_index) if picture is not None else 0,
            "last_logits": [float(v) for v in logits], "top2_margin": float(top2[0] - top2[1]),
            "continuation_limit": CONTINUATION, "continuation": continuation,
            "continuation_text": tok.decode(continuation)}


@torch.no_grad()
def bits_per_byte(model, tok, task_file: Path) -> dict:
    first = tok.token_to_id(chat_format.BEGIN_OF_DOCUMENT)
    nats, n_bytes, n_tokens = 0.0, 0, 0
    for line in task_file.read_text().splitlines():
        text = json.loads(line)["text"]
        x = torch.tensor([[first] + tok.encode(text, add_special_tokens=False).ids])
        logp = torch.log_softmax(model.language_model(x[:, :-1]).double(), dim=-1)
        nats -= logp.gather(-1, x[:, 1:, None]).sum().item()
        n_bytes += len(text.encode("utf-8"))
        n_tokens += x.shape[1] - 1
    return {"file": str(task_file.relative_to(REPO)), "first_token": chat_format.BEGIN_OF_DOCUMENT,
            "bits_per_byte": nats / math.log(2) / n_bytes, "tokens": n_tokens, "bytes": n_bytes}


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--model", type=Path, default=REPO / "resources/models/linea-tiny")
    p.add_argument("--out", type=Path, default=REPO / "tests/data/linea-tiny")
    args = p.parse_args()
    torch.manual_seed(0)
    torch.set_num_threads(2)
    model = export.load_model(args.model)
    tok = Tokenizer.from_file(str(args.model / "tokenizer.json"))
    tile = model.config.vision.image_size

    synthetic_images._canvas_size = lambda rng, t: (t, t)  # a square picture: no resize rounding involved
    picture = synthetic_images.draw_shapes(random.Random(20261126), tile)
    args.out.mkdir(parents=True, exist_ok=True)
    picture.image.save(args.out / "picture.png")

    cases = {
        "text": case(model, tok, [("user", "What colour is a lemon?")]),
        "picture": case(model, tok, [("user", f"{chat_format.IMAGE}\nDescribe the picture.")], picture.image),
    }
    manifest = {"generator": "tools/train/engine_goldens.py", "model": str(args.model.relative_to(REPO)),
                "reference": "tools/train/minimax_model.py (fp32 from the bf16 file), torch " + torch.__version__,
                "picture": "picture.png", "picture_description": picture.description(),
                "heldout_bits_per_byte": bits_per_byte(model, tok, args.out / "eval/heldout-kjv.jsonl"), "cases": cases}
    (args.out / "goldens.json").write_text(json.dumps(manifest, indent=1) + "\n")
    print(f"bits per byte on held-out text: {manifest['heldout_bits_per_byte']['bits_per_byte']:.6f}")
    for name, c in cases.items():
        print(f"{name}: {len(c['ids'])} prompt tokens ({c['image_tokens']} image), top-2 margin "
              f"{c['top2_margin']:.4f}, continuation {c['continuation_text']!r}")


if __name__ == "__main__":
    main()
