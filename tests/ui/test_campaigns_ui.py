"""The Campaigns page as a manager uses it: a campaign made through the editor from the keyboard, the live
audience count (and a stale count dropped), every refusal at once under its field, scheduling a large audience
with its second confirmation and a send time moved out of quiet hours, the calendar's announced dates, the CSV
export, and the page mirrored in Arabic."""

from __future__ import annotations

import csv
import threading
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QDate, Qt
from PySide6.QtWidgets import QApplication, QDateTimeEdit, QFileDialog, QMessageBox
from sqlalchemy import text

from core.campaigns.audience import AudienceDefinition, Exclusions
from core.campaigns.model import NO_NAME, OFFER_CAP, CampaignDefinition, CampaignStatus, Message
from core.campaigns.schedule import Repeat, Schedule
from core.kernel.clock import DUBAI
from core.staff.auth import Actor
from storage.bootstrap import Services
from tests.ui.conftest import sign_in
from ui.i18n import LanguageSwitch
from ui.main_window import MainWindow
from ui.ops import wait_for_background
from ui.pages.campaigns.editor import FACTS_DELAY_MS, CampaignEditor
from ui.pages.campaigns.page import CampaignsPage

EVERYONE = AudienceDefinition(exclude=Exclusions(opted_out=False))  # consent or not: every demo customer
WORDING = Message(None, {"en": "Hello {first_name}", "ar": "مرحبا {first_name}"})


def campaigns_page(qtbot, window: MainWindow) -> CampaignsPage:  # type: ignore[no-untyped-def]
    sign_in(qtbot, window, "khalid.manager", "3333")
    window.workspace.show_page("campaigns")
    wait_for_background()
    page = window.workspace.stack.currentWidget()
    assert isinstance(page, CampaignsPage)
    return page


def settle(qtbot) -> None:  # type: ignore[no-untyped-def]
    qtbot.wait(FACTS_DELAY_MS + 100)  # past the count's pause
    wait_for_background()


def new_editor(qtbot, page: CampaignsPage) -> CampaignEditor:  # type: ignore[no-untyped-def]
    page.window().activateWindow()  # back from a dialog: the window's keys reach it once it is active again
    qtbot.waitUntil(page.window().isActiveWindow)
    page.campaigns.table.setFocus()
    qtbot.keyClick(page.campaigns.table, Qt.Key.Key_F2)
    editor = page.campaigns.editor
    assert editor is not None and editor.isVisible()
    settle(qtbot)
    return editor


def press(qtbot, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:  # type: ignore[no-untyped-def]
    target = QApplication.focusWidget()
    assert target is not None
    qtbot.keyClick(target, key, modifier)


def test_a_campaign_made_from_the_keyboard_with_its_live_count(  # type: ignore[no-untyped-def]
    qtbot, window: MainWindow, services: Services, manager: Actor
) -> None:
    page = campaigns_page(qtbot, window)
    editor = new_editor(qtbot, page)
    assert QApplication.focusWidget() is editor.name
    qtbot.keyClicks(editor.name, "Spring win-back")
    editor.kind.setFocus()
    press(qtbot, Qt.Key.Key_Down)
    press(qtbot, Qt.Key.Key_Down)
    assert editor.kind.currentData() == "win_back"

    press(qtbot, Qt.Key.Key_2, Qt.KeyboardModifier.AltModifier)
    assert editor.tabs.currentIndex() == 1
    editor.audience.opted_out.setFocus()
    press(qtbot, Qt.Key.Key_Space)  # no longer leave out those without offer consent
    settle(qtbot)
    everyone = services.campaigns.preview_count(manager, EVERYONE)
    assert everyone > 0 and editor.count == everyone
    assert editor.count_label.text() == f"Customers in the audience: {everyone}"
    vip_box = editor.audience.groups["segments"].boxes[0]
    vip_box.setFocus()
    press(qtbot, Qt.Key.Key_Space)
    settle(qtbot)
    vips = services.campaigns.preview_count(manager, AudienceDefinition(segments=("vip",), exclude=EVERYONE.exclude))
    assert editor.count == vips and vips < everyone

    press(qtbot, Qt.Key.Key_3, Qt.KeyboardModifier.AltModifier)
    editor.message.editors["en"].setFocus()
    qtbot.keyClicks(editor.message.editors["en"], "We miss you, ")
    editor.message.insert_variable("first_name")
    editor.message.editors["ar"].setFocus()
    editor.message.editors["ar"].insertPlainText("اشتقنا إليك يا ")  # QTest cannot type Arabic letters
    editor.message.insert_variable("first_name")
    assert editor.message.previews["en"].text() == "We miss you, Fatima"
    assert editor.message.previews["ar"].text() == "اشتقنا إليك يا فاطمة"

    press(qtbot, Qt.Key.Key_1, Qt.KeyboardModifier.AltModifier)
    assert editor.when.repeat.currentData() == Repeat.WEEKLY and editor.when.weekday.isVisible()  # a win-back's usual
    settle(qtbot)
    assert len(editor.runs) == 5 and all(r.day.weekday() == 0 for r in editor.runs)  # Mondays at 10:00
    press(qtbot, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    wait_for_background()
    assert not editor.isVisible()

    [stored] = services.campaigns.list(manager)
    d = stored.definition
    assert (d.name, d.kind, stored.status) == ("Spring win-back", "win_back", CampaignStatus.DRAFT)
    assert d.audience.segments == ("vip",) and not d.audience.exclude.opted_out
    assert d.message.texts == {"en": "We miss you, {first_name}", "ar": "اشتقنا إليك يا {first_name}"}
    assert (d.schedule.repeat, d.schedule.weekday, d.schedule.time_of_day) == (Repeat.WEEKLY, 0, time(10, 0))
    wait_for_background()
    assert page.campaigns.table.rowCount() == 1
    assert page.campaigns.table.item(0, 0).text() == "Spring win-back"
    assert page.campaigns.table.item(0, 2).text() == "Draft"

    # Its results, from the list: the Results tab opens on the campaign chosen.
    assert page.campaigns.results_button.isVisible() and page.campaigns.results_button.isEnabled()
    page.campaigns.results_button.click()
    wait_for_background()
    assert page.tabs.currentWidget() is page.results and page.tabs.tabText(2) == "Results"
    assert page.results._campaign_id == stored.id  # type: ignore[union-attr]


def test_a_count_that_arrives_after_a_newer_one_is_dropped(  # type: ignore[no-untyped-def]
    qtbot, window: MainWindow, services: Services
) -> None:
    page = campaigns_page(qtbot, window)
    editor = new_editor(qtbot, page)
    real = services.campaigns.preview_count
    release = threading.Event()

    def slow_for_the_broad_one(actor: Actor, audience: AudienceDefinition, campaign_id: str | None = None) -> int:
        if not audience.segments:
            release.wait(5)  # the broad count is slow: it finishes after the narrower one
            return 999_999
        return real(actor, audience, campaign_id)

    services.campaigns.preview_count = slow_for_the_broad_one  # type: ignore[method-assign]
    editor.audience.opted_out.setChecked(False)
    qtbot.wait(FACTS_DELAY_MS + 100)  # the broad count starts and hangs
    editor.audience.groups["segments"].boxes[0].setChecked(True)
    qtbot.wait(FACTS_DELAY_MS + 100)
    qtbot.waitUntil(lambda: editor.count is not None)
    narrow = editor.count
    release.set()
    wait_for_background()
    assert editor.count == narrow != 999_999
    assert "999" not in editor.count_label.text()


def test_every_refusal_shows_at_once_next_to_its_field_in_arabic(  # type: ignore[no-untyped-def]
    qtbot, window: MainWindow, services: Services, manager: Actor, language: LanguageSwitch
) -> None:
    page = campaigns_page(qtbot, window)
    language.set_language("ar")
    editor = new_editor(qtbot, page)
    press(qtbot, Qt.Key.Key_4, Qt.KeyboardModifier.AltModifier)
    editor.offer.has_offer.setChecked(True)
    editor.offer.value.setText("200")  # bonus points, but no cap
    editor.audience.spend_min.setText("500")
    editor.audience.spend_max.setText("100")
    press(qtbot, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    wait_for_background()
    assert editor.isVisible() and services.campaigns.list(manager) == []
    name_error = editor.field_errors["name"][1]
    assert name_error.isVisible() and name_error.text() == QCoreApplication.translate("core", NO_NAME)
    assert any("\u0600" <= c <= "\u06ff" for c in name_error.text()), "the refusal reads in Arabic"
    cap_error = editor.field_errors["offer.cap"][1]
    assert not cap_error.isHidden() and cap_error.text() == QCoreApplication.translate("core", OFFER_CAP).format(
        limit=10_000_000
    )
    assert not editor.message.error.isHidden()  # no template and no wording
    assert not editor.audience.errors["spend_fils"].isHidden()  # lowest over highest
    assert editor.field_errors["kind"][1].isHidden()
    bar = editor.tabs.tabBar()
    marked = [bar.tabTextColor(i).name() == "#b3261e" for i in range(4)]
    assert marked == [True, True, True, True]
    assert editor.tabs.currentIndex() == 0 and QApplication.focusWidget() is editor.name

    # Once put right, the refusals go and the campaign is saved.
    qtbot.keyClicks(editor.name, "Eid offer")
    editor.message.template.setCurrentIndex(1)
    editor.offer.cap.lineEdit().selectAll()
    editor.offer.cap.lineEdit().insert("٥٠٠")  # Arabic-Indic digits, as typed on an Arabic keyboard
    editor.audience.points_min.lineEdit().selectAll()
    editor.audience.points_min.lineEdit().insert("۱۲۰")  # and Persian ones
    editor.audience.spend_max.setText("")
    press(qtbot, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    wait_for_background()
    [stored] = services.campaigns.list(manager)
    assert stored.definition.offer is not None and stored.definition.offer.cap == 500
    assert stored.definition.audience.spend_fils.min == 50_000
    assert stored.definition.audience.points.min == 120


def bare(text: str) -> str:
    """A cell's text without its direction marks and isolates."""
    return "".join(c for c in text if c not in "\u2066\u2067\u2068\u2069\u200e\u200f")


def audited(services: Services) -> tuple[int, int]:
    """(calendar audit events, their change-log rows)."""
    with services.store.read_engine.connect() as conn:
        events = conn.execute(
            text("SELECT count(*) FROM security_events WHERE kind = 'calendar_overrides_changed'")
        ).scalar_one()
        logged = conn.execute(
            text(
                "SELECT count(*) FROM change_log c JOIN security_events s ON s.id = c.row_id"
                " WHERE c.entity = 'security_events' AND s.kind = 'calendar_overrides_changed'"
            )
        ).scalar_one()
    return int(events), int(logged)


def make_campaign(services: Services, manager: Actor, at_local: datetime) -> str:
    definition = CampaignDefinition(
        name="Big broadcast",
        kind="broadcast",
        audience=EVERYONE,
        message=WORDING,
        schedule=Schedule(Repeat.ONCE, at_local.astimezone(UTC)),
    )
    return services.campaigns.create(manager, definition).id


def test_a_large_audience_asks_a_second_time_and_quiet_hours_move_the_send(  # type: ignore[no-untyped-def]
    qtbot, window: MainWindow, services: Services, manager: Actor, monkeypatch
) -> None:
    tomorrow = services.clock.now().astimezone(DUBAI).date() + timedelta(days=1)
    campaign_id = make_campaign(services, manager, datetime.combine(tomorrow, time(3, 0), DUBAI))
    services.campaigns.large_audience = 10
    page = campaigns_page(qtbot, window)
    listing = page.campaigns
    listing.select(campaign_id)
    assert listing.schedule_button.isEnabled() and not listing.pause_button.isEnabled()
    questions: list[str] = []
    answer = [QMessageBox.StandardButton.No]

    def question(_parent: object, _title: str, text: str, *_a: object) -> QMessageBox.StandardButton:
        questions.append(text)
        return answer[0]

    monkeypatch.setattr(QMessageBox, "question", question)
    listing.schedule_button.click()
    wait_for_background()
    count = services.campaigns.preview_count(manager, EVERYONE)
    assert len(questions) == 1 and str(count) in questions[0] and "10" in questions[0]
    assert services.campaigns.get(manager, campaign_id).status == CampaignStatus.DRAFT  # nothing half-scheduled
    assert "Not scheduled" in listing.feedback.text()

    answer[0] = QMessageBox.StandardButton.Yes
    listing.select(campaign_id)
    listing.schedule_button.click()
    wait_for_background()
    stored = services.campaigns.get(manager, campaign_id)
    assert stored.status == CampaignStatus.SCHEDULED and len(questions) == 2
    moved = stored.definition.schedule.local_time
    assert moved != time(3, 0)
    text = listing.feedback.text()
    assert f"{count} customers" in text and moved.strftime("%H:%M") in text and "instead" in text
    assert listing.table.item(0, 2).text() == "Scheduled"
    assert listing.pause_button.isEnabled() and not listing.schedule_button.isEnabled()

    # Paused, then completed after its own question: no action is left but the list.
    listing.pause_button.click()
    wait_for_background()
    assert services.campaigns.get(manager, campaign_id).status == CampaignStatus.PAUSED
    listing.complete_button.click()
    wait_for_background()
    assert services.campaigns.get(manager, campaign_id).status == CampaignStatus.COMPLETED
    assert not any(
        b.isEnabled()
        for b in (listing.edit_button, listing.schedule_button, listing.pause_button, listing.complete_button)
    )


def test_an_announced_date_moves_the_occasion_and_can_be_removed(  # type: ignore[no-untyped-def]
    qtbot, window: MainWindow, services: Services, manager: Actor
) -> None:
    services.campaigns.create(
        manager,
        CampaignDefinition(
            name="Eid greetings",
            kind="seasonal",
            occasion="eid_al_fitr",
            message=Message("campaign.seasonal"),
            schedule=Schedule(Repeat.YEARLY, None, time(9, 0)),
        ),
    )
    page = campaigns_page(qtbot, window)
    page.tabs.setCurrentIndex(1)
    view = page.calendar
    view.year.setValue(2027)
    wait_for_background()
    assert view.data is not None and view.data.year == 2027
    row = next(i for i, o in enumerate(view.data.occasions) if o.occasion == "eid_al_fitr")
    assert view.table.item(row, 1).text().strip("\u2068\u2069") == "Tue 9 Mar 2027"
    assert view.table.item(row, 2).text().replace("\u2068", "").replace("\u2069", "") == "1 Shawwal 1448 AH"
    assert view.table.item(row, 3).text() == "Umm al-Qura"
    assert view.table.item(row, 5).text() == "Eid greetings"
    view.select("eid_al_fitr", view.data.occasions[row].year)
    assert view.record_button.isEnabled() and not view.remove_button.isEnabled()
    assert not view.holiday_only.isEnabled()  # an Eid's holiday moves only with the Eid itself
    view.announced.setFocus()
    view.announced.setCurrentSection(QDateTimeEdit.Section.DaySection)
    press(qtbot, Qt.Key.Key_Up)  # the day after the calculated one
    assert view.announced.date().toString("yyyy-MM-dd") == "2027-03-10"
    view.record_button.click()
    wait_for_background()
    assert view.table.item(row, 1).text().strip("\u2068\u2069") == "Wed 10 Mar 2027"
    assert view.table.item(row, 3).text() == "Announced"
    assert "Eid al-Fitr now falls on" in view.feedback.text()
    assert [o.to_json()["date"] for o in services.calendar.overrides()] == ["2027-03-10"]
    assert audited(services) == (1, 1)  # the change is a security event with its change-log row
    [campaign] = services.campaigns.list(manager)
    runs = services.campaigns.upcoming(manager, campaign.id, 1)
    assert runs[0].day.isoformat() == "2027-03-10"  # the campaign follows the announced date

    # Too far from the calculated date: refused, in words, nothing changed.
    view.select("eid_al_fitr", view.data.occasions[row].year)
    view.announced.setDate(view.announced.date().addDays(10))
    view.record_button.click()
    wait_for_background()
    assert "at most three days" in view.feedback.text()
    assert [o.to_json()["date"] for o in services.calendar.overrides()] == ["2027-03-10"]
    assert audited(services) == (1, 1)

    # A Cabinet transfer: National Day's day off moves, the day itself stays.
    national = next(i for i, o in enumerate(view.data.occasions) if o.occasion == "uae_national_day")
    view.select("uae_national_day", 2027)
    assert view.holiday_only.isEnabled()
    view.holiday_only.setChecked(True)
    view.announced.setDate(QDate(2027, 12, 3))
    view.record_button.click()
    wait_for_background()
    assert bare(view.table.item(national, 1).text()) == "Thu 2 Dec 2027"
    assert bare(view.table.item(national, 4).text()) == "Fri 3 Dec 2027 · moved"
    assert view.table.item(national, 3).text() == "Fixed date"
    assert "day off of UAE National Day" in view.feedback.text()

    view.select("eid_al_fitr", view.data.occasions[row].year)
    assert view.remove_button.isEnabled()
    view.remove_button.click()
    wait_for_background()
    assert [o.occasion for o in services.calendar.overrides()] == ["uae_national_day"]  # the other one stays
    assert audited(services) == (3, 3)
    assert view.table.item(row, 1).text().strip("\u2068\u2069") == "Tue 9 Mar 2027"
    assert view.table.item(row, 3).text() == "Umm al-Qura"


def test_the_list_filters_and_exports_what_it_shows(  # type: ignore[no-untyped-def]
    qtbot, window: MainWindow, services: Services, manager: Actor, monkeypatch, tmp_path: Path
) -> None:
    tomorrow = services.clock.now().astimezone(DUBAI).date() + timedelta(days=1)
    make_campaign(services, manager, datetime.combine(tomorrow, time(11, 0), DUBAI))
    services.campaigns.create(
        manager,
        CampaignDefinition(
            name="Birthday wishes",
            kind="birthday",
            message=Message("campaign.birthday"),
            schedule=Schedule(Repeat.DAILY, None, time(10, 0)),
        ),
    )
    page = campaigns_page(qtbot, window)
    listing = page.campaigns
    assert listing.table.rowCount() == 2
    listing.text_filter.setFocus()
    qtbot.keyClicks(listing.text_filter, "birth")
    assert [listing.table.item(r, 0).text() for r in range(listing.table.rowCount())] == ["Birthday wishes"]
    assert listing.table.item(0, 3).text().replace("\u2068", "").replace("\u2069", "") == "Every day at 10:00"
    listing.text_filter.clear()
    listing.kind_filter.setCurrentIndex(listing.kind_filter.findData("broadcast"))
    assert listing.table.rowCount() == 1
    path = tmp_path / "campaigns.csv"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(path), "CSV (*.csv)"))
    listing.export_button.click()
    with path.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert [(r["name"], r["kind"], r["status"], r["repeat"], r["time"]) for r in rows] == [
        ("Big broadcast", "broadcast", "draft", "once", "11:00")
    ]
    assert rows[0]["next_run"] == f"{tomorrow.isoformat()} 11:00"


def test_the_page_is_mirrored_in_arabic_and_the_arabic_wording_runs_right_to_left(  # type: ignore[no-untyped-def]
    qtbot, window: MainWindow, services: Services, manager: Actor, language: LanguageSwitch
) -> None:
    make_campaign(services, manager, datetime.combine(datetime(2027, 1, 5).date(), time(11, 0), DUBAI))
    page = campaigns_page(qtbot, window)
    language.set_language("ar")
    wait_for_background()
    assert page.layoutDirection() == Qt.LayoutDirection.RightToLeft
    assert page.tabs.tabText(1) == "تقويم المناسبات"
    header = page.campaigns.table.horizontalHeader()
    assert header.sectionViewportPosition(0) > header.sectionViewportPosition(5)  # the name column on the right
    editor = new_editor(qtbot, page)
    assert editor.layoutDirection() == Qt.LayoutDirection.RightToLeft
    assert editor.message.editors["ar"].layoutDirection() == Qt.LayoutDirection.RightToLeft
    assert editor.message.editors["en"].layoutDirection() == Qt.LayoutDirection.LeftToRight
    assert editor.when.at.layoutDirection() == Qt.LayoutDirection.LeftToRight  # 2027-01-05 10:00 keeps its order
    editor.reject()
    page.tabs.setCurrentIndex(1)
    page.calendar.year.setValue(2027)
    wait_for_background()
    hijri = [page.calendar.table.item(r, 2).text() for r in range(page.calendar.table.rowCount())]
    assert any("شوال" in h for h in hijri) and any("رمضان" in h for h in hijri)


def test_an_edited_campaign_comes_back_as_it_was_stored(  # type: ignore[no-untyped-def]
    qtbot, window: MainWindow, services: Services, manager: Actor
) -> None:
    """Every filter, the offer, the variants, the winning metric, the link, the conversion window and the
    schedule survive a round through the editor unchanged, and a change to one field changes only that one."""
    from core.campaigns.audience import LastPurchase, Span
    from core.campaigns.model import Offer, Variant

    audience = AudienceDefinition(
        segments=("vip", "corporate"),
        tiers=("gold",),
        emirates=("dubai", "sharjah"),
        languages=("ar",),
        channels=("whatsapp",),
        families=("oud", "amber"),
        brands=("ajmal", "amouage"),
        taste_from="purchases",
        last_purchase=LastPurchase(30, 180, never=True),
        spend_fils=Span(50_000, 2_500_050),
        points=Span(100, None),
        has_personal_shopper=True,
        birthday_months=(3, 12),
        exclude=Exclusions(
            opted_out=True, channel="whatsapp", capped=False, messaged_within_days=7, other_campaigns_within_days=14
        ),
    )
    definition = CampaignDefinition(
        name="Winter oud",
        kind="win_back",
        audience=audience,
        channel="whatsapp",
        offer=Offer("voucher", 5_000, 30, 250),
        variants=(
            Variant("A", 70, Message(None, {"en": "Hi {first_name}: {offer}", "ar": "أهلاً {first_name}: {offer}"})),
            Variant("B", 30, Message(None, {"en": "{name}, we miss you {link}", "ar": "{name}، اشتقنا إليك {link}"})),
        ),
        control_percent=10,
        schedule=Schedule(Repeat.WEEKLY, None, time(11, 30), 3),
        conversion_days=14,
        link="https://shop.example.ae/oud?utm=winter",
        metric="clicked",
    ).validated()
    campaign_id = services.campaigns.create(manager, definition).id
    page = campaigns_page(qtbot, window)
    page.campaigns.select(campaign_id)
    page.campaigns.table.setFocus()
    qtbot.keyClick(page.campaigns.table, Qt.Key.Key_Return)
    editor = page.campaigns.editor
    assert editor is not None and editor.isVisible() and editor.windowTitle() == "Edit campaign"
    built, problems = editor.definition()
    assert problems == [] and built.validated() == definition
    assert editor.link.text() == definition.link and editor.conversion_days.value() == 14
    assert editor.link.layoutDirection() == Qt.LayoutDirection.LeftToRight
    assert editor.message.metric_combo.isEnabled() and editor.message.chosen_metric() == "clicked"
    qtbot.waitUntil(lambda: QApplication.focusWidget() is editor.name)  # the dialog opens on the name
    editor.name.selectAll()
    qtbot.keyClicks(editor.name, "Winter oud, second wave")
    press(qtbot, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    wait_for_background()
    stored = services.campaigns.get(manager, campaign_id).definition
    assert stored.name == "Winter oud, second wave"
    assert stored.audience == definition.audience and stored.variants == definition.variants
    assert (stored.offer, stored.schedule, stored.control_percent) == (
        definition.offer,
        definition.schedule,
        definition.control_percent,
    )
    assert (stored.link, stored.conversion_days, stored.metric) == (definition.link, 14, "clicked")


def test_the_link_is_refused_under_its_field_and_the_metric_waits_for_two_variants(  # type: ignore[no-untyped-def]
    qtbot, window: MainWindow
) -> None:
    page = campaigns_page(qtbot, window)
    editor = new_editor(qtbot, page)
    assert not editor.message.metric_combo.isEnabled()  # nothing to compare yet
    for row, name in zip(editor.message.rows, ("A", "B"), strict=False):
        row.name.setText(name)
        row.en.setText("Hello")
        row.ar.setText("مرحبا")
    assert editor.message.metric_combo.isEnabled()
    editor.message.rows[1].name.clear()
    editor.message.rows[1].en.clear()
    editor.message.rows[1].ar.clear()
    assert not editor.message.metric_combo.isEnabled()
    editor.name.setText("Link check")
    editor.link.setText("http://shop.example.ae")  # not https
    editor.save()
    wait_for_background()
    label = editor.field_errors["link"][1]
    assert label.isVisible() and label.text() and editor.tabs.currentIndex() == 0
    assert editor.link.property("error") is True
    editor.reject()


def test_the_editor_fits_the_till_screen_in_both_languages(  # type: ignore[no-untyped-def]
    qtbot, window: MainWindow, language: LanguageSwitch
) -> None:
    page = campaigns_page(qtbot, window)
    for code in ("en", "ar"):
        language.set_language(code)
        editor = new_editor(qtbot, page)
        editor.tabs.setCurrentIndex(1)
        qtbot.wait(50)
        every_filter = editor.tabs.widget(1)
        assert every_filter.verticalScrollBar().maximum() == 0, code  # type: ignore[attr-defined]
        editor.offer.has_offer.setChecked(True)
        editor.save()  # every refusal shown: the tallest the tabs get
        wait_for_background()
        hint = editor.minimumSizeHint()
        assert hint.width() <= 1366 and hint.height() <= 740, (code, hint)
        assert editor.width() <= 1366 and editor.height() <= 740
        editor.tabs.setCurrentIndex(1)
        viewport = editor.tabs.widget(1).viewport()  # type: ignore[attr-defined]
        needed = editor.audience.minimumSizeHint().width()
        assert needed <= viewport.width(), (code, needed, viewport.width())  # the filters need no sideways scroll
        for index in range(editor.tabs.count()):
            editor.tabs.setCurrentIndex(index)
            tab = editor.tabs.currentWidget()
            assert tab.minimumSizeHint().height() <= tab.height() or index == 1, (code, index)
        editor.reject()


def test_the_menu_with_campaigns_still_fits_the_screen_in_arabic(  # type: ignore[no-untyped-def]
    qtbot, window: MainWindow, language: LanguageSwitch
) -> None:
    window.resize(1366, 768)
    language.set_language("ar")
    sign_in(qtbot, window, "admin", "4444")  # offered every page
    window.workspace.show_page("campaigns")
    wait_for_background()
    nav = window.workspace.nav
    assert "campaigns" in window.workspace.page_keys()
    assert nav.verticalScrollBar().maximum() == 0, "the first pages would scroll out of sight"
