"""Head office ingesting signed WhatsApp status webhooks, beside the same status updates as bare SQL.

    .venv/bin/python benchmarks/bench_webhooks.py [--webhooks 5000] [--clients 20] [--blocks 10]
                                                  [--db sqlite|postgres|both] [--client h11|httpx]

A real head office (``main.py headoffice``, uvicorn, a process of its own on 127.0.0.1, default limits, the app
secret in WHATSAPP_APP_SECRET) holds ``--webhooks / 2`` queued messages in its outbox. ``--clients`` concurrent
clients (kept-alive HTTP/1.1 connections driven by h11; ``--client httpx``: httpx's) post ``--webhooks``
status webhooks, each signed with X-Hub-Signature-256 as Meta signs it: a "delivered" and a "read" for every
message, in a shuffled order (a read may come before its delivered).
The clients run in a process of their own (their event loop shares no process with head office's nor with
the bare side's threads). Each webhook's latency is timed at the client from the request to its answer;
beside it, head office's own time from its ``Server-Timing`` header (from the request reaching its first
middleware to the answer leaving the route: HTTP parsing and the wait for the event loop before that are
not in it), and head office's CPU time per webhook (its process, every thread, from /proc, block by block).
The load average is printed before and after: the machine may be shared.

The bare side does the same status updates on the same database with plain SQL (SQLAlchemy ``text``), from
the same number of threads, one transaction per status: lock the change counter, read the message, write its
new state, append its change and its history line, move the counters. It has no HTTP, no signature, no
parsing, and it commits one status at a time where head office commits the statuses that wait together.

The run is cut into ``--blocks`` blocks; each app block is followed at once by a bare block of the same size,
so load that comes and goes weighs on both. Afterwards every message must have both times and one history
line per webhook (none lost). Target: app p95 < 50 ms, nothing lost; on SQLite and on PostgreSQL
(scripts/pg-cluster.sh starts a throwaway cluster). The exit status is 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import hmac
import multiprocessing
import os
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.spread import percentiles, quantile, spread, verdict

ROOT = Path(__file__).resolve().parents[1]
TARGET_P95_MS = 50.0
APP_SECRET = "bench-app-secret"


def seed(store: Any, count: int, start: Any) -> list[str]:
    """``count`` queued WhatsApp messages as a branch's push leaves them at head office."""
    from core.kernel.ids import new_id
    from sync.headoffice.store import iso

    ids = [new_id() for _ in range(count)]
    with store.writing() as (conn, head):
        for n, message_id in enumerate(ids):
            row = {
                "id": message_id,
                "branch_id": "branch-1",
                "created_at": iso(start),
                "customer_id": None,
                "channel": "whatsapp",
                "direction": "outbound",
                "template_id": None,
                "recipient": f"+9715{n:08d}",
                "body": f"Your receipt {n}",
                "status": "queued",
                "attempts": 0,
                "deleted": False,
            }
            head = store.decide(conn, head, "communications", message_id, row)
        store.set_head(conn, head)
    return ids


def loadavg() -> str:
    """The 1, 5 and 15 minute load averages: the machine is shared, every figure is printed beside them."""
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "?"


def cpu_seconds(pid: int) -> float:
    """User and system CPU time a process has used so far (Linux /proc), or NaN elsewhere."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def webhook(message_id: str, status: str, at: int) -> bytes:
    import orjson

    value = {
        "messaging_product": "whatsapp",
        "metadata": {"display_phone_number": "97145550000", "phone_number_id": "106540352242922"},
        "statuses": [
            {
                "id": "wamid." + message_id.replace("-", ""),
                "status": status,
                "timestamp": str(at),
                "recipient_id": "971500000000",
                "biz_opaque_callback_data": message_id,
            }
        ],
    }
    body = {
        "object": "whatsapp_business_account",
        "entry": [{"id": "WABA", "changes": [{"field": "messages", "value": value}]}],
    }
    return orjson.dumps(body)


def signed(body: bytes) -> dict[str, str]:
    digest = hmac.new(APP_SECRET.encode(), body, hashlib.sha256).hexdigest()
    return {"X-Hub-Signature-256": "sha256=" + digest, "Content-Type": "application/json"}


async def post_all(
    url: str, requests: list[bytes], clients: int, client: str = "httpx"
) -> tuple[list[float], list[float], list[int]]:
    latencies: list[float] = []
    server: list[float] = []
    failures: list[int] = []
    queue = list(reversed(requests))

    def record(started: float, status: int, timing_header: str) -> None:
        latencies.append((time.perf_counter() - started) * 1000)
        timing = server_ms(timing_header)
        if timing is not None:
            server.append(timing)
        if status != 200:
            failures.append(status)

    async def with_httpx() -> None:
        import httpx

        async with httpx.AsyncClient(base_url=url, timeout=30) as http:
            while queue:
                body = queue.pop()
                started = time.perf_counter()
                answer = await http.post("/v1/webhooks/whatsapp", content=body, headers=signed(body))
                record(started, answer.status_code, answer.headers.get("server-timing", ""))

    async def with_h11() -> None:
        # One kept-alive HTTP/1.1 connection per client, driven by h11 (the protocol engine under httpx) without
        # httpx's pool and request machinery: a provider's sender weighs nothing on head office's machine, and
        # on two shared cores a heavy client's own CPU is waiting time for every request.
        import h11

        host, port = url.removeprefix("http://").split(":")
        reader, writer = await asyncio.open_connection(host, int(port))
        conn = h11.Connection(our_role=h11.CLIENT)
        try:
            while queue:
                body = queue.pop()
                started = time.perf_counter()
                headers = [(k, v) for k, v in signed(body).items()]
                headers += [("Host", host), ("Content-Length", str(len(body)))]
                writer.write(
                    conn.send(h11.Request(method="POST", target="/v1/webhooks/whatsapp", headers=headers))
                    + conn.send(h11.Data(data=body))
                    + conn.send(h11.EndOfMessage())
                )
                status, timing = 0, ""
                while True:
                    event = conn.next_event()
                    if event is h11.NEED_DATA:
                        conn.receive_data(await reader.read(65536))
                    elif isinstance(event, h11.Response):
                        status = event.status_code
                        timing = next((v.decode() for k, v in event.headers if k == b"server-timing"), "")
                    elif isinstance(event, h11.EndOfMessage | h11.ConnectionClosed):
                        break
                record(started, status, timing)
                conn.start_next_cycle()
        finally:
            writer.close()

    run = with_h11 if client == "h11" else with_httpx
    await asyncio.gather(*(run() for _ in range(clients)))
    return latencies, server, failures


def server_ms(header: str) -> float | None:
    """The ``app`` duration of a Server-Timing header (``app;dur=1.23``): head office's own time, from the
    request reaching its middleware to the answer leaving the route."""
    for metric in header.split(","):
        name, _, params = metric.strip().partition(";")
        if name == "app":
            for param in params.split(";"):
                key, _, value = param.strip().partition("=")
                if key == "dur":
                    return float(value)
    return None


def post_block(
    url: str, requests: list[bytes], clients: int, client: str = "httpx"
) -> tuple[list[float], list[float], list[int], float]:
    """One block of webhooks, posted from the clients' own process (its event loop shares no process with
    head office's, nor with the bare side's threads); with the clients' CPU time for the block, in ms."""
    cpu = time.process_time()
    latencies, server, failures = asyncio.run(post_all(url, requests, clients, client))
    return latencies, server, failures, (time.process_time() - cpu) * 1000


class Bare:
    """The same status update as plain SQL on the same engine, one transaction each."""

    def __init__(self, engine: Any) -> None:
        from sqlalchemy import text

        self.engine = engine
        lock = " FOR UPDATE" if engine.dialect.name == "postgresql" else ""
        self.head = text(f"SELECT value FROM ho_counters WHERE name = 'change_seq'{lock}")
        self.counter = text("SELECT value FROM ho_counters WHERE name = 'headoffice_seq'")
        self.read = text("SELECT data FROM ho_rows WHERE entity = 'communications' AND row_id = :id")
        self.write = text(
            "UPDATE ho_rows SET data = :data, change_seq = :seq WHERE entity = 'communications' AND row_id = :id"
        )
        self.append = text(
            "INSERT INTO ho_changes (change_seq, event_id, origin, branch_seq, entity, row_id, op, payload, hlc, "
            "created_at, received_at) VALUES (:seq, :event, 'headoffice', :bseq, :entity, :row, :op, :payload, :hlc, "
            ":now, :now)"
        )
        self.move = text("UPDATE ho_counters SET value = :value WHERE name = :name")

    def update(self, message_id: str, status: str, at: str) -> None:
        import orjson

        from core.kernel.ids import new_id

        with self.engine.begin() as conn:
            head = conn.execute(self.head).scalar_one()
            bseq = conn.execute(self.counter).scalar_one()
            data = orjson.loads(conn.execute(self.read, {"id": message_id}).scalar_one())
            field = {"delivered": "delivered_at", "read": "read_at"}[status]
            change = {field: at}
            if status == "read" or data.get("status") != "read":
                change["status"] = status
            data.update(change)
            event_id = new_id()
            line = {"id": event_id, "branch_id": "branch-1", "message_id": message_id, "status": status, "at": at}
            rows = [
                ("communications", message_id, "update", {"id": message_id, **change}),
                ("communication_events", event_id, "insert", line),
            ]
            conn.execute(self.write, {"data": orjson.dumps(data).decode(), "seq": head + 1, "id": message_id})
            conn.execute(
                self.append,
                [
                    {
                        "seq": head + n,
                        "event": new_id(),
                        "bseq": bseq + n,
                        "entity": entity,
                        "row": row_id,
                        "op": op,
                        "payload": orjson.dumps(payload).decode(),
                        "hlc": "0",
                        "now": at,
                    }
                    for n, (entity, row_id, op, payload) in enumerate(rows, start=1)
                ],
            )
            conn.execute(
                self.move, [{"name": "change_seq", "value": head + 2}, {"name": "headoffice_seq", "value": bseq + 2}]
            )


def run_bare(bare: Bare, work: list[tuple[str, str, str]], clients: int) -> list[float]:
    latencies: list[float] = []
    lock = threading.Lock()

    def one(item: tuple[str, str, str]) -> None:
        started = time.perf_counter()
        bare.update(*item)
        took = (time.perf_counter() - started) * 1000
        with lock:
            latencies.append(took)

    with ThreadPoolExecutor(clients) as pool:
        list(pool.map(one, work))
    return latencies


def bench(url: str, label: str, webhooks: int, clients: int, blocks: int, client: str = "httpx") -> bool:
    import httpx
    import orjson
    from sqlalchemy import select

    from sync.headoffice import models as m
    from sync.headoffice.store import HeadOfficeStore, iso
    from tests.clock import TestClock
    from tests.faults.support import free_port, wait_until_up

    before = loadavg()
    clock = TestClock()
    store = HeadOfficeStore(url)
    messages = webhooks // 2
    app_ids = seed(store, messages, clock.now())
    bare_ids = seed(store, messages, clock.now())
    at = int(store.now().timestamp())
    rng = random.Random(971)
    app_work = [(i, s) for i in app_ids for s in ("delivered", "read")]
    rng.shuffle(app_work)
    bodies = [webhook(i, s, at + (1 if s == "delivered" else 2)) for i, s in app_work]
    bare_work = [(i, s, iso(clock.now())) for i in bare_ids for s in ("delivered", "read")]
    rng.shuffle(bare_work)

    port = free_port()
    env = {**os.environ, "WHATSAPP_APP_SECRET": APP_SECRET, "PERFUME_OUD_NO_KEYRING": "1"}
    server = subprocess.Popen(
        [sys.executable, str(ROOT / "main.py"), "headoffice", "--db", url, "--port", str(port)], cwd=ROOT, env=env
    )
    base = f"http://127.0.0.1:{port}"
    app_ms: list[float] = []
    server_side: list[float] = []
    server_cpu: list[float] = []  # head office's CPU time per webhook, block by block
    client_cpu: list[float] = []  # the clients' likewise
    bare_ms: list[float] = []
    block_p95: list[tuple[float, float]] = []
    failures: list[int] = []
    bare = Bare(store.writer)
    try:
        wait_until_up(base, server)
        # One warm-up request (imports, connection pools) outside the figures: an unknown id changes nothing.
        warm = webhook("00000000-0000-0000-0000-000000000000", "delivered", at)
        httpx.post(base + "/v1/webhooks/whatsapp", content=warm, headers=signed(warm), timeout=30)
        size = -(-len(bodies) // blocks)
        # The clients run in a process of their own, started once (spawn: nothing of this one is shared).
        with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as clients_process:
            clients_process.submit(post_block, base, [warm], 1, client).result()
            for b in range(blocks):
                part = bodies[b * size : (b + 1) * size]
                cpu = cpu_seconds(server.pid)
                app, served, failed, spent = clients_process.submit(post_block, base, part, clients, client).result()
                client_cpu.append(spent / len(part))
                server_cpu.append((cpu_seconds(server.pid) - cpu) * 1000 / len(part))
                raw = run_bare(bare, bare_work[b * size : (b + 1) * size], clients)
                app_ms += app
                server_side += served
                bare_ms += raw
                failures += failed
                block_p95.append((quantile(app, 0.95), quantile(raw, 0.95)))
    finally:
        server.terminate()
        server.wait(30)

    rows = store.merged_rows("communications")
    complete = sum(
        1 for i in app_ids if rows[i].get("delivered_at") and rows[i].get("read_at") and rows[i]["status"] == "read"
    )
    c = m.changes.c
    with store.reader.connect() as conn:
        lines = 0
        wanted = set(app_ids)
        for (payload,) in conn.execute(select(c.payload).where(c.entity == "communication_events")):
            lines += orjson.loads(payload)["message_id"] in wanted
    store.close()
    lost = messages - complete
    p95 = quantile(app_ms, 0.95)
    ok = not failures and lost == 0 and lines == len(bodies) and p95 < TARGET_P95_MS
    print(
        f"{label}: {len(bodies)} signed status webhooks, {clients} concurrent {client} clients, {messages} messages, "
        f"{blocks} blocks"
    )
    print(f"  app   {percentiles(app_ms)}  (request to answer at the client, HTTP on loopback)")
    if server_side:
        print(f"  server {percentiles(server_side)}  (head office's own time, its Server-Timing header)")
    else:
        print("  server: no Server-Timing header in the answers")
    print(f"  server CPU per webhook (its process, all threads): {spread(server_cpu, 'ms')} over the blocks")
    print(f"  clients' CPU per webhook ({client}, their process): {spread(client_cpu, 'ms')} over the blocks")
    print(f"  bare  {percentiles(bare_ms)}  (the same updates as plain SQL, {clients} threads, a commit each)")
    print(
        f"  p95 per block: app {spread([a for a, _ in block_p95], 'ms')}; "
        f"bare {spread([r for _, r in block_p95], 'ms')}"
    )
    print(f"  answers other than 200: {len(failures)} {sorted(set(failures)) or ''}")
    print(f"  recorded: {complete}/{messages} messages with both times, {lines}/{len(bodies)} history lines")
    print(f"  {verdict(ok)}: p95 {p95:.2f} ms (target < {TARGET_P95_MS:.0f} ms), lost {lost}")
    print(f"  load average {before} before, {loadavg()} after")
    return ok


def postgres(work: Path) -> tuple[str, Path]:
    cluster = work / "pg"
    started = subprocess.run(
        ["bash", str(ROOT / "scripts" / "pg-cluster.sh"), "start", str(cluster)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    if started.returncode != 0:
        raise SystemExit(f"PostgreSQL could not start: {started.stderr.strip()[-300:]}")
    server = started.stdout.strip().splitlines()[-1].replace("postgresql+psycopg://", "postgresql://")
    import psycopg

    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute("CREATE DATABASE bench_webhooks")
    return server.rsplit("/", 1)[0] + "/bench_webhooks", cluster


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--webhooks", type=int, default=5000)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--blocks", type=int, default=10)
    parser.add_argument("--db", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument(
        "--client", choices=("h11", "httpx"), default="h11", help="the senders: lean h11 connections, or httpx's"
    )
    args = parser.parse_args()
    work = Path(
        tempfile.mkdtemp(
            prefix="bench-webhooks-",
            dir=ROOT / "benchmarks" / "data" if (ROOT / "benchmarks" / "data").is_dir() else None,
        )
    )
    ok = True
    try:
        if args.db in ("sqlite", "both"):
            ok &= bench(
                f"sqlite:///{work / 'ho.sqlite'}", "SQLite", args.webhooks, args.clients, args.blocks, args.client
            )
        if args.db in ("postgres", "both"):
            url, cluster = postgres(work)
            try:
                ok &= bench(url, "PostgreSQL", args.webhooks, args.clients, args.blocks, args.client)
            finally:
                subprocess.run(
                    ["bash", str(ROOT / "scripts" / "pg-cluster.sh"), "stop", str(cluster)],
                    capture_output=True,
                    timeout=120,
                )
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
