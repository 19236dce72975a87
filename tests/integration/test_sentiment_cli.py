"""``main.py sentiment`` in a subprocess: one JSON string a line in, one JSON object a line out, line for line;
a bad line gets an error object and the rest is still answered, exit 0; stdin that cannot be read is exit 2."""

from __future__ import annotations

import argparse
import io
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from core.feedback.sentiment_cli import MAX_LINE_BYTES, sentiment
from core.feedback.sentiment_cli import run as run_command

ROOT = Path(__file__).resolve().parents[2]


def run(stdin: bytes | int) -> subprocess.CompletedProcess[bytes]:
    # A C locale: the answers are UTF-8 whatever the terminal's encoding.
    environment = {**os.environ, "LC_ALL": "C", "PYTHONIOENCODING": "ascii"}
    environment.pop("PYTHONUTF8", None)
    options: dict[str, Any] = {"input": stdin} if isinstance(stdin, bytes) else {"stdin": stdin}
    return subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "sentiment"],
        capture_output=True,
        cwd=ROOT,
        env=environment,
        timeout=60,
        check=False,
        **options,
    )


def test_texts_in_labels_out_line_for_line() -> None:
    texts = ["العطر وايد حلو وثباته طول اليوم", "Staff were rude 😡", "", "وصل الطلب يوم الأحد", "مب زين"]
    done = run("".join(json.dumps(t, ensure_ascii=False) + "\n" for t in texts).encode("utf-8"))
    assert done.returncode == 0, done.stderr
    lines = [json.loads(line) for line in done.stdout.decode("utf-8").splitlines()]
    assert [(a["label"], a["language"]) for a in lines] == [
        ("positive", "ar"),
        ("negative", "en"),
        ("neutral", "en"),
        ("neutral", "ar"),
        ("negative", "ar"),
    ]
    assert all(set(a) == {"label", "score", "language"} and -1 <= a["score"] <= 1 for a in lines)
    assert lines[2]["score"] == 0.0
    assert done.stderr == b""


def test_bad_lines_get_an_error_and_the_rest_is_answered() -> None:
    stdin = (
        b'"good"\nnot json\n42\n{"text": "hi"}\n\xff\xfe\n\n"\\u0645\\u0648 \\u0632\\u064a\\u0646"\n"last, no newline"'
    )
    done = run(stdin)
    assert done.returncode == 0
    lines = [json.loads(line) for line in done.stdout.decode("utf-8").splitlines()]
    assert len(lines) == 8
    assert lines[0]["label"] == "positive"
    assert [lines[n]["error"] for n in range(1, 6)] == [
        "line 2: not JSON",
        "line 3: a JSON string is expected, not int",
        "line 4: a JSON string is expected, not dict",
        "line 5: not UTF-8",
        "line 6: empty",
    ]
    assert [lines[n]["line"] for n in range(1, 6)] == [2, 3, 4, 5, 6]
    assert lines[6] == {"label": "negative", "score": lines[6]["score"], "language": "ar"}
    assert lines[7]["language"] == "en"
    assert b"Traceback" not in done.stderr


def test_a_twenty_kb_comment_with_bidi_controls_is_answered() -> None:
    comment = "\u202e" + "الموظفين وايد محترمين " * 1000
    assert len(comment.encode("utf-8")) > 20_000
    done = run((json.dumps(comment) + "\n").encode())
    assert done.returncode == 0
    assert json.loads(done.stdout)["label"] == "positive"


def test_a_line_over_the_limit_is_refused_without_losing_the_next() -> None:
    out = io.BytesIO()
    sentiment(io.BytesIO(b'"' + b"a" * (MAX_LINE_BYTES + 10) + b'"\n"good"\n'), out)
    first, second = (json.loads(line) for line in out.getvalue().splitlines())
    assert first == {"error": f"line 1: longer than {MAX_LINE_BYTES} bytes", "line": 1}
    assert second["label"] == "positive"


class _Unreadable(io.RawIOBase):
    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        raise OSError(5, "Input/output error")


def test_unreadable_stdin_is_exit_two(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    # In process: a Python whose stdin cannot be read at all (a directory) does not even start.
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BufferedReader(_Unreadable())))
    assert run_command(argparse.Namespace()) == 2
    assert "sentiment: cannot read stdin: [Errno 5] Input/output error" in capsys.readouterr().err
