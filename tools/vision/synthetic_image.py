"""The deterministic test picture shared by the golden generator and the C++ tests
(tests/vision/synthetic_image.h computes the same bytes): a diagonal ramp with a hashed noise
texture, so resampling filters see both smooth areas and sharp, clipping-prone edges."""

import numpy as np

MASK = np.uint64(0xFFFFFFFF)


def _hash(x, y, c, seed):
    h = (x * np.uint64(0x9E3779B1) + y * np.uint64(0x85EBCA77) + np.uint64(c) * np.uint64(0xC2B2AE3D)
         + np.uint64(seed) * np.uint64(0x27D4EB2F)) & MASK
    h ^= h >> np.uint64(15)
    h = (h * np.uint64(0x2C1B3C6D)) & MASK
    h ^= h >> np.uint64(12)
    return h


def synthetic_image(height, width, seed):
    """uint8 array (height, width, 3), RGB."""
    y, x = np.mgrid[0:height, 0:width].astype(np.uint64)
    out = np.empty((height, width, 3), dtype=np.uint8)
    for c in range(3):
        ramp = (x * np.uint64(7) + y * np.uint64(3) + np.uint64(c * 50)) & np.uint64(255)
        noise = _hash(x, y, c, seed) & np.uint64(63)
        out[:, :, c] = ((ramp + noise) & np.uint64(255)).astype(np.uint8)
    return out
