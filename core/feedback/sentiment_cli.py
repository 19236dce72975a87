"""``python main.py sentiment``: the sentiment of texts, one JSON string a line on stdin, one JSON object a line
on stdout (UTF-8 both ways):

    "العطر وايد حلو وثباته طول اليوم"   →   {"label": "positive", "score": 0.5095, "language": "ar"}

``score`` is in [-1, 1] (see core.feedback.sentiment). A line that is not a JSON string (not UTF-8, not JSON,
another JSON value, or longer than ``MAX_LINE_BYTES``) is answered on its own line with ``{"error": …, "line":
n}`` and the rest is read on, so the answers stay line for line with the texts (a blank line is an error too).
The exit status is 0, or 2 when stdin cannot be read.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import BinaryIO

from core.feedback.sentiment import MAX_CHARS, analyse

MAX_LINE_BYTES = 1 << 20  # far above MAX_CHARS: a longer line is refused rather than read into memory


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        f"Reads one JSON string a line; writes {{label, score, language}} a line. Only the first {MAX_CHARS} "
        "characters of a text are read."
    )


def run(args: argparse.Namespace) -> int:
    try:
        sentiment(sys.stdin.buffer, sys.stdout.buffer)
    except OSError as error:
        print(f"sentiment: cannot read stdin: {error}", file=sys.stderr)
        return 2
    return 0


def sentiment(source: BinaryIO, out: BinaryIO) -> None:
    """Answers every line of ``source`` on ``out``, one line each."""
    number = 0
    while True:
        raw = source.readline(MAX_LINE_BYTES + 1)
        if not raw:
            return
        number += 1
        if len(raw) > MAX_LINE_BYTES and not raw.endswith(b"\n"):
            while (more := source.readline(MAX_LINE_BYTES)) and not more.endswith(b"\n"):
                pass  # the rest of the over-long line
            _write(out, {"error": f"line {number}: longer than {MAX_LINE_BYTES} bytes", "line": number})
            continue
        line = raw.rstrip(b"\r\n")
        if not line.strip():
            _write(out, {"error": f"line {number}: empty", "line": number})
            continue
        try:
            text = json.loads(line.decode("utf-8"))
        except UnicodeDecodeError:
            _write(out, {"error": f"line {number}: not UTF-8", "line": number})
            continue
        except ValueError:
            _write(out, {"error": f"line {number}: not JSON", "line": number})
            continue
        if not isinstance(text, str):
            _write(
                out, {"error": f"line {number}: a JSON string is expected, not {type(text).__name__}", "line": number}
            )
            continue
        found = analyse(text)
        _write(out, {"label": found.label, "score": found.score, "language": found.language})


def _write(out: BinaryIO, answer: dict[str, object]) -> None:
    out.write(json.dumps(answer, ensure_ascii=False).encode("utf-8") + b"\n")
    out.flush()
