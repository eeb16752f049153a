#!/usr/bin/env python3
"""Held-out evaluation sets for the bundled model, read by `linea-cli evaluate` (the C++ engine).

They depend only on the data generators and fixed seeds, never on a trained model, so they stay
valid when the model is retrained. Written into --out (default tests/data/linea-tiny/eval):

  heldout-kjv.jsonl    {"text"}: the held-out KJV books, one chapter per line (bits per byte)
  reading-<N>.jsonl    {"kind", "document", "question", "answer", "key"}: a fact (pass key, a person's
                       number, a meeting date) at a random depth of held-out filler; the whole exchange
                       (question and answer included) has at most N tokens, so at N = 256 it fits
                       one training row
  passkey-<N>.jsonl    the same with pass keys only (the classic long-context retrieval test)
  pictures.jsonl       {"image", "prompt", "answer", "kind"}: held-out synthetic pictures (pictures/*.png)
                       and their exact descriptions

Longer reading sets (4x, 16x, 64x the trained length) are benchmarks, not test data: write them
elsewhere with --lengths 1024,4096,16384 --out build/eval-long --no-text --no-pictures.

Usage: .venv-train/bin/python tools/train/evaluation_sets.py [--out DIR] [--lengths 256] [--tasks 50]
"""
from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

from tokenizers import Tokenizer

sys.path.insert(0, str(Path(__file__).resolve().parent))
import chat_format  # noqa: E402
import corpus_kjv  # noqa: E402
import long_document_tasks  # noqa: E402
import synthetic_images  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
READING_SEED = 770_001  # training batches use seed·1000003 + step with seed 20250101
PICTURE_SEED = 770_101
PASSKEY_SEED = 770_201
FRAMING_TOKENS = 60  # chat framing, question and answer around the document


def write_jsonl(path: Path, rows: list[dict]) -> None:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows))


def reading_set(held_verses: list[str], tok: Tokenizer, length: int, tasks: int, seed: int,
                kind: str | None = None) -> list[dict]:
    rng = random.Random(seed)
    counts: dict[str, int] = {}

    def count(text: str) -> int:
        if text not in counts:
            counts[text] = len(tok.encode(text).ids)
        return counts[text]

    rows = []
    while len(rows) < tasks:
        task = long_document_tasks.make_task(rng, held_verses, length - FRAMING_TOKENS, count, kind=kind)
        if len(tok.encode(chat_format.render(task.messages())).ids) > length:
            continue  # as in training, where a task that does not fit its row is never used
        rows.append({"kind": task.kind, "document": task.document, "question": task.question, "answer": task.answer,
                     "key": task.key})
    return rows


def picture_set(out: Path, tile: int, count: int) -> list[dict]:
    rng = random.Random(PICTURE_SEED)
    folder = out / "pictures"
    folder.mkdir(parents=True, exist_ok=True)
    rows = []
    for i in range(count):
        picture = synthetic_images.draw(rng, tile)
        name = f"{i:03d}.png"
        picture.image.save(folder / name, optimize=True)
        rows.append({"image": f"pictures/{name}", "prompt": "Describe the picture.", "answer": picture.description(),
                     "kind": picture.kind})
    return rows


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--out", type=Path, default=REPO / "tests/data/linea-tiny/eval")
    p.add_argument("--tokenizer", type=Path, default=REPO / "resources/models/linea-tiny/tokenizer.json",
                   help="only used to size the documents in tokens")
    p.add_argument("--lengths", default="256", help="comma-separated target prompt lengths in tokens")
    p.add_argument("--tasks", type=int, default=50)
    p.add_argument("--pictures", type=int, default=100)
    p.add_argument("--tile", type=int, default=112)
    p.add_argument("--no-text", action="store_true")
    p.add_argument("--no-pictures", action="store_true")
    args = p.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    tok = Tokenizer.from_file(str(args.tokenizer))
    _, held = corpus_kjv.split(corpus_kjv.read_verses())
    if not args.no_text:
        write_jsonl(args.out / "heldout-kjv.jsonl", [{"text": c} for c in corpus_kjv.chapters(held)])
    for i, length in enumerate(int(x) for x in args.lengths.split(",")):
        verses = [v.text for v in held]
        write_jsonl(args.out / f"reading-{length}.jsonl", reading_set(verses, tok, length, args.tasks, READING_SEED + i))
        write_jsonl(args.out / f"passkey-{length}.jsonl",
                    reading_set(verses, tok, length, args.tasks, PASSKEY_SEED + i, kind="passkey"))
    if not args.no_pictures:
        write_jsonl(args.out / "pictures.jsonl", picture_set(args.out, args.tile, args.pictures))
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
