"""Test strings for the tokenizer goldens and the benchmark: many scripts, code, whitespace runs,
emoji, numbers, contractions, special tokens and text that Unicode normalization changes.

Deterministic: the random part uses a fixed seed, so regenerating gives the same strings."""

import random

LATIN = [
    "Hello, world!",
    "The quick brown fox jumps over the lazy dog.",
    "A journey of a thousand miles begins with a single step.",
    "Ça va? Très bien, merci. L'été dernier, nous sommes allés à Montréal.",
    "Größere Übungen für schöne Äpfel: Straße, Maß, heißen.",
    "¿Dónde está la biblioteca? ¡Está allí, señor Núñez!",
    "Tiếng Việt có nhiều dấu: người, đường, phở, nước mắm.",
    "Zażółć gęślą jaźń. Pchnąć w tę łódź jeża lub ośm skrzyń fig.",
    "İstanbul'da ılık bir gün; şemsiye, çay ve simit.",
    "Ångström, Øresund, Æsir — Dansk og Norsk bogstaver.",
    "Þetta er góður dagur til að læra eitthvað nýtt.",
    "Mā te whakawhiti kōrero e whai hua ai tātou.",
    "naïve café résumé coöperate façade jalapeño",
    "UPPERCASE lowercase MiXeD CaSe",
    "e-mail: someone@example.com, URL: https://example.org/path?q=1&r=2#frag",
]

CYRILLIC_GREEK = [
    "Привет, мир! Как дела?",
    "Съешь же ещё этих мягких французских булок, да выпей чаю.",
    "Філософія - це наука про знання.",
    "Каква е твоята любима храна?",
    "Είναι μια ηλιόλουστη ημέρα στην Ελλάδα.",
    "Ξεσκεπάζω την ψυχοφθόρα βδελυγμία.",
    "ΑΒΓΔΕ αβγδε ΣΙΣΥΦΟΣ σίσυφος",
]

RTL = [
    "مرحبا بالعالم! كيف حالك اليوم؟",
    "دیکھو، آسمان میں کتنی تارے ہیں!",
    "الحروف العربية مع التشكيل: مُحَمَّدٌ رَسُولُ",
    "שלום עולם! מה שלומך?",
    "יש לי כמה שאלות בנוגע לפרויקט החדש שלך.",
    "mixed עברית and English و العربية in one line",
]

INDIC_THAI = [
    "नमस्ते दुनिया! आप कैसे हैं?",
    "हिन्दी में संयुक्ताक्षर: क्ष, त्र, ज्ञ, श्र।",
    "ભારત એક વિશાળ દેશ છે.",
    "বাংলা ভাষা সুন্দর।",
    "ความรักและการเป็นกันเองเป็นสิ่งสำคัญที่สุดในโลก",
    "ภาษาไทยไม่มีการเว้นวรรคระหว่างคำ",
    "தமிழ் ஒரு பழமையான மொழி.",
]

CJK = [
    "你好，世界！今天天气很好。",
    "我们在北京大学学习自然语言处理。",
    "這是繁體中文的句子，包含標點符號。",
    "こんにちは、世界！お元気ですか？",
    "日本語の文章にはひらがな、カタカナ、漢字が混在します。",
    "ｶﾀｶﾅ半角 と 全角ＡＢＣ１２３",
    "안녕하세요, 세상! 오늘 기분이 어때요?",
    "한국어 문장은 띄어쓰기를 사용합니다.",
    "中文English混合123テスト한국어",
    "「引用」『二重』【括弧】〈山括弧〉",
]

CODE = [
    "def fib(n):\n    return n if n < 2 else fib(n - 1) + fib(n - 2)\n",
    "for (int i = 0; i < n; ++i) {\n\tsum += a[i] * b[i];\n}\n",
    "#include <vector>\nint main() { std::vector<int> v{1, 2, 3}; return v.size(); }",
    "fn main() {\n    let xs: Vec<u32> = (0..10).map(|x| x * x).collect();\n    println!(\"{:?}\", xs);\n}",
    "const add = (a, b) => a + b;\nconsole.log(`sum: ${add(1, 2)}`);",
    "func main() {\n\tfmt.Println(\"hello\")\n}\n",
    "SELECT name, COUNT(*) FROM users WHERE age >= 18 GROUP BY name ORDER BY 2 DESC;",
    "if [ -f \"$HOME/.bashrc\" ]; then\n  source \"$HOME/.bashrc\"\nfi",
    "<div class=\"note\"><p>Hello &amp; welcome</p></div>",
    "{\"key\": [1, 2.5, -3e10, true, null], \"nested\": {\"a\": \"b\"}}",
    "    indented_line = value  # comment\n        deeper = 2\n",
    "x+=1;y-=2;z*=3;w/=4;a%=5;b<<=1;c>>=2;d&&e||!f",
    "public static void main(String[] args) throws IOException {}",
    "lambda x: x**2 if x>0 else -x",
    "@decorator\nclass Foo(Base, metaclass=Meta):\n    pass\n",
]

WHITESPACE = [
    " ",
    "  ",
    "\t",
    "\n",
    "\n\n",
    "\r\n",
    " \n ",
    "a  b",
    "a   b",
    "a    b    c",
    "trailing space ",
    "trailing spaces   ",
    " leading space",
    "   leading spaces",
    "tabs\tbetween\twords",
    "\t\t\tthree tabs",
    "mixed \t \n\t\n  whitespace",
    "line1\nline2\n\nline4\n\n\n",
    "windows\r\nline\r\nendings",
    "nbsp\u00a0here",
    "ideographic\u3000space",
    "em\u2003space",
    "\u2028line separator",
    "word\u200bzero width",
]
WHITESPACE += [" " * n for n in (3, 7, 15, 31, 64)]
WHITESPACE += ["x" + " " * n + "y" for n in (5, 16, 33)]
WHITESPACE += ["\n" * n for n in (3, 8)]
WHITESPACE += ["a" + "\t " * 6 + "b", " \t\n\r\x0b\x0c end"]

EMOJI = [
    "😀",
    "Hello 🌍!",
    "😊😀😁😂🤣😃😄😅😆😉",
    "👨\u200d👩\u200d👧\u200d👦 family",
    "👩\u200d💻 coding, 🧑\u200d🚀 space",
    "🇩🇪🇫🇷🇯🇵🇺🇸 flags",
    "👍🏽 👋🏿 skin tones",
    "#️⃣ 1️⃣ keycaps",
    "❤️ ☺️ ✨ ⭐️ variation selectors",
    "🏳️\u200d🌈 rainbow flag",
]

NUMBERS = ["0", "7", "42", "-1", "3.14159", "1,000,000", "1e-9", "0x1F", "v1.2.3", "2024-06-30 12:34:56"]
NUMBERS += ["".join(str((i * 7 + k) % 10) for k in range(n)) for i, n in enumerate((2, 3, 4, 5, 6, 8, 10, 13, 17, 25, 40))]
NUMBERS += ["Call 555-0123 or +1 (800) 555-0199", "٣٤٥ arabic-indic digits", "१२३ devanagari digits", "Ⅻ roman ½ ¾ ²"]

CONTRACTIONS = [
    "I'm sure you're right, but they'll say we've lost.",
    "He'd've done it if he'd known.",
    "DON'T SHOUT, IT'S LOUD",
    "It’s a curly apostrophe: don’t, won’t.",
    "'s 't 're 've 'm 'll 'd",
    "rock 'n' roll, ma'am, o'clock",
    "the dog's bone and the dogs' bones",
]

SPECIAL = [
    "<|endoftext|>",
    "Hello<|endoftext|>world",
    "<|im_start|>user\nWhat is 2+2?<|im_end|>\n<|im_start|>assistant\n",
    "<|im_start|><|im_end|><|endoftext|>",
    "text <|im_start|> spaced <|im_end|> tokens",
    "<think>\nreasoning here\n</think>\n\nanswer",
    "<tool_call>\n{\"name\": \"f\", \"arguments\": {}}\n</tool_call>",
    "partial <|im_ and <|im_start| and im_end|>",
    "<|vision_start|><|image_pad|><|vision_end|>",
    "nested <<|endoftext|>> brackets",
    "<|endoftext|><|endoftext|>",
    "I'll 'd test блабла 以下は、]) -> <|endoftext|><|padding|> int",
]

NORMALIZATION = [
    "e\u0301te\u0301",  # decomposed é
    "A\u030angstro\u0308m",  # decomposed Å and ö
    "\u1100\u1161\u11a8",  # Hangul jamo that NFC composes into 각
    "ﬁne ﬂour",  # ligatures: NFC keeps them
    "Ω vs \u2126 ohm sign",
    "q\u0307\u0323 reordered marks",
    "\u0958 devanagari qa",
]

CONTROL = ["\x00", "a\x01b\x02c", "bell\x07tab\x09del\x7f", "esc\x1b[31mred\x1b[0m"]

PROSE = (
    "Linear attention keeps a fixed-size state per layer, so the cost of each new token does not grow "
    "with the length of the context. That makes it possible to read a whole book into the model at a "
    "steady rate, save what it has read as a small state file, and branch several conversations from it. "
    "Die Ausgabe erfolgt satzweise, während das Modell noch schreibt. 线性注意力在每一层保持固定大小的状态。"
)


def random_strings(count, seed=20240630):
    """Random mixtures of characters from many blocks, words and whitespace."""
    rng = random.Random(seed)
    blocks = [
        (0x20, 0x7E), (0xA0, 0x17F), (0x370, 0x3FF), (0x400, 0x4FF), (0x590, 0x5FF), (0x600, 0x6FF),
        (0x900, 0x97F), (0xE00, 0xE7F), (0x3040, 0x30FF), (0x4E00, 0x4FFF), (0xAC00, 0xAD00),
        (0x1F300, 0x1F64F), (0x2000, 0x206F), (0x2190, 0x22FF),
    ]
    words = ["the", "of", "and", "tokenizer", "state", "model", "Qwen", "RWKV", "数据", "слово", "λόγος", "123", "  ", "\n"]
    out = []
    for _ in range(count):
        parts = []
        for _ in range(rng.randint(1, 12)):
            roll = rng.random()
            if roll < 0.4:
                parts.append(rng.choice(words))
            elif roll < 0.55:
                parts.append(" " * rng.randint(1, 4))
            else:
                lo, hi = rng.choice(blocks)
                parts.append("".join(chr(rng.randint(lo, hi)) for _ in range(rng.randint(1, 6))))
        out.append("".join(parts))
    return out


def golden_strings():
    strings = (LATIN + CYRILLIC_GREEK + RTL + INDIC_THAI + CJK + CODE + WHITESPACE + EMOJI + NUMBERS + CONTRACTIONS
               + SPECIAL + NORMALIZATION + CONTROL + [PROSE, PROSE * 3, ""])
    strings += random_strings(330 - len(strings))
    return strings


def benchmark_text(megabytes, seed=7):
    """About `megabytes` MB of mixed text: the golden strings and prose, shuffled, one per line."""
    rng = random.Random(seed)
    pool = [s for s in golden_strings() if "<|" not in s] + random_strings(500, seed + 1)
    lines = []
    size = 0
    while size < megabytes * 1_000_000:
        line = rng.choice(pool)
        lines.append(line)
        size += len(line.encode("utf-8")) + 1
    return "\n".join(lines)
