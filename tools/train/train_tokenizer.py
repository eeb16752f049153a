#!/usr/bin/env python3
"""Trains the byte-level BPE tokenizer (GPT-2 style, as MiniMax ships: vocab.json + merges.txt) on the
training data, and writes vocab.json, merges.txt, tokenizer.json and tokenizer_config.json.

Digits never merge: the trainer sees every digit as its own piece, so no merge involving a digit
is learned; the shipped tokenizer then uses the plain GPT-2 pre-tokenizer regex and still splits
every number into single digits (one token per digit makes pass keys and arithmetic learnable).
The special tokens take the last ids, after the BPE vocabulary, as in MiniMax's own vocabulary.

Usage: .venv-train/bin/python tools/train/train_tokenizer.py --out build/train/tokenizer [--vocab-size 4096]
"""
from __future__ import annotations

import argparse
import json
import random
from pathlib import Path

from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers

import chat_format
import corpus_kjv
import long_document_tasks
import synthetic_chat
import synthetic_images

SEED = 1234


def corpus_lines(train_verses: list[corpus_kjv.Verse]) -> list[str]:
    rng = random.Random(SEED)
    lines = corpus_kjv.chapters(train_verses)
    words = [w for v in train_verses[:3000] for w in v.text.split()]
    for _ in range(20000):
        for role, text in synthetic_chat.conversation(rng, words):
            lines.append(text)
    for _ in range(4000):
        pic = synthetic_images.draw_shapes(rng, 56) if rng.random() < 0.75 else None
        lines.append(pic.description() if pic else
                     f'The word "{rng.choice(synthetic_images.WORDS)}" in black letters on a '
                     f'{rng.choice(synthetic_images.BACKGROUND_COLOURS)} background.')
        lines += list(synthetic_images.DESCRIBE_PROMPTS)
    verses = [v.text for v in train_verses]
    for _ in range(4000):
        task = long_document_tasks.make_task(rng, verses, 20, lambda s: len(s.split()))
        lines += [task.question, task.answer]
    return lines


def special_token_ids(bpe_size: int) -> dict[str, int]:
    return {tok: bpe_size + i for i, tok in enumerate(chat_format.SPECIAL_TOKENS)}


def build(lines: list[str], vocab_size: int, out: Path) -> Tokenizer:
    bpe_size = vocab_size - len(chat_format.SPECIAL_TOKENS)
    trainer_tok = Tokenizer(models.BPE())
    trainer_tok.pre_tokenizer = pre_tokenizers.Sequence([
        pre_tokenizers.Digits(individual_digits=True),
        pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=True),
    ])
    trainer = trainers.BpeTrainer(vocab_size=bpe_size, min_frequency=2, show_progress=False,
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet(), special_tokens=[])
    trainer_tok.train_from_iterator(lines, trainer=trainer)
    out.mkdir(parents=True, exist_ok=True)
    trainer_tok.model.save(str(out))  # vocab.json + merges.txt ("#version: 0.2" header)

    vocab = json.loads((out / "vocab.json").read_text())
    if len(vocab) != bpe_size:
        raise RuntimeError(f"BPE vocabulary has {len(vocab)} entries, expected {bpe_size}")
    vocab.update(special_token_ids(bpe_size))
    (out / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False))
    merges = [l for l in (out / "merges.txt").read_text().splitlines()[1:] if l]
    if any(any(c.isdigit() for c in m) for m in merges):
        raise RuntimeError("a merge involves a digit")

    tok = Tokenizer(models.BPE(vocab=vocab, merges=[tuple(m.split(" ")) for m in merges]))
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=True)
    tok.decoder = decoders.ByteLevel()
    tok.add_special_tokens(chat_format.SPECIAL_TOKENS)
    tok.save(str(out / "tokenizer.json"))
    write_tokenizer_config(out, bpe_size)
    return tok


def write_tokenizer_config(out: Path, bpe_size: int) -> None:
    ids = special_token_ids(bpe_size)
    config = {
        "add_prefix_space": False,
        "bos_token": chat_format.BOS,
        "eos_token": chat_format.EOS,
        "unk_token": chat_format.END_OF_DOCUMENT,
        "additional_special_tokens": [chat_format.BEGIN_OF_DOCUMENT, chat_format.IMAGE],
        "clean_up_tokenization_spaces": False,
        "model_max_length": 40960000,
        "tokenizer_class": "GPT2Tokenizer",
        "added_tokens_decoder": {
            str(i): {"content": t, "lstrip": False, "normalized": False, "rstrip": False, "single_word": False,
                     "special": True} for t, i in ids.items()
        },
        "chat_template": chat_format.CHAT_TEMPLATE,
    }
    (out / "tokenizer_config.json").write_text(json.dumps(config, indent=2, ensure_ascii=False) + "\n")


def check(out: Path, tok: Tokenizer) -> None:
    """The files read back by transformers' GPT2Tokenizer give the same ids and chat rendering."""
    from transformers import AutoTokenizer

    hf = AutoTokenizer.from_pretrained(str(out))
    msgs = [("system", "Answer briefly."), ("user", "<image>\nThe pass key is 71432. What is 12 + 7?"),
            ("assistant", "It's 19.")]
    text = chat_format.render(msgs, add_generation_prompt=True)
    ours = tok.encode(text).ids
    theirs = hf(text, add_special_tokens=False)["input_ids"]
    if ours != theirs:
        raise RuntimeError(f"tokenizers vs transformers ids differ:\n{ours}\n{theirs}")
    hf_msgs = [{"role": r, "content": [{"type": "text", "text": t}]} for r, t in msgs]
    rendered = hf.apply_chat_template(hf_msgs, tokenize=False, add_generation_prompt=True)
    if rendered != text:
        raise RuntimeError(f"chat template rendering differs:\n{rendered!r}\n{text!r}")
    digits = [tok.id_to_token(i) for i in tok.encode(" 71432").ids]
    if digits != ["Ġ", "7", "1", "4", "3", "2"]:
        raise RuntimeError(f"digits are not split one per token: {digits}")
    print(f"tokenizer check ok: {len(ours)} ids identical in tokenizers and transformers; chat template identical")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--vocab-size", type=int, default=4096)
    args = parser.parse_args()
    train_verses, _ = corpus_kjv.split(corpus_kjv.read_verses())
    lines = corpus_lines(train_verses)
    tok = build(lines, args.vocab_size, args.out)
    check(args.out, tok)
    print(f"wrote {args.out}: vocab {tok.get_vocab_size()} ({len(lines)} training lines)")


if __name__ == "__main__":
    main()
