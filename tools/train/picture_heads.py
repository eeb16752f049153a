"""Training-only heads that teach the vision tower to see before the language model reads it.

A description gives the tower a few target tokens per picture, too little signal to learn counting,
shapes or letters in the time we have. These heads read the projected patch features of a picture's
thumbnail tile directly and are trained on labels known from drawing it:

* pooled (mean over patches → MLP): kind, count, shape, colour, word;
* per patch: what covers it (background, shape, letter), whether a shape's centre lies in it, and
  which letter of the alphabet covers most of it.

The heads are never exported; the shipped files hold only what MiniMax-VL-01's layout has.
"""
from __future__ import annotations

import random

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image
from torch import nn

import anyres
import synthetic_images as si

IGNORE = -100
# name → number of classes; pooled ones come first, per-patch ones after
POOLED = {"kind": 2, "count": 4, "shape": len(si.SHAPES), "colour": len(si.COLOURS), "word": len(si.WORDS)}
DENSE = {"cover": 3, "centre": 2, "letter": 27}
_COLOURS = list(si.COLOURS)
_MIN_PIXELS = 0.1  # a patch counts as covered by a label when at least this share of its pixels has it


class PictureHeads(nn.Module):
    def __init__(self, hidden: int) -> None:
        super().__init__()
        self.pooled = nn.Sequential(nn.LayerNorm(hidden), nn.Linear(hidden, hidden), nn.GELU(),
                                    nn.Linear(hidden, sum(POOLED.values())))
        self.dense = nn.Sequential(nn.LayerNorm(hidden), nn.Linear(hidden, hidden), nn.GELU(),
                                   nn.Linear(hidden, sum(DENSE.values())))

    def forward(self, feats: torch.Tensor) -> dict[str, torch.Tensor]:
        """feats [b, patches, hidden] → logits per label name ([b, k] pooled, [b, patches, k] dense)."""
        out = dict(zip(POOLED, self.pooled(feats.mean(dim=1)).split(list(POOLED.values()), dim=-1)))
        out.update(zip(DENSE, self.dense(feats).split(list(DENSE.values()), dim=-1)))
        return out


def labels(picture: si.Picture, tile: int, patch: int) -> dict[str, np.ndarray | int]:
    """The labels of one picture (drawn with labels=True), for its thumbnail tile (tile × tile)."""
    w, h = picture.image.size
    shapes = picture.kind == "shapes"
    out: dict[str, np.ndarray | int] = {
        "kind": 0 if shapes else 1,
        "count": picture.count - 1 if shapes else IGNORE,
        "shape": si.SHAPES.index(picture.shape) if shapes else IGNORE,
        "colour": _COLOURS.index(picture.colour),
        "word": IGNORE if shapes else si.WORDS.index(picture.word),
    }
    mask = picture.mask if (w, h) == (tile, tile) else picture.mask.resize((tile, tile), Image.NEAREST)
    side = tile // patch
    cells = np.asarray(mask, dtype=np.int64).reshape(side, patch, side, patch).transpose(0, 2, 1, 3).reshape(side * side, -1)
    counts = np.stack([np.bincount(c, minlength=28) for c in cells])  # [patches, 28]
    enough = _MIN_PIXELS * patch * patch
    letter_counts = counts[:, 2:]
    best_letter = letter_counts.argmax(axis=1)
    has_letter = letter_counts.max(axis=1) >= enough
    out["letter"] = np.where(has_letter, best_letter + 1, 0)
    out["cover"] = np.where(letter_counts.sum(axis=1) >= enough, 2, np.where(counts[:, 1] >= enough, 1, 0))
    centre = np.zeros(side * side, dtype=np.int64)
    for cx, cy in picture.centres:
        col = min(side - 1, int(cx * tile / w) // patch)
        row = min(side - 1, int(cy * tile / h) // patch)
        centre[row * side + col] = 1
    out["centre"] = centre
    return out


def thumbnail(picture: si.Picture, tile: int) -> torch.Tensor:
    """The normalised thumbnail tile, exactly as anyres.preprocess makes the first tile."""
    img = picture.image
    return anyres.normalise(img if img.size == (tile, tile) else img.resize((tile, tile), Image.BICUBIC))


def batch(rng: random.Random, size: int, tile: int, patch: int) -> tuple[torch.Tensor, dict[str, torch.Tensor]]:
    """`size` fresh pictures → (thumbnails [size, 3, tile, tile], stacked labels)."""
    pictures = [si.draw(rng, tile, labels=True) for _ in range(size)]
    per = [labels(p, tile, patch) for p in pictures]
    stacked = {k: torch.as_tensor(np.stack([np.asarray(x[k]) for x in per])) for k in per[0]}
    return torch.stack([thumbnail(p, tile) for p in pictures]), stacked


def loss(logits: dict[str, torch.Tensor], target: dict[str, torch.Tensor]) -> tuple[torch.Tensor, dict[str, float]]:
    """Sum of the cross-entropies of every head, and each head's accuracy on this batch."""
    total = torch.zeros(())
    accuracy = {}
    for name, out in logits.items():
        y = target[name].reshape(-1)
        out = out.reshape(y.shape[0], -1)
        total = total + F.cross_entropy(out, y, ignore_index=IGNORE)
        keep = y != IGNORE
        accuracy[name] = (out.argmax(-1)[keep] == y[keep]).float().mean().item() if keep.any() else float("nan")
    return total, accuracy


def mean_accuracy(history: list[dict], last: int = 50) -> dict[str, float]:
    """Each head's accuracy averaged over the last `last` steps that had labels for it."""
    recent = history[-last:]
    names = recent[-1]["accuracy"] if recent else {}
    mean = {}
    for name in names:
        seen = [h["accuracy"][name] for h in recent if not np.isnan(h["accuracy"][name])]
        mean[name] = sum(seen) / len(seen) if seen else float("nan")
    return mean
