#!/usr/bin/env bash
# Encoding speed: Linea's tokenizer against the Python `tokenizers` package (Rust) on the same few
# MB of mixed text (tools/tokenizer/corpus.py: many scripts, code, whitespace, emoji), one thread
# each, in the same run. Prints MB/s for both, the ratio, and whether the ids agree.
#
#   tools/tokenizer/bench_tokenizer.sh [BUILD_DIR] [MEGABYTES] [TOKENIZER]
#     BUILD_DIR  default build/tok (must contain tests/bin/bench_tokenizer)
#     MEGABYTES  default 4
#     TOKENIZER  a tokenizer.json or a folder with vocab.json + merges.txt;
#                default ../shared/testdata/qwen3-tokenizer/tokenizer.json
# Needs the virtual environment of tools/tokenizer/requirements.txt in .venv-tok (or $PYTHON).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
build="${1:-$root/build/tok}"
megabytes="${2:-4}"
tokenizer="${3:-$root/../shared/testdata/qwen3-tokenizer/tokenizer.json}"
python="${PYTHON:-$root/.venv-tok/bin/python}"
bench="$build/tests/bin/bench_tokenizer"
[ -x "$bench" ] || { echo "bench_tokenizer: build it first: cmake --build $build --target bench_tokenizer" >&2; exit 1; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
text="$work/text.txt"
"$python" - "$root/tools/tokenizer" "$megabytes" "$text" <<'PY'
import sys
sys.path.insert(0, sys.argv[1])
import corpus
with open(sys.argv[3], "w", encoding="utf-8") as f:
    f.write(corpus.benchmark_text(float(sys.argv[2])))
PY

echo "== Linea (C++) =="
"$bench" "$tokenizer" "$text" 3 | tee "$work/cpp.txt"

echo "== tokenizers (Python package, Rust) =="
RAYON_NUM_THREADS=1 TOKENIZERS_PARALLELISM=false "$python" - "$tokenizer" "$text" <<'PY' | tee "$work/py.txt"
import os, sys, time
import tokenizers
from tokenizers import Tokenizer
path, text_path = sys.argv[1], sys.argv[2]
if os.path.isdir(path):
    from tokenizers import decoders, models, pre_tokenizers
    tok = Tokenizer(models.BPE.from_file(os.path.join(path, "vocab.json"), os.path.join(path, "merges.txt")))
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
else:
    tok = Tokenizer.from_file(path)
text = open(text_path, encoding="utf-8", newline="").read()  # newline="": keep \r\n as written
megabytes = len(text.encode("utf-8")) / 1e6
lines = []
start = 0
while start < len(text):  # split after each "\n" only, as the C++ side does
    end = text.find("\n", start)
    end = len(text) if end < 0 else end + 1
    lines.append(text[start:end])
    start = end
print(f"tokenizers {tokenizers.__version__}; text {megabytes:.2f} MB, {len(lines)} lines")


def fnv1a(ids):
    h = 1469598103934665603
    for c in ",".join(map(str, ids)).encode():
        h = ((h ^ c) * 1099511628211) % (1 << 64)
    return h


for mode in ("whole", "lines"):
    rates = []
    for n in range(3):
        start = time.perf_counter()
        if mode == "whole":
            ids = tok.encode(text, add_special_tokens=False).ids
        else:  # encode_batch: one call, no Python loop per line; RAYON_NUM_THREADS=1 keeps it on one thread
            ids = [i for encoding in tok.encode_batch(lines, add_special_tokens=False) for i in encoding.ids]
        seconds = time.perf_counter() - start
        rates.append(megabytes / seconds)
        print(f"{mode} pass {n + 1}: {seconds:.3f} s, {rates[-1]:.2f} MB/s, {len(ids)} tokens")
    print(f"{mode}: cold_mb_s={rates[0]:.2f} best_mb_s={max(rates):.2f} tokens={len(ids)} fnv1a={fnv1a(ids):016x}")
PY

summary() { grep "^$2:" "$1" | grep -o "$3=[^ ]*" | cut -d= -f2; }
echo "== summary ($megabytes MB, $(basename "$tokenizer"), one thread each) =="
for mode in whole lines; do
  for field in cold_mb_s best_mb_s; do
    cpp=$(summary "$work/cpp.txt" $mode $field); py=$(summary "$work/py.txt" $mode $field)
    printf '%-5s %-9s Linea %8s MB/s   tokenizers %8s MB/s   ratio %.2f\n' "$mode" "${field%_mb_s}" "$cpp" "$py" \
      "$(echo "$cpp / $py" | bc -l)"
  done
  same=no
  [ "$(summary "$work/cpp.txt" $mode fnv1a)" = "$(summary "$work/py.txt" $mode fnv1a)" ] && same=yes
  echo "$mode: identical ids: $same ($(summary "$work/cpp.txt" $mode tokens) tokens)"
done
