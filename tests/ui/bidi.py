"""How a string is drawn: its characters in visual order, as Qt's text engine lays them out, and where a widget's
ink lands — to check that numbers, phones, codes and paths read right inside Arabic text."""

from __future__ import annotations

import unicodedata

from bidi import get_display
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QTextLayout, QTextOption
from PySide6.QtWidgets import QWidget


def drawn(text: str, rtl: bool = True, font: QFont | None = None) -> str:
    """The characters of ``text`` left to right as Qt draws them in a line of the given direction (bidi controls,
    which draw nothing, left out)."""
    layout = QTextLayout(text, font or QFont())
    option = QTextOption()
    option.setTextDirection(Qt.LayoutDirection.RightToLeft if rtl else Qt.LayoutDirection.LeftToRight)
    layout.setTextOption(option)
    layout.beginLayout()
    line = layout.createLine()
    line.setLineWidth(100_000)
    layout.endLayout()
    flags = (
        QTextLayout.GlyphRunRetrievalFlag.RetrieveStringIndexes
        | QTextLayout.GlyphRunRetrievalFlag.RetrieveGlyphPositions
    )
    glyphs: list[tuple[float, int]] = []
    for run in layout.glyphRuns(0, len(text), flags):
        glyphs += [(pos.x(), index) for pos, index in zip(run.positions(), run.stringIndexes(), strict=True)]
    # A glyph may stand for several characters (a ligature, a cluster): they run up to the next glyph's character.
    starts = sorted({index for _x, index in glyphs})
    cluster = {a: text[a:b] for a, b in zip(starts, [*starts[1:], len(text)], strict=True)}
    out: list[str] = []
    for _x, index in sorted(glyphs):
        out.append(cluster.pop(index, ""))
    return "".join(c for c in "".join(out) if unicodedata.category(c) != "Cf")


def displayed(text: str, rtl: bool = True) -> str:
    """The same by the Unicode bidi algorithm (python-bidi), a second opinion independent of Qt."""
    shown = get_display(text, base_dir="R" if rtl else "L")
    return "".join(c for c in shown if unicodedata.category(c) != "Cf")


def ink_columns(widget: QWidget) -> tuple[int, int]:
    """The leftmost and rightmost pixel columns where ``widget`` paints something other than its background."""
    image = widget.grab().toImage()
    background = QColor(image.pixel(0, image.height() - 1))
    columns = [
        x
        for x in range(image.width())
        if any(abs(QColor(image.pixel(x, y)).lightness() - background.lightness()) > 60 for y in range(image.height()))
    ]
    assert columns, "the widget paints nothing"
    return columns[0], columns[-1]
