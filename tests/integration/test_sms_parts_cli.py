"""``main.py sms-parts`` in a subprocess: one JSON object per line in, one per line out, bad lines answered
with an error object and a non-zero exit at the end, never a traceback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def sms_parts(stdin: bytes, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[bytes]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("SMS_")}
    return subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "sms-parts", *args],
        input=stdin,
        capture_output=True,
        cwd=ROOT,
        env={**environment, **(env or {})},
        timeout=60,
        check=False,
    )


def test_texts_in_json_objects_out() -> None:
    texts = ["Hello", "مرحبا", "a" * 161, "€" * 81, "ب" * 671]
    stdin = "".join(json.dumps(t) + "\n" for t in texts).encode()
    done = sms_parts(stdin, "--rate", "unifonic=0.0455", "--rate", "twilio=0.30")
    assert done.returncode == 0, done.stderr
    raw_lines = done.stdout.decode().splitlines()
    lines = [json.loads(line) for line in raw_lines]
    assert lines[0] == {"encoding": "GSM-7", "parts": 1, "cost": {"unifonic": 0.05, "twilio": 0.3}}
    assert '"twilio": 0.30' in raw_lines[0]  # written with two decimals: whole fils
    assert lines[1]["encoding"] == "UCS-2" and lines[1]["parts"] == 1
    assert lines[2]["parts"] == 2 and lines[2]["cost"] == {"unifonic": 0.09, "twilio": 0.6}  # 9.1 fils → 9
    assert lines[3]["parts"] == 2  # 162 septets
    assert lines[4]["parts"] == 11 and "refused" in lines[4] and "warning" in lines[4]
    assert "warning" not in lines[0] and "refused" not in lines[0]


def test_rates_and_limits_from_the_environment() -> None:
    done = sms_parts(b'"' + b"x" * 320 + b'"\n', env={"SMS_RATES_AED": "sns=0.125", "SMS_MAX_PARTS": "2"})
    line = json.loads(done.stdout)
    assert line == {
        "encoding": "GSM-7",
        "parts": 3,
        "cost": {"sns": 0.38},
        "warning": line["warning"],
        "refused": line["refused"],
    }
    assert done.returncode == 0


def test_bad_lines_get_an_error_object_and_a_failing_exit() -> None:
    stdin = b'"ok"\nnot json\n42\n{"text": "hi"}\n\xff\xfe\n"also ok"\n'
    done = sms_parts(stdin)
    assert done.returncode == 1
    assert b"Traceback" not in done.stderr
    lines = [json.loads(line) for line in done.stdout.decode().splitlines()]
    assert len(lines) == 6
    assert lines[0]["encoding"] == "GSM-7" and lines[5]["encoding"] == "GSM-7"
    assert [line.get("line") for line in lines[1:5]] == [2, 3, 4, 5]
    assert all("error" in line for line in lines[1:5])


def test_a_bad_rate_is_refused_before_reading() -> None:
    done = sms_parts(b'"x"\n', "--rate", "twilio=cheap")
    assert done.returncode == 2
    assert b"twilio=cheap" not in done.stdout and b"Traceback" not in done.stderr
    assert b"not an AED amount" in done.stderr
