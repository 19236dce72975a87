"""Accuracy of core.feedback.sentiment on the labelled shop reviews, per language, with the confusion matrix and
the texts it gets wrong; then what it costs (first call, then per text).

    .venv/bin/python benchmarks/eval_sentiment.py [--split test|dev|all] [--errors] [--rounds 5]

tests/data/sentiment/reviews.jsonl holds perfume and oud shop reviews written for this (English, and Arabic
in both Modern Standard and Gulf dialect), each labelled positive, neutral or negative, in four splits: "dev"
(the lexicons were adjusted while reading its errors), "test" (written with dev, before the lexicons, never used
to adjust them), "fresh" (written after, with more complaints told as plain facts; scored once, then read for
the words of what goes wrong with an order) and "fresh2" (written like fresh before those words, scored once).
benchmarks/README.md has the figures. Accuracy is given with its Wilson 95 % interval: 20 to 55 texts a
language is a small sample.
"""

from __future__ import annotations

import argparse
import json
import math
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.spread import percentiles, spread  # noqa: E402
from core.feedback import sentiment  # noqa: E402
from core.feedback.sentiment import analyse  # noqa: E402

REVIEWS = ROOT / "tests" / "data" / "sentiment" / "reviews.jsonl"
LABELS = ("positive", "neutral", "negative")


def load(split: str) -> list[dict[str, str]]:
    rows = [json.loads(line) for line in REVIEWS.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [r for r in rows if split == "all" or r["split"] == split]


def wilson(right: int, n: int, z: float = 1.96) -> tuple[float, float]:
    if n == 0:
        return 0.0, 0.0
    p = right / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return centre - half, centre + half


def report(rows: list[dict[str, str]], show_errors: bool) -> None:
    for language in ("en", "ar"):
        subset = [r for r in rows if r["language"] == language]
        matrix: Counter[tuple[str, str]] = Counter()
        wrong = []
        detected_other = 0
        for row in subset:
            got = analyse(row["text"])
            matrix[(row["label"], got.label)] += 1
            detected_other += got.language != language
            if got.label != row["label"]:
                wrong.append((row["label"], got.label, got.score, row["text"]))
        right = sum(matrix[(label, label)] for label in LABELS)
        low, high = wilson(right, len(subset))
        print(
            f"{language}: accuracy {right}/{len(subset)} = {right / len(subset):.1%} "
            f"(95 % CI {low:.1%}–{high:.1%}); language detected otherwise: {detected_other}"
        )
        print(f"  {'true/got':<12}" + "".join(f"{label:>10}" for label in LABELS))
        for label in LABELS:
            print(f"  {label:<12}" + "".join(f"{matrix[(label, got)]:>10}" for got in LABELS))
        if show_errors:
            for expected, got, score, text in wrong:
                print(f"    {expected:>8} → {got:<8} {score:+.2f}  {text}")


def cost(rounds: int) -> None:
    probe = "from core.feedback.sentiment import analyse; analyse('ok')"
    starts = []
    for _ in range(rounds):
        began = time.perf_counter()
        subprocess.run([sys.executable, "-c", probe], cwd=ROOT, check=True)
        starts.append((time.perf_counter() - began) * 1000)
    print(f"process start + import + first call: {spread(starts, 'ms', 0)}")
    loads = []
    for _ in range(rounds):
        sentiment._loaded = None  # the lexicons are read again, as in a new process
        began = time.perf_counter()
        analyse("ok")
        loads.append((time.perf_counter() - began) * 1000)
    print(f"loading the lexicons (in process): {spread(loads, 'ms', 0)}")
    texts = [r["text"] for r in load("all")]
    per_text = []
    for _ in range(rounds):
        for text in texts:
            began = time.perf_counter()
            analyse(text)
            per_text.append((time.perf_counter() - began) * 1000)
    print(f"per text ({len(texts)} texts × {rounds}): {percentiles(per_text, 'ms', 3)}")
    long = "الريحة حلوة بس غالية " * 1000 + "x" * 2000
    began = time.perf_counter()
    analyse(long)
    print(f"a {len(long.encode()) // 1024} kB comment: {(time.perf_counter() - began) * 1000:.2f} ms")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--split", choices=["test", "dev", "fresh", "fresh2", "all"], default="test")
    parser.add_argument("--errors", action="store_true", help="list the texts it labels wrongly")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    rows = load(args.split)
    print(f"split {args.split}: {len(rows)} reviews")
    report(rows, args.errors)
    cost(args.rounds)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
