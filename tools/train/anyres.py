"""Image geometry and preprocessing of MiniMax-VL-01 ("anyres", LLaVA-NeXT family), model-spec §1.9.

One image becomes [thumbnail, tile_0, tile_1, ...] of `tile`×`tile` RGB pixels, normalised with the
OpenAI CLIP mean/std:
  1. pick the grid resolution (h, w) from the pinpoints (maximise the effective resolution, then
     minimise the waste);
  2. resize keeping the aspect ratio so the image fits that resolution, bicubic: the limiting side
     gets the target, the other ceil(side·scale) capped at the target, as transformers' LLaVA-NeXT
     processor computes it and Linea's engine follows it (vision/anyres_geometry.cpp, checked
     against transformers there);
  3. pad to (h, w) with black, centred (the odd pixel goes to the bottom/right);
  4. cut into tiles, row-major; the thumbnail is the whole image resized to tile×tile (no aspect
     kept).
The packed feature map (see `unpadded_feature_size`) drops the rows/columns that correspond to
padding, with the floor rounding of MiniMax-VL-01.
"""
from __future__ import annotations

import math

import numpy as np
import torch
from PIL import Image

CLIP_MEAN = (0.48145466, 0.4578275, 0.40821073)
CLIP_STD = (0.26862954, 0.26130258, 0.27577711)


def scaled_pinpoints(tile: int) -> list[list[int]]:
    """MiniMax-VL-01's 28 (h, w) pinpoints (multiples of 336 up to 2016, at most 18 tiles) for another tile size."""
    grid = [(1, 1), (1, 2), (1, 3), (1, 4), (1, 5), (1, 6), (2, 1), (2, 2), (2, 3), (2, 4), (2, 5), (2, 6),
            (3, 1), (3, 2), (3, 3), (3, 4), (3, 5), (3, 6), (4, 1), (4, 2), (4, 3), (4, 4), (5, 1), (5, 2), (5, 3),
            (6, 1), (6, 2), (6, 3)]
    return [[gh * tile, gw * tile] for gh, gw in grid]


def select_best_resolution(original_hw: tuple[int, int], pinpoints: list[list[int]]) -> tuple[int, int]:
    oh, ow = original_hw
    best, best_effective, best_waste = None, 0, float("inf")
    for h, w in pinpoints:
        scale = min(w / ow, h / oh)
        effective = min(int(ow * scale) * int(oh * scale), ow * oh)
        waste = w * h - effective
        if effective > best_effective or (effective == best_effective and waste < best_waste):
            best, best_effective, best_waste = (h, w), effective, waste
    return best


def resized_size(original_hw: tuple[int, int], target_hw: tuple[int, int]) -> tuple[int, int]:
    """(h, w) after the aspect-keeping resize into target (ceil on the derived side, capped; see above).
    The training pictures are exact multiples of the tile, so their resize never rounds."""
    oh, ow = original_hw
    th, tw = target_hw
    if tw / ow < th / oh:
        return min(math.ceil(oh * tw / ow), th), tw
    return th, min(math.ceil(ow * th / oh), tw)


def unpadded_feature_size(rows: int, cols: int, original_hw: tuple[int, int]) -> tuple[int, int, int, int]:
    """(rows, cols, top, left) of the feature map that covers the image, not the padding."""
    oh, ow = original_hw
    if ow / oh > cols / rows:
        new_rows = (oh * cols) // ow
        pad = (rows - new_rows) // 2
        return rows - 2 * pad, cols, pad, 0
    new_cols = (ow * rows) // oh
    pad = (cols - new_cols) // 2
    return rows, cols - 2 * pad, 0, pad


def image_token_count(original_hw: tuple[int, int], tile: int, patch: int, pinpoints: list[list[int]]) -> int:
    side = tile // patch
    gh, gw = (x // tile for x in select_best_resolution(original_hw, pinpoints))
    rows, cols, _, _ = unpadded_feature_size(gh * side, gw * side, original_hw)
    return side * side + rows * (cols + 1)


def normalise(img: Image.Image) -> torch.Tensor:
    a = np.asarray(img.convert("RGB"), dtype=np.float32) / 255.0
    a = (a - np.array(CLIP_MEAN, dtype=np.float32)) / np.array(CLIP_STD, dtype=np.float32)
    return torch.from_numpy(a).permute(2, 0, 1).contiguous()


def preprocess(img: Image.Image, tile: int, pinpoints: list[list[int]]) -> tuple[torch.Tensor, tuple[int, int], tuple[int, int]]:
    """→ (tiles [1+gh·gw, 3, tile, tile], (gh, gw), (original h, original w))."""
    img = img.convert("RGB")
    ow, oh = img.size
    th, tw = select_best_resolution((oh, ow), pinpoints)
    nh, nw = resized_size((oh, ow), (th, tw))
    resized = img.resize((nw, nh), Image.BICUBIC) if (nw, nh) != (ow, oh) else img
    canvas = Image.new("RGB", (tw, th), (0, 0, 0))
    canvas.paste(resized, ((tw - nw) // 2, (th - nh) // 2))
    thumb = img.resize((tile, tile), Image.BICUBIC) if (ow, oh) != (tile, tile) else img
    tiles = [normalise(thumb)]
    for r in range(th // tile):
        for c in range(tw // tile):
            tiles.append(normalise(canvas.crop((c * tile, r * tile, (c + 1) * tile, (r + 1) * tile))))
    return torch.stack(tiles), (th // tile, tw // tile), (oh, ow)
