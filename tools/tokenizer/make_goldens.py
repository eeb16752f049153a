#!/usr/bin/env python3
"""Writes the tokenizer goldens under tests/data/tokenizer/ from reference Python implementations:

  qwen3_encode.json     Qwen3 tokenizer.json through `tokenizers`
  gpt2_encode.json      GPT-2 vocab.json + merges.txt through transformers' GPT2Tokenizer
  world_encode.json     RWKV World through the `rwkv` package's TRIE_TOKENIZER (the reference)
  features/*.json       small byte-level BPE tokenizers trained here, each exercising tokenizer.json
                        features the real files above do not (legacy merges, prefix space, lstrip /
                        rstrip / single_word / normalized added tokens, every Split behaviour, invert,
                        Digits, NFKC + Lowercase, ignore_merges), with their goldens
  rwkv_gguf_repr.json   how llama.cpp's converter writes RWKV tokens into GGUF (repr(bytes)[2:-1]) for a
                        sample of the World vocabulary, every token with a quote or backslash included
  chat_templates.json   Qwen3, MiniMax-M1 and ChatML prompts rendered by transformers'
                        apply_chat_template (Jinja2), plus the Qwen3 ids of each prompt

"Special tokens as text" (the C++ encode(text, allow_special=false)) is produced by setting
`encode_special_tokens = True` on the `tokenizers` object: special added tokens are then not
matched and go through normalization, pre-tokenization and BPE like any other text, while
non-special added tokens (Qwen's <think>, <tool_call>) are still matched.

Usage (from the repository root):
  python3 -m venv .venv-tok && .venv-tok/bin/pip install -r tools/tokenizer/requirements.txt
  .venv-tok/bin/python tools/tokenizer/make_goldens.py [--testdata ../shared/testdata]
"""

import argparse
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import corpus  # noqa: E402

import tokenizers  # noqa: E402
import transformers  # noqa: E402
from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
OUT = os.path.join(ROOT, "tests", "data", "tokenizer")


def write_json(name, document):
    """One case per line: small diffs when regenerated, still valid JSON."""
    path = os.path.join(OUT, name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    cases = document.pop("cases", None)
    with open(path, "w", encoding="utf-8") as f:
        head = json.dumps(document, ensure_ascii=False, indent=1)
        if cases is None:
            f.write(head + "\n")
            return
        f.write(head[:-2] + ',\n "cases": [\n')
        f.write(",\n".join("  " + json.dumps(c, ensure_ascii=False, separators=(",", ":")) for c in cases))
        f.write("\n ]\n}\n")
    print(f"wrote {os.path.relpath(path, ROOT)} ({len(cases)} cases)")


def encode_cases(tok, strings):
    """ids with special tokens recognised, ids with them as text (when different), decoded text
    (when different from the input: normalization, stripped whitespace)."""
    cases = []
    for text in strings:
        tok.encode_special_tokens = False
        ids = tok.encode(text, add_special_tokens=False).ids
        tok.encode_special_tokens = True
        plain = tok.encode(text, add_special_tokens=False).ids
        tok.encode_special_tokens = False
        case = {"text": text, "ids": ids}
        if plain != ids:
            case["ids_special_as_text"] = plain
        decoded = tok.decode(ids, skip_special_tokens=False)
        if decoded != text:
            case["decoded"] = decoded
        cases.append(case)
    return cases


def versions():
    return {"tokenizers": tokenizers.__version__, "transformers": transformers.__version__}


def qwen3(testdata):
    tok = Tokenizer.from_file(os.path.join(testdata, "qwen3-tokenizer", "tokenizer.json"))
    write_json("qwen3_encode.json", {
        "tokenizer": "qwen3-tokenizer/tokenizer.json",
        "reference": versions(),
        "cases": encode_cases(tok, corpus.golden_strings()),
    })


def gpt2(testdata):
    tok = transformers.GPT2Tokenizer.from_pretrained(os.path.join(testdata, "gpt2-bpe"))
    backend = tok.backend_tokenizer  # what GPT2Tokenizer encodes with; exposes encode_special_tokens
    cases = encode_cases(backend, corpus.golden_strings())
    for case in cases:  # cross-check the backend against the transformers front end
        assert tok.encode(case["text"]) == case["ids"], case["text"]
    write_json("gpt2_encode.json", {
        "tokenizer": "gpt2-bpe/vocab.json + merges.txt",
        "reference": versions(),
        "cases": cases,
    })


def world(testdata):
    from rwkv.rwkv_tokenizer import TRIE_TOKENIZER
    import rwkv
    vocab = os.path.join(os.path.dirname(rwkv.__file__), "rwkv_vocab_v20230424.txt")
    with open(vocab, encoding="utf-8") as a, open(os.path.join(testdata, "rwkv-world", "rwkv_vocab_v20230424.txt"),
                                                  encoding="utf-8") as b:
        assert a.read().replace("\r\n", "\n") == b.read(), "the rwkv package's vocabulary differs from testdata's"
    tok = TRIE_TOKENIZER(vocab)
    cases = []
    for text in corpus.golden_strings():
        ids = tok.encode(text)
        assert tok.decode(ids) == text
        cases.append({"text": text, "ids": ids})
    write_json("world_encode.json", {
        "tokenizer": "rwkv-world/rwkv_vocab_v20230424.txt",
        "reference": {"rwkv": "0.8.32 rwkv_tokenizer.TRIE_TOKENIZER"},
        "cases": cases,
    })


def rwkv_gguf_repr(testdata):
    """repr(bytes)[2:-1] of World tokens, as convert_hf_to_gguf.py stores them for tokenizer.ggml.model
    "rwkv": the C++ parser must turn each back into the bytes."""
    import ast
    cases = []
    with open(os.path.join(testdata, "rwkv-world", "rwkv_vocab_v20230424.txt"), encoding="utf-8") as f:
        for line in f:
            parts = line.rstrip("\n").split(" ")
            token = ast.literal_eval(" ".join(parts[1:-1]))
            token = token.encode("utf-8") if isinstance(token, str) else token
            token_id = int(parts[0])
            tricky = any(c in token for c in b"'\"\\") or token_id <= 256
            if tricky or token_id % 97 == 0:
                cases.append({"id": token_id, "repr": repr(token)[2:-1], "hex": token.hex()})
    write_json("rwkv_gguf_repr.json", {"source": "rwkv-world/rwkv_vocab_v20230424.txt", "cases": cases})


FEATURE_STRINGS = corpus.LATIN[:6] + corpus.CODE[:4] + corpus.WHITESPACE[:16] + corpus.CONTRACTIONS + [
    "a <mask> b", "a<mask>b", "  <mask>  x", "<mask><mask>", "[R]   next", "x [R]\n\ny", "[R][R] [R]",
    "word words sword word. (word) _word word_", "keyword word", "Ａ ＷＯＲＤ ｆｕｌｌｗｉｄｔｈ", "HELLO there, hello; Hello!",
    "well-known self-evident x-ray", "a,b;c , d ; e", "xxx axb xx", "123 4567 89", "ＨＥＬＬＯ１２３", "ﬁne ﬂour Ⅻ",
    "<X> special <X>", "e\u0301te\u0301 Ω", "dots. in. sentences.", "tabs\t\tand  spaces  ", "CamelCaseWords",
    "", "x", " ", "\n", "hello<|mask|>", "ΣΊΣΥΦΟΣ ΟΔΟΣ", "İstanbul’da İİ ΣΑΣ Σ",
]

CHATML_TEMPLATE = ("{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + "
                   "'<|im_end|>' + '\\n'}}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}"
                   "{% endif %}")


def features():
    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(vocab_size=700, initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
                                  show_progress=False)
    training = corpus.golden_strings() * 3 + FEATURE_STRINGS * 5 + [corpus.PROSE] * 10
    tok.train_from_iterator(training, trainer)
    base = json.loads(tok.to_str())
    size = len(base["model"]["vocab"])

    def added_tokens(*specs):
        """`tokenizers` gives an added token that is already in the vocabulary its vocabulary id and
        numbers the others from the vocabulary size on, whatever the file says: write those ids."""
        tokens = []
        next_id = size
        for content, special, flags in specs:
            if content in base["model"]["vocab"]:
                token_id = base["model"]["vocab"][content]
            else:
                token_id, next_id = next_id, next_id + 1
            token = {"id": token_id, "content": content, "single_word": False, "lstrip": False, "rstrip": False,
                     "normalized": not special, "special": special}
            token.update(flags)
            tokens.append(token)
        return tokens

    def split(pattern, behavior, invert=False, literal=False):
        return {"type": "Split", "pattern": {"String" if literal else "Regex": pattern}, "behavior": behavior,
                "invert": invert}

    def byte_level(add_prefix_space, use_regex):
        return {"type": "ByteLevel", "add_prefix_space": add_prefix_space, "trim_offsets": True,
                "use_regex": use_regex}

    variants = {}

    v = json.loads(json.dumps(base))
    v["pre_tokenizer"] = byte_level(True, True)
    v["model"]["merges"] = [" ".join(pair) for pair in v["model"]["merges"]]  # the older "a b" form
    v["added_tokens"] = added_tokens(("<mask>", True, {"lstrip": True}), ("[R]", True, {"rstrip": True}),
                                     ("word", False, {"single_word": True}), ("<|mask|>", True, {}))
    variants["prefix_space_legacy_merges"] = v

    v = json.loads(json.dumps(base))
    v["normalizer"] = {"type": "Sequence", "normalizers": [{"type": "NFKC"}, {"type": "Lowercase"}]}
    v["pre_tokenizer"] = {"type": "Sequence", "pretokenizers": [
        split("-", "MergedWithPrevious", literal=True), split("[,;]", "MergedWithNext"), split("x+", "Removed"),
        split("\\s+", "Contiguous"), {"type": "Digits", "individual_digits": True}, byte_level(False, False)]}
    v["added_tokens"] = added_tokens(("HELLO", False, {"normalized": True}), ("<X>", True, {}))
    variants["split_behaviours_nfkc_lowercase"] = v

    v = json.loads(json.dumps(base))
    v["model"]["ignore_merges"] = True
    v["normalizer"] = {"type": "NFD"}
    v["pre_tokenizer"] = {"type": "Sequence", "pretokenizers": [
        split("\\p{L}+", "MergedWithNext", invert=True), split("\\.", "Isolated", invert=True),
        {"type": "Digits", "individual_digits": False}, byte_level(True, True)]}
    v["added_tokens"] = added_tokens(("<X>", True, {"lstrip": True, "rstrip": True}))
    variants["ignore_merges_invert_nfd"] = v

    cases_by_variant = {}
    for name, document in variants.items():
        text = json.dumps(document, ensure_ascii=False)
        path = os.path.join(OUT, "features", name + ".tokenizer.json")
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        cases_by_variant[name] = encode_cases(Tokenizer.from_str(text), FEATURE_STRINGS)
    for name, cases in cases_by_variant.items():
        write_json(os.path.join("features", name + ".goldens.json"), {
            "tokenizer": "tests/data/tokenizer/features/" + name + ".tokenizer.json",
            "reference": versions(),
            "cases": cases,
        })


def chat_templates(testdata):
    qwen = transformers.AutoTokenizer.from_pretrained(os.path.join(testdata, "qwen3-tokenizer"))
    with open(os.path.join(testdata, "minimax-m1", "tokenizer_config.json"), encoding="utf-8") as f:
        minimax_template = json.load(f)["chat_template"]
    plain = transformers.GPT2Tokenizer.from_pretrained(os.path.join(testdata, "gpt2-bpe"))

    think = "<think>\nThe user greets me.\n</think>\n\nHello! How can I help?"
    conversations = {
        "single user": [{"role": "user", "content": "Hi there"}],
        "system and user": [{"role": "system", "content": "You are terse."}, {"role": "user", "content": "Why?"}],
        "multi-turn": [
            {"role": "system", "content": "Be kind.\nAlways."},
            {"role": "user", "content": "Hello"},
            {"role": "assistant", "content": "Hi! What do you need?"},
            {"role": "user", "content": "A poem\n\nabout  rivers."},
        ],
        "assistant thinking in history": [
            {"role": "user", "content": "Hello"},
            {"role": "assistant", "content": think},
            {"role": "user", "content": "And again?"},
        ],
        "ends with thinking assistant": [
            {"role": "user", "content": "Hello"},
            {"role": "assistant", "content": think},
        ],
        "reasoning_content given": [
            {"role": "user", "content": "2+2?"},
            {"role": "assistant", "content": "4", "reasoning_content": "\nSimple sum.\n"},
        ],
        "tool results": [
            {"role": "user", "content": "Weather in Paris?"},
            {"role": "assistant", "content": "Let me check."},
            {"role": "tool", "content": "{\"temp\": 21}", "name": "weather"},
            {"role": "tool", "content": "sunny", "name": "sky"},
        ],
        "second system message": [
            {"role": "system", "content": "First."},
            {"role": "user", "content": "u"},
            {"role": "system", "content": "Second."},
        ],
        "unicode content": [{"role": "user", "content": "你好 👋 <not special> Привет"}],
    }

    def minimax_form(messages):
        out = []
        for m in messages:
            if m["role"] == "tool":
                out.append({"role": "tool", "content": [{"name": m["name"], "text": m["content"]}]})
            else:
                out.append({"role": m["role"], "content": [{"type": "text", "text": m["content"]}]})
        return out

    cases = []
    for name, messages in conversations.items():
        for generation_prompt in (True, False):
            options = [None, False] if generation_prompt else [None]
            for enable_thinking in options:
                kwargs = {} if enable_thinking is None else {"enable_thinking": enable_thinking}
                prompt = qwen.apply_chat_template(messages, tokenize=False, add_generation_prompt=generation_prompt,
                                                  **kwargs)
                case = {"family": "qwen3", "name": name, "messages": messages,
                        "add_generation_prompt": generation_prompt, "expected": prompt,
                        "ids": qwen.encode(prompt, add_special_tokens=False)}
                if enable_thinking is not None:
                    case["enable_thinking"] = enable_thinking
                cases.append(case)
            # MiniMax's template handles tools only through a tools list; its tool-role messages are
            # rendered here as the template defines them.
            cases.append({"family": "minimax", "name": name, "messages": messages,
                          "add_generation_prompt": generation_prompt,
                          "expected": plain.apply_chat_template(minimax_form(messages), tokenize=False,
                                                                add_generation_prompt=generation_prompt,
                                                                chat_template=minimax_template)})
            if all(m["role"] != "tool" for m in messages):
                cases.append({"family": "chatml", "name": name, "messages": messages,
                              "add_generation_prompt": generation_prompt,
                              "expected": plain.apply_chat_template(messages, tokenize=False,
                                                                    add_generation_prompt=generation_prompt,
                                                                    chat_template=CHATML_TEMPLATE)})
    write_json("chat_templates.json", {
        "reference": versions() | {"jinja2": __import__("jinja2").__version__},
        "chatml_template": CHATML_TEMPLATE,
        "cases": cases,
    })


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--testdata", default=os.path.join(ROOT, "..", "shared", "testdata"))
    args = parser.parse_args()
    qwen3(args.testdata)
    gpt2(args.testdata)
    world(args.testdata)
    rwkv_gguf_repr(args.testdata)
    features()
    chat_templates(args.testdata)


if __name__ == "__main__":
    main()
