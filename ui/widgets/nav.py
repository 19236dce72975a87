"""The navigation's function keys: which F-key opens which page, and the list delegate that shows it.

A key belongs to a page, not to a position in the menu, so F3 is the Sale page for a cashier and for a manager
alike, however many pages each role is offered. F2 opens no page: it stays the open page's own main action
(find a card on Gift cards, log a visit on My VIPs), where staff already press it. F12 opens no page either: it
switches cashier. The receipt and printer settings, a manager's rare visit, take Ctrl+F1; the message templates,
rarer still, Ctrl+F5 (past the spares); the campaigns, planned a few times a month, Ctrl+F6; the support
tickets, Ctrl+F7; the feedback dashboard, read once or twice a day, Ctrl+F8; the administrators' audit trail,
Ctrl+F10. A page the table below does not know
yet takes the next spare key, in the order pages were registered; past the spares a page has none.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSize, Qt
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

PAGE_KEYS: dict[str, str] = {
    "customers": "F1",
    "sale": "F3",
    "giftcards": "F4",
    "my_vips": "F5",
    "giftcard_report": "F6",
    "rewards": "F7",
    "vip_service": "F8",
    "staff": "F9",
    "sync": "F10",
    "sync_exceptions": "F11",
    "receipts": "Ctrl+F1",
    "message_templates": "Ctrl+F5",
    "campaigns": "Ctrl+F6",
    "tickets": "Ctrl+F7",
    "feedback_dashboard": "Ctrl+F8",
    "audit_trail": "Ctrl+F10",
    "analytics": "Ctrl+F9",
}
SPARE_KEYS = ("Ctrl+F2", "Ctrl+F3", "Ctrl+F4")

# The item data role holding a navigation entry's key ("F3"), read by the delegate and the tests.
KEY_ROLE = Qt.ItemDataRole.UserRole + 40
_GAP = 8
_PADDING = 14  # the item's horizontal padding in resources/style.qss (QListWidget#nav::item)


def function_keys(page_keys: Iterable[str]) -> dict[str, str]:
    """Each page key → its function key (see the module docstring); ``page_keys`` in registration order."""
    spare = list(SPARE_KEYS)
    keys: dict[str, str] = {}
    for page in page_keys:
        if page in PAGE_KEYS:
            keys[page] = PAGE_KEYS[page]
        elif spare:
            keys[page] = spare.pop(0)
    return keys


class KeyHintDelegate(QStyledItemDelegate):
    """Draws an entry's title as usual, elided if it must be, and its key at the trailing edge (the right in
    English, the left in Arabic), in a quieter colour."""

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        """Wide enough for the title and its key, so the navigation grows to fit rather than eliding."""
        size = super().sizeHint(option, index)
        key = str(index.data(KEY_ROLE) or "")
        if key:
            size.setWidth(size.width() + option.fontMetrics.horizontalAdvance(key) + _GAP)
        return size

    def paint(
        self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        key = str(index.data(KEY_ROLE) or "")
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        metrics = opt.fontMetrics
        hint_width = metrics.horizontalAdvance(key) if key else 0
        available = opt.rect.width() - 2 * _PADDING - (hint_width + _GAP if key else 0)
        opt.text = metrics.elidedText(opt.text, Qt.TextElideMode.ElideRight, max(0, available))
        widget = opt.widget
        style = widget.style() if widget is not None else None
        if style is None:
            super().paint(painter, opt, index)
        else:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
        if not key:
            return
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        painter.save()
        painter.setFont(opt.font)
        painter.setPen(QColor("#d9c39a" if selected else "#8c735f"))
        area = opt.rect.adjusted(_PADDING, 0, -_PADDING, 0)
        rtl = opt.direction == Qt.LayoutDirection.RightToLeft
        trailing = Qt.AlignmentFlag.AlignLeft if rtl else Qt.AlignmentFlag.AlignRight
        # Absolute: the painter would otherwise mirror the side a second time in Arabic.
        painter.drawText(area, int(trailing | Qt.AlignmentFlag.AlignAbsolute | Qt.AlignmentFlag.AlignVCenter), key)
        painter.restore()
