"""``python main.py sms-parts``: how an operator checks texts before a campaign.

Reads one JSON string per line on stdin and writes one JSON object per line on stdout:

    {"encoding": "GSM-7", "parts": 1, "cost": {"unifonic": 0.05, "twilio": 0.30, "sns": 0.25}}

``cost`` is each provider's estimate in AED as a JSON number written with exactly two decimals: the cost in
whole fils (parts × rate, rounded half-up once — see core.messaging.sms), the unit the rest of the app keeps
money in, so the figure matches what a template preview shows. Rates come from ``--rate provider=AED`` (which
may repeat), else SMS_RATES_AED, else placeholder defaults. A text over the warning level gets a ``"warning"``,
one over the maximum a ``"refused"`` (both in English, for the operator). A line that is not a JSON string gets
``{"error": …, "line": n}`` and the command then exits with status 1; it never prints a traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import BinaryIO, TextIO

from core.kernel.errors import ValidationError
from core.kernel.money import fils_to_text
from core.messaging.sms import PartsLimit, SmsRates, analyse


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--rate",
        action="append",
        default=[],
        metavar="PROVIDER=AED",
        help="price per part in AED, e.g. unifonic=0.045 (repeat for each provider; replaces SMS_RATES_AED)",
    )
    parser.add_argument("--max-parts", type=int, help="refuse texts of more parts (default: SMS_MAX_PARTS or 10)")
    parser.add_argument("--warn-parts", type=int, help="warn above this many parts (default: SMS_WARN_PARTS or 3)")


def run(args: argparse.Namespace) -> int:
    from sync.messaging.base import ConfigurationError
    from sync.messaging.config import Secrets, parts_limit, sms_rates

    secrets = Secrets(keyring=None)
    try:
        rates = SmsRates.parse(",".join(args.rate)) if args.rate else sms_rates(secrets)
        limit = parts_limit(secrets)
        if args.max_parts is not None or args.warn_parts is not None:
            most = args.max_parts if args.max_parts is not None else limit.max_parts
            warn = args.warn_parts if args.warn_parts is not None else min(limit.warn_parts, most)
            limit = PartsLimit(max_parts=most, warn_parts=warn)
    except (ValueError, ConfigurationError) as error:
        print(f"sms-parts: {error}", file=sys.stderr)
        return 2
    return sms_parts(sys.stdin.buffer, sys.stdout, rates, limit)


def sms_parts(source: BinaryIO, out: TextIO, rates: SmsRates, limit: PartsLimit) -> int:
    """Answers every line of ``source``; 0 when every line was a JSON string, else 1."""
    status = 0
    for number, raw in enumerate(source, start=1):
        line = raw.rstrip(b"\r\n")
        try:
            text = json.loads(line.decode("utf-8"))
        except UnicodeDecodeError:
            status = _error(out, number, "not UTF-8")
            continue
        except ValueError:
            status = _error(out, number, "not JSON")
            continue
        if not isinstance(text, str):
            status = _error(out, number, f"a JSON string is expected, not {type(text).__name__}")
            continue
        out.write(_answer(text, rates, limit) + "\n")
        out.flush()
    return status


def _error(out: TextIO, number: int, what: str) -> int:
    out.write(json.dumps({"error": f"line {number}: {what}", "line": number}) + "\n")
    out.flush()
    return 1


def _answer(text: str, rates: SmsRates, limit: PartsLimit) -> str:
    sms = analyse(text)
    costs = ", ".join(f"{json.dumps(name)}: {fils_to_text(fils)}" for name, fils in rates.estimate(sms).items())
    line = f'{{"encoding": "{sms.encoding}", "parts": {sms.parts}, "cost": {{{costs}}}'
    if limit.warns(sms):
        line += ", " + json.dumps({"warning": f"{sms.parts} parts: above {limit.warn_parts}"})[1:-1]
    try:
        limit.check(sms)
    except ValidationError as refusal:
        line += ", " + json.dumps({"refused": refusal.english()})[1:-1]
    return line + "}"
