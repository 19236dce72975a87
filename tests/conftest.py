from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# The stores' keys go to a folder of this run (the 0600 key files of a machine without a keyring), never to
# the developer's keyring or configuration folder; subprocesses the tests start inherit both settings.
# A child process (multiprocessing's spawn imports this module again) keeps its parent's folder.
os.environ.setdefault("PERFUME_OUD_TEST_KEY_OWNER", str(os.getpid()))
os.environ["PERFUME_OUD_TEST_KEY_DIR"] = os.environ.get("PERFUME_OUD_TEST_KEY_DIR") or tempfile.mkdtemp(
    prefix="store-keys-"
)
os.environ["PERFUME_OUD_KEY_DIR"] = os.environ["PERFUME_OUD_TEST_KEY_DIR"]
os.environ["PERFUME_OUD_NO_KEYRING"] = "1"
os.environ.pop("PERFUME_OUD_PLAIN_STORE", None)  # every store a test makes is encrypted unless it says so

from core.staff.auth import Actor, Role
from storage.bootstrap import Services, build_services
from storage.db import Store, open_store
from storage.seed.demo import seed_demo
from tests.clock import DEFAULT, INSTANTS, TestClock

if os.environ["PERFUME_OUD_TEST_KEY_OWNER"] == str(os.getpid()):
    atexit.register(shutil.rmtree, os.environ["PERFUME_OUD_KEY_DIR"], True)


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """A test marked ``instants`` runs once at each instant of ``tests.clock.INSTANTS``."""
    if metafunc.definition.get_closest_marker("instants") and "instant" in metafunc.fixturenames:
        metafunc.parametrize("instant", list(INSTANTS.values()), ids=list(INSTANTS))


@pytest.fixture
def instant() -> datetime:
    """The moment the test happens at (overridden for tests marked ``instants``)."""
    return DEFAULT


@pytest.fixture
def clock(instant: datetime) -> TestClock:
    return TestClock(instant)


@pytest.fixture(scope="session")
def demo_templates(tmp_path_factory: pytest.TempPathFactory) -> Callable[[datetime], Path]:
    """A small seeded demo store per instant, made once; each test gets its own copy of the file. Its history
    ends at the test's instant. Its customers start with no loyalty points, so tests state every point they
    count on."""
    made: dict[datetime, Path] = {}

    def template(at: datetime) -> Path:
        if at not in made:
            path = tmp_path_factory.mktemp("template") / "demo.sqlite"
            store = open_store(path)
            seed_demo(store, customers=60, loyalty=False, now=at)
            store.close()
            made[at] = path
        return made[at]

    return template


@pytest.fixture(scope="session")
def demo_template(demo_templates: Callable[[datetime], Path]) -> Path:
    """The demo store at the default instant, for tests that copy it themselves (property tests)."""
    return demo_templates(DEFAULT)


@pytest.fixture
def store_path(tmp_path: Path, demo_templates: Callable[[datetime], Path], instant: datetime) -> Path:
    path = tmp_path / "store.sqlite"
    shutil.copy(demo_templates(instant), path)
    return path


@pytest.fixture
def store(store_path: Path) -> Iterator[Store]:
    s = open_store(store_path)
    yield s
    s.close()


@pytest.fixture
def services(store: Store, clock: TestClock) -> Services:
    return build_services(store, clock)


def actor_for(services: Services, role: Role) -> Actor:
    staff = next(s for s in services.staff.staff_of_branch(services.store.branch_id) if s.role == role)
    return Actor(staff.id, staff.branch_id, staff.role, staff.name_en)


@pytest.fixture
def cashier(services: Services) -> Actor:
    return actor_for(services, Role.CASHIER)


@pytest.fixture
def manager(services: Services) -> Actor:
    return actor_for(services, Role.MANAGER)
