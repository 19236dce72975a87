"""PostgreSQL for the fault tests: the cluster scripts/test.sh started (PERFUME_OUD_TEST_PG), or one started
here with scripts/pg-cluster.sh. Where neither is possible the PostgreSQL tests skip and say why."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from core.kernel.ids import new_id
from tests.faults.support import ROOT, chain_template

PG_ENV = "PERFUME_OUD_TEST_PG"
PG_SKIP_ENV = "PERFUME_OUD_TEST_PG_SKIP"


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """A PostgreSQL server URL (its maintenance database) on loopback."""
    if os.environ.get(PG_ENV):
        yield os.environ[PG_ENV]
        return
    if os.environ.get(PG_SKIP_ENV):
        pytest.skip(f"PostgreSQL unavailable: {os.environ[PG_SKIP_ENV]}")
    directory = Path(tempfile.mkdtemp(prefix="pg-")) / "cluster"
    script = ROOT / "scripts" / "pg-cluster.sh"
    started = subprocess.run(
        ["bash", str(script), "start", str(directory)], capture_output=True, text=True, timeout=600
    )
    if started.returncode != 0:
        pytest.skip(f"PostgreSQL could not be installed or started: {started.stderr.strip()[-300:]}")
    try:
        yield started.stdout.strip().splitlines()[-1]
    finally:
        subprocess.run(["bash", str(script), "stop", str(directory)], capture_output=True, timeout=120)
        shutil.rmtree(directory.parent, ignore_errors=True)


@pytest.fixture
def postgres(postgres_server: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A fresh database for one test (its head office's data keys in a file of the test's own)."""
    import psycopg

    monkeypatch.setenv("HEADOFFICE_KEYS_FILE", str(tmp_path / "headoffice.keys"))

    name = "t_" + new_id().replace("-", "")[-16:]
    dsn = postgres_server.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    yield dsn.rsplit("/", 1)[0] + "/" + name
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture(scope="session")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return chain_template(tmp_path_factory.mktemp("chain"))
