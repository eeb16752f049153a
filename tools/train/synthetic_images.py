"""Synthetic pictures with exact descriptions, for the vision head: coloured shapes (count, colour,
shape) and short words rendered in black on a coloured background. Drawn with PIL; the font is
DejaVu Sans Bold from Debian's fonts-dejavu-core (only used to draw pixels, nothing of it ships).
"""
from __future__ import annotations

import random
import re
from dataclasses import dataclass, field

from PIL import Image, ImageDraw, ImageFont

COLOURS = {
    "red": (220, 30, 30), "green": (30, 160, 50), "blue": (30, 70, 220), "yellow": (240, 210, 20),
    "purple": (140, 40, 180), "orange": (245, 130, 20), "black": (15, 15, 15),
}
BACKGROUND_COLOURS = [c for c in COLOURS if c != "black"]
SHAPES = ["circle", "square", "triangle"]
COUNT_WORDS = ["One", "Two", "Three", "Four"]
WORDS = ["CAT", "DOG", "SUN", "TREE", "BOOK", "STAR", "FISH", "MOON"]
FONT_PATH = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"

DESCRIBE_PROMPTS = ["Describe the picture.", "What is in this image?", "Describe this image.", "What do you see?"]


@dataclass
class Picture:
    image: Image.Image
    kind: str  # "shapes" or "word"
    count: int = 0
    colour: str = ""
    shape: str = ""
    word: str = ""
    # Training labels, only when drawn with labels=True (picture_heads.py): a pixel mask (0 background,
    # 1 shape, 2 + k the k-th letter of the alphabet) and the centres of the shapes, in pixels.
    mask: Image.Image | None = None
    centres: list[tuple[float, float]] = field(default_factory=list)

    def description(self) -> str:
        if self.kind == "shapes":
            plural = "s" if self.count > 1 else ""
            return f"{COUNT_WORDS[self.count - 1]} {self.colour} {self.shape}{plural} on a white background."
        return f'The word "{self.word}" in black letters on a {self.colour} background.'

    def follow_up(self, rng: random.Random) -> tuple[str, str]:
        """A second question about the same picture, and its answer."""
        if self.kind == "shapes":
            return rng.choice([
                ("How many shapes are there?", f"There {'is' if self.count == 1 else 'are'} {COUNT_WORDS[self.count - 1].lower()}."),
                ("What colour are the shapes?", f"They are {self.colour}."),
                ("What shape are they?", f"{self.shape.capitalize()}{'s' if self.count > 1 else ''}."),
            ])
        return rng.choice([
            ("What does the word say?", f'It says "{self.word}".'),
            ("What colour is the background?", f"The background is {self.colour}."),
        ])


def _jitter(rgb: tuple[int, int, int], rng: random.Random) -> tuple[int, int, int]:
    return tuple(max(0, min(255, c + rng.randint(-18, 18))) for c in rgb)


def _canvas_size(rng: random.Random, tile: int) -> tuple[int, int]:
    r = rng.random()
    if r < 0.8:
        return tile, tile
    return (2 * tile, tile) if r < 0.9 else (tile, 2 * tile)


def draw_shapes(rng: random.Random, tile: int, labels: bool = False) -> Picture:
    w, h = _canvas_size(rng, tile)
    img = Image.new("RGB", (w, h), _jitter((250, 250, 250), rng))
    d = ImageDraw.Draw(img)
    count, colour, shape = rng.randint(1, 4), rng.choice(list(COLOURS)), rng.choice(SHAPES)
    placed: list[tuple[float, float, float]] = []
    while len(placed) < count:
        r = rng.uniform(tile * 0.09, tile * 0.15)
        cx, cy = rng.uniform(r + 2, w - r - 2), rng.uniform(r + 2, h - r - 2)
        if all((cx - x) ** 2 + (cy - y) ** 2 > (r + rr + 3) ** 2 for x, y, rr in placed):
            placed.append((cx, cy, r))
    for cx, cy, r in placed:
        fill = _jitter(COLOURS[colour], rng)
        if shape == "circle":
            d.ellipse((cx - r, cy - r, cx + r, cy + r), fill=fill)
        elif shape == "square":
            s = r * 0.85
            d.rectangle((cx - s, cy - s, cx + s, cy + s), fill=fill)
        else:
            d.polygon([(cx, cy - r), (cx - r * 0.95, cy + r * 0.75), (cx + r * 0.95, cy + r * 0.75)], fill=fill)
    picture = Picture(img, "shapes", count=count, colour=colour, shape=shape)
    if labels:
        picture.mask = Image.new("L", (w, h), 0)
        m = ImageDraw.Draw(picture.mask)
        for cx, cy, r in placed:
            if shape == "circle":
                m.ellipse((cx - r, cy - r, cx + r, cy + r), fill=1)
            elif shape == "square":
                m.rectangle((cx - r * 0.85, cy - r * 0.85, cx + r * 0.85, cy + r * 0.85), fill=1)
            else:
                m.polygon([(cx, cy - r), (cx - r * 0.95, cy + r * 0.75), (cx + r * 0.95, cy + r * 0.75)], fill=1)
        picture.centres = [(cx, cy) for cx, cy, _ in placed]
    return picture


def draw_word(rng: random.Random, tile: int, labels: bool = False) -> Picture:
    w, h = _canvas_size(rng, tile)
    colour, word = rng.choice(BACKGROUND_COLOURS), rng.choice(WORDS)
    img = Image.new("RGB", (w, h), _jitter(COLOURS[colour], rng))
    d = ImageDraw.Draw(img)
    font = ImageFont.truetype(FONT_PATH, rng.randint(int(tile * 0.2), int(tile * 0.26)))
    left, top, right, bottom = d.textbbox((0, 0), word, font=font)
    tw, th = right - left, bottom - top
    x = rng.uniform(2, max(2, w - tw - 2)) - left
    y = rng.uniform(2, max(2, h - th - 2)) - top
    d.text((x, y), word, fill=_jitter((10, 10, 10), rng), font=font)
    picture = Picture(img, "word", colour=colour, word=word)
    if labels:
        # Each letter gets its own label: drawing the prefixes from longest to shortest leaves every
        # letter's pixels with the label of the shortest prefix that contains it, i.e. its own.
        picture.mask = Image.new("L", (w, h), 0)
        m = ImageDraw.Draw(picture.mask)
        m.fontmode = "1"  # no anti-aliasing: a pixel holds one label, not a blend
        for end in range(len(word), 0, -1):
            m.text((x, y), word[:end], fill=2 + ord(word[end - 1]) - ord("A"), font=font)
    return picture


def draw(rng: random.Random, tile: int, labels: bool = False) -> Picture:
    """A random picture; labels=True adds the training masks without changing what is drawn."""
    return draw_shapes(rng, tile, labels) if rng.random() < 0.75 else draw_word(rng, tile, labels)


_SHAPES_RE = re.compile(r"^(One|Two|Three|Four) (\w+) (circle|square|triangle)s? on a white background\.")
_WORD_RE = re.compile(r'^The word "([A-Z]+)" in black letters on a (\w+) background\.')


def score(picture: Picture, text: str) -> dict[str, bool]:
    """Per-attribute correctness of a generated description (False where it does not parse)."""
    text = text.strip()
    if picture.kind == "shapes":
        m = _SHAPES_RE.match(text)
        got = (COUNT_WORDS.index(m.group(1)) + 1, m.group(2), m.group(3)) if m else (0, "", "")
        result = {"count": got[0] == picture.count, "colour": got[1] == picture.colour, "shape": got[2] == picture.shape}
    else:
        m = _WORD_RE.match(text)
        got = (m.group(1), m.group(2)) if m else ("", "")
        result = {"word": got[0] == picture.word, "colour": got[1] == picture.colour}
    result["all"] = all(result.values())
    return result
