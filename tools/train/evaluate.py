#!/usr/bin/env python3
"""Evaluates an exported model folder (the bf16 files that ship, read back into our model).

  * bits per byte on held-out KJV books (never trained on): Σ −log2 p(token) / UTF-8 bytes;
  * long-document reading: pass key accuracy with documents of the trained length, 4× and 16× that
    (greedy answer contains the 5-digit key), plus person-number and meeting-date questions at the
    trained length; filler from the held-out books;
  * picture descriptions on held-out synthetic pictures (a seed never used in training): per
    attribute (count, colour, shape / word, background) and all-correct;
  * chat skills: exact answers to generated questions (arithmetic, counting, ...), new numbers.

Usage: .venv-train/bin/python tools/train/evaluate.py [--model resources/models/linea-tiny] [--samples 20]
"""
from __future__ import annotations

import argparse
import json
import math
import random
import time
from pathlib import Path

import torch
from tokenizers import Tokenizer

import anyres
import chat_format
import corpus_kjv
import export
import inference
import long_document_tasks
import synthetic_chat
import synthetic_images

EVAL_SEED = 990_001  # training batches use seed·1000003 + step with seed 20250101


class Evaluator:
    def __init__(self, model_dir: Path) -> None:
        self.model = export.load_model(model_dir)
        self.tok = Tokenizer.from_file(str(Path(model_dir) / "tokenizer.json"))
        self.eos = self.tok.token_to_id(chat_format.EOS)
        self.image_id = self.tok.token_to_id(chat_format.IMAGE)
        cfg = self.model.config
        self.tile, self.patch, self.pins = cfg.vision.image_size, cfg.vision.patch_size, cfg.image_grid_pinpoints
        _, held = corpus_kjv.split(corpus_kjv.read_verses())
        self.held_verses = [v.text for v in held]
        self.held_chapters = corpus_kjv.chapters(held)
        self._counts: dict[str, int] = {}

    def count(self, text: str) -> int:
        if text not in self._counts:
            self._counts[text] = len(self.tok.encode(text).ids)
        return self._counts[text]

    def answer(self, messages: list[tuple[str, str]], picture_tiles=None, max_new: int = 32) -> tuple[str, int]:
        ids = self.tok.encode(chat_format.render(messages, add_generation_prompt=True)).ids
        images = []
        if picture_tiles is not None:
            at = ids.index(self.image_id)
            n = anyres.image_token_count(picture_tiles[2], self.tile, self.patch, self.pins)
            ids = ids[:at] + [self.image_id] * n + ids[at + 1:]
            images = [picture_tiles]
        out = inference.generate(self.model, ids, images, max_new, self.eos)
        return self.tok.decode(out), len(ids)

    @torch.no_grad()
    def bits_per_byte(self) -> dict:
        bod = self.tok.token_to_id(chat_format.BEGIN_OF_DOCUMENT)
        nll, n_bytes, n_tokens = 0.0, 0, 0
        for chapter in self.held_chapters:
            ids = [bod] + self.tok.encode(chapter).ids
            x = torch.tensor([ids])
            logp = torch.log_softmax(self.model.language_model(x[:, :-1]), dim=-1)
            nll -= logp.gather(-1, x[:, 1:, None]).sum().item()
            n_bytes += len(chapter.encode("utf-8"))
            n_tokens += len(ids) - 1
        return {"bits_per_byte": nll / math.log(2) / n_bytes, "tokens": n_tokens, "bytes": n_bytes,
                "chapters": len(self.held_chapters)}

    def reading(self, kind: str, length: int, samples: int, seed: int) -> dict:
        rng = random.Random(seed)
        hits, exact, lengths = 0, 0, []
        for _ in range(samples):
            # ~60 tokens of chat framing, question and answer: at factor 1 the whole exchange fits a training row.
            task = long_document_tasks.make_task(rng, self.held_verses, length - 60, self.count, kind=kind)
            text, prompt_len = self.answer(task.messages()[:1], max_new=24)
            lengths.append(prompt_len)
            hits += task.key in text
            exact += text.strip() == task.answer
        return {"kind": kind, "target_tokens": length, "mean_prompt_tokens": sum(lengths) / len(lengths),
                "accuracy": hits / samples, "exact_answer": exact / samples, "samples": samples}

    def pictures(self, samples: int) -> dict:
        rng = random.Random(EVAL_SEED + 7)
        totals: dict[str, dict[str, int]] = {"shapes": {}, "word": {}}
        counts = {"shapes": 0, "word": 0}
        examples = []
        for i in range(samples):
            pic = synthetic_images.draw(rng, self.tile)
            tiles = anyres.preprocess(pic.image, self.tile, self.pins)
            text, _ = self.answer([("user", f"{chat_format.IMAGE}\nDescribe the picture.")], tiles, max_new=40)
            scores = synthetic_images.score(pic, text)
            counts[pic.kind] += 1
            for k, v in scores.items():
                totals[pic.kind][k] = totals[pic.kind].get(k, 0) + int(v)
            if i < 6:
                examples.append({"expected": pic.description(), "generated": text})
        acc = {kind: {k: v / counts[kind] for k, v in t.items()} for kind, t in totals.items() if counts[kind]}
        all_correct = sum(totals[k].get("all", 0) for k in totals) / samples
        return {"samples": samples, "by_kind": acc, "counts": counts, "all_correct": all_correct, "examples": examples}

    def chat(self, samples: int) -> dict:
        rng = random.Random(EVAL_SEED + 11)
        words = ["light", "water", "stone", "bread", "river", "house", "tree", "green", "king", "land"]
        correct, examples = 0, []
        for i in range(samples):
            question, expected = synthetic_chat.exchange(rng, words)
            text, _ = self.answer([("user", question)], max_new=48)
            correct += text.strip() == expected
            if i < 6:
                examples.append({"question": question, "expected": expected, "generated": text})
        return {"samples": samples, "exact": correct / samples, "examples": examples}


def run_all(model_dir: Path, samples: int, trained_len: int) -> dict:
    torch.set_num_threads(2)
    started = time.time()
    ev = Evaluator(model_dir)
    results = {"bits_per_byte": ev.bits_per_byte()}
    print(f"  bits per byte (held-out KJV): {results['bits_per_byte']['bits_per_byte']:.3f}", flush=True)
    reading = []
    for i, factor in enumerate((1, 4, 16)):
        r = ev.reading("passkey", trained_len * factor, samples, EVAL_SEED + i)
        reading.append(r)
        print(f"  passkey at {factor}× ({r['mean_prompt_tokens']:.0f} tokens): {r['accuracy']:.2f}", flush=True)
    for i, kind in enumerate(("number", "date")):
        r = ev.reading(kind, trained_len, samples, EVAL_SEED + 100 + i)
        reading.append(r)
        print(f"  {kind} at 1× ({r['mean_prompt_tokens']:.0f} tokens): {r['accuracy']:.2f}", flush=True)
    results["reading"] = reading
    results["pictures"] = ev.pictures(5 * samples)
    print(f"  pictures all-correct: {results['pictures']['all_correct']:.2f} {results['pictures']['by_kind']}", flush=True)
    results["chat"] = ev.chat(2 * samples)
    print(f"  chat exact: {results['chat']['exact']:.2f}", flush=True)
    results["seconds"] = time.time() - started
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    repo = Path(__file__).resolve().parents[2]
    parser.add_argument("--model", type=Path, default=repo / "resources/models/linea-tiny")
    parser.add_argument("--samples", type=int, default=20)
    parser.add_argument("--trained-length", type=int, default=256)
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args()
    results = run_all(args.model, args.samples, args.trained_length)
    text = json.dumps(results, indent=2)
    print(text)
    if args.json:
        args.json.write_text(text + "\n")


if __name__ == "__main__":
    main()
