#!/usr/bin/env python3
"""Reference outputs of the bundled model from our PyTorch definition, for the C++ engine's tests.

For resources/models/linea-tiny this writes tests/data/linea-tiny/:
  picture.png   a synthetic 112x112 picture (square: the anyres resize has no rounding to disagree on)
  goldens.json  per case (a text chat turn, a picture question): the prompt text as rendered by the
                MiniMax chat template, its token ids (the picture's placeholder expanded), the logits
                after the last prompt token, and the greedy continuation (prefill then recurrent decode)
The C++ test (tests/vision/test_linea_tiny_goldens.cpp) runs the same prompts through the engine and
the vision encoder: engine equals trainer.

Usage: .venv-train/bin/python tools/train/engine_goldens.py [--model resources/models/linea-tiny]
"""
from __future__ import annotations

import argparse
import json
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
                "picture": "picture.png", "picture_description": picture.description(), "cases": cases}
    (args.out / "goldens.json").write_text(json.dumps(manifest, indent=1) + "\n")
    for name, c in cases.items():
        print(f"{name}: {len(c['ids'])} prompt tokens ({c['image_tokens']} image), top-2 margin "
              f"{c['top2_margin']:.4f}, continuation {c['continuation_text']!r}")


if __name__ == "__main__":
    main()
