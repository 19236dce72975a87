"""The outcome banner: green and brief for a success, red and staying for a failure, mirrored in Arabic."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QVBoxLayout, QWidget

from core.kernel.errors import NotFound
from ui.i18n import LanguageSwitch
from ui.widgets.banner import Banner, BannerKind


def host(qtbot, success_ms: int = 150) -> tuple[QWidget, Banner]:  # type: ignore[no-untyped-def]
    page = QWidget()
    qtbot.addWidget(page)
    banner = Banner(page, success_ms=success_ms)
    layout = QVBoxLayout(page)
    layout.addWidget(banner)
    layout.addStretch(1)
    page.resize(700, 200)
    page.show()
    return page, banner


def band_colour(banner: Banner) -> QColor:
    """The colour painted near the banner's trailing-bottom corner, away from icon, text and button."""
    image = banner.grab().toImage()
    return QColor(image.pixel(QPoint(image.width() // 2, image.height() - 3)))


def test_success_is_green_and_hides_itself(qtbot, language: LanguageSwitch) -> None:  # type: ignore[no-untyped-def]
    _page, banner = host(qtbot)
    banner.success("Sale recorded.")
    assert banner.isVisible() and banner.kind is BannerKind.SUCCESS
    assert banner.text.text() == "Sale recorded." and "Sale recorded." in banner.accessibleName()
    colour = band_colour(banner)
    assert colour.green() > 100 and colour.green() > 2 * colour.red(), colour.name()
    qtbot.waitUntil(lambda: not banner.isVisible(), timeout=2000)
    assert banner.kind is None


def test_failure_is_red_and_stays_until_dismissed(qtbot, language: LanguageSwitch) -> None:  # type: ignore[no-untyped-def]
    _page, banner = host(qtbot, success_ms=50)
    banner.refusal(NotFound("No gift card has this code. Check it with the customer."))
    assert banner.kind is BannerKind.FAILURE and not banner.is_auto_hiding()
    colour = band_colour(banner)
    assert colour.red() > 150 and colour.red() > 2 * colour.green(), colour.name()
    qtbot.wait(200)  # far past the success time
    assert banner.isVisible() and "No gift card" in banner.text.text()
    with qtbot.waitSignal(banner.dismissed, timeout=1000):
        qtbot.mouseClick(banner.close_button, Qt.MouseButton.LeftButton)
    assert not banner.isVisible()


def test_a_success_after_a_failure_hides_again(qtbot, language: LanguageSwitch) -> None:  # type: ignore[no-untyped-def]
    _page, banner = host(qtbot)
    banner.failure("Card refused.")
    banner.success("Paid.")
    qtbot.waitUntil(lambda: not banner.isVisible(), timeout=2000)


def test_user_text_is_plain_and_the_band_mirrors_in_arabic(qtbot, language: LanguageSwitch) -> None:  # type: ignore[no-untyped-def]
    page, banner = host(qtbot)
    banner.failure("<b>Ali</b>")
    assert banner.text.textFormat() == Qt.TextFormat.PlainText
    icon_x = banner.icon.geometry().x()
    language.set_language("ar")
    page.layout().activate()
    banner.layout().activate()
    assert banner.isRightToLeft()
    assert banner.icon.geometry().x() > icon_x, "the icon leads on the right in Arabic"
    assert banner.close_button.geometry().x() < banner.icon.geometry().x()
    assert banner.close_button.toolTip() == "إخفاء"
