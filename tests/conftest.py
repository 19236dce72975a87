from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from core.auth import Actor, Role
from storage.bootstrap import Services, build_services
from storage.db import Store, open_store
from storage.seed import seed_demo


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small seeded demo store made once; each test gets its own copy of the file. Its customers start
    with no loyalty points, so tests state every point they count on."""
    path = tmp_path_factory.mktemp("template") / "demo.sqlite"
    store = open_store(path)
    seed_demo(store, customers=60, loyalty=False)
    store.close()
    return path


@pytest.fixture
def store_path(tmp_path: Path, demo_template: Path) -> Path:
    path = tmp_path / "store.sqlite"
    shutil.copy(demo_template, path)
    return path


@pytest.fixture
def store(store_path: Path) -> Iterator[Store]:
    s = open_store(store_path)
    yield s
    s.close()


@pytest.fixture
def services(store: Store) -> Services:
    return build_services(store)


def actor_for(services: Services, role: Role) -> Actor:
    staff = next(s for s in services.staff.staff_of_branch(services.store.branch_id) if s.role == role)
    return Actor(staff.id, staff.branch_id, staff.role, staff.name_en)


@pytest.fixture
def cashier(services: Services) -> Actor:
    return actor_for(services, Role.CASHIER)


@pytest.fixture
def manager(services: Services) -> Actor:
    return actor_for(services, Role.MANAGER)
