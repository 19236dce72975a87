"""The customer form's time zone: only an export customer's, checked and stored by its IANA name."""

from __future__ import annotations

from core.customers.model import Segment
from storage.bootstrap import Services
from tests.ui.conftest import sign_in
from tests.ui.test_consent_ui import open_first
from ui.main_window import MainWindow
from ui.ops import wait_for_background


def test_an_export_customer_gets_a_time_zone_and_a_customer_at_home_none(  # type: ignore[no-untyped-def]
    qtbot, window: MainWindow, services: Services
) -> None:
    sign_in(qtbot, window, "aisha.cashier", "1111")
    window.workspace.show_page("customers")
    page = window.workspace.customers
    open_first(qtbot, window, "moh")
    assert page._profile is not None
    who = page._profile.id
    form = page.form
    zone = form.edits["time_zone"]
    form.segment.setCurrentIndex(form.segment.findData(Segment.REGULAR.value))
    assert not zone.isEnabled()
    form.segment.setCurrentIndex(form.segment.findData(Segment.EXPORT.value))
    assert zone.isEnabled()
    zone.setText("Europe/Londres")
    page.save()
    wait_for_background()
    assert form.errors["time_zone"].isVisible() and services.customers.get(who).time_zone is None
    zone.setText("europe/london")
    page.save()
    wait_for_background()
    assert page.message.text() == "Saved."
    assert services.customers.get(who).time_zone == "Europe/London"
    open_first(qtbot, window, "moh")
    assert form.edits["time_zone"].text() == "Europe/London" and form.edits["time_zone"].isEnabled()
    form.segment.setCurrentIndex(form.segment.findData(Segment.VIP.value))  # back home: the zone goes
    page.save()
    wait_for_background()
    assert page.message.text() == "Saved."
    assert services.customers.get(who).time_zone is None and services.customers.get(who).zone == "Asia/Dubai"
