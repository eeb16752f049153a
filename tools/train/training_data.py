"""Builds the training batches: rows of T+1 token ids mixing KJV prose, generated conversations,
long-document reading tasks and picture descriptions, in the MiniMax chat format.

Everything is a pure function of (seed, step), so a resumed run sees exactly the batches an
uninterrupted run would have seen. A sample never straddles two rows; the space left at the end
of a row is filled with KJV prose.
"""
from __future__ import annotations

import functools
import random
from dataclasses import dataclass, field
from pathlib import Path

import torch
from tokenizers import Tokenizer

import anyres
import chat_format
import corpus_kjv
import long_document_tasks
import synthetic_chat
import synthetic_images

ASSISTANT_WEIGHT = 3.0  # answers are few tokens among many; they carry the skills being taught
# The shipped model is judged on reading and pictures; prose is mostly the filler of the documents.
# Pictures need fewer samples than reading once the vision phase has taught the tower to see.
MIXTURE = {"document": 0.45, "image": 0.30, "chat": 0.15, "prose": 0.10}


@dataclass
class Sample:
    ids: list[int] = field(default_factory=list)
    weights: list[float] = field(default_factory=list)  # loss weight of each token as a prediction target
    images: list[tuple[torch.Tensor, tuple[int, int], tuple[int, int]]] = field(default_factory=list)

    def extend(self, ids: list[int], weight: float) -> None:
        self.ids += ids
        self.weights += [weight] * len(ids)


@dataclass
class Batch:
    ids: torch.Tensor  # [B, T+1] long
    weights: torch.Tensor  # [B, T+1] float; weights[:, 1:] weigh the targets ids[:, 1:]
    images: list  # (tiles, grid_hw, original_hw) in placeholder order, row-major


class DataBuilder:
    def __init__(self, tokenizer_dir: Path, seq_len: int, tile: int, patch: int, pinpoints: list[list[int]],
                 seed: int) -> None:
        self.tok = Tokenizer.from_file(str(tokenizer_dir / "tokenizer.json"))
        self.seq_len, self.tile, self.patch, self.pinpoints, self.seed = seq_len, tile, patch, pinpoints, seed
        self.image_id = self.tok.token_to_id(chat_format.IMAGE)
        self.bod_id = self.tok.token_to_id(chat_format.BEGIN_OF_DOCUMENT)
        train, held = corpus_kjv.split(corpus_kjv.read_verses())
        self.train_verses = [v.text for v in train]
        self.held_verses = [v.text for v in held]
        self.held_chapters = corpus_kjv.chapters(held)
        self.words = sorted({w.strip(".,;:?!()'").lower() for v in self.train_verses[:4000] for w in v.split()} - {""})
        stream: list[int] = []
        for chapter in corpus_kjv.chapters(train):
            stream.append(self.bod_id)
            stream += self.tok.encode(chapter).ids
        self.prose = stream

    @functools.lru_cache(maxsize=None)
    def count_tokens(self, text: str) -> int:
        return len(self.tok.encode(text).ids)

    def encode(self, text: str) -> list[int]:
        return self.tok.encode(text).ids

    # ---- samples -------------------------------------------------------------------------------

    def chat_sample(self, messages: list[tuple[str, str]], picture_tiles=None) -> Sample:
        s = Sample()
        for text, is_answer in chat_format.segments(messages):
            ids = self.encode(text)
            if picture_tiles is not None and self.image_id in ids:
                tiles, grid, original = picture_tiles
                n = anyres.image_token_count(original, self.tile, self.patch, self.pinpoints)
                at = ids.index(self.image_id)
                s.extend(ids[:at], 1.0)
                s.extend([self.image_id] * n, 0.0)  # placeholders: replaced by image features, never targets
                s.extend(ids[at + 1:], 1.0)
                s.images.append(picture_tiles)
                picture_tiles = None
            else:
                s.extend(ids, ASSISTANT_WEIGHT if is_answer else 1.0)
        return s

    def document_sample(self, rng: random.Random, room: int) -> Sample | None:
        if room < 120:
            return None
        target = rng.randint(48, room - 60)
        task = long_document_tasks.make_task(rng, self.train_verses, target, self.count_tokens)
        return self.chat_sample(task.messages())

    def picture_messages(self, rng: random.Random, picture: synthetic_images.Picture) -> list[tuple[str, str]]:
        messages = [("user", f"{chat_format.IMAGE}\n{rng.choice(synthetic_images.DESCRIBE_PROMPTS)}"),
                    ("assistant", picture.description())]
        if rng.random() < 0.3:
            question, answer = picture.follow_up(rng)
            messages += [("user", question), ("assistant", answer)]
        return messages

    def image_sample(self, rng: random.Random) -> Sample:
        picture = synthetic_images.draw(rng, self.tile)
        tiles = anyres.preprocess(picture.image, self.tile, self.pinpoints)
        return self.chat_sample(self.picture_messages(rng, picture), tiles)

    def prose_sample(self, rng: random.Random, length: int) -> Sample:
        start = rng.randrange(len(self.prose) - length)
        s = Sample()
        s.extend(self.prose[start:start + length], 1.0)
        return s

    # ---- rows and batches ----------------------------------------------------------------------

    def row(self, rng: random.Random) -> Sample:
        want = self.seq_len + 1
        row = Sample()
        while len(row.ids) < want:
            room = want - len(row.ids)
            kind = rng.choices(list(MIXTURE), weights=list(MIXTURE.values()))[0]
            if kind == "document":
                sample = self.document_sample(rng, room)
            elif kind == "image":
                sample = self.image_sample(rng)
            elif kind == "chat":
                sample = self.chat_sample(synthetic_chat.conversation(rng, self.words))
            else:
                sample = self.prose_sample(rng, min(room, rng.randint(64, 256)))
            if sample is None or len(sample.ids) > room:
                sample = self.prose_sample(rng, room)
            row.ids += sample.ids
            row.weights += sample.weights
            row.images += sample.images
        return row

    def batch(self, step: int, batch_size: int) -> Batch:
        rng = random.Random(self.seed * 1_000_003 + step)
        rows = [self.row(rng) for _ in range(batch_size)]
        ids = torch.tensor([r.ids for r in rows], dtype=torch.long)
        weights = torch.tensor([r.weights for r in rows], dtype=torch.float32)
        weights[:, 0] = 0.0  # the first token of a row is never a target
        return Batch(ids, weights, [img for r in rows for img in r.images])
