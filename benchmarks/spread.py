"""Figures a reader can trust on a shared machine: every median printed with its spread over repetitions, and
every ratio taken pair by pair from runs of the app and the bare side made back to back in one loop.

A bare figure measured apart from the app's (a separate median, minutes later) compares two different loads of
the machine: bench_sync's ratio swung from 23 to 44 % that way while the app's own time stayed put. Pairing
each app run with the bare run beside it lets load that comes and goes weigh on both sides alike, and the
spread of the paired ratios says how far one run can be trusted.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence


def quantile(values: Sequence[float], q: float) -> float:
    """The q-quantile by linear interpolation between the closest ranks (q=0.5 is the median)."""
    ordered = sorted(values)
    if not ordered:
        raise ValueError("no values")
    at = q * (len(ordered) - 1)
    low = int(at)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (at - low)


def spread(values: Sequence[float], unit: str = "", digits: int = 2) -> str:
    """'min … / median … / max …' of a few repetitions (whole runs, passes, blocks)."""
    return (
        f"min {min(values):.{digits}f} / median {statistics.median(values):.{digits}f} / "
        f"max {max(values):.{digits}f}{(' ' + unit) if unit else ''}"
    )


def percentiles(values: Sequence[float], unit: str = "ms", digits: int = 2) -> str:
    """'p5 … / p50 … / p95 …' of many samples (one per operation)."""
    figures = " / ".join(f"p{q} {quantile(values, q / 100):.{digits}f}" for q in (5, 50, 95))
    return f"{figures}{(' ' + unit) if unit else ''}"


def blocks(values: Sequence[float], count: int) -> list[list[float]]:
    """Consecutive runs cut into ``count`` blocks of (nearly) equal size, in order."""
    size, extra = divmod(len(values), count)
    out: list[list[float]] = []
    start = 0
    for i in range(count):
        end = start + size + (1 if i < extra else 0)
        out.append(list(values[start:end]))
        start = end
    return [b for b in out if b]


def block_ratios(app: Sequence[float], bare: Sequence[float], count: int, q: float = 0.5) -> list[float]:
    """The app's q-quantile over the bare side's, block by block, from two series measured in lockstep."""
    if len(app) != len(bare):
        raise ValueError("the two sides must be measured in the same loop")
    return [quantile(a, q) / quantile(b, q) for a, b in zip(blocks(app, count), blocks(bare, count), strict=True)]


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"
