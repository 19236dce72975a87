"""A fault-injecting HTTP proxy on loopback (asyncio, in its own thread) between a branch and head office.

Per request it can pass, drop the request, drop the response after head office has answered it, send the
request twice, delay it, or answer nothing now and deliver the request later (an old batch replayed after
newer ones: reordering). ``partitioned`` cuts every connection. Actions come from a script (consumed in order
by requests whose path matches) or from a seeded random plan.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import threading
from collections import Counter, deque
from dataclasses import dataclass

PASS, DROP_REQUEST, DROP_RESPONSE, DUPLICATE, DELAY, REPLAY_LATER = (
    "pass",
    "drop_request",
    "drop_response",
    "duplicate",
    "delay",
    "replay_later",
)


@dataclass
class RandomPlan:
    drop_request: float = 0.0
    drop_response: float = 0.0
    duplicate: float = 0.0
    delay: float = 0.0
    replay_later: float = 0.0
    max_delay_s: float = 0.3

    def choose(self, rng: random.Random) -> tuple[str, float]:
        roll = rng.random()
        for action, p in (
            (DROP_REQUEST, self.drop_request),
            (DROP_RESPONSE, self.drop_response),
            (DUPLICATE, self.duplicate),
            (DELAY, self.delay),
            (REPLAY_LATER, self.replay_later),
        ):
            if roll < p:
                return action, rng.uniform(0.01, self.max_delay_s)
            roll -= p
        return PASS, 0.0


async def _read_message(reader: asyncio.StreamReader) -> bytes:
    head = await reader.readuntil(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    body = await reader.readexactly(length) if length else b""
    return head + body


class FaultProxy:
    def __init__(self, upstream_port: int, *, seed: int = 0) -> None:
        self.upstream_port = upstream_port
        self.rng = random.Random(seed)
        self.partitioned = False
        self.plan: RandomPlan | None = None
        self.plan_paths: tuple[str, ...] = ("/v1/",)
        self._script: deque[tuple[str, str, float]] = deque()
        self.seen: Counter[str] = Counter()
        self._pending: set[asyncio.Future[None]] = set()
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._server: asyncio.base_events.Server | None = None
        self.port = 0

    # -- control -----------------------------------------------------------------------------------------------
    def start(self) -> FaultProxy:
        self._thread.start()
        self._server = asyncio.run_coroutine_threadsafe(
            asyncio.start_server(self._handle, "127.0.0.1", 0), self._loop
        ).result(5)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        async def close() -> None:
            if self._server is not None:
                self._server.close()
            for task in asyncio.all_tasks():
                if task is not asyncio.current_task():
                    task.cancel()

        asyncio.run_coroutine_threadsafe(close(), self._loop).result(5)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(5)

    def script(self, path: str, *actions: str, delay_s: float = 0.2) -> None:
        """The next requests to ``path`` (a prefix) get these actions, in order."""
        for action in actions:
            self._script.append((path, action, delay_s))

    def _choose(self, path: str) -> tuple[str, float]:
        for i, (prefix, action, delay) in enumerate(self._script):
            if path.startswith(prefix):
                del self._script[i]
                return action, delay
        if self.plan is not None and path.startswith(self.plan_paths):
            return self.plan.choose(self.rng)
        return PASS, 0.0

    # -- the proxy ---------------------------------------------------------------------------------------------
    async def _forward(self, request: bytes) -> bytes:
        reader, writer = await asyncio.open_connection("127.0.0.1", self.upstream_port)
        try:
            writer.write(request)
            await writer.drain()
            return await _read_message(reader)
        finally:
            writer.close()

    async def _later(self, request: bytes, delay: float) -> None:
        await asyncio.sleep(delay)
        with contextlib.suppress(OSError):
            await self._forward(request)

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while not self.partitioned:
                try:
                    request = await _read_message(reader)
                except (asyncio.IncompleteReadError, ConnectionError):
                    return
                if self.partitioned:
                    return
                path = request.split(b" ", 2)[1].decode("latin-1")
                action, delay = self._choose(path)
                self.seen[action] += 1
                if action == DROP_REQUEST:
                    return
                if action == REPLAY_LATER:
                    self._pending.add(asyncio.ensure_future(self._later(request, delay)))
                    return
                if action == DELAY:
                    await asyncio.sleep(delay)
                try:
                    response = await self._forward(request)
                    if action == DUPLICATE:
                        response = await self._forward(request)
                except OSError:
                    return  # head office is down: the branch sees a dropped connection
                if action == DROP_RESPONSE or self.partitioned:
                    return
                writer.write(response)
                await writer.drain()
        except (ConnectionError, asyncio.CancelledError):
            return
        finally:
            writer.close()
