#!/usr/bin/env python3
"""Draws Linea's application icon (resources/icons/linea.png) with the standard library only.

A rounded square in deep blue with a decaying wave: the signal a linear-attention state keeps.
Run: python3 tools/make_icon.py resources/icons/linea.png
"""
import math
import struct
import sys
import zlib

SIZE = 256
SUPERSAMPLE = 4


def coverage(px, py):
    """Returns (r, g, b, a) in 0..1 for one sub-pixel sample."""
    margin, radius = 12.0, 52.0
    lo, hi = margin, SIZE - margin
    cx = min(max(px, lo + radius), hi - radius)
    cy = min(max(py, lo + radius), hi - radius)
    if (px - cx) ** 2 + (py - cy) ** 2 > radius ** 2:
        return (0.0, 0.0, 0.0, 0.0)
    t = (py - lo) / (hi - lo)
    background = (0.10 + 0.06 * t, 0.22 + 0.10 * t, 0.48 + 0.12 * t)
    # A damped wave across the square, drawn as a thick line.
    x = (px - 40.0) / (SIZE - 80.0)
    if 0.0 <= x <= 1.0:
        wave_y = SIZE / 2 + 62.0 * math.exp(-2.2 * x) * math.sin(2 * math.pi * 2.25 * x)
        if abs(py - wave_y) < 9.0:
            return (0.98, 0.86, 0.45, 1.0)
    return (*background, 1.0)


def render():
    rows = []
    step = 1.0 / SUPERSAMPLE
    for y in range(SIZE):
        row = bytearray([0])  # PNG filter type 0
        for x in range(SIZE):
            acc = [0.0, 0.0, 0.0, 0.0]
            for sy in range(SUPERSAMPLE):
                for sx in range(SUPERSAMPLE):
                    r, g, b, a = coverage(x + (sx + 0.5) * step, y + (sy + 0.5) * step)
                    acc[0] += r * a; acc[1] += g * a; acc[2] += b * a; acc[3] += a
            n = SUPERSAMPLE * SUPERSAMPLE
            alpha = acc[3] / n
            if alpha > 0:
                row += bytes(int(round(255 * c / acc[3])) for c in acc[:3])
            else:
                row += b"\0\0\0"
            row.append(int(round(255 * alpha)))
        rows.append(bytes(row))
    return b"".join(rows)


def png(raw):
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    header = struct.pack(">IIBBBBB", SIZE, SIZE, 8, 6, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")


if __name__ == "__main__":
    with open(sys.argv[1], "wb") as out:
        out.write(png(render()))
