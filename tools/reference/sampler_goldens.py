#!/usr/bin/env python3
"""Writes tests/data/runtime/sampler_goldens.json: what the sampler must compute, from references.

1. Filtered distributions from Hugging Face transformers' own logits processors, applied in the
   order engine/runtime/sampler.h documents (RepetitionPenaltyLogitsProcessor on the last
   `repetition_window` history tokens, TemperatureLogitsWarper, TopKLogitsWarper, TopPLogitsWarper,
   MinPLogitsWarper), then softmax. Logits are random float32 rows; a row is redrawn when a token
   sits within 1e-4 of a top-p or min-p threshold, so float32 (transformers) and float64 (Linea)
   rounding cannot disagree about which tokens survive.
2. Draw sequences: splitmix64-seeded xoshiro256** (written here from the published algorithm, in
   Python integers) turned into a token by the sampler's documented rule, for uniform logits.
   These pin the random stream so that a seed means the same tokens on every platform.

Usage (in a git-ignored virtual environment):
    python3 -m venv .venv-rt
    .venv-rt/bin/pip install -r tools/reference/sampler_goldens.requirements.txt
    .venv-rt/bin/python tools/reference/sampler_goldens.py [--out tests/data/runtime/sampler_goldens.json]
"""
from __future__ import annotations

import argparse
import json
import math
from pathlib import Path

import numpy as np
import torch
import transformers
from transformers import (
    MinPLogitsWarper,
    RepetitionPenaltyLogitsProcessor,
    TemperatureLogitsWarper,
    TopKLogitsWarper,
    TopPLogitsWarper,
)

MASK64 = (1 << 64) - 1
MARGIN = 1e-4

# name, vocab, temperature, top_k, top_p, min_p, repetition_penalty, repetition_window, history length,
# logit quantum (0: continuous; > 0: logits rounded to multiples of it, to create ties)
CASES = [
    ("plain", 48, 1.0, 0, 1.0, 0.0, 1.0, 64, 0, 0.0),
    ("temperature 0.7", 48, 0.7, 0, 1.0, 0.0, 1.0, 64, 0, 0.0),
    ("temperature 1.5, top-k 5", 48, 1.5, 5, 1.0, 0.0, 1.0, 64, 0, 0.0),
    ("top-k larger than the vocabulary", 48, 1.0, 100, 1.0, 0.0, 1.0, 64, 0, 0.0),
    ("top-k 10 with logits tied at the 10th", 48, 1.0, 10, 1.0, 0.0, 1.0, 64, 0, 0.5),
    ("top-p 0.9", 48, 1.0, 0, 0.9, 0.0, 1.0, 64, 0, 0.0),
    ("temperature 0.8, top-p 0.5", 48, 0.8, 0, 0.5, 0.0, 1.0, 64, 0, 0.0),
    ("top-p 0", 48, 1.0, 0, 0.0, 0.0, 1.0, 64, 0, 0.0),
    ("min-p 0.1", 48, 1.0, 0, 1.0, 0.1, 1.0, 64, 0, 0.0),
    ("temperature 1.3, min-p 0.05", 48, 1.3, 0, 1.0, 0.05, 1.0, 64, 0, 0.0),
    ("repetition penalty 1.3", 48, 1.0, 0, 1.0, 0.0, 1.3, 64, 20, 0.0),
    ("repetition penalty 0.8 (encourages)", 48, 1.0, 0, 1.0, 0.0, 0.8, 64, 20, 0.0),
    ("repetition penalty 2 over the last 8 of 30", 48, 1.0, 0, 1.0, 0.0, 2.0, 8, 30, 0.0),
    ("everything", 64, 0.9, 20, 0.9, 0.02, 1.2, 8, 30, 0.0),
    ("everything, larger vocabulary", 1024, 0.75, 200, 0.95, 0.001, 1.1, 64, 100, 0.0),
]

DRAW_SEEDS = [0, 1, 42, 0xDEADBEEF, MASK64]
DRAW_VOCAB = 1000
DRAW_COUNT = 16


def reference_distribution(logits, history, temperature, top_k, top_p, min_p, penalty, window):
    scores = torch.tensor(np.array(logits, dtype=np.float32)).unsqueeze(0)
    recent = history[-window:] if window > 0 else (history if window < 0 else [])
    if penalty != 1.0 and recent:
        ids = torch.tensor([recent], dtype=torch.long)
        scores = RepetitionPenaltyLogitsProcessor(penalty=penalty)(ids, scores)
    dummy = torch.zeros((1, 1), dtype=torch.long)
    scores = TemperatureLogitsWarper(temperature)(dummy, scores)
    if top_k > 0:
        scores = TopKLogitsWarper(top_k=top_k)(dummy, scores)
    after_top_k = scores.clone()
    if top_p < 1.0:
        scores = TopPLogitsWarper(top_p=top_p)(dummy, scores)
    if min_p > 0.0:
        scores = MinPLogitsWarper(min_p=min_p)(dummy, scores)
    probabilities = torch.softmax(scores.double(), dim=-1)[0].tolist()
    return probabilities, after_top_k[0].double()


def near_a_threshold(after_top_k, top_p, min_p):
    """True when some token's fate depends on float rounding (see the module docstring)."""
    p = torch.softmax(after_top_k, dim=-1)
    ordered = torch.sort(p, descending=True).values
    if top_p < 1.0 and top_p > 0.0:
        before = torch.cumsum(ordered, 0) - ordered
        if torch.any(torch.abs(before - top_p) < MARGIN):
            return True
    if min_p > 0.0:
        ratio = p / p.max()
        if torch.any(torch.abs(ratio - min_p) < MARGIN):
            return True
    return False


def make_case(rng, name, vocab, temperature, top_k, top_p, min_p, penalty, window, history_length, quantum):
    for _ in range(1000):
        logits = (rng.standard_normal(vocab) * 2.5).astype(np.float32)
        if quantum > 0:
            logits = (np.round(logits / quantum) * quantum).astype(np.float32)
            # The point of a quantized row: the k-th largest logit is shared with the (k+1)-th.
            ordered = np.sort(logits)[::-1]
            if ordered[top_k - 1] != ordered[top_k]:
                continue
        # Some history tokens land on negative logits, some on positive ones: both penalty branches.
        history = [int(t) for t in rng.integers(0, vocab, size=history_length)]
        probabilities, after_top_k = reference_distribution(
            logits.tolist(), history, temperature, top_k, top_p, min_p, penalty, window)
        if near_a_threshold(after_top_k, top_p, min_p):
            continue
        return {
            "name": name,
            "params": {
                "temperature": temperature, "top_k": top_k, "top_p": top_p, "min_p": min_p,
                "repetition_penalty": penalty, "repetition_window": window,
            },
            # repr of a float32 widened to double: parsing it and narrowing gives the same float32
            "logits": [float(x) for x in logits],
            "history": history,
            "probabilities": probabilities,
        }
    raise RuntimeError(f"{name}: no row away from the thresholds after 1000 tries")


def splitmix64(state):
    state = (state + 0x9E3779B97F4A7C15) & MASK64
    z = state
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK64
    return state, z ^ (z >> 31)


def rotl(x, k):
    return ((x << k) | (x >> (64 - k))) & MASK64


def xoshiro256starstar(seed):
    s = []
    state = seed
    for _ in range(4):
        state, word = splitmix64(state)
        s.append(word)
    while True:
        result = (rotl((s[1] * 5) & MASK64, 7) * 9) & MASK64
        t = (s[1] << 17) & MASK64
        s[2] ^= s[0]
        s[3] ^= s[1]
        s[1] ^= s[2]
        s[0] ^= s[3]
        s[2] ^= t
        s[3] = rotl(s[3], 45)
        yield result


def uniform_draws(seed):
    """Tokens for DRAW_VOCAB equal logits: every weight is exp(0) = 1, so the running sums are exact
    integers and the chosen token is floor(u * vocab), u = (x >> 11) * 2^-53."""
    stream = xoshiro256starstar(seed)
    tokens = []
    for _ in range(DRAW_COUNT):
        u = float(next(stream) >> 11) * 2.0 ** -53
        tokens.append(int(math.floor(u * float(DRAW_VOCAB))))
    return tokens


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=Path("tests/data/runtime/sampler_goldens.json"))
    args = parser.parse_args()

    rng = np.random.default_rng(20250611)
    cases = [make_case(rng, *case) for case in CASES]
    document = {
        "generator": "tools/reference/sampler_goldens.py",
        "transformers": transformers.__version__,
        "torch": torch.__version__,
        "distributions": cases,
        "draws": {
            "vocab": DRAW_VOCAB,
            "sequences": [{"seed": str(seed), "tokens": uniform_draws(seed)} for seed in DRAW_SEEDS],
        },
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(document, indent=1) + "\n")
    print(f"wrote {args.out}: {len(cases)} distributions, {len(DRAW_SEEDS)} draw sequences")


if __name__ == "__main__":
    main()
