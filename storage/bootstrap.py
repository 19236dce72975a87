"""Wires core services to this store. main.py, the tests and the benchmarks build the app the same way."""

from __future__ import annotations

from dataclasses import dataclass

from core.clock import SystemClock
from core.customer_service import CustomerService
from core.giftcards import GiftCardService
from core.ports import BranchInfo, Clock
from core.staff_service import StaffService
from storage.db import Store
from storage.schema import Branch
from storage.uow import uow_factory


@dataclass
class Services:
    store: Store
    clock: Clock
    customers: CustomerService
    staff: StaffService
    giftcards: GiftCardService

    def branch(self) -> BranchInfo | None:
        with self.store.read_session() as session:
            row = session.get(Branch, self.store.branch_id)
            if row is None:
                return None
            return BranchInfo(row.id, row.code, row.name_en, row.name_ar, row.location)

    def store_location(self) -> str:
        return str(self.store.path)

    def is_demo(self) -> bool:
        return self.store.settings.get("demo") == "1"

    def unsynced_changes(self) -> int:
        """Local changes head office has not acknowledged (O(1): the change log is gap-free)."""
        from sqlalchemy import text

        with self.store.read_engine.connect() as conn:
            top = conn.execute(text("SELECT max(branch_seq) FROM change_log")).scalar() or 0
        acked = int(self.store.settings.get("pushed_seq", "0"))
        return int(top) - acked


def build_services(store: Store, clock: Clock | None = None) -> Services:
    clock = clock or SystemClock()
    uow = uow_factory(store, clock)
    return Services(
        store,
        clock,
        CustomerService(uow, clock),
        StaffService(uow, clock),
        GiftCardService(uow, clock),  # type: ignore[arg-type]
    )
