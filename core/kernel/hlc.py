"""Hybrid logical clock: orders register (profile) field writes across branches. Money never uses it."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

_COUNTER_MAX = 99_999  # five digits: the encoded stamps sort as text


@dataclass(frozen=True, order=True)
class Timestamp:
    wall_ms: int
    counter: int
    node: str

    def encode(self) -> str:
        """Fixed-width text that sorts like the timestamp itself."""
        return f"{self.wall_ms:015d}.{self.counter:05d}.{self.node}"

    @classmethod
    def decode(cls, text: str) -> Timestamp:
        wall, counter, node = text.split(".", 2)
        return cls(int(wall), int(counter), node)


class HybridLogicalClock:
    """Monotonic even if the wall clock jumps back; merges remote stamps so causality is kept."""

    def __init__(self, node: str, wall_ms: Callable[[], int] | None = None, last: Timestamp | None = None) -> None:
        self.node = node
        self._wall = wall_ms or (lambda: time.time_ns() // 1_000_000)
        self._last = last or Timestamp(0, 0, node)
        self._lock = threading.Lock()

    @property
    def last(self) -> Timestamp:
        return self._last

    def now(self) -> Timestamp:
        with self._lock:
            wall = self._wall()
            if wall > self._last.wall_ms:
                self._last = Timestamp(wall, 0, self.node)
            else:
                self._last = Timestamp(self._last.wall_ms, self._last.counter + 1, self.node)
            return self._last

    def encoded(self, count: int) -> list[str]:
        """``count`` stamps one after the other, encoded: what ``count`` calls of ``now`` in one millisecond
        give, under one lock (a batch of rows, each with its change's stamp). A counter that would overflow its
        five digits moves on to the next millisecond."""
        if count <= 0:
            return []
        with self._lock:
            wall = self._wall()
            if wall > self._last.wall_ms:
                wall_ms, counter = wall, 0
            else:
                wall_ms, counter = self._last.wall_ms, self._last.counter + 1
            stamps: list[tuple[int, int]] = []
            for _ in range(count):
                if counter > _COUNTER_MAX:
                    wall_ms, counter = wall_ms + 1, 0
                stamps.append((wall_ms, counter))
                counter += 1
            self._last = Timestamp(*stamps[-1], self.node)
        node = self.node
        return [f"{w:015d}.{c:05d}.{node}" for w, c in stamps]

    def observe(self, remote: Timestamp) -> Timestamp:
        """Advance past a stamp received from another replica."""
        with self._lock:
            wall = self._wall()
            top = max(wall, self._last.wall_ms, remote.wall_ms)
            if top == self._last.wall_ms == remote.wall_ms:
                counter = max(self._last.counter, remote.counter) + 1
            elif top == self._last.wall_ms:
                counter = self._last.counter + 1
            elif top == remote.wall_ms:
                counter = remote.counter + 1
            else:
                counter = 0
            self._last = Timestamp(top, counter, self.node)
            return self._last
