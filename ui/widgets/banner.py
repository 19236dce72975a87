"""The outcome of a cashier's action, in a band nobody at a busy counter can miss.

A 12 px line under a field went unread: a sale recorded, a card charged or a tender refused all looked alike.
The banner is a coloured band across the page with an icon and large text: green for success, hiding itself
after a few seconds; red for a failure, staying until the cashier dismisses it or takes the next action
(the page calls ``clear``). Its text is plain, never markup; screen readers hear it as an alert. The layout
mirrors in Arabic: the icon leads, the close button trails, whichever side that is.
"""

from __future__ import annotations

from enum import StrEnum

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAccessible, QAccessibleEvent, QColor, QPainter, QPainterPath, QPen, QPixmap
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QToolButton, QWidget

from core.kernel.errors import DomainError
from ui.i18n import Retranslating, errors_text

# How long a success stays on screen: long enough to read a receipt number, short enough not to linger into
# the next customer's sale.
SUCCESS_MS = 4000
ICON_PX = 28
# The band's colours; resources/style.qss paints the band with the same two.
SUCCESS_COLOUR = "#1e7b34"
FAILURE_COLOUR = "#b3261e"


class BannerKind(StrEnum):
    SUCCESS = "success"
    FAILURE = "failure"


class Banner(Retranslating, QFrame):
    """Hidden until ``success`` or ``failure``; see the module docstring. ``kind`` is None while hidden."""

    dismissed = Signal()

    def __init__(self, parent: QWidget | None = None, *, success_ms: int = SUCCESS_MS) -> None:
        super().__init__(parent)
        self.setObjectName("banner")
        self.kind: BannerKind | None = None
        self.icon = QLabel(self)
        self.icon.setObjectName("bannerIcon")
        self.icon.setFixedSize(ICON_PX, ICON_PX)
        self.text = QLabel(self)
        self.text.setObjectName("bannerText")
        self.text.setTextFormat(Qt.TextFormat.PlainText)
        self.text.setWordWrap(True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.close_button = QToolButton(self)
        self.close_button.setObjectName("bannerClose")
        self.close_button.setText("×")
        self.close_button.setCursor(Qt.CursorShape.PointingHandCursor)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 8, 8, 8)
        layout.setSpacing(12)
        layout.addWidget(self.icon, 0, Qt.AlignmentFlag.AlignVCenter)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.close_button, 0, Qt.AlignmentFlag.AlignVCenter)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(success_ms)
        self._timer.timeout.connect(self.clear)
        self.close_button.clicked.connect(self.dismiss)
        self.hide()
        self.retranslate()

    # -- what the pages call ----------------------------------------------------------------------------------
    def success(self, text: str) -> None:
        """Shows ``text`` in green; it hides itself after a few seconds."""
        self._show(BannerKind.SUCCESS, text)
        self._timer.start()

    def failure(self, text: str) -> None:
        """Shows ``text`` in red until dismissed or cleared by the next action."""
        self._timer.stop()
        self._show(BannerKind.FAILURE, text)

    def refusal(self, error: BaseException) -> None:
        """A core refusal as a failure, in the user's language; anything else is a fault and is raised."""
        if not isinstance(error, DomainError):
            raise error
        self.failure(errors_text(error))

    def clear(self) -> None:
        """Hides the banner (the next action began, or a success has been read)."""
        self._timer.stop()
        self.kind = None
        self.hide()

    def dismiss(self) -> None:
        self.clear()
        self.dismissed.emit()

    def is_auto_hiding(self) -> bool:
        return self._timer.isActive()

    # -- inside -----------------------------------------------------------------------------------------------
    def _show(self, kind: BannerKind, text: str) -> None:
        self.kind = kind
        self.setProperty("kind", kind.value)
        self.style().unpolish(self)
        self.style().polish(self)
        for child in (self.text, self.close_button):
            child.style().unpolish(child)
            child.style().polish(child)
        self.icon.setPixmap(_icon(kind, self.devicePixelRatioF()))
        self.text.setText(text)
        self.setAccessibleName(f"{self._kind_word(kind)}: {text}")
        self.text.setAccessibleName(text)
        self.show()
        QAccessible.updateAccessibility(QAccessibleEvent(self, QAccessible.Event.Alert))

    def _kind_word(self, kind: BannerKind) -> str:
        return self.tr("Done") if kind is BannerKind.SUCCESS else self.tr("Problem")

    def retranslate(self) -> None:
        self.close_button.setToolTip(self.tr("Dismiss"))
        self.close_button.setAccessibleName(self.tr("Dismiss"))
        if self.kind is not None:
            self.setAccessibleName(f"{self._kind_word(self.kind)}: {self.text.text()}")


def _icon(kind: BannerKind, ratio: float) -> QPixmap:
    """A white disc with a tick or a cross in the banner's colour: drawn, so it looks the same on every style
    and needs no font to carry the symbol."""
    size = QSize(ICON_PX, ICON_PX) * ratio
    pixmap = QPixmap(size)
    pixmap.setDevicePixelRatio(ratio)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor("white"))
    painter.drawEllipse(QRectF(1, 1, ICON_PX - 2, ICON_PX - 2))
    colour = QColor(SUCCESS_COLOUR if kind is BannerKind.SUCCESS else FAILURE_COLOUR)
    pen = QPen(colour, 3.2, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap, Qt.PenJoinStyle.RoundJoin)
    painter.setPen(pen)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    path = QPainterPath()
    if kind is BannerKind.SUCCESS:
        path.moveTo(QPointF(8, 14.5))
        path.lineTo(QPointF(12.5, 19))
        path.lineTo(QPointF(20, 10))
    else:
        path.moveTo(QPointF(9.5, 9.5))
        path.lineTo(QPointF(18.5, 18.5))
        path.moveTo(QPointF(18.5, 9.5))
        path.lineTo(QPointF(9.5, 18.5))
    painter.drawPath(path)
    painter.end()
    return pixmap
