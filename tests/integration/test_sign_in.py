from __future__ import annotations

from datetime import UTC, datetime

import pytest

from core.kernel.errors import AuthenticationFailed
from core.staff.auth import MAX_FAILED_ATTEMPTS, Role
from storage.bootstrap import Services, build_services
from storage.db import Store
from tests.clock import TestClock


def test_pin_sign_in_and_lockout(store: Store) -> None:
    clock = TestClock(datetime(2026, 11, 25, 9, 0, tzinfo=UTC), tick=False)
    services: Services = build_services(store, clock)
    cashier = next(s for s in services.staff.staff_of_branch(store.branch_id) if s.username == "aisha.cashier")
    actor = services.staff.sign_in(cashier.id, "١١١١")  # Arabic-Indic digits accepted
    assert actor.role == Role.CASHIER
    for attempt in range(1, MAX_FAILED_ATTEMPTS):
        with pytest.raises(AuthenticationFailed) as err:
            services.staff.sign_in(cashier.id, "9999")
        assert err.value.params["left"] == MAX_FAILED_ATTEMPTS - attempt
    with pytest.raises(AuthenticationFailed) as err:
        services.staff.sign_in(cashier.id, "9999")
    assert "Too many" in err.value.english()
    with pytest.raises(AuthenticationFailed):
        services.staff.sign_in(cashier.id, "1111")  # right PIN, still locked
    clock.advance(minutes=16)
    assert services.staff.sign_in(cashier.id, "1111").staff_id == cashier.id
    with store.read_engine.connect() as conn:
        kinds = [r[0] for r in conn.exec_driver_sql("SELECT kind FROM security_events ORDER BY created_at")]
    assert kinds.count("signin_failed") == MAX_FAILED_ATTEMPTS - 1 and kinds.count("signin_locked") == 1
