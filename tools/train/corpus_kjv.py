"""The King James Version text (public domain) from Debian's `bible-kjv-text`, read through its `bible` program.

Install: apt-get install bible-kjv bible-kjv-text   (see README.md / DATA.md)
Whole books are held out for evaluation (bits per byte, and the filler of the long-document tests).
"""
from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass

HELD_OUT_BOOKS = {"Ruth", "Est", "Jonah", "Mic", "Phi", "Jas", "Jude"}
_VERSE = re.compile(r"^(\d?[A-Za-z]+)(\d+):(\d+) (.*)$")


@dataclass(frozen=True)
class Verse:
    book: str
    chapter: int
    verse: int
    text: str


def read_verses() -> list[Verse]:
    exe = shutil.which("bible")
    if exe is None:
        raise SystemExit("the `bible` program is missing: apt-get install bible-kjv bible-kjv-text")
    out = subprocess.run([exe, "-f", "gen1:1-rev22:21"], check=True, capture_output=True, text=True).stdout
    verses = []
    for line in out.splitlines():
        m = _VERSE.match(line)
        if not m:
            raise ValueError(f"unexpected line from bible: {line[:80]!r}")
        verses.append(Verse(m.group(1), int(m.group(2)), int(m.group(3)), m.group(4).strip()))
    if len(verses) != 31102:
        raise ValueError(f"expected 31102 verses (KJV), got {len(verses)}")
    return verses


def split(verses: list[Verse]) -> tuple[list[Verse], list[Verse]]:
    train = [v for v in verses if v.book not in HELD_OUT_BOOKS]
    held = [v for v in verses if v.book in HELD_OUT_BOOKS]
    return train, held


def chapters(verses: list[Verse]) -> list[str]:
    """Plain prose, one string per chapter (verses joined by spaces, no references)."""
    out, current, key = [], [], None
    for v in verses:
        if (v.book, v.chapter) != key and current:
            out.append(" ".join(current))
            current = []
        key = (v.book, v.chapter)
        current.append(v.text)
    if current:
        out.append(" ".join(current))
    return out
