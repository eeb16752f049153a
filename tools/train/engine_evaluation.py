#!/usr/bin/env python3
"""The bundled model's evaluation through the C++ engine (`linea-cli evaluate`), written into its
model card. Python only drives the binary and formats the table; every number comes from the engine.

  * bits per byte on the held-out KJV chapters (tests/data/linea-tiny/eval/heldout-kjv.jsonl), next to
    our PyTorch model's value on the same file (goldens.json, tools/train/engine_goldens.py);
  * long-document reading at the trained length (eval/reading-256.jsonl: pass keys, numbers, dates;
    eval/passkey-256.jsonl: pass keys), asked directly and after the document's state went through a
    state file;
  * describing the 100 held-out pictures (eval/pictures.jsonl);
  * with --lengths: pass keys at longer lengths (sets generated into --work-dir, through a state file) -
    a benchmark of minutes to hours on a 2-core machine, not part of the tests.

Usage: .venv-train/bin/python tools/train/engine_evaluation.py --linea-cli build/release/bin/linea-cli \\
           [--model resources/models/linea-tiny] [--lengths 1024,4096,16384]
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
DATA = REPO / "tests/data/linea-tiny"
SECTION = "## Evaluation through the C++ engine"


def evaluate(cli: Path, model: Path, threads: int, *arguments: str) -> dict:
    started = time.time()
    done = subprocess.run([str(cli), "evaluate", *arguments, "--model", str(model), "--json", "--threads", str(threads)],
                          capture_output=True, text=True)
    if done.returncode not in (0, 1):
        raise SystemExit(f"linea-cli evaluate {' '.join(arguments)} failed:\n{done.stderr}")
    report = json.loads(done.stdout)
    print(f"{' '.join(arguments)}: {done.stderr.strip().splitlines()[-1] if done.stderr.strip() else ''} "
          f"({time.time() - started:.0f} s)", flush=True)
    return report


def reading_row(label: str, r: dict) -> str:
    prompts = [o["prompt_tokens"] for o in r["outcomes"]]
    kinds = ", ".join(f"{k} {v['correct']}/{v['tasks']}" for k, v in sorted(r["by_kind"].items()))
    return (f"| {label}: {r['tasks']} documents, prompts {min(prompts)}–{max(prompts)} tokens (mean "
            f"{sum(prompts) / len(prompts):.0f}) | {100 * r['accuracy']:.0f} % ({kinds}); exact answer "
            f"{100 * r['exact']:.0f} % |")


def section(results: dict, command: str) -> list[str]:
    bpb = results["bits_per_byte"]
    lines = [SECTION, "", "What Linea itself computes from the shipped bf16 files (`linea-cli evaluate`). Made by:", "", "```", command, "```", "", "| test | result |", "|---|---|",
             f"| bits per byte, held-out KJV ({bpb['texts']} chapters, {bpb['bytes']:,} bytes, {bpb['tokens']:,} tokens) | "
             f"{bpb['bits_per_byte']:.4f}; PyTorch {bpb['reference']:.4f} (relative difference {bpb['relative_difference']:.1e}) |",
             reading_row("reading (pass key, number, date) at the trained length", results["reading"]),
             reading_row("the same, asked after a state file", results["reading_through_state"]),
             reading_row("pass key at the trained length", results["passkey"]),
             reading_row("the same, asked after a state file", results["passkey_through_state"])]
    pictures = results["pictures"]
    kinds = ", ".join(f"{k} {v['correct']}/{v['tasks']}" for k, v in sorted(pictures["by_kind"].items()))
    lines.append(f"| describing held-out pictures ({pictures['tasks']}): the whole description right | "
                 f"{100 * pictures['accuracy']:.0f} % ({kinds}) |")
    for length, r in sorted(results.get("longer", {}).items(), key=lambda kv: int(kv[0])):
        lines.append(reading_row(f"pass key, {length}-token target, through a state file (benchmark)", r))
    wrong = [o for o in pictures["outcomes"] if not o["correct"]][:3] + \
        [o for o in results["reading"]["outcomes"] if not o["correct"]][:3]
    if wrong:
        lines += ["", "Some wrong answers:", ""]
        lines += [f"* expected “{o['expected']}” — got “{o['reply']}”" for o in wrong]
    return lines + [""]


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--linea-cli", type=Path, required=True)
    p.add_argument("--model", type=Path, default=REPO / "resources/models/linea-tiny")
    p.add_argument("--lengths", default="", help="longer reading sets, e.g. 1024,4096,16384")
    p.add_argument("--tasks", type=int, default=50, help="documents per longer length")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--work-dir", type=Path, default=REPO / "build/engine-evaluation")
    args = p.parse_args()
    args.work_dir.mkdir(parents=True, exist_ok=True)
    command = "python tools/train/engine_evaluation.py --linea-cli <build>/bin/linea-cli" + \
        (f" --lengths {args.lengths}" if args.lengths else "")
    reference = json.loads((DATA / "goldens.json").read_text())["heldout_bits_per_byte"]["bits_per_byte"]
    cli, model, threads = args.linea_cli, args.model, args.threads
    results = {
        "bits_per_byte": evaluate(cli, model, threads, "bits-per-byte", str(DATA / "eval/heldout-kjv.jsonl"),
                                  "--reference", repr(reference)),
        "reading": evaluate(cli, model, threads, "reading", str(DATA / "eval/reading-256.jsonl")),
        "reading_through_state": evaluate(cli, model, threads, "reading", str(DATA / "eval/reading-256.jsonl"),
                                          "--through-state"),
        "passkey": evaluate(cli, model, threads, "reading", str(DATA / "eval/passkey-256.jsonl")),
        "passkey_through_state": evaluate(cli, model, threads, "reading", str(DATA / "eval/passkey-256.jsonl"),
                                          "--through-state"),
        "pictures": evaluate(cli, model, threads, "pictures", str(DATA / "eval/pictures.jsonl")),
        "longer": {},
    }
    if args.lengths:
        subprocess.run([sys.executable, str(Path(__file__).with_name("evaluation_sets.py")), "--out", str(args.work_dir),
                        "--tokenizer", str(model / "tokenizer.json"), "--lengths", args.lengths, "--tasks",
                        str(args.tasks), "--no-text", "--no-pictures"], check=True)
        for length in args.lengths.split(","):
            results["longer"][length] = evaluate(cli, model, threads, "reading",
                                                 str(args.work_dir / f"passkey-{length}.jsonl"), "--through-state")
    (args.work_dir / "engine-evaluation.json").write_text(json.dumps(results, indent=1) + "\n")

    card = model / "README.md"
    text = card.read_text()
    before, _, rest = text.partition(SECTION)
    after = rest[rest.find("\n## "):] if rest and "\n## " in rest else ""
    if not rest:  # first time: in front of the limitations
        before, marker, after = text.partition("## Limitations")
        after = marker + after
    card.write_text(before + "\n".join(section(results, command)) + "\n" + after.lstrip("\n"))
    print(f"wrote {card}")


if __name__ == "__main__":
    main()
